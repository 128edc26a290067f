"""Weekly summaries and plots."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from crepitus.diary.trends import (
    plot_format,
    render_plot,
    trends_document,
    week_start,
    weekly_summaries,
)
from crepitus.diary.types import Episode, StoredExerciseSession, new_id
from crepitus.errors import InvalidInputError
from crepitus.plan.types import ExerciseSession

# 2026-11-02 is a Monday.
MONDAY = date(2026, 11, 2)


def ep(day: date, sound: str = "pop", pain: int = 2, hour: int = 9) -> Episode:
    return Episode(
        id=new_id("ep"),
        when=datetime(day.year, day.month, day.day, hour, tzinfo=UTC),
        sound=sound,
        pain=pain,
    )


def ex(day: date, exercise_id: str = "bird_dog") -> StoredExerciseSession:
    return StoredExerciseSession(
        id=new_id("ex"), session=ExerciseSession(exercise_id=exercise_id, done_on=day, sets=2)
    )


def test_week_start_is_the_iso_monday() -> None:
    assert week_start(date(2026, 11, 8)) == MONDAY  # Sunday
    assert week_start(MONDAY) == MONDAY


def test_empty_diary_has_no_weeks() -> None:
    assert weekly_summaries([], [], today=MONDAY) == []


def test_counts_pain_and_rates_per_observed_day() -> None:
    friday = MONDAY + timedelta(days=4)
    episodes = [
        ep(friday, "pop", 1),
        ep(friday, "snap", 3, hour=18),
        ep(friday + timedelta(days=1), "none", 5),
        ep(friday + timedelta(days=3), "grind", 4),  # next Monday
    ]
    weeks = weekly_summaries(episodes, [], today=friday + timedelta(days=3))
    first, second = weeks
    assert first.week_start == MONDAY
    assert first.days_observed == 3  # Friday (first entry) … Sunday
    assert first.episodes == 3
    assert dict(first.sounds) == {"pop": 1, "snap": 1, "grind": 0, "none": 1}
    assert first.pops_per_day == pytest.approx(2 / 3)
    assert first.pain_mean == pytest.approx(3.0)
    assert first.pain_max == 5
    assert first.adherence is None  # no exercise logged yet: not tracked
    assert second.days_observed == 1  # the current week ends today
    assert second.pops_per_day == pytest.approx(1.0)


def test_gaps_appear_as_empty_weeks_and_future_entries_are_ignored() -> None:
    today = MONDAY + timedelta(days=15)
    weeks = weekly_summaries(
        [ep(MONDAY), ep(today), ep(today + timedelta(days=3))], [], today=today
    )
    assert [w.week_start for w in weeks] == [MONDAY + timedelta(weeks=i) for i in range(3)]
    assert [w.episodes for w in weeks] == [1, 0, 1]
    assert weeks[1].pain_mean is None
    assert weeks[1].pops_per_day == 0.0
    assert len(weekly_summaries([ep(MONDAY), ep(today)], [], today=today, weeks=2)) == 2


def test_adherence_counts_distinct_days_against_the_plan() -> None:
    today = MONDAY + timedelta(days=13)  # second Sunday
    sessions = [ex(MONDAY + timedelta(days=d)) for d in (0, 0, 2, 4)]  # 3 days, 4 sessions
    sessions += [ex(MONDAY + timedelta(days=7 + d)) for d in range(7)]
    weeks = weekly_summaries([], sessions, today=today, planned_days_per_week=5)
    assert weeks[0].exercise_sessions == 4
    assert weeks[0].exercise_days == 3
    assert weeks[0].adherence == pytest.approx(3 / 5)
    assert weeks[1].adherence == 1.0  # capped
    daily = weekly_summaries([], sessions, today=today)
    assert daily[0].adherence == pytest.approx(3 / 7)


@pytest.mark.parametrize("days", [0, 8])
def test_planned_days_out_of_range(days: int) -> None:
    with pytest.raises(InvalidInputError, match="1–7"):
        weekly_summaries([ep(MONDAY)], [], today=MONDAY, planned_days_per_week=days)


def test_document_shape() -> None:
    weeks = weekly_summaries([ep(MONDAY, pain=3)], [], today=MONDAY)
    doc = trends_document(weeks)
    assert doc["schema"] == "crepitus.trends/1"
    assert doc["alert"] is None
    assert doc["weeks"][0]["week"] == "2026-W45"
    assert doc["weeks"][0]["pain_mean"] == 3.0


def test_plot_formats() -> None:
    weeks = weekly_summaries(
        [ep(MONDAY + timedelta(days=d), pain=d % 10) for d in range(20)],
        [ex(MONDAY + timedelta(days=d)) for d in range(0, 20, 2)],
        today=MONDAY + timedelta(days=20),
    )
    png = render_plot(weeks, fmt="png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    svg = render_plot(weeks, fmt="svg")
    assert b"<svg" in svg[:2000]
    assert render_plot(weeks, fmt="svg") == svg  # reproducible: no timestamp inside
    with pytest.raises(InvalidInputError, match="empty"):
        render_plot([], fmt="png")


def test_plot_format_from_file_name(tmp_path: object) -> None:
    from pathlib import Path

    assert plot_format(Path("out.PNG")) == "png"
    assert plot_format(Path("a/b.svg")) == "svg"
    with pytest.raises(InvalidInputError, match=r"\.png or \.svg"):
        plot_format(Path("out.pdf"))
