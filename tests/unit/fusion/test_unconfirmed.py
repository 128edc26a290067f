"""Unconfirmed snaps: listen could not confirm them one by one, but their rhythm is evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import crepitus.fusion.plot as fusion_plot
from crepitus.acoustics import SoundReport
from crepitus.acoustics.classification import SoundEvent
from crepitus.fusion import RecordingAnalysis, analyse_recordings
from crepitus.fusion.plot import plot_gait_phase

STEP_S = 0.55
UNCLEAR = "too unclear to count on their own"


def other(t: float, *, snap: float) -> SoundEvent:
    """A sound listen reported as "other", with ``snap`` as its snap probability."""
    rest = (1.0 - snap) / 4
    probs = {"pop": rest, "snap": snap, "grind": rest, "footstep": rest, "other": rest}
    return SoundEvent(t, t + 0.01, "other", probs["other"], probs)


def heard(t: float, kind: str = "snap") -> SoundEvent:
    return SoundEvent(t, t + 0.01, kind, 0.95, {kind: 0.95})


def report(extra: list[SoundEvent]) -> SoundReport:
    """45 s of audio: footsteps every 0.55 s from 10 s to 40 s, plus ``extra``."""
    steps = [SoundEvent(10.0 + STEP_S * i, 10.01 + STEP_S * i, "footstep", 0.9) for i in range(55)]
    events = sorted(steps + extra, key=lambda e: e.onset_s)
    return SoundReport("walk.wav", 16000, 45.0, events, step_period_s=STEP_S)


def stride_times(share: float = 1.0) -> list[float]:
    """30 % of every (or ``share`` of every) stride: one time two steps apart."""
    rng = np.random.default_rng(3)
    return [t for t in (10.0 + 2 * STEP_S * (k + 0.15) for k in range(26)) if rng.random() < share]


def ids(analysis: RecordingAnalysis) -> list[str]:
    return [e.id for e in analysis.evidence]


def test_unconfirmed_snaps_locked_to_the_stride_are_a_snap_rhythm_and_say_so() -> None:
    analysis = analyse_recordings(report([other(t, snap=0.45) for t in stride_times(0.6)]), None)
    snap = [e for e in analysis.evidence if e.id == "rec.snap-locked"]
    assert snap, ids(analysis)
    n = sum(e.unconfirmed for e in analysis.events)
    assert n >= 10
    assert f"{n} snaps ({n} of them {UNCLEAR})" in snap[0].description
    assert all(e.kind == "snap" and e.unconfirmed for e in analysis.events)
    doc = analysis.to_json()
    assert all(e["unconfirmed"] for e in doc["events"])
    assert doc["phase_locking"]["snap"]["n_unconfirmed"] == n
    # a finding the person did not report needs at least one sound listen is sure of
    assert "sound.snap" not in analysis.found_findings


def test_with_some_confirmed_snaps_the_finding_is_added_and_the_text_counts_both() -> None:
    times = stride_times()
    events = [heard(t) for t in times[:4]] + [other(t, snap=0.45) for t in times[4:]]
    analysis = analyse_recordings(report(events), None)
    text = next(e.description for e in analysis.evidence if e.id == "rec.snap-locked")
    assert f"{len(times)} snaps ({len(times) - 4} of them {UNCLEAR})" in text
    assert analysis.found_findings.get("sound.snap") is True
    # the share of strides includes unconfirmed snaps, so "every step" is not added from them
    assert "sound.every_step" not in analysis.found_findings


def test_unconfirmed_snaps_without_a_rhythm_change_nothing() -> None:
    rng = np.random.default_rng(7)
    times = np.sort(rng.uniform(10.0, 40.0, size=15))
    without = analyse_recordings(report([]), None)
    analysis = analyse_recordings(report([other(float(t), snap=0.45) for t in times]), None)
    assert ids(analysis) == ids(without) == ["rec.no-joint-sound"]
    assert analysis.events == [] and analysis.found_findings == {}
    assert analysis.to_json()["phase_locking"] == without.to_json()["phase_locking"]


def test_sounds_most_likely_something_else_are_not_unconfirmed_snaps() -> None:
    # snap 0.15, every other class 0.2125: snap is not the most likely
    sounds = report([other(t, snap=0.15) for t in stride_times()])
    assert sounds.unconfirmed_events("snap") == []
    assert analyse_recordings(sounds, None).events == []


def test_an_unconfirmed_snap_is_one_sound_with_its_neighbours() -> None:
    sounds = report(
        [other(20.0, snap=0.4), other(20.02, snap=0.5), heard(30.0), other(30.05, snap=0.5)]
    )
    assert [e.onset_s for e in sounds.unconfirmed_events("snap")] == [20.02]


def test_unconfirmed_snaps_never_argue_with_a_rhythm_the_heard_sounds_show() -> None:
    # Grinding heard at loading on every step, and unconfirmed snap-like transients locked at
    # another point of the stride (crepitus has snap-like clicks of its own).
    grinds = [
        SoundEvent(t, t + 0.2, "grind", 0.95, {"grind": 0.95})
        for t in (10.05 + STEP_S * i for i in range(52))
    ]
    analysis = analyse_recordings(
        report(grinds + [other(t, snap=0.45) for t in stride_times()]), None
    )
    assert "rec.grind-rhythmic" in ids(analysis)
    assert "rec.snap-locked" not in ids(analysis)
    assert not any(e.unconfirmed for e in analysis.events)


def test_a_rhythm_of_unconfirmed_snaps_does_not_rename_heard_pops() -> None:
    times = stride_times()
    pops = [heard(t + 0.002, "pop") for t in times[3:6]]  # at the snaps' very phase
    analysis = analyse_recordings(report([other(t, snap=0.45) for t in times] + pops), None)
    assert "rec.snap-locked" in ids(analysis)
    assert sum(e.kind == "pop" for e in analysis.events) == 3


def test_the_gait_phase_plot_draws_unconfirmed_snaps_as_open_circles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def keep(fig: Any, out: Path, **_: Any) -> Path:
        seen["fig"] = fig
        return out

    monkeypatch.setattr(fusion_plot, "save_figure", keep)
    times = stride_times()
    events = [heard(t) for t in times[:4]] + [other(t, snap=0.45) for t in times[4:]]
    plot_gait_phase(analyse_recordings(report(events), None).to_json(), tmp_path / "p.png")
    import matplotlib.pyplot as plt

    try:
        ax = seen["fig"].axes[0]
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        filled = [c.get_facecolors().size > 0 for c in ax.collections]
    finally:
        plt.close(seen["fig"])  # save_figure would have closed it
    assert labels == ["snap", "snap (unconfirmed)"]
    assert filled.count(True) == 4 and filled.count(False) == len(times) - 4
