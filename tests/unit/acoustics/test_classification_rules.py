"""The rhythm rules of SoundClassifier, with a stub model so only the rules are under test."""

from __future__ import annotations

import numpy as np
import pytest

from crepitus.acoustics.classification import (
    CLASSES,
    FEATURE_NAMES,
    MAX_EPISODE_S,
    SoundClassifier,
    episode_extent,
    footstep_period_s,
    load_model,
    split_episodes,
    step_contrast,
)
from crepitus.acoustics.detection import TRANSIENT, Candidate

STEP_S = 0.55
BASE = {
    "duration_s": 0.01,
    "rise_time_s": 0.001,
    "decay_tau_s": 0.003,
    "mid_db": 20.0,
    "low_db": 20.0,
    "high_db": 0.0,
    "crest_db": 12.0,
    "subpeaks": 0.0,
    "click_rate_hz": 0.0,
    "low_band": 0.0,
    "centroid_hz": 300.0,
    "bandwidth_hz": 200.0,
    "frms_hz": 400.0,
    "low_share": 0.2,
    "m1_share": 0.6,
    "m2_share": 0.2,
    "high_share": 0.0,
    "level_db": -30.0,
    "mid_rise_db": 20.0,
    "low_rise_db": 20.0,
    "flatness_db": -8.0,
    "peakedness_db": 8.0,
    "onset_hf_share": 0.05,
    "onset_hz": 300.0,
}


class StubModel:
    """Class given by the candidate's ``subpeaks`` feature (used here as a class code)."""

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        code = x[:, FEATURE_NAMES.index("subpeaks")].astype(int)
        p = np.full((len(x), len(CLASSES)), 0.02)
        p[np.arange(len(x)), code] = 0.92
        return p


def cand(t: float, kind: str, *, low_db: float = 20.0) -> Candidate:
    f = dict(BASE, subpeaks=float(CLASSES.index(kind)), low_db=low_db)
    return Candidate(onset_s=t, offset_s=t + 0.01, peak_s=t + 0.002, shape=TRANSIENT, features=f)


def walk_with(extra: list[Candidate]) -> list[Candidate]:
    steps = [cand(2.0 + i * STEP_S, "footstep") for i in range(40)]
    return sorted(steps + extra, key=lambda c: c.peak_s)


def kinds(events: list, kind: str) -> list[float]:  # type: ignore[type-arg]
    return [round(e.onset_s, 3) for e in events if e.kind == kind]


def test_footsteps_give_the_step_period() -> None:
    clf = SoundClassifier(model=StubModel()).classify(walk_with([]))  # type: ignore[arg-type]
    assert clf.step_period_s_ == pytest.approx(STEP_S, abs=0.01)
    assert len(kinds(clf.events_, "footstep")) == 40


def test_a_footstep_of_several_sounds_counts_once_for_the_step_clock() -> None:
    """A roll 60–150 ms after each heel strike must not shorten the step (it read p − 0.1 s)."""
    heel = 2.0 + STEP_S * np.arange(40)
    delay = 0.06 + 0.09 * (np.arange(40) % 4) / 3  # 60, 90, 120, 150 ms
    assert footstep_period_s(np.concatenate([heel, heel + delay])) == pytest.approx(
        STEP_S, abs=1e-9
    )
    # a heel strike missed now and then: the roll alone stands for that footstep
    heard = np.arange(40) % 5 != 0
    assert footstep_period_s(np.concatenate([heel[heard], heel + 0.1])) == pytest.approx(
        STEP_S, abs=1e-9
    )


def test_the_step_clock_keeps_heel_strikes_at_the_fastest_cadence() -> None:
    """Two heel strikes 0.34 s apart (~175 steps/min) are two footsteps, not one."""
    heel = 2.0 + 0.34 * np.arange(40)
    assert footstep_period_s(heel) == pytest.approx(0.34, abs=1e-9)
    assert footstep_period_s(heel[:4]) is None  # three intervals: too few


def test_snaps_survive_footsteps_with_a_second_component() -> None:
    """With the clock read off the roll (p − 0.12 s), the ±10 % stride gate dropped every snap."""
    roll = [cand(2.12 + i * STEP_S, "footstep") for i in range(40)]
    snaps = [cand(2.3 + k * 2 * STEP_S, "snap", low_db=5.0) for k in range(10)]
    clf = SoundClassifier(model=StubModel()).classify(  # type: ignore[arg-type]
        walk_with([*roll, *snaps])
    )
    assert clf.step_period_s_ == pytest.approx(STEP_S, abs=0.01)
    assert len(kinds(clf.events_, "snap")) == 10


def test_a_lone_snap_is_not_reported_as_a_snap() -> None:
    clf = SoundClassifier(model=StubModel()).classify(  # type: ignore[arg-type]
        walk_with([cand(10.2, "snap", low_db=5.0)])
    )
    assert kinds(clf.events_, "snap") == []
    # the stub finds it not pop-like (p = 0.02), so without rhythm it is "other"
    assert kinds(clf.events_, "other") == [10.2]


def test_pops_recurring_every_stride_are_snaps() -> None:
    extra = [cand(2.3 + k * 2 * STEP_S, "pop", low_db=5.0) for k in range(10)]
    clf = SoundClassifier(model=StubModel()).classify(walk_with(extra))  # type: ignore[arg-type]
    assert len(kinds(clf.events_, "snap")) >= 9
    assert len(kinds(clf.events_, "pop")) <= 1


def test_short_or_arrhythmic_grinding_is_not_reported() -> None:
    lone = Candidate(10.1, 10.14, 10.12, TRANSIENT, dict(BASE, subpeaks=2.0, low_db=5.0))
    clf = SoundClassifier(model=StubModel()).classify(walk_with([lone]))  # type: ignore[arg-type]
    assert kinds(clf.events_, "grind") == []


def test_packaged_model_loads_and_gives_probabilities() -> None:
    model = load_model()
    x = np.zeros((3, len(FEATURE_NAMES)))
    p = model.predict_proba(x)
    assert p.shape == (3, len(CLASSES))
    assert np.allclose(p.sum(axis=1), 1.0)


def test_faint_pops_and_pops_inside_dense_bursts_are_not_reported() -> None:
    def pop(t: float, *, mid_db: float) -> Candidate:
        f = dict(BASE, subpeaks=float(CLASSES.index("pop")), low_db=5.0, mid_db=mid_db)
        return Candidate(t, t + 0.01, t + 0.002, TRANSIENT, f)

    clear, faint = pop(10.21, mid_db=20.0), pop(20.31, mid_db=6.0)
    # a handling burst: 12 clicks within 120 ms around t = 30.2 s
    burst = [pop(30.15 + 0.01 * i, mid_db=20.0) for i in range(12)]
    clf = SoundClassifier(model=StubModel()).classify(  # type: ignore[arg-type]
        walk_with([clear, faint, *burst])
    )
    assert kinds(clf.events_, "pop") == [10.21]
    assert 20.31 in kinds(clf.events_, "other")


def test_a_pop_shaped_click_that_recurs_every_stride_is_not_a_pop() -> None:
    """A joint cannot cavitate again for ~20 min: a click that comes back each stride is not one."""

    def click(t: float, kind: str) -> Candidate:
        f = dict(BASE, subpeaks=float(CLASSES.index(kind)), low_db=5.0)
        return Candidate(t, t + 0.01, t + 0.002, TRANSIENT, f)

    pop = click(12.2, "pop")
    # the same click one and two strides either side, which the model reads as "other"
    again = [click(12.2 + k * 2 * STEP_S, "other") for k in (-2, -1, 1, 2)]
    alone = SoundClassifier(model=StubModel()).classify(walk_with([pop]))  # type: ignore[arg-type]
    assert kinds(alone.events_, "pop") == [12.2]
    clf = SoundClassifier(model=StubModel()).classify(  # type: ignore[arg-type]
        walk_with([pop, *again])
    )
    assert kinds(clf.events_, "pop") == []
    assert 12.2 in kinds(clf.events_, "other")


def test_tree_model_matches_a_direct_walk_down_each_tree() -> None:
    model = load_model()
    x = np.random.default_rng(3).normal(0.0, 3.0, size=(50, len(FEATURE_NAMES)))
    raw = np.tile(model.init, (len(x), 1))
    for t, start in enumerate(model.tree_offset):
        for r in range(len(x)):
            node = 0
            while model.feature[start + node] >= 0:
                go_left = x[r, model.feature[start + node]] <= model.threshold[start + node]
                node = model.left[start + node] if go_left else model.right[start + node]
            raw[r, model.tree_class[t]] += model.learning_rate * model.value[start + node]
    p = np.exp(raw - raw.max(axis=1, keepdims=True))
    assert np.allclose(model.predict_proba(x), p / p.sum(axis=1, keepdims=True), atol=1e-9)


