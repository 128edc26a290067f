"""The mechanism model: no evidence, no guess; clear cues point the right way."""

from __future__ import annotations

import math

import pytest

from crepitus import assess
from crepitus.domain import MECHANISMS, Evidence
from crepitus.mechanism import load_model


def top(findings: dict[str, object]) -> tuple[str, float]:
    return assess(findings).mechanisms[0]


def test_no_evidence_is_undetermined() -> None:
    assert top({})[0] == "undetermined"
    # Findings that say nothing about the sound do not produce a guess either.
    assert top({"neuro.saddle_numbness": False, "history.cancer": False})[0] == "undetermined"


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ({"sound.pop": True, "sound.relief": True, "pain.with_sound": False}, "cavitation"),
        ({"sound.pop": True, "sound.every_step": False}, "cavitation"),
        ({"sound.snap": True, "sound.every_step": True}, "soft_tissue_snap"),
        ({"sound.grind": True, "age": 68, "local.limited_motion": True}, "arthritic_crepitus"),
        ({"sound.grind": True, "sound.every_step": True}, "arthritic_crepitus"),
    ],
)
def test_typical_descriptions(findings: dict[str, object], expected: str) -> None:
    name, p = top(findings)
    assert name == expected
    assert p > 0.5  # the most probable, and more likely than all the others together


def test_probabilities_sum_to_one_and_cover_all_mechanisms() -> None:
    mech = assess({"sound.pop": True, "sound.grind": True}).mechanisms
    assert {m for m, _ in mech} == set(MECHANISMS)
    assert math.isclose(sum(p for _, p in mech), 1.0, abs_tol=1e-9)


def test_recording_evidence_uses_the_same_model() -> None:
    model = load_model()
    heard = Evidence(
        id="rec.snap-phase-locked",
        description="snap on 27/30 left strides",
        likelihood={
            "cavitation": 0.02,
            "soft_tissue_snap": 0.9,
            "arthritic_crepitus": 0.1,
            "undetermined": 0.1,
        },
        source="test",
        kind="recording",
    )
    before = model.posterior(model.evidence_from_findings({"sound.pop": True}))
    after = assess({"sound.pop": True}, evidence=[heard]).mechanisms
    assert before[0][0] == "cavitation"
    assert after[0][0] == "soft_tissue_snap"


def test_mechanism_reasons_cite_sources() -> None:
    a = assess({"sound.snap": True, "sound.every_step": True})
    mech = [r for r in a.reasons if r.kind == "mechanism"]
    assert mech and all(r.source for r in mech)
    assert any(r.rule == "mech.every-step" for r in mech)
