"""Candidate generation: find every transient and every sustained sound, block by block.

:class:`CandidateDetector` streams an :class:`~crepitus.acoustics.io.AudioSource`
(or takes samples) in overlapping blocks and produces :class:`Candidate` objects
with the descriptors that later decide their kind.  It deliberately fires on
footsteps, taps and rustle too — deciding *what* a candidate is belongs to
:mod:`crepitus.acoustics.classification`, which also sees the rhythm.

Method (our own; the onset detectors of acoustics.md §4.1 — spectral flux,
HFC — are the peers it is benchmarked against):

1. Boxcar-decimate to ~4 kHz (one matvec per sample) and to ~1 kHz; band-pass
   150–1800 Hz (mid) at 4 kHz and 15–150 Hz (low) at 1 kHz (see
   :mod:`~crepitus.acoustics.features` for why these bands), as causal
   Butterworth filters applied by FFT multiplication
   (:func:`~crepitus.acoustics.features.bandpass`: same output as recursive
   filtering, without the 2 s import of ``scipy.signal``).
2. 1 ms band energies over a running 20th-percentile floor (0.5 s chunks) in
   dB: the detection functions.
3. **Transients**: peaks of the mid function (2 ms smoothing) above 6 dB,
   ≥ 6 ms apart with a 3 dB dip between them — pops in a 10–150 ms cluster
   stay separate (§3.2); low-band peaks (10 ms smoothing) add thuds with no
   mid-band partner (footsteps, snaps after a weak partial).
4. **Sustained sounds**: runs ≥ 80 ms where the mid function smoothed over
   40 ms stays above 3 dB (crepitus episodes are 100–600 ms, §3.2; speech,
   breathing, rustle and handling bursts also land here).
5. Per candidate, vectorised over all candidates of a block from sums of
   the 1 ms band energies over each candidate's span (one ``reduceat`` per
   band, so cost grows with the frames the spans cover, not with a Python
   loop over candidates): onset/offset, rise time, decay τ (energy after the peak over
   peak energy ≈ τ / 2 frames for an exponential decay), duration,
   background-subtracted band shares (15–150, 150–500, 500–1800, > 2000 Hz)
   and from them a coarse spectral centroid and bandwidth, the RMS frequency
   from the derivative's energy (Rice: f_rms = fs/2π·√(E[x']²/E[x²])), crest
   factor, micro-click count and rate, peak levels over the floors, and the
   **onset contrast** (``mid_rise_db``, ``low_rise_db``): the peak level
   minus the mean level just before the onset (:data:`PRE_MID_FRAMES`,
   :data:`PRE_LOW_FRAMES`).  A pop is an impulse (rise 0.05–0.5 ms, §1.1,
   §3.2) and stands out against what it sits on; pops may favour double
   support and heel strike (§3.2), i.e. the 10–40 ms ringing tail of a
   heel-strike thud (§3.3), whose low-band energy the 0.5 s floor credits to
   the pop (``low_db``) but the pre-onset level does not.
6. **Spectral shape** (``flatness_db``, ``peakedness_db``): one batched
   64-point FFT of the 150–1800 Hz band signal (~16 ms at ~4 kHz) around each
   candidate's peak, all candidates of a block at once
   (:func:`_spectral_shape_db`).  A pop is a damped resonance of 1–3 modes,
   each 100–600 Hz wide (acoustics.md §1.1, §3.2), so its energy sits in a
   few bins; a scuff, a friction burst or rustle is noise spread over the
   band (§3.3).  The band signal is used so that a heel strike's 10–150 Hz
   thud, which a pop may ride on, does not leak into the bins.

Deviations: the thresholds (6 dB transient, 3 dB sustained, 80 ms) are design
choices fixed on the tuning split, not published values; the centroid is a
four-band estimate, not an FFT centroid (an FFT per candidate at the full
rate cost ~100× more than the rest of the pipeline; the spectral shape of
step 6 uses one short FFT per candidate at the ~4 kHz rate, ~2 % of the run).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from crepitus.acoustics import features as F

FloatArray = NDArray[np.float64]

TRANSIENT, SUSTAINED = "transient", "sustained"
#: Nominal centres of the four analysis bands (15–150, 150–500, 500–1800, >2000 Hz) used for the
#: coarse, background-subtracted spectral centroid of an event.
BAND_CENTRES_HZ = np.array([60.0, 300.0, 1000.0, 3500.0])
FLOOR_Q = 50.0
SMOOTH_MID = 3
#: Frames (~1 ms) before a candidate's onset whose mean level is its local background: the mid
#: function (2–3 ms smoothing) over 8…1 frames before, the low function (10 ms smoothing) over
#: 20…6 frames before so its smoother does not reach into the event.
PRE_MID_FRAMES = (8, 1)
PRE_LOW_FRAMES = (20, 6)
#: The spectral-shape window (:func:`_spectral_shape_db`) at the ~4 kHz rate: 64 samples
#: (~16 ms, bins ~62.5 Hz apart, so a 100–600 Hz wide pop mode spans 2–10 bins) starting
#: 24 samples (~6 ms) before the peak of the detection function, which lags the onset of
#: an impulse by its 2–3 ms smoothing.  Bins 3–28: ~190–1750 Hz, inside the mid band.
SPEC_LEN = 64
SPEC_PRE = 24
SPEC_BINS = (3, 29)
_HANN = np.hanning(SPEC_LEN + 2)[1:-1]


@dataclass(slots=True)
class Candidate:
    """One detected sound before classification (times in seconds from the file start).

    Slotted: an hour of walking makes ~25,000, each built once and read by attribute
    many times in classification.
    """

    onset_s: float
    offset_s: float
    peak_s: float
    shape: str
    features: dict[str, float] = field(default_factory=dict)

    @property
    def duration_s(self) -> float:
        return self.offset_s - self.onset_s


#: Frames (of ~1 ms) per point of the crepitus-band level trace: ~10 ms, 100 points/s.
TRACE_FRAMES = 10
#: The trace's floor: 20th percentile per 2 s (200 points).  Longer than a stride (1.0–1.33 s,
#: acoustics.md §3.1) and a low percentile, so crepitus that fills up to ~60 % of every stride
#: (episodes up to 600 ms, §3.2) does not lift its own floor, as the 0.5 s median floor of the
#: transient detector would.
TRACE_FLOOR_POINTS = 200
TRACE_FLOOR_Q = 20.0


@dataclass
class BlockResult:
    """What one block contributes: candidates plus the ~100 Hz crepitus-band level trace.

    ``trace_t_s`` are the centres of the trace points (seconds from the file
    start) and ``trace_db`` the 150–500 Hz energy over its running floor there
    (see :func:`block_candidates`).
    """

    candidates: list[Candidate]
    trace_t_s: FloatArray
    trace_db: FloatArray


class CandidateDetector:
    """Find transient and sustained sound candidates in a recording.

    Parameters
    ----------
    transient_threshold_db
        Mid-band peak level over the running floor for a transient.
    low_threshold_db
        Low-band (15–150 Hz) peak level over its floor for a thud.
    sustained_threshold_db, min_sustained_s
        Level (40 ms smoothing) and minimum length of a sustained sound.
    block_s, overlap_s
        Streaming block length and overlap; memory is O(block), not O(file).

    Attributes
    ----------
    candidates_
        All candidates, in time order.
    trace_t_s_, trace_db_
        The 150–500 Hz level over its floor at ~100 points/s (for the
        stride-synchronous crepitus evidence of
        :mod:`~crepitus.acoustics.classification`).
    sampling_rate_hz_, duration_s_
        Of the analysed signal.
    """

    def __init__(
        self,
        *,
        transient_threshold_db: float = 6.0,
        low_threshold_db: float = 8.0,
        sustained_threshold_db: float = 3.0,
        min_sustained_s: float = 0.08,
        block_s: float = 30.0,
        overlap_s: float = 2.0,
    ) -> None:
        self.transient_threshold_db = transient_threshold_db
        self.low_threshold_db = low_threshold_db
        self.sustained_threshold_db = sustained_threshold_db
        self.min_sustained_s = min_sustained_s
        self.block_s = block_s
        self.overlap_s = overlap_s

    def detect(
        self, blocks: Iterable[NDArray[np.float32]], *, sampling_rate_hz: int
    ) -> CandidateDetector:
        """Run over ``blocks`` (mono float32, consecutive, overlapping by ``overlap_s``)."""
        fs = int(sampling_rate_hz)
        hop_block = round(self.block_s * fs) - round(self.overlap_s * fs)
        half_ov = self.overlap_s / 2
        out: list[BlockResult] = []
        start = 0
        n_total = 0
        blocks_list_first = True
        prev: NDArray[np.float32] | None = None
        for blk in blocks:
            if prev is not None:
                out.append(
                    self._own(prev, fs, start, first=blocks_list_first, last=False, half_ov=half_ov)
                )
                blocks_list_first = False
                start += hop_block
            prev = blk
        if prev is not None:
            out.append(
                self._own(prev, fs, start, first=blocks_list_first, last=True, half_ov=half_ov)
            )
            n_total = start + len(prev)
        self.candidates_ = sorted((c for r in out for c in r.candidates), key=lambda c: c.peak_s)
        self.trace_t_s_ = np.concatenate([r.trace_t_s for r in out]) if out else np.zeros(0)
        self.trace_db_ = np.concatenate([r.trace_db for r in out]) if out else np.zeros(0)
        self.sampling_rate_hz_ = fs
        self.duration_s_ = n_total / fs if fs else 0.0
        return self

    def _own(
        self,
        x: NDArray[np.float32],
        fs: int,
        start: int,
        *,
        first: bool,
        last: bool,
        half_ov: float,
    ) -> BlockResult:
        """The part of one block's result this block owns (the overlaps are split in half)."""
        t0 = start / fs
        lo = t0 if first else t0 + half_ov
        hi = t0 + len(x) / fs if last else t0 + len(x) / fs - half_ov
        res = block_candidates(x, sampling_rate_hz=fs, start_s=t0, params=self)
        own = (res.trace_t_s >= lo) & (res.trace_t_s < hi)
        return BlockResult(
            [c for c in res.candidates if lo <= c.peak_s < hi],
            res.trace_t_s[own],
            res.trace_db[own],
        )


