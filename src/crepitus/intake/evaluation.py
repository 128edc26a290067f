"""Scoring intake against a gold set: per-code precision/recall, red-flag safety, micro-F1.

Units of scoring are (code, value) pairs per description: a predicted pair is
a true positive only if the gold has the same code with the same value, so
reporting ``true`` for a denied code is both a false positive and a false
negative.  Red-flag metrics use the boolean codes of the red-flag screen
(``screen: true`` in findings.yaml) and count *presence* (value true), the
safety-relevant direction; ``negated_red_flags_as_present`` counts gold-false
red flags that were predicted true — the target is zero.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from crepitus.errors import InvalidInputError
from crepitus.findings import Value, parse_findings


@dataclass(frozen=True)
class Case:
    id: str
    split: str
    text: str
    gold: Mapping[str, Value]
    understood: bool


@dataclass
class Scores:
    """Counts and the metrics derived from them."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    rf_tp: int = 0
    rf_fp: int = 0
    rf_fn: int = 0
    negated_rf_as_present: int = 0
    #: Gold-false red flags reported false / missed (left unknown or reported true).
    rf_denied_found: int = 0
    rf_denied_missed: int = 0
    understood_correct: int = 0
    n: int = 0
    errors: list[str] = field(default_factory=list)

    @staticmethod
    def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    @property
    def micro(self) -> tuple[float, float, float]:
        return self._prf(sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values()))

    @property
    def red_flag(self) -> tuple[float, float, float]:
        return self._prf(self.rf_tp, self.rf_fp, self.rf_fn)

    def per_code(self) -> dict[str, tuple[int, int, int, float, float]]:
        codes = sorted(set(self.tp) | set(self.fp) | set(self.fn))
        out = {}
        for c in codes:
            p, r, _ = self._prf(self.tp[c], self.fp[c], self.fn[c])
            out[c] = (self.tp[c], self.fp[c], self.fn[c], p, r)
        return out


def load_cases(path: Path) -> list[Case]:
    """Read an eval set (``crepitus.intake-eval/1``); gold findings are validated."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or doc.get("schema") != "crepitus.intake-eval/1":
        raise InvalidInputError(f"{path}: not a crepitus.intake-eval/1 file")
    cases = []
    for raw in doc["cases"]:
        gold = parse_findings({"findings": raw.get("gold") or {}})
        cases.append(
            Case(
                str(raw["id"]),
                str(raw["split"]),
                str(raw["text"]),
                dict(gold),
                bool(raw.get("understood", True)),
            )
        )
    return cases


def score(
    cases: Iterable[Case],
    predict: Callable[[str], tuple[Mapping[str, Value], bool]],
    *,
    red_flags: Sequence[str],
) -> Scores:
    """Score ``predict(text) -> (findings, understood)`` on ``cases``."""
    rf = set(red_flags)
    s = Scores()
    for case in cases:
        pred, understood = predict(case.text)
        s.n += 1
        s.understood_correct += int(understood == case.understood)
        gold_pairs = set(case.gold.items())
        pred_pairs = set(pred.items())
        for code, _value in pred_pairs & gold_pairs:
            s.tp[code] += 1
        for code, value in pred_pairs - gold_pairs:
            s.fp[code] += 1
            s.errors.append(f"{case.id} FP {code}={value}: {case.text[:90]}")
        for code, value in gold_pairs - pred_pairs:
            s.fn[code] += 1
            s.errors.append(f"{case.id} FN {code}={value}: {case.text[:90]}")
        for code in rf:
            g, p = case.gold.get(code), pred.get(code)
            if p is True and g is True:
                s.rf_tp += 1
            elif p is True:
                s.rf_fp += 1
                if g is False:
                    s.negated_rf_as_present += 1
            elif g is True:
                s.rf_fn += 1
            if g is False:
                if p is False:
                    s.rf_denied_found += 1
                else:
                    s.rf_denied_missed += 1
    return s


def format_scores(name: str, s: Scores) -> str:
    p, r, f = s.micro
    rp, rr, _ = s.red_flag
    return (
        f"{name}: n={s.n} micro P={p:.3f} R={r:.3f} F1={f:.3f} | red-flag P={rp:.3f} R={rr:.3f} "
        f"(tp={s.rf_tp} fp={s.rf_fp} fn={s.rf_fn}) | negated red flag reported present="
        f"{s.negated_rf_as_present} | red-flag denials found {s.rf_denied_found}/"
        f"{s.rf_denied_found + s.rf_denied_missed} | "
        f"understood acc={s.understood_correct / max(s.n, 1):.3f}"
    )


def keyword_baseline() -> Callable[[str], tuple[dict[str, Any], bool]]:
    """A plain keyword matcher: the same lexicon phrases, no ConText, no overlap rules.

    Every affirmative entry whose phrase appears sets its code to its affirmed
    value; negation, hedging, other people and history are ignored.  This is
    the comparison that shows what the ConText layer buys.
    """
    from crepitus.intake.lexicon import load_lexicon
    from crepitus.intake.matcher import PatternIndex, find_matches
    from crepitus.intake.tokens import tokenize

    lex = load_lexicon()
    index = PatternIndex(lex.entry_patterns)

    def predict(text: str) -> tuple[dict[str, Any], bool]:
        toks = tokenize(text, spellings=lex.spellings, correct=lex.corrector)
        out: dict[str, Any] = {}
        for m in find_matches(toks, index, fuzzy=True):
            e = lex.entries[m.pattern.owner]
            if e.value is not None:
                out[e.code] = True if out.get(e.code) is True else e.value
        return out, bool(out)

    return predict
