"""The audio generator follows the walk and the research ranges (crepitus.synth.audio)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from crepitus.synth.audio import (
    FootstepStyle,
    Scenario,
    band_rms,
    grind_waveform,
    pop_waveform,
    snap_waveform,
    synthesize_audio,
)
from crepitus.synth.walk import simulate_walk

FS = 16000


@pytest.fixture(scope="module")
def snap_rec():  # type: ignore[no-untyped-def]
    walk = simulate_walk(walking_s=20, rng=3)
    sc = Scenario(snap_side="left", interferers=(), phone_channel=False)
    return synthesize_audio(walk, sampling_rate_hz=FS, scenario=sc, rng=4)


def test_footsteps_coincide_with_initial_contacts(snap_rec) -> None:  # type: ignore[no-untyped-def]
    steps = [lab.onset_s for lab in snap_rec.labels if lab.kind == "footstep"]
    assert np.allclose(steps, snap_rec.walk.initial_contacts_s)


def test_snaps_lock_to_one_side_and_a_fixed_phase(snap_rec) -> None:  # type: ignore[no-untyped-def]
    snaps = [lab for lab in snap_rec.labels if lab.kind == "snap"]
    assert len(snaps) >= 5
    assert {s.side for s in snaps} == {"left"}
    phases = np.array([s.phase for s in snaps if s.phase is not None])
    assert 0.25 <= phases.mean() <= 0.80  # acoustics.md §3.2: 30–60 % or early swing (+ jitter)
    assert phases.std() < 0.06  # jitter σ 1–3 % of the stride


def test_samples_are_finite_and_in_range(snap_rec) -> None:  # type: ignore[no-untyped-def]
    x = snap_rec.samples
    assert x.dtype == np.float32
    assert np.all(np.isfinite(x))
    assert np.max(np.abs(x)) <= 1.0
    assert len(x) == pytest.approx(snap_rec.walk.duration_s * FS, abs=2)


def test_pop_is_short_and_in_band(rng: np.random.Generator) -> None:
    for _ in range(20):
        y, dur = pop_waveform(rng, sampling_rate_hz=48000)
        assert 0.001 < dur < 0.020  # label duration 3–15 ms (to −30 dB) + double wave
        assert np.all(np.isfinite(y))


def test_pops_respect_joint_refractory_period() -> None:
    walk = simulate_walk(walking_s=120, rng=5)
    sc = Scenario(pops_per_min=20.0, interferers=(), phone_channel=False)
    rec = synthesize_audio(walk, sampling_rate_hz=FS, scenario=sc, rng=6)
    pops = [lab for lab in rec.labels if lab.kind == "pop"]
    assert len(pops) > 10
    by_joint: dict[str, list[float]] = {}
    for p in pops:
        assert p.joint is not None
        by_joint.setdefault(p.joint, []).append(p.onset_s)
    repeats = sum(len(v) - 1 for v in by_joint.values())
    assert repeats <= max(1, int(0.2 * len(pops)))  # only the rare p≈0.05 violations (Cramer 2011)


def test_snr_convention_is_honoured() -> None:
    walk = simulate_walk(walking_s=20, rng=7)
    sc = Scenario(pops_per_min=10.0, pop_snr_db=(20.0, 20.0), interferers=(), phone_channel=False)
    rec = synthesize_audio(walk, sampling_rate_hz=FS, scenario=sc, rng=8)
    pops = [lab for lab in rec.labels if lab.kind == "pop"]
    assert pops and all(p.snr_db == pytest.approx(20.0) for p in pops)


def test_band_rms_of_a_sine() -> None:
    t = np.arange(3 * FS + 11) / FS
    assert band_rms(np.sin(2 * np.pi * 1000 * t), sampling_rate_hz=FS) == pytest.approx(
        2**-0.5, rel=1e-3
    )
    assert (
        band_rms(np.sin(2 * np.pi * 50 * t), sampling_rate_hz=FS) < 0.01
    )  # below the 100 Hz band edge


def test_footstep_roll_follows_the_strike_in_the_low_band() -> None:
    style = replace(
        FootstepStyle.draw(np.random.default_rng(1), step_s=0.55),
        roll_db=-6.0,
        roll_delay_s=0.1,
        roll_len_s=0.08,
        roll_hi_hz=300.0,
    )
    with_roll = style.render(np.random.default_rng(2), sampling_rate_hz=FS)
    without = replace(style, roll_db=None).render(np.random.default_rng(2), sampling_rate_hz=FS)
    n = len(with_roll)
    diff = with_roll - np.pad(without, (0, max(0, n - len(without))))[:n]
    # the thud and scuff are drawn first, so the roll is all that differs, and only later
    assert np.max(np.abs(diff[: int(0.085 * FS)])) == 0.0
    assert np.max(np.abs(diff)) > 0.1 * np.max(np.abs(without))
    spec = np.abs(np.fft.rfft(diff))
    f = np.fft.rfftfreq(n, 1 / FS)
    assert np.sum(spec[f > 400] ** 2) < 0.01 * np.sum(spec**2)  # normal force: < 500 Hz


def _crossing_rate(y: np.ndarray, a_s: float, b_s: float, fs: float) -> float:
    seg = y[int(a_s * fs) : int(b_s * fs)]
    return float(np.sum(np.signbit(seg[1:]) != np.signbit(seg[:-1]))) / (b_s - a_s) / 2


def test_snap_glide_lowers_the_pitch_as_it_decays() -> None:
    fs = 48000.0
    flat, _ = snap_waveform(np.random.default_rng(3), f1_hz=120.0, tau_s=0.05, sampling_rate_hz=fs)
    glide, _ = snap_waveform(
        np.random.default_rng(3), f1_hz=120.0, tau_s=0.05, sampling_rate_hz=fs, glide=0.25
    )
    # the partial has died out by 30 ms; count the low mode's cycles over the tail
    f_flat = _crossing_rate(flat, 0.05, 0.2, fs)
    f_glide = _crossing_rate(glide, 0.05, 0.2, fs)
    assert f_flat == pytest.approx(120.0, rel=0.1)
    assert 0.75 * f_flat < f_glide < 0.9 * f_flat


@pytest.mark.parametrize("envelope", ["smooth", "attack", "flat"])
def test_grind_envelopes(envelope: str) -> None:
    y = grind_waveform(
        np.random.default_rng(4),
        duration_s=0.4,
        band_hz=(80.0, 800.0),
        click_rate_hz=100.0,
        click_share=0.3,
        sampling_rate_hz=FS,
        envelope=envelope,
    )
    q = [float(np.sqrt(np.mean(part**2))) for part in np.array_split(y, 4)]
    assert all(np.isfinite(q))
    if envelope == "attack":  # loudest as the load arrives, then decaying
        assert q[0] > q[1] > q[3] and q[0] > 3 * q[3]
    elif envelope == "flat":  # steady through the stance
        assert 0.6 < q[1] / q[2] < 1.6 and q[0] > 0.3 * q[1]
    else:  # a raised Hann window: quiet at both ends
        assert q[1] > q[0] and q[2] > q[3]
