"""One picture from what the person hears and does: sound events placed in the gait cycle.

``analyse_recordings`` takes the results of :func:`crepitus.acoustics.listen`
and :func:`crepitus.motion.walk` (either may be missing), puts them on one
clock (:mod:`crepitus.fusion.align`), places every joint sound in the stride
of the left or right leg (or in the step, when sides are unknown), tests
whether each kind of sound is locked to the gait cycle
(:mod:`crepitus.fusion.phase`), and turns what it found into mechanism
:class:`~crepitus.domain.Evidence` and added findings
(:mod:`crepitus.fusion.evidence`).  The mechanism model is the engine's own —
same model, more evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from crepitus.domain import Evidence
from crepitus.fusion.align import Alignment, align
from crepitus.fusion.evidence import recording_evidence
from crepitus.fusion.phase import (
    Cycle,
    IntervalRhythm,
    PhaseStats,
    cycles_from_contacts,
    fill_missed_steps,
    interval_rhythm,
    median_step_s,
    phase_stats,
    phase_stats_per_cycle,
)

if TYPE_CHECKING:  # pragma: no cover
    from crepitus.acoustics import SoundReport
    from crepitus.acoustics.classification import SoundEvent
    from crepitus.motion import GaitReport

JOINT_KINDS = ("pop", "snap", "grind")
#: Kinds whose unconfirmed sounds (:meth:`~crepitus.acoustics.SoundReport.unconfirmed_events`)
#: may join the rhythm tests.  Snaps only: a tendon snaps at one point of the stride and plain
#: walking has no snap-like sound locked there, but unconfirmed "grinding" is what clothing
#: rubbing at every step sounds like (research/acoustics.md §3.3): on the 400 development
#: sessions (``bench_fusion.py --split dev``) it called 4–6 plain and 3–5 pop walks crepitus.
UNCONFIRMED_KINDS = ("snap",)

__all__ = ["RecordingAnalysis", "analyse_recordings"]


@dataclass
class PlacedEvent:
    onset_s: float
    offset_s: float
    kind: str
    confidence: float
    motion_t_s: float | None
    cycle: str | None
    phase: float | None
    #: Not confirmed by listen one by one; it counts only through the rhythm tests.
    unconfirmed: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "onset_s": round(self.onset_s, 4),
            "offset_s": round(self.offset_s, 4),
            "kind": self.kind,
            "confidence": round(self.confidence, 3),
            "motion_t_s": None if self.motion_t_s is None else round(self.motion_t_s, 4),
            "side": self.cycle if self.cycle in ("left", "right") else None,
            "cycle": self.cycle,
            "phase_pct": None if self.phase is None else round(100 * self.phase, 1),
            "unconfirmed": self.unconfirmed,
        }


@dataclass
class RecordingAnalysis:
    """Everything the recordings showed, ready for the assessment's ``recording`` object."""

    alignment: Alignment | None
    events: list[PlacedEvent]
    phase_locking: dict[str, PhaseStats | None]
    evidence: list[Evidence]
    found_findings: dict[str, bool]
    walking_s: float
    cadence_spm: float | None = None
    pelvic_tilt: Mapping[str, Any] | None = None
    audio_summary: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_json(self, *, added_findings: Mapping[str, bool] | None = None) -> dict[str, Any]:
        return {
            "sources": dict(self.sources),
            "alignment": None if self.alignment is None else self.alignment.to_json(),
            "events": [e.to_json() for e in self.events],
            "phase_locking": {
                k: {**v.to_json(), "n_unconfirmed": n_unconfirmed(self.events).get(k, 0)}
                for k, v in self.phase_locking.items()
                if v
            },
            "cadence_spm": None if self.cadence_spm is None else round(self.cadence_spm, 1),
            "pelvic_tilt_deg": None if self.pelvic_tilt is None else dict(self.pelvic_tilt),
            "walking_s": round(self.walking_s, 1),
            "audio_summary": self.audio_summary,
            "evidence": [
                {"id": e.id, "text": e.description, "source": e.source} for e in self.evidence
            ],
            "added_findings": dict(added_findings or {}),
            "notes": list(self.notes),
        }


