"""The step period the rhythm descriptors rest on, on corpus walks where it used to be wrong."""

from __future__ import annotations

import numpy as np
import pytest

from crepitus.acoustics import features as F
from crepitus.acoustics.training import candidates_of
from crepitus.synth.corpus import recording


@pytest.mark.parametrize("seed", [1714, 1013])
def test_step_period_of_ringing_footsteps_and_a_squeak(seed: int) -> None:
    """Tuning walks whose footsteps ring with 2–3 sub-peaks (and, in 1714, keys and a squeak).

    The former estimator (a histogram of lag / k) found 0.75 of the step
    period on both — dividing a 3-step lag by 4 also divides its jitter by 4 —
    so every step-locked descriptor was computed at the wrong lag and the
    footsteps of plain walk 1714 came out as 51 "snaps".
    """
    rec = recording(seed)
    cands = candidates_of(rec).candidates_
    # the candidates rhythm_matrix times the walk by: transients with a strong low-band thud
    ts = np.array([c.peak_s for c in cands if c.shape != "sustained" and c.features["low_db"] > 10])
    true = float(np.median(np.diff(rec.walk.initial_contacts_s)))
    assert F.step_period_s(ts) == pytest.approx(true, rel=0.03)
