"""The one in-memory shape of a motion recording, and the clean-up every reader shares.

Every reader in :mod:`crepitus.motion.io` ends in :func:`make_recording`, which
turns raw, possibly messy sensor streams (uneven sampling, duplicated or
unsorted timestamps, gaps, g instead of m/s², deg/s instead of rad/s — all
seen in phone exports, research/gait.md §4) into a :class:`MotionRecording` on
a uniform time grid.  Downstream algorithms can then assume one sampling rate
and SI units.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from crepitus.errors import InvalidInputError

STANDARD_GRAVITY_MPS2 = 9.80665
"""Conventional standard gravity (CGPM 1901), used for g → m/s²."""

MAX_RATE_HZ = 100.0
"""Recordings are resampled to at most 100 Hz: the anchors (mobgap, GaitPy) work at
100/50 Hz (research/gait.md §1) and gait events carry no content above ~20 Hz, so a
500 Hz Android gyroscope (gait.md §4) only costs memory."""

MIN_RATE_HZ = 15.0
"""Below ~15 Hz heel-strike timing cannot be resolved to the ±100 ms we evaluate at."""

MAX_MS_RATE_HZ = 500.0
"""Fastest phone sensor rate (a 500 Hz Android gyroscope, gait.md §4), for telling a ms time
column apart: samples 2–66 units apart are 15–500 Hz in ms but 0.015–0.5 Hz in seconds; a
1-unit step (1 Hz, or 1 kHz in ms) is left to the ordinary rate check."""

MAX_DURATION_S = 3 * 3600.0
"""As for audio (:data:`crepitus.acoustics.io.MAX_DURATION_S`): a walk test needs 30–60 s,
and the gait analysis holds ~12 bytes of working memory per byte of CSV (review 3, P2-6:
10 h took 3 GB) — refuse more than 3 h instead of running a laptop out of memory."""

GAP_S = 0.25
"""A hole longer than this between samples is reported as a gap (not walking there)."""


@dataclass(frozen=True)
class MotionRecording:
    """Accelerometer (+ optional gyroscope) samples on a uniform time grid.

    Attributes
    ----------
    time_s
        Sample times in seconds from the first sample, shape ``(n,)``, uniform.
    acc_mps2
        Acceleration *including gravity* (specific force, +g along "up" at rest,
        the Android / contracts §4 convention) in the device frame, shape ``(n, 3)``.
    gyr_rps
        Angular rate in rad/s in the device frame, shape ``(n, 3)``, or ``None``.
    sampling_rate_hz
        Rate of the uniform grid.
    gaps_s
        ``(start_s, end_s)`` of holes in the original data (filled by linear
        interpolation; gait detection ignores them).
    source
        What the file was recognised as (``"generic-csv"``, ``"phyphox"``...).
    warnings
        Things that were detected and repaired (units, sorting, duplicates...).
    start_unix_s
        Wall-clock time of ``time_s == 0`` when the format carries it.
    """

    time_s: NDArray[np.float64]
    acc_mps2: NDArray[np.float64]
    gyr_rps: NDArray[np.float64] | None
    sampling_rate_hz: float
    gaps_s: tuple[tuple[float, float], ...] = ()
    source: str = "array"
    warnings: tuple[str, ...] = field(default=())
    start_unix_s: float | None = None

    @property
    def duration_s(self) -> float:
        return float(len(self.time_s) / self.sampling_rate_hz)

    def gap_mask(self) -> NDArray[np.bool_]:
        """``True`` for samples that fall inside a gap (interpolated, not measured)."""
        mask = np.zeros(len(self.time_s), dtype=bool)
        for start_s, end_s in self.gaps_s:
            mask[(self.time_s > start_s) & (self.time_s < end_s)] = True
        return mask


def make_recording(
    *,
    acc_time_s: NDArray[np.float64],
    acc: NDArray[np.float64],
    gyr_time_s: NDArray[np.float64] | None = None,
    gyr: NDArray[np.float64] | None = None,
    acc_unit: str | None = None,
    gyr_unit: str | None = None,
    source: str = "array",
    start_unix_s: float | None = None,
    warnings: list[str] | None = None,
) -> MotionRecording:
    """Validate, clean, unit-convert and resample raw sensor streams.

    Parameters
    ----------
    acc_time_s, acc
        Accelerometer timestamps (s, any origin) and samples ``(n, 3)``.
    gyr_time_s, gyr
        Gyroscope timestamps and samples, or ``None``.
    acc_unit
        ``"m/s^2"``, ``"g"`` or ``None`` to detect from the magnitude (median
        |a| ≈ 1 → g, ≈ 9.8 → m/s²).
    gyr_unit
        ``"rad/s"``, ``"deg/s"`` or ``None`` to detect (a body segment never
        turns at > 20 rad/s, so a 99th percentile above 20 means deg/s).
    source, start_unix_s, warnings
        Carried into the result.

    Raises
    ------
    InvalidInputError
        Too few samples, non-finite values, a rate below 15 Hz, more than 3 h,
        or acceleration that lacks gravity.
    """
    notes = list(warnings or [])
    t_acc, a = _clean_stream(
        np.asarray(acc_time_s, float), np.asarray(acc, float), "acceleration", notes
    )
    a = a * _acc_scale(a, acc_unit, notes)
    step = float(np.median(np.diff(t_acc)))
    native_hz = 1.0 / step
    if MIN_RATE_HZ <= 1000.0 / step <= MAX_MS_RATE_HZ:
        # Samples a second or more apart are no phone export; as milliseconds they are a
        # common rate — a time column in ms (a spreadsheet, a custom logger) under time_s.
        raise InvalidInputError(
            f"the time column looks like milliseconds (samples are {step:g} apart, "
            f"{1000.0 / step:.0f} Hz in ms); crepitus expects seconds — divide it by 1000"
        )
    span_s = float(t_acc[-1] - t_acc[0])
    if span_s > MAX_DURATION_S:
        raise InvalidInputError(
            f"the motion recording is {span_s / 3600:.1f} h long; crepitus analyses at most "
            f"{MAX_DURATION_S / 3600:.0f} h — trim it to the walk (30–60 s is enough)"
        )
    if native_hz < MIN_RATE_HZ:
        raise InvalidInputError(
            f"acceleration is sampled at {native_hz:.1f} Hz; "
            f"at least {MIN_RATE_HZ:.0f} Hz is needed "
            "— record at a higher rate"
        )
    rate_hz = float(min(MAX_RATE_HZ, round(native_hz)))
    n = int(np.floor(span_s * rate_hz)) + 1
    grid = t_acc[0] + np.arange(n) / rate_hz
    acc_u = _interp(grid, t_acc, a)
    gaps = _find_gaps(t_acc)

    gyr_u: NDArray[np.float64] | None = None
    if gyr is not None and gyr_time_s is not None and len(gyr_time_s) > 0:
        t_g, g = _clean_stream(
            np.asarray(gyr_time_s, float), np.asarray(gyr, float), "gyroscope", notes
        )
        g = g * _gyr_scale(g, gyr_unit, notes)
        overlap = min(t_g[-1], grid[-1]) - max(t_g[0], grid[0])
        if overlap < 0.5 * span_s:
            notes.append("gyroscope does not cover the accelerometer recording; it was ignored")
        else:
            gyr_u = _interp(grid, t_g, g)
            gaps = gaps + _find_gaps(t_g)
    origin = float(t_acc[0])
    notes += _gap_notes(sorted(set(gaps)), origin)
    return MotionRecording(
        time_s=grid - origin,
        acc_mps2=acc_u,
        gyr_rps=gyr_u,
        sampling_rate_hz=rate_hz,
        gaps_s=tuple((s - origin, e - origin) for s, e in sorted(gaps)),
        source=source,
        warnings=tuple(notes),
        start_unix_s=None if start_unix_s is None else start_unix_s + 0.0,
    )


def _clean_stream(
    t: NDArray[np.float64], x: NDArray[np.float64], what: str, notes: list[str]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Sort, de-duplicate and sanity-check one timestamped stream."""
    if x.ndim != 2 or x.shape[1] != 3 or len(t) != len(x):
        raise InvalidInputError(f"{what} needs three columns (x, y, z) and one time per row")
    if len(t) < 10:
        raise InvalidInputError(f"{what} has only {len(t)} samples; record at least a few seconds")
    finite = np.isfinite(t) & np.isfinite(x).all(axis=1)
    if not finite.all():
        dropped = int((~finite).sum())
        if dropped > 0.05 * len(t):
            raise InvalidInputError(
                f"{what}: {dropped} of {len(t)} rows are empty or not numbers — check the file"
            )
        notes.append(f"{what}: dropped {dropped} rows with missing values")
        t, x = t[finite], x[finite]
    if np.any(np.diff(t) < 0):
        order = np.argsort(t, kind="stable")
        t, x = t[order], x[order]
        notes.append(f"{what}: timestamps were out of order and have been sorted")
    keep = np.concatenate([[True], np.diff(t) > 0])
    if not keep.all():
        notes.append(f"{what}: dropped {int((~keep).sum())} samples with duplicated timestamps")
        t, x = t[keep], x[keep]
    if len(t) < 10 or t[-1] - t[0] <= 0:
        raise InvalidInputError(f"{what} timestamps do not advance; check the time column")
    return t, x


