"""make_plan: safety gates, contraindications, mechanism emphasis, contract JSON."""

from __future__ import annotations

from datetime import date

import pytest

from crepitus.domain import Disposition
from crepitus.errors import InvalidInputError
from crepitus.findings import load_vocabulary
from crepitus.plan.generator import days_for, lead_mechanism, make_plan
from crepitus.plan.library import CONTRACT_IDS, load_library
from crepitus.plan.posture import PelvicTilt
from crepitus.plan.types import WEEKDAYS

LOADING = load_library().loading_ids


def _ids(plan: object) -> list[str]:
    return [e.id for e in plan.exercises]  # type: ignore[attr-defined]


def _withheld(plan: object) -> dict[str, str]:
    return {w.id: w.reason for w in plan.withheld}  # type: ignore[attr-defined]


def test_self_care_plan_holds_the_seed_exercises(make_assessment) -> None:
    plan = make_plan(make_assessment(findings={"pain.score": 1}))
    assert set(CONTRACT_IDS) <= set(_ids(plan))
    assert plan.withheld == ()
    assert plan.disposition == "self_care"


def test_mobility_warm_up_comes_first(make_assessment) -> None:
    plan = make_plan(make_assessment())
    assert plan.exercises[0].id == "cat_cow"
    categories = [e.category for e in plan.exercises]
    assert categories == sorted(categories, key=["mobility", "core", "posture"].index)


def test_emergency_plan_holds_no_exercise_and_says_why(make_assessment) -> None:
    plan = make_plan(make_assessment(Disposition.EMERGENCY, red_flags=["neuro.saddle_numbness"]))
    assert plan.exercises == ()
    withheld = _withheld(plan)
    for exercise_id in ("plank", "side_plank", "bird_dog"):
        assert "emergency" in withheld[exercise_id]
    assert plan.posture_cues == ()
    assert plan.stop_if


def test_urgent_plan_keeps_only_gentle_non_loading_movement(make_assessment) -> None:
    plan = make_plan(make_assessment(Disposition.URGENT, red_flags=["history.immunosuppressed"]))
    assert _ids(plan), "gentle movement is offered when no 'no movement' flag is open"
    lib = load_library()
    assert all(lib[i].gentle and not lib[i].loading for i in _ids(plan))
    withheld = _withheld(plan)
    for exercise_id in ("plank", "side_plank", "bird_dog"):
        assert "clinician" in withheld[exercise_id]


def test_urgent_with_fracture_or_nerve_flag_stops_all_exercise(make_assessment) -> None:
    for flag in ("trauma.minor", "neuro.leg_weakness", "systemic.fever"):
        plan = make_plan(make_assessment(Disposition.URGENT, red_flags=[flag]))
        assert plan.exercises == (), flag
        assert "plank" in _withheld(plan)
        # the reason quotes the person's own "yes", not a generic list (review 2, P3-8)
        question = load_vocabulary()[flag].question
        assert f"you answered yes to “{question}”" in _withheld(plan)["plank"], flag


def test_urgent_withheld_names_contract_ids_even_when_starting_easier(make_assessment) -> None:
    plan = make_plan(
        make_assessment(
            Disposition.URGENT, red_flags=["history.immunosuppressed"], findings={"pain.score": 8}
        )
    )
    withheld = _withheld(plan)
    assert {"plank", "side_plank", "bird_dog"} <= set(withheld)


@pytest.mark.parametrize("disposition", [Disposition.SOON, Disposition.ROUTINE])
def test_open_red_flag_withholds_loading_at_lower_dispositions(
    make_assessment, disposition
) -> None:
    plan = make_plan(make_assessment(disposition, red_flags=["systemic.weight_loss"]))
    assert not set(_ids(plan)) & LOADING
    assert "cat_cow" in _ids(plan)
    assert "plank" in _withheld(plan)


def test_routine_without_red_flags_keeps_strengthening(make_assessment) -> None:
    plan = make_plan(make_assessment(Disposition.ROUTINE))
    assert {"plank", "bird_dog"} <= set(_ids(plan))


def test_osteoporosis_replaces_curl_up(make_assessment) -> None:
    assessment = make_assessment(
        mechanisms=[("arthritic_crepitus", 0.7), ("cavitation", 0.3)],
        findings={"history.osteoporosis": True, "pain.score": 2},
    )
    plan = make_plan(assessment)
    assert "mcgill_curl_up" not in _ids(plan)
    assert "dead_bug" in _ids(plan)
    curl = next(w for w in plan.withheld if w.id == "mcgill_curl_up")
    assert curl.replaced_by == "dead_bug"
    assert "bones" in curl.reason
    cat_cow = next(e for e in plan.exercises if e.id == "cat_cow")
    assert any("middle range" in c for c in cat_cow.cautions)


