"""Sagittal pelvic tilt from a phone at the lower back, relative to quiet standing.

Why relative: a sensor cannot see the ASIS–PSIS line, and anatomy alone spreads that
angle by ±5° (Preece et al. 2008, 13 ± 5°), so tilt is reported as the change from a
standing calibration segment (research/gait.md §3, consequence 1).  ``standing`` is 0 by
definition unless the user gives a measured standing value (e.g. inclinometer), which
is then added to every number.

How:

* the tilt angle is the sagittal inclination of the gravity direction in the body
  frame (``θ = atan2(−a_forward, a_up)``, anterior positive);
* **standing** — mean gravity direction over the longest still segment (≥ 3 s,
  |a| and angular-rate fluctuations tiny); static inclination from gravity is accurate
  to about 1° (gait.md §3);
* **walking mean** — the mean acceleration over whole bouts: trunk accelerations
  average out over complete strides (velocity is periodic), so the mean points along
  gravity without any filter lag;
* **within-stride course and range** — a zero-phase complementary filter: the
  accelerometer angle low-passed at 0.3 Hz plus the integrated pitch rate high-passed
  at 0.3 Hz (gait.md §3 consequence 2; Bolink 2016 found IMU tilt RMSE 2.7–8.9° vs
  optical capture, lowest during gait).  Needs a gyroscope; without one the range and
  curve are ``None`` with a warning.

Honest accuracy: the healthy excursion (2–4° per stride, Crosbie 1997) is of the
same size as the published IMU error, so only the bout mean relative to standing is
robust; a back-pocket phone sits on gluteal soft tissue and is unvalidated.
Deviation: Bolink/Buganè used a sensor strapped over the sacrum and a calibrated
anatomical frame; we use an arbitrarily held phone and a walking-derived frame.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from crepitus.dsp import zero_phase_filter
from crepitus.motion.frames import BodyFrame
from crepitus.motion.gait import Bout

NORMAL_RANGES = {
    "standing_asis_psis_deg": (0.0, 23.0),
    "walking_excursion_deg": (2.0, 4.0),
}
"""Literature ranges (research/gait.md §3): ASIS–PSIS standing angle 0–23° (Preece 2008,
mean 13 ± 5°), sagittal excursion per stride 2–4° in healthy adults at normal speed."""

ACCURACY_NOTE = (
    "tilt is relative to your standing posture; IMU pelvic tilt differs from optical "
    "motion capture by 2.7–8.9° RMSE (Bolink 2016), so changes under ~3° are within error"
)


class PelvicTiltEstimator:
    """Estimate standing-referenced pelvic tilt; one verb: :meth:`estimate`.

    Parameters
    ----------
    min_standing_s
        Shortest still segment accepted as a standing calibration (gait.md §3: 5–10 s
        recommended; 3 s accepted).
    cutoff_hz
        Crossover of the complementary filter.
    standing_tilt_deg
        Optional measured absolute standing tilt added to all outputs; without it
        ``standing_deg_`` is ``None`` and the walking values are relative to standing.
    """

    def __init__(
        self,
        *,
        min_standing_s: float = 3.0,
        cutoff_hz: float = 0.3,
        standing_tilt_deg: float | None = None,
    ) -> None:
        self.min_standing_s = min_standing_s
        self.cutoff_hz = cutoff_hz
        self.standing_tilt_deg = standing_tilt_deg

    def estimate(
        self,
        acc_mps2: NDArray[np.float64],
        *,
        sampling_rate_hz: float,
        frame: BodyFrame,
        bouts: Sequence[Bout],
        ic_s: NDArray[np.float64],
        sides: Sequence[str | None],
        gyr_rps: NDArray[np.float64] | None = None,
    ) -> PelvicTiltEstimator:
        """Results: ``standing_deg_``, ``walking_mean_deg_``, ``walking_range_deg_``,
        ``curve_deg_`` (101 points over a left stride), ``standing_segment_s_``, ``warnings_``."""
        fs = sampling_rate_hz
        self.warnings_: list[str] = []
        body = frame.apply(acc_mps2)
        offset = self.standing_tilt_deg or 0.0
        seg = find_still_segment(
            acc_mps2, gyr_rps, sampling_rate_hz=fs, bouts=bouts, min_len_s=self.min_standing_s
        )
        self.standing_segment_s_ = None if seg is None else (seg[0] / fs, seg[1] / fs)
        theta_stand = None
        if seg is not None:
            theta_stand = sagittal_angle_deg(body[seg[0] : seg[1]].mean(axis=0))
        else:
            self.warnings_.append(
                "pelvic tilt: no still standing segment of ≥ "
                f"{self.min_standing_s:.0f} s found; stand still for 5–10 s before walking"
            )
        # A phone cannot know the pelvis' absolute tilt (its mounting angle is unknown):
        # standing is only a number when the person gives it (contracts §4: null + reason).
        self.standing_deg_ = (
            None if theta_stand is None or self.standing_tilt_deg is None else offset
        )
        if theta_stand is not None and self.standing_tilt_deg is None:
            self.warnings_.append(
                "pelvic tilt: a phone cannot measure the absolute standing tilt, so 'standing' "
                "is null and the walking values are relative to your standing posture (0°); "
                "give --standing-tilt-deg (measured by a clinician) to anchor them"
            )
        self.walking_mean_deg_: float | None = None
        self.walking_range_deg_: float | None = None
        self.curve_deg_: NDArray[np.float64] | None = None
        if not bouts:
            return self
        weights = np.array([b.end - b.start for b in bouts], float)
        means = np.array([sagittal_angle_deg(body[b.start : b.end].mean(axis=0)) for b in bouts])
        walk_mean = float(np.sum(means * weights) / weights.sum())
        if theta_stand is not None:
            self.walking_mean_deg_ = offset + walk_mean - theta_stand
        if gyr_rps is None:
            self.warnings_.append(
                "pelvic tilt range: needs a gyroscope; record with the gyroscope on"
            )
            return self
        gb = frame.apply_gyr(gyr_rps)
        ranges: list[float] = []
        curves: list[NDArray[np.float64]] = []
        ref = theta_stand if theta_stand is not None else walk_mean
        left = np.asarray([s == "left" for s in sides])
        for b in bouts:
            th = complementary_tilt_deg(
                body[b.start : b.end],
                gb[b.start : b.end, 2],
                sampling_rate_hz=fs,
                cutoff_hz=self.cutoff_hz,
            )
            in_b = (ic_s >= b.start_s) & (ic_s < b.end_s) & left
            lic = ic_s[in_b]
            for t0, t1 in itertools.pairwise(lic):
                i0, i1 = round(t0 * fs) - b.start, round(t1 * fs) - b.start
                if i1 - i0 < 5 or i0 < 0 or i1 > len(th) or (t1 - t0) > 2.5:
                    continue
                s = th[i0:i1]
                ranges.append(float(s.max() - s.min()))
                x = np.linspace(0.0, 1.0, len(s))
                curves.append(np.interp(np.linspace(0.0, 1.0, 101), x, s) - ref + offset)
        if ranges:
            self.walking_range_deg_ = float(np.median(ranges))
            self.curve_deg_ = np.mean(np.vstack(curves), axis=0)
        return self


def sagittal_angle_deg(body_acc: NDArray[np.float64]) -> float:
    """Anterior tilt (deg) of gravity in the body frame: ``atan2(−a_forward, a_up)``."""
    return float(np.degrees(np.arctan2(-body_acc[..., 1], body_acc[..., 0])))


def complementary_tilt_deg(
    body_acc: NDArray[np.float64],
    pitch_rate_rps: NDArray[np.float64],
    *,
    sampling_rate_hz: float,
    cutoff_hz: float,
) -> NDArray[np.float64]:
    """Zero-phase complementary filter of accelerometer angle and integrated pitch rate."""
    fs = sampling_rate_hz
    th_acc = np.degrees(np.arctan2(-body_acc[:, 1], body_acc[:, 0]))
    th_gyr = np.degrees(np.cumsum(pitch_rate_rps) / fs)
    pad = int(2 * fs)
    low = zero_phase_filter(
        th_acc, kind="lowpass", cutoff_hz=cutoff_hz, sampling_rate_hz=fs, padlen=pad
    )
    high = zero_phase_filter(
        th_gyr, kind="highpass", cutoff_hz=cutoff_hz, sampling_rate_hz=fs, padlen=pad
    )
    return low + high


def find_still_segment(
    acc_mps2: NDArray[np.float64],
    gyr_rps: NDArray[np.float64] | None,
    *,
    sampling_rate_hz: float,
    bouts: Sequence[Bout],
    min_len_s: float,
    max_acc_sd_mps2: float = 0.15,
    max_gyr_rps: float = 0.15,
) -> tuple[int, int] | None:
    """The still run (1-s windows) nearest before the first bout, else the longest one.

    Thresholds: quiet stance sways by a few hundredths of g, far below 0.15 m/s²;
    walking exceeds 1 m/s² (gait.md §3 "trunk accelerations of ±2–5 m/s²").
    """
    fs = sampling_rate_hz
    w = max(1, int(fs))
    n = len(acc_mps2) // w
    if n == 0:
        return None
    mag = np.linalg.norm(acc_mps2[: n * w], axis=1).reshape(n, w)
    still = mag.std(axis=1) < max_acc_sd_mps2
    if gyr_rps is not None:
        g = np.linalg.norm(gyr_rps[: n * w], axis=1).reshape(n, w)
        still &= g.mean(axis=1) < max_gyr_rps
    for b in bouts:
        still[max(0, b.start // w) : min(n, b.end // w + 1)] = False
    d = np.diff(np.concatenate([[0], still.astype(np.int8), [0]]))
    runs = [
        (int(s), int(e))
        for s, e in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True)
    ]
    runs = [r for r in runs if (r[1] - r[0]) >= min_len_s]
    if not runs:
        return None
    first = bouts[0].start // w if bouts else n
    before = [r for r in runs if r[1] <= first]
    s, e = before[-1] if before else max(runs, key=lambda r: r[1] - r[0])
    # Drop the window next to the walking (stepping off) on both ends.
    return (s * w, e * w)