#: Samples per window when looking for gravity: ~1–5 s at 50–200 Hz, longer than a stride,
#: so the walking accelerations average out and the constant part (gravity) remains.
GRAVITY_WINDOW = 256


def _gravity_magnitude(a: NDArray[np.float64]) -> float:
    """Median length of the window-mean acceleration: gravity, in the file's unit.

    The magnitude of each sample cannot tell "in g" from "without gravity": walking
    accelerations without gravity are ~1–3 m/s², i.e. |a| ≈ 1 like a file in g (review 3,
    P2-5).  Averaged over a few seconds, walking accelerations cancel and gravity does not.
    """
    n = min(GRAVITY_WINDOW, len(a))
    k = len(a) // n
    means = a[: k * n].reshape(k, n, 3).mean(axis=1)
    return float(np.median(np.linalg.norm(means, axis=1)))


def _acc_scale(a: NDArray[np.float64], unit: str | None, notes: list[str]) -> float:
    gravity = _gravity_magnitude(a)
    med = float(np.median(np.linalg.norm(a, axis=1)))
    if gravity < 0.5 * med or (unit is None and gravity < 0.5):
        raise InvalidInputError(
            "the acceleration has no constant part (gravity) — this looks like 'linear "
            "acceleration' without g; export acceleration *with* g (phyphox 'Acceleration "
            "with g', Sensor Logger + Gravity)"
        )
    if unit == "g":
        return STANDARD_GRAVITY_MPS2
    if unit is None and 0.5 < gravity < 2.0:
        notes.append("acceleration looks like it is in g (gravity ≈ 1); converted to m/s²")
        return STANDARD_GRAVITY_MPS2
    if gravity < 5.0:
        raise InvalidInputError(
            f"gravity in the acceleration is {gravity:.2f} m/s², far from 9.81: is the unit "
            "wrong? Export acceleration *with* g, in m/s² or in g"
        )
    return 1.0


