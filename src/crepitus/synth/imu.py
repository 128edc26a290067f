"""A synthetic lower-back IMU driven by the same :class:`~crepitus.synth.walk.Walk` as the audio.

Heel strikes in the signal are ``walk.initial_contacts_s`` and sides are ``walk.sides``,
so a sound placed at "every left heel strike" by the audio generator lands on the
same instants in the motion data — what sound–motion fusion needs to be tested end
to end (design.md decision 6).

The model is the inverted pendulum of Zijlstra & Hof 2003 (research/gait.md §1.1),
written per step with phase ``u`` (0 at heel strike, 1 at the next one) and per left
stride with phase ``s``:

* vertical: ``1.5 cos 2π(u − 0.15)`` m/s² plus a heel-strike impact (Gaussian,
  +3 m/s², 60 ms after contact, 25 ms wide) — trunk vertical accelerations of ±2–5
  m/s² (gait.md §3);
* anterior: ``−1.2 sin 2π(u − 0.15)`` (a quarter cycle behind vertical, the pendulum's
  phase relation used by :mod:`crepitus.motion.frames`) plus a braking pulse just after
  contact (−1.5 m/s², 35 ms after, 20 ms wide);
* medio-lateral (left): ``−0.8 sin 2πs`` — the trunk moves towards the new stance foot,
  leftward velocity at left contacts;
* yaw rate: ``−0.3 cos 2πs`` rad/s (negative at left contacts, as measured on the
  mobgap example data);
* pelvic tilt: ``walk.standing_tilt_deg`` standing; when walking plus
  ``walk.walking_tilt_offset_deg`` and a biphasic ``tilt_excursion_deg``
  peak-to-peak oscillation (two per stride, gait.md §3), blended in over 0.5 s.

The phone's mounting is any rotation (``orientation``), and noise, timestamp jitter
and gaps can be added.  These amplitudes are plausible, not fitted: the generator tests
plumbing and invariances, it is not evidence that an algorithm works on people.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from crepitus.errors import InvalidInputError
from crepitus.motion.frames import random_rotation
from crepitus.motion.recording import STANDARD_GRAVITY_MPS2, MotionRecording, make_recording
from crepitus.synth.walk import LEFT, Walk

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class SyntheticIMU:
    """Samples of a simulated phone (device frame) and the truth behind them."""

    time_s: FloatArray
    acc_mps2: FloatArray
    gyr_rps: FloatArray
    mounting: FloatArray
    tilt_deg: FloatArray
    walk: Walk

    def to_recording(self) -> MotionRecording:
        """The samples as a :class:`MotionRecording` (through the same clean-up as files)."""
        return make_recording(
            acc_time_s=self.time_s,
            acc=self.acc_mps2,
            gyr_time_s=self.time_s,
            gyr=self.gyr_rps,
            acc_unit="m/s^2",
            gyr_unit="rad/s",
            source="synthetic",
        )

    def write_csv(self, path: str | Path) -> Path:
        """Write the generic CSV of contracts §4."""
        p = Path(path)
        data = np.column_stack([self.time_s, self.acc_mps2, self.gyr_rps])
        np.savetxt(
            p,
            data,
            delimiter=",",
            fmt="%.6f",
            header="time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z",
            comments="",
        )
        return p


def _rot_left(theta_rad: FloatArray) -> FloatArray:
    """Rotations about the left (y) axis of a forward-left-up frame, shape ``(n, 3, 3)``."""
    c, s = np.cos(theta_rad), np.sin(theta_rad)
    r = np.zeros((len(theta_rad), 3, 3))
    r[:, 0, 0], r[:, 0, 2] = c, s
    r[:, 1, 1] = 1.0
    r[:, 2, 0], r[:, 2, 2] = -s, c
    return r


def simulate_imu(
    walk: Walk,
    *,
    sampling_rate_hz: float = 100.0,
    orientation: str | FloatArray = "aligned",
    acc_noise_mps2: float = 0.05,
    gyr_noise_rps: float = 0.005,
    jitter_s: float = 0.0,
    gaps_s: tuple[tuple[float, float], ...] = (),
    rng: np.random.Generator | int | None = None,
) -> SyntheticIMU:
    """Simulate the phone's accelerometer and gyroscope for ``walk``.

    Parameters
    ----------
    walk
        The ground truth (steps, sides, tilt).
    sampling_rate_hz
        Nominal sampling rate.
    orientation
        ``"aligned"`` (device x forward, y left, z up), ``"random"`` (any rotation) or a
        ``(3, 3)`` matrix mapping device to forward-left-up coordinates.
    acc_noise_mps2, gyr_noise_rps
        White sensor noise (standard deviations).
    jitter_s
        Standard deviation of timestamp jitter (phones deliver unevenly, gait.md §4).
    gaps_s
        Intervals whose samples are dropped.
    rng
        Generator or seed.
    """
    if sampling_rate_hz < 15:
        raise InvalidInputError("sampling_rate_hz must be at least 15")
    gen = np.random.default_rng(rng)
    if isinstance(orientation, str):
        if orientation == "aligned":
            mount = np.eye(3)
        elif orientation == "random":
            mount = random_rotation(gen)
        else:
            raise InvalidInputError("orientation must be 'aligned', 'random' or a 3x3 matrix")
    else:
        mount = np.asarray(orientation, float)
    fs = sampling_rate_hz
    t = np.arange(0.0, walk.duration_s, 1.0 / fs)
    ics = walk.initial_contacts_s
    steps = np.diff(ics)
    last = float(np.median(steps)) if len(steps) else 60.0 / walk.cadence_spm
    bounds = np.concatenate([ics, [ics[-1] + last]])
    k = np.clip(np.searchsorted(bounds, t, side="right") - 1, 0, len(ics) - 1)
    u = (t - bounds[k]) / (bounds[k + 1] - bounds[k])
    tau = t - bounds[k]
    active = (t >= ics[0] - 0.3) & (t <= bounds[-1])
    env = np.clip(np.minimum(t - (ics[0] - 0.3), bounds[-1] - t) / 0.5, 0.0, 1.0) * active

    # Stride phase s: 0 at each left contact.
    lefts = ics[np.asarray(walk.sides) == LEFT]
    if len(lefts) >= 2:
        lb = np.concatenate(
            [[lefts[0] - (lefts[1] - lefts[0])], lefts, [lefts[-1] + (lefts[-1] - lefts[-2])]]
        )
    else:
        stride = 2 * last
        lb = (
            np.array([ics[0] - stride, ics[0], ics[0] + stride])
            if len(lefts) == 0
            else np.array([lefts[0] - stride, lefts[0], lefts[0] + stride])
        )
    j = np.clip(np.searchsorted(lb, t, side="right") - 1, 0, len(lb) - 2)
    s = (t - lb[j]) / (lb[j + 1] - lb[j])

    two_pi = 2 * np.pi
    step_len = bounds[k + 1] - bounds[k]
    # Pulses minus their mean over the step: at steady speed and height the trunk's mean
    # acceleration is zero, or the mean would read as a tilt.
    impact = 3.0 * (np.exp(-(((tau - 0.06) / 0.025) ** 2)) - 0.025 * np.sqrt(np.pi) / step_len)
    brake = 1.5 * (np.exp(-(((tau - 0.035) / 0.02) ** 2)) - 0.02 * np.sqrt(np.pi) / step_len)
    a_v = 1.5 * np.cos(two_pi * (u - 0.15)) + impact
    a_ap = -1.2 * np.sin(two_pi * (u - 0.15)) - brake
    a_ml = -0.8 * np.sin(two_pi * s)
    yaw = -0.3 * np.cos(two_pi * s)
    dyn = np.column_stack([a_ap, a_ml, a_v]) * env[:, None]
    yaw = yaw * env

    tilt = walk.standing_tilt_deg + env * (
        walk.walking_tilt_offset_deg + 0.5 * walk.tilt_excursion_deg * np.sin(2 * two_pi * s)
    )
    theta = np.radians(tilt)
    pitch_rate = np.gradient(theta, t)
    # Pelvis (and phone) orientation in the world: anterior tilt = rotation about left.
    r_world = _rot_left(theta) @ mount  # device -> world
    f_world = dyn + np.array([0.0, 0.0, STANDARD_GRAVITY_MPS2])
    w_world = np.column_stack([np.zeros_like(t), pitch_rate, yaw])
    acc = np.einsum("nji,nj->ni", r_world, f_world)
    gyr = np.einsum("nji,nj->ni", r_world, w_world)
    acc += acc_noise_mps2 * gen.standard_normal(acc.shape)
    gyr += gyr_noise_rps * gen.standard_normal(gyr.shape)
    ts = t + (jitter_s * gen.standard_normal(len(t)) if jitter_s > 0 else 0.0)
    keep = np.ones(len(t), bool)
    for g0, g1 in gaps_s:
        keep &= ~((t >= g0) & (t < g1))
    return SyntheticIMU(
        time_s=ts[keep],
        acc_mps2=acc[keep],
        gyr_rps=gyr[keep],
        mounting=mount,
        tilt_deg=tilt[keep],
        walk=walk,
    )