#: Fewer footsteps heard than this share of the steps taken: the microphone was not
#: hearing the walk (acoustics.md §3.1: heel strikes are the loudest regular sound of a walk).
MIN_FOOTSTEPS_HEARD = 0.5
#: Cadence assumed when there is no motion file to count the steps (gait.md §1: ~100–120 spm).
TYPICAL_CADENCE_SPM = 100.0


def _heard_the_walk(n_footsteps: int, walking_s: float, cadence_spm: float | None) -> bool:
    """Whether the audio heard enough footsteps for "no joint sound" to mean anything.

    A silent, muted or covered microphone hears neither footsteps nor joint sounds;
    counting that as "a snap would have been heard" would argue against the person's own
    description (review 3, P2-1).
    """
    if walking_s <= 0:
        return False
    expected = walking_s * (cadence_spm or TYPICAL_CADENCE_SPM) / 60.0
    return n_footsteps >= MIN_FOOTSTEPS_HEARD * expected


def _walking_windows(gait: GaitReport | None, footsteps: np.ndarray) -> list[tuple[float, float]]:
    """When the person walked: the motion's walking bouts, else first to last footstep heard.

    Times are on the clock the sounds are placed on (the motion's with ``gait``, the
    audio's without); empty when neither tells.
    """
    if gait is not None and gait.bouts:
        return [(b.start_s, b.end_s) for b in gait.bouts]
    if footsteps.size >= 2:
        return [(float(footsteps[0]), float(footsteps[-1]))]
    return []


#: A pop this close outside a walking window still counts as heard while walking: the first
#: and last steps of a bout are found to within about half a step (gait.md §2b).
WALKING_MARGIN_S = 0.5


def _while_walking(times: Sequence[float], windows: Sequence[tuple[float, float]]) -> list[float]:
    """The ``times`` inside a walking window (± :data:`WALKING_MARGIN_S`); all when unknown."""
    if not windows:
        return list(times)
    return [
        t
        for t in times
        if any(a - WALKING_MARGIN_S <= t <= b + WALKING_MARGIN_S for a, b in windows)
    ]


def _all_stats(
    placed: list[PlacedEvent], cycles: list[Cycle], offset: float, walking_s: float
) -> tuple[dict[str, PhaseStats | None], dict[str, list[float]]]:
    """Phase statistics and onset times (motion clock) per joint-sound kind."""
    stats: dict[str, PhaseStats | None] = {}
    onsets: dict[str, list[float]] = {}
    for kind in JOINT_KINDS:
        times = [p.onset_s + offset for p in placed if p.kind == kind]
        onsets[kind] = times
        stats[kind] = phase_stats(kind, times, cycles, duration_s=walking_s) if times else None
    return stats, onsets


#: Half-width of the phase window (fraction of the cycle) in which a pop joins a locked rhythm:
#: about 3 × the stride-time jitter of 1–3 % (research/acoustics.md §3.2).
RELABEL_WINDOW = 0.08


def _relabel_by_rhythm(
    placed: list[PlacedEvent], cycles: list[Cycle], offset: float, walking_s: float
) -> int:
    """Count pops (and the minority reading of snap vs grind) on a locked rhythm as its kind.

    A facet joint needs ~20 minutes before it can cavitate again (Unsworth 1971,
    research/acoustics.md §1.1), so a "pop" at the very phase of a cycle where a
    locked snap or grind keeps coming back is the same repeating source whose
    shape the classifier read differently.  Likewise a snap and grinding at one point
    of the same stride are one source (a tendon snaps once per stride, crepitus grinds
    once per loading, §3.2): the kind the classifier heard more often names it, and
    the other kind's events there join it.  Every cycle the rhythm locks to is
    checked, not only the most telling one: grinding on every step sits at one
    phase of the step but at two phases of each stride.  Only confirmed sounds set the
    rhythm and the count (sounds listen did not confirm may join it, never lead it: a
    heard pop is not renamed on their word).  Returns the number relabelled.
    """
    moved = _relabel_micro_clicks(placed)
    for kind in ("snap", "grind"):
        mine = [p for p in placed if p.kind == kind and not p.unconfirmed]
        if not mine:
            continue
        other = "grind" if kind == "snap" else "snap"
        theirs = sum(p.kind == other and not p.unconfirmed for p in placed)
        joins = {"pop"} | ({other} if len(mine) > theirs else set())
        times = [p.onset_s + offset for p in mine]
        # Grinding lasts (100–600 ms of the loading window, acoustics.md §3.2): its
        # micro-clicks can sit anywhere from the episode's onset to its end, so the window
        # runs over the typical episode; a snap is an instant.
        durations = [p.offset_s - p.onset_s for p in mine]
        length_s = float(np.median(durations)) if kind == "grind" else 0.0
        per_cycle = phase_stats_per_cycle(kind, times, cycles, duration_s=walking_s)
        for s, cyc in zip(per_cycle, cycles, strict=True):
            if not s.locked or s.mean_phase is None:
                continue
            span = length_s / float(np.median(cyc.ends_s - cyc.starts_s))
            for p in placed:
                phase = cyc.phase_of(p.onset_s + offset) if p.kind in joins else None
                if phase is None:
                    continue
                d = (phase - s.mean_phase) % 1.0  # how far after the rhythm's onset phase
                if d <= span + RELABEL_WINDOW or d >= 1.0 - RELABEL_WINDOW:
                    p.kind = kind
                    moved += 1
    return moved


