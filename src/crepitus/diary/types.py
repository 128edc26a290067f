"""The diary's value types: episodes, stored exercise sessions, assessments, recordings.

Plain frozen dataclasses with validation and JSON forms, no I/O and no
SQLAlchemy: the storage layer maps them to rows, the CLI to text and JSON.

Ids are made here, not by the database, so that an id can be printed the moment
its row is committed, a backup restores with the same ids on any database, and
two processes writing at once can never collide.  They sort by creation time:
``<prefix>-`` + 10 Crockford base-32 digits of the Unix time in milliseconds +
8 random digits (40 bits), the layout of a ULID (Feldman, ULID spec) shortened
to keep ids typeable; within one millisecond the collision probability of two
ids is 2⁻⁴⁰.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from types import MappingProxyType
from typing import Any, Literal, get_args

from crepitus.domain import Assessment, Disposition
from crepitus.errors import InvalidInputError
from crepitus.plan.types import ExerciseSession

DIARY_SCHEMA = "crepitus.diary/1"

Sound = Literal["pop", "snap", "grind", "none"]
SOUNDS: tuple[str, ...] = get_args(Sound)
"""The sound kinds a person can log (contracts §7); ``none`` = a pain-only entry."""

JOINT_SOUNDS: frozenset[str] = frozenset({"pop", "snap", "grind"})

RecordingKind = Literal["audio", "motion", "audio+motion"]
RECORDING_KINDS: tuple[str, ...] = get_args(RecordingKind)

PAIN_MIN, PAIN_MAX = 0, 10
"""The 0–10 numeric pain rating scale (NPRS; research/clinical.md §5.1)."""

MAX_TEXT_CHARS = 2000
"""Activity and note length limit: a diary line, not a document."""

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


def new_id(prefix: str, *, now_ms: int | None = None) -> str:
    """A new time-sortable id such as ``ep-01jf3k9x2m4q7r8sab``."""
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    stamp = "".join(_CROCKFORD[(ms >> (5 * i)) & 31] for i in reversed(range(10)))
    rand = secrets.randbits(40)
    tail = "".join(_CROCKFORD[(rand >> (5 * i)) & 31] for i in reversed(range(8)))
    return f"{prefix}-{stamp}{tail}"


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def parse_when(
    text: str, *, now: datetime | None = None, name: str = "--when", allow_future: bool = False
) -> datetime:
    """Parse an ISO-8601 date or date-time given by a person.

    A time without an offset is local time (the person's clock); a date alone
    means midnight local time.  More than a day in the future is refused: it is
    almost always a typo (``2062`` for ``2026``) that would corrupt the weekly
    trends.

    Raises
    ------
    InvalidInputError
        If the text is not ISO-8601 or lies in the future.
    """
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError(
            f"{name} must be an ISO-8601 date or date-time like 2026-11-25T08:30, got {text!r}"
        ) from None
    aware = parsed if parsed.tzinfo is not None else parsed.astimezone()
    current = now or utc_now()
    if not allow_future and aware - current > timedelta(days=1):
        raise InvalidInputError(
            f"{name} {text!r} is in the future; give the date and time the noise happened"
        )
    return aware


def check_pain(value: int, *, name: str = "pain") -> int:
    """Validate a 0–10 pain score (``InvalidInputError`` naming the argument)."""
    if isinstance(value, bool) or not isinstance(value, int) or not PAIN_MIN <= value <= PAIN_MAX:
        raise InvalidInputError(
            f"{name} must be a whole number from {PAIN_MIN} (none) to {PAIN_MAX} (worst), "
            f"got {value!r}"
        )
    return value


def _check_text(value: str, *, name: str) -> str:
    if len(value) > MAX_TEXT_CHARS:
        raise InvalidInputError(
            f"{name} is {len(value)} characters long; keep it under {MAX_TEXT_CHARS}"
        )
    return value


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class Episode:
    """One popping (or pain) episode a person logged.

    Attributes
    ----------
    id
        Time-sortable id (:func:`new_id` with prefix ``ep``).
    when
        When it happened, timezone-aware (the person's local offset is kept).
    sound
        ``pop``, ``snap``, ``grind`` or ``none`` (pain without a noise).
    pain
        0–10 numeric rating (NPRS).
    activity, note
        Free text; empty when not given.
    findings
        Symptoms reported with the episode as finding codes
        (``{"neuro.leg_numbness_tingling": True}``), validated against the
        vocabulary; re-triage reads them.
    logged_at
        When the entry was written (UTC).
    """

    id: str
    when: datetime
    sound: str
    pain: int
    activity: str = ""
    note: str = ""
    findings: Mapping[str, Any] = field(default_factory=dict)
    logged_at: datetime = field(default_factory=utc_now)

    def __post_init__(self) -> None:
        if self.sound not in SOUNDS:
            raise InvalidInputError(f"sound must be one of {', '.join(SOUNDS)}, got {self.sound!r}")
        check_pain(self.pain)
        if self.when.tzinfo is None:
            raise ValueError("Episode.when must be timezone-aware")  # a programming error
        _check_text(self.activity, name="activity")
        _check_text(self.note, name="note")
        object.__setattr__(self, "findings", MappingProxyType(dict(self.findings)))

    @property
    def is_joint_sound(self) -> bool:
        return self.sound in JOINT_SOUNDS

    def to_json(self) -> dict[str, Any]:
        """One entry of the ``crepitus.diary/1`` document (contracts §7)."""
        return {
            "id": self.id,
            "when": _iso(self.when),
            "sound": self.sound,
            "pain": self.pain,
            "activity": self.activity,
            "note": self.note,
            "findings": dict(self.findings),
            "logged_at": _iso(self.logged_at),
        }

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> Episode:
        """Inverse of :meth:`to_json` (backups); raises ``InvalidInputError``."""
        try:
            return cls(
                id=str(doc["id"]),
                when=_parse_stored_datetime(doc["when"]),
                sound=str(doc["sound"]),
                pain=doc["pain"],
                activity=str(doc.get("activity") or ""),
                note=str(doc.get("note") or ""),
                findings=dict(doc.get("findings") or {}),
                logged_at=_parse_stored_datetime(doc.get("logged_at") or doc["when"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, InvalidInputError):
                raise
            raise InvalidInputError(f"malformed diary entry {doc.get('id')!r}: {exc}") from None


def _parse_stored_datetime(value: Any) -> datetime:
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class StoredExerciseSession:
    """An :class:`~crepitus.plan.types.ExerciseSession` as the diary keeps it: with an id."""

    id: str
    session: ExerciseSession
    logged_at: datetime = field(default_factory=utc_now)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, **self.session.to_json(), "logged_at": _iso(self.logged_at)}

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> StoredExerciseSession:
        try:
            return cls(
                id=str(doc["id"]),
                session=ExerciseSession.from_json(dict(doc)),
                logged_at=_parse_stored_datetime(doc["logged_at"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInputError(
                f"malformed exercise session {doc.get('id')!r}: {exc}"
            ) from None


@dataclass(frozen=True, slots=True)
class StoredAssessment:
    """An assessment kept in the diary: searchable metadata plus the full JSON document.

    Only the metadata re-triage needs is typed (disposition, red flags, the
    findings it was made from); the rest stays the ``crepitus.assessment/1``
    document exactly as it was shown, so a later release can still display it.
    """

    id: str
    recorded_at: datetime
    disposition: Disposition
    red_flags: tuple[str, ...]
    findings: Mapping[str, Any]
    document: Mapping[str, Any]
    source: str = "assess"

    @classmethod
    def from_assessment(
        cls, assessment: Assessment, *, source: str = "assess", recorded_at: datetime | None = None
    ) -> StoredAssessment:
        return cls(
            id=new_id("as"),
            recorded_at=recorded_at or utc_now(),
            disposition=assessment.disposition,
            red_flags=tuple(assessment.red_flags),
            findings=dict(assessment.findings),
            document=assessment.to_json(),
            source=source,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "recorded_at": _iso(self.recorded_at),
            "disposition": self.disposition.code,
            "red_flags": list(self.red_flags),
            "findings": dict(self.findings),
            "source": self.source,
            "document": dict(self.document),
        }

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> StoredAssessment:
        try:
            return cls(
                id=str(doc["id"]),
                recorded_at=_parse_stored_datetime(doc["recorded_at"]),
                disposition=Disposition.parse(str(doc["disposition"])),
                red_flags=tuple(str(c) for c in doc.get("red_flags", ())),
                findings=dict(doc.get("findings") or {}),
                document=dict(doc.get("document") or {}),
                source=str(doc.get("source") or "assess"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInputError(
                f"malformed stored assessment {doc.get('id')!r}: {exc}"
            ) from None


@dataclass(frozen=True, slots=True)
class RecordingAnalysis:
    """A recording's metadata and its analysis (``crepitus.sounds/1`` or ``crepitus.gait/1``).

    The recording itself is never stored (privacy, size): only its name, a
    SHA-256 to recognise it again, its length and what the analysis found.
    """

    id: str
    recorded_at: datetime
    kind: str
    file_name: str
    duration_s: float | None
    analysis: Mapping[str, Any]
    sha256: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in RECORDING_KINDS:
            raise InvalidInputError(
                f"recording kind must be one of {', '.join(RECORDING_KINDS)}, got {self.kind!r}"
            )
        if self.duration_s is not None and self.duration_s < 0:
            raise InvalidInputError(f"duration_s must not be negative, got {self.duration_s}")

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "recorded_at": _iso(self.recorded_at),
            "kind": self.kind,
            "file_name": self.file_name,
            "duration_s": self.duration_s,
            "sha256": self.sha256,
            "note": self.note,
            "analysis": dict(self.analysis),
        }

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> RecordingAnalysis:
        try:
            return cls(
                id=str(doc["id"]),
                recorded_at=_parse_stored_datetime(doc["recorded_at"]),
                kind=str(doc["kind"]),
                file_name=str(doc["file_name"]),
                duration_s=None if doc.get("duration_s") is None else float(doc["duration_s"]),
                analysis=dict(doc.get("analysis") or {}),
                sha256=None if doc.get("sha256") is None else str(doc["sha256"]),
                note=str(doc.get("note") or ""),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, InvalidInputError):
                raise
            raise InvalidInputError(f"malformed recording entry {doc.get('id')!r}: {exc}") from None


@dataclass(frozen=True, slots=True)
class DiaryContents:
    """Everything in a diary, in time order: what backups hold and restores write."""

    episodes: tuple[Episode, ...] = ()
    exercise_sessions: tuple[StoredExerciseSession, ...] = ()
    assessments: tuple[StoredAssessment, ...] = ()
    recordings: tuple[RecordingAnalysis, ...] = ()

    def __len__(self) -> int:
        return (
            len(self.episodes)
            + len(self.exercise_sessions)
            + len(self.assessments)
            + len(self.recordings)
        )


def local_date(moment: datetime) -> date:
    """The calendar day of ``moment`` in its own (the person's) time zone."""
    return moment.date()


def to_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def fixed_offset(minutes: int) -> timezone:
    return timezone(timedelta(minutes=minutes))
