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

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from crepitus.dsp import impulse_length, response_rfft

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
    """Mean square per frame of ``factor`` samples (einsum: no temporary array).

    The detector's 4-sample frames of float64 band signals (~1 ms at ~4 kHz)
    are squared once and summed as ``(x₀² + x₂²) + (x₁² + x₃²)`` in whole-array
    adds instead: einsum's per-row overhead dominates rows that short (2× the
    time), and that is the order its two-lane loop adds them in, so the result
    is the same to the bit (``tests/unit/acoustics/test_fast_primitives.py``
    checks it against einsum).
    """
    m = len(x) // factor
    if m == 0:
        return np.zeros(0)
    frames = np.asarray(x[: m * factor]).reshape(m, factor)
    if factor == 4 and frames.dtype == np.float64:
        sq = np.square(frames)
        out: FloatArray = np.add(sq[:, 0], sq[:, 2])
        out += np.add(sq[:, 1], sq[:, 3], out=sq[:, 0])
        out /= factor
        return out
    return np.asarray(np.einsum("ij,ij->i", frames, frames), dtype=np.float64) / factor


def full_rate_sweep(
    x: NDArray[Any], *, factor: int, frame: int, piece: int = 1 << 17
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """:func:`decimate_mean` by ``factor``, and :func:`frame_energy` by ``frame`` of ``x`` and
    of its first difference, in one sweep of cache-sized pieces.

    These are the only passes over the full-rate samples; done whole, each
    streams a block several times the cache size through memory (the
    difference signal is a block-sized temporary), done piece by piece the
    samples are read from memory once.  Pieces start on frame boundaries
    (``frame`` a multiple of ``factor``), so every output equals the
    whole-block computation to the bit.
    """
    if frame % factor:
        raise ValueError("frame must be a multiple of factor")
    n = len(x)
    step = max(frame, piece - piece % frame)
    # every element is written by exactly one piece: no zero-filling needed
    y = np.empty(n // factor)
    e = np.empty(n // frame)
    e_d = np.empty(max(n - 1, 0) // frame)
    diff = np.empty(step, dtype=x.dtype)  # one difference buffer for all pieces
    for s in range(0, n, step):
        part = x[s : s + step]
        y[s // factor : (s + len(part)) // factor] = decimate_mean(part, factor=factor)
        e[s // frame : (s + len(part)) // frame] = frame_energy(part, factor=frame)
        nd = min(step, n - 1 - s)
        d = np.subtract(x[s + 1 : s + 1 + nd], x[s : s + nd], out=diff[:nd])
        e_d[s // frame : (s + nd) // frame] = frame_energy(d, factor=frame)
    return y, e, e_d


#: Overlap-save history of a band-pass, in multiples of the samples its impulse response takes
#: to fall below 1e-13 of its scale (:func:`crepitus.dsp.impulse_length`): by the end of the
#: history it is below 1e-26, far under float64 rounding.
HISTORY_DECAYS = 2
#: Overlap-save transforms are the power of two ≥ this many histories long, so ≥ 3/4 of each
#: transform is new output.
SEGMENT_HISTORIES = 4


@functools.lru_cache(maxsize=16)
def overlap_save_sizes(
    bands_hz: tuple[tuple[float, float], ...], sampling_rate_hz: float
) -> tuple[int, int]:
    """History and transform length (samples) of :func:`bandpass` for these bands (cached).

    The history covers the slowest band's impulse response (:data:`HISTORY_DECAYS`);
    the transform is the power of two ≥ :data:`SEGMENT_HISTORIES` histories.  For
    the detector's bands at ~4 kHz (150–500, 500–1800 Hz) that is 542 samples in
    4,096-point transforms, at ~1 kHz (15–150 Hz) 940 in 4,096.  The history used
    to be a fixed 1 s (16,384-point transforms at ~4 kHz), which bought nothing —
    the responses are down to 1e-13 after 68 ms and 0.47 s — and cost ~30 % more
    instructions in the ~4 kHz transforms (8,192-point transforms cost about the
    same as 4,096-point ones).
    """
    fs = float(sampling_rate_hz)
    hist = HISTORY_DECAYS * max(
        impulse_length(kind="bandpass", cutoff_hz=(lo, min(hi, 0.45 * fs)), sampling_rate_hz=fs)
        for lo, hi in bands_hz
    )
    return hist, 1 << int(np.ceil(np.log2(SEGMENT_HISTORIES * hist)))


def bandpass(
    x: NDArray[Any],
    *,
    bands_hz: Sequence[tuple[float, float]],
    sampling_rate_hz: float,
) -> list[FloatArray]:
    """Causal Butterworth band-passes of ``x`` (zero initial state) by FFT multiplication.

    The exact response of ``scipy.signal.butter(2, [lo, hi], "bandpass")``
    (:func:`crepitus.dsp.butterworth_response`; ``hi`` capped at 0.45 fs) without
    importing ``scipy.signal`` (2 s of import time, a third of the run time on a
    60-min file).

    Overlap-save: ``x`` is cut into segments of ``nfft`` samples that each
    repeat the history before them (zeros before the start), the impulse
    response having decayed below float64 rounding by then
    (:func:`overlap_save_sizes`), so the kept part of each segment equals
    recursive filtering to rounding error.  One forward real FFT per segment
    is shared by all ``bands_hz``, plus one inverse per band.
    """
    n = len(x)
    if n == 0:
        return [np.zeros(0) for _ in bands_hz]
    fs = float(sampling_rate_hz)
    hist, nfft = overlap_save_sizes(tuple(bands_hz), fs)
    hop = nfft - hist
    n_seg = -(-n // hop)
    padded = np.empty(hist + n_seg * hop)
    padded[:hist] = 0.0
    padded[hist : hist + n] = x
    padded[hist + n :] = 0.0
    segments = np.lib.stride_tricks.sliding_window_view(padded, nfft)[::hop]
    spec = np.fft.rfft(segments, axis=1)
    return [
        np.fft.irfft(spec * response_rfft(nfft, "bandpass", (lo, min(hi, 0.45 * fs)), fs, 2), nfft)[
            :, hist:
        ].reshape(-1)[:n]
        for lo, hi in bands_hz
    ]


def median(x: NDArray[Any]) -> float:
    """``float(np.median(x))`` of a non-empty 1-D array without NaNs, the same bits.

    The same order statistics and the same mean of the middle one or two, but
    without ``np.median``'s check for NaNs, which imports ``numpy.ma`` (~40 ms
    of a run's CPU time, for a few medians of time differences).

    The mean of the middle values is ``np.mean``'s own arithmetic — their
    ``np.add.reduce`` divided by their count — without its Python-level
    wrapper, which cost more than the partition on the short windows
    :func:`~crepitus.acoustics.classification.episode_extent` takes hundreds
    of medians of.
    """
    half = len(x) // 2
    middle = [half] if len(x) % 2 else [half - 1, half]
    return float(np.add.reduce(np.partition(x, middle)[middle[0] : half + 1])) / len(middle)


def window_max(x: FloatArray, at: NDArray[np.intp], *, width: int) -> FloatArray:
    """Maximum of ``x`` over the centred ``width``-sample window around each index in ``at``."""
    if len(at) == 0:
        return np.zeros(0)
    half = width // 2
    pad = np.concatenate([np.full(half, -np.inf), x, np.full(half, -np.inf)])
    win = np.lib.stride_tricks.sliding_window_view(pad, width)
    return np.asarray(win[np.asarray(at)].max(axis=1), dtype=np.float64)


def smooth(x: FloatArray, *, width: int) -> FloatArray:
    """Centred moving average over ``width`` samples (cumulative-sum, O(n)).

    The interior is one slice difference; only the ``width`` edge samples,
    where the window is cut short, need index arrays.  A window cut at the
    start always begins at sample 0 and one cut at the end always stops at
    ``n``, so each edge needs one bound computed, not two clipped (the
    same sums and counts; on the short traces ``episode_extent`` smooths,
    ``np.clip``'s wrapper dominated).
    """
    n = len(x)
    if width <= 1 or n == 0:
        return x
    c = np.empty(n + 1)
    c[0] = 0.0
    np.cumsum(x, out=c[1:])
    half = width // 2
    out = np.empty(n)
    first, last = min(half, n), max(min(half, n), n - width + half + 1)  # interior [first, last)
    inner = out[first:last]  # computed in place: no temporaries
    np.subtract(
        c[width + first - half : width + last - half], c[first - half : last - half], out=inner
    )
    inner /= width
    hi = np.minimum(np.arange(width - half, first + width - half), n)  # edge [0, first)
    out[:first] = (c[hi] - c[0]) / np.maximum(hi, 1)
    lo = np.maximum(np.arange(last - half, n - half), 0)  # edge [last, n)
    out[last:] = (c[n] - c[lo]) / np.maximum(n - lo, 1)
    return out


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
    return _interp_centres(per, chunk=chunk, n=n)


def _interp_centres(per: FloatArray, *, chunk: int, n: int) -> FloatArray:
    """``np.interp(arange(n), (arange(m) + 0.5) · chunk, per)`` without its binary searches.

    The knots are evenly spaced, so the offsets from the knot to the left are
    the same ``chunk`` values for every interval: one broadcast over
    (intervals × chunk), with ``np.interp``'s own arithmetic
    (slope · offset + left value), so the result is the same to the bit.
    The (intervals × chunk) grid is computed in place in the output, which is
    allocated long enough to hold it whole and returned cut to ``n``.
    """
    m = len(per)
    start = int(np.ceil(0.5 * chunk))  # first index at or right of the first knot
    stop = min(n, start + (m - 1) * chunk)  # … and of the last knot
    out = np.empty(max(n, start + (m - 1) * chunk))
    out[:start] = per[0]
    if m > 1:
        slope = (per[1:] - per[:-1]) / float(chunk)
        offs = np.arange(chunk) + (start - 0.5 * chunk)
        grid = out[start : start + (m - 1) * chunk].reshape(m - 1, chunk)
        np.multiply(slope[:, None], offs[None, :], out=grid)
        grid += per[:-1, None]
    out[stop:n] = per[-1]
    return out[:n]


#: 10/ln(10), so that 10·log10(x) = ln(x) · :data:`_DB_PER_LN`.
_DB_PER_LN = 10.0 / float(np.log(10.0))


def to_db(ratio: FloatArray) -> FloatArray:
    """``10·log10(max(ratio, 1e-12))`` to within 5e-6 dB, as a new float64 array.

    As ``ln(x) · 10/ln(10)`` with the logarithm taken in float32: numpy has a
    vectorised float32 ``log`` (~3× faster than its float64 ``log``, itself ~1.7×
    faster than ``log10``), and the detection functions take ~8 million logarithms
    per hour of audio.  The ratio rounded to float32 and the float32 logarithm
    are accurate to ~1e-7 relative, i.e. < 5e-6 dB over the ±120 dB range —
    far below anything the detector resolves — and each value is the same
    wherever it sits in an array.
    """
    r32 = ratio.astype(np.float32)  # rounding is monotonic: the 1e-12 clip can come after
    np.maximum(r32, np.float32(1e-12), out=r32)
    np.log(r32, out=r32)
    out = r32.astype(np.float64)
    out *= _DB_PER_LN
    return out


def above_db(ratio: FloatArray, threshold_db: float) -> NDArray[np.bool_]:
    """``to_db(ratio) > threshold_db``, the same to the bit, without a logarithm per sample.

    A logarithm costs ~20× a comparison.  Ratios more than 1e-5 (relative) from
    ``10^(threshold_db / 10)`` are compared as ratios — so far from the
    threshold, the rounding of :func:`to_db` (below 4e-6 relative in the ratio
    up to ±120 dB: float32) cannot change the answer — and only those closer
    are converted to dB.  Beyond ±119 dB (the −120 dB clip of :func:`to_db`
    on one side, the float32 error bound on the other) this shortcut would not
    hold, so such thresholds take the direct route.
    """
    if abs(threshold_db) >= 119.0:
        return np.asarray(to_db(ratio) > threshold_db, dtype=np.bool_)
    t = 10.0 ** (threshold_db / 10.0)
    out: NDArray[np.bool_] = ratio > t * (1.0 + 1e-5)
    near = np.flatnonzero((ratio > t * (1.0 - 1e-5)) & ~out)
    if len(near):
        out[near] = to_db(ratio[near]) > threshold_db
    return out


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
    # min of s over [q, p] for maxima q < p is the min of the valleys between the maxima in
    # between: one reduceat, then a loop over plain floats (no array slicing per maximum)
    valleys = np.minimum.reduceat(s_db, up)[:-1].tolist()
    pos = up.tolist()
    val = s_db[up].tolist()
    kept: list[int] = [pos[0]]
    q_val = val[0]
    dip_min = np.inf
    for j in range(1, len(pos)):
        dip_min = min(dip_min, valleys[j - 1])
        p, p_val = pos[j], val[j]
        if p - kept[-1] >= min_distance and dip_min < min(q_val, p_val) - dip_db:
            kept.append(p)
        elif p_val > q_val:
            kept[-1] = p
        else:
            continue
        q_val = p_val
        dip_min = np.inf
    return np.asarray(kept, dtype=np.intp)


def extents(
    s_db: FloatArray,
    peaks: NDArray[np.intp],
    *,
    floor_db: float,
    drop_db: float,
    max_back: int,
    max_fwd: int,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Onset/offset indices around ``peaks``: the run where ``s_db`` > max(floor, peak − drop).

    The run stops at the first sample at or below the level, at most
    ``max_back`` before and ``max_fwd`` after the peak, and at the ends of
    ``s_db``.  Vectorised over the peaks: one (peaks × window) comparison.
    """
    if len(peaks) == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    level = np.maximum(floor_db, s_db[peaks] - drop_db)
    pad = np.concatenate([np.full(max_back, -np.inf), s_db, np.full(max_fwd, -np.inf)])
    win = np.lib.stride_tricks.sliding_window_view(pad, max_back + 1 + max_fwd)[peaks]
    # "not above" with a stop column at each end: the length of the unbroken run of "above"
    # walking away from the peak is the index of the first stop (argmax finds the first
    # True), at most max_back / max_fwd
    stop = np.ones((len(peaks), win.shape[1] + 2), dtype=bool)
    np.greater(win, level[:, None], out=stop[:, 1:-1])
    np.logical_not(stop[:, 1:-1], out=stop[:, 1:-1])
    back = np.argmax(stop[:, max_back::-1], axis=1)
    fwd = np.argmax(stop[:, max_back + 2 :], axis=1)
    return (peaks - back).astype(np.intp), (peaks + fwd).astype(np.intp)


#: How far above chance the share of bursts that recur one or two periods later must be for
#: :func:`step_period_s` to call it a rhythm: ``share ≥ chance + PERIOD_SHARE · (1 − chance)``.
#: On the 1,500 tuning walks (true step period from the generator) 0.15 leaves 8 walks with a
#: wrong period and 63 with none, against 63 wrong and 91 none for the estimator before it;
#: on 300 sets of random times (0.5–6/s, 20–60 s) it finds a "rhythm" in 7 (before: 28).
PERIOD_SHARE = 0.15


def step_period_s(
    times_s: FloatArray,
    *,
    lo_s: float = 0.38,
    hi_s: float = 0.85,
    burst_gap_s: float = 0.05,
    res_s: float = 0.005,
) -> float | None:
    """Dominant step period from candidate times: a comb over the histogram of pairwise lags.

    1. **One time per burst.**  Times closer than ``burst_gap_s`` chain into one
       burst, timed by its first member: a footstep's thud rings with sub-peaks
       5–20 ms apart and a crepitus episode is a train of micro-clicks
       (20–300/s, acoustics.md §3.2), and without this every step would count
       several times and the tens of clicks of each episode would bury the
       footsteps' lags.
    2. **Comb score.**  The histogram of all pairwise lags (``res_s`` bins,
       smoothed over 5 bins) is read at 1–4 times each trial period ``p``,
       weighted 1/k: ``score(p) = Σ_k H(k·p) / k``.  So a missed footstep does
       not break it (the lags 2p, 3p still vote), half the period loses its
       strongest tooth (H(p/2) is empty) and twice the period loses H(p).
       The lags are compared at their own scale: dividing a lag of k steps by
       k, as a histogram of lag/k does, also divides its timing jitter by k,
       so that 3 steps / 4 — a false period of 0.75 p — piled up in fewer bins
       than the true period and won on a tenth of the tuning walks.
    3. **Rhythm, not chance.**  The best score must be at least twice the
       mean over the range, and the share of bursts followed by another one
       or two periods later (±8 %) must clear chance — the share random times
       at the same burst rate would reach — by :data:`PERIOD_SHARE` of the
       way to 1.  Otherwise ``None`` (standing, noise, a walk drowned in
       interferers): no rhythm is better than a wrong one, which would
       mislabel every step-locked descriptor of the recording.

    The range 0.38–0.85 s covers cadences of 70–158 steps/min, wider than
    90–120 (acoustics.md §3.1) on purpose.
    """
    t = np.sort(np.asarray(times_s, dtype=np.float64))
    if len(t) < 2:
        return None
    t = t[np.concatenate([[True], np.diff(t) > burst_gap_s])]
    if len(t) < 6:
        return None
    lags = (t[None, :] - t[:, None]).reshape(-1)
    lags = lags[(lags > 0) & (lags < 4.2 * hi_s)]
    nbins = int(4.2 * hi_s / res_s) + 2
    hist = np.bincount((lags / res_s).astype(np.intp), minlength=nbins)[:nbins]
    sm = np.convolve(hist.astype(np.float64), np.ones(5) / 5, mode="same")
    periods = np.arange(int(lo_s / res_s), int(hi_s / res_s) + 1)
    score = np.sum([sm[k * periods] / k for k in (1, 2, 3, 4)], axis=0)
    best = int(np.argmax(score))
    p = (periods[best] + 0.5) * res_s
    if score[best] < 2.0 * float(np.mean(score)):
        return None
    # rhythm, not chance: bursts recur one or two periods later (±8 %) clearly more often
    # than bursts at random times at the same rate would
    win = 0.08 * p
    inside = t <= t[-1] - 2 * p - win
    if not inside.any():
        return None
    recur = np.zeros(len(t), dtype=np.bool_)
    for k in (1, 2):
        recur |= np.searchsorted(t, t + k * p - win) < np.searchsorted(t, t + k * p + win)
    chance = 1.0 - np.exp(-len(t) / (t[-1] - t[0]) * 4 * win)
    if float(np.mean(recur[inside])) < chance + PERIOD_SHARE * (1.0 - chance):
        return None
    return float(p)