def test_unknown_osteoporosis_is_not_treated_as_yes(make_assessment) -> None:
    assessment = make_assessment(mechanisms=[("arthritic_crepitus", 0.7), ("undetermined", 0.3)])
    assert "mcgill_curl_up" in _ids(make_plan(assessment))


def test_denied_osteoporosis_keeps_curl_up(make_assessment) -> None:
    assessment = make_assessment(
        mechanisms=[("arthritic_crepitus", 0.7), ("undetermined", 0.3)],
        findings={"history.osteoporosis": False},
    )
    assert "mcgill_curl_up" in _ids(make_plan(assessment))


def test_hypertension_adds_no_breath_holding_to_planks(make_assessment) -> None:
    plan = make_plan(make_assessment(findings={"history.hypertension": True, "pain.score": 0}))
    plank = next(e for e in plan.exercises if e.id == "plank")
    assert any("never hold your breath" in c for c in plank.cautions)
    bracing = next(e for e in plan.exercises if e.id == "abdominal_bracing")
    assert any("never hold your breath" in c for c in bracing.cautions)


def test_pregnancy_avoids_lying_on_the_back_and_floor_planks(make_assessment) -> None:
    plan = make_plan(
        make_assessment(
            mechanisms=[("soft_tissue_snap", 0.9), ("undetermined", 0.1)],
            findings={"history.pregnant": True},
        )
    )
    ids = set(_ids(plan))
    assert not ids & {"pelvic_tilt", "plank", "knee_plank", "glute_bridge", "dead_bug"}
    assert {"standing_pelvic_tilt", "wall_plank", "side_plank_knees"} <= ids
    assert _withheld(plan)["glute_bridge"]


def test_pain_above_three_starts_one_rung_down(make_assessment) -> None:
    plan = make_plan(make_assessment(findings={"pain.score": 6}))
    ids = set(_ids(plan))
    assert {"knee_plank", "side_plank_knees", "dead_bug"} <= ids
    assert not ids & {"plank", "side_plank", "bird_dog"}
    knee = next(e for e in plan.exercises if e.id == "knee_plank")
    assert "6/10" in knee.why


def test_pain_at_three_starts_normally(make_assessment) -> None:
    ids = set(_ids(make_plan(make_assessment(findings={"pain.score": 3}))))
    assert {"plank", "side_plank", "bird_dog"} <= ids


def test_leg_symptoms_start_easier(make_assessment) -> None:
    plan = make_plan(make_assessment(findings={"neuro.leg_pain_below_knee": True}))
    assert "knee_plank" in _ids(plan)
    tilt = next(e for e in plan.exercises if e.id == "pelvic_tilt")
    assert any("leg" in c for c in tilt.cautions)


@pytest.mark.parametrize(
    ("mechanism", "expected"),
    [
        ("cavitation", {"mcgill_curl_up", "walking_with_bracing"}),
        ("soft_tissue_snap", {"hip_flexor_stretch", "glute_bridge"}),
        ("arthritic_crepitus", {"knee_rolls", "mcgill_curl_up"}),
    ],
)
def test_mechanism_adds_its_emphasis(make_assessment, mechanism, expected) -> None:
    plan = make_plan(make_assessment(mechanisms=[(mechanism, 0.7), ("undetermined", 0.3)]))
    assert expected <= set(_ids(plan))
    assert plan.mechanism == mechanism


def test_uncertain_mechanism_uses_the_balanced_recipe(make_assessment) -> None:
    plan = make_plan(make_assessment(mechanisms=[("cavitation", 0.45), ("soft_tissue_snap", 0.40)]))
    assert plan.mechanism == "undetermined"
    assert set(_ids(plan)) == set(CONTRACT_IDS)


def test_lead_mechanism_threshold() -> None:
    assert lead_mechanism([("soft_tissue_snap", 0.5), ("cavitation", 0.5)]) == "soft_tissue_snap"
    assert lead_mechanism([("cavitation", 0.2), ("soft_tissue_snap", 0.49)]) == "undetermined"
    assert lead_mechanism([]) == "undetermined"


def test_days_are_spread_and_match_days_per_week() -> None:
    for n in range(1, 8):
        days = days_for(n)
        assert len(days) == n == len(set(days))
        assert all(d in WEEKDAYS for d in days)
    assert days_for(3) == ("MO", "WE", "FR")


def test_schedule_matches_each_exercise(make_assessment) -> None:
    plan = make_plan(make_assessment())
    schedule = plan.schedule
    for ex in plan.exercises:
        assert sum(ex.id in ids for ids in schedule.values()) == ex.days_per_week


