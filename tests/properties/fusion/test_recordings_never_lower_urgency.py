"""Recordings can only add findings that were not answered — and that never lowers urgency;
their mechanism evidence never changes it at all."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from crepitus import assess
from crepitus.domain import MECHANISMS, Evidence
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


@settings(max_examples=40)
@given(
    findings_values(),
    st.lists(st.fixed_dictionaries({m: st.floats(1e-6, 1.0) for m in MECHANISMS}), max_size=4),
)
def test_mechanism_evidence_never_changes_urgency(
    reported: dict[str, Any], likelihoods: list[dict[str, float]]
) -> None:
    """Whatever a recording says about the mechanism (any pop count, any rhythm), the
    disposition, red flags and headline are those of the answers alone."""
    evidence = [
        Evidence(id=f"rec.test-{i}", description="", likelihood=lik, source="", kind="recording")
        for i, lik in enumerate(likelihoods)
    ]
    alone = assess(reported)
    with_evidence = assess(reported, evidence=evidence)
    assert with_evidence.disposition == alone.disposition
    assert with_evidence.red_flags == alone.red_flags
    assert with_evidence.headline == alone.headline
