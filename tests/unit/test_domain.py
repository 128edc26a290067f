"""The assessment document's numbers keep the contract's promises after rounding."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from crepitus.domain import MECHANISMS, Assessment, Disposition, Reason


@given(st.lists(st.floats(0.0, 1.0), min_size=4, max_size=4).filter(lambda w: sum(w) > 0))
def test_mechanism_probabilities_sum_to_one_after_rounding(weights: list[float]) -> None:
    total = sum(weights)
    mechs = tuple(
        sorted(
            ((m, w / total) for m, w in zip(MECHANISMS, weights, strict=True)),
            key=lambda mp: -mp[1],
        )
    )
    a = Assessment(
        disposition=Disposition.SELF_CARE,
        red_flags=(),
        mechanisms=mechs,
        reasons=(Reason(rule="r", source="s", text="t"),),
        advice="",
        next_steps=(),
        safety_net=(),
    )
    doc = a.to_json()["mechanisms"]
    assert [d["mechanism"] for d in doc] == [m for m, _ in mechs]
    assert math.isclose(sum(d["probability"] for d in doc), 1.0, abs_tol=1e-9)
    for d, (_, p) in zip(doc, mechs, strict=True):
        assert abs(d["probability"] - p) <= 5e-4 and d["probability"] >= 0
