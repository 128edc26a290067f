"""Progression rules (research/clinical.md §5.3) over diary sessions, and the session record."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from crepitus.plan.progression import decide_progression, review_plan
from crepitus.plan.types import ExerciseSession

DAY0 = date(2026, 11, 2)


def session(day: int, exercise_id: str = "knee_plank", **kw: object) -> ExerciseSession:
    values: dict[str, object] = {
        "sets": 3,
        "hold_s": 10.0,
        "pain_during": 2,
        "pain_next_morning": 1,
        "baseline_pain": 1,
    }
    values.update(kw)
    return ExerciseSession(exercise_id=exercise_id, done_on=DAY0 + timedelta(days=day), **values)  # type: ignore[arg-type]


def test_three_good_sessions_progress_one_rung() -> None:
    decision = decide_progression([session(0), session(1), session(2)], exercise_id="knee_plank")
    assert decision.action == "progress"
    assert decision.to_id == "plank"


def test_top_of_ladder_progresses_by_dose() -> None:
    sessions = [session(d, "plank") for d in range(3)]
    decision = decide_progression(sessions, exercise_id="plank")
    assert decision.action == "progress"
    assert decision.to_id is None
    assert "5 seconds" in decision.step


def test_two_good_sessions_hold() -> None:
    decision = decide_progression([session(0), session(1)], exercise_id="knee_plank")
    assert decision.action == "hold"
    assert any("2 of the 3" in r for r in decision.reasons)


def test_pain_during_above_three_blocks_progress() -> None:
    sessions = [session(0), session(1, pain_during=4), session(2)]
    decision = decide_progression(sessions, exercise_id="knee_plank")
    assert decision.action == "hold"
    assert any("4/10" in r for r in decision.reasons)


def test_pain_not_settled_by_next_morning_blocks_progress() -> None:
    sessions = [session(0), session(1), session(2, pain_next_morning=3, baseline_pain=1)]
    decision = decide_progression(sessions, exercise_id="knee_plank")
    assert decision.action == "hold"


def test_next_morning_unknown_does_not_count() -> None:
    sessions = [session(0), session(1), session(2, pain_next_morning=None)]
    assert decide_progression(sessions, exercise_id="knee_plank").action == "hold"


def test_next_morning_flare_regresses() -> None:
    sessions = [session(0), session(1, pain_next_morning=4, baseline_pain=1)]
    decision = decide_progression(sessions, exercise_id="knee_plank")
    assert decision.action == "regress"
    assert decision.to_id == "wall_plank"


def test_rise_of_exactly_two_is_not_a_flare() -> None:
    sessions = [session(0, pain_next_morning=3, baseline_pain=1)]
    assert decide_progression(sessions, exercise_id="knee_plank").action == "hold"


def test_leg_symptoms_spreading_regresses() -> None:
    sessions = [session(0), session(1), session(2, leg_symptoms_spread=True)]
    decision = decide_progression(sessions, exercise_id="knee_plank")
    assert decision.action == "regress"
    assert any("leg" in r for r in decision.reasons)


def test_new_red_flag_stops_whatever_the_sessions_say() -> None:
    sessions = [session(d) for d in range(3)]
    decision = decide_progression(sessions, exercise_id="knee_plank", new_red_flag=True)
    assert decision.action == "stop"


def test_unknown_baseline_is_read_conservatively() -> None:
    good = [session(d, baseline_pain=None, pain_next_morning=0) for d in range(3)]
    assert decide_progression(good, exercise_id="knee_plank").action == "progress"
    not_settled = [session(d, baseline_pain=None, pain_next_morning=1) for d in range(3)]
    assert decide_progression(not_settled, exercise_id="knee_plank").action == "hold"
    flare = [session(0, baseline_pain=None, pain_next_morning=3)]
    assert decide_progression(flare, exercise_id="knee_plank").action == "regress"


def test_other_exercises_and_order_are_handled() -> None:
    sessions = [
        session(2),
        session(0, "bird_dog", pain_during=9),
        session(0),
        session(1),
    ]
    assert decide_progression(sessions, exercise_id="knee_plank").action == "progress"


def test_an_old_bad_session_outside_the_window_does_not_block() -> None:
    sessions = [session(0, pain_during=5), session(1), session(2), session(3)]
    assert decide_progression(sessions, exercise_id="knee_plank").action == "progress"


def test_unknown_exercise_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        decide_progression([], exercise_id="handstand")


def test_review_plan_gives_one_decision_per_exercise(make_assessment) -> None:
    from crepitus.plan.generator import make_plan

    plan = make_plan(make_assessment())
    decisions = review_plan(plan, [session(d, "plank") for d in range(3)])
    assert [d.exercise_id for d in decisions] == [e.id for e in plan.exercises]
    by_id = {d.exercise_id: d.action for d in decisions}
    assert by_id["plank"] == "progress"
    assert by_id["bird_dog"] == "hold"


def test_session_validation() -> None:
    with pytest.raises(ValueError, match="pain_during"):
        ExerciseSession("plank", DAY0, sets=1, pain_during=11)
    with pytest.raises(ValueError, match="sets"):
        ExerciseSession("plank", DAY0, sets=0)
    with pytest.raises(ValueError, match="baseline_pain"):
        ExerciseSession("plank", DAY0, sets=1, baseline_pain=-1)
    with pytest.raises(ValueError, match="exercise_id"):
        ExerciseSession("", DAY0, sets=1)


def test_session_json_round_trip() -> None:
    original = session(4, leg_symptoms_spread=True, reps=None)
    assert ExerciseSession.from_json(original.to_json()) == original


def test_ladder_runs_easiest_first_and_stops_at_other_planned_exercises() -> None:
    from crepitus.plan.library import load_library
    from crepitus.plan.progression import ladder

    lib = load_library()
    assert ladder("plank", library=lib) == (
        "abdominal_bracing",
        "wall_plank",
        "knee_plank",
        "plank",
    )
    assert ladder("plank", library=lib, exclude=["abdominal_bracing"]) == (
        "wall_plank",
        "knee_plank",
        "plank",
    )
    assert ladder("knee_plank", library=lib, exclude=["abdominal_bracing"]) == (
        "wall_plank",
        "knee_plank",
        "plank",
    )


def test_current_rung_follows_the_latest_logged_session() -> None:
    from crepitus.plan.library import load_library
    from crepitus.plan.progression import current_rung

    lib = load_library()
    assert current_rung("plank", [], library=lib) == "plank"
    sessions = [session(0, "plank"), session(1, "knee_plank"), session(1, "bird_dog")]
    assert current_rung("plank", sessions, library=lib) == "knee_plank"
    same_day = [session(2, "knee_plank"), session(2, "plank")]
    assert current_rung("plank", same_day, library=lib) == "plank"


def test_review_plan_decides_at_the_rung_the_person_is_on(make_assessment) -> None:
    from crepitus.plan.generator import make_plan

    plan = make_plan(make_assessment(findings={"pain.score": 0}))
    assert "plank" in [e.id for e in plan.exercises]
    decisions = {d.exercise_id: d for d in review_plan(plan, [session(d) for d in range(3)])}
    assert "plank" not in decisions
    assert decisions["knee_plank"].action == "progress"
    assert decisions["knee_plank"].to_id == "plank"


def test_no_sessions_says_so() -> None:
    decision = decide_progression([], exercise_id="plank")
    assert decision.action == "hold"
    assert any("no sessions logged yet" in r for r in decision.reasons)
