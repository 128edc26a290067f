"""Deciding what each candidate is: shape + rhythm → pop, snap, grind, footstep or other.

The decisive physics (acoustics.md §3.2, §6.5):

* snaps and grinding **repeat with the stride** (the same leg, the same gait
  phase), footsteps repeat with **every step**, cavitation pops **do not
  repeat** (a joint needs ~20 min before it can cavitate again; Unsworth 1971)
  but may come in **clusters of 2–5 within 150 ms** from several joints;
* pops are sub-10 ms damped resonances at a few hundred Hz to 2 kHz; snaps
  are low (40–300 Hz) and ring 5–60 ms; crepitus is a 100–600 ms noisy
  episode dense in micro-clicks; taps, keys and rustle sit above 2 kHz;
  a resonance puts its energy in a few narrow bands (1–3 modes, 100–600 Hz
  wide each), a scuff or a friction burst spreads it over the band — the
  spectral flatness and peak-to-mean ratio of the detector's short FFT.

So every candidate gets shape descriptors (from
:mod:`~crepitus.acoustics.detection`) and **rhythm descriptors** computed
from the other candidates: self-similar recurrence one step and one/two
strides away (a soft match on time *and* shape, so a pop next to a footstep
does not inherit the footstep's rhythm), the number of transients within
±150 ms (cluster size), and the **stride-locked excess** of the
150–500 Hz crepitus band (:func:`synchronous_levels`: the detector's level
trace averaged at the same stride phase over the strides ±1, ±2 away, minus
the same average over the other leg's steps in between — energy locked to one
leg adds up, while footsteps, which come on every step, and sounds longer than
a stride cancel), and the **step contrast** (:func:`step_contrast`: its band
levels and centroid minus those of the heel strikes one and two steps away —
a pop on a heel strike stands out from the walk's own plain steps).
Gradient-boosted decision trees (120 stages × 5 classes,
depth 3, ≥ 100 training rows per leaf; Friedman 2001, fitted by histogram
boosting) over these descriptors (pops weighted 3× in training,
they are ~1 % of candidates), trained on the *tuning* split
of :mod:`crepitus.synth.corpus` (never on the held-out split) by
``python -m crepitus.acoustics.training`` and shipped as arrays in
``data/sound_model.json``, give class probabilities; they are kept on each
event for later fusion.  Rhythm rules then finish the job (each method below
cites its physics): lone "snaps" are not snaps, pop-shaped clicks that recur
every stride are snaps, snaps hidden under a heel strike are recovered from
the snap rhythm, arrhythmic "pops" must stand ≥ 10 dB over the mid-band floor,
lie outside dense bursts and not come back every stride (no rhythm can
confirm them, and a joint cannot cavitate again within minutes), the other
pops of a 150 ms cluster are kept, a crepitus episode takes its extent from the
band trace around its clicks when it is long enough or locked to the stride
(:func:`episode_extent`) — a run of clicks longer than 600 ms is several
episodes and is split (:func:`split_episodes`) — and crepitus shorter than
100 ms or without a stride rhythm is dropped.

Deviations / limits: the trees are shallow so that they learn broad physical
contrasts rather than the generator's quirks, but they were trained on one
generator only; finger taps on the phone are told from pops only by their
higher spectrum (a tap that rings below 2 kHz would pass as a pop).
"""

from __future__ import annotations

import bisect
import functools
import json
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import chain
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from crepitus.acoustics import features as F
from crepitus.acoustics.detection import SUSTAINED, Candidate
from crepitus.errors import KnowledgeBaseError

FloatArray = NDArray[np.float64]

CLASSES: tuple[str, ...] = ("pop", "snap", "grind", "footstep", "other")
#: Per-kind decision thresholds on the class probability (tuning split, 2-fold cross-validation).
#: Pops are up-weighted in training (:data:`crepitus.acoustics.training.CLASS_WEIGHT`), so their
#: posterior runs high and needs the higher bar; grind's bar keeps speech (formant and F0 energy
#: in the crepitus band, acoustics.md §3.3) and rubbing fabric from passing as crepitus.  A
#: false joint sound is the worse error here: a false pop reads as harmless cavitation and a
#: false snap or grind as a mechanism that is not there.  On generator version 2's 1,500 tuning
#: walks (macro-F1 / false joint sounds in 211 min of plain walks): 0.75 / 0.5 / 0.8 (the
#: version-1 choice) 0.857 / 85; pop 0.85: 0.854 / 73; grind 0.85 too: 0.851 / 63; snap 0.6
#: too: 0.848 / 48; pop 0.9: **0.843 / 42**, the first to meet issue 3's ≤ 0.2 per minute.
MIN_CONFIDENCE: Mapping[str, float] = {"pop": 0.9, "snap": 0.6, "grind": 0.85}
MODEL_RESOURCE = "sound_model.json"

#: Descriptor columns fed to the model (log-scaled where the quantity spans decades).
FEATURE_NAMES: tuple[str, ...] = (
    "log_duration",
    "log_rise",
    "log_tau",
    "log_centroid",
    "log_bandwidth",
    "low_share",
    "high_share",
    "mid_db",
    "low_db",
    "high_db",
    "crest_db",
    "log_click_rate",
    "subpeaks",
    "low_band",
    "sustained",
    "step_rec",
    "stride_rec",
    "stride_minus_step",
    "cluster_n",
    "rhythm_known",
    "log_frms",
    "m1_share",
    "m2_share",
    "sync_db",
    "sync_peak_db",
    "local_db",
    "mid_rise_db",
    "low_rise_db",
    "flatness_db",
    "peakedness_db",
    "mid_vs_steps_db",
    "low_vs_steps_db",
    "high_vs_steps_db",
    "centroid_vs_steps",
    "onset_hf_share",
    "log_onset_hz",
)

#: Rhythm descriptors :func:`rhythm_matrix` returns, in :data:`FEATURE_NAMES` order.
RHYTHM_NAMES: tuple[str, ...] = (
    "step_rec",
    "stride_rec",
    "stride_minus_step",
    "cluster_n",
    "rhythm_known",
    "sync_db",
    "sync_peak_db",
    "local_db",
    "mid_vs_steps_db",
    "low_vs_steps_db",
    "high_vs_steps_db",
    "centroid_vs_steps",
)
#: Window after a candidate's onset over which the crepitus-band level is averaged: the short
#: end of a crepitus episode (100–600 ms, acoustics.md §3.2).
SYNC_WINDOW_S = 0.15
#: Window around a candidate's peak for the synchronous level of short events: a snap rings
#: 5–60 ms (§3.2), and ±15 ms stays inside the stride jitter of 1–3 % (§3.1).
SYNC_PEAK_S = 0.03
#: Half-width, in strides, of the slot one snap occupies: a tendon snaps once per stride
#: (acoustics.md §3.2), so within ±¼ stride of a heard snap there is no second one.
OWN_SNAP_SLOT = 0.25
#: Same-kind transients closer than this are one sound (a snap and its partial, a thud
#: and its ringing); the most confident one stands for it.
SNAP_MERGE_S = 0.08


@dataclass
class SoundEvent:
    """One classified sound: the contract fields plus its descriptors and class probabilities."""

    onset_s: float
    offset_s: float
    kind: str
    confidence: float
    probabilities: dict[str, float] = field(default_factory=dict)
    features: dict[str, float] = field(default_factory=dict)

    def as_kind(self, kind: str) -> SoundEvent:
        """This event renamed ``kind`` by a rhythm rule, with that class's probability."""
        return SoundEvent(
            self.onset_s,
            self.offset_s,
            kind,
            self.probabilities.get(kind, 0.0),
            self.probabilities,
            self.features,
        )

    def as_other(self) -> SoundEvent:
        """This event demoted to ``other`` (a rule rejected its joint-sound label)."""
        return self.as_kind("other")

    def to_json(self, *, with_features: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "onset_s": round(self.onset_s, 4),
            "offset_s": round(self.offset_s, 4),
            "kind": self.kind,
            "confidence": round(self.confidence, 3),
        }
        if with_features:
            out["probabilities"] = {k: round(v, 3) for k, v in self.probabilities.items()}
            out["features"] = {k: round(v, 5) for k, v in self.features.items()}
        return out


