"""Finding compiled phrase patterns in a token list.

Patterns are indexed by their first word so that each token is only tried
against the patterns that can start there; matching is a small depth-first
search over the pattern items (gaps are tried shortest first, so the tightest
reading of a phrase wins).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crepitus.intake.lexicon import GAP_STOP_WORDS, Choice, Gap, Pattern, WordTest
from crepitus.intake.tokens import Token


@dataclass(frozen=True, slots=True)
class Match:
    """A pattern found in the tokens: ``[start, end)`` token indices."""

    pattern: Pattern
    start: int
    end: int
    #: Token indices matched by pattern words (not by gaps).
    literal: tuple[int, ...]


class PatternIndex:
    """Patterns grouped by the literals and stems that can start them."""

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        self.by_literal: dict[str, list[Pattern]] = {}
        #: Stems keyed by their first two letters, so a token only tries plausible stems.
        self.by_stem: dict[str, list[tuple[str, Pattern]]] = {}
        for pat in patterns:
            first = pat.items[0]
            assert isinstance(first, Choice)  # the compiler guarantees a word first
            tests: list[WordTest] = [first.single] if first.single else []
            tests += [seq[0] for seq in first.multi]
            lits: set[str] = set()
            stems: set[str] = set()
            for t in tests:
                lits |= t.literals
                stems |= set(t.stems)
            for lit in lits:
                self.by_literal.setdefault(lit, []).append(pat)
            for s in stems:
                self.by_stem.setdefault(s[:2], []).append((s, pat))

    def candidates(self, forms: Sequence[str]) -> list[Pattern]:
        seen: dict[int, Pattern] = {}
        for f in forms:
            for pat in self.by_literal.get(f, ()):
                seen.setdefault(id(pat), pat)
            for s, pat in self.by_stem.get(f[:2], ()):
                if f.startswith(s):
                    seen.setdefault(id(pat), pat)
        return list(seen.values())


def _forms(tok: Token, fuzzy: bool) -> tuple[str, ...]:
    return tok.forms if fuzzy else (tok.text,)


def _match_choice(
    choice: Choice, tokens: Sequence[Token], i: int, fuzzy: bool
) -> list[tuple[int, tuple[int, ...]]]:
    """End positions (and matched indices) where ``choice`` matches starting at ``i``."""
    out: list[tuple[int, tuple[int, ...]]] = []
    n = len(tokens)
    single = choice.single
    if (
        i < n
        and tokens[i].is_word
        and single is not None
        and single.matches(_forms(tokens[i], fuzzy))
    ):
        out.append((i + 1, (i,)))
    for seq in choice.multi:
        j = i
        ok = True
        for test in seq:
            if j >= n or not tokens[j].is_word or not test.matches(_forms(tokens[j], fuzzy)):
                ok = False
                break
            j += 1
        if ok:
            out.append((j, tuple(range(i, j))))
    # Longest alternative first ("back passage" before "back").
    out.sort(key=lambda x: -x[0])
    return out


def _match_from(
    pat: Pattern, k: int, tokens: Sequence[Token], i: int, fuzzy: bool
) -> tuple[int, tuple[int, ...]] | None:
    if k == len(pat.items):
        return i, ()
    item = pat.items[k]
    if isinstance(item, Gap):
        j = i
        for _ in range(item.max_words + 1):
            res = _match_from(pat, k + 1, tokens, j, fuzzy)
            if res is not None:
                return res
            if j >= len(tokens) or not tokens[j].is_word or tokens[j].text in GAP_STOP_WORDS:
                return None
            j += 1
        return None
    for end, lit in _match_choice(item, tokens, i, fuzzy):
        res = _match_from(pat, k + 1, tokens, end, fuzzy)
        if res is not None:
            return res[0], lit + res[1]
    return None


def find_matches(tokens: Sequence[Token], index: PatternIndex, *, fuzzy: bool) -> list[Match]:
    """Every (pattern, start) match in ``tokens``; overlaps are resolved by the caller."""
    found: list[Match] = []
    for i, tok in enumerate(tokens):
        if not tok.is_word:
            continue
        for pat in index.candidates(_forms(tok, fuzzy)):
            res = _match_from(pat, 0, tokens, i, fuzzy)
            if res is not None:
                end, lit = res
                found.append(Match(pat, i, end, lit))
    return found
