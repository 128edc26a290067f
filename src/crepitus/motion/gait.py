"""Walking bouts, initial contacts with sides, cadence, variability, regularity, symmetry.

Input is acceleration (and optionally angular rate) already rotated into the body frame
(vertical-up, anterior, left; :mod:`crepitus.motion.frames`).  Three objects, one verb each:

* :class:`WalkingBoutDetector` (``detect``) — where the person walks;
* :class:`InitialContactDetector` (``detect``) — heel strikes inside a bout;
* :class:`SideClassifier` (``classify``) — left/right of each heel strike.

The maths lives in pure functions below them.  References (research/gait.md):
McCamley et al. 2012 (Gait Posture 36:316) and Paraschiv-Ionescu et al. 2020 (EMBC)
for vertical-acceleration step timing; Zijlstra & Hof 2003 (Gait Posture 18:1) for the
anterior acceleration peak at heel strike; Moe-Nilssen & Helbostad 2004 (J Biomech
37:121) for step/stride regularity and symmetry; McCamley 2012 / Ullrich (EMBC) for
left/right from lower-back angular rate; Mansour et al. (mobgap ``LrcMansour``) for
left/right from medio-lateral acceleration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from crepitus.dsp import Cutoff, Kind, fft_size, find_peaks, zero_phase_filter

FloatArray = NDArray[np.float64]

# Timing-feature offsets (feature time − reference IC, s): ``fit_offsets`` on the mobgap
# example data (all three participants, INDIP reference, the detector's LOPO-selected
# defaults, features searched around the previous defaults — the same single fitting step
# the benchmark takes on each fold's training people).  The benchmark re-fits them
# leave-one-participant-out and reports only held-out figures (benchmarks/bench_walk.py).
# The earlier hand-rounded values had the anchor at 0.10 s where the data say 0.08 s: every
# contact of ``walk()`` came out early (−7.2 ms on INDIP, −7.8 ms median on the synthetic
# sessions, which in turn offset the audio–motion alignment).
DEFAULT_OFFSETS_S: dict[str, float] = {
    "anchor": 0.080,
    "v_peak": 0.0647,
    "v_rise": 0.0235,
    "ap_drop": 0.036,
    "ap_peak": -0.0685,
}


@dataclass(frozen=True)
class Bout:
    """One walking bout: sample range ``[start, end)`` and its times in seconds."""

    start: int
    end: int
    start_s: float
    end_s: float


class WalkingBoutDetector:
    """Find walking bouts from the acceleration magnitude (orientation-free).

    A window is *walking* when the band-passed (0.5–3 Hz) magnitude varies enough and
    repeats itself at a step period (normalised autocorrelation at a lag of 0.3–1.3 s):
    the periodicity criterion of step-regularity analysis (Moe-Nilssen & Helbostad
    2004) used as a detector.  Deviation: the anchors use trained classifiers (GaitPy
    random forest, SKDH LightGBM) or Iluz/Ionescu GSD rules; this rule needs no model.

    Parameters
    ----------
    window_s, hop_s
        Analysis window and hop.
    min_std_mps2
        Minimum standard deviation of the band-passed magnitude (quiet standing is
        < 0.1 m/s²; slow and turning walking on the mobgap example data 0.3–0.5 m/s²).
    min_autocorr
        Minimum normalised autocorrelation at the step or stride lag.

        Defaults (0.4 m/s², 0.3): ``benchmarks/bench_walk.py`` selects both from a grid
        leave-one-participant-out (best whole-recording F1 of the ``walk`` pipeline on
        the training people); 0.4 was chosen in all three folds, 0.3 in two of three.
        Held-out figures only are reported there.
    min_bout_s, merge_gap_s
        Shorter bouts are dropped; closer bouts are merged.
    """

    def __init__(
        self,
        *,
        window_s: float = 3.0,
        hop_s: float = 0.5,
        min_std_mps2: float = 0.4,
        min_autocorr: float = 0.3,
        min_bout_s: float = 3.0,
        merge_gap_s: float = 1.0,
    ) -> None:
        self.window_s = window_s
        self.hop_s = hop_s
        self.min_std_mps2 = min_std_mps2
        self.min_autocorr = min_autocorr
        self.min_bout_s = min_bout_s
        self.merge_gap_s = merge_gap_s

    def detect(
        self,
        acc_mps2: FloatArray,
        *,
        sampling_rate_hz: float,
        exclude: NDArray[np.bool_] | None = None,
    ) -> WalkingBoutDetector:
        """Detect bouts; results in ``bouts_`` and the boolean ``walking_`` mask."""
        fs = sampling_rate_hz
        mag = np.linalg.norm(acc_mps2, axis=1)
        x = zero_phase_filter(
            mag, kind="bandpass", cutoff_hz=(0.5, min(3.0, 0.45 * fs)), sampling_rate_hz=fs
        )
        win = int(self.window_s * fs)
        hop = max(1, int(self.hop_s * fs))
        walking = np.zeros(len(x), dtype=bool)
        if len(x) >= win:
            starts = np.arange(0, len(x) - win + 1, hop)
            ok = window_is_walking(
                x,
                starts=starts,
                window=win,
                sampling_rate_hz=fs,
                min_std=self.min_std_mps2,
                min_autocorr=self.min_autocorr,
            )
            # Mark the middle half of each walking window: a window passes once about two
            # thirds of it is walking, so marking all of it would start bouts ~1 s early.
            q = win // 4
            for s in starts[ok]:
                walking[s + q : s + win - q] = True
        if exclude is not None:
            walking &= ~exclude
        self.walking_ = walking
        self.bouts_ = mask_to_bouts(
            walking, sampling_rate_hz=fs, min_len_s=self.min_bout_s, merge_gap_s=self.merge_gap_s
        )
        return self


def window_is_walking(
    x: FloatArray,
    *,
    starts: NDArray[np.int64],
    window: int,
    sampling_rate_hz: float,
    min_std: float,
    min_autocorr: float,
    chunk: int = 2048,
) -> NDArray[np.bool_]:
    """Vectorised per-window walking test, in chunks so 10 h of data stays in bounded memory."""
    fs = sampling_rate_hz
    lo, hi = int(0.3 * fs), min(int(1.3 * fs), window - 1)
    nfft = fft_size(2 * window)
    out = np.zeros(len(starts), dtype=bool)
    idx = np.arange(window)
    for c in range(0, len(starts), chunk):
        seg = x[starts[c : c + chunk, None] + idx[None, :]]
        seg = seg - seg.mean(axis=1, keepdims=True)
        sd = seg.std(axis=1)
        spec = np.fft.rfft(seg, n=nfft, axis=1)
        ac = np.fft.irfft(spec * np.conj(spec), n=nfft, axis=1)[:, :window]
        ac = ac / np.maximum(ac[:, :1], 1e-12)
        # Unbiased normalisation so long lags are not penalised.
        ac = ac * (window / (window - np.arange(window)))[None, :]
        peak = ac[:, lo:hi].max(axis=1)
        out[c : c + chunk] = (sd >= min_std) & (peak >= min_autocorr)
    return out


def mask_to_bouts(
    mask: NDArray[np.bool_], *, sampling_rate_hz: float, min_len_s: float, merge_gap_s: float
) -> list[Bout]:
    """Runs of ``True`` as :class:`Bout` s, merging close runs and dropping short ones."""
    fs = sampling_rate_hz
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    runs: list[list[int]] = []
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        if runs and s - runs[-1][1] <= merge_gap_s * fs:
            runs[-1][1] = e
        else:
            runs.append([s, e])
    return [
        Bout(start=s, end=e, start_s=s / fs, end_s=e / fs)
        for s, e in runs
        if (e - s) >= min_len_s * fs
    ]


def estimate_step_hz(x: FloatArray, *, sampling_rate_hz: float) -> float | None:
    """Step frequency from the autocorrelation of a (band-passed) walking signal.

    The first autocorrelation peak at 0.25–1.5 s that reaches half the highest peak is
    the step period (the stride peak is often higher in asymmetric gait, so the highest
    peak alone would halve the cadence).  ``None`` if nothing periodic is found.
    """
    fs = sampling_rate_hz
    n = len(x)
    if n < int(1.6 * fs):
        return None
    x = _filt(x - x.mean(), fs, "bandpass", (0.5, min(3.0, 0.45 * fs)))
    nfft = fft_size(2 * n)
    spec = np.fft.rfft(x, n=nfft)
    ac = np.fft.irfft(spec * np.conj(spec), n=nfft)[:n]
    if ac[0] <= 0:
        return None
    ac = ac / ac[0] * (n / (n - np.arange(n)))
    lo, hi = int(0.25 * fs), min(int(1.5 * fs), n - 1)
    seg = ac[lo:hi]
    peaks = [i for i in range(1, len(seg) - 1) if seg[i] >= seg[i - 1] and seg[i] > seg[i + 1]]
    if not peaks:
        return None
    best = max(seg[i] for i in peaks)
    if best < 0.2:
        return None
    first = next(i for i in peaks if seg[i] >= 0.5 * best)
    return float(fs / (lo + first))


class InitialContactDetector:
    """Heel strikes from lower-back acceleration in the body frame, refined for timing.

    Two stages:

    1. **Steps** — one peak of the vertical acceleration, low-passed at
       ``max(2.5 Hz, 1.6 × step frequency)``, per step, at least 0.6 step periods apart
       (the loading-response peak that McCamley 2012 reaches via integration and a
       Gaussian CWT; here found directly, which avoids the CWT's early bias reported for
       mobgap's ``IcdIonescu`` in research/gait.md §1.1).  Peaks much less prominent
       than the bout's typical step are dropped, a weaker first/last step of the bout is
       accepted (:func:`_extend_edges`), and steps shorter than ``min_step_ratio`` × the
       local step time are pruned (:func:`prune_short_steps`).
    2. **Timing** — around each step, four independent timing features are located
       and shifted by their typical lag to the heel strike: the vertical impact peak
       (20 Hz), the steepest rise of vertical acceleration, the steepest fall of anterior
       acceleration (the trunk's braking at heel strike, Zijlstra & Hof 2003) and the
       peak forward acceleration (5 Hz).  The median of these and the step anchor is the
       initial contact: errors of the features are partly independent, so the median is
       more precise than any one of them (exploration on the mobgap example data).

    Deviations from the published methods: no integration/CWT; the lags
    (``offsets_s``) are data-driven and are re-fitted leave-one-participant-out in the
    benchmark; step detection runs on our own bouts, not Mobilise-D gait sequences.

    Parameters
    ----------
    offsets_s
        Feature time minus heel-strike time for each feature (s).
    search_s
        Half-width of the window in which each feature is looked for, around its
        expected position.
    min_step_ratio
        Shortest plausible step relative to the local step time (0 disables pruning).
    edge_prominence_ratio
        A bout's first/last step may be this much weaker than the prominence threshold
        (:func:`_extend_edges`; 0 disables).
    min_relative_prominence
        Step peaks less prominent than this × the bout's median step-peak prominence
        are dropped (turning and shuffling produce small secondary peaks).  0.2 is the
        value that leave-one-participant-out selection (grid 0–0.4 jointly with
        ``min_step_ratio`` 0.5–0.7, best training F1) chose in all three folds of
        ``benchmarks/bench_walk.py``, as was ``min_step_ratio`` = 0.7; the benchmark
        reports only held-out figures.
    """

    def __init__(
        self,
        *,
        offsets_s: dict[str, float] | None = None,
        search_s: float = 0.1,
        min_step_ratio: float = 0.7,
        edge_prominence_ratio: float = 0.3,
        min_relative_prominence: float = 0.2,
    ) -> None:
        self.offsets_s = dict(DEFAULT_OFFSETS_S if offsets_s is None else offsets_s)
        self.search_s = search_s
        self.min_step_ratio = min_step_ratio
        self.edge_prominence_ratio = edge_prominence_ratio
        self.min_relative_prominence = min_relative_prominence

    def detect(
        self, body_acc_mps2: FloatArray, *, sampling_rate_hz: float
    ) -> InitialContactDetector:
        """Detect ICs in one bout; sample indices in ``ic_`` and times in ``ic_s_``."""
        fs = sampling_rate_hz
        step_hz = estimate_step_hz(body_acc_mps2[:, 0], sampling_rate_hz=fs) or 1.8
        anchors = step_anchors(
            body_acc_mps2[:, 0],
            sampling_rate_hz=fs,
            step_hz=step_hz,
            edge_prominence_ratio=self.edge_prominence_ratio,
            min_relative_prominence=self.min_relative_prominence,
        )
        feats = timing_features(
            body_acc_mps2,
            sampling_rate_hz=fs,
            anchors=anchors,
            offsets_s=self.offsets_s,
            search_s=self.search_s,
        )
        self.step_hz_ = step_hz
        self.anchors_ = anchors
        self.features_s_ = feats
        ic_s = combine_features(feats, self.offsets_s)
        keep = np.isfinite(ic_s)
        ic_s = ic_s[keep]
        # Never two contacts closer than 0.25 step periods (a duplicate after refinement).
        if len(ic_s) > 1:
            ok = np.concatenate([[True], np.diff(ic_s) > 0.25 / step_hz])
            ic_s = ic_s[ok]
        if self.min_step_ratio > 0:
            ic_s = prune_short_steps(ic_s, step_s=1.0 / step_hz, min_step_ratio=self.min_step_ratio)
        self.ic_s_ = ic_s
        self.ic_ = np.clip(np.round(ic_s * fs).astype(np.int64), 0, len(body_acc_mps2) - 1)
        return self


def prune_short_steps(
    ic_s: FloatArray, *, step_s: float, min_step_ratio: float, window: int = 4
) -> FloatArray:
    """Remove contacts that make a step implausibly short.

    A step shorter than ``min_step_ratio`` × the local step time (median of the
    ``window`` steps on either side, but at least 0.8 × the bout's step period
    ``step_s`` so that a cluster of extra peaks cannot pull the median down) has one
    spurious end: a second peak of the same step (turns, shuffling) rather than a new
    heel strike.  Of its two ends, the one whose removal leaves the merged step
    closest to the local step time goes; repeat until no short step is left.
    Step-time plausibility of this kind is what GaitPy's and SKDH's stride QC do with
    fixed limits (research/gait.md §1.2–1.3).  The detector's default limit (−30 %)
    was selected leave-one-participant-out in the benchmark (grid −50…−30 %).
    """
    t = np.asarray(ic_s, dtype=np.float64).copy()
    while len(t) >= 3:
        d = np.diff(t)
        local = np.array(
            [
                max(float(np.median(d[max(0, k - window) : k + window + 1])), 0.8 * step_s)
                for k in range(len(d))
            ]
        )
        ratio = d / local
        k = int(np.argmin(ratio))
        if ratio[k] >= min_step_ratio:
            break
        # Candidate removals: contact k (merging steps k-1 and k) or k+1 (k and k+1).
        cost = []
        for drop in (k, k + 1):
            if drop == 0 or drop == len(t) - 1:
                cost.append(abs(d[k] - local[k]) / local[k])  # an end: the step vanishes
                continue
            merged = t[drop + 1] - t[drop - 1]
            cost.append(abs(merged - local[k]) / local[k])
        t = np.delete(t, k if cost[0] <= cost[1] else k + 1)
    return t


def _filt(x: FloatArray, fs: float, kind: Kind, cutoff: Cutoff) -> FloatArray:
    return zero_phase_filter(x, kind=kind, cutoff_hz=cutoff, sampling_rate_hz=fs, padlen=3 * 7)


def step_anchors(
    v_mps2: FloatArray,
    *,
    sampling_rate_hz: float,
    step_hz: float,
    edge_prominence_ratio: float = 0.0,
    min_relative_prominence: float = 0.0,
) -> FloatArray:
    """Times (s) of one vertical-acceleration peak per step (see the detector's docstring).

    ``edge_prominence_ratio`` > 0 also accepts weaker first/last steps
    (:func:`_extend_edges`) with that fraction of the normal prominence.
    """
    fs = sampling_rate_hz
    cutoff = min(max(2.5, 1.6 * step_hz), 0.45 * fs)
    v = _filt(v_mps2 - float(np.mean(v_mps2)), fs, "lowpass", cutoff)
    prom = 0.3 * float(np.std(v))
    dist = max(1, int(0.6 * fs / step_hz))
    peaks, prominences = find_peaks(v, distance=dist, prominence=prom)
    if min_relative_prominence > 0 and len(peaks) >= 3:
        rel = prominences / float(np.median(prominences))
        peaks = peaks[rel >= min_relative_prominence]
    if edge_prominence_ratio > 0 and len(peaks):
        peaks = _extend_edges(
            v, peaks, step_n=fs / step_hz, min_prominence=edge_prominence_ratio * prom
        )
    return np.asarray(peaks, dtype=np.float64) / fs


def _extend_edges(
    v: FloatArray, peaks: NDArray[np.int64], *, step_n: float, min_prominence: float
) -> NDArray[np.int64]:
    """Add one weaker peak a step before the first and after the last detected step.

    The first and last heel strikes of a bout (gait initiation and termination) load
    the trunk less than steady-state steps, so they often miss the prominence
    threshold (in the benchmark half of the missed contacts were a bout's first or
    last one).  A peak 0.6–1.4 step periods outside the detected steps with at least
    ``min_prominence`` is accepted as that step.
    """
    cand, _ = find_peaks(v, prominence=min_prominence)
    out = list(peaks.tolist())
    first, last = int(peaks[0]), int(peaks[-1])
    before = [c for c in cand if 0.6 * step_n <= first - c <= 1.4 * step_n]
    after = [c for c in cand if 0.6 * step_n <= c - last <= 1.4 * step_n]
    if before:
        out.insert(0, int(max(before, key=lambda c: v[c])))
    if after:
        out.append(int(max(after, key=lambda c: v[c])))
    return np.asarray(out, dtype=np.int64)


FEATURES = ("v_peak", "v_rise", "ap_drop", "ap_peak")


def timing_features(
    body_acc_mps2: FloatArray,
    *,
    sampling_rate_hz: float,
    anchors: FloatArray,
    offsets_s: dict[str, float],
    search_s: float,
) -> FloatArray:
    """Times (s) of each timing feature near each step anchor, shape ``(n, 5)``.

    Column 0 is the anchor itself, columns 1–4 follow :data:`FEATURES`; NaN where a
    feature's window falls outside the data.
    """
    fs = sampling_rate_hz
    v, ap = body_acc_mps2[:, 0], body_acc_mps2[:, 1]
    hi20 = min(20.0, 0.45 * fs)
    hi10 = min(10.0, 0.45 * fs)
    signals = {
        "v_peak": _filt(v, fs, "lowpass", hi20),
        "v_rise": np.gradient(_filt(v, fs, "lowpass", hi10)),
        "ap_drop": -np.gradient(_filt(ap, fs, "lowpass", hi10)),
        "ap_peak": _filt(ap, fs, "lowpass", min(5.0, 0.45 * fs)),
    }
    out = np.full((len(anchors), 1 + len(FEATURES)), np.nan)
    out[:, 0] = anchors
    half = max(1, round(search_s * fs))
    n = len(v)
    for j, name in enumerate(FEATURES, start=1):
        s = signals[name]
        expected = anchors - offsets_s["anchor"] + offsets_s[name]
        for i, t in enumerate(expected):
            c = round(t * fs)
            lo, hi = max(c - half, 0), min(c + half + 1, n)
            if hi - lo < 3:
                continue
            k = lo + int(np.argmax(s[lo:hi]))
            if k in (lo, hi - 1) and 0 < k < n - 1:
                continue  # a window edge is not an extremum
            # Parabolic interpolation for sub-sample timing.
            frac = 0.0
            if 0 < k < n - 1:
                y0, y1, y2 = s[k - 1], s[k], s[k + 1]
                den = y0 - 2 * y1 + y2
                frac = 0.5 * (y0 - y2) / den if den != 0 else 0.0
            out[i, j] = (k + float(np.clip(frac, -0.5, 0.5))) / fs
    return out


def combine_features(feats: FloatArray, offsets_s: dict[str, float]) -> FloatArray:
    """Median of the lag-corrected feature times per step (NaN-aware)."""
    lags = np.array([offsets_s["anchor"], *(offsets_s[f] for f in FEATURES)])
    est = feats - lags[None, :]
    with np.errstate(all="ignore"):
        if est.shape[0] == 0:
            return np.zeros(0)
        return np.asarray(np.nanmedian(est, axis=1), dtype=np.float64)


def fit_offsets(
    bouts: Sequence[tuple[FloatArray, FloatArray]], *, max_dist_s: float = 0.25
) -> dict[str, float]:
    """Fit :data:`DEFAULT_OFFSETS_S`-style lags: median (feature − its reference IC).

    ``bouts`` holds one ``(features, reference ICs)`` pair per walking bout, both on that
    bout's clock.  Each step is matched to the nearest reference contact *of its own bout*
    (expected at anchor − the default anchor lag, at most ``max_dist_s`` away).  Pooling the
    contacts of several recordings instead lets a step match another recording's contact
    whenever their clocks overlap: on the mobgap example data that made the lags 0–9 ms too
    long and every contact correspondingly early (held-out bias −7.3 ms, −3.8 ms once
    matched per bout; ``benchmarks/bench_walk.py``).  Used by the benchmark on *training*
    participants only.
    """
    names = ("anchor", *FEATURES)
    diffs: dict[str, list[float]] = {n: [] for n in names}
    for feats, ref_ic_s in bouts:
        if len(ref_ic_s) == 0:
            continue
        for row in feats:
            expected = row[0] - DEFAULT_OFFSETS_S["anchor"]
            j = int(np.argmin(np.abs(ref_ic_s - expected)))
            if abs(ref_ic_s[j] - expected) > max_dist_s:
                continue
            for k, n in enumerate(names):
                if np.isfinite(row[k]):
                    diffs[n].append(float(row[k] - ref_ic_s[j]))
    return {n: (float(np.median(d)) if d else DEFAULT_OFFSETS_S[n]) for n, d in diffs.items()}


class SideClassifier:
    """Left/right of each initial contact, with alternation enforced within a bout.

    Per contact, a score says "left": the medio-lateral trunk velocity towards the left
    (the body moves over the new stance foot — the inverted pendulum in the frontal
    plane; related to mobgap's ``LrcMansour``, which uses the derivative of low-passed
    ML acceleration), plus, with a gyroscope, minus the pelvic yaw rate (McCamley 2012;
    Ullrich showed yaw/roll combinations work best).  Both band-passed around the stride
    frequency.  Instead of trusting each contact's own sign (mobgap's anchors reach
    0.77–0.79 that way, gait.md §1.1), the labels are the most likely sequence of a
    two-state hidden Markov chain in which sides alternate unless a step was missed or
    added (:func:`viterbi_sides`): a bout-level consistency that one ambiguous contact
    cannot flip, and that re-synchronises after a detector error.  Steps longer than
    ``max_step_ratio`` × the median step (a missed contact or a pause) reset the parity.
    Deviation from the anchors: neither uses the sequence; mobgap's ``LrcUllrich`` uses a
    pretrained SVM per contact.

    Parameters
    ----------
    max_step_ratio
        A step longer than this × the median step resets the alternation.
    use_gyro
        Add the yaw-rate evidence when a gyroscope is available.
    break_prob, gain
        Probability that alternation breaks between two contacts, and the slope of the
        per-contact evidence (see :func:`viterbi_sides`).
    """

    def __init__(
        self,
        *,
        max_step_ratio: float = 1.6,
        use_gyro: bool = True,
        break_prob: float = 0.05,
        gain: float = 2.0,
    ) -> None:
        self.max_step_ratio = max_step_ratio
        self.use_gyro = use_gyro
        self.break_prob = break_prob
        self.gain = gain

    def classify(
        self,
        body_acc_mps2: FloatArray,
        *,
        ic: NDArray[np.int64],
        sampling_rate_hz: float,
        body_gyr_rps: FloatArray | None = None,
        step_hz: float | None = None,
    ) -> SideClassifier:
        """Label contacts; results in ``sides_`` ("left"/"right"/None) and ``score_``."""
        fs = sampling_rate_hz
        n = len(body_acc_mps2)
        if len(ic) == 0:
            self.score_ = np.zeros(0)
            self.sides_: list[str | None] = []
            return self
        f_step = step_hz or estimate_step_hz(body_acc_mps2[:, 0], sampling_rate_hz=fs) or 1.8
        band = (0.3 * f_step, min(0.75 * f_step, 0.45 * fs))
        score = np.zeros(len(ic))
        if n > 30:
            ml_vel = np.cumsum(_filt(body_acc_mps2[:, 2], fs, "bandpass", band)) / fs
            ml_vel = _filt(ml_vel, fs, "bandpass", band)
            score += ml_vel[ic] / (float(np.std(ml_vel)) + 1e-12)
            if body_gyr_rps is not None and self.use_gyro:
                yaw = _filt(body_gyr_rps[:, 0], fs, "bandpass", band)
                score -= yaw[ic] / (float(np.std(yaw)) + 1e-12)
        self.score_ = score
        self.sides_ = viterbi_sides(
            ic / fs,
            score,
            max_step_ratio=self.max_step_ratio,
            break_prob=self.break_prob,
            gain=self.gain,
        )
        return self


def viterbi_sides(
    ic_s: FloatArray,
    score: FloatArray,
    *,
    max_step_ratio: float,
    break_prob: float,
    gain: float,
) -> list[str | None]:
    """Most likely left/right sequence: alternation as a hidden Markov chain.

    Two states (left, right).  Each contact's own evidence is
    ``P(left) = 1 / (1 + exp(−gain · score))`` (scores are in standard deviations);
    consecutive contacts alternate with probability ``1 − break_prob`` — a detector
    that misses or adds a step breaks alternation once, after which the evidence of
    the following contacts re-synchronises the labels.  A step longer than
    ``max_step_ratio`` × the median step (a missed contact or a pause) makes the next
    side a coin toss.  Compared with labelling whole runs of regular steps by a summed
    vote (this module's previous method), one wrong or missing contact no longer flips
    the rest of the run.  ``break_prob``
    and ``gain`` are a priori choices (one break per ~20 steps; a score of 1 SD is
    ~88 % sure), not fitted to the validation data.  Contacts with zero evidence
    in a chain with zero total evidence are ``None``.
    """
    n = len(ic_s)
    if n == 0:
        return []
    if not np.any(score != 0):
        return [None] * n
    steps = np.diff(ic_s)
    med = float(np.median(steps)) if len(steps) else 0.0
    # log P(score | left), log P(score | right) up to a shared constant
    z = np.clip(gain * score, -30.0, 30.0)
    emit = np.column_stack([-np.log1p(np.exp(-z)), -np.log1p(np.exp(z))])
    log_alt, log_same = np.log(1.0 - break_prob), np.log(break_prob)
    delta = emit[0].copy()
    back = np.zeros((n, 2), dtype=np.int64)
    for i in range(1, n):
        if med > 0 and steps[i - 1] > max_step_ratio * med:
            trans = np.full((2, 2), np.log(0.5))
        else:
            trans = np.array([[log_same, log_alt], [log_alt, log_same]])
        cand = delta[:, None] + trans  # from state (row) to state (column)
        back[i] = np.argmax(cand, axis=0)
        delta = cand[back[i], [0, 1]] + emit[i]
    state = int(np.argmax(delta))
    path = [state]
    for i in range(n - 1, 0, -1):
        state = int(back[i, state])
        path.append(state)
    return ["left" if k == 0 else "right" for k in reversed(path)]


def stride_cadences_spm(ic_s: FloatArray) -> FloatArray:
    """Per-stride cadence, 120 / stride time, over the strides of one bout (contact k to
    k + 2: the same foot when sides alternate).

    The bout's cadence is their mean: the definition of the INDIP reference (a bout's
    ``Cadence`` is the mean of 120 / ``Stride_Duration`` over its strides, research/gait.md
    §2b) and of Mobilise-D's per-second cadence averaged over a bout.  Unlike 60 / median
    step (this module's previous estimate), slow strides — the last steps before a stop,
    hesitant turning steps — count, as they do in the reference; no threshold is involved.
    On the mobgap example data (leave-one-participant-out detections) it lowers the
    per-bout error against INDIP from 6.9 to 6.2 spm, and from 4.5 to 2.7 spm on bouts
    without turns (``benchmarks/bench_walk.py``).
    """
    t = np.sort(np.asarray(ic_s, dtype=np.float64))
    stride = t[2:] - t[:-2]
    return np.asarray(120.0 / stride[stride > 0], dtype=np.float64)


def step_regularity(
    v_mps2: FloatArray, *, sampling_rate_hz: float, step_hz: float
) -> tuple[float, float]:
    """Step and stride regularity (Moe-Nilssen & Helbostad 2004): unbiased autocorrelation
    of the vertical acceleration at the step and the stride lag (local peak search ±20 %)."""
    fs = sampling_rate_hz
    x = v_mps2 - float(np.mean(v_mps2))
    n = len(x)
    nfft = fft_size(2 * n)
    spec = np.fft.rfft(x, n=nfft)
    ac = np.fft.irfft(spec * np.conj(spec), n=nfft)[:n]
    if ac[0] <= 0:
        return float("nan"), float("nan")
    ac = ac / ac[0] * (n / (n - np.arange(n)))

    def at(lag_s: float) -> float:
        lo, hi = int(0.8 * lag_s * fs), min(int(1.2 * lag_s * fs) + 1, n - 1)
        return float(np.max(ac[lo:hi])) if hi > lo else float("nan")

    return at(1.0 / step_hz), at(2.0 / step_hz)
