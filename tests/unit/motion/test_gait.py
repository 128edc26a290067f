"""Gait pipeline on synthetic walks: the generator's truth must come back out."""

from __future__ import annotations

import numpy as np
import pytest

from crepitus.motion import walk
from crepitus.motion.evaluation import cadence_from_ics, match_events, score_events
from crepitus.motion.gait import (
    DEFAULT_OFFSETS_S,
    estimate_step_hz,
    fit_offsets,
    prune_short_steps,
    step_anchors,
    stride_cadences_spm,
    viterbi_sides,
)
from crepitus.motion.recording import make_recording
from crepitus.synth.imu import simulate_imu
from crepitus.synth.walk import simulate_walk


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_synthetic_walk_any_orientation_recovers_steps_sides_and_cadence(seed: int) -> None:
    w = simulate_walk(walking_s=25, rng=seed)
    imu = simulate_imu(w, orientation="random", rng=seed)
    rep = walk(imu.to_recording())
    res = score_events(
        rep.initial_contacts_s,
        w.initial_contacts_s,
        tolerance_s=0.05,
        detected_sides=rep.sides,
        reference_sides=list(w.sides),
    )
    assert res.recall >= 0.95 and res.precision >= 0.95
    assert res.side_accuracy >= 0.95
    assert rep.cadence_spm is not None
    assert abs(rep.cadence_spm - 60 / np.median(np.diff(w.initial_contacts_s))) < 3


def test_tilt_relative_to_standing_matches_generator() -> None:
    w = simulate_walk(walking_s=30, rng=7, standing_s=6)
    rep = walk(simulate_imu(w, orientation="random", rng=7).to_recording())
    assert rep.tilt is not None and rep.tilt.walking_mean_deg_ is not None
    assert rep.tilt.walking_mean_deg_ == pytest.approx(w.walking_tilt_offset_deg, abs=1.0)
    assert rep.tilt.walking_range_deg_ == pytest.approx(w.tilt_excursion_deg, abs=0.5)
    assert rep.tilt.curve_deg_ is not None and rep.tilt.curve_deg_.shape == (101,)


def test_standing_tilt_is_null_unless_given() -> None:
    # contracts §4: what cannot be estimated is null with a reason (review P2-11) — a phone
    # sees tilt changes, not the pelvis' absolute tilt.
    w = simulate_walk(walking_s=30, rng=7, standing_s=6)
    rec = simulate_imu(w, orientation="random", rng=7).to_recording()
    rel = walk(rec).to_json()
    tilt = rel["pelvic_tilt_deg"]
    assert tilt["standing"] is None and tilt["reference"] == "relative_to_standing"
    assert tilt["walking_mean"] is not None
    assert any("absolute standing tilt" in x for x in rel["warnings"])
    given = walk(rec, standing_tilt_deg=9.5).to_json()
    g = given["pelvic_tilt_deg"]
    assert g["standing"] == 9.5 and g["reference"] == "absolute_given_standing"
    assert g["walking_mean"] == pytest.approx(9.5 + tilt["walking_mean"], abs=0.11)
    assert not any("absolute standing tilt" in x for x in given["warnings"])


def test_no_standing_segment_gives_null_tilt_and_warning() -> None:
    w = simulate_walk(walking_s=20, rng=3, standing_s=0.0, trailing_s=0.0)
    rep = walk(simulate_imu(w, rng=3).to_recording())
    doc = rep.to_json()
    assert doc["pelvic_tilt_deg"]["walking_mean"] is None
    assert any("standing" in x for x in doc["warnings"])


def test_standing_only_reports_no_walking() -> None:
    rng = np.random.default_rng(0)
    t = np.arange(0, 30, 0.01)
    acc = np.tile([0.0, 0.0, 9.81], (len(t), 1)) + 0.02 * rng.standard_normal((len(t), 3))
    rep = walk(make_recording(acc_time_s=t, acc=acc))
    doc = rep.to_json()
    assert doc["initial_contacts"] == [] and doc["cadence_spm"] is None
    assert any("no walking found" in x for x in doc["warnings"])


