"""Pure-numpy signal processing shared by :mod:`crepitus.acoustics` and :mod:`crepitus.motion`.

Why not ``scipy.signal``: importing it costs ~1 s (it pulls in ``scipy.stats``,
``scipy.interpolate`` and the array-API layer), half the wall time of a whole
``crepitus assess`` run on a 60-s recording pair (issue 5: < 1 s).  What the
analysis needs is small and has exact closed forms:

* **Butterworth responses** (:func:`butterworth_response`) — the bilinear-transform
  design that ``scipy.signal.butter(order, Wn, btype, fs=fs)`` returns, evaluated on
  the unit circle;
* **filtering by FFT** — causal with zero initial state (:func:`causal_filter`,
  = ``sosfilt``) and zero-phase (:func:`zero_phase_filter`, = ``sosfiltfilt`` with the
  same odd extension and steady-state initial conditions, exactly — see its
  docstring for why the identity holds);
* **the analytic signal** (:func:`analytic_signal`, = ``scipy.signal.hilbert``);
* **peak picking** (:func:`find_peaks`, = ``scipy.signal.find_peaks`` with
  ``distance`` and ``prominence``: same plateau rule, same priority order, same
  prominence definition).

``tests/unit/test_dsp.py`` checks each against ``scipy.signal`` on random signals.
Nothing here imports anything of crepitus: it is a leaf module.
"""

from __future__ import annotations

import functools
from typing import Literal

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
Kind = Literal["lowpass", "highpass", "bandpass"]
Cutoff = float | tuple[float, float]

_IMPULSE_FLOOR = 1e-13
"""Relative size at which an impulse response counts as decayed (FFT tails are sized to it)."""


def _check(kind: Kind, cutoff_hz: Cutoff, sampling_rate_hz: float) -> tuple[float, ...]:
    """The band edges as floats; refuses what ``scipy.signal.butter`` refuses (edges
    outside (0, fs/2), a band-pass without two ascending edges)."""
    edges = cutoff_hz if isinstance(cutoff_hz, tuple) else (cutoff_hz,)
    if len(edges) != (2 if kind == "bandpass" else 1):
        raise ValueError(f"{kind} needs {'two edges' if kind == 'bandpass' else 'one cutoff'}")
    if not all(0.0 < e < 0.5 * sampling_rate_hz for e in edges) or edges != tuple(sorted(edges)):
        raise ValueError(f"cutoff {cutoff_hz} Hz must lie in (0, fs/2) and be ascending")
    return tuple(float(e) for e in edges)


def _prototype_poles(order: int) -> NDArray[np.complex128]:
    """Poles of the analogue Butterworth prototype (unit cutoff), all in the left half-plane."""
    k = np.arange(1, order + 1)
    return np.asarray(np.exp(1j * np.pi * (2 * k + order - 1) / (2 * order)), np.complex128)


def _warp(f_hz: float | FloatArray, fs: float) -> float | FloatArray:
    """Pre-warped analogue frequency (rad/s) of the bilinear transform: 2·fs·tan(π·f/fs)."""
    return 2.0 * fs * np.tan(np.pi * np.asarray(f_hz) / fs)


def butterworth_response(
    freqs_hz: FloatArray,
    *,
    kind: Kind,
    cutoff_hz: Cutoff,
    sampling_rate_hz: float,
    order: int = 2,
) -> NDArray[np.complex128]:
    """Complex response at ``freqs_hz`` of the digital Butterworth filter ``scipy.signal.butter``
    designs (``order`` poles for low/high-pass, ``2·order`` for band-pass).

    Bilinear-transform design: analogue prototype 1/∏(p − pₖ); low-pass p = s/Ω,
    high-pass p = Ω/s, band-pass p = (s² + Ω₁Ω₂)/(s·(Ω₂ − Ω₁)) with pre-warped edges
    Ω = 2·fs·tan(π·f/fs); on the unit circle s = j·2·fs·tan(π·f/fs).  At 0 Hz, where
    high- and band-pass have their zero, s is nudged to 1e-9 rad/s (a response of
    ~1e-20 instead of a division by zero); at Nyquist tan(π/2) is ~1.6e16 in floating
    point, which gives the low- and band-pass zero there to rounding error.
    """
    fs = float(sampling_rate_hz)
    edges = _check(kind, cutoff_hz, fs)
    s = 1j * np.maximum(_warp(freqs_hz, fs), 1e-9)
    w = [float(_warp(e, fs)) for e in edges]
    if kind == "lowpass":
        p = s / w[0]
    elif kind == "highpass":
        p = w[0] / s
    else:
        p = (s * s + w[0] * w[1]) / (s * (w[1] - w[0]))
    den = np.prod(p[..., None] - _prototype_poles(order), axis=-1)
    return np.asarray(1.0 / den, dtype=np.complex128)


