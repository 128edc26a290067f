"""crepitus.dsp against scipy.signal, the reference it replaces (tests may import scipy)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from crepitus import dsp

FS = 100.0
FILTERS: list[tuple[dsp.Kind, dsp.Cutoff]] = [
    ("lowpass", 0.3),
    ("lowpass", 2.9),
    ("lowpass", 20.0),
    ("highpass", 0.3),
    ("bandpass", (0.5, 3.0)),
    ("bandpass", (1.26, 2.52)),
]


def walk_like(rng: np.random.Generator, n: int) -> np.ndarray:
    """A drifting, noisy signal: edges and low frequencies matter, as in the IMU data."""
    return np.cumsum(rng.standard_normal(n)) * 0.1 + rng.standard_normal(n)


@pytest.mark.parametrize(("kind", "cutoff"), FILTERS)
def test_response_equals_the_scipy_design(kind: dsp.Kind, cutoff: dsp.Cutoff) -> None:
    f = np.linspace(0.01, 49.0, 400)
    sos = signal.butter(2, cutoff, btype=kind, fs=FS, output="sos")
    _, want = signal.sosfreqz(sos, worN=f, fs=FS)
    got = dsp.butterworth_response(f, kind=kind, cutoff_hz=cutoff, sampling_rate_hz=FS)
    assert np.allclose(got, want, rtol=0, atol=1e-9)


@pytest.mark.parametrize(("kind", "cutoff"), FILTERS)
@pytest.mark.parametrize(("n", "padlen"), [(3000, None), (300, 21), (1000, 200), (25, 21)])
def test_zero_phase_filter_equals_sosfiltfilt_including_edges(
    rng: np.random.Generator, kind: dsp.Kind, cutoff: dsp.Cutoff, n: int, padlen: int | None
) -> None:
    # Stated tolerance: 1e-8 of the output's scale everywhere, edges included (the
    # steady-state identity in zero_phase_filter's docstring makes it exact, not
    # "equal away from the edges").
    x = walk_like(rng, n)
    sos = signal.butter(2, cutoff, btype=kind, fs=FS, output="sos")
    pad = None if padlen is None else min(padlen, n - 1)
    want = signal.sosfiltfilt(sos, x) if pad is None else signal.sosfiltfilt(sos, x, padlen=pad)
    got = dsp.zero_phase_filter(x, kind=kind, cutoff_hz=cutoff, sampling_rate_hz=FS, padlen=pad)
    assert np.max(np.abs(got - want)) <= 1e-8 * float(np.std(want))


def test_zero_phase_filter_works_along_an_axis(rng: np.random.Generator) -> None:
    x = rng.standard_normal((2000, 3))
    sos = signal.butter(2, (1.2, 2.5), btype="bandpass", fs=FS, output="sos")
    got = dsp.zero_phase_filter(x, kind="bandpass", cutoff_hz=(1.2, 2.5), sampling_rate_hz=FS)
    assert np.allclose(got, signal.sosfiltfilt(sos, x, axis=0), rtol=0, atol=1e-10)
    got_t = dsp.zero_phase_filter(
        x.T, kind="bandpass", cutoff_hz=(1.2, 2.5), sampling_rate_hz=FS, axis=1
    )
    assert np.allclose(got_t, got.T, rtol=0, atol=1e-12)


@pytest.mark.parametrize(("kind", "cutoff"), FILTERS)
def test_causal_filter_equals_sosfilt(
    rng: np.random.Generator, kind: dsp.Kind, cutoff: dsp.Cutoff
) -> None:
    x = walk_like(rng, 2500)
    sos = signal.butter(2, cutoff, btype=kind, fs=FS, output="sos")
    got = dsp.causal_filter(x, kind=kind, cutoff_hz=cutoff, sampling_rate_hz=FS)
    assert np.allclose(got, signal.sosfilt(sos, x), rtol=0, atol=1e-9)


def test_bad_cutoffs_are_refused() -> None:
    f = np.zeros(1)
    with pytest.raises(ValueError, match="fs/2"):
        dsp.butterworth_response(f, kind="lowpass", cutoff_hz=60.0, sampling_rate_hz=FS)
    with pytest.raises(ValueError, match="two edges"):
        dsp.butterworth_response(f, kind="bandpass", cutoff_hz=1.0, sampling_rate_hz=FS)
    with pytest.raises(ValueError, match="ascending"):
        dsp.butterworth_response(f, kind="bandpass", cutoff_hz=(3.0, 1.0), sampling_rate_hz=FS)


@pytest.mark.parametrize("n", [1, 2, 7, 8, 501])
def test_analytic_signal_equals_hilbert(rng: np.random.Generator, n: int) -> None:
    x = rng.standard_normal((n, 2))
    assert np.allclose(dsp.analytic_signal(x), signal.hilbert(x, axis=0), rtol=0, atol=1e-12)
    assert np.allclose(dsp.analytic_signal(x[:, 0]), signal.hilbert(x[:, 0]), atol=1e-12)


@pytest.mark.parametrize("n", [0, 1, 2])
def test_tiny_inputs_give_tiny_outputs(n: int) -> None:
    x = np.arange(n, dtype=float)
    assert dsp.analytic_signal(x).shape == (n,)
    peaks, prominences = dsp.find_peaks(x, distance=2, prominence=0.1)
    assert len(peaks) == len(prominences) == 0
    y = dsp.zero_phase_filter(x, kind="lowpass", cutoff_hz=2.0, sampling_rate_hz=FS)
    assert y.shape == (n,)


def test_find_peaks_is_identical_to_scipy(rng: np.random.Generator) -> None:
    """Identical peaks and prominences on 400 random signals: smooth walks, and small
    integers full of plateaus and ties (where the plateau rule and the tie order of the
    distance rule matter)."""
    for trial in range(400):
        n = int(rng.integers(0, 700))
        x = rng.integers(0, 6, n).astype(float) if trial % 2 else np.cumsum(rng.standard_normal(n))
        distance = float(rng.uniform(1.0, 40.0)) if trial % 3 else None
        prominence = float(rng.uniform(0.0, 3.0)) if trial % 5 else None
        want, props = signal.find_peaks(x, distance=distance, prominence=(prominence, None))
        got, prom = dsp.find_peaks(x, distance=distance, prominence=prominence)
        assert np.array_equal(got, want), trial
        assert np.array_equal(prom, props["prominences"]), trial


def test_find_peaks_on_a_long_signal_with_far_bases(rng: np.random.Generator) -> None:
    # Peaks whose higher neighbour is thousands of samples away exercise the growing
    # search windows of the prominence computation.
    x = np.concatenate([np.linspace(0, 10, 5000), rng.standard_normal(20000), [20.0, 0.0]])
    want, props = signal.find_peaks(x, prominence=0.5)
    got, prom = dsp.find_peaks(x, prominence=0.5)
    assert np.array_equal(got, want)
    assert np.array_equal(prom, props["prominences"])


def test_find_peaks_refuses_a_distance_below_one_sample() -> None:
    with pytest.raises(ValueError, match="distance"):
        dsp.find_peaks(np.zeros(5), distance=0.5)
