"""Free text can raise urgency but never silence a red flag (docs/safety.md H07)."""

from __future__ import annotations

import pytest

from crepitus import assess
from crepitus.intake import extract


@pytest.mark.parametrize(
    "text",
    [
        "I didn't notice I had wet myself",
        "I don't think I have any numbness around my bottom, actually yes I do",
        "I don't believe I have numbness around my bottom",
    ],
)
def test_pseudo_negations_and_hedges_never_deny_a_red_flag(text: str) -> None:
    r = extract(text)
    assert r.findings.get("neuro.saddle_numbness") is not False
    assert r.findings.get("neuro.bladder_change") is not False


def test_text_denials_of_red_flags_are_not_used() -> None:
    r = extract("my back pops, no numbness around my bottom, no fever")
    assert r.findings.get("neuro.saddle_numbness") is False
    assert "neuro.saddle_numbness" not in r.trusted_findings
    assert "systemic.fever" not in r.trusted_findings
    a = assess(text="my back pops, no numbness around my bottom, no fever")
    assert "neuro.saddle_numbness" not in a.findings
    assert any(q.code == "neuro.saddle_numbness" for q in a.unknown)


def test_wet_myself_is_an_emergency_through_assess() -> None:
    a = assess(text="I didn't notice I had wet myself")
    assert a.disposition.code == "emergency"


def test_red_flag_in_own_words_beats_a_no_answer() -> None:
    a = assess({"neuro.saddle_numbness": False}, text="I have numbness around my genitals")
    assert a.disposition.code == "emergency"
    assert a.intake is not None and a.intake["conflicts"] == ["neuro.saddle_numbness"]
    assert any(r.rule == "intake.red-flag-conflict" for r in a.reasons)


def test_answers_win_for_everything_else() -> None:
    a = assess({"sound.pop": False}, text="my back pops when I walk")
    assert a.findings["sound.pop"] is False
