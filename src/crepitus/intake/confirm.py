"""Lay confirmation lines for pre-filled findings: "you wrote: '…' → … : yes".

Used by ``crepitus intake`` (without ``--json``) and, later, by ``crepitus
assess`` and the web app to let the person confirm or correct what was read
before the questions start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crepitus.findings import load_vocabulary

if TYPE_CHECKING:
    from crepitus.intake.extract import IntakeResult

_ANSWER = {True: "yes", False: "no"}


def label(code: str) -> str:
    """The vocabulary's lay question for ``code`` (the code itself if unknown)."""
    vocab = load_vocabulary()
    return vocab[code].question.strip() if code in vocab else code


def confirmation_lines(result: IntakeResult, *, max_quote_chars: int = 60) -> list[str]:
    """One line per recognised finding, in vocabulary order, quoting the words used.

    Example: ``you wrote: "zing goes down my left leg" → Do you have numbness,
    tingling or 'pins and needles' going down a leg? yes``.
    """
    lines: list[str] = []
    for code, value in result.findings.items():
        quotes = []
        for span in result.spans_for(code):
            words = " ".join(span.text.split())
            if len(words) > max_quote_chars:
                words = words[: max_quote_chars - 1] + "…"
            if words and words not in quotes:
                quotes.append(words)
        quoted = " / ".join(f'"{q}"' for q in quotes) or "(derived)"
        answer = _ANSWER.get(value, str(value)) if isinstance(value, bool) else str(value)
        lines.append(f"you wrote: {quoted} → {label(code)} {answer}")
    return lines
