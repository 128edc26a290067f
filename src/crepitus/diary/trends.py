"""Weekly summaries of the diary (pops per day, pain, adherence) and their plots.

A week is an ISO week (Monday to Sunday) of the person's local calendar, the
unit the exercise plan is written in (contracts §6, ``days_per_week``).  Pain is
summarised as the mean and the worst 0–10 rating logged that week; a change of
the weekly mean by 2 points is the minimal clinically important difference of
the NPRS (Ostelo et al. 2008, *Spine* 33:90; research/clinical.md §5.1), which
the re-triage check uses.

Rates are per *observed* day: the first week starts on the day of the first
entry and the current week ends today, so a diary begun on a Friday does not
report a falsely low rate for its first week.

Deviation: ``pops_per_day`` counts logged *episodes* with a joint sound (pop,
snap or grind) per day, not individual sounds — people log "it popped on my
walk", not each pop.  Recording analyses, which count sounds, are kept apart.

matplotlib is imported only inside :func:`plot_weekly` and used through its
object-oriented API (no pyplot, no global backend switch), so plotting works
headless and importing this module stays cheap.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from crepitus.diary.types import SOUNDS, Episode, StoredExerciseSession
from crepitus.errors import InvalidInputError

TRENDS_SCHEMA = "crepitus.trends/1"
DAYS_PER_WEEK = 7
PLOT_FORMATS: tuple[str, ...] = ("png", "svg")


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class WeekSummary:
    """One week of the diary.

    Attributes
    ----------
    week_start
        The Monday of the ISO week.
    days_observed
        Days of this week inside the diary's span (first entry … today), 0–7.
    episodes
        Logged episodes (any sound, including pain-only ``none`` entries).
    sounds
        Episodes per sound kind.
    pops_per_day
        Episodes with a joint sound (pop, snap, grind) per observed day.
    pain_mean, pain_max
        Mean and worst 0–10 pain over the week's episodes (``None`` without one).
    exercise_sessions, exercise_days
        Sessions logged, and distinct days with at least one session.
    adherence
        ``exercise_days`` over the days the plan asked for (``planned_days_per_week``
        scaled to the days observed since the first session), capped at 1;
        ``None`` until any exercise has been logged.
    """

    week_start: date
    days_observed: int
    episodes: int
    sounds: Mapping[str, int] = field(default_factory=dict)
    pops_per_day: float | None = None
    pain_mean: float | None = None
    pain_max: int | None = None
    exercise_sessions: int = 0
    exercise_days: int = 0
    adherence: float | None = None

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=DAYS_PER_WEEK - 1)

    @property
    def iso_week(self) -> str:
        year, week, _ = self.week_start.isocalendar()
        return f"{year}-W{week:02d}"

    def to_json(self) -> dict[str, Any]:
        return {
            "week": self.iso_week,
            "week_start": self.week_start.isoformat(),
            "days_observed": self.days_observed,
            "episodes": self.episodes,
            "sounds": dict(self.sounds),
            "pops_per_day": _round(self.pops_per_day),
            "pain_mean": _round(self.pain_mean),
            "pain_max": self.pain_max,
            "exercise_sessions": self.exercise_sessions,
            "exercise_days": self.exercise_days,
            "adherence": _round(self.adherence),
        }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _overlap_days(start: date, end: date, first: date, last: date) -> int:
    lo, hi = max(start, first), min(end, last)
    return max(0, (hi - lo).days + 1)


def weekly_summaries(
    episodes: Iterable[Episode],
    sessions: Iterable[StoredExerciseSession] = (),
    *,
    today: date,
    planned_days_per_week: int = DAYS_PER_WEEK,
    weeks: int | None = None,
) -> list[WeekSummary]:
    """Summarise the diary week by week, oldest first, empty weeks included.

    Parameters
    ----------
    episodes, sessions
        The diary's entries (any order).  Entries after ``today`` are ignored.
    today
        The person's current local date (the end of the current week's span).
    planned_days_per_week
        Exercise days the plan asks for (1–7); 7 matches the daily McGill
        routine (research/clinical.md §5.3: 1–2 rounds a day).
    weeks
        Keep only the most recent ``weeks`` weeks.

    Raises
    ------
    InvalidInputError
        If ``planned_days_per_week`` is not 1–7 or ``weeks`` is below 1.
    """
    if not 1 <= planned_days_per_week <= DAYS_PER_WEEK:
        raise InvalidInputError(f"days per week must be 1–7, got {planned_days_per_week}")
    if weeks is not None and weeks < 1:
        raise InvalidInputError(f"--weeks must be at least 1, got {weeks}")
    eps = [e for e in episodes if e.when.date() <= today]
    sess = [s for s in sessions if s.session.done_on <= today]
    days = [e.when.date() for e in eps] + [s.session.done_on for s in sess]
    if not days:
        return []
    first_day = min(days)
    first_session = min((s.session.done_on for s in sess), default=None)

    summaries: list[WeekSummary] = []
    monday = week_start(first_day)
    while monday <= today:
        sunday = monday + timedelta(days=DAYS_PER_WEEK - 1)
        in_week = [e for e in eps if monday <= e.when.date() <= sunday]
        week_sessions = [s for s in sess if monday <= s.session.done_on <= sunday]
        observed = _overlap_days(monday, sunday, first_day, today)
        counts = {kind: sum(1 for e in in_week if e.sound == kind) for kind in SOUNDS}
        joint = sum(1 for e in in_week if e.is_joint_sound)
        pains = [e.pain for e in in_week]
        exercise_days = len({s.session.done_on for s in week_sessions})
        adherence: float | None = None
        if first_session is not None and first_session <= sunday:
            since_first = _overlap_days(monday, sunday, first_session, today)
            expected = planned_days_per_week * since_first / DAYS_PER_WEEK
            adherence = min(1.0, exercise_days / expected) if expected > 0 else None
        summaries.append(
            WeekSummary(
                week_start=monday,
                days_observed=observed,
                episodes=len(in_week),
                sounds=counts,
                pops_per_day=joint / observed if observed else None,
                pain_mean=sum(pains) / len(pains) if pains else None,
                pain_max=max(pains) if pains else None,
                exercise_sessions=len(week_sessions),
                exercise_days=exercise_days,
                adherence=adherence,
            )
        )
        monday += timedelta(days=DAYS_PER_WEEK)
    return summaries[-weeks:] if weeks else summaries


def trends_document(
    summaries: Sequence[WeekSummary], alert: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The ``crepitus.trends/1`` JSON document: weeks oldest first, and any alert."""
    return {
        "schema": TRENDS_SCHEMA,
        "weeks": [s.to_json() for s in summaries],
        "alert": None if alert is None else dict(alert),
    }


