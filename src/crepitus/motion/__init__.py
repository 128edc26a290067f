"""Motion: read phone sensor files, find walking, heel strikes with sides, cadence and pelvic tilt.

Small API::

    from crepitus.motion import read_motion, walk
    rec = read_motion("walk.csv")          # MotionRecording (uniform grid, SI units)
    report = walk(rec)                     # GaitReport
    report.to_json()                       # crepitus.gait/1 (contracts §4)

The report keeps what sound–motion fusion needs: contact times with sides
(``initial_contacts_s``, ``sides``), bouts, and the per-sample time base
(``recording.time_s``).  The pipeline is documented in :func:`walk`; each stage is an
object in :mod:`~crepitus.motion.gait`, :mod:`~crepitus.motion.frames` and
:mod:`~crepitus.motion.tilt`; filters and peak picking come from :mod:`crepitus.dsp`
(pure numpy: no ``scipy.signal`` import on the analysis path).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from crepitus.motion.frames import BodyFrame, estimate_body_frame
from crepitus.motion.gait import (
    Bout,
    InitialContactDetector,
    SideClassifier,
    WalkingBoutDetector,
    estimate_step_hz,
    step_regularity,
    stride_cadences_spm,
)
from crepitus.motion.io import read_motion
from crepitus.motion.recording import MotionRecording
from crepitus.motion.tilt import ACCURACY_NOTE, PelvicTiltEstimator

__all__ = ["GaitReport", "MotionRecording", "read_motion", "walk"]

SCHEMA = "crepitus.gait/1"

NO_WALKING = "no walking found: walk for at least 10 steps with the phone on your lower back"
"""The warning of a recording without walking (``walk`` and ``assess --motion`` say it)."""


@dataclass
class GaitReport:
    """Everything :func:`walk` found; :meth:`to_json` is ``crepitus.gait/1``."""

    recording: MotionRecording
    bouts: list[Bout]
    initial_contacts_s: NDArray[np.float64]
    sides: list[str | None]
    cadence_spm: float | None
    step_time_cv: float | None
    step_regularity: float | None
    stride_regularity: float | None
    step_time_asymmetry: float | None
    frame: BodyFrame | None
    tilt: PelvicTiltEstimator | None
    warnings: list[str] = field(default_factory=list)

    @property
    def sampling_rate_hz(self) -> float:
        return self.recording.sampling_rate_hz

    def to_json(self) -> dict[str, Any]:
        """The ``crepitus.gait/1`` document (contracts §4) with optional extra fields."""

        def r(x: float | None, nd: int = 3) -> float | None:
            return None if x is None or not np.isfinite(x) else round(float(x), nd)

        tilt = self.tilt
        doc: dict[str, Any] = {
            "schema": SCHEMA,
            "sample_rate": float(self.recording.sampling_rate_hz),
            "duration_s": r(self.recording.duration_s, 2),
            "initial_contacts": [
                {"t_s": round(float(t), 3), "side": s}
                for t, s in zip(self.initial_contacts_s, self.sides, strict=True)
            ],
            "cadence_spm": r(self.cadence_spm, 1),
            "pelvic_tilt_deg": {
                "standing": None if tilt is None else r(tilt.standing_deg_, 1),
                "walking_mean": None if tilt is None else r(tilt.walking_mean_deg_, 1),
                "walking_range": None if tilt is None else r(tilt.walking_range_deg_, 1),
                "reference": "relative_to_standing"
                if tilt is None or tilt.standing_tilt_deg is None
                else "absolute_given_standing",
                "note": ACCURACY_NOTE,
            },
            "bouts": [{"start_s": r(b.start_s, 2), "end_s": r(b.end_s, 2)} for b in self.bouts],
            "step_time_cv": r(self.step_time_cv, 4),
            "step_regularity": r(self.step_regularity, 3),
            "stride_regularity": r(self.stride_regularity, 3),
            "step_time_asymmetry": r(self.step_time_asymmetry, 4),
            "source": self.recording.source,
            "warnings": list(self.warnings),
        }
        return doc


def walk(
    source: str | Path | MotionRecording,
    *,
    standing_tilt_deg: float | None = None,
    bout_detector: WalkingBoutDetector | None = None,
    ic_detector: InitialContactDetector | None = None,
    side_classifier: SideClassifier | None = None,
) -> GaitReport:
    """Analyse one motion recording.

    Pipeline: read → walking bouts (acceleration magnitude, orientation-free) → step
    frequency → body frame from the walking data (any phone orientation) → per bout:
    initial contacts (weak secondary peaks dropped, implausibly short steps pruned) and
    sides (alternation as a hidden Markov chain) → cadence (mean of 120 / stride time over
    every bout's strides, the reference's definition; :func:`.gait.stride_cadences_spm`),
    step-time CV (steps up to 1.6 × the median), step/stride regularity (Moe-Nilssen &
    Helbostad 2004), step-time asymmetry (|left − right| / mean) → pelvic tilt relative to
    standing.

    A recording without walking is not an error: the report says "no walking found"
    in ``warnings`` and its gait fields are ``None`` (contracts §4).
    """
    rec = source if isinstance(source, MotionRecording) else read_motion(source)
    fs = rec.sampling_rate_hz
    warnings = list(rec.warnings)
    bd = (bout_detector or WalkingBoutDetector()).detect(
        rec.acc_mps2, sampling_rate_hz=fs, exclude=rec.gap_mask() if rec.gaps_s else None
    )
    bouts = bd.bouts_
    empty = np.zeros(0)
    if not bouts:
        warnings.append(NO_WALKING)
        tilt = None
        return GaitReport(rec, [], empty, [], None, None, None, None, None, None, tilt, warnings)
    mag = np.linalg.norm(rec.acc_mps2, axis=1)
    f_steps = [
        f
        for b in bouts
        if (f := estimate_step_hz(mag[b.start : b.end], sampling_rate_hz=fs)) is not None
    ]
    step_hz = float(np.median(f_steps)) if f_steps else 1.8
    frame = estimate_body_frame(
        rec.acc_mps2, sampling_rate_hz=fs, step_hz=step_hz, walking=bd.walking_, gyr_rps=rec.gyr_rps
    )
    if frame.forward_confidence < 0.3:
        warnings.append(
            "walking direction is uncertain (phone moving loosely?); left/right may be swapped"
        )
    if frame.flipped_sign:
        warnings.append("the accelerometer reports −g (iOS convention); its sign was corrected")
    body = frame.apply(rec.acc_mps2)
    bgyr = None if rec.gyr_rps is None else frame.apply_gyr(rec.gyr_rps)
    icd = ic_detector or InitialContactDetector()
    lrc = side_classifier or SideClassifier()
    all_ic: list[float] = []
    all_sides: list[str | None] = []
    step_times: list[float] = []
    stride_cadences: list[float] = []
    left_steps: list[float] = []
    right_steps: list[float] = []
    regs: list[tuple[float, float, int]] = []
    for b in bouts:
        seg = body[b.start : b.end]
        icd.detect(seg, sampling_rate_hz=fs)
        gseg = None if bgyr is None else bgyr[b.start : b.end]
        lrc.classify(seg, ic=icd.ic_, sampling_rate_hz=fs, body_gyr_rps=gseg, step_hz=icd.step_hz_)
        ic_s = icd.ic_s_ + b.start / fs
        all_ic += ic_s.tolist()
        all_sides += lrc.sides_
        stride_cadences += stride_cadences_spm(ic_s).tolist()
        if len(ic_s) >= 2:
            d = np.diff(ic_s)
            ok = d <= 1.6 * np.median(d)
            step_times += d[ok].tolist()
            for k in np.flatnonzero(ok):
                # A step is named after the contact that ends it.
                (left_steps if lrc.sides_[k + 1] == "left" else right_steps).append(float(d[k]))
        if b.end - b.start > 4 * fs:
            r1, r2 = step_regularity(seg[:, 0], sampling_rate_hz=fs, step_hz=icd.step_hz_)
            regs.append((r1, r2, b.end - b.start))
    ic_arr = np.asarray(all_ic)
    cadence = float(np.mean(stride_cadences)) if stride_cadences else None
    cv = float(np.std(step_times) / np.mean(step_times)) if len(step_times) >= 5 else None
    asym = None
    if len(left_steps) >= 3 and len(right_steps) >= 3:
        ml, mr = float(np.mean(left_steps)), float(np.mean(right_steps))
        asym = abs(ml - mr) / (0.5 * (ml + mr))
    sreg = streg = None
    if regs:
        w = np.array([x[2] for x in regs], float)
        sreg = float(np.nansum([x[0] for x in regs] * w) / w.sum())
        streg = float(np.nansum([x[1] for x in regs] * w) / w.sum())
    if len(ic_arr) < 4:
        warnings.append("fewer than 4 steps detected; gait figures are unreliable")
    tilt = PelvicTiltEstimator(standing_tilt_deg=standing_tilt_deg).estimate(
        rec.acc_mps2,
        sampling_rate_hz=fs,
        frame=frame,
        bouts=bouts,
        ic_s=ic_arr,
        sides=all_sides,
        gyr_rps=rec.gyr_rps,
    )
    warnings += tilt.warnings_
    return GaitReport(
        recording=rec,
        bouts=bouts,
        initial_contacts_s=ic_arr,
        sides=all_sides,
        cadence_spm=cadence,
        step_time_cv=cv,
        step_regularity=sreg,
        stride_regularity=streg,
        step_time_asymmetry=asym,
        frame=frame,
        tilt=tilt,
        warnings=warnings,
    )
