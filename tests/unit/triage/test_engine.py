"""Engine behaviour: most urgent wins, exceptions only when established, IFOMPT concern."""

from __future__ import annotations

import pytest

from crepitus import assess
from crepitus.domain import Disposition
from crepitus.knowledge.texts import load_texts
from crepitus.triage import open_questions, triage


def level(findings: dict[str, object]) -> str:
    return assess(findings).disposition.code


def test_most_urgent_rule_wins() -> None:
    r = triage({"sound.grind": True, "pain.with_sound": True, "neuro.bladder_change": True})
    assert r.disposition is Disposition.EMERGENCY
    assert r.reasons[0].rule == "ces.bladder"
    assert {"ces.bladder", "seed.grinding"} <= {x.rule for x in r.reasons}


def test_exception_applies_only_when_established() -> None:
    # Both legs, duration unknown: the long-standing exception is not established.
    assert level({"neuro.both_legs": True}) == "emergency"
    # Long-standing but worsening not answered: still emergency (unknown never reassures).
    assert level({"neuro.both_legs": True, "pain.weeks": 20}) == "emergency"
    stable = {
        "neuro.both_legs": True,
        "pain.weeks": 20,
        "pain.worsening": False,
        "neuro.leg_weakness": False,
    }
    assert level(stable) == "soon"
    assert level({**stable, "neuro.leg_weakness": True}) == "emergency"
    # Weakness not asked: "not progressing" is no proof that there is no weakness.
    no_weakness_answer = {k: v for k, v in stable.items() if k != "neuro.leg_weakness"}
    assert level({**no_weakness_answer, "neuro.weakness_progressing": False}) == "emergency"
    # Old back pain, but the legs went numb this week: new bilateral symptoms.
    assert level({**stable, "neuro.leg_weeks": 0}) == "emergency"
    assert level({**stable, "neuro.leg_weeks": 30}) == "soon"


def test_two_independent_soon_flags_raise_concern() -> None:
    r = triage({"systemic.weight_loss": True, "pain.night": True})
    assert r.disposition is Disposition.URGENT
    assert r.concern_raised
    assert r.reasons[0].rule == "ifompt.level-of-concern"


def test_one_finding_firing_two_rules_is_one_flag() -> None:
    # Steroids + minor trauma fire the steroid rule and the fragility rule, both on steroids.
    r = triage({"history.steroids": True, "trauma.minor": True, "pain.with_sound": True})
    assert r.disposition is Disposition.SOON
    assert not r.concern_raised


def test_red_flags_are_the_findings_that_escalated() -> None:
    a = assess({"history.cancer": True, "neuro.leg_weakness": True, "sound.pop": True})
    assert a.disposition is Disposition.EMERGENCY
    assert {"history.cancer", "neuro.leg_weakness"} <= set(a.red_flags)
    assert "sound.pop" not in a.red_flags


def test_noise_alone_never_escalates() -> None:
    for sound in ("sound.pop", "sound.snap", "sound.every_step", "sound.relief"):
        assert level({sound: True, "pain.with_sound": False}) == "self_care"


def test_open_questions_say_what_one_yes_would_do() -> None:
    qs = {q.code: q.would_be for q in open_questions({"sound.pop": True})}
    assert qs["neuro.saddle_numbness"] is Disposition.EMERGENCY
    assert qs["systemic.fever"] is Disposition.URGENT
    assert qs["systemic.weight_loss"] is Disposition.SOON
    assert "sound.relief" not in qs  # cannot change urgency


def test_open_questions_are_ordered_most_urgent_first() -> None:
    levels = [q.would_be for q in assess({}).unknown]
    assert levels == sorted(levels, reverse=True)
    assert len(levels) > 20


def test_answered_screen_leaves_no_open_question() -> None:
    a = assess({"neuro.saddle_numbness": True})
    assert a.unknown == ()


def test_self_care_with_open_red_flags_does_not_reassure() -> None:
    a = assess({"sound.pop": True, "pain.with_sound": False})
    assert a.disposition is Disposition.SELF_CARE
    assert "cannot rule those problems out" in a.advice
    assert "assumes you do not have them" not in a.advice
    assert any(r.rule == "triage.screen-incomplete" for r in a.reasons)


def test_painless_noise_answers_do_not_excuse_serious_flags() -> None:
    # "No" to the three pain-with-the-noise questions says the noise does not hurt — not
    # that the back does not (review finding S1).
    noise_painless = {"pain.with_sound": False, "pain.persistent": False, "pain.sharp": False}
    for flag, at_least in (
        ("systemic.fever", "urgent"),
        ("history.cancer", "urgent"),
        ("trauma.major", "emergency"),
        ("vascular.known_aaa", "emergency"),
    ):
        got = assess({flag: True, **noise_painless, "pain.weeks": 2}).disposition
        assert got.code == at_least, flag
        got = assess({flag: True, **noise_painless}).disposition
        assert got.code == at_least, flag


def test_no_warning_signs_notice_only_when_none_was_answered_yes(
    screen_all_no: dict[str, bool],
) -> None:
    a = assess({**screen_all_no, "history.cancer": True, "pain.score": 0, "sound.pop": True})
    assert a.disposition is Disposition.SELF_CARE
    assert not any(r.rule == "triage.no-warning-signs" for r in a.reasons)
    b = assess({**screen_all_no, "pain.score": 0, "sound.pop": True})
    assert b.screen_complete
    assert any(r.rule == "triage.no-warning-signs" for r in b.reasons)
    assert b.headline == load_texts().dispositions[Disposition.SELF_CARE].headline


