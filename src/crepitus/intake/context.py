"""ConText: which findings are negated, hedged, historical, hypothetical or someone else's.

Own implementation of the ConText algorithm (Harkema H, Dowling JN,
Thornblade T, Chapman WW. ConText: an algorithm for determining negation,
experiencer, and temporal status from clinical reports. *J Biomed Inform*
2009;42(5):839-851), itself an extension of NegEx (Chapman WW, Bridewell W,
Hanbury P, Cooper GF, Buchanan BG. A simple algorithm for identifying negated
findings and diseases in discharge summaries. *J Biomed Inform*
2001;34(5):301-310).

How it works: triggers from ``intake_context.yaml`` are found in the tokens;
overlapping triggers resolve to the longest (so the pseudo-trigger "not sure
if it's related" beats "not"); triggers that lie inside a target's own words
are pruned (the "can't"/"never" in "never had back pain before" belongs to the
finding phrase); each remaining trigger opens a scope forward, backward or both
until the sentence ends, a terminator for its category, or ``max_tokens``
words; a target takes every category whose scope covers one of its words.

Deviations from the published algorithm (for first-person lay text): commas
end every scope except the other-experiencer one; first-person pronouns end an
other-experiencer scope; scopes are capped per trigger (8 words for negation).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from crepitus.intake.lexicon import Lexicon, Trigger
from crepitus.intake.matcher import Match, PatternIndex, find_matches
from crepitus.intake.tokens import SENTENCE_PUNCT, Token

MODIFIER_CATEGORIES = ("negated", "uncertain", "historical", "hypothetical", "other")


@dataclass(frozen=True, slots=True)
class Modifier:
    """A trigger found in the text and the token range ``[lo, hi)`` it governs."""

    trigger: Trigger
    start: int
    end: int
    lo: int
    hi: int

    def covers(self, indices: Iterable[int]) -> bool:
        return any(self.lo <= i < self.hi for i in indices)


def _resolve_overlaps(matches: Sequence[Match]) -> list[Match]:
    """Longest match wins; ties go to the trigger listed first in the file (its priority)."""
    ordered = sorted(matches, key=lambda m: (-(m.end - m.start), m.pattern.owner, m.start))
    taken: set[int] = set()
    kept: list[Match] = []
    for m in ordered:
        span = range(m.start, m.end)
        if any(i in taken for i in span):
            continue
        taken.update(span)
        kept.append(m)
    return sorted(kept, key=lambda m: m.start)


class ConText:
    """Find triggers once per text, then answer "which categories cover these tokens?"."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.index = PatternIndex(lexicon.trigger_patterns)

    def modifiers(
        self, tokens: Sequence[Token], *, protected: Iterable[int] = ()
    ) -> list[Modifier]:
        """The modifiers of ``tokens``; triggers touching ``protected`` token indices are pruned."""
        shield = set(protected)
        matches = [
            m
            for m in _resolve_overlaps(find_matches(tokens, self.index, fuzzy=False))
            if not any(i in shield for i in range(m.start, m.end))
        ]
        triggers = self.lexicon.triggers
        terminators: dict[int, frozenset[str]] = {}
        for m in matches:
            t = triggers[m.pattern.owner]
            if t.category == "terminate":
                terminators[m.start] = terminators.get(m.start, frozenset()) | t.applies_to
        out: list[Modifier] = []
        for m in matches:
            t = triggers[m.pattern.owner]
            if t.category not in MODIFIER_CATEGORIES:
                continue
            if t.direction in ("forward", "both"):
                hi = _scan(tokens, m.end, +1, t, terminators)
                out.append(Modifier(t, m.start, m.end, m.end, hi))
            if t.direction in ("backward", "both"):
                lo = _scan(tokens, m.start - 1, -1, t, terminators)
                out.append(Modifier(t, m.start, m.end, lo, m.start))
        return out


def _scan(
    tokens: Sequence[Token],
    j: int,
    step: int,
    trigger: Trigger,
    terminators: Mapping[int, frozenset[str]],
) -> int:
    """Walk from ``j`` in direction ``step``; return the exclusive scope bound."""
    words = 0
    n = len(tokens)
    while 0 <= j < n:
        tok = tokens[j]
        if not tok.is_word:
            if tok.text in SENTENCE_PUNCT or trigger.category != "other":
                break
            j += step
            continue
        if trigger.category in terminators.get(j, frozenset()):
            break
        words += 1
        if trigger.max_tokens is not None and words > trigger.max_tokens:
            break
        j += step
    # Forward: exclusive end is j.  Backward: scope starts after j.
    return j if step > 0 else j + 1


class ScopeMap:
    """Token index → the modifiers whose scope covers it (built once per text)."""

    def __init__(self, modifiers: Iterable[Modifier]) -> None:
        self.by_token: dict[int, list[Modifier]] = {}
        for mod in modifiers:
            for i in range(mod.lo, mod.hi):
                self.by_token.setdefault(i, []).append(mod)

    def covering(self, indices: Sequence[int], category: str) -> list[Modifier]:
        """The modifiers of ``category`` whose scope covers any of ``indices``."""
        seen: dict[int, Modifier] = {}
        for i in indices:
            for mod in self.by_token.get(i, ()):
                if mod.trigger.category == category:
                    seen.setdefault(id(mod), mod)
        return list(seen.values())

    def categories(self, indices: Sequence[int]) -> dict[str, list[str]]:
        """Category → ids of the triggers whose scope covers any of ``indices``."""
        out: dict[str, list[str]] = {}
        for i in indices:
            for mod in self.by_token.get(i, ()):
                ids = out.setdefault(mod.trigger.category, [])
                if mod.trigger.id not in ids:
                    ids.append(mod.trigger.id)
        return out