def test_step_frequency_prefers_step_over_stride() -> None:
    fs = 100.0
    t = np.arange(0, 10, 1 / fs)
    x = np.sin(2 * np.pi * 1.8 * t) + 0.4 * np.sin(2 * np.pi * 0.9 * t)
    assert estimate_step_hz(x, sampling_rate_hz=fs) == pytest.approx(1.8, rel=0.05)


def test_viterbi_sides_restart_after_a_pause() -> None:
    ic = np.array([0.0, 0.5, 1.0, 1.5, 4.0, 4.5, 5.0])
    score = np.array([1.0, -1.0, -0.2, -1.0, -0.3, 0.3, -0.3])
    sides = viterbi_sides(ic, score, max_step_ratio=1.6, break_prob=0.05, gain=2.0)
    assert sides[:4] == ["left", "right", "left", "right"]
    # after the 2.5 s pause the parity is free, so weak evidence decides (without the
    # reset, alternation from before the pause would outweigh it)
    assert sides[4:] == ["right", "left", "right"]


def test_matching_is_one_to_one_and_nearest_first() -> None:
    pairs = match_events(np.array([1.0, 1.04, 3.0]), np.array([1.05, 2.0]), tolerance_s=0.1)
    assert pairs == [(1, 0)]
    res = score_events(np.array([1.0, 1.04, 3.0]), np.array([1.05, 2.0]), tolerance_s=0.1)
    assert (res.tp, res.fp, res.fn) == (1, 2, 1)
    assert res.bias_s == pytest.approx(-0.01)
    assert cadence_from_ics(np.array([0.0, 0.5, 1.0, 1.5])) == pytest.approx(120.0)


def test_prune_short_steps_drops_the_extra_peak_not_the_real_steps() -> None:
    steps = np.arange(0.0, 6.0, 0.55)
    extra = np.sort(np.append(steps, steps[4] + 0.2))  # a second peak inside step 4
    pruned = prune_short_steps(extra, step_s=0.55, min_step_ratio=0.6)
    np.testing.assert_allclose(pruned, steps)
    slow = np.arange(0.0, 10.0, 1.1)  # slow but regular walking is left alone
    np.testing.assert_allclose(prune_short_steps(slow, step_s=0.55, min_step_ratio=0.6), slow)


def test_viterbi_sides_recovers_after_an_extra_contact() -> None:
    ic = np.arange(12) * 0.5
    truth = ["left" if k % 2 == 0 else "right" for k in range(12)]
    score = np.where(np.arange(12) % 2 == 0, 1.0, -1.0)
    score[3] = 0.8  # one contact's own evidence is wrong
    sides = viterbi_sides(ic, score, max_step_ratio=1.6, break_prob=0.05, gain=2.0)
    assert sides == truth
    # An extra contact (no evidence) between steps 5 and 6 breaks alternation once;
    # a run-level vote over regular steps would flip everything after it.
    ic2 = np.sort(np.append(ic, 2.75))
    score2 = np.insert(np.where(np.arange(12) % 2 == 0, 1.0, -1.0), 6, 0.0)
    sides2 = viterbi_sides(ic2, score2, max_step_ratio=1.6, break_prob=0.05, gain=2.0)
    assert [s for k, s in enumerate(sides2) if k != 6] == truth
    assert (
        viterbi_sides(ic, np.zeros(12), max_step_ratio=1.6, break_prob=0.05, gain=2.0)
        == [None] * 12
    )


