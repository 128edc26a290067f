"""From an arbitrarily held phone to the body frame: vertical, anterior, left.

A phone is never aligned like a belt sensor (research/gait.md §2b caveats), so
nothing downstream may assume which device axis points where.  The frame is
built from physics, not from the device:

1. **Vertical** — the mean of the acceleration (specific force) over the data is
   gravity's reaction, pointing up (static inclination from gravity is accurate
   to ~1°, gait.md §3).
2. **Anterior–posterior line** — in the horizontal plane, the principal direction
   of acceleration band-passed around the step frequency.  The trunk speeds up
   and slows down once per *step* in the walking direction, while medio-lateral
   sway repeats once per *stride* (Zijlstra & Hof 2003, inverted pendulum; the
   same axis logic as SKDH's automatic AP-axis estimation, gait.md §1.3).
3. **Forward sign** — in the inverted-pendulum model the body is lowest and
   fastest at double support, so at the step frequency the forward acceleration
   lags the vertical acceleration by a quarter cycle: with ``a_v ∝ cos ωt``,
   ``a_ap ∝ −sin ωt``.  The sign of the imaginary part of the cross-spectrum
   (analytic signals) therefore tells forward from backward.  Measured on the
   aligned belt sensor of the mobgap example data the phase is +85…+137° in 18 of
   19 bouts (exploration, not tuned).
4. **Left** = up × forward (right-handed), valid because device axes form a
   right-handed set.  A whole-sign flip of the accelerometer (iOS CoreMotion
   reports −g, gait.md §4) leaves vertical and forward right but mirrors left and
   right, and it cannot be detected from the data: a mirrored walker is a valid
   walker, and the kinematic link between gyroscope and gravity
   (``df/dt = −ω × f``) is linear, so it holds for ``−f`` too.  The reader must
   therefore normalise the sign from metadata (platform), never this module.

Deviation from the anchors: mobgap's ``to_body_frame`` assumes a known mounting;
SKDH estimates the vertical and AP axes only among the device axes; here the
frame may be any rotation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from crepitus.dsp import analytic_signal, zero_phase_filter
from crepitus.errors import InvalidInputError


@dataclass(frozen=True)
class BodyFrame:
    """A rotation from device to body axes.

    Attributes
    ----------
    rotation
        ``(3, 3)`` matrix whose rows are the unit vectors *up*, *forward*, *left*
        expressed in device coordinates; ``body = device @ rotation.T`` for the
        accelerometer.  The gyroscope uses :meth:`apply_gyr` (differs only when
        the accelerometer was sign-flipped).
    forward_confidence
        |sin| of the vertical/anterior phase, 0–1 (1 = the forward sign is clear).
    flipped_sign
        ``True`` if the whole accelerometer was sign-flipped (−g convention).
    """

    rotation: NDArray[np.float64]
    forward_confidence: float
    flipped_sign: bool = False

    def apply(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Rotate ``(n, 3)`` device-frame samples into (vertical, anterior, left)."""
        return x @ self.rotation.T

    def apply_gyr(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Rotate ``(n, 3)`` device-frame angular rates into (yaw, roll, pitch-left) axes."""
        rot = -self.rotation if self.flipped_sign else self.rotation
        return x @ rot.T


def unit(v: NDArray[np.float64]) -> NDArray[np.float64]:
    n = float(np.linalg.norm(v))
    if n == 0.0 or not np.isfinite(n):
        raise InvalidInputError(
            "cannot find the direction of gravity: the acceleration is all zero"
        )
    return v / n


def horizontal_basis(up: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Two unit vectors orthogonal to ``up`` and to each other."""
    helper = np.array([1.0, 0.0, 0.0]) if abs(up[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    e1 = unit(helper - up * float(helper @ up))
    e2 = np.cross(up, e1)
    return e1, e2


def estimate_body_frame(
    acc_mps2: NDArray[np.float64],
    *,
    sampling_rate_hz: float,
    step_hz: float,
    walking: NDArray[np.bool_] | None = None,
    gyr_rps: NDArray[np.float64] | None = None,
) -> BodyFrame:
    """Estimate the (up, forward, left) frame from walking acceleration.

    Parameters
    ----------
    acc_mps2
        ``(n, 3)`` acceleration incl. gravity, device frame.
    sampling_rate_hz
        Sampling rate.
    step_hz
        Typical step frequency (Hz) of the walking, used for the band-pass.
    walking
        Optional boolean mask of walking samples; the AP axis and sign use only those.
    gyr_rps
        Optional ``(n, 3)`` angular rate (device frame); accepted for API stability,
        not used (see point 4 of the module docstring).
    """
    mask = np.ones(len(acc_mps2), bool) if walking is None else walking
    if mask.sum() < 2 * sampling_rate_hz:
        mask = np.ones(len(acc_mps2), bool)
    up = unit(acc_mps2[mask].mean(axis=0))
    lo, hi = 0.7 * step_hz, min(1.4 * step_hz, 0.45 * sampling_rate_hz)
    bp = zero_phase_filter(
        acc_mps2, kind="bandpass", cutoff_hz=(lo, hi), sampling_rate_hz=sampling_rate_hz
    )[mask]
    e1, e2 = horizontal_basis(up)
    h = np.column_stack([bp @ e1, bp @ e2])
    w, vecs = np.linalg.eigh(h.T @ h)
    d = vecs[:, int(np.argmax(w))]
    fwd = unit(d[0] * e1 + d[1] * e2)
    v_an = analytic_signal(bp @ up)
    ap_an = analytic_signal(bp @ fwd)
    cross = np.mean(np.conj(v_an) * ap_an)
    if cross.imag < 0:
        fwd = -fwd
    conf = float(abs(np.sin(np.angle(cross)))) if abs(cross) > 0 else 0.0
    left = np.cross(up, fwd)
    rot = np.vstack([up, fwd, left])
    flipped = False  # see point 4 of the module docstring: not detectable from data
    return BodyFrame(rotation=rot, forward_confidence=conf, flipped_sign=flipped)


def random_rotation(rng: np.random.Generator) -> NDArray[np.float64]:
    """A uniformly random proper rotation matrix (for phone-like test copies)."""
    q = rng.standard_normal(4)
    q /= np.linalg.norm(q)
    w, x, y, z = q
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )
