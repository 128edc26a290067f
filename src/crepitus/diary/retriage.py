"""Re-triage: notice when the diary shows something the last assessment did not know.

Three signals trigger a re-assessment (issue 7; research/clinical.md §5.3: "If
new neuro symptoms or any §1 flag appears: stop and re-triage"):

* **a new symptom** logged with an episode (``crepitus log --symptom CODE``)
  that the latest stored assessment did not have as true — red flags and nerve
  symptoms (``neuro.*``) are named as such;
* **a warning sign or nerve symptom mentioned in a note** ("my left leg
  tingles"), read with the free-text intake (:mod:`crepitus.intake`, negation
  aware: "no tingling" is not a mention).  Only red-flag screen codes and
  ``neuro.*`` codes count from notes — a note saying "it popped" is not news —
  and the alert says the symptom was read from the note, unconfirmed;
* **leg symptoms spreading** during or after an exercise session
  (peripheralisation; the pain-monitoring model's stop rule, §5.3);
* **rising pain**: the latest week's mean pain is at least 2 points above the
  previous week's — the NPRS minimal clinically important difference (Ostelo
  et al. 2008, *Spine* 33:90; §5.1).

The findings of the latest assessment plus the new ones (and
``pain.worsening`` / ``pain.score`` for rising pain) are re-assessed with the
same engine as ``crepitus assess``; the alert says what triggered it and how
the disposition changed.  Signals older than :data:`LOOKBACK_DAYS` are not
"new" any more.

Deviations: the 30 % relative MCID (Ostelo 2008) is not used — on a diary's
low pain scores (1 → 1.3) it would alert on noise; only the absolute 2-point
rise is.  A stored assessment *acknowledges* a symptom only when its findings
hold that code as true; an alert therefore stays until the person is
re-assessed with it (``crepitus assess`` storing the result).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from crepitus.diary.trends import DAYS_PER_WEEK, WeekSummary, week_start
from crepitus.diary.types import Episode, StoredAssessment, StoredExerciseSession
from crepitus.domain import Assessment, Disposition
from crepitus.findings import Findings, load_vocabulary

RETRIAGE_SCHEMA = "crepitus.retriage/1"
PAIN_RISE_MCID = 2.0
"""NPRS minimal clinically important difference, points (Ostelo 2008; clinical.md §5.1)."""
LOOKBACK_DAYS = 28
"""How long a logged symptom counts as new: four weekly summaries."""
MAX_WEEKS_BETWEEN = 4
"""The two weeks compared for rising pain may be at most this many weeks apart."""

TriggerKind = Literal["rising_pain", "new_symptom", "new_nerve_symptom", "leg_symptoms_spread"]
AssessFn = Callable[[Findings], Assessment]
NoteReader = Callable[[str], Mapping[str, Any]]
"""Free text → finding codes (``crepitus.intake``): what a note mentions."""


@dataclass(frozen=True, slots=True)
class Trigger:
    """One thing in the diary that calls for a re-assessment."""

    kind: TriggerKind
    text: str
    codes: tuple[str, ...] = ()
    entry_ids: tuple[str, ...] = ()
    from_note: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "codes": list(self.codes),
            "entry_ids": list(self.entry_ids),
            "from_note": self.from_note,
        }


@dataclass(frozen=True, slots=True)
class RetriageAlert:
    """What triggered a re-assessment, its result, and what changed."""

    triggers: tuple[Trigger, ...]
    findings: Mapping[str, Any]
    previous: StoredAssessment | None
    assessment: Assessment | None
    new_red_flags: tuple[str, ...] = ()
    message: str = ""
    updates: Mapping[str, Any] = field(default_factory=dict)

    @property
    def disposition(self) -> Disposition | None:
        return None if self.assessment is None else self.assessment.disposition

    @property
    def escalated(self) -> bool:
        """True when the re-assessment is more urgent than the last stored one."""
        if self.assessment is None:
            return False
        before = self.previous.disposition if self.previous else Disposition.SELF_CARE
        return self.assessment.disposition > before

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": RETRIAGE_SCHEMA,
            "triggers": [t.to_json() for t in self.triggers],
            "previous": None
            if self.previous is None
            else {
                "id": self.previous.id,
                "recorded_at": self.previous.recorded_at.isoformat(timespec="seconds"),
                "disposition": self.previous.disposition.code,
            },
            "disposition": None if self.disposition is None else self.disposition.code,
            "escalated": self.escalated,
            "new_red_flags": list(self.new_red_flags),
            "message": self.message,
            "assessment": None if self.assessment is None else self.assessment.to_json(),
        }


def symptom_triggers(
    episodes: Iterable[Episode],
    sessions: Iterable[StoredExerciseSession],
    previous: StoredAssessment | None,
    *,
    now: datetime,
    read_note: NoteReader | None = None,
) -> tuple[list[Trigger], dict[str, Any]]:
    """Symptoms logged in the last :data:`LOOKBACK_DAYS` that the last assessment lacked.

    Parameters
    ----------
    read_note
        Turns a note into finding codes; ``None`` ignores notes.

    Returns
    -------
    triggers, updates
        The triggers and the finding updates (code → True) to re-assess with.
    """
    cutoff = now - timedelta(days=LOOKBACK_DAYS)
    known_true = {c for c, v in (previous.findings if previous else {}).items() if v is True}
    vocab = load_vocabulary()
    logged: dict[str, list[str]] = {}
    noted: dict[str, list[str]] = {}
    for episode in episodes:
        # A back-dated entry is new to us when it was *logged*, whatever date it describes:
        # a red flag written down today must alert today.
        if max(episode.when, episode.logged_at) < cutoff:
            continue
        for code, value in episode.findings.items():
            if value is True and code not in known_true:
                logged.setdefault(code, []).append(episode.id)
        if read_note is not None and episode.note.strip():
            for code, value in read_note(episode.note).items():
                worth_noting = code.startswith("neuro.") or (code in vocab and vocab[code].screen)
                if value is True and worth_noting and code not in known_true:
                    noted.setdefault(code, []).append(episode.id)

    triggers: list[Trigger] = []
    for code, ids in [*logged.items(), *((c, i) for c, i in noted.items() if c not in logged)]:
        wording = vocab[code].question if code in vocab else code
        nerve = code.startswith("neuro.")
        from_note = code not in logged
        how = "mentioned in your note (please confirm)" if from_note else "logged"
        triggers.append(
            Trigger(
                kind="new_nerve_symptom" if nerve else "new_symptom",
                text=f"new {'nerve symptom' if nerve else 'symptom'} {how}: {code} ({wording})",
                codes=(code,),
                entry_ids=tuple(ids),
                from_note=from_note,
            )
        )
    first_seen = {**noted, **logged}
    spread = [
        s
        for s in sessions
        if s.session.leg_symptoms_spread
        and s.logged_at >= cutoff
        and (previous is None or s.logged_at > previous.recorded_at)
    ]
    if spread:
        names = sorted({s.session.exercise_id for s in spread})
        triggers.append(
            Trigger(
                kind="leg_symptoms_spread",
                text="leg symptoms spread during or after exercise ("
                + ", ".join(names)
                + "): stop that exercise until re-assessed",
                entry_ids=tuple(s.id for s in spread),
            )
        )
    return triggers, dict.fromkeys(first_seen, True)


def rising_pain_trigger(
    summaries: Sequence[WeekSummary],
    *,
    today: date,
    previous: StoredAssessment | None = None,
) -> Trigger | None:
    """A trigger if the latest week's mean pain rose by at least the MCID.

    The latest week with pain must be this week or last week (an old rise is
    history, not news); it is compared with the nearest earlier week with pain
    at most :data:`MAX_WEEKS_BETWEEN` weeks before it.  An assessment stored
    during or after that week with ``pain.worsening`` true has already taken
    the rise into account, so it does not trigger again.
    """
    with_pain = [s for s in summaries if s.pain_mean is not None]
    if len(with_pain) < 2:
        return None
    latest, earlier = with_pain[-1], with_pain[-2]
    if latest.week_start < week_start(today) - timedelta(days=DAYS_PER_WEEK):
        return None
    if (latest.week_start - earlier.week_start).days > MAX_WEEKS_BETWEEN * DAYS_PER_WEEK:
        return None
    assert latest.pain_mean is not None and earlier.pain_mean is not None
    rise = latest.pain_mean - earlier.pain_mean
    if rise < PAIN_RISE_MCID:
        return None
    if (
        previous is not None
        and previous.findings.get("pain.worsening") is True
        and previous.recorded_at.astimezone().date() >= latest.week_start
    ):
        return None
    return Trigger(
        kind="rising_pain",
        text=(
            f"pain is rising: weekly mean {earlier.pain_mean:.1f} ({earlier.iso_week}) → "
            f"{latest.pain_mean:.1f} ({latest.iso_week}), a rise of {rise:.1f} points "
            f"(≥{PAIN_RISE_MCID:g} is a clinically important change)"
        ),
        codes=("pain.worsening",),
    )


def _merged_findings(previous: StoredAssessment | None, updates: Mapping[str, Any]) -> Findings:
    """The last assessment's findings plus the updates, dropping codes this release lacks."""
    vocab = load_vocabulary()
    base = {c: v for c, v in (previous.findings if previous else {}).items() if c in vocab}
    base.update({c: v for c, v in updates.items() if c in vocab})
    return Findings.of(base)


def _message(
    triggers: Sequence[Trigger],
    previous: StoredAssessment | None,
    assessment: Assessment | None,
    new_red_flags: Sequence[str],
) -> str:
    lines = ["Your diary shows something new:"]
    lines += [f"  - {t.text}" for t in triggers]
    if assessment is None:
        lines.append(
            "Re-assess now with `crepitus assess` and include these symptoms; if you are "
            "worried, contact a clinician."
        )
        return "\n".join(lines)
    new = assessment.disposition.code
    if previous is None:
        lines.append(f"Re-assessed with these symptoms: {new}.")
    elif assessment.disposition > previous.disposition:
        lines.append(f"Re-assessed: urgency ROSE from {previous.disposition.code} to {new}.")
    else:
        lines.append(f"Re-assessed: still {new} (was {previous.disposition.code}).")
    if new_red_flags:
        lines.append("New warning signs: " + ", ".join(new_red_flags) + ".")
    if assessment.advice:
        lines.append(assessment.advice)
    return "\n".join(lines)


def build_alert(
    triggers: Sequence[Trigger],
    updates: Mapping[str, Any],
    previous: StoredAssessment | None,
    *,
    assess: AssessFn | None,
) -> RetriageAlert:
    """Re-assess with the merged findings and describe what changed."""
    findings = _merged_findings(previous, updates)
    assessment = assess(findings) if assess is not None else None
    before = set(previous.red_flags) if previous else set()
    new_flags = tuple(f for f in assessment.red_flags if f not in before) if assessment else ()
    return RetriageAlert(
        triggers=tuple(triggers),
        findings=dict(findings),
        previous=previous,
        assessment=assessment,
        new_red_flags=new_flags,
        message=_message(triggers, previous, assessment, new_flags),
        updates=dict(updates),
    )
