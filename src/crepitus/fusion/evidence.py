"""From recording statistics to mechanism :class:`~crepitus.domain.Evidence` and added findings.

The observation types and their likelihoods live in
``knowledge/data/recording_evidence.yaml``; this module decides which of them a
recording shows.  Recordings only ever *add* evidence and *add* findings that
the person did not answer — they never overwrite an answer and never remove a
red flag, so they can raise urgency but never lower it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from crepitus.domain import MECHANISMS, Evidence
from crepitus.errors import KnowledgeBaseError
from crepitus.fusion.phase import IntervalRhythm, PhaseStats
from crepitus.knowledge.files import check_keys, load_data_file


@dataclass(frozen=True)
class EvidenceType:
    id: str
    text: str
    params: Mapping[str, float]
    likelihood: Mapping[str, float]
    source: str
    #: The text when only the intervals between the sounds showed the rhythm (no phase).
    interval_text: str | None = None

    def make(self, *, by_interval: bool = False, **fields: Any) -> Evidence:
        text = self.interval_text if by_interval and self.interval_text else self.text
        return Evidence(
            id=self.id,
            description=text.format(**fields),
            likelihood=self.likelihood,
            source=self.source,
            kind="recording",
        )


@functools.cache
def load_evidence_types() -> Mapping[str, EvidenceType]:
    doc = load_data_file("recording_evidence.yaml")
    check_keys(doc, where="recording_evidence.yaml", required=("schema", "version", "evidence"))
    out: dict[str, EvidenceType] = {}
    for raw in doc["evidence"]:
        where = f"recording_evidence.yaml {raw.get('id', '?')}"
        check_keys(
            raw,
            where=where,
            required=("id", "text", "params", "likelihood", "source"),
            optional=("text_by_interval",),
        )
        lik = raw["likelihood"]
        if set(lik) != set(MECHANISMS) or not all(0 < float(v) <= 1 for v in lik.values()):
            raise KnowledgeBaseError(f"{where}: likelihoods must be in (0, 1] for {MECHANISMS}")
        out[raw["id"]] = EvidenceType(
            id=raw["id"],
            text=raw["text"],
            params=dict(raw["params"]),
            likelihood={m: float(lik[m]) for m in MECHANISMS},
            source=raw["source"],
            interval_text=raw.get("text_by_interval"),
        )
    expected = {
        "rec.snap-locked",
        "rec.grind-rhythmic",
        "rec.pops-sparse",
        "rec.pops-locked",
        "rec.no-joint-sound",
        "rec.anterior-tilt",
    }
    if set(out) != expected:
        raise KnowledgeBaseError(f"recording_evidence.yaml must define exactly {sorted(expected)}")
    return out


def p_words(p: float) -> str:
    """A p-value as people quote it: "p < 0.001" below a thousandth, else two digits.

    Printing 1e-18 suggests a precision the timing model does not have.
    """
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"


def ratio_words(ratio: float) -> str:
    """A likelihood ratio in words: "more than 100" above a hundred, else rounded."""
    if ratio > 100:
        return "more than 100"
    return f"{ratio:.0f}" if ratio >= 10 else f"{ratio:.1f}"


def _cycle_words(stats: PhaseStats) -> tuple[str, str]:
    if stats.cycle == "step":
        return "step", "steps"
    return f"{stats.cycle} stride", f"{stats.cycle} strides"


def recording_evidence(
    stats: Mapping[str, PhaseStats | None],
    onsets_s: Mapping[str, Sequence[float]],
    *,
    walking_s: float,
    tilt_change_deg: float | None,
    could_hear: bool = True,
    rhythm: Mapping[str, IntervalRhythm | None] | None = None,
    unconfirmed: Mapping[str, int] | None = None,
) -> tuple[list[Evidence], dict[str, bool]]:
    """Evidence and added findings from per-kind phase statistics and event times.

    Parameters
    ----------
    stats
        Phase statistics per joint-sound kind (``pop``, ``snap``, ``grind``); ``None``
        where there are no events or no gait cycles.
    onsets_s
        Onset times (s) of the events per kind heard in the recording; how many there
        are, and for pops how they group into episodes (:func:`pop_episodes`).
    walking_s
        How long the person walked while recorded.
    tilt_change_deg
        Mean walking pelvic tilt minus standing (positive = tipped forward), if measured.
    could_hear
        Whether the audio heard the walk (its footsteps); if not, hearing no joint sound
        is no evidence against one.
    rhythm
        Per kind, whether the sounds come back after whole steps by their own intervals
        (:func:`~crepitus.fusion.phase.interval_rhythm`): the rhythm evidence when the
        phase test could not show it because the sounds could not be placed in the cycle.
    unconfirmed
        Per kind, how many of the sounds in ``stats`` and ``onsets_s`` listen did not confirm
        one by one (:meth:`~crepitus.acoustics.SoundReport.unconfirmed_events`): the text
        names them, and a finding the person did not report (``sound.snap``) is added only
        from at least one confirmed sound (``sound.every_step`` only from confirmed ones).
    """
    rhythm = rhythm or {}
    unconfirmed = unconfirmed or {}
    counts = {kind: len(times) for kind, times in onsets_s.items()}
    types = load_evidence_types()
    evidence: list[Evidence] = []
    found: dict[str, bool] = {}

    snap = stats.get("snap")
    t = types["rec.snap-locked"]
    if (
        snap is not None
        and snap.n_in_cycles >= t.params["min_events"]
        and snap.p_value < t.params["max_p"]
    ):
        cycle, cycles = _cycle_words(snap)
        evidence.append(
            t.make(
                n=snap.n_events,
                unconfirmed=_unconfirmed_words(unconfirmed.get("snap", 0)),
                phase=round(100 * (snap.mean_phase or 0)),
                cycle=cycle,
                hit=snap.cycles_with_event,
                total=snap.cycles_total,
                cycles=cycles,
                p=p_words(snap.p_value),
            )
        )
        if snap.n_events > unconfirmed.get("snap", 0):
            found["sound.snap"] = True
            if snap.share_of_cycles >= 0.6 and not unconfirmed.get("snap"):
                found["sound.every_step"] = True
    elif (by_interval := _comes_back(rhythm.get("snap"), t)) is not None:
        evidence.append(
            t.make(
                by_interval=True,
                n=counts["snap"],
                unconfirmed=_unconfirmed_words(unconfirmed.get("snap", 0)),
                **by_interval,
            )
        )
        if counts["snap"] > unconfirmed.get("snap", 0):
            found["sound.snap"] = True

    grind = stats.get("grind")
    t = types["rec.grind-rhythmic"]
    if (
        grind is not None
        and grind.n_in_cycles >= t.params["min_events"]
        and (
            grind.p_value < t.params["max_p"]
            or grind.share_of_cycles >= t.params["locked_or_share"]
        )
    ):
        cycle, cycles = _cycle_words(grind)
        evidence.append(
            t.make(
                hit=grind.cycles_with_event,
                total=grind.cycles_total,
                share=round(100 * grind.share_of_cycles),
                cycle=cycle,
                cycles=cycles,
            )
        )
        found["sound.grind"] = True
        if grind.share_of_cycles >= 0.6:
            found["sound.every_step"] = True
    elif (by_interval := _comes_back(rhythm.get("grind"), t)) is not None:
        evidence.append(t.make(by_interval=True, n=counts["grind"], **by_interval))
        found["sound.grind"] = True

    pop = stats.get("pop")
    n_pops = counts.get("pop", 0)
    if n_pops:
        locked_t = types["rec.pops-locked"]
        if (
            pop is not None
            and pop.n_in_cycles >= locked_t.params["min_events"]
            and pop.p_value < locked_t.params["max_p"]
            and (
                pop.share_of_cycles >= locked_t.params["min_share"]
                or not _near_heel_strike(pop, locked_t)
            )
        ):
            cycle, _ = _cycle_words(pop)
            evidence.append(locked_t.make(n=n_pops, cycle=cycle, p=p_words(pop.p_value)))
        else:
            ev = _pop_count_evidence(types["rec.pops-sparse"], onsets_s["pop"], walking_s)
            if ev is not None:
                evidence.append(ev)
        found["sound.pop"] = True

    none_t = types["rec.no-joint-sound"]
    if (
        could_hear
        and not any(counts.get(k, 0) for k in ("pop", "snap", "grind"))
        and walking_s >= none_t.params["min_walking_s"]
    ):
        evidence.append(none_t.make(minutes=f"{walking_s / 60:.1f}"))

    tilt_t = types["rec.anterior-tilt"]
    if tilt_change_deg is not None and tilt_change_deg >= tilt_t.params["min_tilt_deg"]:
        evidence.append(tilt_t.make(tilt=f"{tilt_change_deg:.0f}"))
    return evidence, found


def _unconfirmed_words(n: int) -> str:
    """The words after a count of sounds when some are unconfirmed, or nothing when none is."""
    return f" ({n} of them too unclear to count on their own)" if n else ""


def _near_heel_strike(stats: PhaseStats, t: EvidenceType) -> bool:
    """Whether locked pops sit where cavitation itself may gather: just after a heel strike.

    Cavitation may be biased to double support / heel strike, 0–15 % and 50–65 % of the
    stride (research/acoustics.md §3.2 [A]) — the first ``heel_strike_window`` of every
    step (stride phase φ is step phase 2φ mod 1) — so pops locked there on a few cycles
    are no evidence against it (``min_share``).  Pops locked anywhere else come back to a
    point of the stride that cavitation has no reason to favour, which a joint that needs
    ~20 minutes to cavitate again (§1.1) cannot do.  ``window_margin`` is about two
    standard errors of the mean phase of a handful of pops.
    """
    if stats.mean_phase is None:
        return True
    step_phase = stats.mean_phase if stats.cycle == "step" else (2.0 * stats.mean_phase) % 1.0
    margin = t.params["window_margin"]
    return step_phase <= t.params["heel_strike_window"] + margin or step_phase >= 1.0 - margin


def _comes_back(r: IntervalRhythm | None, t: EvidenceType) -> dict[str, Any] | None:
    """The text fields if the sounds come back after whole steps by the stricter interval level.

    A second test on the same sounds, so it is held to ``max_p_interval`` (half of the
    phase test's ``max_p``, Bonferroni).  How often the sound came (on how many of the
    steps) is unknown without the cycle, so it adds ``sound.snap`` / ``sound.grind`` but
    never ``sound.every_step``.
    """
    if r is None or r.n_intervals < t.params["min_events"]:
        return None
    if r.p_value >= t.params["max_p_interval"]:
        return None
    return {"intervals": r.n_intervals, "p": p_words(r.p_value)}


def pop_episodes(onsets_s: Sequence[float], gap_s: float) -> int:
    """How many separate pop episodes: pops less than ``gap_s`` apart are one episode.

    The 2–5 pops of one cavitation cluster come within ~10–150 ms from different joints
    in one movement (research/acoustics.md §1.2, §3.2), and a stray click often comes
    with its echo or rattle; neither is independent evidence, so the Poisson count is of
    episodes — what a listener hears as "a pop".
    """
    t = sorted(onsets_s)
    return sum(1 for a, b in zip([-math.inf, *t], t, strict=False) if b - a >= gap_s)


def _pop_count_evidence(
    t: EvidenceType, onsets_s: Sequence[float], walking_s: float
) -> Evidence | None:
    """Evidence from the *number* of unrhythmic pop episodes, with Poisson likelihoods.

    Under cavitation, episodes arrive at ``cavitation + false`` per minute; under the
    other hypotheses at ``other + false`` (real occasional pops) or ``false`` alone
    (undetermined).  The likelihood of seeing ``k`` episodes in the walk is Poisson,
    so the evidence is a likelihood ratio, not a threshold: a lone pop in a long walk
    is weak evidence, a handful is strong (see recording_evidence.yaml for where each
    rate comes from and how the false-alarm rate was measured).
    """
    minutes = walking_s / 60.0
    n_pops = len(onsets_s)
    if minutes <= 0 or n_pops / minutes > t.params["max_rate_per_min"]:
        return None
    k = pop_episodes(onsets_s, t.params["episode_gap_s"])
    fp = t.params["false_per_min"]
    rates = {
        "cavitation": t.params["cavitation_per_min"] + fp,
        "soft_tissue_snap": t.params["other_per_min"] + fp,
        "arthritic_crepitus": t.params["other_per_min"] + fp,
        "undetermined": fp,
    }

    def log_poisson(rate_per_min: float) -> float:
        lam = rate_per_min * minutes
        return k * math.log(lam) - lam - math.lgamma(k + 1)

    logs = {m: log_poisson(r) for m, r in rates.items()}
    top = max(logs.values())
    likelihood = {m: max(math.exp(v - top), 1e-12) for m, v in logs.items()}
    # Only ever shown in words ("more than 100"), so capped before exp can overflow.
    lr = math.exp(min(logs["cavitation"] - logs["undetermined"], 50.0))
    return Evidence(
        id=t.id,
        description=t.text.format(
            n=n_pops, episodes=k, minutes=f"{minutes:.1f}", lr=ratio_words(lr)
        ),
        likelihood=likelihood,
        source=t.source,
        kind="recording",
    )


def added_findings(found: Mapping[str, bool], reported: Mapping[str, Any]) -> dict[str, bool]:
    """Findings the recording shows that the person has not answered (answers always win)."""
    return {code: value for code, value in found.items() if code not in reported}
