"""Pure DSP functions: decimation, band filters, envelopes, floors, peaks, step period.

Nothing here keeps state or reads files; :mod:`crepitus.acoustics.detection`
strings these together block by block.

Band choices (acoustics.md):

* **mid band 150–1800 Hz** carries pops (f1 150–2000 Hz, Reggars 1996 median
  215 Hz), snap partials (300–1500 Hz) and crepitus micro-clicks (200–3000 Hz),
  §3.2.  It stops below 2 kHz because the envelope is computed at a ~4 kHz
  decimated rate (boxcar means of ``fs // 4000`` samples), which keeps the cost
  per input sample to one multiply-add (deviation: a boxcar is a poor
  anti-alias filter; content above 4 kHz leaks in at −13 dB or less, which only
  raises the floor a little).
* **low band 15–150 Hz** carries heel-strike thuds (10–150 Hz, §3.3) and snap
  fundamentals (40–300 Hz, §3.2), computed at ~1 kHz.
* **high share > 2.5 kHz**, from the full-rate energy minus the decimated
  energy: finger/nail taps, keys, rustle (§3.3) live there, joint sounds mostly
  do not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from crepitus.dsp import fft_size, response_rfft

FloatArray = NDArray[np.float64]


def decimate_mean(x: NDArray[Any], *, factor: int) -> FloatArray:
    """Boxcar-mean decimation (one BLAS matvec); the tail that does not fill a frame is dropped."""
    m = len(x) // factor
    if m == 0:
        return np.zeros(0)
    if factor == 1:
        return np.asarray(x[:m], dtype=np.float64)
    frames = np.asarray(x[: m * factor]).reshape(m, factor)
    return np.asarray(frames @ np.full(factor, 1.0 / factor, dtype=frames.dtype), dtype=np.float64)


def frame_energy(x: NDArray[Any], *, factor: int) -> FloatArray:
    """Mean square per frame of ``factor`` samples (einsum: no temporary array)."""
    m = len(x) // factor
    if m == 0:
        return np.zeros(0)
    frames = np.asarray(x[: m * factor]).reshape(m, factor)
    return np.asarray(np.einsum("ij,ij->i", frames, frames), dtype=np.float64) / factor


def bandpass(
    x: NDArray[Any],
    *,
    bands_hz: Sequence[tuple[float, float]],
    sampling_rate_hz: float,
    tail_s: float = 1.0,
) -> list[FloatArray]:
    """Causal Butterworth band-passes of ``x`` (zero initial state) by FFT multiplication.

    The exact response of ``scipy.signal.butter(2, [lo, hi], "bandpass")``
    (:func:`crepitus.dsp.butterworth_response`; ``hi`` capped at 0.45 fs) without
    importing ``scipy.signal`` (2 s of import time, a third of the run time on a
    60-min file).

    The signal is zero-padded by ``tail_s`` so the (fast-decaying) impulse
    response does not wrap around; the result equals recursive filtering to
    rounding error.  One forward real FFT is shared by all ``bands_hz``, plus
    one inverse per band.
    """
    n = len(x)
    if n == 0:
        return [np.zeros(0) for _ in bands_hz]
    fs = float(sampling_rate_hz)
    nfft = fft_size(n + max(16, round(tail_s * fs)))
    spec = np.fft.rfft(np.asarray(x, dtype=np.float64), nfft)
    out = []
    for lo, hi in bands_hz:
        h = response_rfft(nfft, "bandpass", (lo, min(hi, 0.45 * fs)), fs, 2)
        out.append(np.asarray(np.fft.irfft(spec * h, nfft)[:n], dtype=np.float64))
    return out


def window_max(x: FloatArray, at: NDArray[np.intp], *, width: int) -> FloatArray:
    """Maximum of ``x`` over the centred ``width``-sample window around each index in ``at``."""
    if len(at) == 0:
        return np.zeros(0)
    half = width // 2
    pad = np.concatenate([np.full(half, -np.inf), x, np.full(half, -np.inf)])
    win = np.lib.stride_tricks.sliding_window_view(pad, width)
    return np.asarray(win[np.asarray(at)].max(axis=1), dtype=np.float64)


def smooth(x: FloatArray, *, width: int) -> FloatArray:
    """Centred moving average over ``width`` samples (cumulative-sum, O(n))."""
    if width <= 1 or len(x) == 0:
        return x
    c = np.concatenate([[0.0], np.cumsum(x)])
    half = width // 2
    idx = np.arange(len(x))
    lo = np.clip(idx - half, 0, len(x))
    hi = np.clip(idx - half + width, 0, len(x))
    return np.asarray((c[hi] - c[lo]) / np.maximum(hi - lo, 1), dtype=np.float64)


def running_floor(e: FloatArray, *, chunk: int, q: float = 20.0) -> FloatArray:
    """A slowly varying noise floor: the ``q``-th percentile of ``e`` per chunk, interpolated.

    Percentiles per non-overlapping chunk cost O(n) and ignore transients that
    fill less than ``100 - q`` % of a chunk (a footstep every 0.5 s fills ~10 %
    of a 0.5 s chunk).
    """
    n = len(e)
    if n == 0:
        return e
    m = max(1, n // chunk)
    if m == 1:
        return np.full(n, max(float(np.percentile(e, q)), 1e-20))
    core = e[: m * chunk].reshape(m, chunk)
    k = min(chunk - 1, round(q / 100.0 * (chunk - 1)))
    per = np.partition(core, k, axis=1)[:, k]  # order statistic: cheaper than np.percentile
    per = np.maximum(per, 1e-20)
    centres = (np.arange(m) + 0.5) * chunk
    return np.interp(np.arange(n), centres, per)


def to_db(ratio: FloatArray) -> FloatArray:
    return 10.0 * np.log10(np.maximum(ratio, 1e-12))


def pick_peaks(
    s_db: FloatArray, *, threshold_db: float, min_distance: int, dip_db: float
) -> NDArray[np.intp]:
    """Local maxima above ``threshold_db``, at least ``min_distance`` apart, separated by a dip.

    Two maxima count as separate events only if the curve falls at least
    ``dip_db`` below the smaller one between them — so the ringing of one pop is
    one event, while pops of a cluster (10–150 ms apart, acoustics.md §3.2)
    stay separate.
    """
    if len(s_db) < 3:
        return np.zeros(0, dtype=np.intp)
    up = (
        np.flatnonzero(
            (s_db[1:-1] > threshold_db) & (s_db[1:-1] >= s_db[:-2]) & (s_db[1:-1] > s_db[2:])
        )
        + 1
    )
    if len(up) == 0:
        return up
    kept: list[int] = [int(up[0])]
    for p in up[1:]:
        q = kept[-1]
        separated = (
            p - q >= min_distance and float(s_db[q : p + 1].min()) < min(s_db[q], s_db[p]) - dip_db
        )
        if separated:
            kept.append(int(p))
        elif s_db[p] > s_db[q]:
            kept[-1] = int(p)
    return np.asarray(kept, dtype=np.intp)


def extent(
    s_db: FloatArray, peak: int, *, floor_db: float, drop_db: float, max_back: int, max_fwd: int
) -> tuple[int, int]:
    """Onset/offset indices around ``peak``: where ``s_db`` falls below max(floor, peak − drop)."""
    level = max(floor_db, float(s_db[peak]) - drop_db)
    a = peak
    lo = max(0, peak - max_back)
    while a > lo and s_db[a - 1] > level:
        a -= 1
    b = peak
    hi = min(len(s_db) - 1, peak + max_fwd)
    while b < hi and s_db[b + 1] > level:
        b += 1
    return a, b


def step_period_s(
    times_s: FloatArray, weights: FloatArray, *, lo_s: float = 0.38, hi_s: float = 0.85
) -> float | None:
    """Dominant step period from candidate times: a weighted histogram of pairwise lags.

    Lags 1–4 steps apart all vote for the period (lag / k), so one missed
    footstep does not break it.  The range 0.38–0.85 s covers cadences of
    70–158 steps/min, wider than 90–120 (acoustics.md §3.1) on purpose.
    Returns ``None`` when there is no clear periodicity (standing, noise).
    """
    if len(times_s) < 6:
        return None
    t = np.asarray(times_s, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    res = 0.005
    nbins = int(hi_s / res) + 2
    lags = t[None, :] - t[:, None]
    pair_w = w[:, None] * w[None, :]
    keep = (lags > 0) & (lags < 4.2 * hi_s)
    lags, pair_w = lags[keep], pair_w[keep]
    bins = np.zeros(nbins)
    for k in (1, 2, 3, 4):
        lk = lags / k
        sel = (lk >= lo_s) & (lk <= hi_s)
        idx = (lk[sel] / res).astype(np.intp)
        bins += np.bincount(idx, weights=pair_w[sel] / k, minlength=nbins)[:nbins]
    if bins.sum() <= 0:
        return None
    sm = np.convolve(bins, np.ones(5) / 5, mode="same")
    k = int(np.argmax(sm))
    # a peak at least twice the mean of the range counts as rhythm (tuning split)
    lo_bin = int(lo_s / res)
    if sm[k] < 2.0 * float(np.mean(sm[lo_bin:])):
        return None
    return (k + 0.5) * res
