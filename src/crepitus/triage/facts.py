"""Turning validated findings into the facts rules are evaluated on.

Booleans and choices stay as they are; integers become closed intervals
``(lo, hi)`` so that partly known derived facts can be compared honestly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Facts computed from findings, usable in rule conditions.
DERIVED_CODES: tuple[str, ...] = ("derived.onset_age",)

_WEEKS_PER_YEAR = 52.18


def facts_from_findings(values: Mapping[str, Any]) -> dict[str, Any]:
    """Facts for the rule engine from a validated findings mapping.

    ``derived.onset_age`` is the age at which the back pain began: ``age -
    pain.weeks / 52.18`` when both are known, somewhere in ``[0, age]`` when
    only the age is known (NICE NG65 asks about onset before 35 and before 45).
    """
    facts: dict[str, Any] = {}
    for code, value in values.items():
        if isinstance(value, int) and not isinstance(value, bool):
            facts[code] = (value, value)
        else:
            facts[code] = value
    age = values.get("age")
    if isinstance(age, int) and not isinstance(age, bool):
        weeks = values.get("pain.weeks")
        if isinstance(weeks, int) and not isinstance(weeks, bool):
            onset = max(0.0, age - weeks / _WEEKS_PER_YEAR)
            facts["derived.onset_age"] = (onset, onset)
        else:
            facts["derived.onset_age"] = (0, age)
    return facts
