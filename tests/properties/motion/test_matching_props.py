"""Properties of event matching: one-to-one, within tolerance, counts add up."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from crepitus.motion.evaluation import match_events, score_events

times = st.lists(st.floats(0, 100, allow_nan=False), max_size=40)


@given(times, times, st.floats(0.01, 1.0))
def test_matching_one_to_one_within_tolerance(d: list[float], r: list[float], tol: float) -> None:
    da, ra = np.array(d), np.array(r)
    pairs = match_events(da, ra, tolerance_s=tol)
    assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
    assert all(abs(da[i] - ra[j]) <= tol for i, j in pairs)
    res = score_events(da, ra, tolerance_s=tol)
    assert res.tp + res.fp == len(d) and res.tp + res.fn == len(r)


@given(times, st.floats(0.01, 1.0))
def test_perfect_detection_scores_one(r: list[float], tol: float) -> None:
    ra = np.array(sorted(set(r)))
    res = score_events(ra, ra, tolerance_s=tol)
    assert res.fp == 0 and res.fn == 0