# --------------------------------------------------------------------------- rhythm


def _similarity_keys(cands: Sequence[Candidate]) -> FloatArray:
    """Scaled shape descriptors; a distance of ~1 per key is "clearly different"."""
    raw = _feature_columns(
        cands, ("centroid_hz", "low_share", "high_share", "low_band", "low_db", "mid_db")
    )
    dur = _durations(cands)
    sus = _sustained(cands).astype(np.float64)
    return np.stack(
        [
            np.log(raw[:, 0] + 50.0) / 0.4,
            np.log(np.maximum(dur, 1e-3)) / 0.5,
            raw[:, 1] / 0.25,
            raw[:, 2] / 0.25,
            raw[:, 3] / 0.5,
            sus / 0.5,
            # level: a footstep with a snap on top is louder than the steps either side
            np.clip(raw[:, 4], -10, 50) / 4.0,
            np.clip(raw[:, 5], -10, 50) / 4.0,
        ],
        axis=1,
    )


def _window_level_db(
    trace_t_s: FloatArray, cum_db: FloatArray, starts_s: FloatArray, *, width_s: float
) -> FloatArray:
    """Mean trace level (dB) over ``width_s`` from each start; NaN outside the trace.

    ``cum_db`` is the cumulative sum of the clipped trace with a leading 0
    (:func:`synchronous_levels` builds it once), so each window mean is one
    difference however many windows are asked for.
    """
    n_tr = len(trace_t_s)
    n_fr = max(1, round(width_s / max(F.median(np.diff(trace_t_s)), 1e-3)))
    i0 = np.searchsorted(trace_t_s, starts_s)
    i1 = np.minimum(i0 + n_fr, n_tr)
    ok = (i0 < n_tr) & (starts_s >= trace_t_s[0])
    i0 = np.minimum(i0, n_tr)
    return np.where(ok, (cum_db[i1] - cum_db[i0]) / np.maximum(i1 - i0, 1), np.nan)


#: Stride lags of the synchronous average: the strides ±1 and ±2 away (same leg, same phase).
STRIDE_LAGS: tuple[float, ...] = (-2.0, -1.0, 1.0, 2.0)
#: The steps in between (the other leg): half a stride off the stride lags.
STEP_LAGS: tuple[float, ...] = (-1.5, -0.5, 0.5, 1.5)


def synchronous_levels(
    onsets_s: FloatArray,
    peaks_s: FloatArray,
    stride_s: FloatArray,
    trace_t_s: FloatArray,
    trace_db: FloatArray,
) -> FloatArray:
    """Stride-locked excess of the crepitus-band trace at each candidate (n × 3, dB).

    Columns: ``sync_db`` — the median over the strides ±1 and ±2 away
    (:data:`STRIDE_LAGS`) of the 150–500 Hz level in the :data:`SYNC_WINDOW_S`
    after the onset, **minus** the same median over the other leg's steps in
    between (:data:`STEP_LAGS`); ``sync_peak_db`` — the same over
    :data:`SYNC_PEAK_S` around the peak; ``local_db`` — the level in the onset
    window of this stride itself.

    This is synchronous averaging on the stride clock: crepitus comes back on
    every stride at the same gait phase while loading the joint (acoustics.md
    §3.2, loaded ≫ unloaded VAG, §2.2) and a snap at a fixed phase of the same
    leg (§3.2), so energy locked to one leg's stride adds up over strides; the
    median of four strides ignores one loud interferer, and a cavitation pop
    does not come back (~20 min refractory, §1.1).  But footsteps are
    stride-synchronous too — a heel strike and scuff on **every** step (§3.3)
    — and so is any sound longer than a stride (speech 1–4 s, breathing
    2–5 s cycles, §3.3): alone, the stride average rated speech syllables and
    heel strikes as locked (the false crepitus of the tuning split's plain
    walks).  Both are as loud half a stride away, on the other leg's steps,
    so the excess over that level keeps only what is locked to one leg.
    Crepitus on every step (§3.2) loses this evidence — by rhythm alone it
    cannot be told from footstep-locked energy — and keeps its shape
    descriptors and ``local_db``.  Without a trace or a stride the columns are
    0 dB (no evidence).
    """
    n = len(onsets_s)
    if n == 0 or len(trace_t_s) < 2:
        return np.zeros((n, 3))
    known = np.isfinite(stride_s)
    cum_db = np.concatenate([[0.0], np.cumsum(np.clip(trace_db, -20.0, 60.0))])

    def synced(starts: FloatArray, lags: Sequence[float], width_s: float) -> FloatArray:
        """Median level over the windows at ``lags`` strides from ``starts`` (NaN: none inside)."""
        shifted = (starts[:, None] + np.asarray(lags)[None, :] * stride_s[:, None]).ravel()
        lv = _window_level_db(trace_t_s, cum_db, shifted, width_s=width_s).reshape(n, len(lags))
        valid: NDArray[np.bool_] = np.asarray(np.isfinite(lv).any(axis=1))
        return np.where(valid, _nanmedian_rows(np.where(valid[:, None], lv, 0.0)), np.nan)

    def excess(starts: FloatArray, width_s: float) -> FloatArray:
        d = synced(starts, STRIDE_LAGS, width_s) - synced(starts, STEP_LAGS, width_s)
        return np.where(known & np.isfinite(d), d, 0.0)

    local = _window_level_db(trace_t_s, cum_db, onsets_s, width_s=SYNC_WINDOW_S)
    return np.stack(
        [
            excess(onsets_s, SYNC_WINDOW_S),
            excess(peaks_s - SYNC_PEAK_S / 2, SYNC_PEAK_S),
            np.where(np.isfinite(local), local, 0.0),
        ],
        axis=1,
    )


def _nanmedian_rows(a: FloatArray) -> FloatArray:
    """``np.nanmedian(a, axis=1)`` for rows with at least one finite value and no ±inf.

    The same arithmetic as numpy's own route for short rows (sort, then the
    two middle values summed as an (n × 2) array and halved — a sum, not an
    add, so that −0 + −0 gives +0 as there), so the same bits, but without
    masked arrays: that route imports ``numpy.ma`` (~40 ms, more than this
    whole median on an hour of walking) and is slow on many rows.
    """
    s = np.sort(a, axis=1)  # NaNs last
    count = np.count_nonzero(~np.isnan(a), axis=1)
    high = count // 2
    low = np.where(count % 2 == 1, high, high - 1)
    middle = np.take_along_axis(s, np.stack([low, high], axis=1), axis=1)
    return np.asarray(middle.sum(axis=1) / 2.0, dtype=np.float64)


#: Step lags at which :func:`step_contrast` looks for the footsteps a candidate is compared with.
CONTRAST_LAGS: tuple[float, ...] = (-2.0, -1.0, 1.0, 2.0)


