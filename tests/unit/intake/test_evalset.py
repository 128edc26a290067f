"""The hand-written evaluation set: its shape, and the issue's targets as a regression guard."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from crepitus.intake import extract, red_flag_codes
from crepitus.intake.evaluation import keyword_baseline, load_cases, score

EVAL_SET = Path(__file__).resolve().parents[2] / "data" / "intake" / "eval_set.yaml"


@pytest.fixture(scope="module")
def cases():  # type: ignore[no-untyped-def]
    return load_cases(EVAL_SET)


def test_eval_set_shape(cases) -> None:  # type: ignore[no-untyped-def]
    assert len(cases) >= 200
    splits = Counter(c.split for c in cases)
    assert splits == {"dev": 120, "heldout": 100}
    assert len({c.id for c in cases}) == len(cases)
    assert sum(not c.understood for c in cases) >= 5  # non-English / empty examples
    gold_codes = {code for c in cases for code in c.gold}
    assert len(gold_codes & set(red_flag_codes())) >= 25


def _predict(text: str):  # type: ignore[no-untyped-def]
    r = extract(text)
    return dict(r.findings), r.understood


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_issue_targets_hold(cases, split: str) -> None:  # type: ignore[no-untyped-def]
    part = [c for c in cases if c.split == split]
    s = score(part, _predict, red_flags=red_flag_codes())
    rf_p, rf_r, _ = s.red_flag
    assert rf_r >= 0.97 and rf_p >= 0.9
    assert s.negated_rf_as_present == 0
    assert s.micro[2] > 0.9


def test_context_beats_the_keyword_baseline(cases) -> None:  # type: ignore[no-untyped-def]
    rf = red_flag_codes()
    ours = score(cases, _predict, red_flags=rf)
    base = score(cases, keyword_baseline(), red_flags=rf)
    assert base.negated_rf_as_present > 0 == ours.negated_rf_as_present
    assert ours.micro[2] > base.micro[2]