#: A pop this close to a grinding episode (before its onset or after its offset) belongs
#: to it: crepitus is band noise plus a train of micro-clicks (research/acoustics.md §3.2,
#: 20–300 clicks/s over 100–600 ms), whose loudest click the classifier may call a pop.
MICRO_CLICK_MARGIN_S = 0.05


def _relabel_micro_clicks(placed: list[PlacedEvent]) -> int:
    """Count pops inside (or at the edge of) a grinding episode as that grinding."""
    grinds = sorted((p.onset_s, p.offset_s) for p in placed if p.kind == "grind")
    if not grinds:
        return 0
    starts = np.asarray([g[0] for g in grinds]) - MICRO_CLICK_MARGIN_S
    ends = np.maximum.accumulate(np.asarray([g[1] for g in grinds])) + MICRO_CLICK_MARGIN_S
    moved = 0
    for p in placed:
        if p.kind != "pop":
            continue
        k = int(np.searchsorted(starts, p.onset_s, side="right")) - 1
        if k >= 0 and p.onset_s <= ends[k]:
            p.kind = "grind"
            moved += 1
    return moved


def _interval_rhythms(
    onsets: Mapping[str, list[float]], gait: GaitReport | None, footsteps: np.ndarray
) -> dict[str, IntervalRhythm | None]:
    """Whether the snaps and the grinding come back after whole steps, by their own intervals.

    The step comes from the motion's heel strikes when there is a motion file — its
    cadence is right even when the two clocks could not be lined up — else from the
    footsteps heard.  Pops are not tested: their rhythm is judged by phase only
    (``rec.pops-locked``), so that cavitation's bias to heel strike stays its own rule.
    """
    contacts = gait.initial_contacts_s if gait is not None else footsteps
    step_s = median_step_s(contacts)
    return {
        kind: None
        if step_s is None or not onsets.get(kind)
        else interval_rhythm(kind, onsets[kind], step_s)
        for kind in ("snap", "grind")
    }


def n_unconfirmed(events: Sequence[PlacedEvent]) -> dict[str, int]:
    """How many of the placed sounds of each kind listen did not confirm one by one."""
    return {k: sum(e.unconfirmed and e.kind == k for e in events) for k in JOINT_KINDS}


#: The evidence of a rhythm (a sound locked to, or coming back with, the gait cycle).
RHYTHM_EVIDENCE = frozenset({"rec.snap-locked", "rec.grind-rhythmic"})

EvidenceOf = Callable[
    [
        Mapping[str, PhaseStats | None],
        Mapping[str, Sequence[float]],
        Mapping[str, list[float]],
        Mapping[str, int],
    ],
    tuple[list[Evidence], dict[str, bool]],
]


@dataclass
class _Weighed:
    """Joint sounds placed in the cycle, their statistics and what they show."""

    placed: list[PlacedEvent]
    stats: dict[str, PhaseStats | None]
    evidence: list[Evidence]
    found: dict[str, bool]
    notes: list[str]


def _rhythm_in(result: _Weighed) -> bool:
    return bool(RHYTHM_EVIDENCE & {e.id for e in result.evidence})


