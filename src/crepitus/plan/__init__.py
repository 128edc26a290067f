"""The exercise and posture plan: library, generator, progression rules, iCalendar export.

Pure code over packaged knowledge (``exercises.yaml``, ``posture.yaml``): no
storage, web or CLI imports (style.md house rule 1).  The diary stores
:class:`ExerciseSession` records; :func:`decide_progression` reads them.
"""

from __future__ import annotations

from crepitus.plan.generator import make_plan
from crepitus.plan.ical import plan_to_ical
from crepitus.plan.library import Exercise, Library, load_library
from crepitus.plan.posture import PelvicTilt
from crepitus.plan.progression import ProgressionDecision, decide_progression, review_plan
from crepitus.plan.types import ExerciseSession, Plan, PlannedExercise, PostureCue, Withheld

__all__ = [
    "Exercise",
    "ExerciseSession",
    "Library",
    "PelvicTilt",
    "Plan",
    "PlannedExercise",
    "PostureCue",
    "ProgressionDecision",
    "Withheld",
    "decide_progression",
    "load_library",
    "make_plan",
    "plan_to_ical",
    "review_plan",
]
