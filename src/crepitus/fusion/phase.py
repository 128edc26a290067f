"""Where each joint sound falls in the gait cycle, and whether it keeps coming back there.

Snaps and grinding repeat at the same phase of the stride of one leg; a
cavitation pop cannot (the same joint needs ~20 minutes to cavitate again,
Unsworth 1971, research/acoustics.md §1.1).  Phase locking is measured with the
mean resultant length R of the event phases on the circle and tested against
uniform (random) timing with the Rayleigh test.

References
----------
Zar JH. *Biostatistical Analysis*, 5th ed., §27.1 (Rayleigh test; the p-value
approximation used here; the V test).  Berens P. CircStat, J Stat Softw 2009;31(10).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Plausible stride durations (s); outside them a "stride" is a gap or a turn.
STRIDE_RANGE_S = (0.7, 2.2)
STEP_RANGE_S = (0.35, 1.1)


def rayleigh(phases: ArrayLike) -> tuple[float, float]:
    """Mean resultant length R and Rayleigh p-value for phases in [0, 1).

    p uses Zar's approximation ``exp(sqrt(1 + 4n + 4(n² − Rn²)) − (1 + 2n))``
    with ``Rn = n·R``, accurate for n ≥ 5 and conservative below.
    """
    theta = 2 * np.pi * np.asarray(phases, dtype=np.float64)
    n = theta.size
    if n == 0:
        return 0.0, 1.0
    r = float(np.hypot(np.cos(theta).sum(), np.sin(theta).sum()) / n)
    rn = n * r
    p = math.exp(math.sqrt(1 + 4 * n + 4 * (n * n - rn * rn)) - (1 + 2 * n))
    return r, float(min(1.0, max(0.0, p)))


def circular_mean(phases: ArrayLike) -> float:
    theta = 2 * np.pi * np.asarray(phases, dtype=np.float64)
    ang = math.atan2(float(np.sin(theta).mean()), float(np.cos(theta).mean()))
    return (ang / (2 * np.pi)) % 1.0


@dataclass(frozen=True)
class Cycle:
    """Gait cycles of one kind (a side's strides, or steps when sides are unknown)."""

    label: str  # "left", "right" or "step"
    starts_s: NDArray[np.float64]
    ends_s: NDArray[np.float64]

    def phase_of(self, t_s: float) -> float | None:
        k = int(np.searchsorted(self.starts_s, t_s, side="right")) - 1
        if k < 0 or t_s >= self.ends_s[k]:
            return None
        return float((t_s - self.starts_s[k]) / (self.ends_s[k] - self.starts_s[k]))

    def index_of(self, t_s: float) -> int | None:
        k = int(np.searchsorted(self.starts_s, t_s, side="right")) - 1
        return None if k < 0 or t_s >= self.ends_s[k] else k

    def __len__(self) -> int:
        return len(self.starts_s)


def cycles_from_contacts(contacts_s: ArrayLike, sides: Sequence[str | None] | None) -> list[Cycle]:
    """Left and right strides when sides are known, and always the steps.

    A sound of one leg (a snapping tendon) locks to that leg's stride; a sound of
    every step (grinding under load on both sides) is spread over two phases of
    either stride and only locks to the step — so both kinds of cycle are offered
    and :func:`phase_stats` keeps the one the events lock to.
    """
    t = np.asarray(contacts_s, dtype=np.float64)
    out: list[Cycle] = []
    if sides is not None and any(s in ("left", "right") for s in sides):
        side_arr = np.asarray([s or "" for s in sides])
        for label in ("left", "right"):
            ics = t[side_arr == label]
            if len(ics) < 2:
                continue
            d = np.diff(ics)
            ok = (d >= STRIDE_RANGE_S[0]) & (d <= STRIDE_RANGE_S[1])
            out.append(Cycle(label, ics[:-1][ok], ics[1:][ok]))
    if len(t) >= 2:
        d = np.diff(t)
        ok = (d >= STEP_RANGE_S[0]) & (d <= STEP_RANGE_S[1])
        out.append(Cycle("step", t[:-1][ok], t[1:][ok]))
    return out


def median_step_s(contacts_s: ArrayLike) -> float | None:
    """The walk's typical step (s): the median interval between contacts in the step range.

    Gaps (a pause, a turn, footsteps the audio missed) fall outside
    :data:`STEP_RANGE_S` and are left out; ``None`` without a single plausible step.
    """
    d = np.diff(np.sort(np.asarray(contacts_s, dtype=np.float64)))
    normal = d[(d >= STEP_RANGE_S[0]) & (d <= STEP_RANGE_S[1])]
    return float(np.median(normal)) if normal.size else None


#: Most footsteps in a row the audio may miss for the gap to be filled (:func:`fill_missed_steps`).
MAX_MISSED_STEPS = 3
#: How far a gap's implied step may be from the walk's median step (fraction of it).
STEP_GAP_TOLERANCE = 0.15


def fill_missed_steps(contacts_s: ArrayLike) -> NDArray[np.float64]:
    """Footstep times with the steps the audio missed put back in, evenly spaced.

    Footsteps heard in a recording go missing exactly where another sound masks
    them — a snap at heel strike takes the footstep's place — so without them the
    sounds of interest fall in gaps that no step cycle covers.  Walking is
    periodic (stride-time variability 1–3 %, research/acoustics.md §3.2): a gap of
    k median steps (each within :data:`STEP_GAP_TOLERANCE`) is k steps with k − 1
    footsteps missed, up to :data:`MAX_MISSED_STEPS`.  Longer or irregular gaps (a
    pause, a turn) stay gaps.
    """
    t = np.sort(np.asarray(contacts_s, dtype=np.float64))
    step = median_step_s(t) if t.size >= 3 else None
    if step is None:
        return t
    d = np.diff(t)
    out = [t[:1]]
    for start, gap in zip(t[:-1], d, strict=True):
        k = round(gap / step)
        if 2 <= k <= MAX_MISSED_STEPS + 1 and abs(gap / k - step) <= STEP_GAP_TOLERANCE * step:
            out.append(start + gap * np.arange(1, k) / k)
        out.append(np.asarray([start + gap]))
    return np.concatenate(out)


@dataclass(frozen=True)
class PhaseStats:
    """Phase locking of one kind of joint sound to one kind of gait cycle."""

    kind: str
    cycle: str
    n_events: int
    n_in_cycles: int
    mean_phase: float | None
    resultant_length: float
    p_value: float
    cycles_with_event: int
    cycles_total: int
    rate_per_min: float
    median_interval_s: float | None

    @property
    def share_of_cycles(self) -> float:
        return self.cycles_with_event / self.cycles_total if self.cycles_total else 0.0

    @property
    def locked(self) -> bool:
        """Phase-locked: at least 5 events in cycles and Rayleigh p < 0.01."""
        return self.n_in_cycles >= 5 and self.p_value < 0.01

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "cycle": self.cycle,
            "n_events": self.n_events,
            "mean_phase_pct": None if self.mean_phase is None else round(100 * self.mean_phase, 1),
            "resultant_length": round(self.resultant_length, 3),
            "rayleigh_p": float(f"{self.p_value:.3g}"),
            "cycles_with_event": self.cycles_with_event,
            "cycles_total": self.cycles_total,
            "share_of_cycles": round(self.share_of_cycles, 3),
            "rate_per_min": round(self.rate_per_min, 2),
            "median_interval_s": None
            if self.median_interval_s is None
            else round(self.median_interval_s, 3),
            "locked": self.locked,
        }