def block_candidates(
    x: NDArray[np.float32], *, sampling_rate_hz: int, start_s: float, params: CandidateDetector
) -> BlockResult:
    """All candidates in one block (times offset by ``start_s``), descriptors vectorised.

    Also returns the block's crepitus-band trace: 150–500 Hz energy in ~10 ms
    means over its slow floor (:data:`TRACE_FLOOR_Q` percentile per
    :data:`TRACE_FLOOR_POINTS`), in dB.  The band is the VAG P1/P2 emphasis
    of crepitus (50–250 and 250–450 Hz, acoustics.md §2.2, §3.2) above the
    heel-strike thud band (10–150 Hz, §3.3) and the phone's 50–200 Hz
    high-pass (§3.4); it is already computed for the band shares, so the trace
    costs one reshape.
    """
    fs = float(sampling_rate_hz)
    q4 = max(1, int(fs // 4000))
    fs4 = fs / q4
    q1 = 4  # 4 kHz → 1 kHz: 1 ms frames
    big_q = q4 * q1
    fr_s = big_q / fs
    if len(x) < 64 * big_q:
        return BlockResult([], np.zeros(0), np.zeros(0))
    # the derivative's energy e_d gives the mean-square frequency
    y4, e_tot, e_d = F.full_rate_sweep(x, factor=q4, frame=big_q)
    m1, m2 = F.bandpass(y4, bands_hz=((150.0, 500.0), (500.0, 1800.0)), sampling_rate_hz=fs4)
    e_m1 = F.frame_energy(m1, factor=q1)
    e_m2 = F.frame_energy(m2, factor=q1)
    y1 = F.decimate_mean(y4, factor=q1)
    (low,) = F.bandpass(y1, bands_hz=((15.0, 150.0),), sampling_rate_hz=fs4 / q1)
    e_low = low**2
    e_y = F.frame_energy(y4, factor=q1)
    m = min(len(e_tot), len(e_d), len(e_m1), len(e_m2), len(e_low), len(e_y))
    e_tot, e_d, e_m1, e_m2, e_low, e_y = (a[:m] for a in (e_tot, e_d, e_m1, e_m2, e_low, e_y))
    e_mid = e_m1 + e_m2
    e_high = np.maximum(e_tot - e_y, 0.0)  # energy above ~2 kHz (what the boxcar removed)

    chunk = max(8, round(0.5 / fr_s))
    n_tr = m // TRACE_FRAMES
    e_tr = F.decimate_mean(e_m1[: n_tr * TRACE_FRAMES], factor=TRACE_FRAMES)
    result = BlockResult(
        [],
        np.asarray(start_s + (np.arange(n_tr) + 0.5) * TRACE_FRAMES * fr_s, dtype=np.float64),
        F.to_db(e_tr / F.running_floor(e_tr, chunk=TRACE_FLOOR_POINTS, q=TRACE_FLOOR_Q)),
    )
    sm_mid = F.smooth(e_mid, width=SMOOTH_MID)
    sm_low = F.smooth(e_low, width=10)
    fl_mid = F.running_floor(sm_mid, chunk=chunk, q=FLOOR_Q)
    fl_low = F.running_floor(sm_low, chunk=chunk, q=FLOOR_Q)
    fl_high = F.running_floor(e_high, chunk=chunk, q=FLOOR_Q)
    s_mid = F.to_db(sm_mid / fl_mid)
    s_low = F.to_db(sm_low / fl_low)
    r_high = F.smooth(e_high, width=2) / fl_high  # in dB only where it is read (near peaks)
    r_sus = F.smooth(e_mid, width=40) / fl_mid  # in dB only inside sustained runs

    peaks = F.pick_peaks(
        s_mid, threshold_db=params.transient_threshold_db, min_distance=6, dip_db=3.0
    )
    lpeaks = F.pick_peaks(s_low, threshold_db=params.low_threshold_db, min_distance=80, dip_db=3.0)
    if len(peaks) and len(lpeaks):
        k = np.clip(np.searchsorted(peaks, lpeaks), 1, len(peaks) - 1) if len(peaks) > 1 else None
        if k is None:
            dist = np.abs(lpeaks - peaks[0])
        else:
            dist = np.minimum(np.abs(lpeaks - peaks[k]), np.abs(lpeaks - peaks[k - 1]))
        lpeaks = lpeaks[dist > 25]
    spans: list[tuple[int, int, int, str, bool]] = []
    for pk, s_det, thr_db, back, fwd, from_low in (
        (peaks, s_mid, params.transient_threshold_db, 10, 150, False),
        (lpeaks, s_low, params.low_threshold_db, 30, 200, True),
    ):
        a, b = F.extents(s_det, pk, floor_db=thr_db / 2, drop_db=20.0, max_back=back, max_fwd=fwd)
        spans += [
            (ai, bi, pi, TRANSIENT, from_low)
            for ai, bi, pi in zip(a.tolist(), b.tolist(), pk.tolist(), strict=True)
        ]
    above = np.zeros(m + 2, dtype=bool)  # a False either side: every run has two edges
    above[1:-1] = F.above_db(r_sus, params.sustained_threshold_db)
    if above.any():
        edges = np.flatnonzero(above[1:] != above[:-1])
        a, b = edges[::2], edges[1::2]
        long_enough = (b - a) * fr_s >= params.min_sustained_s
        a, b = a[long_enough] + 15, b[long_enough] - 16  # the 40 ms smoother spreads a run ~20 ms
        a, b = a[b > a], b[b > a]
        if len(a):
            frames, at = _span_frames(a, b)
            peak = a + _first_argmax(F.to_db(r_sus[frames]), at)
            spans += [
                (ai, bi, pi, SUSTAINED, False)
                for ai, bi, pi in zip(a.tolist(), b.tolist(), peak.tolist(), strict=True)
            ]
    if not spans:
        return result
    A = np.array([sp[0] for sp in spans], dtype=np.intp)
    B = np.array([sp[1] for sp in spans], dtype=np.intp)
    P = np.array([sp[2] for sp in spans], dtype=np.intp)
    is_low = np.array([sp[4] for sp in spans])
    n = (B - A + 1).astype(np.float64)
    # sums over each event's frames and over its first ≤ 60 frames from the peak (the decay)
    ev, ev_at = _span_frames(A, B)
    K = np.minimum(B - P, 60)
    tl, tl_at = _span_frames(P, P + K)

    def rsum(e: FloatArray) -> FloatArray:
        return np.add.reduceat(e[ev], ev_at)

    def excess(e: FloatArray, floor: FloatArray) -> FloatArray:
        return np.maximum(rsum(e) - rsum(floor), 0.0)

    # background-subtracted band energies of each event
    fl_m1 = F.running_floor(e_m1, chunk=chunk, q=FLOOR_Q)
    fl_m2 = F.running_floor(e_m2, chunk=chunk, q=FLOOR_Q)
    fl_tot = F.running_floor(e_tot, chunk=chunk, q=FLOOR_Q)
    fl_d = F.running_floor(e_d, chunk=chunk, q=FLOOR_Q)
    fl_lowraw = F.running_floor(e_low, chunk=chunk, q=FLOOR_Q)
    E = np.stack(
        [
            excess(e_low, fl_lowraw),
            excess(e_m1, fl_m1),
            excess(e_m2, fl_m2),
            excess(e_high, fl_high),
        ],
        axis=1,
    )
    tot = E.sum(axis=1) + 1e-30
    share = E / tot[:, None]
    centroid = share @ BAND_CENTRES_HZ
    bandwidth = np.sqrt(np.maximum(share @ BAND_CENTRES_HZ**2 - centroid**2, 0.0))
    ex_tot = excess(e_tot, fl_tot) + 1e-30
    ex_d = excess(e_d, fl_d)
    f_rms = fs / (2 * np.pi) * np.sqrt(np.clip(ex_d / ex_tot, 0.0, 4.0))
    # decay: for an e^(-t/τ) amplitude, Σ energy after the peak / peak energy ≈ τ / (2·frame)
    tail_mid = np.add.reduceat(np.maximum(e_mid[tl] - fl_mid[tl], 0.0), tl_at)
    tail_low = np.add.reduceat(np.maximum(e_low[tl] - fl_lowraw[tl], 0.0), tl_at)
    pk_mid = np.maximum(e_mid[P] - fl_mid[P], 1e-30)
    pk_low = np.maximum(e_low[P] - fl_lowraw[P], 1e-30)
    tau = 2 * fr_s * np.where(is_low, tail_low / pk_low, tail_mid / pk_mid)
    tau = np.clip(tau, 0.5 * fr_s, 0.5)
    # crest factor on the ~4 kHz signal: peak |y| over RMS within the event
    samples, samples_at = _span_frames(A * q1, B * q1 + q1 - 1)  # the events' ~4 kHz samples
    peak_abs = np.maximum.reduceat(np.abs(y4[samples]), samples_at)
    rms = np.sqrt(rsum(e_y) / n) + 1e-15
    crest = 20 * np.log10(np.maximum(peak_abs, 1e-15) / rms)
    # micro-clicks: local maxima of the mid detection function above the transient threshold,
    # counted per span by binary search in their sorted positions
    clicks = 1 + np.flatnonzero(
        (s_mid[1:-1] > s_mid[:-2])
        & (s_mid[1:-1] >= s_mid[2:])
        & (s_mid[1:-1] > params.transient_threshold_db)
    )
    sub = np.asarray(
        np.searchsorted(clicks, B, side="right") - np.searchsorted(clicks, A), dtype=np.float64
    )
    low_db = F.window_max(s_low, P, width=31)
    high_db = F.to_db(F.window_max(r_high, P, width=7))  # dB is monotonic: max, then dB
    # contrast with the moments just before the onset: the rise of the event itself over
    # whatever it sits on (e.g. the ringing tail of a heel-strike thud)
    mid_pre = _pre_onset_db(s_mid, A, span=PRE_MID_FRAMES)
    low_pre = _pre_onset_db(s_low, A, span=PRE_LOW_FRAMES)
    flat_db, peak_db = _spectral_shape_db(m1, m2, P * q1)
    onset_hf, onset_hz = _onset_click(x, fs, P, big_q)
    dur = n * fr_s
    cols = {
        "duration_s": dur,
        "rise_time_s": (P - A + 0.5) * fr_s,
        "decay_tau_s": tau,
        "mid_db": s_mid[P],
        "low_db": low_db,
        "high_db": high_db,
        "crest_db": crest,
        "subpeaks": sub,
        "click_rate_hz": sub / dur,
        "low_band": is_low.astype(np.float64),
        "centroid_hz": centroid,
        "bandwidth_hz": bandwidth,
        "frms_hz": f_rms,
        "low_share": share[:, 0],
        "m1_share": share[:, 1],
        "m2_share": share[:, 2],
        "high_share": share[:, 3],
        "level_db": 10 * np.log10(ex_tot / n + 1e-30),
        "mid_rise_db": s_mid[P] - mid_pre,
        "low_rise_db": low_db - low_pre,
        "flatness_db": flat_db,
        "peakedness_db": peak_db,
        "onset_hf_share": onset_hf,
        "onset_hz": onset_hz,
    }
    names = list(cols)
    mat = np.stack([np.asarray(cols[k], dtype=np.float64) for k in names], axis=1)
    mat = np.where(np.isfinite(mat), mat, 0.0)
    # times as arrays (the same float64 arithmetic as per candidate), then plain-float rows
    result.candidates.extend(
        Candidate(on, off, pk, sp[3], dict(zip(names, row, strict=True)))
        for sp, on, off, pk, row in zip(
            spans,
            (start_s + A * fr_s).tolist(),
            (start_s + (B + 1) * fr_s).tolist(),
            (start_s + P * fr_s).tolist(),
            mat.tolist(),
            strict=True,
        )
    )
    return result


def _spectral_shape_db(
    m1: FloatArray, m2: FloatArray, peaks4: NDArray[np.intp]
) -> tuple[FloatArray, FloatArray]:
    """Spectral flatness and peak-to-mean ratio (dB) of the mid band around each peak.

    One batched FFT over all candidates of a block: :data:`SPEC_LEN` samples of
    the 150–1800 Hz band signal (``m1 + m2`` at ~4 kHz, so a heel strike's
    10–150 Hz thud does not leak in) from :data:`SPEC_PRE` samples before each
    peak, Hann-windowed; power in the bins :data:`SPEC_BINS`.  A pop is a
    damped resonance of 1–3 modes, each 100–600 Hz wide (acoustics.md §1.1,
    §3.2): a few bins hold its energy (low flatness, high peak-to-mean).  A
    scuff, a friction burst, rustle and crepitus are noise across the band
    (§3.3): flat.  Flatness is the geometric over the arithmetic mean of the
    bins (0 dB for a perfectly flat spectrum; ≈ −2.5 dB expected for one
    window of white noise, whose periodogram scatters).
    """
    n = len(peaks4)
    if n == 0:
        return np.zeros(0), np.zeros(0)
    start = np.clip(peaks4 - SPEC_PRE, 0, max(len(m1) - SPEC_LEN, 0))
    idx = start[:, None] + np.arange(SPEC_LEN)[None, :]
    seg = m1[idx]
    seg += m2[idx]
    seg *= _HANN
    spec = np.fft.rfft(seg, axis=1)[:, SPEC_BINS[0] : SPEC_BINS[1]]
    pw = np.square(spec.real)
    pw += np.square(spec.imag)
    pw += 1e-30
    log_mean = np.log(pw.mean(axis=1))
    db = 10.0 / np.log(10.0)
    flat = db * (np.log(pw).mean(axis=1) - log_mean)
    peak = db * (np.log(pw.max(axis=1)) - log_mean)
    return flat, peak


#: High-frequency edge of the onset click (:func:`_onset_click`), Hz.
ONSET_HF_HZ = 3000.0


def _onset_click(
    x: NDArray[np.float32], fs: float, peaks: NDArray[np.intp], frame: int
) -> tuple[FloatArray, FloatArray]:
    """The share of energy above :data:`ONSET_HF_HZ` in the first millisecond of each
    candidate, and the dominant frequency of its first 5 ms, at the full sample rate.

    Why: a cavitation pop starts with a 0.05–0.5 ms rise into 1–3 damped modes at
    150–2000 Hz (acoustics.md §3.2), while a finger or nail tap on the phone — the
    pop look-alike of §3.3 — starts with a broadband click whose energy is mostly
    above a few kHz.  The detector's 1-ms frames and ~4 kHz band signals cannot
    see that first millisecond (on the tuning walks the false pops had the same
    frame-level descriptors as the true ones), so it is read here from the raw
    samples: a window from one frame before the peak frame, the onset at the
    first sample above 30 % of the window's peak, then a 1-ms and a 5-ms
    Hann-windowed spectrum per candidate, in one batched FFT each.
    """
    n = len(peaks)
    if n == 0:
        return np.zeros(0), np.zeros(0)
    n1 = max(4, round(0.001 * fs))
    n5 = max(16, round(0.005 * fs))
    w = 3 * frame
    start = np.clip((peaks - 1) * frame, 0, max(len(x) - w - n5, 0))
    win = np.abs(x[start[:, None] + np.arange(w)[None, :]])
    on = np.argmax(win > 0.3 * win.max(axis=1, keepdims=True), axis=1)
    first = start + on

    def power(length: int, nfft: int) -> FloatArray:
        idx = np.minimum(first[:, None] + np.arange(length)[None, :], len(x) - 1)
        spec = np.fft.rfft(x[idx].astype(np.float64) * np.hanning(length), nfft, axis=1)
        return np.square(np.abs(spec))

    nfft1 = int(2 ** np.ceil(np.log2(max(n1, 64))))
    p1 = power(n1, nfft1)
    hf = np.fft.rfftfreq(nfft1, 1 / fs) >= ONSET_HF_HZ
    share = p1[:, hf].sum(axis=1) / (p1.sum(axis=1) + 1e-30)
    nfft5 = int(2 ** np.ceil(np.log2(4 * n5)))
    p5 = power(n5, nfft5)
    f5 = np.fft.rfftfreq(nfft5, 1 / fs)
    dominant = f5[1 + np.argmax(p5[:, 1:], axis=1)]
    return share, dominant


def _pre_onset_db(
    s_db: FloatArray, onsets: NDArray[np.intp], *, span: tuple[int, int]
) -> FloatArray:
    """Mean of ``s_db`` (clipped to −20…60 dB) over frames ``onset − span[0]`` to ``− span[1]``.

    The level a candidate starts from.  The window is cut at the start of the
    block (at least one frame is kept).
    """
    c = np.empty(len(s_db) + 1)
    c[0] = 0.0
    np.cumsum(np.clip(s_db, -20.0, 60.0), out=c[1:])
    lo = np.clip(onsets - span[0], 0, len(s_db) - 1)
    hi = np.clip(onsets - span[1], lo + 1, len(s_db))
    return np.asarray((c[hi] - c[lo]) / (hi - lo), dtype=np.float64)


def _span_frames(
    lo: NDArray[np.intp], hi: NDArray[np.intp]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The frames ``lo[i] … hi[i]`` of every (non-empty) span end to end, and where each starts.

    With ``frames, at = _span_frames(lo, hi)``, ``ufunc.reduceat(e[frames], at)[i]``
    reduces ``e[lo[i] : hi[i] + 1]`` as one ``reduceat`` segment — the same values
    in the same order, so the same sums to the bit as any ``reduceat`` segment
    over that span — for spans that overlap too.  Only the spans' frames are
    gathered and reduced (~12 % of a block's): a quarter of the cost of one
    ``reduceat`` over ``e`` itself at alternating starts and ends, which also
    reduced every gap between the spans (measured on the detector's 14 sums per
    block).
    """
    counts = hi - lo + 1
    at = np.cumsum(counts) - counts
    frames = np.repeat(lo - at, counts) + np.arange(int(counts.sum()))
    return frames, at


def _first_argmax(x: FloatArray, at: NDArray[np.intp]) -> NDArray[np.intp]:
    """``np.argmax`` of every segment ``x[at[i] : at[i + 1]]`` (the first of equal maxima).

    All segments at once (the sustained runs of a block: one ``argmax`` call
    per run cost more than the work in it); ``x`` must hold no NaN.
    """
    top = np.repeat(np.maximum.reduceat(x, at), np.diff(at, append=len(x)))
    hits = np.flatnonzero(x == top)
    return np.asarray(hits[np.searchsorted(hits, at)] - at, dtype=np.intp)


def array_blocks(
    x: NDArray[np.floating[Any]], *, sampling_rate_hz: int, block_s: float, overlap_s: float
) -> list[NDArray[np.float32]]:
    """Cut an in-memory signal into the same overlapping blocks a file stream would give."""
    fs = int(sampling_rate_hz)
    blk = round(block_s * fs)
    hop = blk - round(overlap_s * fs)
    x32 = np.asarray(x, dtype=np.float32)
    if len(x32) <= blk:
        return [x32]
    out = []
    i = 0
    while True:
        out.append(x32[i : i + blk])
        if i + blk >= len(x32):
            break
        i += hop
    return out
