"""When to move an exercise up, keep it, step it back, or stop: pure rules over diary sessions.

The rules are the pain-monitoring model of research/clinical.md §5.3 (adapted
from Silbernagel et al. 2007), with the numbers in ``exercises.yaml``
(``progression_rules``), applied in this order (first match wins):

1. **Stop** and re-assess if a new nerve symptom or any red flag has appeared.
2. **Regress** one rung if, in the most recent session, leg symptoms spread
   (peripheralisation), or if in the most recent session whose next-morning
   pain is known, that pain was more than 2 points above the person's baseline.
3. **Progress** one step if the last 3 sessions of the exercise *all* had
   pain during ≤3/10, next-morning pain back to baseline (settled within 24 h)
   and no spreading leg symptoms.
4. Otherwise **hold** the current dose, saying what is missing.

A "step" is the next exercise on the ladder if there is one, otherwise the
dose step of the library entry (more repetitions per set, or +5 s on a plank;
McGill: progress by adding reps, not by lengthening holds).

Deviations
----------
* The source does not say what to do when the baseline pain was not recorded.
  We then take 0 as the baseline — the conservative reading in both
  directions: progressing then needs next-morning pain of 0, and regression
  triggers at next-morning pain of 3 or more.
* A session whose next-morning pain is not yet known never counts towards
  progression (settling within 24 h cannot be confirmed).
* "Consecutive" means the last sessions logged for that exercise, whatever
  the gap between them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from crepitus.plan.library import Library, ProgressionRules, load_library
from crepitus.plan.types import ExerciseSession, Plan

Action = Literal["progress", "hold", "regress", "stop"]


@dataclass(frozen=True, slots=True)
class ProgressionDecision:
    """What to do next with one exercise, and why (lay reasons, rule source)."""

    exercise_id: str
    action: Action
    to_id: str | None
    step: str
    reasons: tuple[str, ...]
    source: str

    def to_json(self) -> dict[str, Any]:
        return {
            "exercise_id": self.exercise_id,
            "action": self.action,
            "to": self.to_id,
            "step": self.step,
            "reasons": list(self.reasons),
            "source": self.source,
        }


def baseline_of(session: ExerciseSession) -> int:
    """The baseline pain to compare against (0 when not recorded; see Deviations)."""
    return 0 if session.baseline_pain is None else session.baseline_pain


def settled(session: ExerciseSession) -> bool:
    """Next-morning pain is known and back to (or below) the baseline."""
    return session.pain_next_morning is not None and session.pain_next_morning <= baseline_of(
        session
    )


def flare(session: ExerciseSession, rules: ProgressionRules) -> bool:
    """Next-morning pain more than the allowed points above baseline."""
    if session.pain_next_morning is None:
        return False
    rise = session.pain_next_morning - baseline_of(session)
    return rise > rules.regress_if_next_morning_above_baseline


def meets_pain_rules(session: ExerciseSession, rules: ProgressionRules) -> bool:
    """The session counts towards progression (pain ≤ limit, settled, no spreading)."""
    return (
        session.pain_during <= rules.acceptable_pain_during
        and settled(session)
        and not session.leg_symptoms_spread
    )


def _shortfalls(sessions: Sequence[ExerciseSession], rules: ProgressionRules) -> list[str]:
    out: list[str] = []
    need = rules.sessions_to_progress
    if not sessions:
        out.append(f"no sessions logged yet ({need} in a row within the pain rules move you up)")
    elif len(sessions) < need:
        out.append(f"{len(sessions)} of the {need} sessions needed so far")
    for s in sessions:
        day = s.done_on.isoformat()
        if s.pain_during > rules.acceptable_pain_during:
            out.append(
                f"{day}: pain during was {s.pain_during}/10 "
                f"(above {rules.acceptable_pain_during}/10)"
            )
        if s.pain_next_morning is None:
            out.append(f"{day}: next-morning pain not recorded yet")
        elif not settled(s):
            out.append(
                f"{day}: next-morning pain {s.pain_next_morning}/10 had not settled "
                f"to your usual {baseline_of(s)}/10"
            )
    return out


def decide_progression(
    sessions: Iterable[ExerciseSession],
    *,
    exercise_id: str,
    new_red_flag: bool = False,
    library: Library | None = None,
) -> ProgressionDecision:
    """Apply the rules to the diary sessions of one exercise.

    Parameters
    ----------
    sessions
        Diary sessions (any exercises, any order); only those of
        ``exercise_id`` are used, ordered by ``done_on`` (stable for ties).
    exercise_id
        The exercise currently in the plan.
    new_red_flag
        True if a new nerve symptom or red flag has been reported since the
        plan was made (the diary's re-triage says so).

    Raises
    ------
    KeyError
        If ``exercise_id`` is not in the library.
    """
    lib = library or load_library()
    ex = lib[exercise_id]
    rules = lib.rules
    own = sorted((s for s in sessions if s.exercise_id == exercise_id), key=lambda s: s.done_on)

    def decision(action: Action, to_id: str | None, step: str, *why: str) -> ProgressionDecision:
        return ProgressionDecision(exercise_id, action, to_id, step, tuple(why), rules.source)

    if new_red_flag:
        return decision(
            "stop",
            None,
            "stop the exercises and get checked",
            "A new nerve symptom or warning sign was reported: stop and re-assess before "
            "exercising again.",
        )
    if own:
        latest = own[-1]
        known = [s for s in own if s.pain_next_morning is not None]
        latest_known = known[-1] if known else None
        regress_why: list[str] = []
        if latest.leg_symptoms_spread:
            regress_why.append(f"{latest.done_on.isoformat()}: leg symptoms spread")
        if latest_known is not None and flare(latest_known, rules):
            regress_why.append(
                f"{latest_known.done_on.isoformat()}: next-morning pain "
                f"{latest_known.pain_next_morning}/10 was more than "
                f"{rules.regress_if_next_morning_above_baseline} above your usual "
                f"{baseline_of(latest_known)}/10"
            )
        if regress_why:
            return decision("regress", ex.regression.to, ex.regression.step, *regress_why)
    window = own[-rules.sessions_to_progress :]
    if len(window) == rules.sessions_to_progress and all(
        meets_pain_rules(s, rules) for s in window
    ):
        return decision(
            "progress",
            ex.progression.to,
            ex.progression.step,
            f"The last {rules.sessions_to_progress} sessions were within the pain rules.",
        )
    return decision("hold", None, "keep the same dose", *_shortfalls(window, rules))


def ladder(exercise_id: str, *, library: Library, exclude: Iterable[str] = ()) -> tuple[str, ...]:
    """The rungs around ``exercise_id``, easiest first, following regression and progression.

    Exercises in ``exclude`` (other exercises of the same plan, e.g. abdominal
    bracing under the planks) end the walk, so each planned exercise keeps its
    own sessions.
    """
    stop = set(exclude) - {exercise_id}
    down: list[str] = []
    seen = {exercise_id}
    target = library[exercise_id].regression.to
    while target is not None and target not in seen and target not in stop:
        down.append(target)
        seen.add(target)
        target = library[target].regression.to
    up: list[str] = []
    target = library[exercise_id].progression.to
    while target is not None and target not in seen and target not in stop:
        up.append(target)
        seen.add(target)
        target = library[target].progression.to
    return (*reversed(down), exercise_id, *up)


def current_rung(
    exercise_id: str,
    sessions: Iterable[ExerciseSession],
    *,
    library: Library,
    exclude: Iterable[str] = (),
) -> str:
    """The rung of ``exercise_id``'s ladder the person logged most recently (else itself)."""
    rungs = ladder(exercise_id, library=library, exclude=exclude)
    logged = [s for s in sessions if s.exercise_id in rungs]
    if not logged:
        return exercise_id
    latest = max(s.done_on for s in logged)
    on_latest = {s.exercise_id for s in logged if s.done_on == latest}
    # Several rungs on the same day: take the hardest one done.
    return max(on_latest, key=rungs.index)


def review_plan(
    plan: Plan,
    sessions: Iterable[ExerciseSession],
    *,
    new_red_flag: bool = False,
    library: Library | None = None,
) -> tuple[ProgressionDecision, ...]:
    """One decision per exercise in ``plan`` (in plan order), at the rung last logged.

    A person who stepped back from the plan's plank to the knee plank gets a
    decision about the knee plank, so progression climbs back up the ladder.
    """
    lib = library or load_library()
    all_sessions = tuple(sessions)
    planned = [e.id for e in plan.exercises]
    return tuple(
        decide_progression(
            all_sessions,
            exercise_id=current_rung(e, all_sessions, library=lib, exclude=planned),
            new_red_flag=new_red_flag,
            library=lib,
        )
        for e in planned
    )
