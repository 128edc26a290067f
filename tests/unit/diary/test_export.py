"""CSV/JSON exports and backups."""

from __future__ import annotations

import csv
import io
import json
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from crepitus.diary.export import (
    BACKUP_SCHEMA,
    CSV_COLUMNS,
    backup_document,
    diary_csv,
    diary_document,
    export_bytes,
    parse_backup,
    read_backup,
    write_private_file,
)
from crepitus.diary.types import (
    DiaryContents,
    Episode,
    RecordingAnalysis,
    StoredAssessment,
    StoredExerciseSession,
)
from crepitus.domain import Disposition
from crepitus.errors import InvalidInputError
from crepitus.plan.types import ExerciseSession

T = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def contents() -> DiaryContents:
    return DiaryContents(
        episodes=(
            Episode(id="ep-1", when=T, sound="pop", pain=1, activity="walking", logged_at=T),
            Episode(
                id="ep-2",
                when=T.replace(day=22),
                sound="none",
                pain=5,
                note='=HYPERLINK("http://x")',
                findings={"neuro.leg_numbness_tingling": True},
                logged_at=T,
            ),
        ),
        exercise_sessions=(
            StoredExerciseSession(
                id="ex-1",
                session=ExerciseSession("plank", date(2026, 11, 21), sets=3, hold_s=10.0),
                logged_at=T,
            ),
        ),
        assessments=(
            StoredAssessment(
                id="as-1",
                recorded_at=T,
                disposition=Disposition.ROUTINE,
                red_flags=(),
                findings={"sound.grind": True},
                document={"schema": "crepitus.assessment/1"},
            ),
        ),
        recordings=(
            RecordingAnalysis(
                id="rec-1",
                recorded_at=T,
                kind="audio",
                file_name="a.wav",
                duration_s=3.0,
                analysis={"events": []},
            ),
        ),
    )


def test_csv_rows_in_time_order_with_a_kind_column() -> None:
    rows = list(csv.DictReader(io.StringIO(diary_csv(contents()))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [(r["kind"], r["id"]) for r in rows] == [
        ("episode", "ep-1"),
        ("exercise", "ex-1"),
        ("episode", "ep-2"),
    ]
    assert rows[2]["symptoms"] == "neuro.leg_numbness_tingling"
    assert rows[1]["exercise_id"] == "plank"
    assert rows[1]["hold_s"] == "10.0"


def test_csv_defuses_spreadsheet_formulas() -> None:
    rows = list(csv.DictReader(io.StringIO(diary_csv(contents()))))
    assert rows[2]["note"].startswith("'=")


def test_json_export_is_the_diary_document_plus_the_rest() -> None:
    doc = json.loads(export_bytes(contents(), fmt="json"))
    assert doc["schema"] == "crepitus.diary/1"
    assert [e["id"] for e in doc["entries"]] == ["ep-1", "ep-2"]
    assert doc["exercise_sessions"][0]["exercise_id"] == "plank"
    assert set(diary_document(contents(), everything=False)) == {"schema", "entries"}


def test_backup_round_trips_exactly() -> None:
    doc = json.loads(export_bytes(contents(), fmt="backup"))
    assert doc["schema"] == BACKUP_SCHEMA
    assert parse_backup(doc) == contents()


def test_backup_rejects_other_documents_and_duplicate_ids() -> None:
    with pytest.raises(InvalidInputError, match="not a crepitus backup"):
        parse_backup({"schema": "crepitus.diary/1"})
    with pytest.raises(InvalidInputError, match="not a crepitus backup"):
        parse_backup([1, 2])
    doc = backup_document(contents())
    doc["episodes"].append(dict(doc["episodes"][0]))
    with pytest.raises(InvalidInputError, match="same id"):
        parse_backup(doc)
    doc = backup_document(contents())
    doc["episodes"][0]["pain"] = 12
    with pytest.raises(InvalidInputError):
        parse_backup(doc)


def test_read_backup_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="not found"):
        read_backup(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="not valid JSON"):
        read_backup(bad)


def test_private_files_are_0600_and_written_whole(tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)
    write_private_file(out, b"new content")
    assert out.read_bytes() == b"new content"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]  # no temp file left
    with pytest.raises(InvalidInputError, match="does not exist"):
        write_private_file(tmp_path / "nope" / "x.csv", b"")


def test_unknown_format() -> None:
    with pytest.raises(InvalidInputError, match="csv, json or backup"):
        export_bytes(contents(), fmt="xlsx")
