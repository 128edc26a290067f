# ruff: noqa: E402  (thread-count variables must be set before numpy is imported)
"""crepitus listen vs librosa.onset.onset_detect, side by side, on the held-out synthetic split.

Usage::

    python benchmarks/bench_listen.py                 # full held-out split + 60-min speed test
    python benchmarks/bench_listen.py --seeds 20 --speed-minutes 10   # quicker

What it prints (issue 3 targets):

1. per-kind P/R/F1 (pop, snap: onset ±50 ms; grind: ±150 ms; one-to-one) and
   macro-F1 on the **held-out** seeds of ``crepitus.synth.corpus`` (never used
   for tuning), for crepitus and for librosa's spectral-flux onsets (which have
   no kind: every onset is scored as a candidate of each kind in turn);
2. false joint sounds per minute on the plain-walk recordings of that split;
3. the same on AAC 64 kbps and Opus 32 kbps copies (PyAV, no ffmpeg binary);
4. speed (× real time on one core) and peak memory for a long 48 kHz WAV,
   each tool in its own subprocess so peak RSS is its own.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core, as the target says

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from crepitus.acoustics import listen
from crepitus.acoustics.evaluation import JOINT_KINDS, Counts, count_kind, false_joint_per_minute
from crepitus.acoustics.io import Audio
from crepitus.synth.audio import GENERATOR_VERSION, encode_decode
from crepitus.synth.corpus import HELD_OUT_SEEDS, kind_of, recording


class _Onset:
    __slots__ = ("kind", "onset_s")

    def __init__(self, onset_s: float, kind: str) -> None:
        self.onset_s = onset_s
        self.kind = kind


def librosa_onsets(x: np.ndarray, fs: int) -> list[float]:
    import librosa

    hop = 256 if fs > 22050 else 128  # acoustics.md §4.1: lower hop at 44.1/48 kHz
    on = librosa.onset.onset_detect(y=x.astype(np.float32), sr=fs, hop_length=hop, units="time")
    return [float(t) for t in on]


def evaluate(seeds: list[int], variant: str) -> dict[str, object]:
    ours = {k: Counts() for k in JOINT_KINDS}
    peer = {k: Counts() for k in JOINT_KINDS}
    ours_plain, peer_plain = [], []
    for seed in seeds:
        rec = recording(seed)
        x, fs = rec.samples, rec.sampling_rate_hz
        if variant == "aac64":
            x, fs = encode_decode(x, sampling_rate_hz=fs, codec="aac", bitrate_bps=64000)
        elif variant == "opus32":
            x, fs = encode_decode(x, sampling_rate_hz=fs, codec="opus", bitrate_bps=32000)
        report = listen(Audio(np.ascontiguousarray(x, dtype=np.float32), int(fs), f"seed{seed}"))
        onsets = librosa_onsets(x, int(fs))
        for k in JOINT_KINDS:
            ours[k] = ours[k] + count_kind(rec.labels, report.events, kind=k)
            peer[k] = peer[k] + count_kind(rec.labels, [_Onset(t, k) for t in onsets], kind=k)
        if kind_of(seed) == "plain":
            ours_plain.append((report.events, rec.duration_s))
            peer_plain.append(([_Onset(t, "pop") for t in onsets], rec.duration_s))
    return {
        "ours": ours,
        "peer": peer,
        "ours_fpm": false_joint_per_minute(ours_plain),
        "peer_fpm": false_joint_per_minute(peer_plain),
    }


def macro(c: dict[str, Counts]) -> float:
    return float(np.mean([c[k].f1 for k in JOINT_KINDS]))


def print_table(title: str, res: dict[str, object]) -> None:
    ours, peer = res["ours"], res["peer"]
    assert isinstance(ours, dict) and isinstance(peer, dict)
    print(f"\n## {title}")
    print(
        f"{'kind':6s} | {'crepitus P':>10s} {'R':>6s} {'F1':>6s} | "
        f"{'librosa P':>9s} {'R':>6s} {'F1':>6s}"
    )
    for k in JOINT_KINDS:
        a, b = ours[k], peer[k]
        print(
            f"{k:6s} | {a.precision:10.3f} {a.recall:6.3f} {a.f1:6.3f} | "
            f"{b.precision:9.3f} {b.recall:6.3f} {b.f1:6.3f}"
        )
    print(f"macro-F1 | crepitus {macro(ours):.3f} | librosa {macro(peer):.3f}")
    print(
        f"false joint sounds/min on plain walks | crepitus {res['ours_fpm']:.2f} | "
        f"librosa (every onset) {res['peer_fpm']:.2f}"
    )


SPEED_CHILD = r"""
import os, sys, time, json, resource
for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[v] = "1"
tool, path = sys.argv[1], sys.argv[2]
t0, c0 = time.perf_counter(), time.process_time()
if tool == "crepitus":
    from crepitus.acoustics import listen
    r = listen(path)
    n = len(r.events)
