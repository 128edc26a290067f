"""The plan as iCalendar: RFC 5545 framing, recurrence, reminders, stable UIDs.

Validity is checked twice: by our own framing rules (CRLF, 75-octet folding)
and by parsing with the independent ``icalendar`` package (test-only).
"""

from __future__ import annotations

from datetime import date, datetime, time

import icalendar
import pytest

from crepitus.domain import Disposition
from crepitus.errors import InvalidInputError
from crepitus.plan.generator import make_plan
from crepitus.plan.ical import escape_text, fold_line, plan_to_ical
from crepitus.plan.types import WEEKDAYS

START = date(2026, 11, 26)  # a Thursday


@pytest.fixture
def plan(make_assessment):
    return make_plan(
        make_assessment(mechanisms=[("soft_tissue_snap", 0.8), ("cavitation", 0.2)]), today=START
    )


def test_lines_end_in_crlf_and_fit_75_octets(plan) -> None:
    text = plan_to_ical(plan)
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n")[:-1]:
        assert len(line.encode("utf-8")) <= 75


def test_parses_with_icalendar_and_round_trips_the_plan(plan) -> None:
    cal = icalendar.Calendar.from_ical(plan_to_ical(plan))
    assert str(cal["VERSION"]) == "2.0"
    events = list(cal.walk("VEVENT"))
    expected_groups = {e.days for e in plan.exercises}
    assert len(events) == len(expected_groups)
    seen_names: list[str] = []
    for event in events:
        byday = tuple(event["RRULE"]["BYDAY"])
        assert event["RRULE"]["FREQ"] == ["WEEKLY"]
        assert byday in expected_groups
        start = event.decoded("DTSTART")
        assert start.date() >= START
        assert WEEKDAYS[start.weekday()] in byday
        assert start.time() == time(8, 0)
        alarms = list(event.walk("VALARM"))
        assert len(alarms) == 1
        assert str(alarms[0]["ACTION"]) == "DISPLAY"
        assert alarms[0].decoded("TRIGGER").total_seconds() == -600
        description = str(event["DESCRIPTION"])
        group = [e for e in plan.exercises if e.days == byday]
        for ex in group:
            assert ex.name in description
            seen_names.append(ex.name)
        assert "Stop and seek care" in description
    assert sorted(seen_names) == sorted(e.name for e in plan.exercises)


def test_uids_are_stable_and_distinct(plan, make_assessment) -> None:
    first = icalendar.Calendar.from_ical(plan_to_ical(plan))
    later = make_plan(make_assessment(findings={"pain.score": 6}), today=date(2027, 1, 4))
    second = icalendar.Calendar.from_ical(plan_to_ical(later))
    uids_1 = {str(e["UID"]): tuple(e["RRULE"]["BYDAY"]) for e in first.walk("VEVENT")}
    uids_2 = {str(e["UID"]): tuple(e["RRULE"]["BYDAY"]) for e in second.walk("VEVENT")}
    assert len(set(uids_1)) == len(uids_1)
    # Same weekday group → same UID, so re-importing an updated plan replaces it.
    for uid, days in uids_2.items():
        if days in uids_1.values():
            assert uid in uids_1
    assert plan_to_ical(plan) == plan_to_ical(plan)


def test_options_change_time_reminder_and_stamp(plan) -> None:
    text = plan_to_ical(
        plan, at=time(18, 30), reminder_min_before=25, stamp=datetime(2026, 11, 25, 16, 0)
    )
    cal = icalendar.Calendar.from_ical(text)
    event = next(iter(cal.walk("VEVENT")))
    assert event.decoded("DTSTART").time() == time(18, 30)
    assert next(iter(event.walk("VALARM"))).decoded("TRIGGER").total_seconds() == -25 * 60
    assert "DTSTAMP:20261125T160000Z" in text


def test_empty_plan_cannot_become_a_calendar(make_assessment) -> None:
    plan = make_plan(make_assessment(Disposition.EMERGENCY, red_flags=["vascular.fainting"]))
    with pytest.raises(InvalidInputError, match="no exercises"):
        plan_to_ical(plan)


def test_negative_reminder_is_refused(plan) -> None:
    with pytest.raises(InvalidInputError, match="reminder"):
        plan_to_ical(plan, reminder_min_before=-5)


def test_text_escaping() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_folding_never_splits_a_multibyte_character() -> None:
    line = "DESCRIPTION:" + "é–°" * 60
    folded = fold_line(line)
    physical = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in physical)
    assert all(p.startswith(" ") for p in physical[1:])
    assert "".join([physical[0], *(p[1:] for p in physical[1:])]) == line


def test_short_line_is_not_folded() -> None:
    assert fold_line("VERSION:2.0") == "VERSION:2.0"
    exactly = "X" * 75
    assert fold_line(exactly) == exactly