def test_the_pops_of_one_cavitation_episode_do_not_count_as_a_dense_burst() -> None:
    """2–9 pops within ~150 ms are one episode (acoustics.md §1.2): only the other clicks count."""

    def click(t: float, kind: str) -> Candidate:
        f = dict(BASE, subpeaks=float(CLASSES.index(kind)), low_db=5.0)
        return Candidate(t, t + 0.01, t + 0.002, TRANSIENT, f)

    # five pops 20 ms apart among seven other clicks: 11 transients within ±150 ms of each pop
    episode = [click(30.5 + 0.02 * i, "pop") for i in range(5)]
    noise = [click(30.51 + 0.02 * i, "other") for i in range(7)]
    clf = SoundClassifier(model=StubModel()).classify(  # type: ignore[arg-type]
        walk_with([*episode, *noise])
    )
    assert kinds(clf.events_, "pop") == [round(c.onset_s, 3) for c in episode]
    strict = SoundClassifier(model=StubModel(), max_pop_neighbours=4).classify(  # type: ignore[arg-type]
        walk_with([*episode, *noise])
    )
    assert kinds(strict.events_, "pop") == []


def test_a_pop_next_to_this_strides_own_snap_stays_a_pop() -> None:
    """A tendon snaps once per stride: a pop beside this stride's snap is not that snap."""
    stride = 2 * STEP_S
    snaps = [cand(2.3 + k * stride, "snap") for k in range(10)]  # loud low fundamental
    t_pop = 2.35 + 5 * stride
    pop = cand(t_pop, "pop", low_db=5.0)  # 50 ms after the snap: in its phase window
    clf = SoundClassifier(model=StubModel()).classify(  # type: ignore[arg-type]
        walk_with([*snaps, pop])
    )
    assert kinds(clf.events_, "pop") == [round(t_pop, 3)]
    # without a snap heard on its own stride, the same click is the snap of that stride
    del snaps[5]
    clf = SoundClassifier(model=StubModel()).classify(  # type: ignore[arg-type]
        walk_with([*snaps, pop])
    )
    assert kinds(clf.events_, "pop") == []
    assert round(t_pop, 3) in kinds(clf.events_, "snap")


def test_step_contrast_finds_the_step_that_sounds_different() -> None:
    ts = 2.0 + STEP_S * np.arange(12)
    mid = np.full(12, 10.0)
    mid[6] = 25.0  # a pop on this heel strike
    ts = np.append(ts, ts[3] + STEP_S / 2)  # a click half a step off: no footstep at its lags
    mid = np.append(mid, 30.0)
    order = np.argsort(ts)
    clock = np.append(np.ones(12, dtype=bool), False)[order]
    out = step_contrast(ts[order], mid[order][:, None], clock, np.full(13, STEP_S))
    by_time = dict(zip(np.round(ts[order], 3), out[:, 0], strict=True))
    assert by_time[round(ts[6], 3)] == pytest.approx(15.0)
    assert all(abs(by_time[round(t, 3)]) < 1e-9 for i, t in enumerate(ts[:12]) if i != 6)
    assert by_time[round(ts[12], 3)] == 0.0
    # no step period known: no contrast
    unknown = step_contrast(ts[order], mid[order][:, None], clock, np.full(13, np.nan))
    assert not unknown.any()


def test_a_run_of_crepitus_clicks_longer_than_an_episode_is_split_at_its_widest_gap() -> None:
    def part(t0: float, t1: float) -> tuple[Candidate, np.ndarray, dict[str, float]]:
        return (Candidate(t0, t1, t0, TRANSIENT, dict(BASE)), np.zeros(len(CLASSES)), {})

    two = [part(1.0, 1.1), part(1.12, 1.3), part(1.42, 1.6), part(1.62, 1.8)]
    pieces = split_episodes(two, max_s=MAX_EPISODE_S)
    assert [[p[0].onset_s for p in piece] for piece in pieces] == [[1.0, 1.12], [1.42, 1.62]]
    # overlapping clicks are never cut, and a short run is left whole
    chain = [part(1.0 + 0.1 * i, 1.15 + 0.1 * i) for i in range(9)]
    assert split_episodes(chain, max_s=MAX_EPISODE_S) == [chain]
    assert split_episodes(two[:2], max_s=MAX_EPISODE_S) == [two[:2]]


def test_a_loud_episode_does_not_take_in_the_heel_strike_before_it() -> None:
    t = np.arange(0.0, 3.0, 0.0025)
    db = np.zeros_like(t)
    db[(t >= 1.0) & (t < 1.2)] = 14.0  # heel strike and loading, over the absolute level
    db[(t >= 1.2) & (t < 1.5)] = 30.0  # the crepitus episode
    on, off = episode_extent(t, db, 1.25, 1.45, level_db=3.0)
    assert on == pytest.approx(1.0, abs=0.03)  # absolute level only: grows into the step
    on, off = episode_extent(t, db, 1.25, 1.45, level_db=3.0, drop_db=15.0)
    assert on == pytest.approx(1.2, abs=0.03)
    assert off == pytest.approx(1.5, abs=0.03)
