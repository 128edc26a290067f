"""Pure DSP functions of crepitus.acoustics.features."""

from __future__ import annotations

import numpy as np
import pytest

from crepitus.acoustics import features as F


def test_decimate_mean_and_frame_energy_match_direct_computation(rng: np.random.Generator) -> None:
    x = rng.standard_normal(1203).astype(np.float32)
    d = F.decimate_mean(x, factor=12)
    e = F.frame_energy(x, factor=12)
    assert len(d) == 100
    assert np.allclose(d, x[:1200].reshape(100, 12).mean(axis=1), atol=1e-6)
    assert np.allclose(
        e, (x[:1200].astype(np.float64).reshape(100, 12) ** 2).mean(axis=1), rtol=1e-5
    )


def test_pick_peaks_keeps_cluster_members_apart_but_merges_ringing() -> None:
    s = np.zeros(200)
    s[50], s[52] = 20.0, 19.0  # one pop's ringing: no dip between
    s[51] = 18.5
    s[90] = 15.0  # a second pop 40 ms later with silence between
    peaks = F.pick_peaks(s, threshold_db=6.0, min_distance=6, dip_db=3.0)
    assert list(peaks) == [50, 90]


def test_decay_tau_recovers_time_constant() -> None:
    frame_s = 0.001
    tau = 0.004
    t = np.arange(100) * frame_s
    e_db = 20 * np.log10(np.exp(-t / tau))  # energy dB of an e^(-t/tau) amplitude
    est = F.decay_tau_s(e_db, 0, frame_s=frame_s, drop_db=10.0)
    assert est == pytest.approx(tau, rel=0.3)


def test_spectral_shape_of_a_tone_in_noise(rng: np.random.Generator) -> None:
    fs = 16000.0
    t = np.arange(1600) / fs
    noise = 0.05 * rng.standard_normal(1600)
    seg = np.sin(2 * np.pi * 400 * t) + 0.05 * rng.standard_normal(1600)
    shape = F.spectral_shape(seg, noise, sampling_rate_hz=fs)
    assert shape["peak_hz"] == pytest.approx(400, abs=20)
    assert shape["centroid_hz"] == pytest.approx(400, abs=80)
    assert shape["high_share"] < 0.05


def test_running_floor_ignores_sparse_transients(rng: np.random.Generator) -> None:
    e = np.ones(5000) + 0.01 * rng.random(5000)
    e[::100] = 1000.0  # a loud 1-frame transient every 100 frames
    floor = F.running_floor(e, chunk=500, q=50.0)
    assert np.all(floor < 1.1)


def test_step_period_found_from_noisy_step_times(rng: np.random.Generator) -> None:
    step = 0.55
    times = 1.0 + step * np.arange(60) + rng.normal(0, 0.01, 60)
    times = np.sort(np.concatenate([times, rng.uniform(0, 35, 15)]))  # plus unrelated sounds
    est = F.step_period_s(times, np.ones(len(times)))
    assert est is not None
    assert est == pytest.approx(step, abs=0.02)


def test_step_period_none_without_rhythm(rng: np.random.Generator) -> None:
    times = np.sort(rng.uniform(0, 30, 40))
    assert F.step_period_s(times, np.ones(40)) is None