def step_contrast(
    ts: FloatArray, values: FloatArray, clock: NDArray[np.bool_], period_s: FloatArray
) -> FloatArray:
    """Each candidate's descriptors minus the median of the footsteps one and two steps away.

    ``ts`` are sorted peak times, ``values`` the (n × m) descriptors to contrast,
    ``clock`` marks the candidates that carry the step clock (transients with a
    strong low-band thud: the heel strikes) and ``period_s`` is the step period
    at each candidate (NaN: unknown).  For every lag of :data:`CONTRAST_LAGS`
    the clock candidate nearest ``t + lag × period`` is taken if it lies within
    ±24 % of a step (the recurrence window of :func:`rhythm_matrix`); the
    result is the candidate's values minus their median, 0 where none is found.

    Why: a heel strike is one of a series — the same foot, shoe and floor make
    nearly the same thud every step (§3.3) — so the footsteps either side are
    this walk's own template of a plain step.  A pop that lands on a heel
    strike (cavitation gathers at double support, acoustics.md §3.2) adds a
    sub-10 ms resonance at 150–2000 Hz on top of it: the candidate stands out
    from its neighbours in the mid band and its centroid, while its absolute
    descriptors still look like a footstep's.  The contrast is also what a
    person's ear uses ("one step sounded different").
    """
    n, m = values.shape
    out = np.zeros((n, m))
    cj = np.flatnonzero(clock)
    if n == 0 or len(cj) == 0:
        return out
    ct = ts[cj]
    known = np.isfinite(period_s)
    per = np.where(known, period_s, 1.0)
    picked = np.full((n, len(CONTRAST_LAGS)), -1, dtype=np.intp)
    for col, lag in enumerate(CONTRAST_LAGS):
        target = ts + lag * per
        right = np.clip(np.searchsorted(ct, target), 0, len(ct) - 1)
        left = np.clip(right - 1, 0, len(ct) - 1)
        near = np.where(np.abs(ct[left] - target) < np.abs(ct[right] - target), left, right)
        ok = known & (np.abs(ct[near] - target) <= 0.24 * per)
        picked[:, col] = np.where(ok, cj[near], -1)
    found = picked >= 0
    has: NDArray[np.bool_] = np.asarray(found.any(axis=1))
    for k in range(m):
        v = np.where(found, values[np.maximum(picked, 0), k], np.nan)
        med = _nanmedian_rows(np.where(has[:, None], v, 0.0))
        out[:, k] = np.where(has, values[:, k] - med, 0.0)
    return out


def rhythm_matrix(
    cands: Sequence[Candidate],
    *,
    trace: tuple[FloatArray, FloatArray] | None = None,
    segment_s: float = 60.0,
) -> FloatArray:
    """Recurrence at the step and stride lags and cluster size for every candidate.

    One row per candidate (in the order given), columns :data:`RHYTHM_NAMES`:
    the model's input takes the columns and each event's descriptors the rows,
    with no dict per candidate in between (tens of thousands in an hour).

    The step period is estimated per ``segment_s`` window from the candidates'
    own times (:func:`~crepitus.acoustics.features.step_period_s`); where none
    is found, ``rhythm_known`` is 0 and the recurrences are 0.  Recurrence at a
    lag is the best soft match (time within σ = 4 % of the stride — stride
    jitter 1–3 % plus drift, acoustics.md §3.1 — times shape similarity);
    the step score takes the better of the two neighbouring steps and the
    stride score the mean of the best two of ±1, ±2 strides, so the first and
    last steps of a walk are not penalised.  With the detector's crepitus-band
    ``trace`` (times, dB), the stride-synchronous levels of
    :func:`synchronous_levels` are added.  Vectorised over candidates.
    """
    n = len(cands)
    if n == 0:
        return np.zeros((0, len(RHYTHM_NAMES)))
    t_all = _times(cands, "peak_s")
    order = np.argsort(t_all, kind="stable")
    ts = t_all[order]
    zs = _similarity_keys(cands)[order]
    trans = ~_sustained(cands)[order]
    # footstep thuds (low band > 10 dB over its floor) carry the step clock best
    strong = (_feature_columns(cands, ("low_db",))[:, 0] > 10.0)[order]
    ct = np.concatenate([[0], np.cumsum(trans)])
    lo = np.searchsorted(ts, ts - 0.15, side="left")
    hi = np.searchsorted(ts, ts + 0.15, side="right")
    cluster = (ct[hi] - ct[lo] - trans).astype(np.float64)
    seg = np.floor(ts / segment_s).astype(int)
    period = np.full(n, np.nan)
    # ts is sorted, so seg is: its distinct values without np.unique, which imports numpy.ma
    # (~40 ms, more than this whole function on a minute of walking)
    first = np.ones(n, dtype=np.bool_)
    first[1:] = seg[1:] != seg[:-1]
    for sg in seg[first]:
        sel = (np.abs(ts - (sg + 0.5) * segment_s) <= segment_s) & strong & trans
        found = F.step_period_s(ts[sel])
        if found is not None:
            period[seg == sg] = found
    known = np.isfinite(period)
    per = np.where(known, period, 1.0)
    sigma = 0.04 * 2 * per

    def rec(mults: Sequence[float], top: int) -> NDArray[np.float64]:
        cols = []
        for k in mults:
            target = ts + k * per
            a = np.searchsorted(ts, target - 3 * sigma)
            b = np.searchsorted(ts, target + 3 * sigma)
            # every (candidate i, neighbour j in its window) pair at once, grouped by i
            cnt = b - a
            first = np.cumsum(cnt) - cnt
            i = np.repeat(np.arange(n), cnt)
            j = np.arange(len(i)) - first[i] + a[i]
            sim = np.exp(-0.5 * np.sum((zs[j] - zs[i]) ** 2, axis=1))
            sim *= np.exp(-0.5 * ((ts[j] - target[i]) / sigma[i]) ** 2)
            best = np.zeros(n)
            has = cnt > 0
            if has.any():
                best[has] = np.maximum(np.maximum.reduceat(sim, first[has]), 0.0)
            inside = (target >= 0.0) & (target <= ts[-1] + 0.5)
            cols.append(np.where(inside, best, -1.0))
        v = -np.sort(-np.stack(cols, axis=1), axis=1)[:, :top]
        valid = v >= 0
        cnt = valid.sum(axis=1)
        return np.where(cnt > 0, np.where(valid, v, 0.0).sum(axis=1) / np.maximum(cnt, 1), 0.0)

    step_rec = np.where(known, rec((-1.0, 1.0), 1), 0.0)
    stride_rec = np.where(known, rec((-4.0, -2.0, 2.0, 4.0), 2), 0.0)
    sync = (
        np.zeros((n, 3))
        if trace is None
        else synchronous_levels(
            _times(cands, "onset_s")[order],
            ts,
            np.where(known, 2 * per, np.nan),
            trace[0],
            trace[1],
        )
    )
    levels = np.clip(_feature_columns(cands, ("mid_db", "low_db", "high_db")), -20.0, 60.0)
    centroid = np.log(_feature_columns(cands, ("centroid_hz",)) + 50.0)
    contrast = step_contrast(ts, np.column_stack([levels, centroid])[order], strong & trans, period)
    res = np.column_stack(
        [
            step_rec,
            stride_rec,
            stride_rec - step_rec,
            cluster,
            known.astype(np.float64),
            sync,
            contrast,
        ]
    )
    out = np.empty_like(res)
    out[order] = res
    return out


def _times(cands: Sequence[Candidate], name: str) -> FloatArray:
    """The time ``name`` (``"onset_s"``, ``"peak_s"`` …) of every candidate, as an array.

    Streamed through ``attrgetter`` into ``np.fromiter``: no list of tens of
    thousands of floats in between.
    """
    return np.fromiter(map(operator.attrgetter(name), cands), dtype=np.float64, count=len(cands))


def _durations(cands: Sequence[Candidate]) -> FloatArray:
    """Every candidate's ``duration_s`` (offset − onset, the same subtraction), without a
    property call per candidate."""
    return _times(cands, "offset_s") - _times(cands, "onset_s")


def _sustained(cands: Sequence[Candidate]) -> NDArray[np.bool_]:
    """Which candidates are sustained sounds (the rest are transients)."""
    shapes = map(operator.attrgetter("shape"), cands)
    return np.fromiter(map(SUSTAINED.__eq__, shapes), dtype=np.bool_, count=len(cands))


def _feature_columns(cands: Sequence[Candidate], keys: Sequence[str]) -> FloatArray:
    """The descriptors ``keys`` of every candidate as a (candidates × keys) matrix."""
    return _value_matrix((c.features for c in cands), keys, len(cands))


def _value_matrix(rows: Iterable[Mapping[str, float]], keys: Sequence[str], n: int) -> FloatArray:
    """``row[key]`` for each of the ``n`` rows and each key, as an (n × keys) matrix.

    One ``itemgetter`` call per row instead of a Python loop over the keys, and
    the values streamed into the array (``np.fromiter``) rather than gathered
    in a list of tuples whose shape numpy would have to discover (tens of
    thousands of rows in an hour-long recording).
    """
    get = operator.itemgetter(*keys)
    values = chain.from_iterable(map(get, rows)) if len(keys) > 1 else map(get, rows)
    return np.fromiter(values, dtype=np.float64, count=n * len(keys)).reshape(n, len(keys))


