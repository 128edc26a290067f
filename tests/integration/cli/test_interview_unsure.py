"""A "not sure" to an emergency question is acted on at once (uncertainty escalates)."""

from __future__ import annotations

from rich.console import Console

from crepitus.cli.interview import warn_unsure
from crepitus.findings import Findings


def _said(unsure: set[str]) -> str:
    console = Console(record=True, width=200)
    warn_unsure(console, Findings(), frozenset(unsure))
    return console.export_text()


def test_unsure_about_saddle_numbness_says_go_now() -> None:
    out = _said({"neuro.saddle_numbness"})
    assert "not sure about" in out
    assert "emergency department now" in out


def test_unsure_about_an_urgent_question_says_today() -> None:
    out = _said({"systemic.fever"})
    assert "today" in out and "emergency department" not in out


def test_unsure_about_a_question_that_changes_nothing_urgent_is_quiet() -> None:
    assert _said({"history.smoker"}) == ""
    assert _said(set()) == ""
