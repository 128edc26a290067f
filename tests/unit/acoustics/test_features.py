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


def test_running_floor_ignores_sparse_transients(rng: np.random.Generator) -> None:
    e = np.ones(5000) + 0.01 * rng.random(5000)
    e[::100] = 1000.0  # a loud 1-frame transient every 100 frames
    floor = F.running_floor(e, chunk=500, q=50.0)
    assert np.all(floor < 1.1)


def test_step_period_found_from_noisy_step_times(rng: np.random.Generator) -> None:
    step = 0.55
    times = 1.0 + step * np.arange(60) + rng.normal(0, 0.01, 60)
    times = np.sort(np.concatenate([times, rng.uniform(0, 35, 15)]))  # plus unrelated sounds
    est = F.step_period_s(times)
    assert est is not None
    assert est == pytest.approx(step, abs=0.02)


def test_step_period_none_without_rhythm(rng: np.random.Generator) -> None:
    times = np.sort(rng.uniform(0, 30, 40))
    assert F.step_period_s(times) is None
    busy = np.sort(rng.uniform(0, 40, 200))  # 5 sounds/s at random
    assert F.step_period_s(busy) is None


@pytest.mark.parametrize(
    ("lo_hz", "hi_hz", "fs_hz", "n"),
    [
        (15.0, 150.0, 1000.0, 5000),
        (150.0, 500.0, 4000.0, 5000),
        (500.0, 1800.0, 3675.0, 5000),
        # long enough for several overlap-save segments, with an impulse among them
        (15.0, 150.0, 1000.0, 9000),
        (150.0, 500.0, 4000.0, 50_000),
        (500.0, 1800.0, 4000.0, 30_001),
    ],
)
def test_fft_bandpass_equals_recursive_butterworth(
    rng: np.random.Generator, lo_hz: float, hi_hz: float, fs_hz: float, n: int
) -> None:
    from scipy import signal

    x = rng.standard_normal(n)
    x[n // 2] = 200.0
    sos = signal.butter(
        2, [lo_hz, min(hi_hz, 0.45 * fs_hz)], btype="bandpass", fs=fs_hz, output="sos"
    )
    (y,) = F.bandpass(x, bands_hz=((lo_hz, hi_hz),), sampling_rate_hz=fs_hz)
    # to rounding error (~1e-13 here): the overlap-save history outlasts the impulse response
    assert np.allclose(y, signal.sosfilt(sos, x), rtol=0.0, atol=1e-11)


def test_window_max_is_a_centred_running_maximum(rng: np.random.Generator) -> None:
    x = rng.standard_normal(200)
    at = np.array([0, 5, 100, 199])
    got = F.window_max(x, at, width=7)
    want = [x[max(0, i - 3) : i + 4].max() for i in at]
    assert np.allclose(got, want)
