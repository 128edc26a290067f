"""Faint snaps: too unsure to report one by one, but their rhythm is evidence."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from crepitus.acoustics import SoundReport
from crepitus.acoustics.classification import SoundEvent
from crepitus.fusion import analyse_recordings
from crepitus.fusion.plot import plot_gait_phase

STEP_S = 0.55


def other(t: float, *, snap: float) -> SoundEvent:
    """A sound listen reported as "other", with ``snap`` as its snap probability."""
    rest = (1.0 - snap) / 4
    probs = {"pop": rest, "snap": snap, "grind": rest, "footstep": rest, "other": rest}
    return SoundEvent(t, t + 0.01, "other", probs["other"], probs)


def report(extra: list[SoundEvent]) -> SoundReport:
    """45 s of audio: footsteps every 0.55 s from 10 s to 40 s, plus ``extra``."""
    steps = [SoundEvent(10.0 + STEP_S * i, 10.01 + STEP_S * i, "footstep", 0.9) for i in range(55)]
    events = sorted(steps + extra, key=lambda e: e.onset_s)
    return SoundReport("walk.wav", 16000, 45.0, events, step_period_s=STEP_S)


def on_strides(*, snap: float, share: float = 1.0) -> list[SoundEvent]:
    """One sound at 30 % of every (or ``share`` of every) stride, two steps apart."""
    rng = np.random.default_rng(3)
    times = [10.0 + 2 * STEP_S * (k + 0.15) for k in range(26)]
    return [other(t, snap=snap) for t in times if rng.random() < share]


def test_faint_snaps_locked_to_the_stride_are_a_snap_rhythm_and_say_they_are_faint() -> None:
    analysis = analyse_recordings(report(on_strides(snap=0.45, share=0.6)), None)
    snap = [e for e in analysis.evidence if e.id == "rec.snap-locked"]
    assert snap, [e.id for e in analysis.evidence]
    n = sum(e.faint for e in analysis.events)
    assert n >= 10
    assert f"({n} of them too faint to be sure of on their own)" in snap[0].description
    assert all(e.kind == "snap" and e.faint for e in analysis.events)
    assert all(e.to_json()["faint"] for e in analysis.events)
    assert analysis.to_json()["phase_locking"]["snap"]["n_faint"] == n


def test_faint_snaps_at_random_times_are_no_evidence() -> None:
    rng = np.random.default_rng(7)
    times = np.sort(rng.uniform(10.0, 40.0, size=15))
    analysis = analyse_recordings(report([other(float(t), snap=0.45) for t in times]), None)
    ids = [e.id for e in analysis.evidence]
    assert "rec.snap-locked" not in ids
    assert "sound.snap" not in analysis.found_findings


def test_sounds_most_likely_something_else_are_not_faint_snaps() -> None:
    events = on_strides(snap=0.15)  # every other class 0.2125: snap is not the most likely
    analysis = analyse_recordings(report(events), None)
    assert analysis.events == []
    assert "rec.snap-locked" not in [e.id for e in analysis.evidence]


def test_heard_snaps_are_not_faint() -> None:
    heard = [
        SoundEvent(e.onset_s, e.offset_s, "snap", 0.9, {"snap": 0.9}) for e in on_strides(snap=0.9)
    ]
    analysis = analyse_recordings(report(heard), None)
    assert analysis.events and not any(e.faint for e in analysis.events)
    text = next(e.description for e in analysis.evidence if e.id == "rec.snap-locked")
    assert "faint" not in text


def test_the_gait_phase_plot_draws_faint_snaps(tmp_path: Path) -> None:
    analysis = analyse_recordings(report(on_strides(snap=0.45, share=0.6)), None)
    out = plot_gait_phase(analysis.to_json(), tmp_path / "phase.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_faint_snaps_never_argue_with_a_rhythm_the_heard_sounds_show() -> None:
    # Grinding heard at loading on every step, and faint snap-like transients locked at
    # another point of the stride (crepitus has snap-like clicks of its own).
    grinds = [
        SoundEvent(t, t + 0.2, "grind", 0.95, {"grind": 0.95})
        for t in (10.05 + STEP_S * i for i in range(52))
    ]
    analysis = analyse_recordings(report(grinds + on_strides(snap=0.45)), None)
    ids = [e.id for e in analysis.evidence]
    assert "rec.grind-rhythmic" in ids
    assert "rec.snap-locked" not in ids
    assert not any(e.faint for e in analysis.events)
