"""Diary workflows against an in-memory repository."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from crepitus.diary import service
from crepitus.errors import InvalidInputError


def test_log_episode_validates_and_stores(repo: Any) -> None:
    when = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    episode = service.log_episode(
        repo,
        sound="grind",
        pain=4,
        when=when,
        activity="  stairs ",
        symptoms={"neuro.leg_numbness_tingling": True},
    )
    assert episode.id.startswith("ep-")
    assert episode.activity == "stairs"
    assert service.list_entries(repo) == [episode]


def test_log_episode_defaults_to_now_in_local_time(repo: Any) -> None:
    before = datetime.now(UTC)
    episode = service.log_episode(repo, sound="pop", pain=0)
    assert episode.when.tzinfo is not None
    assert before - timedelta(seconds=1) <= episode.when <= datetime.now(UTC)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sound": "pop", "pain": 11}, "0 \\(none\\) to 10"),
        ({"sound": "clunk", "pain": 1}, "sound must be one of"),
        ({"sound": "pop", "pain": 1, "symptoms": {"neuro.tingles": True}}, "unknown finding"),
        ({"sound": "pop", "pain": 1, "symptoms": {"age": True}}, "age"),
    ],
)
def test_log_episode_refuses_bad_input(repo: Any, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        service.log_episode(repo, **kwargs)
    assert repo.episodes == []


def test_log_exercise_session(repo: Any) -> None:
    stored = service.log_exercise_session(
        repo,
        exercise_id="bird_dog",
        pain_during=2,
        sets=3,
        reps=6,
        hold_s=10.0,
        done_on=date(2026, 11, 20),
    )
    assert stored.id.startswith("ex-")
    assert repo.list_exercise_sessions() == [stored]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"exercise_id": "handstand", "pain_during": 1}, "unknown exercise"),
        ({"exercise_id": "plank", "pain_during": 12}, "--pain-during"),
        ({"exercise_id": "plank", "pain_during": 1, "sets": 0}, "sets"),
        ({"exercise_id": "plank", "pain_during": 1, "baseline_pain": -1}, "--baseline-pain"),
        ({"exercise_id": "plank", "pain_during": 1, "done_on": date(2099, 1, 1)}, "future"),
    ],
)
def test_log_exercise_session_refuses_bad_input(
    repo: Any, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        service.log_exercise_session(repo, **kwargs)
    assert repo.sessions == []


def test_record_recording_and_weekly_summary(repo: Any) -> None:
    rec = service.record_recording(
        repo, kind="audio", file_name="walk.wav", analysis={"events": []}, duration_s=12.0
    )
    assert repo.list_recordings() == [rec]
    today = date(2026, 11, 25)
    service.log_episode(repo, sound="pop", pain=3, when=datetime(2026, 11, 24, 9, tzinfo=UTC))
    (week,) = service.weekly_summary(repo, today=today)
    assert week.episodes == 1
    assert week.pain_mean == 3


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"schema": "crepitus.findings/1"}, "not an assessment"),
        ({"schema": "crepitus.assessment/1", "disposition": "whenever"}, "unknown disposition"),
        (
            {"schema": "crepitus.assessment/1", "disposition": "soon", "red_flags": "x"},
            "red_flags",
        ),
        (
            {"schema": "crepitus.assessment/1", "disposition": "soon", "findings": {"nope": 1}},
            "unknown finding",
        ),
    ],
)
def test_assessment_documents_are_validated(repo: Any, doc: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        service.record_assessment_document(repo, doc)
    assert repo.assessments == []


def test_assessment_document_is_kept_whole(repo: Any) -> None:
    doc = {
        "schema": "crepitus.assessment/1",
        "disposition": "routine",
        "red_flags": [],
        "findings": {"sound.grind": True, "age": 58},
        "advice": "see a physiotherapist if it continues",
    }
    stored = service.record_assessment_document(repo, doc)
    assert repo.latest_assessment() == stored
    assert stored.document == doc
    assert dict(stored.findings) == {"sound.grind": True, "age": 58}


def test_next_morning_pain_completes_the_session(repo: Any) -> None:
    day = date(2026, 11, 20)
    first = service.log_exercise_session(repo, exercise_id="plank", pain_during=1, done_on=day)
    other = service.log_exercise_session(repo, exercise_id="bird_dog", pain_during=0, done_on=day)
    (updated,) = service.add_next_morning_pain(
        repo, exercise_id="plank", pain_next_morning=3, done_on=day
    )
    assert updated.id == first.id
    assert updated.session.pain_next_morning == 3
    assert repo.list_exercise_sessions() == [updated, other]
    with pytest.raises(InvalidInputError, match="no plank session"):
        service.add_next_morning_pain(
            repo, exercise_id="plank", pain_next_morning=3, done_on=date(2026, 11, 21)
        )
    with pytest.raises(InvalidInputError, match="--pain-next-morning"):
        service.add_next_morning_pain(repo, exercise_id="plank", pain_next_morning=11)
