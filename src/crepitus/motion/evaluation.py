"""Scoring gait-event detection against a reference (research/gait.md §5).

One-to-one matching within a tolerance, per walking bout so events cannot match across
bouts: candidate pairs (|Δt| ≤ tolerance) are accepted greedily from the closest pair
up, which yields the mutual-nearest-neighbour pairs of mobgap's ``categorize_ic_list``
and gaitmap's ``match_stride_lists`` and then fills in the rest.  Metrics: precision,
recall, F1; on matched pairs the signed error (detected − reference) and its absolute
value; left/right accuracy on matched pairs with both sides known; cadence error per bout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray


@dataclass
class MatchResult:
    """Pooled counts and errors of one or more matched event lists."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors_s: list[float] = field(default_factory=list)
    side_correct: int = 0
    side_total: int = 0

    def add(self, other: MatchResult) -> MatchResult:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.errors_s += other.errors_s
        self.side_correct += other.side_correct
        self.side_total += other.side_total
        return self

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")

    @property
    def f1(self) -> float:
        d = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / d if d else float("nan")

    @property
    def mae_s(self) -> float:
        return float(np.mean(np.abs(self.errors_s))) if self.errors_s else float("nan")

    @property
    def bias_s(self) -> float:
        return float(np.mean(self.errors_s)) if self.errors_s else float("nan")

    @property
    def side_accuracy(self) -> float:
        return self.side_correct / self.side_total if self.side_total else float("nan")


def match_events(
    detected_s: NDArray[np.float64],
    reference_s: NDArray[np.float64],
    *,
    tolerance_s: float,
) -> list[tuple[int, int]]:
    """Greedy closest-first one-to-one matching; returns ``(detected_idx, reference_idx)``."""
    d = np.asarray(detected_s, float)
    r = np.asarray(reference_s, float)
    if len(d) == 0 or len(r) == 0:
        return []
    dist = np.abs(d[:, None] - r[None, :])
    ii, jj = np.nonzero(dist <= tolerance_s)
    order = np.argsort(dist[ii, jj], kind="stable")
    used_d: set[int] = set()
    used_r: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for k in order:
        i, j = int(ii[k]), int(jj[k])
        if i in used_d or j in used_r:
            continue
        used_d.add(i)
        used_r.add(j)
        pairs.append((i, j))
    return sorted(pairs)


def score_events(
    detected_s: NDArray[np.float64],
    reference_s: NDArray[np.float64],
    *,
    tolerance_s: float,
    detected_sides: Sequence[str | None] | None = None,
    reference_sides: Sequence[str | None] | None = None,
) -> MatchResult:
    """Match one bout's events and count TP/FP/FN, timing errors and side agreement."""
    pairs = match_events(detected_s, reference_s, tolerance_s=tolerance_s)
    res = MatchResult(
        tp=len(pairs), fp=len(detected_s) - len(pairs), fn=len(reference_s) - len(pairs)
    )
    for i, j in pairs:
        res.errors_s.append(float(detected_s[i] - reference_s[j]))
        if detected_sides is not None and reference_sides is not None:
            ds, rs = detected_sides[i], reference_sides[j]
            if ds is not None and rs is not None:
                res.side_total += 1
                res.side_correct += int(ds == rs)
    return res


def cadence_from_ics(ic_s: NDArray[np.float64]) -> float | None:
    """Cadence (steps/min) from the median step time; ``None`` with fewer than 3 contacts."""
    if len(ic_s) < 3:
        return None
    med = float(np.median(np.diff(np.sort(ic_s))))
    return 60.0 / med if med > 0 else None