def impulse_length(
    *, kind: Kind, cutoff_hz: Cutoff, sampling_rate_hz: float, order: int = 2
) -> int:
    """Samples until the filter's impulse response has decayed below 1e-13 of its scale.

    From the slowest digital pole ``z = (2fs + s)/(2fs − s)``: the response falls as
    ``|z|ⁿ``.  FFT filtering pads by this much so the circular convolution does not wrap.
    """
    fs = float(sampling_rate_hz)
    edges = _check(kind, cutoff_hz, fs)
    w = [float(_warp(e, fs)) for e in edges]
    proto = _prototype_poles(order)
    if kind == "lowpass":
        s = w[0] * proto
    elif kind == "highpass":
        s = w[0] / proto
    else:
        bw = w[1] - w[0]
        root = np.sqrt((proto * bw) ** 2 - 4.0 * w[0] * w[1] + 0j)
        s = np.concatenate([(proto * bw + root) / 2.0, (proto * bw - root) / 2.0])
    r = float(np.max(np.abs((2.0 * fs + s) / (2.0 * fs - s))))
    return int(np.ceil(np.log(_IMPULSE_FLOOR) / np.log(r))) + 1


@functools.lru_cache(maxsize=64)
def response_rfft(
    nfft: int, kind: Kind, cutoff_hz: Cutoff, sampling_rate_hz: float, order: int
) -> NDArray[np.complex128]:
    """:func:`butterworth_response` on the ``rfft`` grid of ``nfft`` (cached, read-only)."""
    f = np.asarray(np.fft.rfftfreq(nfft, d=1.0 / sampling_rate_hz), dtype=np.float64)
    h = butterworth_response(
        f, kind=kind, cutoff_hz=cutoff_hz, sampling_rate_hz=sampling_rate_hz, order=order
    )
    h.setflags(write=False)
    return h


def fft_size(n: int) -> int:
    """The next power of two ≥ ``n`` (numpy's FFT is fastest there)."""
    return 1 << max(0, int(np.ceil(np.log2(max(n, 1)))))


def causal_filter(
    x: NDArray[np.floating],
    *,
    kind: Kind,
    cutoff_hz: Cutoff,
    sampling_rate_hz: float,
    order: int = 2,
    axis: int = 0,
) -> FloatArray:
    """Recursive Butterworth filtering from zero initial state (``sosfilt``) by FFT.

    Zero-padding by :func:`impulse_length` makes the circular convolution equal the
    linear one to ~1e-13 of the signal's scale.
    """
    u = np.asarray(x, dtype=np.float64)
    n = u.shape[axis]
    if n == 0:
        return u.copy()
    fs = float(sampling_rate_hz)
    tail = impulse_length(kind=kind, cutoff_hz=cutoff_hz, sampling_rate_hz=fs, order=order)
    nfft = fft_size(n + tail)
    h = response_rfft(nfft, kind, cutoff_hz, fs, order)
    shape = [1] * u.ndim
    shape[axis] = len(h)
    spec = np.fft.rfft(u, n=nfft, axis=axis) * h.reshape(shape)
    y = np.fft.irfft(spec, n=nfft, axis=axis)
    return np.asarray(np.take(y, np.arange(n), axis=axis), dtype=np.float64)


def default_padlen(kind: Kind, order: int = 2) -> int:
    """``sosfiltfilt``'s default extension: 3 × (2 × second-order sections + 1) samples.

    (Butterworth sections never have a zero trailing coefficient, so scipy's
    reduction for those does not apply.)
    """
    sections = order if kind == "bandpass" else (order + 1) // 2
    return 3 * (2 * sections + 1)


def zero_phase_filter(
    x: NDArray[np.floating],
    *,
    kind: Kind,
    cutoff_hz: Cutoff,
    sampling_rate_hz: float,
    order: int = 2,
    padlen: int | None = None,
    axis: int = 0,
) -> FloatArray:
    """Forward–backward Butterworth filtering, equal to ``scipy.signal.sosfiltfilt``.

    Like ``sosfiltfilt``: the signal is extended at both ends by ``padlen`` samples of
    odd reflection (``2·x₀ − x[k]``, which continues the local slope instead of
    creating a jump), each pass starts from the steady state of a constant input equal
    to its first value, and the extension is cut off again.  By linearity, a filter
    started in the steady state of ``c`` responds to ``x`` as ``G·c`` plus its
    zero-state response to ``x − c`` (``G`` = gain at 0 Hz), so each pass is one
    :func:`causal_filter` — exactly, not approximately.  ``padlen`` defaults to
    :func:`default_padlen` and is capped at ``n − 1``, as scipy requires.
    """
    u = np.moveaxis(np.asarray(x, dtype=np.float64), axis, 0)
    n = len(u)
    if n == 0:
        return np.moveaxis(u.copy(), 0, axis)
    pad = min(default_padlen(kind, order) if padlen is None else padlen, n - 1)
    fs = float(sampling_rate_hz)
    ext = np.concatenate([2 * u[:1] - u[pad:0:-1], u, 2 * u[-1:] - u[-2 : -pad - 2 : -1]])
    dc = 1.0 if kind == "lowpass" else 0.0  # gain at 0 Hz

    def one_pass(u: FloatArray) -> FloatArray:
        c = u[:1]
        y = causal_filter(u - c, kind=kind, cutoff_hz=cutoff_hz, sampling_rate_hz=fs, order=order)
        return y + dc * c

    y = one_pass(one_pass(ext)[::-1])[::-1]
    return np.moveaxis(np.ascontiguousarray(y[pad : pad + n]), 0, axis)


