"""Recordings can only add findings that were not answered — and that never lowers urgency."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from crepitus.fusion.evidence import added_findings
from crepitus.triage import triage

from ..triage.strategies import findings_values

# Everything crepitus.fusion.evidence can add (it only ever adds True sound findings).
ADDABLE = ("sound.pop", "sound.snap", "sound.grind", "sound.every_step")


@given(findings_values(), st.dictionaries(st.sampled_from(ADDABLE), st.just(True)))
def test_added_recording_findings_never_lower_urgency(
    reported: dict[str, Any], found: dict[str, bool]
) -> None:
    added = added_findings(found, reported)
    assert all(code not in reported for code in added)  # answers always win
    before = triage(reported).disposition
    after = triage({**reported, **added}).disposition
    assert after >= before
