"""Use-case functions shared by the Python API, the CLI and (later) the web app.

Adapters parse and format; every decision is taken here or below.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crepitus.domain import Assessment, Disposition, Evidence, OpenQuestion, Reason
from crepitus.errors import InvalidInputError
from crepitus.findings import Findings, load_vocabulary, parse_findings
from crepitus.knowledge.texts import load_texts
from crepitus.mechanism import explain, load_model
from crepitus.questionnaire.flow import not_applicable
from crepitus.triage import load_rulebook, open_questions, triage

if TYPE_CHECKING:  # pragma: no cover
    from crepitus.fusion import RecordingAnalysis
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


@functools.cache
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
    text: str | None = None,
    audio: str | Path | None = None,
    motion: str | Path | None = None,
    evidence: Sequence[Evidence] = (),
    audio_start_unix_s: float | None = None,
) -> Assessment:
    """Assess what a person reports: disposition, red flags, likely mechanism, reasons.

    Parameters
    ----------
    findings
        What the person reports: :class:`~crepitus.findings.Findings`, a
        ``crepitus.findings/1`` document, or a plain ``{code: value}`` mapping.
        Absent codes are unknown — never "no".
    text
        The person's own description (free-text intake, contracts §5).  What it
        recognises pre-fills findings and explicit ``findings`` win — except that
        a red flag described in the person's words stands against a "no" answer,
        and a red-flag denial read from text is never used.  The words that
        produced each finding are kept in ``intake``.
    audio, motion
        Optional recordings of the same walk (any format ``crepitus listen`` /
        ``crepitus walk`` read).  They add mechanism evidence and may add
        findings the person did not answer (e.g. grinding heard on most steps);
        they never overwrite an answer, so they can raise urgency, never lower
        it.  If one of two recordings cannot be read, the other is used and the
        skip is reported in ``recording.notes``.
    evidence
        Extra mechanism evidence.  It changes the mechanism probabilities only.
    audio_start_unix_s
        Absolute start of the audio, when known, for shared-clock alignment.

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
    reported = coerce_findings(findings)
    intake_doc = None
    if text is not None:
        reported, intake_doc = _with_text(reported, text)
    recording = None
    recording_evidence: list[Evidence] = []
    values = reported
    unusable: list[str] = []
    if audio is not None or motion is not None:
        recording, added, unusable = _analyse_recordings(
            audio, motion, reported, audio_start_unix_s
        )
        if recording is not None:
            recording_evidence = list(recording.evidence)
            values = reported.merged(added)
    result = triage(values)
    texts = load_texts()
    model = load_model()

    # Mechanism evidence from what the person *reported*, plus what the recordings showed:
    # findings added by a recording are not counted twice.
    all_evidence = model.evidence_from_findings(reported) + recording_evidence + list(evidence)
    mechanisms = model.posterior(all_evidence)
    reasons: list[Reason] = list(result.reasons)
    vocab = load_vocabulary()
    flags_yes = vocab.screen_yes(values)
    unexplained = [c for c in flags_yes if not any(c in r.findings for r in result.reasons)]
    # Follow-ups that would never be asked ("is that weakness getting worse?" after "no
    # weakness") neither keep the screen open nor appear as open questions.
    skip = not_applicable(values)
    could_become_urgent = result.serious_unknown and not (
        skip and not triage(values.merged(dict.fromkeys(skip, False))).serious_unknown
    )
    unanswered = [c for c in vocab.screen_questions if c not in values and c not in skip]

    @functools.cache
    def still_open() -> tuple[OpenQuestion, ...]:
        return tuple(q for q in open_questions(values) if q.code not in skip)

    if not unanswered and not could_become_urgent:
        # Every warning-sign question is answered, but a question outside the screen can
        # still be the one that decides (past cancer with 0/10 pain: "sharp pain when you
        # move?" would make it urgent) — the screen is not finished until it is answered.
        could_become_urgent = any(q.would_be >= Disposition.URGENT for q in still_open())
    # Complete = every yes/no warning-sign question answered (or not applicable) and no open
    # answer could make the result urgent: only then may anything be called harmless
    # (docs/safety.md H06).
    screen_complete = not could_become_urgent and not unanswered
    headline = texts.dispositions[result.disposition].headline
    advice = texts.dispositions[result.disposition].advice
    next_steps = texts.dispositions[result.disposition].next_steps
    if could_become_urgent or (unanswered and result.disposition < Disposition.URGENT):
        notice = texts.screen_incomplete
        reasons.append(
            Reason(rule=notice.id, source=notice.source, text=notice.text, kind="safety")
        )
        # Self-care advice ("usually not a sign of harm") waits for the answers; a more
        # urgent level's advice stands, with the open questions first.
        advice = (
            notice.text
            if result.disposition == Disposition.SELF_CARE
            else f"{notice.text} {advice}"
        )
        if result.disposition < Disposition.URGENT:
            assert notice.headline and notice.next_step  # required by load_texts
            headline = (
                notice.headline
                if result.disposition == Disposition.SELF_CARE
                else f"{headline} — and answer the open warning-sign questions below"
            )
            next_steps = (notice.next_step, *next_steps)
    if unexplained:
        # A warning-sign "yes" that no rule acts on (osteoporosis alone): say it was heard,
        # finished screen or not.
        notice = texts.flag_noted
        asked = "; ".join(f"“{vocab[c].question}”" for c in unexplained)
        reasons.append(
            Reason(
                rule=notice.id,
                source=notice.source,
                text=f"{notice.text} ({asked})",
                findings=tuple(unexplained),
            )
        )
    elif (
        screen_complete
        and not flags_yes
        and not any(r.disposition and r.disposition > Disposition.SELF_CARE for r in result.reasons)
    ):
        notice = texts.no_warning_signs
        reasons.append(Reason(rule=notice.id, source=notice.source, text=notice.text))
    if unusable:
        # Answers were given but no recording could be read: the answers still decide —
        # a "yes" to a warning sign must never be lost behind "record again" (review 3, P1-1).
        reasons.append(
            Reason(
                rule="recording.unusable",
                source="docs/safety.md H19 (no advice lost to an input error)",
                text="Your recordings could not be used ("
                + "; ".join(unusable)
                + "), so this result rests on your answers only.",
                kind="safety",
            )
        )
    if intake_doc is not None and intake_doc["conflicts"]:
        reasons.append(
            Reason(
                rule="intake.red-flag-conflict",
                source="docs/safety.md H07 (free-text and answers disagree)",
                text="Your answers said no, but your own words describe "
                + ", ".join(intake_doc["conflicts"])
                + ". To be safe, we went with your words.",
                kind="safety",
                findings=tuple(intake_doc["conflicts"]),
            )
        )
    top = mechanisms[0][0]
    if top == "undetermined":
        reasons.append(
            Reason(
                rule="mech.undetermined",
                source=model.prior_source,
                text=(
                    "Your answers and the recording do not point clearly to one cause of the "
                    "noise (the recording may not have picked it up); describing the sound in "
                    "the questions, or recording again with the phone held against the lower "
                    "back, may help."
                    if recording is not None
                    else "What you described fits more than one cause, so it is not clear yet "
                    "what makes the noise; recording a walk (crepitus listen) would help tell "
                    "them apart."
                    if any(c in values for c in _SOUND_DESCRIPTION)
                    else "There is not enough information about the noise to say what makes "
                    "it; describing the sound (or recording it) would help."
                ),
                kind="mechanism",
            )
        )
    else:
        reasons.extend(r for r in explain(all_evidence, top) if r.kind != "recording")
    reasons.extend(
        Reason(rule=e.id, source=e.source, text=e.description, kind="recording")
        for e in recording_evidence
    )
    return Assessment(
        disposition=result.disposition,
        red_flags=result.red_flags,
        mechanisms=mechanisms,
        reasons=tuple(reasons),
        advice=advice,
        next_steps=next_steps,
        safety_net=texts.safety_net,
        open_questions=still_open,
        plan_builder=lambda a: plan_for(a).to_json(),
        findings=dict(values),
        knowledge_version=knowledge_version(),
        headline=headline,
        screen_complete=screen_complete,
        intake=intake_doc,
        recording=None
        if recording is None
        else recording.to_json(
            added_findings={k: bool(v) for k, v in values.items() if k not in reported}
        ),
    )


