"""Reference-loading helpers of crepitus.motion.validation."""

from __future__ import annotations

import numpy as np

from crepitus.motion.validation import unique_contacts


def test_unique_contacts_drops_repeated_samples_keeps_order_and_sides() -> None:
    ic = np.array([10, 60, 110, 110, 170, 60], dtype=np.int64)
    sides = ["left", "right", "left", "left", "right", "right"]
    t, s = unique_contacts(ic, sides)
    assert t.tolist() == [10.0, 60.0, 110.0, 170.0]
    assert s == ("left", "right", "left", "right")
    t0, s0 = unique_contacts(np.zeros(0, dtype=np.int64), [])
    assert len(t0) == 0 and s0 == ()
