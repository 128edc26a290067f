"""Numbers people write: age, a 0–10 pain score, and how long something has lasted.

Regular expressions run on the original text (case-insensitive) so the
character offsets of each span are exact.  The rule ids (``num.age.im`` …)
appear in the span trace.

Decisions
---------
* **Age ranges are left out.**  "In my 60s" straddles the thresholds the triage
  rules use (>50, >60 for a first episode; <45 for the axSpA pathway): the lower
  bound (60) fails ">60" for most people in their sixties, a midpoint invents a
  number.  Age is on the red-flag screen and is always asked, so an exact
  answer costs one question; the range is kept as a note.
* **Durations → weeks**: days // 7, months × 52/12 rounded, years × 52 (the
  vocabulary's ``pain.weeks`` is whole weeks so far).  Vague amounts ("a few
  weeks") are used only to decide ``sound.new`` (< 6 weeks, contracts §1),
  never as a ``pain.weeks`` value.
* **Pain score**: "7/10", "7 out of 10", "pain score of 7"; several → the
  highest (the vocabulary asks for the worst in the last week).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "couple of": 2,
    "a couple": 2,
    "a few": 3,
    "few": 3,
    "several": 3,
}
_VAGUE = {"a couple of", "couple of", "a couple", "a few", "few", "several"}
_NUM = (
    r"(?P<n>\d{1,4}|a\s+couple\s+of|couple\s+of|a\s+couple|a\s+few|few|several|an|a|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
)
_UNIT = r"(?P<u>days?|weeks?|wks?|months?|mths?|years?|yrs?)"
_NOT_AGE_UNIT = (
    r"(?!\s*(?:%|percent|kgs?\b|kilos?|lbs?\b|pounds?|st\b|stones?|weeks?|wks?|days?|months?|"
    r"hours?|hrs?|mins?|minutes?|times|cm\b|ft\b|feet|foot|inch|inches|miles?|km\b|x\b|/|out\b|of\b|\.\d|am\b|pm\b|"
    r"steps?|reps?|sets?))"
)

_AGE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "num.age.years-old",
        re.compile(
            r"\b(?P<n>\d{1,3})\s*(?:-\s*)?(?:years?|yrs?|y)\s*(?:-\s*)?(?:old|young|of\s+age)\b"
            r"|\b(?P<n2>\d{1,3})\s*(?:yo|y/o|y\.o\.?)(?![a-z])",
            re.IGNORECASE,
        ),
    ),
    (
        "num.age.im",
        re.compile(
            r"\b(?:i['’]?m|i\s+am|aged?|age(?::|\s+:)?)\s+(?:a\s+|an\s+|just\s+|only\s+|now\s+|almost\s+|nearly\s+)?"
            r"(?P<n>\d{1,3})\b" + _NOT_AGE_UNIT,
            re.IGNORECASE,
        ),
    ),
    ("num.age.sex-suffix", re.compile(r"(?<![\w/])(?P<n>\d{2})\s?[mf](?![a-z0-9])", re.IGNORECASE)),
    ("num.age.now", re.compile(r"\bnow,?\s+(?P<n>\d{2})\b" + _NOT_AGE_UNIT, re.IGNORECASE)),
)
_AGE_OTHER = re.compile(
    r"^\W*(?:son|daughter|kid|child|boy|girl|grandson|granddaughter|dog|cat|baby|toddler|nephew|niece|"
    r"brother|sister|husband|wife|mum|mom|dad|father|mother|friend)\b",
    re.IGNORECASE,
)
_AGE_RANGE = re.compile(
    r"\b(?:in\s+(?:my|her|his)\s+)?(?:(?:early|mid|late)[\s-]+)?(?:\d0['’]?s|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b",
    re.IGNORECASE,
)

_SCORE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "num.score.of-10",
        re.compile(r"\b(?P<n>\d{1,2})\s*(?:/|out\s+of|outta|of)\s*10\b", re.IGNORECASE),
    ),
    (
        "num.score.pain-is",
        re.compile(
            # Each optional part owns its trailing space, so a run of spaces can
            # only be split one way (no catastrophic backtracking).
            r"\bpain(?:\s+(?:score|level|rating))?(?:\s+(?:is|of|at)|\s*[=:])?\s*"
            r"(?:(?:a|an|about|around|like|roughly|usually)\s+){0,2}"
            r"(?P<n>\d{1,2})\b(?!\s*(?:/|out\b|of\b|weeks?|days?|months?|years?|hours?|am\b|pm\b|times|%))",
            re.IGNORECASE,
        ),
    ),
)

_DURATION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "num.duration.for",
        re.compile(
            r"\b(?:for|over|since|lasted|lasting|past|last|about|around|nearly|almost|only|just)\s+"
            r"(?:about\s+|around\s+|roughly\s+|nearly\s+|almost\s+|over\s+|the\s+(?:past|last)\s+)?"
            + _NUM
            + r"\s+"
            + _UNIT
            + r"\b",
            re.IGNORECASE,
        ),
    ),
    (
        "num.duration.ago",
        re.compile(r"\b" + _NUM + r"\s+" + _UNIT + r"\s+(?:ago|now|so\s+far)\b", re.IGNORECASE),
    ),
    (
        "num.duration.the-last",
        re.compile(
            r"\b(?:in|over|within|during)\s+the\s+(?:past|last)\s+(?:"
            + _NUM
            + r"\s+)?"
            + _UNIT
            + r"\b",
            re.IGNORECASE,
        ),
    ),
    ("num.duration.last-unit", re.compile(r"\blast\s+(?P<u>week|month)\b", re.IGNORECASE)),
    (
        "num.duration.years",
        re.compile(
            r"\b(?:for|over)\s+(?:many\s+|several\s+|some\s+)?(?P<u>years|ages|decades|a\s+long\s+time)\b",
            re.IGNORECASE,
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class NumberSpan:
    """A number found in the text, with its rule and character span."""

    kind: str  # "age" | "pain.score" | "duration"
    value: int
    start: int
    end: int
    rule: str
    vague: bool = False


def _to_int(raw: str) -> int:
    key = " ".join(raw.lower().split())
    if key in _NUM_WORDS:
        return _NUM_WORDS[key]
    return int(key)


def _overlaps(a: tuple[int, int], spans: list[NumberSpan]) -> bool:
    return any(a[0] < s.end and s.start < a[1] for s in spans)


def find_ages(text: str) -> list[NumberSpan]:
    """Exact ages the writer gives for themself (ranges are reported by :func:`find_age_ranges`)."""
    out: list[NumberSpan] = []
    for rule, rx in _AGE_PATTERNS:
        for m in rx.finditer(text):
            raw = m.groupdict().get("n") or m.groupdict().get("n2")
            if raw is None or _overlaps(m.span(), out):
                continue
            if _AGE_OTHER.match(text[m.end() : m.end() + 20]):
                continue  # "my 8 year old son"
            value = int(raw)
            if 1 <= value <= 120:
                out.append(NumberSpan("age", value, m.start(), m.end(), rule))
    return sorted(out, key=lambda s: s.start)


def find_age_ranges(text: str) -> list[tuple[int, int, str]]:
    """Decade mentions ("in my 60s"): noted, not used as an age (see module docstring)."""
    return [(m.start(), m.end(), m.group(0)) for m in _AGE_RANGE.finditer(text)]


def find_pain_scores(text: str) -> list[NumberSpan]:
    out: list[NumberSpan] = []
    for rule, rx in _SCORE_PATTERNS:
        for m in rx.finditer(text):
            if _overlaps(m.span(), out):
                continue
            value = int(m.group("n"))
            if 0 <= value <= 10:
                out.append(NumberSpan("pain.score", value, m.start(), m.end(), rule))
    return sorted(out, key=lambda s: s.start)


def weeks_from(amount: int, unit: str) -> int:
    """Whole weeks in ``amount`` ``unit`` (days // 7, months × 52/12 rounded, years × 52)."""
    u = unit.lower()
    if u.startswith("d"):
        return amount // 7
    if u.startswith("w"):
        return amount
    if u.startswith("m"):
        return round(amount * 52 / 12)
    return amount * 52


def find_durations(text: str) -> list[NumberSpan]:
    """Durations in weeks; ``vague`` marks "a few weeks" and "for years"."""
    out: list[NumberSpan] = []
    for rule, rx in _DURATION_PATTERNS:
        for m in rx.finditer(text):
            if _overlaps(m.span(), out):
                continue
            unit = " ".join(str(m.group("u")).lower().split())
            groups = m.groupdict()
            if unit in ("years", "ages", "decades", "a long time"):
                out.append(NumberSpan("duration", 104, m.start(), m.end(), rule, vague=True))
                continue
            raw = groups.get("n")
            amount = _to_int(raw) if raw else 1
            vague = raw is not None and " ".join(str(raw).lower().split()) in _VAGUE
            weeks = weeks_from(amount, unit)
            if 0 <= weeks <= 5200:
                out.append(NumberSpan("duration", weeks, m.start(), m.end(), rule, vague=vague))
    return sorted(out, key=lambda s: s.start)
