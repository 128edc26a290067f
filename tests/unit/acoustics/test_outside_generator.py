"""The outside generator (benchmarks/outside_generator.py) keeps its promises.

It is the held-out *generator* of ``benchmarks/bench_listen_outside.py``: if its labels
or SNRs were wrong, the benchmark's figures would be too. Recordings are short and at
16 kHz here, so the whole file runs in a few seconds.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import itertools
import sys
from pathlib import Path

import numpy as np
import pytest

PATH = Path(__file__).resolve().parents[3] / "benchmarks" / "outside_generator.py"


def _load() -> object:
    spec = importlib.util.spec_from_file_location("outside_generator", PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defined
    spec.loader.exec_module(module)
    return module


og: object = sys.modules.get("outside_generator") or _load()
FAST = {"duration_s": 15.0, "sampling_rate_hz": 16000}
SNR_DB = (12.0, 18.0)


def make(seed: int, kind: str, **kw: object) -> object:
    return og.make(seed, kind, **{**FAST, **kw})  # type: ignore[attr-defined]


@functools.cache
def walk(kind: str) -> object:
    """One 15-s walk per kind with a narrow SNR range (seed 5: three pop clusters)."""
    return make(5, kind, snr_range=SNR_DB)


def test_it_never_imports_crepitus() -> None:
    # independence is the point: it must not learn from (or share code with) crepitus.synth
    names = set()
    for node in ast.walk(ast.parse(PATH.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
    assert not [n for n in names if n.split(".")[0] == "crepitus"]


@pytest.mark.parametrize("kind", ["pop", "snap", "grind"])
def test_labels_lie_inside_the_recording(kind: str) -> None:
    rec = walk(kind)
    assert len(rec.labels) >= 3
    for lab in rec.labels:
        assert lab.kind == kind
        assert 0.0 <= lab.onset_s < lab.offset_s <= rec.duration_s


@pytest.mark.parametrize("kind", ["pop", "snap", "grind"])
def test_snrs_stay_in_the_requested_range(kind: str) -> None:
    snrs = [lab.snr_db for lab in walk(kind).labels]
    assert SNR_DB[0] <= min(snrs) and max(snrs) <= SNR_DB[1]
    if kind == "pop":  # a cluster's later pops are drawn around the first: clipped too
        assert sum(lab.note.startswith("cluster") for lab in walk(kind).labels) >= 4


def test_same_seed_same_audio_other_seed_other_audio() -> None:
    a, b, c = (make(seed, "snap", duration_s=8.0) for seed in (7, 7, 8))
    assert np.array_equal(a.samples, b.samples)
    assert a.labels == b.labels
    n = min(len(a.samples), len(c.samples))
    assert not np.array_equal(a.samples[:n], c.samples[:n])
    assert np.isfinite(a.samples).all() and np.abs(a.samples).max() <= 1.0


def test_plain_walk_has_no_joint_sounds_but_footsteps() -> None:
    rec = make(9, "plain", duration_s=10.0)
    assert rec.labels == []
    assert len(rec.steps) >= 14  # 10 s at 90–125 steps/min


@pytest.mark.parametrize("cadence", [95.0, 120.0])
def test_footsteps_at_the_requested_cadence(cadence: float) -> None:
    rec = make(10, "plain", cadence_spm=cadence, duration_s=12.0)
    times = np.array([t for t, _ in rec.steps])
    assert times.min() >= 0.0 and times.max() < rec.duration_s
    assert np.median(np.diff(times)) == pytest.approx(60.0 / cadence, rel=0.04)
    sides = [s for _, s in rec.steps]
    assert all(a != b for a, b in itertools.pairwise(sides))  # the feet alternate
    # the heel strikes are in the audio: 20–30 ms after each, the 10-ms frame holds
    # more energy than half-way between steps
    frame = rec.sampling_rate_hz // 100
    x = rec.samples[: len(rec.samples) // frame * frame].astype(np.float64)
    energy = (x.reshape(-1, frame) ** 2).sum(axis=1)
    at_steps = energy[(times[:-1] * 100).astype(int) + 2]
    between = energy[((times[:-1] + np.diff(times) / 2) * 100).astype(int)]
    assert np.median(at_steps) > 3 * np.median(between)
