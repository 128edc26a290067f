"""Diary workflows: what ``crepitus log / diary / trends / export`` and the web app call.

Every function takes a :class:`~crepitus.storage.repository.DiaryRepository`
(open one with :func:`open_diary`), validates its arguments at this boundary
(``InvalidInputError`` for anything a person can get wrong) and returns domain
objects.  Writes are committed before the function returns, so an id handed
back is durable.

Only :func:`open_diary` knows where storage comes from; it imports
:mod:`crepitus.storage` lazily, keeping this layer free of SQLAlchemy.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from crepitus.diary.retriage import (
    AssessFn,
    NoteReader,
    RetriageAlert,
    build_alert,
    rising_pain_trigger,
    symptom_triggers,
)
from crepitus.diary.trends import DAYS_PER_WEEK, WeekSummary, weekly_summaries
from crepitus.diary.types import (
    Episode,
    RecordingAnalysis,
    StoredAssessment,
    StoredExerciseSession,
    check_pain,
    new_id,
    utc_now,
)
from crepitus.domain import Assessment, Disposition
from crepitus.errors import InvalidInputError
from crepitus.findings import Findings
from crepitus.plan.types import ExerciseSession

if TYPE_CHECKING:  # pragma: no cover
    from crepitus.storage.repository import DiaryRepository
    from crepitus.storage.settings import StorageSettings


@contextlib.contextmanager
def open_diary(settings: StorageSettings | None = None) -> Iterator[DiaryRepository]:
    """Open the configured diary (creating and upgrading it if needed) and close it after.

    Raises
    ------
    StorageError
        If the database cannot be opened (locked, read-only, damaged, unreachable).
    """
    from crepitus.storage.repository import open_repository

    repo = open_repository(settings)
    try:
        yield repo
    finally:
        repo.close()


def _symptoms(symptoms: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate symptom finding codes against the vocabulary (one-line errors)."""
    if not symptoms:
        return {}
    return dict(Findings.of(dict(symptoms)))


def log_episode(
    repo: DiaryRepository,
    *,
    sound: str,
    pain: int,
    when: datetime | None = None,
    activity: str = "",
    note: str = "",
    symptoms: Mapping[str, Any] | None = None,
) -> Episode:
    """Record a popping (or pain-only) episode and return it with its new id.

    Parameters
    ----------
    sound
        ``pop``, ``snap``, ``grind`` or ``none``.
    pain
        0–10 (NPRS).
    when
        When it happened (timezone-aware); now if omitted.
    activity, note
        Free text.
    symptoms
        Finding codes reported with it, e.g. ``{"neuro.leg_numbness_tingling": True}``;
        re-triage compares them with the last assessment.

    Raises
    ------
    InvalidInputError
        For an unknown sound, a pain outside 0–10 or an unknown finding code.
    """
    moment = when if when is not None else utc_now().astimezone()
    if moment.tzinfo is None:
        moment = moment.astimezone()
    episode = Episode(
        id=new_id("ep"),
        when=moment,
        sound=sound,
        pain=check_pain(pain),
        activity=activity.strip(),
        note=note.strip(),
        findings=_symptoms(symptoms),
    )
    repo.add_episode(episode)
    return episode


def list_entries(
    repo: DiaryRepository, *, since: datetime | None = None, until: datetime | None = None
) -> list[Episode]:
    """Episodes in time order, optionally within ``[since, until)``."""
    return repo.list_episodes(since=since, until=until)


def _check_exercise_id(exercise_id: str) -> None:
    from crepitus.plan.library import load_library

    library = load_library()
    if exercise_id not in library:
        known = ", ".join(sorted(e.id for e in library))
        raise InvalidInputError(f"unknown exercise {exercise_id!r}; known exercises: {known}")


