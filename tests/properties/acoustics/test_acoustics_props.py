"""Properties: matching is one-to-one within tolerance; detection never crashes on any signal."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from crepitus.acoustics import features as F
from crepitus.acoustics.detection import CandidateDetector, array_blocks
from crepitus.acoustics.evaluation import match_onsets

times = st.lists(st.floats(0, 100, allow_nan=False), max_size=30)


@given(times, times, st.floats(0.001, 0.5))
def test_matching_is_one_to_one_within_tolerance(
    ref: list[float], est: list[float], tol: float
) -> None:
    pairs = match_onsets(ref, est, tolerance_s=tol)
    assert len({i for i, _ in pairs}) == len(pairs)
    assert len({j for _, j in pairs}) == len(pairs)
    assert all(abs(ref[i] - est[j]) <= tol + 1e-9 for i, j in pairs)
    assert len(pairs) <= min(len(ref), len(est))


@given(st.lists(st.floats(-30, 60, allow_nan=False), min_size=0, max_size=300), st.floats(0, 20))
def test_peaks_are_above_threshold_and_ordered(s: list[float], thr: float) -> None:
    arr = np.asarray(s, dtype=np.float64)
    peaks = F.pick_peaks(arr, threshold_db=thr, min_distance=3, dip_db=3.0)
    assert np.all(np.diff(peaks) > 0)
    assert np.all(arr[peaks] > thr) if len(peaks) else True


@settings(max_examples=15, deadline=None)
@given(
    st.integers(0, 2**31 - 1),
    st.sampled_from([8000, 16000, 44100]),
    st.floats(0.05, 4.0),
    st.sampled_from(["noise", "silence", "clicks", "dc"]),
)
def test_detector_handles_any_signal(seed: int, fs: int, dur_s: float, kind: str) -> None:
    rng = np.random.default_rng(seed)
    n = int(fs * dur_s)
    if kind == "noise":
        x = rng.standard_normal(n)
    elif kind == "silence":
        x = np.zeros(n)
    elif kind == "dc":
        x = np.full(n, 0.5)
    else:
        x = np.zeros(n)
        x[rng.integers(0, max(n, 1), size=5)] = 1.0
    det = CandidateDetector(block_s=1.5, overlap_s=0.5).detect(
        array_blocks(x.astype(np.float32), sampling_rate_hz=fs, block_s=1.5, overlap_s=0.5),
        sampling_rate_hz=fs,
    )
    for c in det.candidates_:
        assert 0 <= c.onset_s <= c.peak_s <= c.offset_s <= dur_s + 0.01
        assert all(np.isfinite(v) for v in c.features.values())
