"""Candidate descriptors of crepitus.acoustics.detection on hand-made signals."""

from __future__ import annotations

import numpy as np

from crepitus.acoustics.detection import Candidate, CandidateDetector

FS = 16000


def _mode(f_hz: float, tau_s: float, n: int) -> np.ndarray:
    t = np.arange(n) / FS
    return np.exp(-t / tau_s) * np.sin(2 * np.pi * f_hz * t)


def _nearest(cands: list[Candidate], t: float) -> Candidate:
    return min((c for c in cands if c.shape == "transient"), key=lambda c: abs(c.peak_s - t))


def test_a_pop_on_a_heel_strike_tail_rises_in_the_mid_band_not_the_low_band() -> None:
    """The 0.5 s floor credits the thud's ringing to the pop; the pre-onset contrast does not."""
    rng = np.random.default_rng(3)
    x = 0.01 * rng.standard_normal(4 * FS)
    i = 2 * FS  # heel-strike thud: 40 Hz, τ 30 ms (acoustics.md §3.3)
    x[i : i + FS // 4] += _mode(40.0, 0.03, FS // 4)
    j = i + round(0.06 * FS)  # a pop 60 ms later: 700 Hz, τ 1.5 ms (§3.2)
    x[j : j + 800] += 0.3 * _mode(700.0, 0.0015, 800)
    cands = CandidateDetector().detect([x.astype(np.float32)], sampling_rate_hz=FS).candidates_
    thud, pop = _nearest(cands, 2.0), _nearest(cands, 2.06)
    assert pop.features["low_db"] > 30.0  # the thud's tail, inherited
    assert abs(pop.features["low_rise_db"]) < 5.0
    assert pop.features["mid_rise_db"] > 15.0
    assert thud.features["low_rise_db"] > 30.0


def test_a_damped_resonance_is_spectrally_flatter_than_a_noise_burst() -> None:
    """A pop (one ~200 Hz wide mode, acoustics.md §3.2) vs a scuff of broadband noise (§3.3).

    One window of noise scatters (its flatness is ≈ −2.5 dB, not 0), so the
    contrast is taken over five draws.
    """
    diff = []
    for seed in range(5):
        rng = np.random.default_rng(seed)
        x = 0.002 * rng.standard_normal(4 * FS)
        x[FS : FS + 800] += 0.3 * _mode(600.0, 0.0015, 800)  # a pop: 600 Hz, τ 1.5 ms
        j = 2 * FS  # a scuff: 5 ms of white noise
        x[j : j + FS // 200] += 0.1 * rng.standard_normal(FS // 200)
        cands = CandidateDetector().detect([x.astype(np.float32)], sampling_rate_hz=FS).candidates_
        pop, scuff = _nearest(cands, 1.0), _nearest(cands, 2.0)
        assert pop.features["flatness_db"] < -4.0
        diff.append(scuff.features["flatness_db"] - pop.features["flatness_db"])
    assert float(np.mean(diff)) > 1.5


def test_a_tap_starts_with_high_frequencies_and_a_pop_does_not() -> None:
    """The onset click (acoustics.md §3.2 vs §3.3): a pop's sub-ms rise into a 700 Hz mode
    against a nail tap's broadband click over 4 kHz modes, read from the raw samples."""
    fs = 48000
    rng = np.random.default_rng(5)
    x = 0.002 * rng.standard_normal(4 * fs)
    t = np.arange(960) / fs
    pop = np.exp(-t / 0.0015) * np.sin(2 * np.pi * 700.0 * t)
    pop[:10] *= np.linspace(0.0, 1.0, 10)  # a 0.2 ms rise
    i = 1 * fs
    x[i : i + 960] += 0.3 * pop
    tap = np.exp(-t / 0.001) * np.sin(2 * np.pi * 4000.0 * t)
    tap[:24] += rng.standard_normal(24) * np.hanning(24)  # a 0.5 ms broadband nail click
    j = 3 * fs
    x[j : j + 960] += 0.3 * tap
    cands = CandidateDetector().detect([x.astype(np.float32)], sampling_rate_hz=fs).candidates_
    c_pop, c_tap = _nearest(cands, 1.0), _nearest(cands, 3.0)
    assert c_pop.features["onset_hf_share"] < 0.2
    assert c_tap.features["onset_hf_share"] > 0.6
    assert abs(c_pop.features["onset_hz"] - 700.0) < 100.0
    assert c_tap.features["onset_hz"] > 2000.0
