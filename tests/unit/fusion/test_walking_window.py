"""Pops are counted per walking minute, so only the pops heard while walking count."""

from __future__ import annotations

from crepitus.acoustics import SoundReport
from crepitus.acoustics.classification import SoundEvent
from crepitus.fusion import analyse_recordings


def report(pop_times: list[float]) -> SoundReport:
    """45 s of audio: footsteps every 0.55 s from 10 s to 40 s, and pops at ``pop_times``."""
    steps = [SoundEvent(10.0 + 0.55 * i, 10.01 + 0.55 * i, "footstep", 0.9) for i in range(55)]
    pops = [SoundEvent(t, t + 0.005, "pop", 0.95) for t in pop_times]
    events = sorted(steps + pops, key=lambda e: e.onset_s)
    return SoundReport("walk.wav", 16000, 45.0, events, step_period_s=0.55)


def pop_evidence(pop_times: list[float]) -> tuple[list[str], list[str]]:
    analysis = analyse_recordings(report(pop_times), None)
    return [e.id for e in analysis.evidence], analysis.notes


def test_pops_while_walking_are_weighed() -> None:
    ids, notes = pop_evidence([20.13, 31.4])
    assert "rec.pops-sparse" in ids
    assert not any("before or after the walking" in n for n in notes)


def test_pops_before_the_walk_starts_are_not_counted_and_the_report_says_so() -> None:
    ids, notes = pop_evidence([3.0, 6.5])  # tapping "record" and pocketing the phone
    assert "rec.pops-sparse" not in ids
    assert any(n.startswith("2 pop-like sound(s) came before or after the walking") for n in notes)


def test_a_pop_at_the_first_step_still_counts() -> None:
    ids, _ = pop_evidence([9.7])  # within half a second of the first footstep heard
    assert "rec.pops-sparse" in ids
