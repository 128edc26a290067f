"""Three-valued (Kleene) conditions: unknown is never silently "no"."""

from __future__ import annotations

from typing import Any

import pytest

from crepitus.findings import load_vocabulary
from crepitus.triage.conditions import parse_condition
from crepitus.triage.facts import DERIVED_CODES, facts_from_findings

KNOWN = set(load_vocabulary().codes) | set(DERIVED_CODES)


def truth(cond: Any, findings: dict[str, Any]) -> bool | None:
    node = parse_condition(cond, where="test", known_codes=KNOWN, defines={})
    return node.truth(facts_from_findings(findings))


@pytest.mark.parametrize(
    ("cond", "findings", "expected"),
    [
        ("sound.pop", {}, None),
        ("sound.pop", {"sound.pop": True}, True),
        ({"not": "sound.pop"}, {}, None),
        ({"not": "sound.pop"}, {"sound.pop": False}, True),
        ({"all": ["sound.pop", "sound.snap"]}, {"sound.pop": True}, None),
        ({"all": ["sound.pop", "sound.snap"]}, {"sound.snap": False}, False),
        ({"any": ["sound.pop", "sound.snap"]}, {"sound.snap": True}, True),
        ({"any": ["sound.pop", "sound.snap"]}, {"sound.snap": False}, None),
        ({"any": ["sound.pop", "sound.snap"]}, {"sound.snap": False, "sound.pop": False}, False),
        (
            {"at_least": 2, "of": ["sound.pop", "sound.snap", "sound.grind"]},
            {"sound.pop": True, "sound.snap": False},
            None,
        ),
        (
            {"at_least": 2, "of": ["sound.pop", "sound.snap", "sound.grind"]},
            {"sound.pop": True, "sound.snap": False, "sound.grind": False},
            False,
        ),
        ({"none_true": ["sound.pop"]}, {}, True),
        ({"none_true": ["sound.pop"]}, {"sound.pop": True}, False),
        ({"code": "age", "ge": 50}, {}, None),
        ({"code": "age", "ge": 50}, {"age": 50}, True),
        ({"code": "age", "gt": 50}, {"age": 50}, False),
        ({"code": "sex", "eq": "male"}, {"sex": "female"}, False),
        # derived onset age: age known, duration unknown → onset somewhere in [0, age]
        ({"code": "derived.onset_age", "lt": 35}, {"age": 30}, True),
        ({"code": "derived.onset_age", "lt": 35}, {"age": 50}, None),
        ({"code": "derived.onset_age", "lt": 35}, {"age": 50, "pain.weeks": 52 * 20}, True),
        ({"code": "derived.onset_age", "ge": 45}, {"age": 50, "pain.weeks": 4}, True),
    ],
)
def test_kleene_truth_table(cond: Any, findings: dict[str, Any], expected: bool | None) -> None:
    assert truth(cond, findings) is expected


def test_witnesses_and_unknowns() -> None:
    node = parse_condition(
        {"any": ["sound.pop", {"all": ["sound.snap", "sound.grind"]}]},
        where="t",
        known_codes=KNOWN,
        defines={},
    )
    facts = facts_from_findings({"sound.snap": True})
    assert node.truth(facts) is None
    assert node.unknowns(facts) == {"sound.pop", "sound.grind"}
    facts = facts_from_findings({"sound.snap": True, "sound.grind": True})
    assert node.witnesses(facts) == {"sound.snap", "sound.grind"}
