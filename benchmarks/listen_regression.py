"""Did a speed change alter what ``listen`` reports?  Save events once, compare after each change.

Usage::

    python benchmarks/listen_regression.py --save /tmp/before.json        # on the old code
    python benchmarks/listen_regression.py --compare /tmp/before.json     # on the new code

Runs :func:`crepitus.acoustics.listen` on the first ``--seeds`` recordings of
``TUNING_SEEDS`` (kinds and 16/44.1/48 kHz rates cycle with the seed, so 30
seeds hold every kind at every rate twice; the held-out split is never used)
and on a 16-bit WAV copy of the first 48 kHz one (the streamed file path).
Every event's kind, onset, offset and confidence is saved; the comparison
requires identical kinds and event counts, onsets and offsets within 1 ms and
confidences within 1e-6, and prints the largest differences it saw.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from crepitus.acoustics import listen
from crepitus.acoustics.classification import SoundEvent
from crepitus.acoustics.io import Audio
from crepitus.synth.corpus import TUNING_SEEDS, recording

Events = list[tuple[str, float, float, float]]


def run(n_seeds: int) -> dict[str, Events]:
    """Events of every checked recording, keyed by a name."""
    out: dict[str, Events] = {}
    wav_done = False
    for seed in TUNING_SEEDS[:n_seeds]:
        rec = recording(seed)
        audio = Audio(np.asarray(rec.samples, dtype=np.float32), rec.sampling_rate_hz)
        out[str(seed)] = _events(listen(audio).events)
        if not wav_done and rec.sampling_rate_hz == 48000:
            import soundfile as sf

            with tempfile.TemporaryDirectory() as d:
                path = Path(d) / "walk.wav"
                sf.write(path, rec.samples, rec.sampling_rate_hz, subtype="PCM_16")
                out[f"{seed}.wav"] = _events(listen(path).events)
            wav_done = True
    return out


def _events(events: Sequence[SoundEvent]) -> Events:
    return [(e.kind, e.onset_s, e.offset_s, e.confidence) for e in events]


def compare(before: dict[str, Events], after: dict[str, Events]) -> list[str]:
    """Every difference beyond the tolerances, as readable lines (empty: identical)."""
    problems: list[str] = []
    worst = {"onset": 0.0, "offset": 0.0, "confidence": 0.0}
    for name, old in before.items():
        new = after.get(name)
        if new is None:
            problems.append(f"{name}: missing")
            continue
        if [e[0] for e in old] != [e[0] for e in new]:
            problems.append(f"{name}: kinds differ ({len(old)} → {len(new)} events)")
            continue
        for (_, o0, f0, c0), (_, o1, f1, c1) in zip(old, new, strict=True):
            worst["onset"] = max(worst["onset"], abs(o0 - o1))
            worst["offset"] = max(worst["offset"], abs(f0 - f1))
            worst["confidence"] = max(worst["confidence"], abs(c0 - c1))
    n = sum(len(v) for v in before.values())
    print(f"{len(before)} recordings, {n} events; largest differences: {worst}")
    if worst["onset"] > 1e-3 or worst["offset"] > 1e-3:
        problems.append("an onset or offset moved by more than 1 ms")
    if worst["confidence"] > 1e-6:
        problems.append("a confidence changed by more than 1e-6")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=int, default=30)
    act = ap.add_mutually_exclusive_group(required=True)
    act.add_argument("--save", type=Path)
    act.add_argument("--compare", type=Path)
    args = ap.parse_args()
    if args.save:
        args.save.write_text(json.dumps(run(args.seeds)), encoding="utf-8")
        return 0
    before = {
        name: [(str(k), float(on), float(off), float(c)) for k, on, off, c in events]
        for name, events in json.loads(args.compare.read_text(encoding="utf-8")).items()
    }
    after = run(len([k for k in before if "." not in k]))
    problems = compare(before, after)
    for p in problems:
        print("DIFFERENT:", p)
    if not problems:
        print("identical within tolerances")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
