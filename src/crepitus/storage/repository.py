"""The diary repository: domain objects in, domain objects out; SQLAlchemy stays in here.

:class:`DiaryRepository` is the interface the diary service codes against;
:class:`SqlDiaryRepository` implements it on SQLite (default) or PostgreSQL.

Reliability choices, each tested in ``tests/integration/storage``:

* **Every write is its own committed transaction** before the call returns, so
  an id the CLI has printed is on disk; a ``kill -9`` can lose at most the
  entry being written, never one already reported.
* **SQLite** runs in WAL mode (readers never block the writer, and a crash
  mid-write leaves the previous state intact; SQLite docs, "Write-Ahead
  Logging"), ``synchronous=FULL`` (a committed entry survives power loss too;
  the diary writes a few rows a day, so the fsync costs nothing that matters),
  and writes start with ``BEGIN IMMEDIATE`` so concurrent writers queue on the
  busy timeout instead of failing with a lock-upgrade deadlock.
* **Migrations run on open**, inside one transaction holding the write lock
  (SQLite) or an advisory lock (PostgreSQL), so two first starts at once cannot
  both create tables and an interrupted upgrade rolls back.
* **Every database failure** (locked, read-only, damaged, unreachable, newer
  schema) becomes one :class:`~crepitus.errors.StorageError` line saying what
  and what to do; the CLI turns it into exit code 4.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self

import sqlalchemy as sa
from sqlalchemy import event, exc

from crepitus.diary.types import (
    DiaryContents,
    Episode,
    RecordingAnalysis,
    StoredAssessment,
    StoredExerciseSession,
    fixed_offset,
)
from crepitus.domain import Disposition
from crepitus.errors import StorageError
from crepitus.plan.types import ExerciseSession
from crepitus.storage import tables as t
from crepitus.storage.settings import StorageSettings, resolve_settings

KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002")
"""Every revision this release can upgrade from (oldest first); ``[-1]`` is head."""

_PG_MIGRATION_LOCK = 0x63726570  # "crep": the advisory-lock key serialising upgrades
_WRITE = {"crepitus_write": True}


class DiaryRepository(Protocol):
    """What the diary service needs from storage; implementations own all I/O."""

    @property
    def location(self) -> str:
        """Where the diary lives, safe to show (no password)."""
        ...

    def add_episode(self, episode: Episode) -> None: ...

    def list_episodes(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[Episode]: ...

    def add_exercise_session(self, stored: StoredExerciseSession) -> None: ...

    def update_exercise_session(self, stored: StoredExerciseSession) -> None: ...

    def list_exercise_sessions(
        self, *, since: date | None = None
    ) -> list[StoredExerciseSession]: ...

    def add_assessment(self, stored: StoredAssessment) -> None: ...

    def list_assessments(self) -> list[StoredAssessment]: ...

    def latest_assessment(self) -> StoredAssessment | None: ...

    def add_recording(self, recording: RecordingAnalysis) -> None: ...

    def list_recordings(self) -> list[RecordingAnalysis]: ...

    def contents(self) -> DiaryContents: ...

    def restore(self, contents: DiaryContents) -> None: ...

    def close(self) -> None: ...


# --------------------------------------------------------------------------- errors


def _first_line(error: BaseException) -> str:
    orig = getattr(error, "orig", None) or error
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


def storage_error_for(
    error: BaseException, *, location: str, doing: str, timeout_s: float
) -> StorageError:
    """Translate a driver error into one line that says what happened and what to do."""
    detail = _first_line(error)
    low = detail.lower()
    if "locked" in low or "busy" in low:
        return StorageError(
            f"the diary database {location} is locked by another program (waited "
            f"{timeout_s:g} s while {doing}); close other programs using it and try again"
        )
    if "readonly" in low or "read-only" in low or "read only" in low:
        return StorageError(
            f"the diary database {location} is read-only, so {doing} failed; make it writable "
            "(chmod u+w) or set CREPITUS_DATABASE_URL to a writable copy"
        )
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return StorageError(
            f"the diary database {location} is damaged or not a crepitus diary; move it "
            "aside and restore a backup with `crepitus export --restore FILE`"
        )
    if "disk i/o" in low or "disk is full" in low or "no space" in low:
        return StorageError(
            f"the disk holding the diary database {location} failed or is full ({detail}); "
            "free some space and try again"
        )
    if "unable to open" in low:
        return StorageError(
            f"cannot open the diary database {location}; check that its folder exists "
            "and is writable"
        )
    if any(
        word in low
        for word in ("connection", "could not", "timeout", "authentication", "does not exist")
    ):
        return StorageError(
            f"cannot reach the diary database {location} ({detail}); check "
            "CREPITUS_DATABASE_URL and that the database server is running"
        )
    return StorageError(f"diary database {location}: {doing} failed ({detail})")


# --------------------------------------------------------------------------- files


def _prepare_sqlite_file(path: Path) -> bool:
    """Create the folder (0700) and file (0600) if needed; return True if read-only.

    The file is created here rather than by SQLite so that it is private from
    its first byte.  "Read-only" means either that this process cannot write
    it or that nobody has a write bit set: a diary a person has write-protected
    stays protected even for root, who ignores permission bits.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            with contextlib.suppress(FileExistsError):
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                os.close(fd)
        mode = path.stat().st_mode
    except OSError as error:
        raise StorageError(
            f"cannot create the diary database {path} ({error.strerror}); set CREPITUS_HOME "
            "or CREPITUS_DATABASE_URL to a writable place"
        ) from None
    if stat.S_ISDIR(mode):
        raise StorageError(f"the diary database path {path} is a folder, not a file")
    return not os.access(path, os.W_OK) or not (mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


# --------------------------------------------------------------------------- engine


def _sqlite_engine(settings: StorageSettings, *, read_only: bool) -> sa.Engine:
    path = settings.sqlite_path
    url = settings.url
    if path is not None and read_only:
        url = f"sqlite:///file:{path}?mode=ro&uri=true"
    engine = sa.create_engine(url, connect_args={"timeout": settings.timeout_s})
    timeout_ms = int(settings.timeout_s * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # We issue BEGIN ourselves (below); pysqlite's implicit BEGIN is always DEFERRED.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
            if not read_only and path is not None:
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        write = bool(conn.get_execution_options().get("crepitus_write"))
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _postgres_engine(settings: StorageSettings) -> sa.Engine:
    return sa.create_engine(
        settings.url,
        connect_args={"connect_timeout": max(1, int(settings.timeout_s))},
        pool_pre_ping=False,
    )


# --------------------------------------------------------------------------- rows


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _aware_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _episode_row(episode: Episode) -> dict[str, Any]:
    offset = episode.when.utcoffset()
    assert offset is not None  # Episode guarantees an aware datetime
    return {
        "id": episode.id,
        "when_utc": _naive_utc(episode.when),
        "utc_offset_min": int(offset.total_seconds() // 60),
        "sound": episode.sound,
        "pain": episode.pain,
        "activity": episode.activity,
        "note": episode.note,
        "findings": dict(episode.findings),
        "logged_at": _naive_utc(episode.logged_at),
    }


def _episode_from(row: sa.RowMapping) -> Episode:
    tz = fixed_offset(int(row["utc_offset_min"]))
    return Episode(
        id=row["id"],
        when=_aware_utc(row["when_utc"]).astimezone(tz),
        sound=row["sound"],
        pain=int(row["pain"]),
        activity=row["activity"],
        note=row["note"],
        findings=dict(row["findings"] or {}),
        logged_at=_aware_utc(row["logged_at"]),
    )


def _session_row(stored: StoredExerciseSession) -> dict[str, Any]:
    s = stored.session
    return {
        "id": stored.id,
        "exercise_id": s.exercise_id,
        "done_on": s.done_on,
        "sets": s.sets,
        "reps": s.reps,
        "hold_s": s.hold_s,
        "pain_during": s.pain_during,
        "pain_next_morning": s.pain_next_morning,
        "baseline_pain": s.baseline_pain,
        "leg_symptoms_spread": s.leg_symptoms_spread,
        "logged_at": _naive_utc(stored.logged_at),
    }


def _session_from(row: sa.RowMapping) -> StoredExerciseSession:
    session = ExerciseSession(
        exercise_id=row["exercise_id"],
        done_on=row["done_on"],
        sets=int(row["sets"]),
        reps=row["reps"],
        hold_s=row["hold_s"],
        pain_during=int(row["pain_during"]),
        pain_next_morning=row["pain_next_morning"],
        baseline_pain=row["baseline_pain"],
        leg_symptoms_spread=bool(row["leg_symptoms_spread"]),
    )
    return StoredExerciseSession(
        id=row["id"], session=session, logged_at=_aware_utc(row["logged_at"])
    )


def _assessment_row(stored: StoredAssessment) -> dict[str, Any]:
    return {
        "id": stored.id,
        "recorded_at": _naive_utc(stored.recorded_at),
        "disposition": stored.disposition.code,
        "red_flags": list(stored.red_flags),
        "findings": dict(stored.findings),
        "document": dict(stored.document),
        "source": stored.source,
    }


def _assessment_from(row: sa.RowMapping) -> StoredAssessment:
    return StoredAssessment(
        id=row["id"],
        recorded_at=_aware_utc(row["recorded_at"]),
        disposition=Disposition.parse(row["disposition"]),
        red_flags=tuple(row["red_flags"] or ()),
        findings=dict(row["findings"] or {}),
        document=dict(row["document"] or {}),
        source=row["source"],
    )


def _recording_row(rec: RecordingAnalysis) -> dict[str, Any]:
    return {
        "id": rec.id,
        "recorded_at": _naive_utc(rec.recorded_at),
        "kind": rec.kind,
        "file_name": rec.file_name,
        "sha256": rec.sha256,
        "duration_s": rec.duration_s,
        "analysis": dict(rec.analysis),
        "note": rec.note,
    }


def _recording_from(row: sa.RowMapping) -> RecordingAnalysis:
    return RecordingAnalysis(
        id=row["id"],
        recorded_at=_aware_utc(row["recorded_at"]),
        kind=row["kind"],
        file_name=row["file_name"],
        sha256=row["sha256"],
        duration_s=row["duration_s"],
        analysis=dict(row["analysis"] or {}),
        note=row["note"],
    )


# --------------------------------------------------------------------------- repository


class SqlDiaryRepository:
    """The diary on SQLite or PostgreSQL through SQLAlchemy Core.

    Parameters
    ----------
    settings
        Where the database is (default: :func:`resolve_settings`).
    migrate
        Upgrade the schema to head on open (default).  Tests pass ``False`` to
        inspect an old database; the diary never runs on an old schema.

    Raises
    ------
    StorageError
        If the database cannot be opened, is damaged, locked for longer than
        the timeout, read-only but needs an upgrade, or was written by a newer
        crepitus.
    """

    def __init__(self, settings: StorageSettings | None = None, *, migrate: bool = True) -> None:
        self.settings = settings or resolve_settings()
        self.read_only = False
        if self.settings.is_sqlite:
            if self.settings.sqlite_path is not None:
                self.read_only = _prepare_sqlite_file(self.settings.sqlite_path)
            self.engine = _sqlite_engine(self.settings, read_only=self.read_only)
        else:
            self.engine = _postgres_engine(self.settings)
        if migrate:
            try:
                self._upgrade()
            except BaseException:
                self.engine.dispose()
                raise

    # -- plumbing ---------------------------------------------------------------

    @property
    def location(self) -> str:
        return self.settings.display_url

    @contextlib.contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        try:
            yield
        except StorageError:
            raise
        except exc.IntegrityError as error:
            raise StorageError(
                f"the diary database {self.location} refused the entry while {doing} "
                f"({_first_line(error)}); an entry with this id may already exist"
            ) from None
        except (exc.SQLAlchemyError, sqlite3.Error, OSError) as error:
            raise storage_error_for(
                error, location=self.location, doing=doing, timeout_s=self.settings.timeout_s
            ) from None

    @contextlib.contextmanager
    def _write(self, doing: str) -> Iterator[sa.Connection]:
        """One committed transaction holding the write lock (``BEGIN IMMEDIATE``)."""
        with self._guard(doing), self.engine.connect() as conn:
            conn = conn.execution_options(**_WRITE)
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def _read(self, doing: str) -> Iterator[sa.Connection]:
        with self._guard(doing), self.engine.connect() as conn, conn.begin():
            yield conn

    def current_revision(self) -> str | None:
        """The schema revision stored in the database (``None`` for a new database)."""
        with self._read("reading the schema version") as conn:
            return _stored_revision(conn)

    def _upgrade(self) -> None:
        # The common case (already at head) needs only a read, so opening a diary
        # to list it never waits for, or blocks, a writer.
        current = self.current_revision()
        if current == KNOWN_REVISIONS[-1]:
            return
        if self.read_only:
            raise StorageError(
                f"the diary database {self.location} is read-only and needs a schema "
                "upgrade; make it writable (chmod u+w) and run the command again"
            )
        with self._write("upgrading the diary's schema") as conn:
            if self.settings.is_postgresql:
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK)))
            current = _stored_revision(conn)
            if current == KNOWN_REVISIONS[-1]:
                return
            if current is not None and current not in KNOWN_REVISIONS:
                raise StorageError(
                    f"the diary database {self.location} was written by a newer crepitus "
                    f"(schema {current}); upgrade crepitus to open it"
                )
            run_migrations(conn, "head")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- episodes ------------------------------------------------------------------

    def add_episode(self, episode: Episode) -> None:
        with self._write("saving the entry") as conn:
            conn.execute(sa.insert(t.episodes), [_episode_row(episode)])

    def list_episodes(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[Episode]:
        query = sa.select(t.episodes).order_by(t.episodes.c.when_utc, t.episodes.c.id)
        if since is not None:
            query = query.where(t.episodes.c.when_utc >= _naive_utc(since))
        if until is not None:
            query = query.where(t.episodes.c.when_utc < _naive_utc(until))
        with self._read("reading the diary") as conn:
            return [_episode_from(row) for row in conn.execute(query).mappings()]

    # -- exercise sessions -----------------------------------------------------------

    def add_exercise_session(self, stored: StoredExerciseSession) -> None:
        with self._write("saving the exercise session") as conn:
            conn.execute(sa.insert(t.exercise_sessions), [_session_row(stored)])

    def update_exercise_session(self, stored: StoredExerciseSession) -> None:
        """Replace a stored session (same id), e.g. to add the next morning's pain."""
        row = _session_row(stored)
        with self._write("updating the exercise session") as conn:
            result = conn.execute(
                sa.update(t.exercise_sessions)
                .where(t.exercise_sessions.c.id == stored.id)
                .values({k: v for k, v in row.items() if k != "id"})
            )
            if result.rowcount != 1:
                raise StorageError(
                    f"exercise session {stored.id} is not in the diary {self.location}"
                )

    def list_exercise_sessions(self, *, since: date | None = None) -> list[StoredExerciseSession]:
        c = t.exercise_sessions.c
        query = sa.select(t.exercise_sessions).order_by(c.done_on, c.logged_at, c.id)
        if since is not None:
            query = query.where(c.done_on >= since)
        with self._read("reading exercise sessions") as conn:
            return [_session_from(row) for row in conn.execute(query).mappings()]

    # -- assessments ---------------------------------------------------------------------

    def add_assessment(self, stored: StoredAssessment) -> None:
        with self._write("saving the assessment") as conn:
            conn.execute(sa.insert(t.assessments), [_assessment_row(stored)])

    def list_assessments(self) -> list[StoredAssessment]:
        c = t.assessments.c
        query = sa.select(t.assessments).order_by(c.recorded_at, c.id)
        with self._read("reading assessments") as conn:
            return [_assessment_from(row) for row in conn.execute(query).mappings()]

    def latest_assessment(self) -> StoredAssessment | None:
        c = t.assessments.c
        query = sa.select(t.assessments).order_by(c.recorded_at.desc(), c.id.desc()).limit(1)
        with self._read("reading assessments") as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else _assessment_from(row)

    # -- recordings ------------------------------------------------------------------------

    def add_recording(self, recording: RecordingAnalysis) -> None:
        with self._write("saving the recording analysis") as conn:
            conn.execute(sa.insert(t.recordings), [_recording_row(recording)])

    def list_recordings(self) -> list[RecordingAnalysis]:
        c = t.recordings.c
        query = sa.select(t.recordings).order_by(c.recorded_at, c.id)
        with self._read("reading recordings") as conn:
            return [_recording_from(row) for row in conn.execute(query).mappings()]

    # -- whole diary -----------------------------------------------------------------------

    def contents(self) -> DiaryContents:
        return DiaryContents(
            episodes=tuple(self.list_episodes()),
            exercise_sessions=tuple(self.list_exercise_sessions()),
            assessments=tuple(self.list_assessments()),
            recordings=tuple(self.list_recordings()),
        )

    def count(self) -> int:
        """Number of rows over all diary tables."""
        tables: Sequence[sa.Table] = (t.episodes, t.exercise_sessions, t.assessments, t.recordings)
        with self._read("counting entries") as conn:
            return sum(
                int(conn.execute(sa.select(sa.func.count()).select_from(tab)).scalar_one())
                for tab in tables
            )

    def restore(self, contents: DiaryContents) -> None:
        """Write a backup into this (empty) diary in one transaction, keeping every id.

        Raises
        ------
        StorageError
            If the diary already holds entries (restoring on top would mix two
            diaries; restore into a new database instead).
        """
        with self._write("restoring the backup") as conn:
            for tab in (t.episodes, t.exercise_sessions, t.assessments, t.recordings):
                if conn.execute(sa.select(sa.func.count()).select_from(tab)).scalar_one():
                    raise StorageError(
                        f"the diary database {self.location} is not empty; restore into a new "
                        "database (set CREPITUS_DATABASE_URL or CREPITUS_HOME to a new place)"
                    )
            batches: list[tuple[sa.Table, list[dict[str, Any]]]] = [
                (t.episodes, [_episode_row(e) for e in contents.episodes]),
                (t.exercise_sessions, [_session_row(s) for s in contents.exercise_sessions]),
                (t.assessments, [_assessment_row(a) for a in contents.assessments]),
                (t.recordings, [_recording_row(r) for r in contents.recordings]),
            ]
            for tab, rows in batches:
                if rows:
                    conn.execute(sa.insert(tab), rows)


def _stored_revision(conn: sa.Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    value = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    return None if value is None else str(value)


def migrations_dir() -> Path:
    """The Alembic script folder shipped inside the package."""
    return Path(__file__).with_name("migrations")


def run_migrations(conn: sa.Connection, target: str, *, downgrade: bool = False) -> None:
    """Run Alembic on ``conn`` (inside the caller's transaction) up or down to ``target``.

    Alembic is imported only here: opening an up-to-date diary never loads it.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["connection"] = conn
    if downgrade:
        command.downgrade(config, target)
    else:
        command.upgrade(config, target)


def open_repository(settings: StorageSettings | None = None) -> SqlDiaryRepository:
    """Open (creating and upgrading if needed) the diary the settings point at."""
    return SqlDiaryRepository(settings)