def _gyr_scale(g: NDArray[np.float64], unit: str | None, notes: list[str]) -> float:
    if unit == "deg/s":
        return float(np.pi / 180.0)
    if unit == "rad/s":
        return 1.0
    p99 = float(np.percentile(np.linalg.norm(g, axis=1), 99))
    if p99 > 20.0:
        notes.append("angular rate looks like it is in deg/s; converted to rad/s")
        return float(np.pi / 180.0)
    return 1.0


def _interp(
    grid: NDArray[np.float64], t: NDArray[np.float64], x: NDArray[np.float64]
) -> NDArray[np.float64]:
    out = np.empty((len(grid), x.shape[1]), dtype=np.float64)
    for k in range(x.shape[1]):
        out[:, k] = np.interp(grid, t, x[:, k])
    return out


def _gap_notes(gaps: list[tuple[float, float]], origin: float) -> list[str]:
    """Say where data is missing: a hole is not a stop, and the plot draws a line across it."""
    if not gaps:
        return []
    why = "the app paused or dropped samples; walking on either side is analysed separately"
    if len(gaps) <= 3:
        return [
            f"no data for {e - s:.1f} s ({s - origin:.1f}–{e - origin:.1f} s): {why}"
            for s, e in gaps
        ]
    total = sum(e - s for s, e in gaps)
    s, e = max(gaps, key=lambda g: g[1] - g[0])
    return [
        f"{len(gaps)} gaps in the data ({total:.1f} s in all, the longest {e - s:.1f} s at "
        f"{s - origin:.1f} s): {why}"
    ]


def _find_gaps(t: NDArray[np.float64]) -> tuple[tuple[float, float], ...]:
    dt = np.diff(t)
    idx = np.flatnonzero(dt > GAP_S)
    return tuple((float(t[i]), float(t[i + 1])) for i in idx)
