"""Schema migrations: a diary created by schema 0001 upgrades to head without losing a row."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from crepitus.storage.repository import KNOWN_REVISIONS, SqlDiaryRepository, run_migrations
from crepitus.storage.settings import StorageSettings
from crepitus.storage.tables import HEAD_REVISION, metadata

OLD_EPISODES = [
    # id, when_utc, offset, sound, pain, activity, note
    ("ep-0001", datetime(2026, 10, 1, 7, 30), 120, "pop", 0, "walking", "first one"),
    ("ep-0002", datetime(2026, 10, 3, 18, 5), 60, "grind", 4, "", "stairs; 'quoted'"),
    ("ep-0003", datetime(2026, 10, 9, 6, 0), -300, "none", 7, "running", ""),
]


def _database_at(settings: StorageSettings, revision: str) -> SqlDiaryRepository:
    repo = SqlDiaryRepository(settings, migrate=False)
    with repo._write("test setup") as conn:
        run_migrations(conn, revision)
    return repo


def _fill_0001(repo: SqlDiaryRepository) -> None:
    with repo.engine.begin() as conn:
        for row in OLD_EPISODES:
            conn.execute(
                sa.text(
                    "INSERT INTO episodes (id, when_utc, utc_offset_min, sound, pain, activity, "
                    "note) VALUES (:id, :w, :o, :s, :p, :a, :n)"
                ),
                dict(zip(("id", "w", "o", "s", "p", "a", "n"), row, strict=True)),
            )
        conn.execute(
            sa.text(
                "INSERT INTO assessments (id, recorded_at, disposition, red_flags, findings, "
                "document, source) VALUES ('as-0001', :t, 'routine', '[]', :f, :d, 'assess')"
            ),
            {
                "t": datetime(2026, 10, 2, 12, 0),
                "f": json.dumps({"sound.grind": True}),
                "d": json.dumps({"schema": "crepitus.assessment/1", "disposition": "routine"}),
            },
        )


def test_upgrade_from_0001_keeps_every_entry(settings: StorageSettings) -> None:
    old = _database_at(settings, "0001")
    assert old.current_revision() == "0001"
    _fill_0001(old)
    old.close()

    with SqlDiaryRepository(settings) as repo:  # opening upgrades to head
        assert repo.current_revision() == HEAD_REVISION
        episodes = repo.list_episodes()
        assessments = repo.list_assessments()
        assert repo.list_exercise_sessions() == []
        assert repo.list_recordings() == []

    assert [e.id for e in episodes] == [row[0] for row in OLD_EPISODES]
    for episode, (_, when_utc, offset, sound, pain, activity, note) in zip(
        episodes, OLD_EPISODES, strict=True
    ):
        assert episode.when == when_utc.replace(tzinfo=UTC)
        assert episode.when.utcoffset() == timedelta(minutes=offset)
        assert episode.when.tzinfo == timezone(timedelta(minutes=offset))
        assert (episode.sound, episode.pain, episode.activity, episode.note) == (
            sound,
            pain,
            activity,
            note,
        )
        assert dict(episode.findings) == {}
        assert episode.logged_at == when_utc.replace(tzinfo=UTC)  # back-filled
    (assessment,) = assessments
    assert assessment.id == "as-0001"
    assert assessment.disposition.code == "routine"
    assert dict(assessment.findings) == {"sound.grind": True}


def test_upgraded_table_still_enforces_its_checks(settings: StorageSettings) -> None:
    old = _database_at(settings, "0001")
    _fill_0001(old)
    old.close()
    with SqlDiaryRepository(settings) as repo:
        with pytest.raises(sa.exc.IntegrityError), repo.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO episodes (id, when_utc, utc_offset_min, sound, pain, activity, "
                    "note, findings, logged_at) VALUES ('bad', :w, 0, 'pop', 11, '', '', '{}', :w)"
                ),
                {"w": datetime(2026, 10, 1)},
            )
        assert len(repo.list_episodes()) == len(OLD_EPISODES)


def test_downgrade_and_upgrade_again_keep_episodes(settings: StorageSettings) -> None:
    with SqlDiaryRepository(settings) as repo:
        pass
    old = SqlDiaryRepository(settings, migrate=False)
    with old._write("test") as conn:
        run_migrations(conn, "0001", downgrade=True)
    _fill_0001(old)
    old.close()
    with SqlDiaryRepository(settings) as repo:
        assert [e.id for e in repo.list_episodes()] == [r[0] for r in OLD_EPISODES]


def test_head_schema_matches_the_table_definitions(settings: StorageSettings) -> None:
    """tables.py (used by queries) and the migrations (which build the DB) cannot drift."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with SqlDiaryRepository(settings) as repo, repo.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_known_revisions_match_the_shipped_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from crepitus.storage.repository import migrations_dir

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    script = ScriptDirectory.from_config(config)
    chain = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert chain == list(KNOWN_REVISIONS)
    assert script.get_current_head() == HEAD_REVISION