#: Candidate descriptors the model reads, in :data:`FEATURE_NAMES` order before transforms.
_RAW_KEYS: tuple[str, ...] = (
    "rise_time_s",
    "decay_tau_s",
    "centroid_hz",
    "bandwidth_hz",
    "low_share",
    "high_share",
    "mid_db",
    "low_db",
    "high_db",
    "crest_db",
    "click_rate_hz",
    "subpeaks",
    "low_band",
    "frms_hz",
    "m1_share",
    "m2_share",
    "mid_rise_db",
    "low_rise_db",
    "flatness_db",
    "peakedness_db",
    "onset_hf_share",
    "onset_hz",
)


def feature_matrix(cands: Sequence[Candidate], rhythm: FloatArray) -> FloatArray:
    """The model's input, one row per candidate, columns :data:`FEATURE_NAMES`.

    ``rhythm`` is the candidates' :func:`rhythm_matrix`.
    """
    n = len(cands)
    if n == 0:
        return np.zeros((0, len(FEATURE_NAMES)))
    raw = _feature_columns(cands, _RAW_KEYS)
    col = {k: raw[:, i] for i, k in enumerate(_RAW_KEYS)}
    dur = _durations(cands)
    sus = _sustained(cands).astype(np.float64)
    cols = [
        np.log(np.maximum(dur, 1e-3)),
        np.log(np.maximum(col["rise_time_s"], 1e-4)),
        np.log(np.maximum(col["decay_tau_s"], 1e-4)),
        np.log(col["centroid_hz"] + 50.0),
        np.log(col["bandwidth_hz"] + 50.0),
        col["low_share"],
        col["high_share"],
        np.clip(col["mid_db"], -20, 60),
        np.clip(col["low_db"], -20, 60),
        np.clip(col["high_db"], -20, 60),
        col["crest_db"],
        np.log(col["click_rate_hz"] + 1.0),
        np.minimum(col["subpeaks"], 50.0),
        col["low_band"],
        sus,
        rhythm[:, 0],
        rhythm[:, 1],
        rhythm[:, 2],
        np.minimum(rhythm[:, 3], 8.0),
        rhythm[:, 4],
        np.log(col["frms_hz"] + 50.0),
        col["m1_share"],
        col["m2_share"],
        rhythm[:, 5],
        rhythm[:, 6],
        rhythm[:, 7],
        np.clip(col["mid_rise_db"], -20, 60),
        np.clip(col["low_rise_db"], -20, 60),
        col["flatness_db"],
        col["peakedness_db"],
        *rhythm[:, 8:12].T,
        col["onset_hf_share"],
        np.log(col["onset_hz"] + 50.0),
    ]
    return np.stack(cols, axis=1)


# --------------------------------------------------------------------------- the model

#: Unsigned integer types wide enough for the 2^level branch bits of one tree level.
_LEVEL_BITS: tuple[type[np.unsignedinteger[Any]], ...] = (
    np.uint8,
    np.uint8,
    np.uint8,
    np.uint8,
    np.uint16,
    np.uint32,
    np.uint64,
)
#: Deepest trees :meth:`TreeEnsembleModel.predict_proba` evaluates (64 branch bits per level).
MAX_TREE_DEPTH = len(_LEVEL_BITS)


class _PerfectTrees(NamedTuple):
    """A model's trees made perfect and their decisions grouped by feature (see ``_perfect``)."""

    #: (feature, start, stop): the pairs ``start:stop`` test that feature
    by_feature: tuple[tuple[int, int, int], ...]
    thresholds: FloatArray  # of the distinct (feature, threshold) pairs
    level_rows: NDArray[np.intp]  # decision k in level order tests pair level_rows[k]
    leaves: FloatArray  # (2^depth, trees)
    per_class: FloatArray  # (trees, classes): the learning rate where a tree scores a class


