"""Sound + motion + answers: recording-level mechanism accuracy, alignment error, end-to-end time.

Run: ``python benchmarks/bench_fusion.py [--n N]``.

* Held-out synthetic sessions (``crepitus.synth.session.HELD_OUT_SEEDS``, never used
  for development): audio and IMU of the same walk, audio started 0.5–8 s after the
  motion recording, random phone orientation, the audio generator's interferers and
  phone channel.  With **no answers**, the assessment's top mechanism must name the
  scenario (pop → cavitation, snap → soft_tissue_snap, grind → arthritic_crepitus,
  plain walk → undetermined).  Target ≥ 95 %.
* Alignment error |offset_s − truth| when no shared clock exists. Target ≤ 20 ms.
* The same sessions assessed with the audio alone (footsteps as steps) and the
  motion alone, side by side, to show what each source adds.
* Wall time of one whole ``crepitus assess --audio --motion --json`` process on a
  60-s pair, including start-up (goal < 1 s on one core), next to ``crepitus
  listen`` and ``crepitus walk`` on the same files.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=60, help="number of held-out sessions")
    args = parser.parse_args()

    import crepitus
    from crepitus.synth.session import HELD_OUT_SEEDS, session

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in HELD_OUT_SEEDS[: args.n]:
            s = session(seed)
            wav, csv = s.write(tmp, stem=str(seed))
            both = crepitus.assess({}, audio=wav, motion=csv)
            audio_only = crepitus.assess({}, audio=wav)
            motion_only = crepitus.assess({}, motion=csv)
            al = both.recording["alignment"] if both.recording else None
            err = None if not al or al["offset_s"] is None else abs(al["offset_s"] - s.offset_s)
            rows.append(
                (
                    s.kind,
                    s.mechanism,
                    both.top_mechanism,
                    audio_only.top_mechanism,
                    motion_only.top_mechanism,
                    err,
                    al["confidence"] if al else 0.0,
                )
            )

        n = len(rows)
        acc_both = sum(r[1] == r[2] for r in rows) / n
        acc_audio = sum(r[1] == r[3] for r in rows) / n
        acc_motion = sum(r[1] == r[4] for r in rows) / n
        print(f"== mechanism from recordings alone (no answers), {n} held-out sessions ==")
        print(f"{'source':<22}{'accuracy':>10}")
        print(f"{'audio + motion':<22}{acc_both:>10.1%}   (target >= 95 %)")
        print(f"{'audio only':<22}{acc_audio:>10.1%}")
        print(f"{'motion only':<22}{acc_motion:>10.1%}   (no sound: undetermined unless plain)")
        by_kind: dict[str, Counter[str]] = {}
        for kind, _truth, got, *_ in rows:
            by_kind.setdefault(kind, Counter())[got] += 1
        for kind, c in sorted(by_kind.items()):
            print(f"   {kind:<6} -> {dict(c)}")
        errs = [r[5] for r in rows if r[5] is not None and r[6] >= 0.35]
        print("\n== alignment without a shared clock (footsteps ↔ heel strikes) ==")
        print(f"usable alignments       {len(errs)}/{n}")
        if errs:
            print(f"median |error|          {statistics.median(errs) * 1000:7.1f} ms")
            p95 = sorted(errs)[int(0.95 * (len(errs) - 1))]
            print(f"95th pct |error|        {p95 * 1000:7.1f} ms")
            print(f"max |error|             {max(errs) * 1000:7.1f} ms   (target <= 20 ms)")

        s = session(HELD_OUT_SEEDS[0], walking_s=60.0)
        wav, csv = s.write(tmp, stem="sixty")
        exe = [sys.executable, "-m", "crepitus.cli.main"]
        cmds = {
            "crepitus assess --audio --motion": [
                *exe,
                "assess",
                "--audio",
                str(wav),
                "--motion",
                str(csv),
                "--json",
            ],
            "crepitus listen": [*exe, "listen", str(wav), "--json"],
            "crepitus walk": [*exe, "walk", str(csv), "--json"],
            "python -c pass": [sys.executable, "-c", "pass"],
        }
        print("\n== one 60-s recording pair, whole process incl. start-up (median of 5) ==")
        for name, cmd in cmds.items():
            times = []
            for _ in range(5):
                t = time.perf_counter()
                subprocess.run(cmd, capture_output=True, check=True, stdin=subprocess.DEVNULL)
                times.append(time.perf_counter() - t)
            med = statistics.median(times)
            print(f"{name:<36}{med * 1000:8.0f} ms")
        print("(goal: assess under 1 s wall on one core)")


if __name__ == "__main__":
    main()
