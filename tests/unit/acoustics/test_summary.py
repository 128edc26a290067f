"""The one lay sentence `listen` prints: what it may and may not claim."""

from __future__ import annotations

from crepitus.acoustics import SoundReport, summarize
from crepitus.acoustics.classification import SoundEvent


def _report(*confidences: float) -> SoundReport:
    events = [SoundEvent(1.0 + i, 1.01 + i, "pop", c) for i, c in enumerate(confidences)]
    return SoundReport("walk.wav", 16000, 30.0, events)


def test_uncertain_pops_are_said_and_nothing_is_called_harmless() -> None:
    # Review 3, P2-3 and P3-14.
    text = summarize(_report(0.95, 0.45, 0.9))
    assert text.startswith("3 pops (1 of them uncertain), no rhythm")
    assert "harmless" not in text
    assert "uncertain" not in summarize(_report(0.95, 0.8))