def phase_stats(
    kind: str, events_s: ArrayLike, cycles: Sequence[Cycle], *, duration_s: float
) -> PhaseStats | None:
    """Phase locking of ``events_s`` against the best-locking cycle (side) in ``cycles``."""
    best: PhaseStats | None = None
    for stats in phase_stats_per_cycle(kind, events_s, cycles, duration_s=duration_s):
        if best is None or _locks_better(stats, best):
            best = stats
    return best


def phase_stats_per_cycle(
    kind: str, events_s: ArrayLike, cycles: Sequence[Cycle], *, duration_s: float
) -> list[PhaseStats]:
    """Phase locking of ``events_s`` against each cycle in ``cycles`` (p Bonferroni-corrected).

    Every cycle gets its own statistics because a sound can lock to more than one:
    grinding under load on every step locks to the step *and* (at two phases) to
    each side's stride; :func:`phase_stats` keeps the most telling one.
    """
    ev = np.sort(np.asarray(events_s, dtype=np.float64))
    if ev.size == 0 or not cycles:
        return []
    rate = 60.0 * ev.size / duration_s if duration_s > 0 else 0.0
    interval = float(np.median(np.diff(ev))) if ev.size >= 2 else None
    out: list[PhaseStats] = []
    for cyc in cycles:
        # One phase per cycle: rhythm means coming back stride after stride, and the
        # 2–5 pops of one cavitation cluster (within ~150 ms, research/acoustics.md §1.2)
        # are one movement, not independent evidence of locking.
        first: dict[int, float] = {}
        for t in ev:
            k = cyc.index_of(float(t))
            if k is not None and k not in first:
                ph = cyc.phase_of(float(t))
                if ph is not None:
                    first[k] = ph
        phases = list(first.values())
        r, p = rayleigh(phases)
        # Bonferroni over the cycles tried (left, right, step): the best of three tests.
        p = min(1.0, p * len(cycles))
        out.append(
            PhaseStats(
                kind=kind,
                cycle=cyc.label,
                n_events=int(ev.size),
                n_in_cycles=len(phases),
                mean_phase=circular_mean(phases) if phases else None,
                resultant_length=r,
                p_value=p,
                cycles_with_event=len(first),
                cycles_total=len(cyc),
                rate_per_min=rate,
                median_interval_s=interval,
            )
        )
    return out


