"""The triage engine: findings → disposition, red flags, reasons, open questions.

Deterministic rules, the most urgent fired rule wins, and IFOMPT's "level of
concern" raises the result one step when several independent lower-level red
flags fire together.  Recordings never enter here directly: they can only add
findings (which can raise urgency, never lower it).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crepitus.domain import Disposition, OpenQuestion, Reason
from crepitus.findings.vocabulary import FindingDef, Vocabulary, load_vocabulary
from crepitus.triage.conditions import Compare, evaluate_defines
from crepitus.triage.facts import facts_from_findings
from crepitus.triage.rulebook import Rule, RuleBook, load_rulebook


@dataclass(frozen=True, slots=True)
class TriageResult:
    """The deterministic half of an assessment."""

    disposition: Disposition
    fired: tuple[Rule, ...]
    red_flags: tuple[str, ...]
    reasons: tuple[Reason, ...]
    concern_raised: bool
    #: Whether a rule at least as urgent as ``urgent`` still depends on unanswered questions.
    serious_unknown: bool


@dataclass(frozen=True, slots=True)
class _Evaluation:
    facts: dict[str, Any]
    fired: list[Rule]
    possible: list[Rule]
    disposition: Disposition
    concern_raised: bool


def _evaluate(values: Mapping[str, Any], book: RuleBook) -> _Evaluation:
    """Fire the rules on ``values``: the hot path shared by triage and what-if questions."""
    facts = facts_from_findings(values)
    evaluate_defines(book.defines, facts)
    fired: list[Rule] = []
    possible: list[Rule] = []
    for rule in book.rules:
        when = rule.when.truth(facts)
        if when is False:
            continue
        if rule.unless is not None and rule.unless.truth(facts) is True:
            continue
        (fired if when else possible).append(rule)

    disposition = max((r.disposition for r in fired), default=Disposition.SELF_CARE)
    concern = book.concern
    raised = False
    if disposition == concern.from_level:
        level_flags = [
            r
            for r in fired
            if r.red_flag
            and r.disposition == concern.from_level
            and r.framework in concern.frameworks
        ]
        if len(level_flags) >= concern.min_rules and _independent(
            level_flags, facts, concern.min_rules
        ):
            disposition, raised = concern.to_level, True
    return _Evaluation(facts, fired, possible, disposition, raised)


def _independent(rules: list[Rule], facts: Mapping[str, Any], need: int) -> bool:
    """Whether ``need`` rules exist whose triggering findings do not overlap.

    Two rules triggered by the same finding (steroids firing both the steroid and
    the fragility-fracture rule) are one warning sign, not two.
    """
    chosen: list[set[str]] = []
    for rule in rules:
        codes = rule.when.witnesses(facts)
        if all(codes.isdisjoint(c) for c in chosen):
            chosen.append(codes)
            if len(chosen) >= need:
                return True
    return False


def triage(
    values: Mapping[str, Any],
    *,
    rulebook: RuleBook | None = None,
    vocabulary: Vocabulary | None = None,
) -> TriageResult:
    """Apply the rule book to validated findings (``Findings`` or a plain mapping).

    Parameters
    ----------
    values
        Validated finding values (absent code = unknown).
    rulebook, vocabulary
        Injected for tests; the packaged ones by default.
    """
    book = rulebook or load_rulebook()
    vocab = vocabulary or load_vocabulary()
    ev = _evaluate(values, book)
    facts, rank = ev.facts, vocab.rank

    fired = sorted(ev.fired, key=lambda r: -r.disposition)
    flag_codes: set[str] = set()
    reasons: list[Reason] = []
    for rule in fired:
        used = rule.when.witnesses(facts)
        if rule.red_flag:
            # Only yes/no findings are flags: "age" or "pain.weeks" qualify a flag, not one.
            flag_codes |= {c for c in used if c in rank and vocab[c].type == "boolean"}
        reasons.append(
            Reason(
                rule=rule.id,
                source=rule.source,
                text=rule.explanation,
                kind="triage",
                findings=tuple(sorted((c for c in used if c in rank), key=rank.__getitem__)),
                disposition=rule.disposition,
            )
        )
    red_flags = tuple(sorted(flag_codes, key=rank.__getitem__))
    concern = book.concern
    if ev.concern_raised:
        reasons.insert(
            0,
            Reason(
                rule=concern.id,
                source=concern.source,
                text=concern.explanation,
                kind="triage",
                findings=red_flags,
                disposition=concern.to_level,
            ),
        )
    serious = any(
        r.disposition >= Disposition.URGENT and r.disposition > ev.disposition for r in ev.possible
    )
    return TriageResult(
        disposition=ev.disposition,
        fired=tuple(fired),
        red_flags=red_flags,
        reasons=tuple(reasons),
        concern_raised=ev.concern_raised,
        serious_unknown=serious,
    )


def open_questions(
    values: Mapping[str, Any],
    *,
    rulebook: RuleBook | None = None,
    vocabulary: Vocabulary | None = None,
) -> tuple[OpenQuestion, ...]:
    """Unanswered questions whose answer would make the result more urgent.

    For each unanswered code that a not-yet-decided rule mentions, triage is
    re-run with that one answer set ("yes" for yes/no questions; the values
    around every rule threshold for numbers) and the question is kept if the
    disposition rises.  ``would_be`` is that raised disposition — the honest
    "if yes" of this one answer, everything else staying as it is.

    Some rules need two open answers together (fever *and* a red, warm spot):
    no single answer raises the result, yet the rule keeps the screen open.
    For urgent and emergency rules such questions are listed too, with
    ``together_with`` naming the other answer — otherwise a person answers
    everything shown and is still told the screen is not finished (review 2,
    P2-3).  Lower-level combinations (several features of inflammatory back
    pain) are left to the questionnaire: probing them costs more than it tells.
    """
    book = rulebook or load_rulebook()
    vocab = vocabulary or load_vocabulary()
    base = _evaluate(values, book)
    above = [r for r in base.possible if r.disposition > base.disposition]
    candidates = {c for rule in above for c in rule.when_codes if c not in values}
    found: dict[str, tuple[Disposition, _Evaluation, tuple[str, ...]]] = {}
    for code in candidates:
        best = max(
            (_evaluate({**values, code: p}, book) for p in _probes(vocab[code], book)),
            key=lambda e: e.disposition,
        )
        if best.disposition > base.disposition:
            found[code] = (best.disposition, best, ())
    tried: set[tuple[str, str]] = set()  # rules share codes: each pair is probed once
    # Pairs only for rules that can make it urgent — the ones that keep a screen open.
    for rule in (r for r in above if r.disposition >= Disposition.URGENT):
        open_codes = sorted(rule.when_codes - values.keys(), key=vocab.rank.__getitem__)
        if any(found.get(c, (base.disposition,))[0] >= rule.disposition for c in open_codes):
            continue
        for i, a in enumerate(open_codes):
            for b in open_codes[i + 1 :]:
                if (a, b) in tried:
                    continue
                tried.add((a, b))
                pair = _pair_outcome(values, a, b, vocab, book)
                if pair is None or pair.disposition <= base.disposition:
                    continue
                for code, other in ((a, b), (b, a)):
                    if pair.disposition > found.get(code, (base.disposition,))[0]:
                        found[code] = (pair.disposition, pair, (other,))
    out: list[tuple[Disposition, int, OpenQuestion]] = []
    for code, (level, what_if, together) in found.items():
        top = max(what_if.fired, key=lambda r: r.disposition)
        question = OpenQuestion(
            code=code,
            question=vocab[code].question,
            why=f"{top.title}: {top.explanation}",
            would_be=level,
            together_with=together,
        )
        out.append((level, vocab.rank[code], question))
    out.sort(key=lambda x: (-x[0], x[1]))
    return tuple(q for _, _, q in out)


def _pair_outcome(
    values: Mapping[str, Any], a: str, b: str, vocab: Vocabulary, book: RuleBook
) -> _Evaluation | None:
    """The most urgent evaluation over every probe of ``a`` combined with every probe of ``b``."""
    evaluations = (
        _evaluate({**values, a: pa, b: pb}, book)
        for pa in _probes(vocab[a], book)
        for pb in _probes(vocab[b], book)
    )
    return max(evaluations, key=lambda e: e.disposition, default=None)


def _probes(defn: FindingDef, book: RuleBook) -> tuple[Any, ...]:
    if defn.type == "boolean":
        return (True,)
    if defn.type == "choice":
        return defn.choices
    return _integer_probes(defn, book)


@functools.cache
def _integer_probes(defn: FindingDef, book: RuleBook) -> tuple[int, ...]:
    """Values just around every threshold the rules compare ``defn.code`` with."""
    code = defn.code
    assert defn.min is not None and defn.max is not None
    values = {defn.min, defn.max}
    for rule in book.rules:
        for node in _compares(rule):
            if node.code == code and isinstance(node.value, int):
                values |= {node.value - 1, node.value, node.value + 1}
    return tuple(sorted(v for v in values if defn.min <= v <= defn.max))


def _compares(rule: Rule) -> list[Compare]:
    found: list[Compare] = []

    def walk(node: object) -> None:
        if isinstance(node, Compare):
            found.append(node)
        for attr in ("child", "target"):
            if hasattr(node, attr):
                walk(getattr(node, attr))
        for child in getattr(node, "children", ()):
            walk(child)

    walk(rule.when)
    if rule.unless is not None:
        walk(rule.unless)
    return found
