"""The adaptive questionnaire: never skips the screen, allows not sure, can go back."""

from __future__ import annotations

from crepitus import assess
from crepitus.domain import Disposition
from crepitus.findings import load_vocabulary
from crepitus.knowledge.texts import load_texts
from crepitus.questionnaire import Questionnaire
from crepitus.questionnaire.flow import not_applicable


def run(answer_for: dict[str, object], default: object = False) -> tuple[Questionnaire, list[str]]:
    q = Questionnaire()
    asked: list[str] = []
    while (x := q.next_question()) is not None:
        asked.append(x.id)
        if x.answer_type == "integer":
            q.answer(answer_for.get(x.id, 3))  # type: ignore[arg-type]
        elif x.answer_type == "choice":
            q.answer(answer_for.get(x.id))  # type: ignore[arg-type]
        else:
            q.answer(answer_for.get(x.id, default))  # type: ignore[arg-type]
        assert len(asked) < 200, "questionnaire does not terminate"
    return q, asked


def test_all_no_answers_every_screen_code() -> None:
    q, _ = run({"age": 40})
    answered = set(q.findings)
    screen = set(load_vocabulary().screen_codes)
    # Follow-ups of a "no" (weakness getting worse when there is no weakness) may stay open.
    assert screen - answered <= {"neuro.weakness_progressing", "neuro.leg_weeks"}


def test_not_sure_keeps_a_red_flag_unknown_and_opens_the_gate() -> None:
    q, asked = run({"emergency_nerves": None, "age": 40})
    assert "neuro.saddle_numbness" in asked  # gate "not sure" → each item asked on its own
    assert q.findings.is_false("neuro.saddle_numbness")


def test_not_sure_on_a_single_item_stays_unknown() -> None:
    q, _ = run({"emergency_nerves": True, "neuro.saddle_numbness": None, "age": 40})
    assert "neuro.saddle_numbness" not in q.findings
    assert "neuro.saddle_numbness" in q.unsure


def test_gate_no_answers_the_group_no() -> None:
    q, asked = run({"age": 40})
    assert "neuro.bladder_change" not in asked
    assert q.findings.is_false("neuro.bladder_change")


def test_uninformative_questions_are_skipped() -> None:
    # With a clean pop already described, "relief?" cannot change urgency or the likely cause much.
    _, asked = run({"sound.pop": True, "age": 30})
    assert "sound.relief" not in asked
    assert "neuro.weakness_progressing" not in asked  # follow-up of a "no"


def test_back_undoes_the_last_answer() -> None:
    q = Questionnaire()
    first = q.next_question()
    assert first is not None
    q.answer(True)
    second = q.next_question()
    assert second is not None and second.id != first.id
    assert q.back()
    again = q.next_question()
    assert again is not None and again.id == first.id
    assert first.id not in q.findings
    assert Questionnaire().back() is False


def test_prefilled_answers_are_not_asked_again() -> None:
    q = Questionnaire({"sound.pop": True, "age": 50})
    x = q.next_question()
    assert x is not None and x.id not in {"sound.pop", "age"}


def test_a_full_interview_of_noes_completes_the_screen() -> None:
    # The follow-ups it skips ("is that weakness getting worse?" after "no weakness") must
    # not leave the result "not finished" (review P1-1 fix, docs/safety.md H06).
    q, _ = run({"age": 40})
    a = assess(q.findings)
    assert a.screen_complete
    assert a.headline == load_texts().dispositions[a.disposition].headline
    assert not [u for u in a.unknown if u.code == "neuro.weakness_progressing"]


def test_not_applicable_follow_ups_are_only_skipped_not_assumed() -> None:
    assert "neuro.weakness_progressing" in not_applicable({"neuro.leg_weakness": False})
    assert "neuro.weakness_progressing" not in not_applicable({"neuro.leg_weakness": True})
    assert "neuro.weakness_progressing" not in not_applicable({})
    # answered anyway, the rule still fires
    a = assess({"neuro.leg_weakness": False, "neuro.weakness_progressing": True})
    assert a.disposition >= Disposition.URGENT
