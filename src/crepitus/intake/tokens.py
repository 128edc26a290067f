"""Tokenising lay text, keeping character offsets, and a small typo-tolerant word test.

Pure functions and small frozen types; no third-party imports, so the CLI can
import the intake package cheaply.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

#: Words are runs of letters/digits (any script) with inner apostrophes ("can't",
#: "crohn's"); sentence and clause punctuation are their own tokens; everything
#: else (emoji, hyphens, slashes, brackets) separates words and is dropped.
_TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[.!?;:\n]|,")

SENTENCE_PUNCT = frozenset(".!?;:\n")
CLAUSE_PUNCT = frozenset(",")


class Corrector(Protocol):
    """Anything with ``get(word) -> intended word or None`` (a dict works too)."""

    def get(self, word: str, /) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Token:
    """One token of the input with its offsets in the original text.

    ``text`` is lower-cased with typographic apostrophes and known lay
    spellings normalised; ``forms`` adds a typo-corrected reading when one
    was found (``"numbess"`` → ``("numbess", "numbness")``).
    """

    text: str
    start: int
    end: int
    is_word: bool
    sentence: int
    clause: int
    forms: tuple[str, ...]


def tokenize(
    text: str,
    *,
    spellings: Mapping[str, str] | None = None,
    correct: Corrector | None = None,
) -> list[Token]:
    """Split ``text`` into tokens, numbering sentences and comma-clauses.

    Parameters
    ----------
    text
        The raw description.
    spellings
        Lay spelling → normal form (``"dont"`` → ``"don't"``), applied first.
    correct
        Consulted for typo correction: ``correct.get(word)`` returns the intended
        domain word or ``None``.
    """
    tokens: list[Token] = []
    sentence = clause = 0
    for m in _TOKEN_RE.finditer(text):
        raw = m.group(0)
        if raw in SENTENCE_PUNCT:
            tokens.append(Token(raw, m.start(), m.end(), False, sentence, clause, (raw,)))
            sentence += 1
            clause += 1
            continue
        if raw in CLAUSE_PUNCT:
            tokens.append(Token(raw, m.start(), m.end(), False, sentence, clause, (raw,)))
            clause += 1
            continue
        word = raw.lower().replace("’", "'")
        if spellings is not None:
            word = spellings.get(word, word)
        forms: tuple[str, ...] = (word,)
        if correct is not None:
            fixed = correct.get(word)
            if fixed is not None and fixed != word:
                forms = (word, fixed)
        tokens.append(Token(word, m.start(), m.end(), True, sentence, clause, forms))
    return tokens


def words_of(phrase: str) -> tuple[str, ...]:
    """The word tokens of a lexicon phrase piece (same rules as :func:`tokenize`)."""
    return tuple(
        m.group(0).lower().replace("’", "'")
        for m in _TOKEN_RE.finditer(phrase)
        if m.group(0) not in SENTENCE_PUNCT and m.group(0) not in CLAUSE_PUNCT
    )


def osa_distance(a: str, b: str, *, limit: int = 1) -> int:
    """Optimal-string-alignment (restricted Damerau) distance, capped at ``limit + 1``.

    Damerau (1964; *Commun ACM* 7:171-176) observed that most misspellings are one
    insertion, deletion, substitution or transposition of adjacent letters;
    this is the usual dynamic programme with the transposition case, stopping
    early once every cell of a row exceeds ``limit``.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            best = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, prev2[j - 2] + 1)
            cur[j] = best
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]
