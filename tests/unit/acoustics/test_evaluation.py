"""Event matching and scores (crepitus.acoustics.evaluation)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from crepitus.acoustics import evaluation as ev


@dataclass
class E:
    onset_s: float
    kind: str


def test_match_is_one_to_one_and_within_tolerance() -> None:
    pairs = ev.match_onsets([1.0, 1.03], [1.01], tolerance_s=0.05)
    assert len(pairs) == 1
    assert ev.match_onsets([1.0], [1.06], tolerance_s=0.05) == []


def test_matching_maximises_pairs() -> None:
    # greedy-by-distance would pair 1.04 with 1.00 and leave 0.97 unmatched
    pairs = ev.match_onsets([0.97, 1.04], [1.0, 1.08], tolerance_s=0.05)
    assert len(pairs) == 2


def test_counts_per_kind_use_kind_tolerance() -> None:
    refs = [E(1.0, "grind"), E(2.0, "pop")]
    ests = [E(1.12, "grind"), E(2.08, "pop"), E(3.0, "pop")]
    g = ev.count_kind(refs, ests, kind="grind")
    p = ev.count_kind(refs, ests, kind="pop")
    assert (g.tp, g.fp, g.fn) == (1, 0, 0)  # ±150 ms for grinding
    assert (p.tp, p.fp, p.fn) == (0, 2, 1)  # ±50 ms for pops


def test_scores_and_macro_f1() -> None:
    s = ev.score([([E(1.0, "pop"), E(5.0, "snap")], [E(1.0, "pop"), E(9.0, "snap")])])
    assert s.counts["pop"].f1 == 1.0
    assert s.counts["snap"].f1 == 0.0
    assert s.macro_f1() == pytest.approx(0.5)  # grind has nothing on either side: not averaged
    assert "macro-F1" in s.table()


def test_false_joint_sounds_per_minute() -> None:
    rate = ev.false_joint_per_minute([([E(1.0, "pop"), E(2.0, "footstep")], 30.0)])
    assert rate == pytest.approx(2.0)
