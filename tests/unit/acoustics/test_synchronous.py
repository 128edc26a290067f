"""Stride-synchronous evidence: the crepitus-band trace and its average over strides."""

from __future__ import annotations

import numpy as np
import pytest

from crepitus.acoustics.classification import episode_extent, synchronous_levels
from crepitus.acoustics.detection import CandidateDetector, array_blocks

STRIDE_S = 1.1
DT = 0.01


def trace_with(bumps: list[tuple[float, float, float]], *, length_s: float = 30.0) -> tuple:  # type: ignore[type-arg]
    """A flat 0 dB trace with (start, length, level dB) bumps."""
    t = (np.arange(round(length_s / DT)) + 0.5) * DT
    db = np.zeros_like(t)
    for start, length, level in bumps:
        db[(t >= start) & (t < start + length)] = level
    return t, db


def levels(
    onsets: list[float], t: np.ndarray, db: np.ndarray, stride: float = STRIDE_S
) -> np.ndarray:
    on = np.asarray(onsets, dtype=np.float64)
    return synchronous_levels(on, on + 0.005, np.full(len(on), stride), t, db)


def test_stride_locked_energy_adds_up_and_a_one_off_does_not() -> None:
    locked = [(2.0 + k * STRIDE_S + 0.2, 0.3, 6.0) for k in range(20)]
    one_off = (13.9, 0.3, 6.0)  # half a stride away from the locked episodes
    t, db = trace_with([*locked, one_off])
    out = levels([2.0 + 10 * STRIDE_S + 0.2, 13.9], t, db)
    assert out[0, 0] == pytest.approx(6.0, abs=0.5)  # sync_db: the other strides agree
    assert out[0, 2] == pytest.approx(6.0, abs=0.5)  # local_db
    assert out[1, 0] < 0.5  # a lone burst has no stride-locked support
    assert out[1, 2] == pytest.approx(6.0, abs=0.5)


def test_energy_on_every_step_is_not_locked_to_one_leg() -> None:
    """Footsteps come on every step: as loud half a stride away, so no stride-locked excess."""
    steps = [(2.0 + k * STRIDE_S / 2, 0.05, 12.0) for k in range(40)]
    t, db = trace_with(steps)
    out = levels([2.0 + 20 * STRIDE_S / 2], t, db)
    assert out[0, 2] > 3.0  # the step itself is loud in its own window …
    assert out[0, 0] == pytest.approx(0.0, abs=0.5)  # … but every step is, not one leg's
    assert out[0, 1] == pytest.approx(0.0, abs=0.5)


def test_a_sound_longer_than_the_strides_is_not_locked() -> None:
    """Speech (1–4 s) covers the strides either side and the steps in between alike."""
    t, db = trace_with([(8.0, 5.0, 10.0)])
    out = levels([10.5], t, db)
    assert out[0, 2] == pytest.approx(10.0, abs=0.5)
    assert out[0, 0] == pytest.approx(0.0, abs=0.5)


def test_one_loud_interferer_on_one_stride_does_not_make_rhythm() -> None:
    t, db = trace_with([(10.0 + STRIDE_S, 0.3, 30.0)])
    out = levels([10.0], t, db)
    assert out[0, 0] == pytest.approx(0.0, abs=0.5)  # median of four strides


def test_without_a_stride_or_a_trace_there_is_no_evidence() -> None:
    t, db = trace_with([(2.0 + k * STRIDE_S, 0.3, 6.0) for k in range(20)])
    assert levels([2.0 + 5 * STRIDE_S], t, db, stride=np.nan)[0, 0] == 0.0
    assert synchronous_levels(
        np.array([3.0]), np.array([3.0]), np.array([1.0]), t[:0], db[:0]
    ).shape == (1, 3)


def test_detector_trace_rises_in_the_crepitus_band_and_is_seamless_across_blocks(
    rng: np.random.Generator,
) -> None:
    fs = 16000
    x = 0.01 * rng.standard_normal(fs * 20)
    k = np.arange(int(0.3 * fs))
    burst = np.sin(2 * np.pi * 300.0 * k / fs) * np.hanning(len(k))
    x[int(7.0 * fs) : int(7.0 * fs) + len(k)] += 0.2 * burst  # 300 Hz: inside 150–500 Hz
    x[int(12.0 * fs) : int(12.0 * fs) + len(k)] += 0.2 * np.sin(2 * np.pi * 3000.0 * k / fs)
    one = CandidateDetector(block_s=30.0)
    one.detect(
        array_blocks(x, sampling_rate_hz=fs, block_s=30.0, overlap_s=2.0), sampling_rate_hz=fs
    )
    many = CandidateDetector(block_s=6.0)
    many.detect(
        array_blocks(x, sampling_rate_hz=fs, block_s=6.0, overlap_s=2.0), sampling_rate_hz=fs
    )
    for det in (one, many):
        t, db = det.trace_t_s_, det.trace_db_
        assert np.all(np.diff(t) > 0) and t[-1] > 19.9
        in_band = np.median(db[(t > 7.05) & (t < 7.25)])
        assert in_band > 20.0
        # the same level at 3 kHz (keys, taps, squeaks) is at least 10 dB weaker in the trace
        assert np.median(db[(t > 12.05) & (t < 12.25)]) < in_band - 10.0
    common = (one.trace_t_s_ > 1.0) & (one.trace_t_s_ < 19.0)
    assert np.allclose(
        np.interp(one.trace_t_s_[common], many.trace_t_s_, many.trace_db_),
        one.trace_db_[common],
        atol=3.0,
    )


def test_episode_grows_over_the_elevated_trace_but_not_past_600_ms() -> None:
    t, db = trace_with([(5.0, 0.4, 8.0), (10.0, 2.0, 8.0)])
    on, off = episode_extent(t, db, 5.15, 5.2, level_db=3.0)
    assert on == pytest.approx(5.0, abs=0.04) and off == pytest.approx(5.4, abs=0.04)
    on, off = episode_extent(t, db, 11.0, 11.05, level_db=3.0)
    assert off - on <= 0.6 + 1e-9  # crepitus episodes are 100–600 ms
    assert episode_extent(t, db, 20.0, 20.05, level_db=3.0) == (20.0, 20.05)  # quiet: unchanged