def log_exercise_session(
    repo: DiaryRepository,
    *,
    exercise_id: str,
    pain_during: int,
    done_on: date | None = None,
    sets: int = 1,
    reps: int | None = None,
    hold_s: float | None = None,
    pain_next_morning: int | None = None,
    baseline_pain: int | None = None,
    leg_symptoms_spread: bool = False,
    check_library: bool = True,
) -> StoredExerciseSession:
    """Record one exercise done on one day (the plan's progression rules read these).

    Raises
    ------
    InvalidInputError
        For an exercise not in the library, a pain outside 0–10, or a bad dose.
    """
    if check_library:
        _check_exercise_id(exercise_id)
    check_pain(pain_during, name="--pain-during")
    for name, value in (
        ("--pain-next-morning", pain_next_morning),
        ("--baseline-pain", baseline_pain),
    ):
        if value is not None:
            check_pain(value, name=name)
    try:
        session = ExerciseSession(
            exercise_id=exercise_id,
            done_on=done_on or utc_now().astimezone().date(),
            sets=sets,
            reps=reps,
            hold_s=hold_s,
            pain_during=pain_during,
            pain_next_morning=pain_next_morning,
            baseline_pain=baseline_pain,
            leg_symptoms_spread=leg_symptoms_spread,
        )
    except ValueError as exc:
        raise InvalidInputError(f"exercise session: {exc}") from None
    if session.done_on > utc_now().astimezone().date():
        raise InvalidInputError(f"the session date {session.done_on} is in the future")
    stored = StoredExerciseSession(id=new_id("ex"), session=session)
    repo.add_exercise_session(stored)
    return stored


def add_next_morning_pain(
    repo: DiaryRepository,
    *,
    exercise_id: str,
    pain_next_morning: int,
    done_on: date | None = None,
) -> list[StoredExerciseSession]:
    """Add the next morning's pain to the sessions of ``exercise_id`` done on ``done_on``.

    The pain-monitoring model judges a session by the pain on the following
    morning (Silbernagel et al. 2007; research/clinical.md §5.3), which is only
    known a day after the session was logged.  ``done_on`` defaults to
    yesterday.

    Raises
    ------
    InvalidInputError
        If the pain is outside 0–10 or no session of that exercise was logged that day.
    """
    check_pain(pain_next_morning, name="--pain-next-morning")
    day = done_on or (utc_now().astimezone().date() - timedelta(days=1))
    matching = [
        s
        for s in repo.list_exercise_sessions(since=day)
        if s.session.exercise_id == exercise_id and s.session.done_on == day
    ]
    if not matching:
        raise InvalidInputError(
            f"no {exercise_id} session logged on {day} to add next-morning pain to; "
            "give the session's day with --on YYYY-MM-DD"
        )
    updated = [
        StoredExerciseSession(
            id=s.id,
            session=dataclasses.replace(s.session, pain_next_morning=pain_next_morning),
            logged_at=s.logged_at,
        )
        for s in matching
    ]
    for stored in updated:
        repo.update_exercise_session(stored)
    return updated


def record_assessment(
    repo: DiaryRepository, assessment: Assessment, *, source: str = "assess"
) -> StoredAssessment:
    """Keep an assessment (metadata + full JSON) so re-triage can compare against it."""
    stored = StoredAssessment.from_assessment(assessment, source=source)
    repo.add_assessment(stored)
    return stored


def record_assessment_document(
    repo: DiaryRepository, doc: Any, *, source: str = "import"
) -> StoredAssessment:
    """Keep a ``crepitus.assessment/1`` document (e.g. saved from ``crepitus assess --json``).

    Raises
    ------
    InvalidInputError
        If it is not an assessment document or its fields are malformed.
    """
    if not isinstance(doc, Mapping) or doc.get("schema") != "crepitus.assessment/1":
        raise InvalidInputError(
            "not an assessment: expected the JSON printed by `crepitus assess --json` "
            '({"schema": "crepitus.assessment/1", ...})'
        )
    try:
        disposition = Disposition.parse(str(doc.get("disposition")))
    except ValueError as exc:
        raise InvalidInputError(f"assessment: {exc}") from None
    flags = doc.get("red_flags", [])
    if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
        raise InvalidInputError("assessment: 'red_flags' must be a list of finding codes")
    raw = doc.get("findings", {})
    if not isinstance(raw, Mapping):
        raise InvalidInputError("assessment: 'findings' must be an object")
    findings = dict(Findings.of(dict(raw)))
    # Never trust an imported verdict below what the rules give for its own findings: the
    # stored disposition and red flags are the more urgent of the document's and a re-triage.
    from crepitus.triage import triage

    recomputed = triage(findings)
    if recomputed.disposition > disposition:
        disposition = recomputed.disposition
    flags = list(dict.fromkeys([*flags, *recomputed.red_flags]))
    stored = StoredAssessment(
        id=new_id("as"),
        recorded_at=utc_now(),
        disposition=disposition,
        red_flags=tuple(flags),
        findings=findings,
        document=dict(doc),
        source=source,
    )
    repo.add_assessment(stored)
    return stored


_RECORDING_SCHEMAS = {"crepitus.sounds/1": "audio", "crepitus.gait/1": "motion"}


