"""crepitus listen on an independent generator: a held-out *generator*, measured, never tuned on.

Usage::

    python benchmarks/bench_listen_outside.py                      # 15 walks per kind, seeds 7000+
    python benchmarks/bench_listen_outside.py --n 15 --base 9000   # a second seed set
    python benchmarks/bench_listen_outside.py --snr 25 35          # loud joint sounds only
    python benchmarks/bench_listen_outside.py --kinds plain --off rumble rustle   # ablation
    python benchmarks/bench_listen_outside.py --generator blind    # the blind generator

Generates ``--n`` recordings of each kind (pop, snap, grind, plain walk) with
``benchmarks/outside_generator.py`` (seed ``base + 100·kind index + i``), runs
:func:`crepitus.acoustics.listen` on each and scores it with
:mod:`crepitus.acoustics.evaluation`, exactly as ``bench_listen.py`` scores the package's
own held-out split (one-to-one matching; onsets ±50 ms for pops and snaps, ±150 ms for
grinding). Prints per-kind P/R/F1 and macro-F1, false joint sounds per minute on the
plain walks, recall per SNR band (the generator's own SNR definition), the error of the
step period ``listen`` derives from its footsteps, and what each false joint sound lay
nearest to. Nothing here may feed back into ``crepitus.synth`` or the sound model.
"""

from __future__ import annotations

import argparse
import importlib
import json
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

import outside_generator as og
from crepitus.acoustics import listen
from crepitus.acoustics.evaluation import (
    JOINT_KINDS,
    TOLERANCE_S,
    Counts,
    HasOnsetKind,
    Scores,
    count_kind,
    false_joint_per_minute,
    match_onsets,
)
from crepitus.acoustics.io import Audio

#: SNR bands (dB, lower edge inclusive) for the recall-by-SNR table.
SNR_BANDS: tuple[tuple[float, float], ...] = (
    (-99, -5),
    (-5, 5),
    (5, 15),
    (15, 25),
    (25, 99),
)
#: A step period more than this far from the truth counts as wrong.
STEP_ERROR_LIMIT_PCT = 5.0
#: A false estimate farther than this from any placed sound is "unattributed".
CAUSE_RADIUS_S = 0.15


def snr_band(snr_db: float) -> str:
    for lo, hi in SNR_BANDS:
        if lo <= snr_db < hi:
            return f"{lo:g}..{hi:g}"
    return "out of bands"


def nearest_cause(rec: og.Recording, t: float) -> str:
    """What the generator placed nearest to a false estimate at ``t`` (within 150 ms)."""
    best, dist = "unattributed", CAUSE_RADIUS_S
    for name, a, b in rec.interferers:
        if name == "rustle-continuous":
            continue
        d = 0.0 if a - 0.05 <= t <= b + 0.05 else min(abs(t - a), abs(t - b))
        if d < dist:
            best, dist = name, d
    for ts, _side in rec.steps:
        if abs(t - ts) < dist:
            best, dist = "footstep", abs(t - ts)
    for lab in rec.labels:
        if abs(t - lab.onset_s) < dist:
            best, dist = f"true {lab.kind}", abs(t - lab.onset_s)
    return best


