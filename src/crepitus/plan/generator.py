"""From an assessment to a weekly exercise and posture plan, gated by safety.

The generator is a pure function of the assessment, the library and the
posture cues (no I/O except loading the packaged knowledge once).  The order of
the steps is the safety argument:

1. **Recipe.**  The seed's exercises and McGill's "big three" form the base
   (back-pop-article.txt §Proactive Steps; research/clinical.md §5.3); the most
   probable mechanism adds its emphasis (cavitation → core + walking posture,
   soft-tissue snap → hip mobility + hip strength, arthritic crepitus → gentle
   mobility + core), all as data in ``exercises.yaml``.
2. **Starting level.**  With pain above the acceptable level of the
   pain-monitoring rules (>3/10) or with leg symptoms, each loading exercise
   starts one rung down its ladder (plank → knee plank, side plank → knee
   version, bird-dog → dead bug).
3. **Contraindications** from the findings: ``withhold`` beats ``substitute``
   beats ``modify``; a substitute is checked again (its own contraindications
   may fire), and a finding only counts when known to be true (unknown is not
   "yes", contracts.md §1).
4. **Safety gate** by disposition, last, so nothing above can re-admit an
   exercise: ``emergency`` → no exercise; ``urgent`` → only exercises marked
   ``gentle`` (and none if a red flag suggests fracture, cord or cauda-equina
   compression, a vascular cause, cancer or infection); ``soon`` or
   ``routine`` with any open red flag → no loading exercise (the issue's "no
   loading exercises while a red flag is open"; research/clinical.md §5.3:
   "Red flags present: no exercise until assessed").

Deviations from the sources
---------------------------
* The research gives the side plank's *starting* dose from the knees; we start
  on the feet when pain is ≤3/10 (the acceptable-pain level of the same
  section's progression rules) and from the knees otherwise.
* ``urgent`` keeps gentle non-loading movement (pelvic tilts, a light brace)
  unless a "no movement" flag is open; the research's "no exercise until
  assessed" is applied in full to ``emergency`` and to those flags.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from crepitus.domain import Assessment, Disposition
from crepitus.plan.library import Exercise, Library, PlanItem, load_library
from crepitus.plan.posture import PelvicTilt, PostureBook, choose_cues, load_posture
from crepitus.plan.types import WEEKDAYS, Plan, PlannedExercise, PostureCue, Withheld

#: A mechanism leads the plan only when it is more likely than all the others
#: together; otherwise the balanced ("undetermined") recipe is used.
MECHANISM_LEAD_PROBABILITY = 0.5

#: Which weekdays to use for a given number of days a week: spread out so that
#: harder sessions get a rest day in between (a pragmatic convention).
_DAY_PATTERNS: Mapping[int, tuple[str, ...]] = {
    1: ("WE",),
    2: ("MO", "TH"),
    3: ("MO", "WE", "FR"),
    4: ("MO", "TU", "TH", "SA"),
    5: ("MO", "TU", "WE", "FR", "SA"),
    6: ("MO", "TU", "WE", "TH", "FR", "SA"),
    7: WEEKDAYS,
}

_CATEGORY_ORDER: Mapping[str, int] = {"mobility": 0, "core": 1, "posture": 2}

_EMERGENCY_REASON = (
    "Not now: get emergency help first (call your local emergency number or go to an "
    "emergency department). Start exercises only when a clinician says it is safe."
)
_URGENT_REASON = (
    "Held back until a clinician has seen you (today, or within 24–48 hours at most): your "
    "answers include warning signs that need checking before you exercise."
)
_NO_MOVEMENT_REASON = (
    "Held back, like all exercises for now: you answered yes to {signs} — a clinician must "
    "check that first, today."
)
_SOON_REASON = (
    "Held back until a clinician has checked you (book within about two weeks): strengthening "
    "that loads the spine waits until the warning signs in your answers have been looked at."
)
#: docs/safety.md H10, control 2 (an unanswered red flag withholds loading).
_SCREEN_OPEN_REASON = (
    "Held back until you have answered the warning-sign questions (crepitus assess asks them): "
    "strengthening that loads the spine waits until they are answered 'no'."
)
_ROUTINE_REASON = (
    "Held back until your GP or physiotherapist has checked you: strengthening that loads the "
    "spine waits until the symptoms flagged in your answers have been looked at."
)


@dataclass(frozen=True, slots=True)
class _Candidate:
    exercise: Exercise
    why: str
    cautions: tuple[str, ...]
    recipe_id: str
    trail: tuple[Withheld, ...]
    """Substitutions made on the way to ``exercise`` (shown only if it stays in the plan)."""


def lead_mechanism(mechanisms: Iterable[tuple[str, float]]) -> str:
    """The mechanism that shapes the plan: the top one if its probability ≥ 0.5."""
    ranked = sorted(mechanisms, key=lambda mp: mp[1], reverse=True)
    if ranked and ranked[0][1] >= MECHANISM_LEAD_PROBABILITY:
        return ranked[0][0]
    return "undetermined"


def start_easier(findings: Mapping[str, Any], lib: Library) -> str | None:
    """Why the loading exercises start one rung down, or ``None`` to start normally."""
    pain = findings.get("pain.score")
    limit = lib.safety.start_easier_if_pain_above
    if isinstance(pain, int) and not isinstance(pain, bool) and pain > limit:
        return f"your worst pain ({pain}/10) is above {limit}/10"
    if any(findings.get(code) is True for code in lib.safety.start_easier_if_true):
        return "you have symptoms in a leg"
    return None


def days_for(days_per_week: int) -> tuple[str, ...]:
    """Weekday codes for ``days_per_week`` (1–7), spread across the week."""
    if days_per_week not in _DAY_PATTERNS:
        raise ValueError(f"days_per_week must be 1–7, got {days_per_week}")
    return _DAY_PATTERNS[days_per_week]


def _resolve(
    exercise_id: str, findings: Mapping[str, Any], lib: Library, withheld: list[Withheld]
) -> tuple[Exercise, tuple[str, ...]] | None:
    """Apply contraindications: the exercise to use (and modifications), or ``None``."""
    seen: set[str] = set()
    current = lib[exercise_id]
    while True:
        if current.id in seen:  # a substitution loop in the data: safest is to leave it out
            withheld.append(
                Withheld(
                    exercise_id,
                    lib[exercise_id].name,
                    "Left out: no safe version for your answers.",
                )
            )
            return None
        seen.add(current.id)
        fired = current.firing(findings)
        blocking = [c for c in fired if c.effect == "withhold"]
        if blocking:
            c = blocking[0]
            withheld.append(Withheld(current.id, current.name, c.text, source=c.source))
            return None
        subs = [c for c in fired if c.effect == "substitute"]
        if subs:
            c = subs[0]
            assert c.use is not None  # guaranteed by the loader
            withheld.append(
                Withheld(current.id, current.name, c.text, replaced_by=c.use, source=c.source)
            )
            current = lib[c.use]
            continue
        mods = tuple(c.text for c in fired if c.effect == "modify")
        return current, mods


def _candidates(
    items: Iterable[PlanItem],
    findings: Mapping[str, Any],
    lib: Library,
    withheld: list[Withheld],
) -> list[_Candidate]:
    easier = start_easier(findings, lib)
    out: list[_Candidate] = []
    chosen: set[str] = set()
    for item in items:
        original = start = lib[item.id]
        target = original.regression.to
        if easier and original.loading and target is not None and lib[target].loading:
            start = lib[target]
        trail: list[Withheld] = []
        resolved = _resolve(start.id, findings, lib, trail)
        if resolved is None:
            withheld.extend(trail)
            continue
        final, mods = resolved
        if final.id in chosen:
            continue
        chosen.add(final.id)
        why = item.why
        if final.id != original.id:
            if start.id != original.id:
                why = f"{why} You start with an easier version because {easier}."
            if final.id != start.id:
                why = f"{why} {final.name} is used instead of {start.name} (see 'left out')."
        out.append(_Candidate(final, why, (*mods, *final.cautions), original.id, tuple(trail)))
    return out


def _screen_yes(findings: Mapping[str, Any]) -> bool:
    """Whether any warning-sign question was answered yes, red-flag rule or not.

    With a clinician's visit advised (routine or later), a "yes" such as noises that began
    with an injury or sudden severe pain holds loading back until that visit (H10); alone at
    self-care (osteoporosis), the contraindication rules adapt the exercises instead.
    """
    from crepitus.findings import load_vocabulary

    return bool(load_vocabulary().screen_yes(findings))


def _gate(
    candidates: list[_Candidate],
    assessment: Assessment,
    lib: Library,
    withheld: list[Withheld],
) -> list[_Candidate]:
    """Apply the disposition's safety gate; everything removed goes to ``withheld``.

    A removed candidate is reported once, under its recipe id, with the gate's
    reason; its substitution trail is dropped (the substitute is not planned
    either, so "instead: …" would mislead).  Kept candidates report their trail.
    """
    disposition = assessment.disposition
    source = lib.safety.source

    def hold_back(removed: Iterable[_Candidate], reason: str) -> None:
        # Name the recipe's exercise (e.g. ``plank``), not the easier rung it started on.
        withheld.extend(
            Withheld(c.recipe_id, lib[c.recipe_id].name, reason, source=source) for c in removed
        )

    if disposition >= Disposition.EMERGENCY:
        hold_back(candidates, _EMERGENCY_REASON)
        return []
    if disposition == Disposition.URGENT:
        stoppers = [c for c in assessment.red_flags if c in lib.safety.no_movement_flags]
        if stoppers:
            # Name the person's own answers: a generic list ("an injury, nerve symptoms…")
            # read as wrong after a "yes" to past cancer (review 2, P3-8).
            from crepitus.findings import load_vocabulary

            vocab = load_vocabulary()
            signs = "; ".join(f"“{vocab[c].question}”" for c in stoppers)
            hold_back(candidates, _NO_MOVEMENT_REASON.format(signs=signs))
            return []
        keep = [c for c in candidates if c.exercise.gentle and not c.exercise.loading]
        hold_back((c for c in candidates if c not in keep), _URGENT_REASON)
        return keep
    if assessment.red_flags or (
        disposition >= Disposition.ROUTINE and _screen_yes(assessment.findings)
    ):
        reason = _SOON_REASON if disposition == Disposition.SOON else _ROUTINE_REASON
    elif not assessment.screen_complete:
        reason = _SCREEN_OPEN_REASON
    else:
        return candidates
    keep = [c for c in candidates if not c.exercise.loading]
    hold_back((c for c in candidates if c not in keep), reason)
    return keep


def _planned(c: _Candidate) -> PlannedExercise:
    ex, dose = c.exercise, c.exercise.dosage
    return PlannedExercise(
        id=ex.id,
        name=ex.name,
        category=ex.category,
        loading=ex.loading,
        sets=dose.sets,
        reps=dose.reps,
        hold_s=dose.hold_s,
        days_per_week=dose.days_per_week,
        why=c.why,
        days=days_for(dose.days_per_week),
        dose_text=dose.describe(),
        minutes=dose.minutes,
        per_side=dose.per_side,
        instructions=ex.instructions,
        mistakes=ex.mistakes,
        cautions=c.cautions,
        progress_when=f"{ex.progression.when} Next: {ex.progression.step}.",
        regress_when=f"{ex.regression.when} Then: {ex.regression.step}.",
        progress_to=ex.progression.to,
        regress_to=ex.regression.to,
        source=ex.source,
    )


def _summary(assessment: Assessment, emphasis_summary: str, n_exercises: int) -> str:
    disposition = assessment.disposition
    if disposition >= Disposition.EMERGENCY:
        return (
            "Get emergency help now. This plan holds back all exercises until you have been seen."
        )
    if disposition == Disposition.URGENT:
        if n_exercises:
            return (
                "See a clinician today. Until then, only gentle movement that does not hurt; "
                "strengthening waits until you have been checked."
            )
        return "See a clinician today. Hold off all exercises until you have been checked."
    if assessment.red_flags:
        when = "within about two weeks" if disposition == Disposition.SOON else "(GP or physio)"
        return (
            f"Book to see a clinician {when}. Until then, gentle mobility and posture only; "
            f"strengthening waits. {emphasis_summary}"
        )
    return emphasis_summary


def make_plan(
    assessment: Assessment,
    *,
    pelvic_tilt: PelvicTilt | None = None,
    today: date | None = None,
    library: Library | None = None,
    posture: PostureBook | None = None,
) -> Plan:
    """A weekly plan for this assessment (contracts.md §6, ``crepitus.plan/1``).

    Parameters
    ----------
    assessment
        What the engine concluded: disposition, red flags, mechanisms, findings.
    pelvic_tilt
        Measured tilt from ``crepitus walk`` (relative to standing); adds a
        tilt-specific posture cue with its measurement uncertainty.
    today
        The plan's start date (defaults to today); only used for dating the plan.
    library, posture
        Knowledge to use instead of the packaged files (tests, reviews).

    Returns
    -------
    Plan
        Never holds a loading exercise when the disposition is ``urgent`` or
        ``emergency``; every exercise left out is listed in ``withheld``.
    """
    lib = library or load_library()
    book = posture or load_posture()
    findings: Mapping[str, Any] = assessment.findings
    mechanism = lead_mechanism(assessment.mechanisms)
    emphasis = lib.recipe.emphasis[mechanism]
    withheld: list[Withheld] = []
    candidates = _candidates((*lib.recipe.base, *emphasis.add), findings, lib, withheld)
    candidates = _gate(candidates, assessment, lib, withheld)
    for c in candidates:
        withheld.extend(c.trail)
    candidates.sort(key=lambda c: _CATEGORY_ORDER[c.exercise.category])
    exercises = tuple(_planned(c) for c in candidates)
    if assessment.disposition >= Disposition.URGENT:
        cues: tuple[PostureCue, ...] = ()
        notes: tuple[str, ...] = ("Posture coaching starts once a clinician has checked you.",)
    else:
        cues = choose_cues(book, mechanism=mechanism, pelvic_tilt=pelvic_tilt)
        notes = ()
    # The same id can be reported twice (e.g. by two recipe items); keep the first.
    unique: dict[str, Withheld] = {}
    for w in withheld:
        unique.setdefault(w.id, w)
    return Plan(
        disposition=assessment.disposition.code,
        exercises=exercises,
        withheld=tuple(unique.values()),
        posture_cues=cues,
        mechanism=mechanism,
        summary=_summary(assessment, emphasis.summary, len(exercises)),
        stop_if=lib.safety.stop_if,
        starts_on=today or date.today(),
        progression_rules=lib.rules.text,
        knowledge_version=lib.version,
        notes=notes,
    )