def record_recording_document(
    repo: DiaryRepository, doc: Any, *, file_name: str, note: str = ""
) -> RecordingAnalysis:
    """Keep a ``crepitus.sounds/1`` or ``crepitus.gait/1`` analysis (``listen``/``walk --json``).

    Raises
    ------
    InvalidInputError
        If the document is neither.
    """
    schema = doc.get("schema") if isinstance(doc, Mapping) else None
    kind = _RECORDING_SCHEMAS.get(str(schema))
    if kind is None:
        raise InvalidInputError(
            "not a recording analysis: expected the JSON of `crepitus listen --json` "
            "(crepitus.sounds/1) or `crepitus walk --json` (crepitus.gait/1)"
        )
    duration = doc.get("duration_s")
    if duration is not None and (
        isinstance(duration, bool) or not isinstance(duration, int | float)
    ):
        raise InvalidInputError("recording analysis: 'duration_s' must be a number")
    return record_recording(
        repo,
        kind=kind,
        file_name=str(doc.get("file") or file_name),
        analysis=dict(doc),
        duration_s=None if duration is None else float(duration),
        note=note,
    )


def record_recording(
    repo: DiaryRepository,
    *,
    kind: str,
    file_name: str,
    analysis: Mapping[str, Any],
    duration_s: float | None = None,
    sha256: str | None = None,
    note: str = "",
) -> RecordingAnalysis:
    """Keep a recording's metadata and analysis result (never the recording itself)."""
    recording = RecordingAnalysis(
        id=new_id("rec"),
        recorded_at=utc_now(),
        kind=kind,
        file_name=file_name,
        duration_s=duration_s,
        analysis=dict(analysis),
        sha256=sha256,
        note=note,
    )
    repo.add_recording(recording)
    return recording


def _today() -> date:
    return utc_now().astimezone().date()


def weekly_summary(
    repo: DiaryRepository,
    *,
    today: date | None = None,
    weeks: int | None = None,
    planned_days_per_week: int = DAYS_PER_WEEK,
) -> list[WeekSummary]:
    """Weekly summaries of the whole diary (see :mod:`crepitus.diary.trends`)."""
    return weekly_summaries(
        repo.list_episodes(),
        repo.list_exercise_sessions(),
        today=today or _today(),
        planned_days_per_week=planned_days_per_week,
        weeks=weeks,
    )


def _default_assess() -> AssessFn | None:
    try:
        from crepitus.workflows import assess
    except ImportError:  # pragma: no cover - the engine ships with the package
        return None
    fn: Callable[[Findings], Assessment] = assess
    return fn


def _default_note_reader() -> NoteReader | None:
    try:
        from crepitus.intake.extract import extract
    except ImportError:  # pragma: no cover - the intake ships with the package
        return None

    def read(text: str) -> Mapping[str, Any]:
        return dict(extract(text).findings)

    return read


def check_for_retriage(
    repo: DiaryRepository,
    *,
    now: datetime | None = None,
    assess: AssessFn | None = None,
    summaries: list[WeekSummary] | None = None,
    read_notes: bool = True,
) -> RetriageAlert | None:
    """Re-assess if the diary shows a new red flag, rising pain or new nerve symptoms.

    Parameters
    ----------
    now
        The current time (aware); defaults to the clock.
    assess
        The assessment function (default :func:`crepitus.workflows.assess`).
    summaries
        Weekly summaries already computed (saves a second pass).
    read_notes
        Also look for warning signs and nerve symptoms mentioned in notes
        (with :func:`crepitus.intake.extract.extract`).

    Returns
    -------
    RetriageAlert or None
        ``None`` when nothing new calls for re-assessment.
    """
    current = now or utc_now()
    today = current.astimezone().date()
    previous = repo.latest_assessment()
    episodes = repo.list_episodes()
    sessions = repo.list_exercise_sessions()
    triggers, updates = symptom_triggers(
        episodes,
        sessions,
        previous,
        now=current,
        read_note=_default_note_reader() if read_notes else None,
    )
    weeks = (
        summaries if summaries is not None else weekly_summaries(episodes, sessions, today=today)
    )
    rising = rising_pain_trigger(weeks, today=today, previous=previous)
    if rising is not None:
        triggers.append(rising)
        worst = max((w.pain_max or 0) for w in weeks[-2:])
        base_score = previous.findings.get("pain.score") if previous else None
        updates["pain.worsening"] = True
        updates["pain.score"] = max(worst, base_score if isinstance(base_score, int) else 0)
    if not triggers:
        return None
    return build_alert(triggers, updates, previous, assess=assess or _default_assess())
