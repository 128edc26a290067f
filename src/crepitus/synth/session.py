"""Whole synthetic sessions for fusion: audio and IMU of the *same* walk, on different clocks.

One :class:`~crepitus.synth.walk.Walk` drives both generators, so the footsteps
in the audio, the heel strikes in the accelerometer and the phase-locked joint
sounds all come from the same steps.  The audio recording starts
``offset_s`` after the motion recording (as when someone taps "record" in two
apps), so ``motion time = audio time + offset_s`` — the contract's convention.

Splits: :data:`TUNING_SEEDS` may be used to develop fusion; :data:`HELD_OUT_SEEDS`
are for reporting only (``benchmarks/bench_fusion.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from crepitus.synth.audio import SynthRecording, draw_scenario, synthesize_audio
from crepitus.synth.imu import SyntheticIMU, simulate_imu
from crepitus.synth.walk import simulate_walk

#: Scenario kind → the mechanism a correct assessment should name (recordings only, no answers).
TRUTH: dict[str, str] = {
    "pop": "cavitation",
    "snap": "soft_tissue_snap",
    "grind": "arthritic_crepitus",
    "plain": "undetermined",
}
KINDS: tuple[str, ...] = tuple(TRUTH)
TUNING_SEEDS: tuple[int, ...] = tuple(range(800000, 800040))
HELD_OUT_SEEDS: tuple[int, ...] = tuple(range(900000, 900060))


@dataclass(frozen=True)
class SyntheticSession:
    kind: str
    mechanism: str
    audio: SynthRecording
    audio_samples: np.ndarray
    imu: SyntheticIMU
    offset_s: float

    def write(self, folder: str | Path, *, stem: str = "walk") -> tuple[Path, Path]:
        """Write ``<stem>.wav`` and ``<stem>.csv`` (contracts §4 generic CSV)."""
        import soundfile as sf

        out = Path(folder)
        wav, csv = out / f"{stem}.wav", out / f"{stem}.csv"
        sf.write(wav, self.audio_samples, self.audio.sampling_rate_hz)
        gyr = self.imu.gyr_rps if self.imu.gyr_rps is not None else np.zeros_like(self.imu.acc_mps2)
        data = np.column_stack([self.imu.time_s, self.imu.acc_mps2, gyr])
        np.savetxt(
            csv,
            data,
            delimiter=",",
            fmt="%.6f",
            header="time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z",
            comments="",
        )
        return wav, csv


def session(seed: int, *, walking_s: float | None = None) -> SyntheticSession:
    """The synthetic session with this seed (kind cycles with the seed; random phone pose).

    The audio starts 0.5–8 s after the motion recording (an assumption about how
    people start two recordings by hand [A]); walking lasts 30–60 s (the protocol
    of issue 3).
    """
    kind = KINDS[seed % len(KINDS)]
    gen = np.random.default_rng(seed)
    walk = simulate_walk(
        walking_s=float(gen.uniform(30.0, 60.0)) if walking_s is None else walking_s,
        standing_s=5.0,
        trailing_s=2.0,
        rng=gen,
    )
    rate = int(gen.choice([16000, 44100, 48000]))
    audio = synthesize_audio(
        walk, sampling_rate_hz=rate, scenario=draw_scenario(gen, kind=kind), rng=gen
    )
    offset = float(gen.uniform(0.5, 8.0))
    cut = round(offset * rate)
    imu = simulate_imu(walk, orientation="random", rng=gen)
    return SyntheticSession(
        kind=kind,
        mechanism=TRUTH[kind],
        audio=audio,
        audio_samples=audio.samples[cut:],
        imu=imu,
        offset_s=offset,
    )
