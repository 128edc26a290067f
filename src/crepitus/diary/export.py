"""Diary exports: CSV and JSON to read elsewhere, and a full backup that restores exactly.

* **CSV** — one row per episode or exercise session (``kind`` column), for a
  spreadsheet.  Cells that a spreadsheet would run as a formula (starting with
  ``= + - @``, tab or CR) get a leading ``'``, the OWASP "CSV injection"
  defence; CSV is for reading, the backup is for restoring.
* **JSON** — the ``crepitus.diary/1`` document (contracts §7) extended with the
  exercise sessions, assessments and recordings.
* **Backup** — ``crepitus.backup/1``: every row of every table with its id,
  restorable with :func:`restore_backup` into an *empty* database (SQLite or
  PostgreSQL: the ids are made by crepitus, not the database, so they survive).

Files are written atomically (temporary file + rename in the same folder) and
private (mode 0600): a diary is health data.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crepitus import __version__
from crepitus.diary.types import (
    DIARY_SCHEMA,
    DiaryContents,
    Episode,
    RecordingAnalysis,
    StoredAssessment,
    StoredExerciseSession,
    utc_now,
)
from crepitus.errors import InvalidInputError

if TYPE_CHECKING:  # pragma: no cover
    from crepitus.storage.repository import DiaryRepository

BACKUP_SCHEMA = "crepitus.backup/1"
EXPORT_FORMATS: tuple[str, ...] = ("csv", "json", "backup")

CSV_COLUMNS: tuple[str, ...] = (
    "kind",
    "id",
    "when",
    "sound",
    "pain",
    "activity",
    "note",
    "symptoms",
    "exercise_id",
    "sets",
    "reps",
    "hold_s",
    "pain_during",
    "pain_next_morning",
    "baseline_pain",
    "leg_symptoms_spread",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_private_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically with mode 0600.

    Raises
    ------
    InvalidInputError
        If the folder does not exist or cannot be written.
    """
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise InvalidInputError(f"cannot write {path}: folder {folder} does not exist")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InvalidInputError(f"cannot write {path}: {exc.strerror}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:  # mkstemp creates the file 0600
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InvalidInputError(f"cannot write {path}: {exc.strerror}") from None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def diary_csv(contents: DiaryContents) -> str:
    """Episodes and exercise sessions as CSV, oldest first (see module docstring)."""
    rows: list[tuple[str, dict[str, Any]]] = []
    for e in contents.episodes:
        symptoms = " ".join(c for c, v in e.findings.items() if v is True)
        rows.append(
            (
                e.when.isoformat(),
                {
                    "kind": "episode",
                    "id": e.id,
                    "when": e.when.isoformat(timespec="seconds"),
                    "sound": e.sound,
                    "pain": e.pain,
                    "activity": e.activity,
                    "note": e.note,
                    "symptoms": symptoms,
                },
            )
        )
    for s in contents.exercise_sessions:
        doc = s.session.to_json()
        rows.append(
            (
                s.session.done_on.isoformat(),
                {
                    "kind": "exercise",
                    "id": s.id,
                    "when": s.session.done_on.isoformat(),
                    **{k: doc[k] for k in CSV_COLUMNS[8:]},
                },
            )
        )
    rows.sort(key=lambda item: (item[0][:10], item[1]["id"]))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for _, row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in CSV_COLUMNS})
    return buffer.getvalue()


def diary_document(contents: DiaryContents, *, everything: bool = True) -> dict[str, Any]:
    """The ``crepitus.diary/1`` document; with ``everything`` the other kinds too."""
    doc: dict[str, Any] = {
        "schema": DIARY_SCHEMA,
        "entries": [e.to_json() for e in contents.episodes],
    }
    if everything:
        doc["exercise_sessions"] = [s.to_json() for s in contents.exercise_sessions]
        doc["assessments"] = [a.to_json() for a in contents.assessments]
        doc["recordings"] = [r.to_json() for r in contents.recordings]
    return doc


