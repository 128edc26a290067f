"""Properties of the plan that must hold for any findings, assessment or diary."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from crepitus.domain import MECHANISMS, Assessment, Disposition, Reason
from crepitus.findings import load_vocabulary
from crepitus.plan.generator import make_plan
from crepitus.plan.ical import fold_line
from crepitus.plan.library import load_library
from crepitus.plan.posture import PelvicTilt
from crepitus.plan.progression import decide_progression, meets_pain_rules
from crepitus.plan.types import ExerciseSession
from crepitus.workflows import assess

LIB = load_library()
VOCAB = load_vocabulary()
BOOLEAN_CODES = [c for c in VOCAB.codes if VOCAB[c].type == "boolean"]


@st.composite
def findings(draw: st.DrawFn) -> dict[str, Any]:
    """Any valid findings: a random subset of boolean codes (true/false) plus pain and age."""
    codes = draw(st.lists(st.sampled_from(BOOLEAN_CODES), unique=True, max_size=12))
    values: dict[str, Any] = {c: draw(st.booleans()) for c in codes}
    if draw(st.booleans()):
        values["pain.score"] = draw(st.integers(0, 10))
    if draw(st.booleans()):
        values["age"] = draw(st.integers(18, 95))
    return values


def build_assessment(
    disposition: Disposition,
    *,
    red_flags: list[str],
    mechanisms: list[tuple[str, float]],
    findings: dict[str, Any],
    screen_complete: bool,
) -> Assessment:
    return Assessment(
        disposition=disposition,
        red_flags=tuple(red_flags),
        mechanisms=tuple(mechanisms),
        reasons=(Reason(rule="test.rule", source="test", text="test"),),
        advice="",
        next_steps=(),
        safety_net=(),
        findings=findings,
        screen_complete=screen_complete,
    )


@st.composite
def assessments(draw: st.DrawFn) -> Assessment:
    """Synthetic assessments: any disposition, red flags, mechanisms and findings."""
    disposition = draw(st.sampled_from(list(Disposition)))
    flags = draw(st.lists(st.sampled_from(BOOLEAN_CODES), unique=True, max_size=3))
    weights = draw(st.lists(st.floats(0.01, 1.0), min_size=4, max_size=4))
    total = sum(weights)
    mechanisms = sorted(
        ((m, w / total) for m, w in zip(MECHANISMS, weights, strict=True)),
        key=lambda mp: mp[1],
        reverse=True,
    )
    return build_assessment(
        disposition,
        red_flags=flags,
        mechanisms=mechanisms,
        findings=draw(findings()),
        screen_complete=draw(st.booleans()),
    )


def _check_plan_invariants(assessment: Any, plan: Any) -> None:
    ids = [e.id for e in plan.exercises]
    assert len(ids) == len(set(ids))
    # Safety gate: no loading exercise while urgent/emergency, a red flag is reported, or a
    # question that could make the result urgent is unanswered (docs/safety.md H10).
    if (
        assessment.disposition >= Disposition.URGENT
        or assessment.red_flags
        or not assessment.screen_complete
    ):
        assert not [i for i in ids if LIB[i].loading]
    if assessment.disposition == Disposition.EMERGENCY:
        assert ids == []
    if assessment.disposition >= Disposition.URGENT:
        assert all(LIB[i].gentle for i in ids)
    # Contraindications: nothing withheld or substituted is planned; modifications shown.
    for ex in plan.exercises:
        for c in LIB[ex.id].firing(assessment.findings):
            assert c.effect == "modify", (ex.id, c.id)
            assert c.text in ex.cautions
    # Everything left out says why, and is not also planned.
    by_id = {w.id: w for w in plan.withheld}
    for w in plan.withheld:
        assert w.reason.strip()
        assert w.id not in ids
        # "instead: X" must lead (possibly via further substitutions) to a planned exercise.
        seen = {w.id}
        target = w.replaced_by
        while target is not None and target not in ids:
            assert target in by_id and target not in seen, (w.id, target)
            seen.add(target)
            target = by_id[target].replaced_by
    doc = plan.to_json()
    assert doc["schema"] == "crepitus.plan/1"
    assert doc["disposition"] == assessment.disposition.code


@given(findings())
def test_real_assessments_never_plan_unsafe_exercises(values: dict[str, Any]) -> None:
    assessment = assess(values)
    plan = make_plan(assessment, today=date(2026, 11, 26))
    _check_plan_invariants(assessment, plan)


@given(assessments(), st.one_of(st.none(), st.floats(-40, 40)))
def test_any_assessment_gives_a_safe_plan(assessment: Any, tilt: float | None) -> None:
    pelvic_tilt = None if tilt is None else PelvicTilt.relative(walking_minus_standing_deg=tilt)
    plan = make_plan(assessment, pelvic_tilt=pelvic_tilt, today=date(2026, 11, 26))
    _check_plan_invariants(assessment, plan)
    if pelvic_tilt is not None and assessment.disposition < Disposition.URGENT:
        banded = [c for c in plan.posture_cues if c.id.startswith("tilt-") and "pocket" not in c.id]
        assert len(banded) == 1


sessions_strategy = st.lists(
    st.builds(
        ExerciseSession,
        exercise_id=st.sampled_from(["knee_plank", "plank", "bird_dog"]),
        done_on=st.integers(0, 60).map(lambda d: date(2026, 11, 1) + timedelta(days=d)),
        sets=st.integers(1, 4),
        reps=st.none() | st.integers(1, 12),
        hold_s=st.none() | st.floats(1, 60),
        pain_during=st.integers(0, 10),
        pain_next_morning=st.none() | st.integers(0, 10),
        baseline_pain=st.none() | st.integers(0, 10),
        leg_symptoms_spread=st.booleans(),
    ),
    max_size=8,
)


@given(sessions_strategy, st.booleans())
def test_progression_never_progresses_against_the_pain_rules(
    sessions: list[ExerciseSession], new_flag: bool
) -> None:
    decision = decide_progression(sessions, exercise_id="knee_plank", new_red_flag=new_flag)
    own = sorted((s for s in sessions if s.exercise_id == "knee_plank"), key=lambda s: s.done_on)
    if new_flag:
        assert decision.action == "stop"
        return
    if own and own[-1].leg_symptoms_spread:
        assert decision.action == "regress"
    if decision.action == "progress":
        window = own[-3:]
        assert len(window) == 3
        assert all(meets_pain_rules(s, LIB.rules) for s in window)
        assert all(s.pain_during <= 3 for s in window)
        assert not any(s.leg_symptoms_spread for s in window)


@given(st.text(max_size=300))
def test_folding_is_lossless_and_within_75_octets(value: str) -> None:
    value = value.replace("\r", "").replace("\n", "")
    line = "DESCRIPTION:" + value
    physical = fold_line(line).split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in physical)
    assert physical[0] + "".join(p[1:] for p in physical[1:]) == line


@given(
    st.sampled_from(
        [
            "systemic.fever",
            "history.cancer",
            "trauma.major",
            "vascular.known_aaa",
            "systemic.weight_loss",
            "pain.night",
        ]
    )
)
def test_a_serious_flag_with_pain_questions_half_answered_never_gets_loading(code: str) -> None:
    """Review finding S1/S6: 'no' to the noise-pain questions must not unlock loading work."""
    from crepitus.workflows import make_plan_from_findings

    _, plan = make_plan_from_findings(
        {code: True, "pain.with_sound": False, "pain.persistent": False, "pain.sharp": False}
    )
    assert not any(e.loading for e in plan.exercises)