def analytic_signal(x: NDArray[np.floating]) -> NDArray[np.complex128]:
    """``x + j·Hilbert(x)`` along the first axis by FFT (``scipy.signal.hilbert(x, axis=0)``):
    negative frequencies removed, positive ones doubled, 0 Hz and Nyquist kept once."""
    u = np.asarray(x, dtype=np.float64)
    n = len(u)
    if n == 0:
        return np.zeros(u.shape, dtype=np.complex128)
    gain = np.zeros(n)
    gain[0] = 1.0
    gain[1 : (n + 1) // 2] = 2.0
    if n % 2 == 0:
        gain[n // 2] = 1.0
    gain = gain.reshape((n,) + (1,) * (u.ndim - 1))
    return np.asarray(np.fft.ifft(np.fft.fft(u, axis=0) * gain, axis=0), dtype=np.complex128)


def local_maxima(x: FloatArray) -> NDArray[np.intp]:
    """Indices of local maxima, scipy's rule: a strict rise, a flat top (plateau) of any
    length, then a strict fall; a plateau counts once, at its middle (rounded down).
    The first and last samples are never maxima."""
    d = np.diff(np.asarray(x, dtype=np.float64))
    nz = np.flatnonzero(d)
    if len(nz) < 2:
        return np.zeros(0, dtype=np.intp)
    up = d[nz[:-1]] > 0
    down = d[nz[1:]] < 0
    k = np.flatnonzero(up & down)
    left, right = nz[k] + 1, nz[k + 1]
    return np.asarray((left + right) // 2, dtype=np.intp)


def _keep_by_distance(x: FloatArray, peaks: NDArray[np.intp], distance: float) -> NDArray[np.intp]:
    """scipy's ``distance`` rule: from the highest peak down, remove lower peaks closer
    than ``ceil(distance)`` samples (ties resolved in the order of ``np.argsort``)."""
    dist = float(np.ceil(distance))
    keep = np.ones(len(peaks), dtype=bool)
    for j in np.argsort(x[peaks])[::-1].tolist():
        if not keep[j]:
            continue
        k = j - 1
        while k >= 0 and peaks[j] - peaks[k] < dist:
            keep[k] = False
            k -= 1
        k = j + 1
        while k < len(peaks) and peaks[k] - peaks[j] < dist:
            keep[k] = False
            k += 1
    return peaks[keep]


def _side_minimum(x: FloatArray, peak: int, step: int) -> float:
    """Minimum of ``x`` from ``peak`` towards ``step`` (±1) up to, not including, the first
    sample higher than the peak (or the signal's end); searched in growing windows."""
    n, top = len(x), x[peak]
    width = 64
    while True:
        if step < 0:
            lo = max(0, peak - width)
            seg = x[lo : peak + 1][::-1]
            at_end = lo == 0
        else:
            hi = min(n, peak + width + 1)
            seg = x[peak:hi]
            at_end = hi == n
        higher = np.flatnonzero(seg > top)
        if len(higher):
            return float(seg[: higher[0]].min())
        if at_end:
            return float(seg.min())
        width *= 4


def peak_prominences(x: FloatArray, peaks: NDArray[np.intp]) -> FloatArray:
    """Topographic prominence of each peak (``scipy.signal.peak_prominences`` without
    ``wlen``): its height above the higher of the two lowest points reachable on each
    side before the signal rises above the peak."""
    x = np.asarray(x, dtype=np.float64)
    out = np.empty(len(peaks))
    for i, p in enumerate(np.asarray(peaks).tolist()):
        out[i] = x[p] - max(_side_minimum(x, p, -1), _side_minimum(x, p, +1))
    return out


def find_peaks(
    x: FloatArray, *, distance: float | None = None, prominence: float | None = None
) -> tuple[NDArray[np.intp], FloatArray]:
    """Peaks and their prominences, as ``scipy.signal.find_peaks(x, distance=, prominence=)``.

    Same order of rules as scipy: local maxima (:func:`local_maxima`), then the
    ``distance`` rule (:func:`_keep_by_distance`), then prominences of the remaining
    peaks and the ``prominence`` floor.  Returns ``(peaks, prominences)``.
    """
    x = np.asarray(x, dtype=np.float64)
    peaks = local_maxima(x)
    if distance is not None:
        if distance < 1:
            raise ValueError("distance must be ≥ 1 sample")
        peaks = _keep_by_distance(x, peaks, distance)
    prom = peak_prominences(x, peaks)
    if prominence is not None:
        keep = prom >= prominence
        peaks, prom = peaks[keep], prom[keep]
    return peaks, prom