@pytest.mark.parametrize(
    "findings", [{}, {"sound.pop": True, "pain.with_sound": False, "history.cancer": False}]
)
def test_an_open_screen_never_says_harmless(findings: dict[str, object]) -> None:
    # Review P1-1: with the warning-sign questions unanswered, nothing was "reported" —
    # neither the banner nor the reasons may say the noise is harmless.
    a = assess(findings)
    assert a.disposition is Disposition.SELF_CARE and not a.screen_complete
    assert not any(r.rule == "triage.no-warning-signs" for r in a.reasons)
    assert "harmless" not in a.headline
    assert a.headline == load_texts().screen_incomplete.headline
    assert a.advice.startswith(load_texts().screen_incomplete.text)
    doc = a.to_json()
    assert doc["screen_complete"] is False and doc["headline"] == a.headline


def _screen_questions() -> list[str]:
    from crepitus.findings import load_vocabulary

    return list(load_vocabulary().screen_questions)


@pytest.mark.parametrize("code", _screen_questions())
def test_every_single_warning_sign_yes_on_a_complete_screen_is_assessed_and_named(
    code: str, screen_all_no: dict[str, bool]
) -> None:
    # Review 2, P1-1: osteoporosis alone (no rule fires) crashed with "needs at least one
    # reason"; every "yes" must give an assessment whose reasons name it (docs/safety.md H19).
    a = assess({**screen_all_no, code: True, "pain.score": 3, "pain.weeks": 3})
    assert any(code in r.findings for r in a.reasons), code
    assert not any(r.rule == "triage.no-warning-signs" for r in a.reasons)


@pytest.mark.parametrize("code", ["systemic.weight_loss", "neuro.leg_weakness", "local.deformity"])
def test_an_unanswered_soon_level_question_keeps_the_screen_open(
    code: str, screen_all_no: dict[str, bool]
) -> None:
    # Review 2, P1-2: questions whose "yes" means "see a GP within two weeks" count too.
    findings = {k: v for k, v in screen_all_no.items() if k != code}
    a = assess({**findings, "sound.pop": True, "pain.with_sound": False, "pain.score": 0})
    assert not a.screen_complete
    assert "harmless" not in a.headline
    assert not any(r.rule == "triage.no-warning-signs" for r in a.reasons)
    plan = a.plan
    assert plan is not None
    assert not {"plank", "side_plank", "bird_dog"} & {e["id"] for e in plan["exercises"]}


@pytest.mark.parametrize("left_out", _screen_questions())
def test_an_open_answer_that_could_make_it_urgent_is_always_listed(
    left_out: str, screen_all_no: dict[str, bool]
) -> None:
    # Review 2, P2-3: with one warning-sign question left out, the screen is "not finished";
    # if that is because an answer could still make it urgent, a question saying so must be
    # on the list — also when it takes two answers together (fever *and* a red, warm spot).
    from crepitus.questionnaire.flow import not_applicable

    findings = {k: v for k, v in screen_all_no.items() if k != left_out}
    a = assess({**findings, "sound.pop": True, "pain.with_sound": False, "pain.score": 0})
    if a.screen_complete:  # a pain follow-up is never asked with 0/10 pain
        assert left_out in not_applicable(a.findings)
    elif triage(a.findings).serious_unknown:
        assert any(q.would_be >= Disposition.URGENT for q in a.unknown), left_out


def test_a_rule_needing_two_open_answers_lists_both_with_each_other(
    screen_all_no: dict[str, bool],
) -> None:
    findings = {k: v for k, v in screen_all_no.items() if k != "systemic.fever"}
    a = assess({**findings, "sound.pop": True, "pain.with_sound": False, "pain.score": 0})
    by_code = {q.code: q for q in a.unknown}
    fever, spot = by_code["systemic.fever"], by_code["local.inflammation"]
    assert fever.would_be is Disposition.URGENT and fever.together_with == ("local.inflammation",)
    assert spot.together_with == ("systemic.fever",)
    listed = {q["code"]: q["together_with"] for q in a.to_json()["unknown"]}
    assert listed["systemic.fever"] == ["local.inflammation"]
    # With the red spot answered "no", fever alone (no back pain) changes nothing: not listed.
    b = assess({**findings, "local.inflammation": False, "pain.score": 0, "sound.pop": True})
    assert "systemic.fever" not in {q.code for q in b.unknown}


def test_complete_screen_and_open_urgent_questions_never_contradict(
    screen_all_no: dict[str, bool],
) -> None:
    # Review 2, P2-4: past cancer with 0/10 pain was "complete" and "harmless" while "sharp pain
    # when you move?" was listed as "(if yes: urgent)". The screen stays open until answered,
    # and the cancer "yes" is named among the reasons.
    a = assess({**screen_all_no, "history.cancer": True, "pain.score": 0, "sound.pop": True})
    assert not a.screen_complete
    assert any(q.would_be >= Disposition.URGENT for q in a.unknown)
    assert "harmless" not in a.headline
    assert any("history.cancer" in r.findings for r in a.reasons)
    answered = {q.code: False for q in a.unknown if q.code != "age"}
    b = assess({**screen_all_no, **answered, "age": 40, "history.cancer": True, "pain.score": 0})
    assert b.screen_complete and not any(q.would_be >= Disposition.URGENT for q in b.unknown)


def test_undetermined_after_a_description_does_not_ask_for_a_description() -> None:
    # Review 2, P3-10: "my back cracks every step" was told "describing the sound would help".
    def undetermined_text(findings: dict[str, object]) -> str:
        a = assess(findings)
        assert a.mechanisms[0][0] == "undetermined"
        return next(r.text for r in a.reasons if r.rule == "mech.undetermined")

    assert "describing the sound" in undetermined_text({})
    described = undetermined_text({"sound.pop": True, "sound.every_step": True})
    assert "describing" not in described and "crepitus listen" in described