def test_plan_json_follows_the_contract(make_assessment) -> None:
    plan = make_plan(make_assessment(), today=date(2026, 12, 1))
    doc = plan.to_json()
    assert doc["schema"] == "crepitus.plan/1"
    assert doc["disposition"] == "self_care"
    assert isinstance(doc["posture_cues"], list)
    assert all(isinstance(c, str) for c in doc["posture_cues"])
    assert doc["starts_on"] == "2026-12-01"
    for entry in doc["exercises"]:
        for key in ("id", "name", "sets", "reps", "hold_s", "days_per_week", "why"):
            assert key in entry
        assert isinstance(entry["reps"], int | list | type(None))
    bird = next(e for e in doc["exercises"] if e["id"] == "bird_dog")
    assert bird["reps"] == [6, 4, 2]
    assert bird["hold_s"] == 10 and isinstance(bird["hold_s"], int)
    gated = make_plan(make_assessment(Disposition.EMERGENCY, red_flags=["vascular.fainting"]))
    assert all(set(w) >= {"id", "reason"} for w in gated.to_json()["withheld"])


def test_measured_forward_tilt_adds_a_cue_with_its_uncertainty(make_assessment) -> None:
    plan = make_plan(
        make_assessment(), pelvic_tilt=PelvicTilt(standing_deg=9.5, walking_mean_deg=21.0)
    )
    tilt_cues = [c for c in plan.posture_cues if c.id.startswith("tilt-clearly")]
    assert len(tilt_cues) == 1
    assert "12°" in tilt_cues[0].text
    assert "3–9 degrees" in tilt_cues[0].text


@pytest.mark.parametrize(
    ("diff", "cue"),
    [
        (-12.0, "tilt-tucked"),
        (0.0, "tilt-within-error"),
        (4.9, "tilt-within-error"),
        (5.0, "tilt-possibly-forward"),
        (9.9, "tilt-possibly-forward"),
        (10.0, "tilt-clearly-forward"),
    ],
)
def test_exactly_one_tilt_band_matches(make_assessment, diff, cue) -> None:
    plan = make_plan(
        make_assessment(), pelvic_tilt=PelvicTilt.relative(walking_minus_standing_deg=diff)
    )
    banded = [
        c.id
        for c in plan.posture_cues
        if c.id
        in {"tilt-tucked", "tilt-within-error", "tilt-possibly-forward", "tilt-clearly-forward"}
    ]
    assert banded == [cue]


def test_no_tilt_cue_without_a_measurement(make_assessment) -> None:
    plan = make_plan(make_assessment())
    assert not [c for c in plan.posture_cues if c.id.startswith("tilt-")]
    assert plan.posture_cues


def test_implausible_tilt_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="not plausible"):
        PelvicTilt.relative(walking_minus_standing_deg=80)
    with pytest.raises(InvalidInputError, match="finite"):
        PelvicTilt(standing_deg=float("nan"), walking_mean_deg=3)


def test_tilt_from_gait_document() -> None:
    tilt = PelvicTilt.from_gait({"standing": 9.5, "walking_mean": 11.2, "walking_range": 4.1})
    assert tilt is not None
    assert tilt.walking_minus_standing_deg == pytest.approx(1.7)
    assert PelvicTilt.from_gait({"standing": None, "walking_mean": 3.0}) is None
    # a phone's tilt: standing unknown (null), walking relative to it
    rel = {"standing": None, "walking_mean": 3.0, "reference": "relative_to_standing"}
    tilt = PelvicTilt.from_gait(rel)
    assert tilt is not None and tilt.walking_minus_standing_deg == pytest.approx(3.0)
    assert PelvicTilt.from_gait(None) is None


def test_snap_gets_its_posture_cue_and_others_do_not(make_assessment) -> None:
    snap = make_plan(make_assessment(mechanisms=[("soft_tissue_snap", 0.8), ("cavitation", 0.2)]))
    pop = make_plan(make_assessment(mechanisms=[("cavitation", 0.8), ("soft_tissue_snap", 0.2)]))
    assert "snap-step-length" in {c.id for c in snap.posture_cues}
    assert "snap-step-length" not in {c.id for c in pop.posture_cues}


def test_gated_substitute_is_not_offered_as_instead(make_assessment) -> None:
    plan = make_plan(
        make_assessment(
            Disposition.SOON,
            red_flags=["systemic.weight_loss"],
            findings={"history.pregnant": True, "systemic.weight_loss": True},
        )
    )
    side = next(w for w in plan.withheld if w.id == "side_plank")
    assert side.replaced_by is None
    assert "clinician" in side.reason
    tilt = next(w for w in plan.withheld if w.id == "pelvic_tilt")
    assert tilt.replaced_by == "standing_pelvic_tilt"
    assert "standing_pelvic_tilt" in _ids(plan)
