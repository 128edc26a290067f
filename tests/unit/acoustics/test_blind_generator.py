"""The blind generator (benchmarks/blind_generator.py): truthful labels, honest levels.

These tests check the generator, not crepitus: its labels lie inside the audio, its SNRs
stay in the requested ranges and actually move the audio, its footsteps really sound
at the requested cadence, it is reproducible, and it stays independent of crepitus.
"""

from __future__ import annotations

import ast
import importlib.abc
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[3] / "benchmarks"
sys.path.insert(0, str(BENCH))
import blind_generator as bg  # noqa: E402

SHORT = 8.0  # s; short walks keep the suite fast
QUIET = ("codec", "agc", "denoise", "clip")  # the phone chain off, for level checks


@pytest.mark.parametrize("kind", ["pop", "snap", "grind"])
@pytest.mark.parametrize("seed", [3])
def test_labels_inside_the_recording_and_snr_in_default_range(kind: str, seed: int) -> None:
    rec = bg.make(seed, kind, duration_s=SHORT)
    assert rec.labels, "a joint-sound recording must place joint sounds"
    lo, hi = bg.DEFAULT_SNR_DB[kind]
    for lab in rec.labels:
        assert lab.kind == kind
        assert 0.0 <= lab.onset_s < lab.offset_s <= rec.duration_s
        assert lo <= lab.snr_db <= hi
    assert rec.sampling_rate_hz in (16000, 44100, 48000)
    assert np.all(np.isfinite(rec.samples)) and np.max(np.abs(rec.samples)) <= 1.0


def test_requested_snr_range_is_obeyed() -> None:
    rec = bg.make(5, "grind", (12.0, 14.0), duration_s=SHORT)
    assert rec.labels
    assert all(12.0 <= lab.snr_db <= 14.0 for lab in rec.labels)


def test_snr_moves_the_audio_at_the_labels() -> None:
    """Same seed, same scene: +25 dB of SNR must show up as far more energy at the labels."""
    loud = bg.make(11, "snap", (30.0, 30.0), off=QUIET, duration_s=SHORT)
    soft = bg.make(11, "snap", (5.0, 5.0), off=QUIET, duration_s=SHORT)
    fs = loud.sampling_rate_hz

    def at_labels(rec: bg.Recording) -> float:
        idx = np.concatenate(
            [np.arange(int(la.onset_s * fs), int(la.offset_s * fs)) for la in rec.labels]
        )
        return float(np.mean(rec.samples[idx].astype(np.float64) ** 2))

    # levels are normalised per recording, so compare against the same recording's steps
    def ratio_db(rec: bg.Recording) -> float:
        return 10 * np.log10(at_labels(rec) / np.mean(rec.samples.astype(np.float64) ** 2))

    assert [la.onset_s for la in loud.labels] == [la.onset_s for la in soft.labels]
    assert ratio_db(loud) - ratio_db(soft) > 10.0


def test_same_seed_same_audio_other_seed_other_audio() -> None:
    a = bg.make(21, "pop", duration_s=SHORT)
    b = bg.make(21, "pop", duration_s=SHORT)
    c = bg.make(22, "pop", duration_s=SHORT)
    assert np.array_equal(a.samples, b.samples) and a.labels == b.labels
    assert len(a.samples) != len(c.samples) or not np.array_equal(a.samples, c.samples)


@pytest.mark.parametrize("seed", [1, 2])
def test_plain_walks_have_no_joint_labels(seed: int) -> None:
    rec = bg.make(seed, "plain", duration_s=SHORT)
    assert rec.labels == []
    assert len(rec.steps) > 6


@pytest.mark.parametrize("cadence", [92.0, 118.0])
def test_footsteps_sound_at_the_requested_cadence(cadence: float) -> None:
    # long enough that the slower first strides from standing do not set the median
    rec = bg.make(4, "plain", off=QUIET, duration_s=16.0, cadence_spm=cadence)
    step = 60.0 / cadence
    # the walk starts from standing (slower first strides) and its pace drifts (±4 %)
    assert rec.true_step_period_s == pytest.approx(step, rel=0.07)
    # the audio itself, not just the truth: the envelope repeats at the step period
    fs = rec.sampling_rate_hz
    hop = fs // 200
    x = rec.samples.astype(np.float64)
    env = np.sqrt(np.mean(x[: len(x) // hop * hop].reshape(-1, hop) ** 2, axis=1))
    env = env - env.mean()
    ac = np.correlate(env, env, mode="full")[len(env) - 1 :]
    lags = np.arange(len(ac)) / 200.0
    window = (lags > 0.35) & (lags < 0.8)
    best = lags[window][np.argmax(ac[window])]
    assert best == pytest.approx(rec.true_step_period_s, rel=0.04)
    assert best == pytest.approx(step, rel=0.08)


class _NoCrepitus(importlib.abc.MetaPathFinder):
    """An import hook that makes any ``crepitus`` import fail."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.split(".")[0] == "crepitus":
            raise ImportError(f"blind_generator imported {name}")


def test_module_does_not_import_crepitus(monkeypatch: pytest.MonkeyPatch) -> None:
    tree = ast.parse((BENCH / "blind_generator.py").read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [m for m in names if m.split(".")[0] == "crepitus"]
    # and at run time, including lazy imports inside functions: hide crepitus, then load
    # and run the module afresh
    for m in [m for m in sys.modules if m.split(".")[0] == "crepitus"]:
        monkeypatch.delitem(sys.modules, m)
    monkeypatch.setattr(sys, "meta_path", [_NoCrepitus(), *sys.meta_path])
    spec = importlib.util.spec_from_file_location("blind_fresh", BENCH / "blind_generator.py")
    assert spec is not None and spec.loader is not None
    fresh = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "blind_fresh", fresh)
    spec.loader.exec_module(fresh)
    for kind in fresh.KINDS:
        fresh.make(1, kind, duration_s=4.0)


def test_ablation_names_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown"):
        bg.make(1, "plain", off=["no-such-part"], duration_s=SHORT)
    assert set(bg.KINDS) == {"pop", "snap", "grind", "plain"}