def backup_document(contents: DiaryContents) -> dict[str, Any]:
    """Everything in the diary, ids included: the ``crepitus.backup/1`` document."""
    return {
        "schema": BACKUP_SCHEMA,
        "created_at": utc_now().isoformat(timespec="seconds"),
        "crepitus_version": __version__,
        "episodes": [e.to_json() for e in contents.episodes],
        "exercise_sessions": [s.to_json() for s in contents.exercise_sessions],
        "assessments": [a.to_json() for a in contents.assessments],
        "recordings": [r.to_json() for r in contents.recordings],
    }


def _list(doc: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = doc.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise InvalidInputError(f"backup: {key!r} must be a list of objects")
    return value


def parse_backup(doc: Any) -> DiaryContents:
    """Validate a decoded backup document and return its contents.

    Raises
    ------
    InvalidInputError
        If it is not a ``crepitus.backup/1`` document, an entry is malformed,
        or two entries share an id.
    """
    if not isinstance(doc, Mapping) or doc.get("schema") != BACKUP_SCHEMA:
        found = doc.get("schema") if isinstance(doc, Mapping) else type(doc).__name__
        raise InvalidInputError(
            f"not a crepitus backup (schema {found!r}; expected {BACKUP_SCHEMA!r}); "
            "make one with `crepitus export --format backup --out FILE`"
        )
    contents = DiaryContents(
        episodes=tuple(Episode.from_json(d) for d in _list(doc, "episodes")),
        exercise_sessions=tuple(
            StoredExerciseSession.from_json(d) for d in _list(doc, "exercise_sessions")
        ),
        assessments=tuple(StoredAssessment.from_json(d) for d in _list(doc, "assessments")),
        recordings=tuple(RecordingAnalysis.from_json(d) for d in _list(doc, "recordings")),
    )
    ids = [e.id for e in contents.episodes] + [s.id for s in contents.exercise_sessions]
    ids += [a.id for a in contents.assessments] + [r.id for r in contents.recordings]
    if len(ids) != len(set(ids)):
        raise InvalidInputError("backup: two entries share the same id; the file is damaged")
    return contents


def export_bytes(contents: DiaryContents, *, fmt: str) -> bytes:
    """The diary in ``fmt`` (``csv``, ``json`` or ``backup``) as UTF-8 bytes."""
    if fmt == "csv":
        return diary_csv(contents).encode("utf-8")
    if fmt == "json":
        doc = diary_document(contents)
    elif fmt == "backup":
        doc = backup_document(contents)
    else:
        raise InvalidInputError(f"unknown export format {fmt!r}; use csv, json or backup")
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def export_diary(repo: DiaryRepository, *, fmt: str, out: Path) -> int:
    """Write the diary to ``out`` (atomic, 0600); return the number of entries written."""
    contents = repo.contents()
    write_private_file(out, export_bytes(contents, fmt=fmt))
    return len(contents)


def read_backup(path: Path) -> DiaryContents:
    """Read and validate a backup file (one-line ``InvalidInputError`` on any problem)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInputError(f"backup file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"cannot read backup file {path}: {exc}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"backup file {path} is not valid JSON (line {exc.lineno}: {exc.msg})"
        ) from None
    return parse_backup(doc)


def restore_backup(repo: DiaryRepository, path: Path) -> DiaryContents:
    """Restore a backup file into an empty diary (one transaction; ids preserved).

    Raises
    ------
    InvalidInputError
        If the file is not a valid backup.
    StorageError
        If the diary is not empty or cannot be written.
    """
    contents = read_backup(path)
    repo.restore(contents)
    return contents


def plan_ical(findings: Mapping[str, Any]) -> str:
    """The exercise plan for these findings as iCalendar text (part A's ``plan_to_ical``).

    The diary's export re-assesses the findings of the latest stored assessment
    (or the answers given) so the calendar follows the current rules, then uses
    the plan generator and its iCalendar writer unchanged.
    """
    from crepitus.plan import make_plan, plan_to_ical
    from crepitus.workflows import assess

    return plan_to_ical(make_plan(assess(findings)))
