"""The small, frozen types every layer shares: dispositions, reasons, evidence, assessments.

``Findings`` (what a person reports) lives in :mod:`crepitus.findings`; this
module holds the other two of the three domain types — :class:`Evidence` (an
observation with its likelihood contribution and provenance) and
:class:`Assessment` (what the engine concludes, with the reasons that produced
it).  No I/O and no heavy imports here: the CLI imports this at start-up.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

MECHANISMS: tuple[str, ...] = (
    "cavitation",
    "soft_tissue_snap",
    "arthritic_crepitus",
    "undetermined",
)
"""The mechanism hypotheses of the contract (§2), in a fixed order."""

Mechanism = Literal["cavitation", "soft_tissue_snap", "arthritic_crepitus", "undetermined"]


class Disposition(enum.IntEnum):
    """How urgently to seek care, ordered so that ``max()`` is "most urgent wins"."""

    SELF_CARE = 0
    ROUTINE = 1
    SOON = 2
    URGENT = 3
    EMERGENCY = 4

    @property
    def code(self) -> str:
        """The contract's string (``"self_care"`` … ``"emergency"``)."""
        return self.name.lower()

    @classmethod
    def parse(cls, code: str) -> Disposition:
        try:
            return cls[code.upper()]
        except KeyError:
            allowed = ", ".join(d.code for d in cls)
            raise ValueError(f"unknown disposition {code!r}; expected one of {allowed}") from None


def is_provisional(disposition: Disposition, *, screen_complete: bool) -> bool:
    """Whether a result reads "… so far": below "urgent" while the warning-sign screen is open.

    Urgent and emergency results stand whatever is still unanswered.  One definition for
    the live :class:`Assessment` and for stored assessment documents (the diary), so the
    banner, the plan title and the diary never disagree about the same result.
    """
    return not screen_complete and disposition < Disposition.URGENT


ReasonKind = Literal["triage", "mechanism", "recording", "safety"]


@dataclass(frozen=True, slots=True)
class Reason:
    """One step of the trace: which rule, which findings, which source, in lay words."""

    rule: str
    source: str
    text: str
    kind: ReasonKind = "triage"
    findings: tuple[str, ...] = ()
    disposition: Disposition | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, "source": self.source, "text": self.text}
        out["kind"] = self.kind
        if self.findings:
            out["findings"] = list(self.findings)
        if self.disposition is not None:
            out["disposition"] = self.disposition.code
        return out


@dataclass(frozen=True, slots=True)
class Evidence:
    """An observation that bears on the mechanism, with its likelihoods and provenance.

    ``likelihood`` holds P(observation | mechanism) for each mechanism, up to a
    common factor (only ratios matter).  Reported findings are turned into
    Evidence by the mechanism model from its knowledge table; recordings
    (sound classes, gait-phase locking) produce Evidence directly.
    """

    id: str
    description: str
    likelihood: Mapping[str, float]
    source: str
    kind: ReasonKind = "mechanism"


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    """A red-flag question that is still unanswered, and why it matters."""

    code: str
    question: str
    why: str
    would_be: Disposition
    #: Other open codes whose "yes" is also needed for ``would_be`` (fever *and* a red spot).
    together_with: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "question": self.question,
            "why": self.why,
            "would_be": self.would_be.code,
            "together_with": list(self.together_with),
        }


