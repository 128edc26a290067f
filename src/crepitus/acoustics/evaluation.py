"""Scoring sound events against labels: one-to-one matching with tolerance, per kind.

Conventions (acoustics.md §4.2, as the issue fixes them):

* one-to-one matching per kind, onset within **±50 ms** for pops and snaps
  (mir_eval ``onset.f_measure`` window) and **±150 ms** for grinding (the
  issue's choice; looser than ±50 ms because a crepitus episode has a soft,
  noisy onset, cf. the 0.2 s collar of DCASE/sed_eval);
* matching maximises the number of pairs (Hungarian assignment on the
  eligibility graph, ties broken by smaller onset error), like mir_eval;
* macro-F1 is the unweighted mean over pop/snap/grind of the kinds that have
  references or estimates in the pooled set;
* **false joint sounds per minute** on recordings of plain walking: every
  pop/snap/grind estimate counts as false there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

JOINT_KINDS: tuple[str, ...] = ("pop", "snap", "grind")
TOLERANCE_S: Mapping[str, float] = {"pop": 0.05, "snap": 0.05, "grind": 0.15, "footstep": 0.05}


class HasOnsetKind(Protocol):
    @property
    def onset_s(self) -> float: ...

    @property
    def kind(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Counts:
    """True positives, false positives, false negatives of one kind."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        if self.tp + self.fp + self.fn == 0:
            return 1.0
        return 2 * p * r / (p + r) if p + r else 0.0


def match_onsets(
    ref_s: Sequence[float], est_s: Sequence[float], *, tolerance_s: float
) -> list[tuple[int, int]]:
    """Maximum one-to-one matching of onsets within ``tolerance_s`` (indices into ref, est)."""
    if not len(ref_s) or not len(est_s):
        return []
    from scipy.optimize import linear_sum_assignment

    r = np.asarray(ref_s, dtype=np.float64)
    e = np.asarray(est_s, dtype=np.float64)
    d = np.abs(r[:, None] - e[None, :])
    ok = d <= tolerance_s + 1e-9
    if not ok.any():
        return []
    # cost: matching is worth 1, minus a tiny preference for closer pairs
    cost = np.where(ok, -1.0 + d / (10 * max(tolerance_s, 1e-9)), 0.0)
    rows, cols = linear_sum_assignment(cost)
    return [(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if ok[i, j]]


def count_kind(
    refs: Iterable[HasOnsetKind],
    ests: Iterable[HasOnsetKind],
    *,
    kind: str,
    tolerance_s: float | None = None,
) -> Counts:
    """TP/FP/FN for one kind."""
    tol = TOLERANCE_S.get(kind, 0.05) if tolerance_s is None else tolerance_s
    r = [x.onset_s for x in refs if x.kind == kind]
    e = [x.onset_s for x in ests if x.kind == kind]
    tp = len(match_onsets(r, e, tolerance_s=tol))
    return Counts(tp, len(e) - tp, len(r) - tp)


@dataclass
class Scores:
    """Pooled counts per kind over many recordings, plus plain-walk false alarms."""

    counts: dict[str, Counts]
    false_per_min: float | None = None

    def macro_f1(self, kinds: Sequence[str] = JOINT_KINDS) -> float:
        used = [
            k
            for k in kinds
            if self.counts.get(k, Counts()).tp + self.counts[k].fp + self.counts[k].fn > 0
        ]
        return float(np.mean([self.counts[k].f1 for k in used])) if used else 1.0

    def table(self) -> str:
        lines = [f"{'kind':9s} {'P':>6s} {'R':>6s} {'F1':>6s} {'TP':>5s} {'FP':>5s} {'FN':>5s}"]
        for k, c in self.counts.items():
            lines.append(
                f"{k:9s} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} "
                f"{c.tp:5d} {c.fp:5d} {c.fn:5d}"
            )
        lines.append(f"macro-F1 (pop/snap/grind): {self.macro_f1():.3f}")
        if self.false_per_min is not None:
            lines.append(f"false joint sounds per minute on plain walks: {self.false_per_min:.3f}")
        return "\n".join(lines)


def score(
    pairs: Iterable[tuple[Sequence[HasOnsetKind], Sequence[HasOnsetKind]]],
    *,
    kinds: Sequence[str] = (*JOINT_KINDS, "footstep"),
) -> Scores:
    """Pool TP/FP/FN per kind over ``(references, estimates)`` pairs of recordings."""
    total = {k: Counts() for k in kinds}
    for refs, ests in pairs:
        for k in kinds:
            total[k] = total[k] + count_kind(refs, ests, kind=k)
    return Scores(total)


def false_joint_per_minute(
    ests_and_durations: Iterable[tuple[Sequence[HasOnsetKind], float]],
) -> float:
    """Joint-sound estimates per minute over recordings that contain none."""
    n, minutes = 0, 0.0
    for ests, dur_s in ests_and_durations:
        n += sum(1 for e in ests if e.kind in JOINT_KINDS)
        minutes += dur_s / 60.0
    return n / minutes if minutes else 0.0
