"""Listening to a walking recording: which joint sounds it holds, and how they repeat.

Public API::

    from crepitus.acoustics import listen, load_audio
    report = listen("walk.m4a")
    report.to_json()        # crepitus.sounds/1 (contracts §3)
    report.joint_events()   # pops, snaps, grinds with probabilities and features
    report.footsteps()      # footstep events (for audio–motion alignment)

Pipeline: :mod:`~crepitus.acoustics.io` (validated, streamed blocks) →
:mod:`~crepitus.acoustics.detection` (candidates with descriptors) →
:mod:`~crepitus.acoustics.classification` (shape + rhythm → kind and class
probabilities) ; :mod:`~crepitus.acoustics.evaluation` scores it against labels.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crepitus.acoustics.classification import SoundEvent
    from crepitus.acoustics.io import Audio

__all__ = ["SOUNDS_SCHEMA", "SoundReport", "listen", "load_audio"]

SOUNDS_SCHEMA = "crepitus.sounds/1"
JOINT_KINDS: tuple[str, ...] = ("pop", "snap", "grind")


@dataclass
class SoundReport:
    """What a recording contains (contracts §3), plus what fusion needs later."""

    file: str
    sampling_rate_hz: int
    duration_s: float
    events: list[SoundEvent]
    warnings: list[str] = field(default_factory=list)
    step_period_s: float | None = None

    def joint_events(self) -> list[SoundEvent]:
        return [e for e in self.events if e.kind in JOINT_KINDS]

    def footsteps(self) -> list[SoundEvent]:
        return [e for e in self.events if e.kind == "footstep"]

    def unconfirmed_events(self, kind: str) -> list[SoundEvent]:
        """Sounds reported as ``other`` whose most likely class is still ``kind``.

        Listen did not confirm them one by one (below :data:`~crepitus.acoustics.
        classification.MIN_CONFIDENCE`, or a lone snap without a partner a stride
        away), but a quiet tendon snap comes back on most strides (research/acoustics.md
        §3.2), so a rhythm test over many of them in the gait cycle can still show it
        when no single one is certain.  Each is one sound: within
        :data:`~crepitus.acoustics.classification.SNAP_MERGE_S` of a confirmed ``kind``
        it is that sound, and of several close together the most probable stands.
        """
        from crepitus.acoustics.classification import SNAP_MERGE_S

        confirmed = sorted(e.onset_s for e in self.events if e.kind == kind)
        kept: list[SoundEvent] = []
        for e in sorted(self.events, key=lambda e: e.onset_s):
            p = e.probabilities
            if e.kind != "other" or not p or max(p, key=lambda c: p[c]) != kind:
                continue
            i = bisect.bisect_left(confirmed, e.onset_s)
            if any(
                abs(confirmed[j] - e.onset_s) < SNAP_MERGE_S
                for j in (i - 1, i)
                if 0 <= j < len(confirmed)
            ):
                continue
            if kept and e.onset_s - kept[-1].onset_s < SNAP_MERGE_S:
                if p[kind] > kept[-1].probabilities[kind]:
                    kept[-1] = e
                continue
            kept.append(e)
        return kept

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys((*JOINT_KINDS, "footstep", "other"), 0)
        for e in self.events:
            out[e.kind] = out.get(e.kind, 0) + 1
        return out

    @property
    def summary(self) -> str:
        """One lay sentence ("3 pops, no rhythm — typical of cavitation")."""
        return summarize(self)

    def to_json(self, *, with_features: bool = True, include_other: bool = False) -> dict[str, Any]:
        events = [e for e in self.events if include_other or e.kind != "other"]
        return {
            "schema": SOUNDS_SCHEMA,
            "file": self.file,
            "sample_rate": self.sampling_rate_hz,
            "duration_s": round(self.duration_s, 3),
            "events": [e.to_json(with_features=with_features) for e in events],
            "counts": self.counts(),
            "cadence_spm": None if not self.step_period_s else round(60.0 / self.step_period_s, 1),
            "summary": self.summary,
            "warnings": list(self.warnings),
        }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


#: Below this confidence a joint sound is counted but called uncertain in the summary.
UNCERTAIN_BELOW = 0.6


def summarize(report: SoundReport) -> str:
    """Lay words for what was heard, led by the rhythm (acoustics.md §3.2, §6)."""
    c = report.counts()
    parts: list[str] = []
    if c["pop"]:
        unsure = sum(1 for e in report.events if e.kind == "pop" and e.confidence < UNCERTAIN_BELOW)
        # "8 pops" when 2 are coin tosses over-states what was heard (review 3, P3-14)
        of_which = f" ({unsure} of them uncertain)" if unsure else ""
        parts.append(
            # No "harmless": listen knows nothing about pain or warning signs, and this line
            # is also shown under an emergency banner in assess (review 3, P2-3).
            f"{_plural(c['pop'], 'pop')}{of_which}, no rhythm — typical of a gas bubble "
            "forming in a joint (cavitation)"
        )
    if c["snap"]:
        rhythm = "repeating with your steps" if c["snap"] >= 3 else "too few to show a rhythm"
        parts.append(
            f"{_plural(c['snap'], 'snap')} {rhythm} — typical of a tendon or band flicking "
            "over bone"
        )
    if c["grind"]:
        rhythm = " with the walking rhythm" if c["grind"] >= 3 else ""
        parts.append(
            f"grinding in {_plural(c['grind'], 'episode')}{rhythm} — typical of joint-surface "
            "wear (crepitus)"
        )
    if not parts:
        steps = f" ({_plural(c['footstep'], 'footstep')} heard)" if c["footstep"] else ""
        return f"no joint sounds found{steps}"
    return "; ".join(parts)


def listen(
    source: str | Path | Audio,
    *,
    block_s: float = 30.0,
) -> SoundReport:
    """Find and classify the joint sounds (and footsteps) in a recording.

    Parameters
    ----------
    source
        A path (WAV, FLAC, OGG, MP3, M4A/AAC, WebM/Opus, MP4) — streamed in
        blocks, so memory does not grow with the length — or an in-memory
        :class:`~crepitus.acoustics.io.Audio`.
    block_s
        Streaming block length in seconds.

    Raises
    ------
    crepitus.errors.InvalidInputError
        Unreadable, empty, too short or too long recordings.
    """
    import gc

    # An hour of walking makes tens of thousands of candidate and event objects and no
    # reference cycles: the cyclic garbage collector would only walk them over and over
    # (~3 % of the CPU time of a 60-min file).  Paused for the whole process meanwhile.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _listen(source, block_s)
    finally:
        if paused:
            gc.enable()


def _listen(source: str | Path | Audio, block_s: float) -> SoundReport:
    """:func:`listen`'s work, with the garbage collector paused."""
    from crepitus.acoustics.classification import SoundClassifier
    from crepitus.acoustics.detection import CandidateDetector, array_blocks
    from crepitus.acoustics.io import MIN_DURATION_S, Audio, input_warnings, open_audio
    from crepitus.errors import InvalidInputError

    det = CandidateDetector(block_s=block_s)
    warnings: list[str] = []
    if isinstance(source, Audio):
        name = Path(source.path).name if source.path else "<audio>"
        fs = int(source.sampling_rate_hz)
        if len(source.samples) == 0:
            raise InvalidInputError("the recording contains no samples; record again")
        import numpy as np

        if not np.all(np.isfinite(source.samples)):
            raise InvalidInputError(
                "the recording contains NaN or infinite samples; export it again"
            )
        det.detect(
            array_blocks(
                source.samples, sampling_rate_hz=fs, block_s=block_s, overlap_s=det.overlap_s
            ),
            sampling_rate_hz=fs,
        )
        warnings += list(source.warnings)
        duration = source.duration_s
    else:
        src = open_audio(source)
        name = src.path.name
        fs = src.sampling_rate_hz
        blocks = src.blocks(
            block_frames=round(block_s * fs), overlap_frames=round(det.overlap_s * fs)
        )
        det.detect(blocks, sampling_rate_hz=fs)
        if src.stats.n_samples == 0:
            raise InvalidInputError(f"{name} contains no audio samples; record again")
        warnings += input_warnings(src)
        duration = src.stats.n_samples / fs
    if duration < MIN_DURATION_S:
        raise InvalidInputError(
            f"{name} is only {duration:.2f} s long (at least {MIN_DURATION_S:g} s is needed); "
            "record 30–60 s of walking"
        )
    if duration < 10.0:
        warnings.append(
            f"short recording ({duration:.1f} s): rhythm needs several strides — record 30–60 s"
        )
    clf = SoundClassifier().classify(det.candidates_, (det.trace_t_s_, det.trace_db_))
    if clf.step_period_s_ is None and duration >= 10.0:
        warnings.append(
            "no walking rhythm found: snaps and grinding cannot be told apart from one-off sounds"
        )
    return SoundReport(name, fs, duration, clf.events_, warnings, clf.step_period_s_)


def load_audio(path: str | Path) -> Audio:
    """Read a whole recording (mono float32); see :func:`crepitus.acoustics.io.load_audio`."""
    from crepitus.acoustics.io import load_audio as _load

    return _load(path)
