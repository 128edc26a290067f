"""Fixtures for the plan tests: assessments built directly (no triage engine needed)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest

from crepitus.domain import Assessment, Disposition, Reason

MakeAssessment = Callable[..., Assessment]


def build_assessment(
    disposition: Disposition = Disposition.SELF_CARE,
    *,
    red_flags: Sequence[str] = (),
    mechanisms: Sequence[tuple[str, float]] = (("cavitation", 0.8), ("undetermined", 0.2)),
    findings: Mapping[str, Any] | None = None,
    screen_complete: bool = True,
) -> Assessment:
    return Assessment(
        disposition=disposition,
        red_flags=tuple(red_flags),
        mechanisms=tuple(mechanisms),
        reasons=(Reason(rule="test.rule", source="test", text="test"),),
        advice="",
        next_steps=(),
        safety_net=(),
        findings=dict(findings or {}),
        screen_complete=screen_complete,
    )


@pytest.fixture
def make_assessment() -> MakeAssessment:
    return build_assessment
