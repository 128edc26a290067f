"""A pure, UI-free questionnaire state machine shared by the CLI and the web app.

Principles (issue 2, item 6):

* ask in lay words, one thing at a time; "not sure" is always allowed and keeps
  the finding unknown (it never becomes "no");
* the red-flag screen is never skipped — it is asked in groups ("do you have
  any of these?"); "no" answers the whole group, "yes" or "not sure" asks each
  item on its own;
* other questions are skipped when neither answer could change the
  disposition or the most likely mechanism (one-step value of information);
* every question can say why it is asked, and every answer can be taken back.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from crepitus.errors import InvalidInputError, KnowledgeBaseError
from crepitus.findings import FindingDef, Findings, Value, load_vocabulary
from crepitus.knowledge.files import check_keys, load_data_file
from crepitus.triage.conditions import Node, parse_condition
from crepitus.triage.facts import DERIVED_CODES, facts_from_findings

QuestionKind = Literal["finding", "gate"]


@dataclass(frozen=True)
class Step:
    """One entry of ``questionnaire.yaml``."""

    codes: tuple[str, ...]
    gate: str | None = None
    prompt: str = ""
    why: str = ""
    source: str = ""
    ask_if: Node | None = None
    purpose: str | None = None


@dataclass(frozen=True)
class Question:
    """What to ask now, with everything a UI needs to show it."""

    kind: QuestionKind
    id: str
    prompt: str
    why: str
    codes: tuple[str, ...]
    definition: FindingDef | None = None

    @property
    def answer_type(self) -> str:
        return "boolean" if self.definition is None else self.definition.type


@functools.cache
def load_steps() -> tuple[Step, ...]:
    """Parse and validate ``questionnaire.yaml`` (every screen code must be reachable)."""
    doc = load_data_file("questionnaire.yaml")
    check_keys(doc, where="questionnaire.yaml", required=("schema", "version", "steps"))
    vocab = load_vocabulary()
    known = set(vocab.codes) | set(DERIVED_CODES)
    steps: list[Step] = []
    for i, raw in enumerate(doc["steps"]):
        where = f"questionnaire.yaml step {i}"
        ask_if = (
            parse_condition(raw["ask_if"], where=where, known_codes=known, defines={})
            if "ask_if" in raw
            else None
        )
        if "ask" in raw:
            check_keys(raw, where=where, required=("ask",), optional=("ask_if", "purpose"))
            if raw["ask"] not in vocab:
                raise KnowledgeBaseError(f"{where}: unknown finding code {raw['ask']!r}")
            steps.append(Step(codes=(raw["ask"],), ask_if=ask_if, purpose=raw.get("purpose")))
        else:
            check_keys(
                raw,
                where=where,
                required=("gate", "prompt", "codes", "why", "source"),
                optional=("ask_if",),
            )
            unknown = [c for c in raw["codes"] if c not in vocab]
            if unknown:
                raise KnowledgeBaseError(f"{where}: unknown finding code(s) {unknown}")
            steps.append(
                Step(
                    codes=tuple(raw["codes"]),
                    gate=raw["gate"],
                    prompt=" ".join(raw["prompt"].split()),
                    why=raw["why"],
                    source=raw["source"],
                    ask_if=ask_if,
                )
            )
    asked = {c for s in steps for c in s.codes}
    missing = [c for c in vocab.screen_codes if c not in asked]
    if missing:
        raise KnowledgeBaseError(f"questionnaire.yaml never asks red-flag screen codes {missing}")
    return tuple(steps)


def not_applicable(values: Mapping[str, Any]) -> frozenset[str]:
    """Unanswered yes/no codes the questionnaire would never ask, given ``values``.

    A follow-up whose ``ask_if`` is known false does not apply ("Is that weakness
    getting worse?" after "no weakness"), so it must not keep a result "not
    finished" or be listed as an open question.  Only the *asking* is skipped:
    the rules still fire on such a code if it was answered anyway.
    """
    facts = facts_from_findings(values)
    vocab = load_vocabulary()
    return frozenset(
        c
        for step in load_steps()
        if step.ask_if is not None and step.ask_if.truth(facts) is False
        for c in step.codes
        if c not in values and vocab[c].type == "boolean"
    )


def _outcome(values: Mapping[str, Any]) -> tuple[int, str, float]:
    """(disposition, top mechanism, its probability): what an answer could change.

    Uses the engine's own rule book and mechanism model directly — the questionnaire
    sits below the workflow layer and must not call it.
    """
    from crepitus.mechanism import load_model
    from crepitus.triage import triage

    model = load_model()
    top, p = model.posterior(model.evidence_from_findings(values))[0]
    return int(triage(values).disposition), top, p


@dataclass
class _State:
    answers: dict[str, Value] = field(default_factory=dict)
    unsure: set[str] = field(default_factory=set)
    gates_opened: set[str] = field(default_factory=set)

    def copy(self) -> _State:
        return _State(dict(self.answers), set(self.unsure), set(self.gates_opened))


class Questionnaire:
    """Ask → answer → ask again, until :meth:`next_question` returns ``None``.

    Parameters
    ----------
    initial
        Findings already known (e.g. pre-filled from free text and confirmed);
        they are not asked again.
    """

    def __init__(self, initial: Findings | Mapping[str, Any] | None = None) -> None:
        self._vocab = load_vocabulary()
        self._steps = load_steps()
        base = initial if isinstance(initial, Findings) else Findings.of(initial or {})
        self._state = _State(answers=dict(base))
        self._history: list[_State] = []
        self._current: Question | None = None

    # ------------------------------------------------------------------ reading state
    @property
    def findings(self) -> Findings:
        """Validated findings answered so far ("not sure" stays unknown)."""
        return Findings.of(self._state.answers)

    @property
    def unsure(self) -> frozenset[str]:
        return frozenset(self._state.unsure)

    def _answered(self, code: str) -> bool:
        return code in self._state.answers or code in self._state.unsure

    # ------------------------------------------------------------------ choosing
    def next_question(self) -> Question | None:
        """The next question worth asking, or ``None`` when the questionnaire is complete."""
        facts = facts_from_findings(self._state.answers)
        for step in self._steps:
            if step.ask_if is not None and step.ask_if.truth(facts) is False:
                continue
            open_codes = [c for c in step.codes if not self._answered(c)]
            if not open_codes:
                continue
            if step.gate is not None:
                if step.gate in self._state.gates_opened:
                    self._current = self._finding_question(open_codes[0], why=step.why)
                else:
                    self._current = Question(
                        kind="gate",
                        id=step.gate,
                        prompt=step.prompt,
                        why=step.why,
                        codes=tuple(open_codes),
                    )
                return self._current
            code = open_codes[0]
            defn = self._vocab[code]
            if defn.screen or step.purpose or defn.type != "boolean" or self._could_matter(code):
                self._current = self._finding_question(code, why=defn.help)
                return self._current
        self._current = None
        return None

    def _finding_question(self, code: str, *, why: str) -> Question:
        defn = self._vocab[code]
        return Question(
            kind="finding",
            id=code,
            prompt=defn.question,
            why=why or defn.help,
            codes=(code,),
            definition=defn,
        )

    def _could_matter(self, code: str) -> bool:
        """Whether answering ``code`` yes or no could change the disposition or top mechanism."""
        now = _outcome(self._state.answers)
        for value in (True, False):
            other = _outcome({**self._state.answers, code: value})
            if other[:2] != now[:2] or abs(other[2] - now[2]) >= 0.15:
                return True
        return False

    # ------------------------------------------------------------------ answering
    def answer(self, value: Value | None) -> None:
        """Answer the current question; ``None`` means "not sure".

        For a gate, ``False`` answers every open item "no"; ``True`` or ``None``
        opens the gate so each item is asked on its own.
        """
        q = self._current or self.next_question()
        if q is None:
            raise InvalidInputError("the questionnaire is already complete")
        self._history.append(self._state.copy())
        state = self._state
        if q.kind == "gate":
            if value is False:
                for code in q.codes:
                    state.answers[code] = False
            else:
                state.gates_opened.add(q.id)
        elif value is None:
            state.unsure.add(q.id)
        else:
            try:
                state.answers = dict(Findings.of({**state.answers, q.id: value}))
            except InvalidInputError:
                self._history.pop()
                raise
        self._current = None

    def back(self) -> bool:
        """Undo the last answer; returns False if there is nothing to undo."""
        if not self._history:
            return False
        self._state = self._history.pop()
        self._current = None
        return True