def plot_format(path: Path) -> str:
    """The plot format from the file name (``.png`` or ``.svg``)."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in PLOT_FORMATS:
        raise InvalidInputError(f"--plot must end in .png or .svg, got {path.name!r}")
    return fmt


def render_plot(summaries: Sequence[WeekSummary], *, fmt: str) -> bytes:
    """Draw pain, pops per day and adherence per week; return PNG or SVG bytes.

    Raises
    ------
    InvalidInputError
        If there is nothing to plot or the format is unknown.
    """
    if fmt not in PLOT_FORMATS:
        raise InvalidInputError(f"plot format must be png or svg, got {fmt!r}")
    if not summaries:
        raise InvalidInputError("the diary is empty; log an episode with `crepitus log` first")
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    labels = [s.iso_week for s in summaries]
    x = list(range(len(summaries)))
    has_adherence = any(s.adherence is not None for s in summaries)
    rows = 3 if has_adherence else 2
    fig = Figure(figsize=(max(6.0, 0.6 * len(x) + 3), 2.4 * rows), layout="constrained")
    axes = fig.subplots(rows, 1, sharex=True, squeeze=False)[:, 0]

    pain_ax = axes[0]
    nan = float("nan")
    pain_ax.plot(
        x,
        [nan if s.pain_mean is None else s.pain_mean for s in summaries],
        marker="o",
        label="mean pain",
    )
    pain_ax.plot(
        x,
        [nan if s.pain_max is None else s.pain_max for s in summaries],
        marker="^",
        linestyle="--",
        label="worst pain",
    )
    pain_ax.set_ylim(0, 10)
    pain_ax.set_ylabel("pain (0–10)")
    pain_ax.legend(loc="upper left", fontsize="small")
    pain_ax.set_title("crepitus diary — weekly trends")

    pops_ax = axes[1]
    pops_ax.bar(x, [s.pops_per_day or 0.0 for s in summaries], color="tab:orange")
    pops_ax.set_ylabel("noisy episodes / day")

    if has_adherence:
        adh_ax = axes[2]
        adh_ax.bar(x, [100 * (s.adherence or 0.0) for s in summaries], color="tab:green")
        adh_ax.set_ylim(0, 100)
        adh_ax.set_ylabel("exercise adherence (%)")

    axes[-1].set_xticks(x, labels, rotation=45, ha="right", fontsize="small")
    buffer = io.BytesIO()
    # No creation date and a fixed id salt keep SVG output byte-for-byte reproducible.
    metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {"Software": "crepitus"}
    with rc_context({"svg.hashsalt": "crepitus"}):
        fig.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()