else:
    import numpy as np, soundfile as sf, librosa
    # warm numba up on a short signal so JIT time is not counted
    librosa.onset.onset_detect(y=np.zeros(48000, np.float32), sr=48000, hop_length=256)
    # one 60-minute STFT would need several GB, so librosa gets the file in 60 s blocks
    t0, c0 = time.perf_counter(), time.process_time()
    sr = sf.info(path).samplerate
    n = 0
    for y in sf.blocks(path, blocksize=60 * sr, dtype="float32"):
        n += len(librosa.onset.onset_detect(y=y, sr=sr, hop_length=256, units="time"))
el, cpu = time.perf_counter() - t0, time.process_time() - c0
# VmHWM is this process's own peak: ru_maxrss would inherit the parent's peak across fork+exec
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:
    with open("/proc/self/status") as fh:
        peak_mb = next(int(l.split()[1]) for l in fh if l.startswith("VmHWM:")) / 1024
except (OSError, StopIteration):
    pass
out = {"tool": tool, "elapsed_s": el, "cpu_s": cpu, "events": int(n), "peak_rss_mb": peak_mb}
print(json.dumps(out))
"""


def make_long_wav(path: Path, minutes: float) -> float:
    """A long 48 kHz 16-bit WAV made of consecutive held-out-style walks (no labels needed)."""
    import soundfile as sf

    from crepitus.synth.audio import Scenario, synthesize_audio
    from crepitus.synth.walk import simulate_walk

    pieces = []
    for i in range(3):
        walk = simulate_walk(walking_s=55.0, standing_s=2.0, trailing_s=1.0, rng=900 + i)
        sc = Scenario(pops_per_min=3.0, snap_side="left" if i == 1 else None, grind=(i == 2))
        pieces.append(
            synthesize_audio(walk, sampling_rate_hz=48000, scenario=sc, rng=950 + i).samples
        )
    total = int(minutes * 60 * 48000)
    written = 0
    with sf.SoundFile(path, "w", samplerate=48000, channels=1, subtype="PCM_16") as f:
        k = 0
        while written < total:
            p = pieces[k % len(pieces)][: total - written]
            f.write(p)
            written += len(p)
            k += 1
    return written / 48000


def speed(minutes: float) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "long.wav"
        dur = make_long_wav(path, minutes)
        print(
            f"\n## speed and memory: {dur / 60:.0f} min, 48 kHz, 16-bit WAV "
            f"({path.stat().st_size / 1e6:.0f} MB), one core"
        )
        res = {}
        for tool in ("crepitus", "librosa"):
            out = subprocess.run(
                [sys.executable, "-c", SPEED_CHILD, tool, str(path)],
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode != 0:
                print(f"{tool}: failed: {out.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            res[tool] = r
            print(
                f"{tool:9s}: {r['elapsed_s']:.2f} s  = {dur / r['elapsed_s']:.0f}× real time "
                f"(CPU {r['cpu_s']:.2f} s = {dur / r['cpu_s']:.0f}×), "
                f"peak RSS {r['peak_rss_mb']:.0f} MB, {r['events']} events"
            )
        if len(res) == 2:
            # CPU time as well: on a shared machine the wall clock also counts other work
            print(
                f"crepitus is {res['librosa']['elapsed_s'] / res['crepitus']['elapsed_s']:.1f}× "
                f"(CPU time: {res['librosa']['cpu_s'] / res['crepitus']['cpu_s']:.1f}×) "
                "faster than librosa onset detection (both include reading the file)"
            )


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--seeds", type=int, default=len(HELD_OUT_SEEDS), help="held-out recordings to use"
    )
    ap.add_argument(
        "--speed-minutes", type=float, default=60.0, help="length of the speed-test file (0 = skip)"
    )
    ap.add_argument("--no-codecs", action="store_true", help="skip the AAC/Opus copies")
    args = ap.parse_args()
    seeds = list(HELD_OUT_SEEDS[: args.seeds])
    print(
        f"# crepitus listen vs librosa.onset.onset_detect — held-out split, {len(seeds)} "
        f"recordings of generator version {GENERATOR_VERSION}"
    )
    t = time.perf_counter()
    if not seeds:  # --seeds 0: speed and memory only
        speed(args.speed_minutes)
        return 0
    base = evaluate(seeds, "wav")
    print_table("WAV originals (16/44.1/48 kHz)", base)
    if not args.no_codecs:
        for variant, title in (("aac64", "AAC 64 kbps copies"), ("opus32", "Opus 32 kbps copies")):
            r = evaluate(seeds, variant)
            print_table(title, r)
            assert isinstance(r["ours"], dict) and isinstance(base["ours"], dict)
            print(f"macro-F1 change vs WAV: {macro(r['ours']) - macro(base['ours']):+.3f}")
    print(f"(accuracy part took {time.perf_counter() - t:.0f} s)")
    if args.speed_minutes > 0:
        speed(args.speed_minutes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