@dataclass(frozen=True)
class TreeEnsembleModel:
    """Gradient-boosted decision trees, stored as flat arrays (no scikit-learn at run time).

    ``raw = init + learning_rate · Σ_trees value(leaf)`` per class, then softmax —
    the multinomial deviance model of Friedman (2001), as fitted by
    scikit-learn's ``HistGradientBoostingClassifier`` in :mod:`crepitus.acoustics.training`
    (whose leaves already carry the learning rate, so it exports ``learning_rate`` 1).
    """

    classes: tuple[str, ...]
    feature_names: tuple[str, ...]
    init: FloatArray  # (n_classes,)
    learning_rate: float
    # one entry per (stage, class) tree, nodes concatenated; child index -1 = leaf
    tree_class: NDArray[np.intp]
    tree_offset: NDArray[np.intp]
    feature: NDArray[np.intp]
    threshold: FloatArray
    left: NDArray[np.intp]
    right: NDArray[np.intp]
    value: FloatArray
    depth: int
    chunk_rows: int = 256

    @functools.cached_property
    def _perfect(self) -> _PerfectTrees:
        """Every tree as a perfect tree of :attr:`depth` levels, for branch-free evaluation.

        The decisions of all trees in level order (level position, tree) —
        (2^depth − 1) · trees of them — become the distinct (feature,
        threshold) pairs grouped by feature, so a chunk of rows is compared
        with each feature's thresholds in one broadcast straight from its row
        of ``x`` (no gathered copy of ``x`` per decision, no comparison twice);
        ``level_rows`` maps each decision in level order to its pair.  A
        leaf above the last level becomes a decision that always goes left
        (feature 0, threshold +inf) into copies of itself, so every leaf below
        it carries its value: the same predictions, with no leaf test.
        """
        if self.depth > MAX_TREE_DEPTH:
            raise KnowledgeBaseError(
                f"sound_model.json: trees deeper than {MAX_TREE_DEPTH} levels are not supported"
            )
        roots = self.tree_offset
        node = roots[None, :]  # (positions in the level, trees): absolute node indices
        feats, thrs = [], []
        for _ in range(self.depth):
            leaf = self.feature[node] < 0
            feats.append(np.where(leaf, 0, self.feature[node]))
            thrs.append(np.where(leaf, np.inf, self.threshold[node]))
            left = np.where(leaf, node, self.left[node] + roots)
            right = np.where(leaf, node, self.right[node] + roots)
            node = np.stack([left, right], axis=1).reshape(-1, len(roots))
        per_class = np.zeros((len(self.tree_class), len(self.classes)))
        per_class[np.arange(len(self.tree_class)), self.tree_class] = self.learning_rate
        feat = np.concatenate(feats).reshape(-1) if feats else np.zeros(0, dtype=np.intp)
        thr = np.concatenate(thrs).reshape(-1) if thrs else np.zeros(0)
        # one comparison per distinct (feature, threshold): about a quarter of them repeat
        order = np.lexsort((thr, feat))
        f_sorted, t_sorted = feat[order], thr[order]
        distinct = np.ones(len(order), dtype=np.bool_)
        distinct[1:] = (f_sorted[1:] != f_sorted[:-1]) | (t_sorted[1:] != t_sorted[:-1])
        level_rows = np.empty_like(order)
        level_rows[order] = np.cumsum(distinct) - 1
        f_rows = f_sorted[distinct]
        starts = np.flatnonzero(np.diff(f_rows, prepend=-1))
        stops = np.append(starts[1:], len(f_rows))
        by_feature = tuple(
            (int(f_rows[a]), int(a), int(b))
            for a, b in zip(starts.tolist(), stops.tolist(), strict=True)
        )
        return _PerfectTrees(
            by_feature, t_sorted[distinct], level_rows, self.value[node], per_class
        )

    def predict_proba(self, x: FloatArray) -> FloatArray:
        """Class probabilities, one row per row of ``x`` (columns :attr:`feature_names`).

        Every decision of every tree is evaluated at once, one broadcast
        comparison per feature (:attr:`_perfect`); then each level's
        "goes left" bits are packed into one integer per (tree, row) and the
        path follows them: at most ``2^level`` bits, hence
        :data:`MAX_TREE_DEPTH`.  The packing works on 8-byte words holding 8
        rows' lanes at once (a bit shifted by less than the lane width stays
        in its lane).  Rows go in chunks of :attr:`chunk_rows`, so memory
        stays bounded; the leaf values of a chunk are summed per class by the
        same matrix product whatever way the leaves were found.
        """
        n = len(x)
        if n == 0:
            return np.zeros((0, len(self.classes)))
        trees = self._perfect
        n_trees = len(self.tree_offset)
        tree = np.arange(n_trees)[:, None]
        leaf_values = trees.leaves.reshape(-1)  # leaf l of tree t at l · n_trees + t
        xt = np.ascontiguousarray(np.asarray(x, dtype=np.float64).T)
        raw = np.empty((n, len(self.classes)))
        for i in range(0, n, self.chunk_rows):
            xc = xt[:, i : i + self.chunk_rows]
            width = xc.shape[1]
            # whole 8-byte words per row; the padding lanes are zeros and never read
            goes_left = np.empty((len(trees.thresholds), -(-width // 8) * 8), dtype=np.bool_)
            goes_left[:, width:] = False
            for f, a, b in trees.by_feature:
                # "<=", and right otherwise: a NaN goes right, as in scikit-learn's trees
                np.less_equal(xc[f], trees.thresholds[a:b, None], out=goes_left[a:b, :width])
            pos = np.zeros((n_trees, goes_left.shape[1]), dtype=np.uint8)
            for d in range(self.depth):
                lane = _LEVEL_BITS[d]
                rows = trees.level_rows[(2**d - 1) * n_trees : (2 ** (d + 1) - 1) * n_trees]
                level = np.take(goes_left, rows, axis=0).view(np.uint8).astype(lane, copy=False)
                words = level.reshape(2**d, n_trees, -1).view(np.uint64)
                code = words[0].copy()
                for j in range(1, 2**d):
                    code |= words[j] << np.uint64(j)
                # flip the 2^d bits of every lane: the bits say "goes right"
                flip = np.full(8 // np.dtype(lane).itemsize, (1 << 2**d) - 1, dtype=lane)
                code ^= flip.view(np.uint64)
                right = (code.view(lane) >> pos) & 1
                pos = (2 * pos + right).astype(np.uint8)
            raw[i : i + self.chunk_rows] = (
                leaf_values[pos[:, :width].astype(np.intp) * n_trees + tree].T @ trees.per_class
            )
        raw += self.init[None, :]
        raw -= raw.max(axis=1, keepdims=True)
        p = np.exp(raw)
        return np.asarray(p / p.sum(axis=1, keepdims=True), dtype=np.float64)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": "crepitus.sound_trees/1",
            "classes": list(self.classes),
            "feature_names": list(self.feature_names),
            "init": self.init.tolist(),
            "learning_rate": self.learning_rate,
            "depth": self.depth,
            "tree_class": self.tree_class.tolist(),
            "tree_offset": self.tree_offset.tolist(),
            "feature": self.feature.tolist(),
            "threshold": [round(v, 6) for v in self.threshold.tolist()],
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "value": [round(v, 6) for v in self.value.tolist()],
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> TreeEnsembleModel:
        keys = {
            "schema",
            "classes",
            "feature_names",
            "init",
            "learning_rate",
            "depth",
            "tree_class",
            "tree_offset",
            "feature",
            "threshold",
            "left",
            "right",
            "value",
            "training",
        }
        if set(doc) - keys or doc.get("schema") != "crepitus.sound_trees/1":
            raise KnowledgeBaseError("sound_model.json: unknown schema or keys")
        if tuple(doc["feature_names"]) != FEATURE_NAMES or tuple(doc["classes"]) != CLASSES:
            raise KnowledgeBaseError("sound_model.json was trained for other features; retrain it")
        ints = {
            k: np.asarray(doc[k], dtype=np.intp)
            for k in ("tree_class", "tree_offset", "feature", "left", "right")
        }
        return cls(
            tuple(doc["classes"]),
            tuple(doc["feature_names"]),
            np.asarray(doc["init"], dtype=np.float64),
            float(doc["learning_rate"]),
            ints["tree_class"],
            ints["tree_offset"],
            ints["feature"],
            np.asarray(doc["threshold"], dtype=np.float64),
            ints["left"],
            ints["right"],
            np.asarray(doc["value"], dtype=np.float64),
            int(doc["depth"]),
        )


def load_model() -> TreeEnsembleModel:
    """The packaged model (``crepitus/acoustics/data/sound_model.json``)."""
    try:
        text = (
            resources.files("crepitus.acoustics")
            .joinpath("data", MODEL_RESOURCE)
            .read_text("utf-8")
        )
    except FileNotFoundError:
        raise KnowledgeBaseError(
            "sound_model.json is missing from the package; reinstall"
        ) from None
    return TreeEnsembleModel.from_json(json.loads(text))


#: Shortest step of a walk: 60 / 160 s, cadence at most ~160 steps/min (90–120 typical,
#: acoustics.md §3.1; :func:`~crepitus.acoustics.features.step_period_s` searches 70–158).
MIN_STEP_S = 60.0 / 160.0
#: Footstep onsets within this of a footstep's first onset are the same footstep (heel strike,
#: roll, foot-flat slap, toe-off scuff) when the step clock is read (:func:`footstep_period_s`):
#: ⅔ of :data:`MIN_STEP_S`, 0.25 s — it covers the loading response (≤ ~20 % of a 1.0–1.33 s
#: stride) and leaves ⅓ of the shortest step for step asymmetry and jitter (CV 1–3 %, §3.1).
FOOTSTEP_SPAN_S = 2.0 * MIN_STEP_S / 3.0


#: Longest crepitus episode: 100–600 ms (acoustics.md §3.2).
MAX_EPISODE_S = 0.6
#: One grind-class candidate on its way into an episode: the candidate, its class
#: probabilities and its descriptors (shape and rhythm).
GrindPart = tuple[Candidate, FloatArray, dict[str, float]]


def episode_extent(
    trace_t_s: FloatArray,
    trace_db: FloatArray,
    onset_s: float,
    offset_s: float,
    *,
    level_db: float,
    drop_db: float = np.inf,
    max_s: float = MAX_EPISODE_S,
    smooth_s: float = 0.05,
) -> tuple[float, float]:
    """Grow ``[onset_s, offset_s]`` to where the crepitus-band trace stays ≥ ``level_db``.

    The trace is smoothed over ``smooth_s`` (the noise of a micro-click train
    averages out over tens of clicks, §3.2: 20–300 clicks/s).  The episode
    grows on both sides while the smoothed level stays above ``level_db`` and
    within ``drop_db`` of its peak inside ``[onset_s, offset_s]``, to at most
    ``max_s`` in all (crepitus episodes are 100–600 ms, acoustics.md §3.2); it
    never shrinks.  The relative bound is for loud episodes: the heel strike
    before a crepitus episode at loading (§3.2) and the previous step's episode
    keep the band well over the absolute level, and without it a loud episode
    took them in (on the tuning split, 2-fold cross-validation: most
    misplaced episodes started 0.2–0.9 s early at a median 17 dB SNR; with
    ``drop_db`` = 15 grind F1 0.896 → 0.908, and 10 or 20 dB gave 0.906 and
    0.905).
    """
    i0 = int(np.searchsorted(trace_t_s, onset_s - max_s))
    i1 = int(np.searchsorted(trace_t_s, offset_s + max_s))
    if i1 - i0 < 2:
        return onset_s, offset_s
    t = trace_t_s[i0:i1]
    dt = max(F.median(np.diff(t)), 1e-3)
    seg = F.smooth(np.clip(trace_db[i0:i1], -20.0, 60.0), width=max(1, round(smooth_s / dt)))
    a0 = a = int(np.searchsorted(t, onset_s))
    b0 = b = min(int(np.searchsorted(t, offset_s)), len(t) - 1)
    budget = max(0, int((max_s - (offset_s - onset_s)) / dt) - 2)  # 2 frames for the edges
    peak = float(np.max(seg[a0 : b0 + 1])) if b0 >= a0 else -np.inf
    low = np.flatnonzero(seg < max(level_db, peak - drop_db))
    # the elevated run around [a, b]: from just after the last low point before a to just
    # before the first low point after b; the left side takes the length budget first
    k = int(np.searchsorted(low, a))
    a = max(int(low[k - 1]) + 1 if k > 0 else 0, a - budget)
    budget -= a0 - a
    k = int(np.searchsorted(low, b, side="right"))
    b = min(int(low[k]) - 1 if k < len(low) else len(t) - 1, b + budget)
    on = min(onset_s, float(t[a]) - dt / 2) if a < a0 else onset_s
    off = max(offset_s, float(t[b]) + dt / 2) if b > b0 else offset_s
    return on, off


def split_episodes(group: Sequence[GrindPart], *, max_s: float) -> list[Sequence[GrindPart]]:
    """Cut a run of crepitus clicks (sorted by onset) longer than ``max_s`` at its widest gaps.

    Each cut is at the widest gap between one click's end (the latest so far)
    and the next click's start, and the pieces are cut again until each is at
    most ``max_s`` long or has no gap left; overlapping clicks are never cut.
    """
    if len(group) < 2 or max(g[0].offset_s for g in group) - group[0][0].onset_s <= max_s:
        return [group]
    ends = np.maximum.accumulate([g[0].offset_s for g in group])
    gaps = np.array([g[0].onset_s for g in group[1:]]) - ends[:-1]
    i = int(np.argmax(gaps))
    if gaps[i] <= 0:
        return [group]
    return split_episodes(group[: i + 1], max_s=max_s) + split_episodes(group[i + 1 :], max_s=max_s)


def footstep_period_s(onsets_s: FloatArray) -> float | None:
    """The step period from footstep onsets: one time per footstep, then the median step.

    1. **One time per footstep.**  A footstep is several sounds: the heel
       strike, then the roll onto the forefoot, the foot-flat slap and the
       other foot's toe-off scuff during loading response (0–~20 % of the
       stride, acoustics.md §3.1), and a slowly building thud can be found
       twice.  The classifier may read each as a footstep, and the interval
       from such a second component to the next heel strike (p − 0.1 s)
       passes the 0.3–1.0 s window below: a recording with a roll 60–120 ms
       after every heel strike read the step ~7 % short, and the ±10 %
       stride gates then rejected its real snaps.  Two heel strikes cannot be
       closer than :data:`MIN_STEP_S` (cadence ≤ 160 steps/min), so onsets
       within :data:`FOOTSTEP_SPAN_S` (⅔ of that) of a footstep's first onset
       are that footstep.  The first onset is kept, not the strongest: the
       heel strike starts the step, while the later components trail it by
       a delay that varies from step to step (timing the clock by them would
       add that variation as jitter) and may be the loudest on a soft floor.
       The span is measured from the kept onset, not chained, so a run of
       sounds cannot swallow the next heel strike.
    2. **Median step.**  The median of the intervals of 0.3–1.0 s, when there
       are at least four; otherwise ``None``.  A missed footstep (an interval
       of two steps) or an unmerged stray one only moves the median by a rank.
    """
    steps = np.sort(np.asarray(onsets_s, dtype=np.float64))
    kept: list[float] = []
    for t in steps.tolist():
        if not kept or t - kept[-1] >= FOOTSTEP_SPAN_S:
            kept.append(t)
    diffs = np.diff(np.asarray(kept))
    diffs = diffs[(diffs > 0.3) & (diffs < 1.0)]
    return F.median(diffs) if len(diffs) >= 4 else None


def _stride_partners(
    times: FloatArray, t: float, stride_s: float, *, tolerance: float = 0.06
) -> int:
    """On how many of the strides ±1, ±2 from ``t`` one of ``times`` lies, ± ``tolerance``.

    ``tolerance`` is a share of the stride: the default ±6 % is about 2–3 standard
    deviations of stride-time jitter (1–3 %, acoustics.md §3.1) at the same gait phase.
    """
    return sum(
        bool(np.any(np.abs(times - (t + k * stride_s)) < tolerance * stride_s))
        for k in (-2, -1, 1, 2)
    )


# --------------------------------------------------------------------------- the classifier


class SoundClassifier:
    """Turn candidates into sound events: probabilities, then episode assembly.

    Parameters
    ----------
    model
        A :class:`TreeEnsembleModel`; the packaged one when ``None``.
    min_confidence
        Per joint kind, the class probability below which an event is reported
        as ``other`` (a false "pop" worries a user more than a missed one);
        :data:`MIN_CONFIDENCE` was chosen on the tuning split by
        cross-validation.
    footstep_merge_s, grind_merge_s
        Footstep candidates closer than this are one footstep event (thud +
        scuff; the step clock merges up to :data:`FOOTSTEP_SPAN_S`);
        grind-class candidates closer than this are one crepitus episode.
    min_pop_level_db, max_pop_neighbours, max_pop_episode, max_pop_stride_rec
        The evidence an arrhythmic pop needs (:meth:`_pop_evidence_gate`).
    grind_level_db, grind_drop_db, grind_sync_db
        A crepitus episode grows over the band trace while it stays
        ≥ ``grind_level_db`` and within ``grind_drop_db`` of the level of its
        own clicks (:func:`episode_extent`), when it is already
        ≥ ``min_grind_s`` long or its stride-locked excess ``sync_db`` is
        ≥ ``grind_sync_db``.

    Attributes
    ----------
    events_
        All events (pop, snap, grind, footstep, other), in time order.
    step_period_s_
        The step period read from the footsteps (:func:`footstep_period_s`), or
        ``None``; it drives the stride gates of the snap, pop and grind rules.
    proba_, rhythm_
        The class probabilities (columns :data:`CLASSES`) and the rhythm
        descriptors (:func:`rhythm_matrix`) of the candidates, in their order.
    """

    def __init__(
        self,
        *,
        model: TreeEnsembleModel | None = None,
        min_confidence: Mapping[str, float] | None = None,
        footstep_merge_s: float = 0.1,
        grind_merge_s: float = 0.15,
        snap_merge_s: float = SNAP_MERGE_S,
        snap_fill_p: float = 0.2,
        cluster_fill_p: float = 0.4,
        min_grind_s: float = 0.1,
        min_pop_level_db: float = 10.0,
        max_pop_neighbours: int = 20,
        max_pop_episode: int = 9,
        max_pop_stride_rec: float = 0.5,
        grind_level_db: float = 3.0,
        grind_drop_db: float = 15.0,
        grind_sync_db: float = 5.0,
    ) -> None:
        self.model = model
        self.min_confidence = dict(MIN_CONFIDENCE if min_confidence is None else min_confidence)
        self.footstep_merge_s = footstep_merge_s
        self.grind_merge_s = grind_merge_s
        self.snap_merge_s = snap_merge_s
        self.snap_fill_p = snap_fill_p
        self.cluster_fill_p = cluster_fill_p
        self.min_grind_s = min_grind_s
        self.min_pop_level_db = min_pop_level_db
        self.max_pop_neighbours = max_pop_neighbours
        self.max_pop_episode = max_pop_episode
        self.max_pop_stride_rec = max_pop_stride_rec
        self.grind_level_db = grind_level_db
        self.grind_sync_db = grind_sync_db
        self.grind_drop_db = grind_drop_db

    def classify(
        self,
        candidates: Sequence[Candidate],
        trace: tuple[FloatArray, FloatArray] | None = None,
    ) -> SoundClassifier:
        """Classify ``candidates``; ``trace`` is the detector's (times, dB) crepitus-band trace.

        Without a trace the stride-synchronous levels are 0 dB (no evidence).
        """
        model = self.model or load_model()
        rhythm = rhythm_matrix(candidates, trace=trace)
        x = feature_matrix(candidates, rhythm)
        proba = model.predict_proba(x)
        self.proba_ = proba
        self.rhythm_ = rhythm
        events: list[SoundEvent] = []
        grind_parts: list[GrindPart] = []
        best = np.argmax(proba, axis=1)
        # plain floats: numpy scalars cost more than the work per candidate
        for c, p, r, k, conf, row in zip(
            candidates,
            proba.tolist(),
            rhythm.tolist(),
            best.tolist(),
            proba[np.arange(len(best)), best].tolist(),
            proba,
            strict=True,
        ):
            kind = CLASSES[k]
            feats = c.features.copy()  # then the rhythm's, as one dict
            feats.update(zip(RHYTHM_NAMES, r, strict=True))
            if kind == "grind":
                grind_parts.append((c, row, feats))
                continue
            if kind in ("pop", "snap") and conf < self.min_confidence[kind]:
                kind = "other"
            probs = dict(zip(CLASSES, p, strict=True))
            events.append(SoundEvent(c.onset_s, c.offset_s, kind, conf, probs, feats))
        events += self._grind_episodes(grind_parts, trace)
        events = self._merge_footsteps(events)
        events = self._merge_kind(events, "snap", self.snap_merge_s)
        self.step_period_s_ = footstep_period_s(
            np.array([e.onset_s for e in events if e.kind == "footstep"])
        )
        events = self._snap_rhythm_gate(events)
        events = self._periodic_pops_are_snaps(events)
        events = self._complete_snaps(events)
        events = self._pop_evidence_gate(events)
        events = self._complete_pop_clusters(events)
        events = self._grind_rhythm_gate(events)
        # a transient inside a crepitus episode is part of it
        grinds = sorted((e.onset_s, e.offset_s) for e in events if e.kind == "grind")
        if grinds:
            g_on = [g[0] - 0.01 for g in grinds]
            g_off = [g[1] for g in grinds]
            kept = []
            for e in events:
                k = bisect.bisect_right(g_on, e.onset_s) - 1
                inside = e.kind in ("pop", "snap", "other") and k >= 0 and e.onset_s <= g_off[k]
                if not inside:
                    kept.append(e)
            events = kept
        self.events_ = sorted(events, key=lambda e: e.onset_s)
        return self

    def _grind_episodes(
        self,
        parts: list[GrindPart],
        trace: tuple[FloatArray, FloatArray] | None,
    ) -> list[SoundEvent]:
        """Grind-class candidates closer than :attr:`grind_merge_s` → one episode.

        A quiet episode is often found only through a few of its micro-clicks,
        so its extent is taken from the crepitus-band trace around them
        (:func:`episode_extent`), not from the clicks alone.  A group longer
        than :data:`MAX_EPISODE_S` is several episodes (crepitus on every step
        leaves gaps shorter than the merge distance between them) and is split
        at its widest gap between clicks (:func:`split_episodes`).
        """
        parts.sort(key=lambda q: q[0].onset_s)
        groups: list[list[GrindPart]] = []
        end = -np.inf  # the group's latest offset, kept as it grows (not re-scanned per part)
        for g in parts:
            if not groups or g[0].onset_s > end + self.grind_merge_s:
                groups.append([])
                end = -np.inf
            groups[-1].append(g)
            end = max(end, g[0].offset_s)
        return [
            self._grind_event(piece, trace)
            for group in groups
            for piece in split_episodes(group, max_s=MAX_EPISODE_S)
        ]

    def _grind_event(
        self,
        group: Sequence[GrindPart],
        trace: tuple[FloatArray, FloatArray] | None,
    ) -> SoundEvent:
        """One crepitus episode from its grind-class candidates (probabilities: the maximum)."""
        on = min(g[0].onset_s for g in group)
        off = max(g[0].offset_s for g in group)
        p = np.max([g[1] for g in group], axis=0)
        best = max(group, key=lambda g: g[0].duration_s)
        long_enough = off - on >= self.min_grind_s
        if trace is not None and (long_enough or best[2]["sync_db"] >= self.grind_sync_db):
            on, off = episode_extent(
                trace[0],
                trace[1],
                on,
                off,
                level_db=self.grind_level_db,
                drop_db=self.grind_drop_db,
            )
        conf = float(p[CLASSES.index("grind")])
        kind = "grind" if conf >= self.min_confidence["grind"] else "other"
        return SoundEvent(
            on, off, kind, conf, {c: float(v) for c, v in zip(CLASSES, p, strict=True)}, best[2]
        )

    def _merge_kind(self, events: list[SoundEvent], kind: str, gap_s: float) -> list[SoundEvent]:
        """Keep the most confident of same-kind events closer than ``gap_s`` (thud + partial)."""
        these = sorted((e for e in events if e.kind == kind), key=lambda e: e.onset_s)
        rest = [e for e in events if e.kind != kind]
        kept: list[SoundEvent] = []
        for e in these:
            if kept and e.onset_s - kept[-1].onset_s < gap_s:
                if e.confidence > kept[-1].confidence:
                    kept[-1] = e
                continue
            kept.append(e)
        return rest + kept

    def _snap_rhythm_gate(self, events: list[SoundEvent]) -> list[SoundEvent]:
        """A snap must recur one or two strides away (±10 %); a lone "snap" is re-read.

        This is the rhythm rule of acoustics.md §3.2: a tendon snap comes back on
        60–100 % of strides, so a snap-shaped sound with no partner one or two
        strides away is reported as its next most probable kind.
        """
        if self.step_period_s_ is None:
            return events
        stride = 2 * self.step_period_s_
        snaps = np.array(sorted(e.onset_s for e in events if e.kind == "snap"))
        out = []
        for e in events:
            if e.kind == "snap" and not _stride_partners(snaps, e.onset_s, stride, tolerance=0.1):
                alt = max(("pop", "other"), key=lambda c: e.probabilities.get(c, 0.0))
                conf = e.probabilities.get(alt, 0.0)
                if alt == "pop" and conf < self.min_confidence["pop"]:
                    alt = "other"
                e = SoundEvent(e.onset_s, e.offset_s, alt, conf, e.probabilities, e.features)
            out.append(e)
        return out

    def _periodic_pops_are_snaps(self, events: list[SoundEvent]) -> list[SoundEvent]:
        """Pop-shaped sounds that come back every stride are snaps, not cavitation.

        A joint cannot cavitate again for ~20 min (Unsworth 1971, acoustics.md
        §1.1), so a pop-like click that recurs at the same gait phase on at
        least two of the strides ±1, ±2 (±6 % of the stride) is a snap whose low
        fundamental was lost (e.g. under the phone's 50–200 Hz high-pass, §3.4).
        But a tendon snaps once per stride (§3.2): when a snap is already heard
        within :data:`OWN_SNAP_SLOT` of a stride from the click, that stride's
        snap is accounted for, and the click is a pop that happened to come at
        the snap's phase (cavitation gathers at double support, §3.2, where a
        hip snap also falls) — on the tuning split's walks with both, 2-fold
        cross-validation, this kept pop recall 0.782 → 0.794 at snap precision
        0.973 → 0.981.
        """
        if self.step_period_s_ is None:
            return events
        stride = 2 * self.step_period_s_
        jointish = np.array(sorted(e.onset_s for e in events if e.kind in ("pop", "snap")))
        if len(jointish) < 3:
            return events
        snaps = np.array(sorted(e.onset_s for e in events if e.kind == "snap"))
        out = []
        for e in events:
            if e.kind == "pop":
                partners = _stride_partners(jointish, e.onset_s, stride)
                own_snap = len(snaps) > 0 and np.min(np.abs(snaps - e.onset_s)) < (
                    OWN_SNAP_SLOT * stride
                )
                if partners >= 2 and not own_snap:
                    p_joint = e.probabilities.get("pop", 0.0) + e.probabilities.get("snap", 0.0)
                    e = SoundEvent(
                        e.onset_s, e.offset_s, "snap", p_joint, e.probabilities, e.features
                    )
            out.append(e)
        return out

    def _pop_evidence_gate(self, events: list[SoundEvent]) -> list[SoundEvent]:
        """An arrhythmic click must be clearly above the background to be reported as a pop.

        Pops have no rhythm to confirm them (acoustics.md §1.1), so the evidence
        must come from the click itself.  The rules, all on the tuning split's
        cross-validated false pops on plain walks (mostly handling, rustle and
        speech transients):

        * its mid-band (150–1800 Hz) peak must be at least
          :attr:`min_pop_level_db` over the running floor — a pop carries
          most of its energy there (f1 150–2000 Hz, §3.2), a faint click does not;
        * a cavitation episode is 2–9 pops within ~150 ms (HVLA, §1.2; 2–5 in
          §3.2), so a click with more than :attr:`max_pop_neighbours` *other*
          transients within ±150 ms sits in a dense burst (rustle, handling,
          speech, §3.3; the 20 allow for footstep thuds, scuffs and ringing,
          and for the detector starting a candidate on each sub-peak of one
          burst, ~10 for a heel strike with a grip-shift burst on it — with 9,
          loud pops under such a burst were lost: on the tuning split's 2-fold
          cross-validation pop F1 0.843 → 0.851 with 9 → 20, no change in
          precision and one more false pop in 211 min of plain walks) —
          the other pops of its own episode do not count against it, but more
          than :attr:`max_pop_episode` pop-like clicks within ±150 ms are more
          than one episode makes and are a burst too;
        * a joint needs ~20 min to cavitate again (§1.1), so a click whose
          own shape comes back one and two strides away (``stride_rec`` ≥
          :attr:`max_pop_stride_rec`) is a step-locked interferer (keys,
          squeak, §3.3) or an unrecognised snap, never a pop.
        """
        pops = np.array(sorted(e.onset_s for e in events if e.kind == "pop"))
        out = []
        for e in events:
            if e.kind == "pop":
                episode = int(np.count_nonzero(np.abs(pops - e.onset_s) <= 0.15))
                others = e.features.get("cluster_n", 0.0) - (episode - 1)
                if (
                    e.features.get("mid_db", 0.0) < self.min_pop_level_db
                    or episode > self.max_pop_episode
                    or others > self.max_pop_neighbours
                    or e.features.get("stride_rec", 0.0) >= self.max_pop_stride_rec
                ):
                    e = e.as_other()
            out.append(e)
        return out

    def _complete_pop_clusters(self, events: list[SoundEvent]) -> list[SoundEvent]:
        """Other pops of a cavitation cluster: 2–5 pops within 150 ms (acoustics.md §1.2, §3.2).

        Next to a confident pop, a transient within ±150 ms that the model found
        at least :attr:`cluster_fill_p` pop-like is counted as a pop too — the
        neighbour's ringing blurs its own descriptors.  The bar was 0.15; with
        the step-contrast descriptors most transients it lifted were the pop's
        own footstep or ringing (on the tuning split's 2-fold cross-validation,
        0.15 → 0.4: pop precision 0.887 → 0.919, recall 0.794 → 0.779, F1
        0.838 → 0.843; 0.3 gave the same F1 at precision 0.910).
        """
        pops = np.array(sorted(e.onset_s for e in events if e.kind == "pop"))
        if len(pops) == 0:
            return events
        out = []
        for e in events:
            if e.kind == "other" and e.probabilities.get("pop", 0.0) >= self.cluster_fill_p:
                d = np.abs(pops - e.onset_s)
                if np.any((d <= 0.15) & (d >= 0.006)):
                    e = e.as_kind("pop")
            out.append(e)
        return out

    def _complete_snaps(self, events: list[SoundEvent]) -> list[SoundEvent]:
        """Recover snaps hidden under a footstep, using the snap rhythm already found.

        A hip snap at 30–60 % of its stride often lands on the other foot's heel
        strike (50 %, acoustics.md §3.1–3.2), and the candidate is then read
        as a footstep.  Once ≥ 3 snaps establish the rhythm, a candidate one or
        two strides from a snap (±6 % of the stride) whose snap probability is
        at least :attr:`snap_fill_p` is reported as a snap as well.
        """
        if self.step_period_s_ is None:
            return events
        snaps = np.array(sorted(e.onset_s for e in events if e.kind == "snap"))
        if len(snaps) < 3:
            return events
        stride = 2 * self.step_period_s_
        added: list[SoundEvent] = []
        for e in events:
            if e.kind in ("snap", "grind") or e.probabilities.get("snap", 0.0) < self.snap_fill_p:
                continue
            if np.min(np.abs(snaps - e.onset_s)) < self.snap_merge_s:
                continue
            if _stride_partners(snaps, e.onset_s, stride) >= 1:
                added.append(e.as_kind("snap"))
        keep = [
            e
            for e in events
            if not (e.kind in ("other", "pop") and any(a.onset_s == e.onset_s for a in added))
        ]
        return keep + added

    def _grind_rhythm_gate(self, events: list[SoundEvent]) -> list[SoundEvent]:
        """Crepitus lasts 100–600 ms and comes back every stride or step (acoustics.md §3.2).

        Episodes shorter than :attr:`min_grind_s` (0.1 s, the lower end of the
        100–600 ms episode length of §3.2), or with no other episode
        one to four steps away (±12 % of the stride), are reported as ``other``.
        Without a walking rhythm only the duration rule applies.
        """
        grinds = np.array(sorted(e.onset_s for e in events if e.kind == "grind"))
        out = []
        for e in events:
            if e.kind == "grind":
                ok = e.offset_s - e.onset_s >= self.min_grind_s
                if ok and self.step_period_s_ is not None:
                    step = self.step_period_s_
                    ok = any(
                        np.any(np.abs(grinds - (e.onset_s + k * step)) < 0.24 * step)
                        for k in (-4, -3, -2, -1, 1, 2, 3, 4)
                    )
                if not ok:
                    e = e.as_other()
            out.append(e)
        return out

    def _merge_footsteps(self, events: list[SoundEvent]) -> list[SoundEvent]:
        steps = sorted((e for e in events if e.kind == "footstep"), key=lambda e: e.onset_s)
        rest = [e for e in events if e.kind != "footstep"]
        merged: list[SoundEvent] = []
        for e in steps:
            if merged and e.onset_s - merged[-1].onset_s < self.footstep_merge_s:
                prev = merged[-1]
                if e.confidence > prev.confidence:
                    merged[-1] = SoundEvent(
                        prev.onset_s,
                        max(prev.offset_s, e.offset_s),
                        "footstep",
                        e.confidence,
                        e.probabilities,
                        e.features,
                    )
                continue
            merged.append(e)
        return rest + merged


def candidate_targets(
    cands: Sequence[Candidate], labels: Sequence[Any], *, tol_s: float = 0.025
) -> NDArray[np.intp]:
    """Training targets: the class of the label each candidate belongs to ("other" if none).

    A transient is a pop/snap if that label's onset is within ``tol_s`` of the
    candidate's onset or peak, a footstep within 40 ms; any other candidate
    whose peak lies inside a crepitus episode is ``grind`` (the episode is
    assembled from its parts).
    """
    y = np.full(len(cands), CLASSES.index("other"), dtype=np.intp)
    by_kind: dict[str, FloatArray] = {}
    for kind in ("pop", "snap", "footstep"):
        by_kind[kind] = np.array(sorted(lab.onset_s for lab in labels if lab.kind == kind))
    grinds = [(lab.onset_s, lab.offset_s) for lab in labels if lab.kind == "grind"]
    for i, c in enumerate(cands):
        best, best_d = None, 1e9
        for kind, tol in (("pop", tol_s), ("snap", tol_s), ("footstep", 0.04)):
            arr = by_kind[kind]
            if not len(arr) or c.shape == SUSTAINED:
                continue
            for ref in (c.onset_s, c.peak_s):
                j = int(np.argmin(np.abs(arr - ref)))
                d = abs(float(arr[j]) - ref)
                if d <= tol and d < best_d:
                    best, best_d = kind, d
        if best is not None:
            y[i] = CLASSES.index(best)
        elif any(a - 0.02 <= c.peak_s <= b + 0.02 for a, b in grinds):
            y[i] = CLASSES.index("grind")
    return y