def _weigh(
    joint: list[tuple[SoundEvent, str, bool]],
    cycles: list[Cycle],
    offset: float,
    *,
    aligned: bool,
    windows: Sequence[tuple[float, float]],
    walking_s: float,
    evidence_of: EvidenceOf,
) -> _Weighed:
    """Place ``(event, kind, unconfirmed)`` sounds in the cycles, test their rhythm, weigh them."""
    notes: list[str] = []
    placed: list[PlacedEvent] = []
    for e, kind, unconfirmed in joint:
        t = e.onset_s + offset
        # The first cycle (side) that contains the event; refined per kind below.
        cyc_label, phase = next(
            ((cyc.label, ph) for cyc in cycles if (ph := cyc.phase_of(t)) is not None),
            (None, None),
        )
        placed.append(
            PlacedEvent(
                e.onset_s,
                e.offset_s,
                kind,
                e.probabilities.get(kind, 0.0) if unconfirmed else e.confidence,
                t if aligned else None,
                cyc_label,
                phase,
                unconfirmed,
            )
        )
    stats, onsets = _all_stats(placed, cycles, offset, walking_s)
    moved = _relabel_by_rhythm(placed, cycles, offset, walking_s)
    if moved:
        stats, onsets = _all_stats(placed, cycles, offset, walking_s)
        notes.append(
            f"{moved} sound(s) that sounded like pops (or like the rarer of snap and grinding) "
            "came inside a grinding episode or at the same point of the stride as a rhythmic "
            "snap or grind, so they are counted with it (a joint cannot cavitate on every "
            "stride, and one point of the stride has one source)."
        )
    # The side of each event: the cycle of its kind's best-locking side.
    for p in placed:
        s = stats.get(p.kind)
        if s is not None and s.cycle in ("left", "right"):
            for cyc in cycles:
                if cyc.label == s.cycle:
                    p.cycle, p.phase = cyc.label, cyc.phase_of(p.onset_s + offset)
    # Pops are counted per walking minute, so only those heard while walking count: the
    # phone is handled (tapped, gripped, pocketed) when a recording starts and stops, and
    # those clicks are the likeliest false pops (research/acoustics.md §3.3).
    walking_pops = _while_walking(onsets["pop"], windows)
    if len(walking_pops) < len(onsets["pop"]):
        notes.append(
            f"{len(onsets['pop']) - len(walking_pops)} pop-like sound(s) came before or after "
            "the walking and are not counted (handling the phone at the start and end of a "
            "recording makes such clicks)."
        )
    evidence, found = evidence_of(
        stats, {**onsets, "pop": walking_pops}, onsets, n_unconfirmed(placed)
    )
    return _Weighed(placed, stats, evidence, found, notes)