def test_step_anchors_accept_a_weaker_first_and_last_step() -> None:
    fs, step_s = 100.0, 0.55
    t = np.arange(0, 8.0, 1 / fs)
    steps = np.arange(1.0, 7.0, step_s)
    amp = np.ones(len(steps))
    amp[0] = amp[-1] = 0.05  # gait initiation / termination load the trunk less
    v = sum(a * np.exp(-0.5 * ((t - s) / 0.06) ** 2) for a, s in zip(amp, steps, strict=True))
    v = np.asarray(v, dtype=np.float64)
    plain = step_anchors(v, sampling_rate_hz=fs, step_hz=1 / step_s)
    edges = step_anchors(v, sampling_rate_hz=fs, step_hz=1 / step_s, edge_prominence_ratio=0.3)
    assert len(plain) == len(steps) - 2
    np.testing.assert_allclose(edges, steps, atol=0.02)


def test_stride_cadence_is_the_mean_of_per_stride_cadence_like_indip() -> None:
    # INDIP's bout cadence: the mean of 120 / stride (HA/001 Test11: strides 1.31, 1.15,
    # 1.13, 1.09, 1.11 s -> 104.07 spm).  A slow last stride counts; a median would hide it.
    ic = np.array([6.33, 7.10, 7.64, 8.25, 8.77, 9.34, 9.88])
    assert float(np.mean(stride_cadences_spm(ic))) == pytest.approx(104.07, abs=0.05)
    steady = np.arange(0.0, 5.0, 0.5)
    assert np.allclose(stride_cadences_spm(steady), 120.0)
    assert len(stride_cadences_spm(steady[:2])) == 0


def test_fit_offsets_matches_each_step_to_a_contact_of_its_own_bout() -> None:
    # Two bouts on clocks that overlap (two recordings, both starting at 0 s); every feature
    # lies `lag` after its own bout's contact, so a step's contact is expected 10 ms before
    # where it is.  Bout b's contacts sit 15 ms before bout a's: pooled, a's steps would
    # match b's contacts (5 ms from the expected point) and read lag + 15 ms.
    lag = DEFAULT_OFFSETS_S["anchor"] - 0.01
    ic_a = np.arange(1.0, 6.0, 0.55)
    ic_b = ic_a - 0.015
    bouts = [(np.tile((ic + lag)[:, None], (1, 1 + 4)), ic) for ic in (ic_a, ic_b)]
    off = fit_offsets(bouts)
    assert set(off) == set(DEFAULT_OFFSETS_S)
    assert all(v == pytest.approx(lag) for v in off.values())


def test_acceleration_without_gravity_is_refused_not_read_as_g() -> None:
    # Review 3, P2-5: walking "linear acceleration" has |a| ≈ 1–3 m/s², which looked like a
    # file in g; it was converted and every heel strike came out ~0.13 s late.
    from crepitus.errors import InvalidInputError
    from crepitus.motion.recording import STANDARD_GRAVITY_MPS2

    imu = simulate_imu(simulate_walk(walking_s=30, rng=5), rng=5)
    linear = imu.acc_mps2 - imu.acc_mps2.mean(axis=0)
    with pytest.raises(InvalidInputError, match="no constant part"):
        make_recording(acc_time_s=imu.time_s, acc=linear)
    in_g = make_recording(acc_time_s=imu.time_s, acc=imu.acc_mps2 / STANDARD_GRAVITY_MPS2)
    assert any("in g" in n for n in in_g.warnings)
    as_mps2 = make_recording(acc_time_s=imu.time_s, acc=imu.acc_mps2)
    assert np.allclose(in_g.acc_mps2, as_mps2.acc_mps2)


def test_a_hole_in_the_data_is_said_not_taken_for_a_stop() -> None:
    # Review 3, P3-1: a 5-s hole came out as "2 walking bouts" with no word.
    imu = simulate_imu(simulate_walk(walking_s=40, rng=6), rng=6)
    keep = (imu.time_s < 20.0) | (imu.time_s > 25.0)
    rec = make_recording(acc_time_s=imu.time_s[keep], acc=imu.acc_mps2[keep])
    notes = [w for w in rec.warnings if w.startswith("no data for")]
    assert len(notes) == 1 and "(20.0–25.0 s)" in notes[0]
