"""The plan as an iCalendar file (RFC 5545) with reminders: a pure function returning text.

One ``VEVENT`` per group of exercises done on the same weekdays (for example
"every day" and "Monday, Wednesday, Friday"), recurring weekly with
``RRULE:FREQ=WEEKLY;BYDAY=...`` and a ``VALARM`` display reminder before it.

RFC 5545 details that calendar apps are strict about, all handled here:

* lines end with CRLF and are folded at 75 octets (UTF-8 bytes, never inside
  a multi-byte character), continuation lines starting with one space (§3.1);
* TEXT values escape backslash, semicolon, comma and newline (§3.3.11);
* ``DTSTAMP`` is in UTC (§3.8.7.2); ``DTSTART`` is floating local time so
  the reminder rings at 08:00 wherever the person is, and falls on the first
  planned weekday on or after the start date so it matches the ``RRULE``
  (§3.8.5.3 says the first instance is DTSTART whether or not it matches);
* ``UID`` is stable (derived from the weekday group, not from the clock or a
  random number) so that importing an updated plan replaces the old events
  instead of duplicating them; ``SEQUENCE`` is 0.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from crepitus.errors import InvalidInputError
from crepitus.plan.types import WEEKDAYS, Plan, PlannedExercise

PRODID = "-//crepitus//exercise plan//EN"
MAX_LINE_OCTETS = 75

#: Rough seconds for one repetition without a hold (a slow 3–4 s movement each way,
#: research/clinical.md §5.3 cat-cow cycle) and rest between sets (pragmatic).
_REP_S = 4.0
_REST_BETWEEN_SETS_S = 30.0

_DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}


def escape_text(value: str) -> str:
    """Escape a TEXT property value (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold_line(line: str, *, limit_octets: int = MAX_LINE_OCTETS) -> str:
    """Fold one content line to at most ``limit_octets`` UTF-8 octets per physical line.

    Continuation lines begin with a single space, which counts towards their
    limit; a multi-byte character is never split (RFC 5545 §3.1).
    """
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    budget = limit_octets
    for ch in line:
        size = len(ch.encode("utf-8"))
        if used + size > budget:
            pieces.append("".join(current))
            current, used = [], 0
            budget = limit_octets - 1  # the leading space of the continuation line
        current.append(ch)
        used += size
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def estimate_minutes(exercise: PlannedExercise) -> float:
    """Rough minutes one session of ``exercise`` takes (for the event duration)."""
    if exercise.minutes is not None:
        return exercise.minutes
    reps = exercise.reps
    total_reps = sum(reps) if isinstance(reps, tuple) else (reps or 1) * exercise.sets
    per_rep_s = (exercise.hold_s or 0.0) + _REP_S
    seconds = total_reps * per_rep_s * (2 if exercise.per_side else 1)
    seconds += _REST_BETWEEN_SETS_S * max(exercise.sets - 1, 0)
    return seconds / 60.0


def _first_on_or_after(start: date, days: Iterable[str]) -> date:
    wanted = {WEEKDAYS.index(d) for d in days}
    for offset in range(7):
        candidate = start + timedelta(days=offset)
        if candidate.weekday() in wanted:
            return candidate
    raise ValueError("an event needs at least one weekday")


def _uid(days: tuple[str, ...], namespace: str) -> str:
    digest = hashlib.sha256(f"{namespace}|{','.join(days)}".encode()).hexdigest()[:20]
    return f"{digest}@crepitus"


def _describe_days(days: tuple[str, ...]) -> str:
    if len(days) == 7:
        return "every day"
    return ", ".join(_DAY_NAMES[d] for d in days)


def _groups(plan: Plan) -> list[tuple[tuple[str, ...], list[PlannedExercise]]]:
    groups: dict[tuple[str, ...], list[PlannedExercise]] = {}
    for ex in plan.exercises:
        groups.setdefault(ex.days, []).append(ex)
    # More frequent groups first, then by first weekday: a stable order.
    return sorted(groups.items(), key=lambda kv: (-len(kv[0]), WEEKDAYS.index(kv[0][0])))


def plan_to_ical(
    plan: Plan,
    *,
    at: time = time(8, 0),
    reminder_min_before: int = 10,
    stamp: datetime | None = None,
    namespace: str = "crepitus-plan",
) -> str:
    """Render ``plan`` as an iCalendar document (CRLF line endings, folded lines).

    Parameters
    ----------
    plan
        The plan; it must hold at least one exercise.
    at
        Local (floating) time of day for the sessions.
    reminder_min_before
        Minutes before each session that the reminder fires (``VALARM``).
    stamp
        ``DTSTAMP`` (converted to UTC); defaults to midnight UTC of the plan's
        start date so the output is a pure function of the plan.
    namespace
        Mixed into the ``UID`` s; use a different one for a second calendar.

    Raises
    ------
    InvalidInputError
        If the plan holds no exercise (an iCalendar file needs at least one
        event) or the reminder is negative.
    """
    if not plan.exercises:
        raise InvalidInputError(
            "this plan holds no exercises (see 'withheld'), so there is nothing to put in a "
            "calendar; follow the advice to see a clinician first"
        )
    if reminder_min_before < 0:
        raise InvalidInputError(
            f"the reminder must be 0 or more minutes before, got {reminder_min_before}"
        )
    if stamp is None:
        stamp_utc = datetime.combine(plan.starts_on, time(0, 0), tzinfo=UTC)
    elif stamp.tzinfo is None:
        stamp_utc = stamp.replace(tzinfo=UTC)
    else:
        stamp_utc = stamp.astimezone(UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text('Back exercise plan (crepitus)')}",
    ]
    stop_if = " ".join(plan.stop_if)
    for days, exercises in _groups(plan):
        first = _first_on_or_after(plan.starts_on, days)
        start = datetime.combine(first, at)
        minutes = max(5, 5 * math.ceil(sum(estimate_minutes(e) for e in exercises) / 5))
        names = ", ".join(e.name for e in exercises)
        body = "\n".join(
            [
                f"{_describe_days(days).capitalize()}: back exercises from your crepitus plan.",
                "",
                *(f"{i}. {e.name}: {e.dose_text}." for i, e in enumerate(exercises, 1)),
                "",
                f"Stop and seek care if: {stop_if}",
            ]
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_uid(days, namespace)}",
            "SEQUENCE:0",
            f"DTSTAMP:{stamp_utc.strftime('%Y%m%dT%H%M%SZ')}",
            f"DTSTART:{start.strftime('%Y%m%dT%H%M%S')}",
            f"DURATION:PT{minutes}M",
            f"RRULE:FREQ=WEEKLY;BYDAY={','.join(days)}",
            f"SUMMARY:{escape_text(f'Back exercises: {names}')}",
            f"DESCRIPTION:{escape_text(body)}",
            "CATEGORIES:HEALTH",
            "TRANSP:TRANSPARENT",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"TRIGGER:-PT{reminder_min_before}M",
            f"DESCRIPTION:{escape_text(f'Time for your back exercises: {names}')}",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)
