"""The repository round-trips every domain object unchanged, on every backend."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from crepitus.diary.types import (
    DiaryContents,
    Episode,
    RecordingAnalysis,
    StoredAssessment,
    StoredExerciseSession,
    new_id,
)
from crepitus.domain import Disposition
from crepitus.errors import StorageError
from crepitus.plan.types import ExerciseSession
from crepitus.storage.repository import KNOWN_REVISIONS, SqlDiaryRepository
from crepitus.storage.settings import StorageSettings
from crepitus.storage.tables import HEAD_REVISION

CET = timezone(timedelta(hours=1))


def _episode(day: int, *, pain: int = 2, sound: str = "pop", **kw: object) -> Episode:
    return Episode(
        id=new_id("ep"),
        when=datetime(2026, 11, day, 8, 30, tzinfo=CET),
        sound=sound,
        pain=pain,
        activity=str(kw.get("activity", "walking")),
        note=str(kw.get("note", "")),
        findings=dict(kw.get("findings", {})),  # type: ignore[call-overload]
        logged_at=datetime(2026, 11, day, 9, 0, 0, 123456, tzinfo=UTC),
    )


def _session(day: int) -> StoredExerciseSession:
    return StoredExerciseSession(
        id=new_id("ex"),
        session=ExerciseSession(
            exercise_id="bird_dog",
            done_on=date(2026, 11, day),
            sets=3,
            reps=6,
            hold_s=10.0,
            pain_during=1,
            pain_next_morning=2,
            baseline_pain=1,
            leg_symptoms_spread=day % 2 == 0,
        ),
        logged_at=datetime(2026, 11, day, 19, 0, tzinfo=UTC),
    )


def _assessment(day: int, disposition: Disposition = Disposition.SELF_CARE) -> StoredAssessment:
    return StoredAssessment(
        id=new_id("as"),
        recorded_at=datetime(2026, 11, day, 12, 0, tzinfo=UTC),
        disposition=disposition,
        red_flags=("neuro.saddle_numbness",) if disposition == Disposition.EMERGENCY else (),
        findings={"sound.pop": True, "age": 44},
        document={"schema": "crepitus.assessment/1", "disposition": disposition.code},
    )


def _recording(day: int) -> RecordingAnalysis:
    return RecordingAnalysis(
        id=new_id("rec"),
        recorded_at=datetime(2026, 11, day, 10, 0, tzinfo=UTC),
        kind="audio",
        file_name="walk.m4a",
        duration_s=31.2,
        analysis={"schema": "crepitus.sounds/1", "events": [{"onset_s": 4.2, "kind": "pop"}]},
        sha256="ab" * 32,
        note="evening walk",
    )


def test_new_database_is_at_head_revision(settings: StorageSettings) -> None:
    with SqlDiaryRepository(settings) as repo:
        assert repo.current_revision() == HEAD_REVISION == KNOWN_REVISIONS[-1]
        assert repo.count() == 0


def test_sqlite_runs_in_wal_mode_with_full_sync(tmp_path: Path) -> None:
    path = tmp_path / "wal.sqlite3"
    settings = StorageSettings(url=f"sqlite:///{path}", sqlite_path=path)
    with SqlDiaryRepository(settings) as repo, repo.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def test_episode_round_trip_keeps_local_time_and_findings(settings: StorageSettings) -> None:
    episode = _episode(3, findings={"neuro.leg_numbness_tingling": True}, note="ünïcode ✓")
    with SqlDiaryRepository(settings) as repo:
        repo.add_episode(episode)
    with SqlDiaryRepository(settings) as repo:  # a fresh connection reads from disk
        (back,) = repo.list_episodes()
    assert back == episode
    assert back.when.utcoffset() == timedelta(hours=1)
    assert back.to_json()["when"] == "2026-11-03T08:30:00+01:00"


def test_episodes_come_back_in_time_order_and_filter(settings: StorageSettings) -> None:
    days = [9, 2, 5, 7]
    with SqlDiaryRepository(settings) as repo:
        for d in days:
            repo.add_episode(_episode(d))
        listed = repo.list_episodes()
        assert [e.when.day for e in listed] == sorted(days)
        since = datetime(2026, 11, 5, tzinfo=CET)
        until = datetime(2026, 11, 9, tzinfo=CET)
        assert [e.when.day for e in repo.list_episodes(since=since, until=until)] == [5, 7]


def test_other_kinds_round_trip(settings: StorageSettings) -> None:
    sessions = [_session(4), _session(3)]
    assessments = [_assessment(1), _assessment(6, Disposition.EMERGENCY)]
    recording = _recording(2)
    with SqlDiaryRepository(settings) as repo:
        for s in sessions:
            repo.add_exercise_session(s)
        for a in assessments:
            repo.add_assessment(a)
        repo.add_recording(recording)
        assert repo.list_exercise_sessions() == sorted(sessions, key=lambda s: s.session.done_on)
        assert repo.list_exercise_sessions(since=date(2026, 11, 4)) == [sessions[0]]
        assert repo.list_assessments() == assessments
        assert repo.latest_assessment() == assessments[1]
        assert repo.list_recordings() == [recording]
        assert repo.count() == 5


def test_latest_assessment_of_an_empty_diary_is_none(settings: StorageSettings) -> None:
    with SqlDiaryRepository(settings) as repo:
        assert repo.latest_assessment() is None


def test_duplicate_id_is_a_storage_error(settings: StorageSettings) -> None:
    episode = _episode(3)
    with SqlDiaryRepository(settings) as repo:
        repo.add_episode(episode)
        with pytest.raises(StorageError, match="already exist"):
            repo.add_episode(episode)
        assert repo.count() == 1


def test_restore_into_an_empty_database_keeps_ids(
    settings: StorageSettings, tmp_path: object
) -> None:
    contents = DiaryContents(
        episodes=(_episode(2), _episode(5, sound="grind", pain=6)),
        exercise_sessions=(_session(3),),
        assessments=(_assessment(1),),
        recordings=(_recording(4),),
    )
    with SqlDiaryRepository(settings) as repo:
        repo.restore(contents)
        assert repo.contents() == contents
        with pytest.raises(StorageError, match="not empty"):
            repo.restore(contents)
        assert repo.count() == len(contents)


def test_a_database_from_a_newer_release_is_refused(settings: StorageSettings) -> None:
    import sqlalchemy as sa

    with SqlDiaryRepository(settings) as repo, repo.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StorageError, match="newer crepitus"):
        SqlDiaryRepository(settings)


def test_update_exercise_session(settings: StorageSettings) -> None:
    import dataclasses

    stored = _session(3)
    with SqlDiaryRepository(settings) as repo:
        repo.add_exercise_session(stored)
        changed = dataclasses.replace(
            stored, session=dataclasses.replace(stored.session, pain_next_morning=5)
        )
        repo.update_exercise_session(changed)
        assert repo.list_exercise_sessions() == [changed]
        with pytest.raises(StorageError, match="not in the diary"):
            repo.update_exercise_session(dataclasses.replace(changed, id="ex-missing"))