def analyse_recordings(
    sounds: SoundReport | None,
    gait: GaitReport | None,
    *,
    audio_start_unix_s: float | None = None,
) -> RecordingAnalysis:
    """Fuse a sound report and a gait report (either may be ``None``).

    With both, sounds are placed on the motion clock (shared clock, else footstep
    alignment) and in the left/right strides.  Audio alone uses its own footsteps
    as steps (no sides, wider uncertainty).  Motion alone gives gait and tilt
    but no sound evidence.
    """
    notes: list[str] = []
    sources: dict[str, str] = {}
    footsteps = np.asarray([], dtype=np.float64)
    joint: list[tuple[SoundEvent, str, bool]] = []  # (event, kind, unconfirmed)
    duration_s = 0.0
    if sounds is not None:
        sources["audio"] = sounds.file
        footsteps = np.sort(np.asarray([e.onset_s for e in sounds.footsteps()], dtype=float))
        joint = [(e, e.kind, False) for e in sounds.joint_events()]
        joint += [(e, k, True) for k in UNCONFIRMED_KINDS for e in sounds.unconfirmed_events(k)]
        joint.sort(key=lambda j: j[0].onset_s)
        duration_s = sounds.duration_s
    alignment: Alignment | None = None
    cycles: list[Cycle] = []
    offset = 0.0
    on_motion_clock = sounds is None  # where the sounds are placed: motion's or audio's clock
    tilt_change: float | None = None
    tilt_doc: Mapping[str, Any] | None = None
    cadence: float | None = None
    if gait is not None:
        sources["motion"] = str(gait.recording.source)
        cadence = gait.cadence_spm
        doc_tilt = gait.to_json()["pelvic_tilt_deg"]
        tilt_doc = doc_tilt
        if doc_tilt.get("walking_mean") is not None:  # standing is null when relative (= 0°)
            tilt_change = float(doc_tilt["walking_mean"]) - float(doc_tilt["standing"] or 0.0)
    if sounds is not None and gait is not None:
        alignment = align(
            footsteps,
            gait.initial_contacts_s,
            audio_start_unix_s=audio_start_unix_s,
            motion_start_unix_s=gait.recording.start_unix_s,
        )
        if alignment.usable and alignment.offset_s is not None:
            offset = alignment.offset_s
            cycles = cycles_from_contacts(gait.initial_contacts_s, gait.sides)
            on_motion_clock = bool(cycles)
        else:
            # the reason is the alignment's own note (shown beside it), not repeated here
            notes.append(
                "The audio and motion recordings could not be lined up, so sounds are placed "
                "using the footsteps heard in the audio instead."
            )
    if sounds is not None and not cycles:
        cycles = cycles_from_contacts(fill_missed_steps(footsteps), None)
        offset = 0.0
        on_motion_clock = False
        if not cycles:
            notes.append(
                "No regular footsteps were heard, so sounds cannot be placed in the gait cycle."
            )
        elif gait is None:
            notes.append(
                "Audio only: steps come from footsteps heard in the recording, so left "
                "and right cannot be told apart."
            )
    windows = _walking_windows(gait if on_motion_clock else None, footsteps + offset)
    walking_s = float(sum(b - a for a, b in windows)) if windows else duration_s

    could_hear = True
    if sounds is not None:
        notes.extend(f"audio: {w}" for w in sounds.warnings)
        could_hear = _heard_the_walk(len(footsteps), walking_s, cadence)
        if not could_hear:
            notes.append(
                "The audio picked up few of the footsteps, so it says little about joint "
                "sounds either (was the microphone covered, muted or far from the body?)."
            )

    def weigh(items: list[tuple[SoundEvent, str, bool]]) -> _Weighed:
        return _weigh(
            items,
            cycles,
            offset,
            aligned=alignment is not None and alignment.usable,
            windows=windows,
            walking_s=walking_s,
            evidence_of=lambda stats, onsets, rhythm_onsets, unconfirmed: recording_evidence(
                stats,
                onsets,
                walking_s=walking_s,
                tilt_change_deg=tilt_change,
                could_hear=could_hear,
                rhythm=_interval_rhythms(rhythm_onsets, gait, footsteps),
                unconfirmed=unconfirmed,
            ),
        )

    # Unconfirmed sounds count only through a rhythm, and only when the confirmed ones show
    # none: they may fill in a quiet snap, but never argue with a rhythm the recording already
    # shows (grinding has snap-like transients of its own), and without a rhythm of their own
    # they change nothing (not even "no joint sound heard").
    result = (
        weigh([j for j in joint if not j[2]])
        if sounds is not None
        else _Weighed([], dict.fromkeys(JOINT_KINDS), [], {}, [])
    )
    if any(j[2] for j in joint) and not _rhythm_in(result):
        with_unconfirmed = weigh(joint)
        if _rhythm_in(with_unconfirmed):
            result = with_unconfirmed
    notes.extend(result.notes)
    placed, stats, evidence, found = result.placed, result.stats, result.evidence, result.found
    if sounds is None and tilt_change is not None:
        evidence, _ = recording_evidence({}, {}, walking_s=0.0, tilt_change_deg=tilt_change)
    if alignment is None:  # one source only: nothing to line up, said explicitly (§2)
        only = "audio" if sounds is not None else "motion"
        alignment = Alignment(None, 0.0, "none", note=f"{only} only: no second recording to align")
    return RecordingAnalysis(
        alignment=alignment,
        events=placed,
        phase_locking=stats,
        evidence=evidence,
        found_findings=found,
        walking_s=walking_s,
        cadence_spm=cadence,
        pelvic_tilt=tilt_doc,
        audio_summary=None if sounds is None else sounds.summary,
        sources=sources,
        notes=notes,
    )
