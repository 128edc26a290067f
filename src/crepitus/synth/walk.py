"""The gait clock shared by the audio and IMU generators.

A :class:`Walk` is the ground truth of one simulated walk: when each foot
strikes the ground, which foot it is, and how the pelvis is tilted.  Both
``crepitus.synth`` signal generators take a ``Walk`` so that footsteps in the
audio, heel strikes in the accelerometer and joint sounds locked to the gait
phase all come from the same steps — which is what lets fusion be tested end
to end.

Parameter ranges (cited where drawn):

* cadence 90–120 steps/min, typical 100–115 — research/acoustics.md §3.1
  (biologyinsights "normal gait");
* stance ≈ 60 % of the stride (59.9 ± 2.5 %) — acoustics.md §3.1
  (clinicalgaitanalysis.com);
* stride-time variability CV 1–3 % — acoustics.md §3.1 [A];
* standing pelvic tilt 13 ± 5° (ASIS–PSIS, Preece 2008) and a walking
  excursion of 2–4° per stride, biphasic — research/gait.md §3.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from crepitus.errors import InvalidInputError

LEFT, RIGHT = "left", "right"


@dataclass(frozen=True)
class Walk:
    """Ground truth of one simulated walk (all times in seconds from the start).

    Attributes
    ----------
    initial_contacts_s
        Heel-strike times, shape ``(n_steps,)``, strictly increasing.
    sides
        ``"left"``/``"right"`` for each initial contact, alternating.
    standing_s
        Quiet standing before the first step (the tilt calibration segment).
    duration_s
        Total duration including standing before and after walking.
    cadence_spm
        Nominal cadence the steps were drawn around.
    stance_fraction
        Stance duration as a fraction of the stride.
    standing_tilt_deg, walking_tilt_offset_deg, tilt_excursion_deg
        Pelvic tilt while standing, the mean change when walking, and the
        peak-to-peak excursion per stride.
    """

    initial_contacts_s: NDArray[np.float64]
    sides: tuple[str, ...]
    standing_s: float
    duration_s: float
    cadence_spm: float
    stance_fraction: float
    standing_tilt_deg: float
    walking_tilt_offset_deg: float
    tilt_excursion_deg: float

    @property
    def walking_start_s(self) -> float:
        return float(self.initial_contacts_s[0])

    @property
    def walking_end_s(self) -> float:
        return float(self.initial_contacts_s[-1])

    def stride_phase(self, t_s: float, *, side: str) -> float | None:
        """Phase (0–1) of time ``t_s`` within the stride of ``side`` (None outside walking)."""
        ics = self.initial_contacts_s[np.asarray(self.sides) == side]
        k = int(np.searchsorted(ics, t_s, side="right")) - 1
        if k < 0 or k + 1 >= len(ics):
            return None
        return float((t_s - ics[k]) / (ics[k + 1] - ics[k]))


def simulate_walk(
    *,
    walking_s: float = 60.0,
    cadence_spm: float | None = None,
    stride_cv: float | None = None,
    standing_s: float = 5.0,
    trailing_s: float = 2.0,
    first_side: str | None = None,
    rng: np.random.Generator | int | None = None,
) -> Walk:
    """Draw one walk: a standing calibration, ``walking_s`` of steps, then standing.

    Parameters
    ----------
    walking_s
        Length of the walking bout in seconds.
    cadence_spm
        Steps per minute; drawn from 90–120 (acoustics.md §3.1) when ``None``.
    stride_cv
        Coefficient of variation of step time; drawn from 1–3 % when ``None``.
    standing_s, trailing_s
        Quiet standing before and after the bout.
    first_side
        Side of the first heel strike; random when ``None``.
    rng
        Generator or seed, for reproducible worlds.
    """
    if walking_s <= 0 or standing_s < 0 or trailing_s < 0:
        raise InvalidInputError("walking_s must be positive and standing/trailing times >= 0")
    gen = np.random.default_rng(rng)
    cad = float(gen.uniform(90.0, 120.0)) if cadence_spm is None else float(cadence_spm)
    if not 30.0 <= cad <= 200.0:
        raise InvalidInputError(f"cadence_spm must be within 30–200, got {cad}")
    cv = float(gen.uniform(0.01, 0.03)) if stride_cv is None else float(stride_cv)
    step_s = 60.0 / cad
    n_steps = max(2, int(walking_s / step_s))
    # Slow drift of step time (+-2 %) plus independent jitter: real cadence wanders.
    drift = 1.0 + 0.02 * np.sin(
        2 * np.pi * np.arange(n_steps) / max(n_steps, 1) * gen.uniform(0.5, 2)
    )
    steps = step_s * drift * (1.0 + cv * gen.standard_normal(n_steps))
    steps = np.clip(steps, 0.5 * step_s, 1.5 * step_s)
    ics = standing_s + np.concatenate([[0.0], np.cumsum(steps[:-1])])
    side0 = first_side or (LEFT if gen.random() < 0.5 else RIGHT)
    other = RIGHT if side0 == LEFT else LEFT
    sides = tuple(side0 if i % 2 == 0 else other for i in range(n_steps))
    return Walk(
        initial_contacts_s=ics.astype(np.float64),
        sides=sides,
        standing_s=standing_s,
        duration_s=float(ics[-1] + step_s + trailing_s),
        cadence_spm=cad,
        stance_fraction=float(np.clip(gen.normal(0.60, 0.025), 0.55, 0.65)),
        standing_tilt_deg=float(np.clip(gen.normal(13.0, 5.0), 0.0, 25.0)),
        walking_tilt_offset_deg=float(gen.uniform(-2.0, 4.0)),
        tilt_excursion_deg=float(gen.uniform(2.0, 4.0)),
    )
