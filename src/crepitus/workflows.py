"""Use-case functions shared by the Python API, the CLI and (later) the web app.

Adapters parse and format; every decision is taken here or below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from crepitus.domain import Assessment, Disposition, Evidence, Reason
from crepitus.findings import Findings, parse_findings
from crepitus.knowledge.texts import load_texts
from crepitus.mechanism import explain, load_model
from crepitus.triage import load_rulebook, open_questions, triage

if TYPE_CHECKING:  # pragma: no cover
    from crepitus.plan import PelvicTilt, Plan


def coerce_findings(findings: Findings | Mapping[str, Any] | None) -> Findings:
    """Accept ``Findings``, a ``crepitus.findings/1`` document, or a plain code → value map."""
    if findings is None:
        return Findings()
    if isinstance(findings, Findings):
        return findings
    if "findings" in findings or "schema" in findings:
        return parse_findings(findings)
    return parse_findings({"findings": dict(findings)})


def knowledge_version() -> str:
    """One string naming the versions of every knowledge file an assessment used."""
    from crepitus.findings import load_vocabulary

    return (
        f"findings {load_vocabulary().version}; rules {load_rulebook().version}; "
        f"mechanism {load_model().version}; texts {load_texts().version}"
    )


def assess(
    findings: Findings | Mapping[str, Any] | None = None,
    *,
    evidence: Sequence[Evidence] = (),
) -> Assessment:
    """Assess what a person reports: disposition, red flags, likely mechanism, reasons.

    Parameters
    ----------
    findings
        What the person reports: :class:`~crepitus.findings.Findings`, a
        ``crepitus.findings/1`` document, or a plain ``{code: value}`` mapping.
        Absent codes are unknown — never "no".
    evidence
        Extra mechanism evidence (e.g. from recordings).  It changes the
        mechanism probabilities only; urgency comes from findings alone.

    Returns
    -------
    Assessment
        With at least one reason, each citing its source.

    Raises
    ------
    InvalidInputError
        For unknown codes, wrong types or out-of-range values.

    Examples
    --------
    >>> from crepitus import assess
    >>> assess({"neuro.saddle_numbness": True}).disposition.code
    'emergency'
    """
    values = coerce_findings(findings)
    result = triage(values)
    texts = load_texts()
    model = load_model()

    all_evidence = model.evidence_from_findings(values) + list(evidence)
    mechanisms = model.posterior(all_evidence)
    reasons: list[Reason] = list(result.reasons)
    if not any(r.disposition and r.disposition > Disposition.SELF_CARE for r in result.reasons):
        notice = texts.no_warning_signs
        reasons.append(Reason(rule=notice.id, source=notice.source, text=notice.text))
    advice = texts.dispositions[result.disposition].advice
    if result.serious_unknown:
        notice = texts.screen_incomplete
        reasons.append(
            Reason(rule=notice.id, source=notice.source, text=notice.text, kind="safety")
        )
        advice = f"{advice} {notice.text}"
    top = mechanisms[0][0]
    if top == "undetermined":
        reasons.append(
            Reason(
                rule="mech.undetermined",
                source=model.prior_source,
                text="There is not enough information about the noise to say what makes it; "
                "describing the sound (or recording it) would help.",
                kind="mechanism",
            )
        )
    else:
        reasons.extend(explain(all_evidence, top))
    return Assessment(
        disposition=result.disposition,
        red_flags=result.red_flags,
        mechanisms=mechanisms,
        reasons=tuple(reasons),
        advice=advice,
        next_steps=texts.dispositions[result.disposition].next_steps,
        safety_net=texts.safety_net,
        open_questions=lambda: open_questions(values),
        plan_builder=lambda a: plan_for(a).to_json(),
        findings=dict(values),
        knowledge_version=knowledge_version(),
    )


def plan_for(
    assessment: Assessment, *, pelvic_tilt: PelvicTilt | None = None, today: date | None = None
) -> Plan:
    """The exercise and posture plan for an assessment (safety-gated by its disposition)."""
    from crepitus.plan import make_plan

    return make_plan(assessment, pelvic_tilt=pelvic_tilt, today=today)


def make_plan_from_findings(
    findings: Findings | Mapping[str, Any] | None,
    *,
    pelvic_tilt: PelvicTilt | None = None,
    today: date | None = None,
) -> tuple[Assessment, Plan]:
    """Assess, then plan: the ``crepitus plan`` workflow."""
    assessment = assess(findings)
    return assessment, plan_for(assessment, pelvic_tilt=pelvic_tilt, today=today)
