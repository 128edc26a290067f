"""Free-text intake: accuracy on the hand-written eval set, and speed.

Run: ``python benchmarks/bench_intake.py [--errors dev|heldout|fresh|fresh2] [--per-code]``

Reports, for the development and the held-out half of
``tests/data/intake/eval_set.yaml``: micro precision/recall/F1 over
(code, value) pairs, red-flag presence precision/recall, the number of
explicitly denied red flags reported as present, "understood" accuracy, a
keyword-matcher baseline without ConText, and milliseconds per description.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL_SET = ROOT / "tests" / "data" / "intake" / "eval_set.yaml"
#: 40 long forum-style posts written after tuning; scored once untuned
#: (micro-F1 0.884, red-flag recall 0.727), then used for development.
FRESH_SET = ROOT / "tests" / "data" / "intake" / "fresh_set.yaml"
#: 40 more posts written after the fresh-set fixes; scored once (micro-F1 0.924,
#: red-flag P 0.929 / R 0.897, 1 denied red flag reported present), then fixed.
FRESH2_SET = ROOT / "tests" / "data" / "intake" / "fresh2_set.yaml"


def main(argv: list[str] | None = None) -> int:
    from crepitus.findings import Value
    from crepitus.intake import extract, red_flag_codes
    from crepitus.intake.evaluation import format_scores, keyword_baseline, load_cases, score

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--errors",
        choices=["dev", "heldout", "fresh", "fresh2"],
        help="list the errors of one split",
    )
    ap.add_argument("--per-code", action="store_true", help="per-code precision/recall table")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    extract("warm up: my back pops")
    startup_s = time.perf_counter() - t0
    cases = load_cases(EVAL_SET) + load_cases(FRESH_SET) + load_cases(FRESH2_SET)
    rf = red_flag_codes()

    def predict(text: str) -> tuple[dict[str, Value], bool]:
        r = extract(text)
        return dict(r.findings), r.understood

    baseline = keyword_baseline()
    for split in ("dev", "heldout", "fresh", "fresh2"):
        part = [c for c in cases if c.split == split]
        s = score(part, predict, red_flags=rf)
        b = score(part, baseline, red_flags=rf)
        print(format_scores(f"{split:8s} intake  ", s))
        print(format_scores(f"{split:8s} baseline", b))
        if args.per_code:
            print(f"  per code ({split}): code tp fp fn precision recall")
            for code, (tp, fp, fn, p, r) in s.per_code().items():
                flag = "*" if code in rf else " "
                print(f"  {flag} {code:36s} {tp:3d} {fp:3d} {fn:3d}  P={p:.2f} R={r:.2f}")
        if args.errors == split:
            for e in s.errors:
                print("   ", e)

    texts = [c.text for c in cases]
    times = []
    for _ in range(5):
        t = time.perf_counter()
        for text in texts:
            extract(text)
        times.append((time.perf_counter() - t) / len(texts) * 1000)
    longest = max(texts, key=len)
    t = time.perf_counter()
    for _ in range(50):
        extract(longest)
    ms_long = (time.perf_counter() - t) / 50 * 1000
    big = "my back pops when I walk and it does not hurt. " * 20_000  # ~1 MB
    t = time.perf_counter()
    big_result = extract(big)
    s_big = time.perf_counter() - t
    print(
        f"speed: start-up {startup_s * 1000:.0f} ms; "
        f"median {statistics.median(times):.3f} ms per description "
        f"(best of 5 passes over {len(texts)}); longest ({len(longest)} chars) {ms_long:.3f} ms; "
        f"1 MB text {s_big:.2f} s (read first {len(big_result.text):,} chars)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
