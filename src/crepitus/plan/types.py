"""The plan's value types: what to do, what is held back, and what was done.

These are plain frozen dataclasses with no I/O so that the diary (which stores
:class:`ExerciseSession` rows), the progression rules and the CLI can share
them without importing each other.  ``Plan.to_json`` is the public
``crepitus.plan/1`` document (contracts §6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

PLAN_SCHEMA = "crepitus.plan/1"


@dataclass(frozen=True, slots=True)
class ExerciseSession:
    """One exercise done on one day, as the diary records it and progression reads it.

    Pain scores are the 0–10 numeric rating scale used by the pain-monitoring
    model (Silbernagel et al. 2007; research/clinical.md §5.3): ``pain_during``
    is the worst pain while exercising, ``pain_next_morning`` the pain on the
    following morning (``None`` until known) and ``baseline_pain`` the usual
    resting pain before the session (``None`` if not recorded).

    Raises
    ------
    ValueError
        If a pain score is outside 0–10, ``sets`` is below 1, or a dose is negative.
        (The diary turns this into an ``InvalidInputError`` for the user.)
    """

    exercise_id: str
    done_on: date
    sets: int
    reps: int | None = None
    hold_s: float | None = None
    pain_during: int = 0
    pain_next_morning: int | None = None
    baseline_pain: int | None = None
    leg_symptoms_spread: bool = False

    def __post_init__(self) -> None:
        if not self.exercise_id:
            raise ValueError("exercise_id must not be empty")
        if self.sets < 1:
            raise ValueError(f"sets must be at least 1, got {self.sets}")
        if self.reps is not None and self.reps < 0:
            raise ValueError(f"reps must not be negative, got {self.reps}")
        if self.hold_s is not None and not 0 <= self.hold_s <= 3600:
            raise ValueError(f"hold_s must be between 0 and 3600 seconds, got {self.hold_s}")
        for name in ("pain_during", "pain_next_morning", "baseline_pain"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 10:
                raise ValueError(f"{name} must be between 0 and 10, got {value}")

    def to_json(self) -> dict[str, Any]:
        return {
            "exercise_id": self.exercise_id,
            "done_on": self.done_on.isoformat(),
            "sets": self.sets,
            "reps": self.reps,
            "hold_s": self.hold_s,
            "pain_during": self.pain_during,
            "pain_next_morning": self.pain_next_morning,
            "baseline_pain": self.baseline_pain,
            "leg_symptoms_spread": self.leg_symptoms_spread,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> ExerciseSession:
        return cls(
            exercise_id=str(doc["exercise_id"]),
            done_on=date.fromisoformat(str(doc["done_on"])),
            sets=int(doc["sets"]),
            reps=None if doc.get("reps") is None else int(doc["reps"]),
            hold_s=None if doc.get("hold_s") is None else float(doc["hold_s"]),
            pain_during=int(doc.get("pain_during", 0)),
            pain_next_morning=(
                None if doc.get("pain_next_morning") is None else int(doc["pain_next_morning"])
            ),
            baseline_pain=None if doc.get("baseline_pain") is None else int(doc["baseline_pain"]),
            leg_symptoms_spread=bool(doc.get("leg_symptoms_spread", False)),
        )


WEEKDAYS: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
"""RFC 5545 weekday codes, Monday first (ISO 8601 order, ``date.weekday()`` index)."""


@dataclass(frozen=True, slots=True)
class PlannedExercise:
    """One exercise in a plan, with its dose, its days and why it is there.

    ``reps`` is a tuple for a descending pyramid (one item per set, e.g. 6-4-2 in
    McGill's scheme); ``cautions`` holds the exercise's own cautions plus any
    modification a finding triggered (e.g. "never hold your breath" with
    hypertension).
    """

    id: str
    name: str
    category: str
    loading: bool
    sets: int
    reps: int | tuple[int, ...] | None
    hold_s: float | None
    days_per_week: int
    why: str
    days: tuple[str, ...]
    dose_text: str
    minutes: float | None = None
    per_side: bool = False
    instructions: tuple[str, ...] = ()
    mistakes: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()
    progress_when: str = ""
    regress_when: str = ""
    progress_to: str | None = None
    regress_to: str | None = None
    source: str = ""

    def to_json(self) -> dict[str, Any]:
        reps: int | list[int] | None
        reps = list(self.reps) if isinstance(self.reps, tuple) else self.reps
        hold: float | int | None = self.hold_s
        if hold is not None and float(hold).is_integer():
            hold = int(hold)
        return {
            "id": self.id,
            "name": self.name,
            "sets": self.sets,
            "reps": reps,
            "hold_s": hold,
            "days_per_week": self.days_per_week,
            "why": self.why,
            "category": self.category,
            "loading": self.loading,
            "minutes": self.minutes,
            "per_side": self.per_side,
            "days": list(self.days),
            "dose": self.dose_text,
            "instructions": list(self.instructions),
            "mistakes": list(self.mistakes),
            "cautions": list(self.cautions),
            "progress_when": self.progress_when,
            "progress_to": self.progress_to,
            "regress_when": self.regress_when,
            "regress_to": self.regress_to,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Withheld:
    """An exercise the plan leaves out, and why (a red flag or a contraindication)."""

    id: str
    name: str
    reason: str
    replaced_by: str | None = None
    source: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "reason": self.reason}
        if self.replaced_by is not None:
            out["replaced_by"] = self.replaced_by
        if self.source:
            out["source"] = self.source
        return out


@dataclass(frozen=True, slots=True)
class PostureCue:
    """A walking-posture cue with its provenance (the contract lists only ``text``)."""

    id: str
    text: str
    source: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "source": self.source}


@dataclass(frozen=True, slots=True)
class Plan:
    """A weekly exercise and posture plan (``crepitus.plan/1``, contracts.md §6).

    ``exercises`` is in the order to do them (mobility warm-up first). While the
    disposition is ``urgent`` or ``emergency`` it never holds a loading exercise;
    everything left out is in ``withheld`` with a lay reason.
    """

    disposition: str
    exercises: tuple[PlannedExercise, ...]
    withheld: tuple[Withheld, ...]
    posture_cues: tuple[PostureCue, ...]
    mechanism: str
    summary: str
    stop_if: tuple[str, ...]
    starts_on: date
    progression_rules: str = ""
    knowledge_version: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def schedule(self) -> dict[str, list[str]]:
        """Weekday code → exercise ids planned that day (all seven days present)."""
        return {day: [e.id for e in self.exercises if day in e.days] for day in WEEKDAYS}

    def to_json(self) -> dict[str, Any]:
        """The ``crepitus.plan/1`` document; contract fields first, extras after."""
        return {
            "schema": PLAN_SCHEMA,
            "disposition": self.disposition,
            "exercises": [e.to_json() for e in self.exercises],
            "withheld": [w.to_json() for w in self.withheld],
            "posture_cues": [c.text for c in self.posture_cues],
            "posture_details": [c.to_json() for c in self.posture_cues],
            "mechanism": self.mechanism,
            "summary": self.summary,
            "schedule": self.schedule,
            "starts_on": self.starts_on.isoformat(),
            "stop_if": list(self.stop_if),
            "progression_rules": self.progression_rules,
            "notes": list(self.notes),
            "knowledge_version": self.knowledge_version,
        }