@dataclass(frozen=True)
class Assessment:
    """What crepitus concludes; it cannot exist without the reasons that produced it.

    ``unknown`` (the unanswered questions that could make the result more
    urgent) is worked out on first access: it re-runs triage once per open
    question, which costs more than the assessment itself and is only needed
    when the result is shown.
    """

    disposition: Disposition
    red_flags: tuple[str, ...]
    mechanisms: tuple[tuple[str, float], ...]
    reasons: tuple[Reason, ...]
    advice: str
    next_steps: tuple[str, ...]
    safety_net: tuple[str, ...]
    open_questions: Callable[[], tuple[OpenQuestion, ...]] = field(
        default=tuple, repr=False, compare=False
    )
    findings: Mapping[str, Any] = field(default_factory=dict)
    plan_builder: Callable[[Assessment], Mapping[str, Any]] | None = field(
        default=None, repr=False, compare=False
    )
    recording: Mapping[str, Any] | None = None
    intake: Mapping[str, Any] | None = None
    knowledge_version: str = ""
    #: The banner line: the disposition's headline, or "not finished" while questions that
    #: could make the result urgent are open.
    headline: str = ""
    #: Whether every question that could raise the result to urgent or emergency is answered.
    #: False by default: a result is only complete when the engine says so.
    screen_complete: bool = False

    def __post_init__(self) -> None:
        if not self.reasons:
            raise ValueError("an Assessment needs at least one reason")

    @functools.cached_property
    def plan(self) -> Mapping[str, Any] | None:
        """The ``crepitus.plan/1`` exercise plan for this assessment (built on first access)."""
        return None if self.plan_builder is None else self.plan_builder(self)

    @property
    def provisional(self) -> bool:
        """A result below "urgent" while the warning-sign screen is still open: "… so far"."""
        return is_provisional(self.disposition, screen_complete=self.screen_complete)

    @functools.cached_property
    def unknown(self) -> tuple[OpenQuestion, ...]:
        """Unanswered questions whose "yes" would make the result more urgent, most urgent first."""
        return self.open_questions()

    @property
    def top_mechanism(self) -> str:
        return self.mechanisms[0][0]

    def to_json(self) -> dict[str, Any]:
        """The ``crepitus.assessment/1`` document (contracts §2)."""
        doc: dict[str, Any] = {
            "schema": "crepitus.assessment/1",
            "disposition": self.disposition.code,
            "headline": self.headline,
            "screen_complete": self.screen_complete,
            "red_flags": list(self.red_flags),
            "mechanisms": _rounded_distribution(self.mechanisms),
            "reasons": [r.to_json() for r in self.reasons],
            "advice": self.advice,
            "next_steps": list(self.next_steps),
            "safety_net": list(self.safety_net),
            "unknown": [q.to_json() for q in self.unknown],
            "findings": dict(self.findings),
            "knowledge_version": self.knowledge_version,
            "intended_use": INTENDED_USE,
        }
        plan = self.plan
        if plan is not None:
            doc["plan"] = dict(plan)
        if self.recording is not None:
            doc["recording"] = dict(self.recording)
        if self.intake is not None:
            doc["intake"] = dict(self.intake)
        return doc


def _rounded_distribution(probs: Sequence[tuple[str, float]]) -> list[dict[str, Any]]:
    """Probabilities to 4 decimals that still sum to 1 (contracts §2): the largest one
    takes up the rounding of the others."""
    rounded = [round(p, 4) for _, p in probs]
    if rounded:
        top = max(range(len(rounded)), key=rounded.__getitem__)
        rounded[top] = round(1.0 - sum(r for i, r in enumerate(rounded) if i != top), 4)
    return [{"mechanism": m, "probability": r} for (m, _), r in zip(probs, rounded, strict=True)]


INTENDED_USE = (
    "crepitus gives general information about back noises and when to seek care. "
    "It is not a diagnosis and does not replace a clinician. If you are worried, or things "
    "get worse, contact a health professional; in an emergency call your local emergency number."
)


FALLBACK_SAFETY_NET = (
    "If you have numbness around your genitals, back passage or inner thighs, new trouble "
    "passing or holding urine or stools, weakness or numbness in both legs, or sudden severe "
    "back or belly pain with feeling faint, call your local emergency number now. "
    "If in doubt, contact a health professional."
)
"""Shown when an assessment could not be completed (an internal error): the emergency signs
must reach the person even when the knowledge files or the engine fail, so this text lives in
code, not in ``texts.yaml`` (docs/safety.md H19)."""