def _locks_better(a: PhaseStats, b: PhaseStats) -> bool:
    """Whether ``a`` is the better description: a locked side beats the step (it says more)."""
    if a.locked != b.locked:
        return a.locked
    if a.locked and b.locked and (a.cycle == "step") != (b.cycle == "step"):
        return a.cycle != "step"
    return (a.p_value, -a.resultant_length) < (b.p_value, -b.resultant_length)


#: Longest interval (in steps) between two sounds that still says something about their rhythm:
#: stride-time variability (CV 1–3 %, research/acoustics.md §3.1) accumulates over the steps in
#: between, to about ±8 % of a step after eight.
MAX_INTERVAL_STEPS = 8


@dataclass(frozen=True)
class IntervalRhythm:
    """Whether one kind of sound comes back after whole steps, by its own intervals.

    The phase test (:func:`phase_stats`) needs every sound placed in a gait cycle; when the
    clocks cannot be lined up, or the audio hears too few footsteps to make cycles (quiet
    heel strikes, or heel strikes masked by the very grinding that starts at loading), the
    sounds fall outside every cycle.  The intervals between the sounds do not need a clock:
    a snap once per stride or grinding once per stride or step comes back after a whole
    number of steps (research/acoustics.md §3.2), cavitation and stray clicks do not.
    """

    kind: str
    n_intervals: int
    p_value: float
    step_s: float


def interval_rhythm(kind: str, events_s: ArrayLike, step_s: float) -> IntervalRhythm:
    """V-test of the intervals between successive sounds against whole multiples of ``step_s``.

    Each interval of at least half a step and at most :data:`MAX_INTERVAL_STEPS` steps is
    an angle ``2π·interval/step``; sounds that come back after whole steps point to 0, and
    the V-test (Zar §27.1, the Rayleigh test with the expected direction known) asks
    whether they do more than chance.  Intervals under half a step are the clicks of one
    episode (a cluster, a double click), not a return.  ``p`` is one-sided, from the normal
    approximation ``u = V·sqrt(2/n)``.
    """
    d = np.diff(np.sort(np.asarray(events_s, dtype=np.float64)))
    d = d[(d >= 0.5 * step_s) & (d <= (MAX_INTERVAL_STEPS + 0.5) * step_s)]
    if d.size == 0:
        return IntervalRhythm(kind, 0, 1.0, step_s)
    u = math.sqrt(2.0 * d.size) * float(np.cos(2 * np.pi * d / step_s).mean())
    return IntervalRhythm(kind, int(d.size), 0.5 * math.erfc(u / math.sqrt(2.0)), step_s)
