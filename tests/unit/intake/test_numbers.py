"""Number parsing: ages, pain scores and durations (weeks)."""

from __future__ import annotations

import pytest

from crepitus.intake.numbers import find_ages, find_durations, find_pain_scores, weeks_from


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("I'm 52 and", 52),
        ("52 year old", 52),
        ("a 29-year-old runner", 29),
        ("45yo", 45),
        ("22m", 22),
        ("I am 81,", 81),
        ("71 years young", 71),
    ],
)
def test_ages(text: str, age: int) -> None:
    assert [a.value for a in find_ages(text)] == [age]


@pytest.mark.parametrize(
    "text", ["I'm 5 weeks pregnant", "I'm 6 foot", "my 8 year old son", "I'm 200"]
)
def test_not_ages(text: str) -> None:
    assert find_ages(text) == []


def test_pain_scores() -> None:
    assert [s.value for s in find_pain_scores("pain 8/10 yesterday, 3 out of 10 today")] == [8, 3]
    assert [s.value for s in find_pain_scores("pain score of 7")] == [7]
    assert find_pain_scores("12/10 lol") == []
    assert find_pain_scores("pain for 3 weeks") == []


def test_durations_and_units() -> None:
    assert (
        weeks_from(10, "days") == 1
        and weeks_from(3, "months") == 13
        and weeks_from(1, "year") == 52
    )
    got = [
        (d.value, d.vague) for d in find_durations("for about two months now, and a few weeks ago")
    ]
    assert got == [(9, False), (3, True)]
    assert find_durations("for years")[0].vague


def test_colon_and_equals_scores() -> None:
    assert [s.value for s in find_pain_scores("pain: 5, pain=4")] == [5, 4]


@pytest.mark.parametrize(
    "text",
    [
        "pain" + " " * 20_000,
        "pain score" + " " * 20_000 + "x",
        "pain:" + " " * 20_000 + "x",
        "I am" + " " * 20_000,
        "age" + " " * 20_000 + "x",
        "52" + " " * 20_000 + "y",
        "for" + " " * 20_000 + "x",
        "in the last" + " " * 20_000,
        "5" + " " * 20_000 + "of",
    ],
)
def test_long_whitespace_runs_are_parsed_without_backtracking_blowup(text: str) -> None:
    # A regression guard for catastrophic backtracking (stacked optional \s*):
    # these finished only after minutes before the fix; now they are linear.
    assert find_ages(text) == [] and find_pain_scores(text) == []
    assert all(d.kind == "duration" for d in find_durations(text))