class Tally:
    """Everything the benchmark pools over recordings."""

    def __init__(self) -> None:
        self.counts = {k: Counts() for k in JOINT_KINDS}
        self.by_kind = {rk: {k: Counts() for k in JOINT_KINDS} for rk in og.KINDS}
        self.band_found: dict[str, Counter[str]] = defaultdict(Counter)
        self.band_total: dict[str, Counter[str]] = defaultdict(Counter)
        self.plain: list[tuple[list[HasOnsetKind], float]] = []
        self.step_err_pct: list[float] = []
        self.causes: dict[str, Counter[str]] = defaultdict(Counter)

    def add(
        self, rec: og.Recording, events: list[HasOnsetKind], step_s: float | None
    ) -> dict[str, Any]:
        """Score one recording; returns its row for the JSON output."""
        err = (step_s / rec.true_step_period_s - 1) * 100 if step_s else float("nan")
        self.step_err_pct.append(err)
        row: dict[str, Any] = {
            "seed": rec.seed,
            "kind": rec.kind,
            "fs": rec.sampling_rate_hz,
            "duration_s": round(rec.duration_s, 1),
            "labels": len(rec.labels),
            "step_err_pct": round(err, 1),
            "info": {k: str(v) for k, v in rec.info.items()},
            "counts": {},
            "false": [],
        }
        for k in JOINT_KINDS:
            c = count_kind(rec.labels, events, kind=k)
            self.counts[k] = self.counts[k] + c
            self.by_kind[rec.kind][k] = self.by_kind[rec.kind][k] + c
            row["counts"][k] = [c.tp, c.fp, c.fn]
            refs = [lab for lab in rec.labels if lab.kind == k]
            ests = [e.onset_s for e in events if e.kind == k]
            pairs = match_onsets([r.onset_s for r in refs], ests, tolerance_s=TOLERANCE_S[k])
            found = {i for i, _ in pairs}
            for i, lab in enumerate(refs):
                self.band_total[k][snr_band(lab.snr_db)] += 1
                self.band_found[k][snr_band(lab.snr_db)] += i in found
            matched = {j for _, j in pairs}
            for j, t in enumerate(ests):
                if j not in matched:
                    cause = nearest_cause(rec, t)
                    self.causes[k][cause] += 1
                    row["false"].append({"t": round(t, 3), "said": k, "near": cause})
        if rec.kind == "plain":
            self.plain.append((events, rec.duration_s))
        return row

    def scores(self) -> Scores:
        return Scores(self.counts, false_joint_per_minute(self.plain))

    def step_summary(self) -> dict[str, float]:
        e = np.array(self.step_err_pct)
        ok = e[np.isfinite(e)]
        return {
            "median_pct": float(np.median(ok)) if len(ok) else float("nan"),
            "median_abs_pct": float(np.median(np.abs(ok))) if len(ok) else float("nan"),
            "over_limit": int(np.sum(np.abs(ok) > STEP_ERROR_LIMIT_PCT)),
            "none_found": int(len(e) - len(ok)),
            "recordings": len(e),
        }

    def report(self) -> str:
        sc = self.scores()
        lines = ["", "## pooled over all recordings", sc.table(), ""]
        lines.append("## estimates by recording kind (TP/FP/FN)")
        for rk, counts in self.by_kind.items():
            cells = "  ".join(f"{k}: {c.tp}/{c.fp}/{c.fn}" for k, c in counts.items())
            lines.append(f"  {rk:5s} {cells}")
        lines += ["", "## recall by SNR band (dB, the generator's definition): found/total"]
        for k in JOINT_KINDS:
            bands = sorted(self.band_total[k], key=lambda b: float(b.split("..")[0]))
            cells = "  ".join(
                f"[{b}] {self.band_found[k][b]}/{self.band_total[k][b]}" for b in bands
            )
            lines.append(f"  {k:5s} {cells}")
        s = self.step_summary()
        lines += [
            "",
            f"## step period from footsteps vs truth (median heel-strike interval): "
            f"median error {s['median_pct']:+.1f} %, median |error| {s['median_abs_pct']:.1f} %, "
            f"|error| > {STEP_ERROR_LIMIT_PCT:g} %: {s['over_limit']}/{s['recordings']}, "
            f"none found: {s['none_found']}",
            "",
            f"## false estimates: nearest placed sound (within {CAUSE_RADIUS_S * 1000:.0f} ms)",
        ]
        for k in JOINT_KINDS:
            lines.append(f"  said {k:5s}: {dict(self.causes[k].most_common())}")
        return "\n".join(lines)


#: ``--generator`` choices: module names in benchmarks/ (blind: written without reading
#: the others, see blind_generator.py).
GENERATORS = {"outside": "outside_generator", "blind": "blind_generator"}


def main() -> int:
    global og
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--generator", choices=GENERATORS, default="outside")
    og = importlib.import_module(GENERATORS[pre.parse_known_args()[0].generator])
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--generator", choices=GENERATORS, default="outside", help="which generator to listen on"
    )
    ap.add_argument("--n", type=int, default=15, help="recordings per kind")
    ap.add_argument("--base", type=int, default=7000, help="seed base")
    ap.add_argument(
        "--snr", type=float, nargs=2, metavar=("LO", "HI"), help="joint-sound SNR range, dB"
    )
    ap.add_argument("--kinds", nargs="+", choices=og.KINDS, default=list(og.KINDS))
    ap.add_argument("--off", nargs="+", choices=og.COMPONENTS, default=[], help="ablation")
    ap.add_argument("--json", type=Path, help="write the figures and per-recording rows here")
    args = ap.parse_args()
    snr = (args.snr[0], args.snr[1]) if args.snr else None
    print(
        f"# crepitus listen on the {args.generator} generator: {args.n} per kind, "
        f"base {args.base}, "
        f"SNR {snr or 'default'}, off {args.off or 'none'}"
    )
    tally = Tally()
    rows = []
    t0 = time.perf_counter()
    for ki, kind in enumerate(og.KINDS):
        if kind not in args.kinds:
            continue
        for i in range(args.n):
            seed = args.base + 100 * ki + i
            rec = og.make(seed, kind, snr, off=args.off)
            report = listen(Audio(rec.samples, rec.sampling_rate_hz, f"{args.generator}{seed}"))
            row = tally.add(rec, list(report.events), report.step_period_s)
            rows.append(row)
            tp_fp_fn = " ".join(f"{k} {'/'.join(map(str, c))}" for k, c in row["counts"].items())
            print(
                f"[{time.perf_counter() - t0:5.0f} s] {seed} {kind:5s} "
                f"{rec.sampling_rate_hz:5d} Hz TP/FP/FN {tp_fp_fn}  "
                f"step {row['step_err_pct']:+.0f} %",
                flush=True,
            )
    print(tally.report())
    if args.json:
        sc = tally.scores()
        out = {
            "args": {k: v for k, v in vars(args).items() if k != "json"},
            "macro_f1": sc.macro_f1(),
            "false_per_min": sc.false_per_min,
            "counts": {k: [c.tp, c.fp, c.fn] for k, c in sc.counts.items()},
            "recall_by_snr": {
                k: {b: [tally.band_found[k][b], n] for b, n in tally.band_total[k].items()}
                for k in JOINT_KINDS
            },
            "step_period": tally.step_summary(),
            "false_causes": {k: dict(v) for k, v in tally.causes.items()},
            "recordings": rows,
        }
        args.json.write_text(json.dumps(out, indent=1, default=str), encoding="utf-8")
        print(f"details -> {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
