"""The audio generator follows the walk and the research ranges (crepitus.synth.audio)."""

from __future__ import annotations

import numpy as np
import pytest

from crepitus.synth.audio import (
    Scenario,
    band_rms,
    pop_waveform,
    synthesize_audio,
)
from crepitus.synth.walk import simulate_walk

FS = 16000


@pytest.fixture(scope="module")
def snap_rec():  # type: ignore[no-untyped-def]
    walk = simulate_walk(walking_s=20, rng=3)
    sc = Scenario(snap_side="left", interferers=(), phone_channel=False)
    return synthesize_audio(walk, sampling_rate_hz=FS, scenario=sc, rng=4)


def test_footsteps_coincide_with_initial_contacts(snap_rec) -> None:  # type: ignore[no-untyped-def]
    steps = [lab.onset_s for lab in snap_rec.labels if lab.kind == "footstep"]
    assert np.allclose(steps, snap_rec.walk.initial_contacts_s)


def test_snaps_lock_to_one_side_and_a_fixed_phase(snap_rec) -> None:  # type: ignore[no-untyped-def]
    snaps = [lab for lab in snap_rec.labels if lab.kind == "snap"]
    assert len(snaps) >= 5
    assert {s.side for s in snaps} == {"left"}
    phases = np.array([s.phase for s in snaps if s.phase is not None])
    assert 0.25 <= phases.mean() <= 0.65  # acoustics.md §3.2: 30–60 % (+ jitter)
    assert phases.std() < 0.06  # jitter σ 1–3 % of the stride


def test_samples_are_finite_and_in_range(snap_rec) -> None:  # type: ignore[no-untyped-def]
    x = snap_rec.samples
    assert x.dtype == np.float32
    assert np.all(np.isfinite(x))
    assert np.max(np.abs(x)) <= 1.0
    assert len(x) == pytest.approx(snap_rec.walk.duration_s * FS, abs=2)


def test_pop_is_short_and_in_band(rng: np.random.Generator) -> None:
    for _ in range(20):
        y, dur = pop_waveform(rng, sampling_rate_hz=48000)
        assert 0.001 < dur < 0.020  # label duration 3–15 ms (to −30 dB) + double wave
        assert np.all(np.isfinite(y))


def test_pops_respect_joint_refractory_period() -> None:
    walk = simulate_walk(walking_s=120, rng=5)
    sc = Scenario(pops_per_min=20.0, interferers=(), phone_channel=False)
    rec = synthesize_audio(walk, sampling_rate_hz=FS, scenario=sc, rng=6)
    pops = [lab for lab in rec.labels if lab.kind == "pop"]
    assert len(pops) > 10
    by_joint: dict[str, list[float]] = {}
    for p in pops:
        assert p.joint is not None
        by_joint.setdefault(p.joint, []).append(p.onset_s)
    repeats = sum(len(v) - 1 for v in by_joint.values())
    assert repeats <= max(1, int(0.2 * len(pops)))  # only the rare p≈0.05 violations (Cramer 2011)


def test_snr_convention_is_honoured() -> None:
    walk = simulate_walk(walking_s=20, rng=7)
    sc = Scenario(pops_per_min=10.0, pop_snr_db=(20.0, 20.0), interferers=(), phone_channel=False)
    rec = synthesize_audio(walk, sampling_rate_hz=FS, scenario=sc, rng=8)
    pops = [lab for lab in rec.labels if lab.kind == "pop"]
    assert pops and all(p.snr_db == pytest.approx(20.0) for p in pops)


def test_band_rms_of_a_sine() -> None:
    t = np.arange(3 * FS + 11) / FS
    assert band_rms(np.sin(2 * np.pi * 1000 * t), sampling_rate_hz=FS) == pytest.approx(
        2**-0.5, rel=1e-3
    )
    assert (
        band_rms(np.sin(2 * np.pi * 50 * t), sampling_rate_hz=FS) < 0.01
    )  # below the 100 Hz band edge
