"""Assessment engine speed: assessments per second in-process, and CLI start-up time.

Run: ``python benchmarks/bench_engine.py`` (``make bench`` runs every benchmark).

* In-process rate on a *varied* corpus (random valid findings documents of
  different densities, generated with a fixed seed) so that no cache or
  repeated input flatters the figure: ``assess()`` alone, and ``assess()``
  followed by ``to_json()`` (which also works out the open questions and the
  exercise plan, as the CLI and web app do).
* CLI start-up: ``crepitus --help`` in a fresh interpreter, side by side with
  the bare interpreter (``python -c pass``) and ``python -m json.tool --help``
  as peers; median of repeated runs. Quote the ratios, not the absolute times.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import time
from typing import Any


def corpus(n: int, *, seed: int = 7) -> list[dict[str, Any]]:
    from crepitus.findings import load_vocabulary

    vocab = load_vocabulary()
    rnd = random.Random(seed)
    docs = []
    for _ in range(n):
        density = rnd.choice([0.05, 0.2, 0.5, 0.9])
        doc: dict[str, Any] = {}
        for code, d in vocab.definitions.items():
            if rnd.random() >= density:
                continue
            if d.type == "boolean":
                doc[code] = rnd.random() < 0.15
            elif d.type == "choice":
                doc[code] = rnd.choice(d.choices)
            else:
                assert d.min is not None and d.max is not None
                doc[code] = rnd.randint(d.min, min(d.max, 90))
        docs.append(doc)
    return docs


def rate(fn: Any, docs: list[dict[str, Any]]) -> float:
    start = time.perf_counter()
    for doc in docs:
        fn(doc)
    return len(docs) / (time.perf_counter() - start)


def startup(cmd: list[str], repeats: int = 15) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    import crepitus

    docs = corpus(4000)
    crepitus.assess(docs[0]).to_json()  # load knowledge once, as a long-running process would
    assess_rate = rate(crepitus.assess, docs)
    json_rate = rate(lambda d: crepitus.assess(d).to_json(), docs[:400])
    print("== engine (in-process, one core, 4000 varied findings documents) ==")
    print(f"assess()                 {assess_rate:10.0f} assessments/s   (goal > 20,000/s)")
    print(f"assess().to_json()       {json_rate:10.0f} assessments/s   (+ open questions + plan)")

    py = sys.executable
    bare = startup([py, "-c", "pass"])
    peer = startup([py, "-m", "json.tool", "--help"])
    ours = startup([py, "-m", "crepitus.cli.main", "--help"])
    print("\n== CLI start-up (median of 15, fresh interpreter) ==")
    print(f"python -c pass                {bare * 1000:7.1f} ms   1.00x")
    print(f"python -m json.tool --help    {peer * 1000:7.1f} ms   {peer / bare:.2f}x")
    print(
        f"crepitus --help               {ours * 1000:7.1f} ms   {ours / bare:.2f}x"
        "   (goal < 300 ms)"
    )


if __name__ == "__main__":
    main()
