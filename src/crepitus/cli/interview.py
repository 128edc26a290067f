"""The interactive questionnaire in a terminal: one question at a time.

Reads plain lines, so it works on a TTY and with answers piped in (tests).
Keys: y / n, a number, ? (not sure), b (back), w (why am I asked this?), q (quit).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from crepitus.errors import InvalidInputError
from crepitus.findings import Findings, Value

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from crepitus.questionnaire import Question

HELP = "y = yes · n = no · ? = not sure · b = back · w = why this question · q = quit"
#: The same keys without y/n, for questions answered with a number or a choice.
HELP_NOT_YES_NO = "? = not sure · b = back · w = why this question · q = quit"


class QuitInterview(Exception):
    """The person chose to stop (q)."""


def _read(stream: TextIO) -> str:
    line = stream.readline()
    if line == "":
        raise InvalidInputError(
            "input ended before the questions were finished; nothing was assessed"
        )
    return line.strip()


def _parse(raw: str, question: Question) -> Value | str | None:
    """An answer value, ``None`` for not sure, or a command string ('b', 'w', 'q', '')."""
    text = raw.lower()
    if text in {"b", "back", "w", "why", "q", "quit", ""}:
        return text[:1]
    if text in {"?", "not sure", "unsure", "dont know", "don't know", "idk", "skip"}:
        return None
    kind = question.answer_type
    if kind == "boolean":
        if text in {"y", "yes", "yeah", "yep", "true"}:
            return True
        if text in {"n", "no", "nope", "false"}:
            return False
        return "!"
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            return "!"
    assert question.definition is not None
    choices = question.definition.choices
    for i, choice in enumerate(choices, start=1):
        if text in {choice, str(i)}:
            return choice
    return "!"


def describe_in_own_words(
    console: Console, source: TextIO, *, text: str | None = None
) -> Findings | None:
    """Free-text start: "describe what happens", show what was understood, confirm it.

    Returns the confirmed findings, or ``None`` when nothing is used (skipped,
    not understood, or rejected) — the questions then start from scratch.
    """
    from rich.text import Text

    from crepitus.intake import confirmation_lines, extract

    if text is None:
        console.print(
            Text("\nDescribe what happens, in your own words ", style="bold")
            + Text("(or press Enter to skip):", style="dim")
        )
        console.print("> ", end="")
        text = _read(source)
    if not text.strip():
        return None
    result = extract(text)
    if not result.understood or not result.findings:
        why = "; ".join(result.notes) or "nothing I recognise"
        console.print(
            Text(
                f"I could not pick out answers from that ({why}). "
                "I will ask you questions instead.",
                style="yellow",
            )
        )
        return None
    console.print(Text("\nThis is what I understood:", style="bold"))
    for line in confirmation_lines(result):
        console.print(f"  • {line}")
    console.print(
        Text("Is that right? (y = use these answers, n = ignore them and ask me)", style="bold")
    )
    while True:
        console.print("> ", end="")
        reply = _read(source).lower()
        if reply in {"y", "yes"}:
            # Red-flag denials read from text are asked again (IntakeResult.trusted_findings).
            return result.trusted_findings
        if reply in {"n", "no"}:
            return None
        if reply in {"q", "quit"}:
            raise QuitInterview
        console.print(Text("Please answer y or n.", style="yellow"))


#: Invalid answers in a row after which piped (non-terminal) input is given up on.
MAX_TRIES = 5


def run_interview(
    console: Console,
    *,
    initial: Findings | None = None,
    stream: TextIO | None = None,
    text: str | None = None,
) -> Findings:
    """Free-text start, then questions until the questionnaire is complete; the findings."""
    from rich.text import Text

    from crepitus.questionnaire import Questionnaire

    source = stream or sys.stdin
    console.print(Text(HELP, style="dim"))
    prefilled = describe_in_own_words(console, source, text=text)
    if prefilled is not None:
        initial = prefilled.merged(dict(initial or {}))
        console.print(
            Text(
                "Thanks — I will only ask what is still missing, including the "
                "warning-sign questions, which I always ask.",
                style="dim",
            )
        )
    qn = Questionnaire(initial)
    asked = 0
    while (q := qn.next_question()) is not None:
        asked += 1
        hint = {"boolean": "y/n/?", "integer": "number/?"}.get(q.answer_type, "")
        if q.answer_type == "choice" and q.definition is not None:
            hint = " / ".join(f"{i}={c}" for i, c in enumerate(q.definition.choices, 1)) + " / ?"
        console.print(
            Text(f"\n[{asked}] ", style="bold cyan")
            + Text(q.prompt, style="bold")
            + Text(f"  ({hint})", style="dim")
        )
        tries = 0
        while True:
            tries += 1
            if tries > MAX_TRIES and not source.isatty():
                # Piped answers that never fit (`yes n` to "How old are you?") would loop
                # forever; a person at a terminal is asked again instead.
                raise InvalidInputError(
                    f"no usable answer to “{q.prompt}” after {MAX_TRIES} tries; "
                    f"answer {hint} (or use --answers with a findings file)"
                )
            console.print("> ", end="")
            value = _parse(_read(source), q)
            if value == "w":
                console.print(Text(f"Why we ask: {q.why}", style="italic"))
                continue
            if value == "q":
                raise QuitInterview
            if value == "b":
                if qn.back():
                    asked = max(0, asked - 2)
                else:
                    console.print("(this is the first question)", style="dim")
                    continue
                break
            if value in {"!", ""}:
                keys = HELP if q.answer_type == "boolean" else HELP_NOT_YES_NO
                console.print(Text(f"Please answer {hint}  — {keys}", style="yellow"))
                continue
            try:
                qn.answer(value)
            except InvalidInputError as exc:
                console.print(Text(str(exc), style="yellow"))
                continue
            break
    warn_unsure(console, qn.findings, qn.unsure)
    return qn.findings


def warn_unsure(console: Console, findings: Findings, unsure: frozenset[str]) -> None:
    """Uncertainty escalates: a "not sure" to a question whose "yes" is urgent or an
    emergency gets that level's action now, before the result (docs/safety.md H06).

    The result itself treats the answer as unknown ("not finished"); a person who cannot
    tell whether they have saddle numbness should not wait for a better answer to exist.
    """
    from rich.text import Text

    from crepitus.domain import Disposition
    from crepitus.triage import open_questions

    doubtful = [
        q for q in open_questions(findings) if q.code in unsure and q.would_be >= Disposition.URGENT
    ]
    if not doubtful:
        return
    emergency = any(q.would_be >= Disposition.EMERGENCY for q in doubtful)
    console.print(Text("\nYou were not sure about:", style="bold red"))
    for q in doubtful:
        console.print(Text(f"  ? {q.question}", style="red"))
    console.print(
        Text(
            "If you cannot rule this out, treat it as a yes: "
            + (
                "call your local emergency number or go to an emergency department now."
                if emergency
                else "contact your GP, an urgent care centre or NHS 111 today."
            ),
            style="bold red",
        )
    )