#: Answers that describe the noise itself: with any of them, "describe it" is no advice.
_SOUND_DESCRIPTION = ("sound.pop", "sound.snap", "sound.grind", "sound.every_step", "sound.relief")


def _with_text(reported: Findings, text: str) -> tuple[Findings, dict[str, Any]]:
    """Findings from free text under the explicit answers, and the trace.

    Explicit answers win — except that a red flag the person *wrote* about is never
    silenced by a "no" ticked elsewhere: for red-flag screen codes a "yes" from
    either source stands, and the conflict is reported.  Denials of red flags read
    from text are not used at all (``IntakeResult.trusted_findings``).
    """
    from crepitus.findings import load_vocabulary
    from crepitus.intake import extract

    result = extract(text)
    from_text = result.trusted_findings
    vocab = load_vocabulary()
    conflicts = [
        c
        for c, v in from_text.items()
        if v is True and reported.get(c) is False and vocab[c].screen
    ]
    merged = from_text.merged(dict(reported)).merged(dict.fromkeys(conflicts, True))
    doc = result.to_document()["intake"]
    doc["used"] = {c: v for c, v in from_text.items() if c not in reported or c in conflicts}
    doc["not_used"] = {c: v for c, v in result.findings.items() if c not in from_text}
    doc["conflicts"] = conflicts
    return merged, doc


def _analyse_recordings(
    audio: str | Path | None,
    motion: str | Path | None,
    reported: Findings,
    audio_start_unix_s: float | None,
) -> tuple[RecordingAnalysis | None, dict[str, bool], list[str]]:
    """Listen, walk and fuse what is readable; say what was skipped.

    An unreadable file is skipped, not fatal, while anything else is left to assess:
    the other recording, or the person's answers (then the analysis is ``None`` and the
    third value names every unusable file).  Only with no answers and no readable
    recording is it an error — naming every file that failed.
    """
    from crepitus.acoustics import listen
    from crepitus.fusion import analyse_recordings
    from crepitus.fusion.evidence import added_findings
    from crepitus.motion import NO_WALKING, walk

    errors: list[tuple[str, InvalidInputError]] = []
    sounds = gait = None
    if audio is not None:
        try:
            sounds = listen(audio)
        except InvalidInputError as exc:
            errors.append(("audio", exc))
    if motion is not None:
        try:
            gait = walk(motion)
        except InvalidInputError as exc:
            errors.append(("motion", exc))
    skipped = [f"{what} skipped: {exc}" for what, exc in errors]
    if sounds is None and gait is None:
        if not reported:
            if len(errors) == 1:
                raise errors[0][1]
            raise InvalidInputError("; ".join(str(exc) for _, exc in errors))
        return None, {}, skipped
    if gait is not None and motion is not None and not gait.bouts:
        skipped.append(f"motion ({Path(motion).name}): {NO_WALKING}")  # not an error for walk()
    analysis = analyse_recordings(sounds, gait, audio_start_unix_s=audio_start_unix_s)
    analysis.notes[:0] = skipped
    return analysis, added_findings(analysis.found_findings, reported), []


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
