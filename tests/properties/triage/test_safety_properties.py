"""Safety properties of triage, checked on random findings (hypothesis).

* a "yes" to a red-flag question never lowers urgency, a "no" never raises it
  above leaving it unknown: yes >= unknown >= no, from any starting point;
* every output has at least one reason, each with a source;
* the engine never crashes on a valid document, and its output is coherent.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from crepitus import assess
from crepitus.domain import MECHANISMS
from crepitus.triage import triage

from .strategies import SCREEN_BOOLEANS, findings_values


@given(findings_values(), st.sampled_from(SCREEN_BOOLEANS))
def test_red_flag_yes_ge_unknown_ge_no(values: dict[str, Any], code: str) -> None:
    unknown = {k: v for k, v in values.items() if k != code}
    d_unknown = triage(unknown).disposition
    d_yes = triage({**unknown, code: True}).disposition
    d_no = triage({**unknown, code: False}).disposition
    assert d_yes >= d_unknown >= d_no, (code, d_yes, d_unknown, d_no)


@given(findings_values(), st.lists(st.sampled_from(SCREEN_BOOLEANS), min_size=1, max_size=5))
def test_adding_red_flags_never_lowers_urgency(values: dict[str, Any], codes: list[str]) -> None:
    before = triage(values).disposition
    after = triage({**values, **dict.fromkeys(codes, True)}).disposition
    assert after >= before


@given(findings_values())
def test_every_output_is_explained_and_coherent(values: dict[str, Any]) -> None:
    a = assess(values)
    assert a.reasons
    assert all(r.source.strip() and r.text.strip() and r.rule for r in a.reasons)
    assert math.isclose(sum(p for _, p in a.mechanisms), 1.0, abs_tol=1e-9)
    assert {m for m, _ in a.mechanisms} == set(MECHANISMS)
    # Red flags are findings the person said yes to, and they come with escalation.
    assert all(values.get(code) is True for code in a.red_flags)
    if a.red_flags:
        assert a.disposition.value >= 1
    doc = a.to_json()
    assert doc["schema"] == "crepitus.assessment/1"
    assert doc["disposition"] == a.disposition.code


@given(findings_values(density=0.3))
def test_open_questions_only_raise(values: dict[str, Any]) -> None:
    a = assess(values)
    for q in a.unknown:
        assert q.code not in values
        assert q.would_be > a.disposition
