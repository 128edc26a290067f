"""A polar gait-phase plot: where in the stride each joint sound falls (``assess --plot``)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crepitus.plotfile import save_figure

COLOURS = {"pop": "#d62728", "snap": "#1f77b4", "grind": "#8c564b"}


def plot_gait_phase(recording: Mapping[str, Any], out: str | Path) -> Path:
    """Draw the events of an assessment's ``recording`` object on a stride clock.

    Angle = phase in the stride (0 % = heel strike of that leg, clockwise);
    radius separates left (inner ring), right (outer ring) and step-only placement.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(6.4, 6.4))
    # A PolarAxes; matplotlib's stubs type add_subplot as plain Axes.
    ax: Any = fig.add_subplot(projection="polar")
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    ring = {"left": 1.0, "right": 2.0, "step": 1.5}
    shown: set[str] = set()
    for e in recording.get("events", []):
        if e.get("phase_pct") is None:
            continue
        theta = 2 * math.pi * e["phase_pct"] / 100.0
        r = ring.get(e.get("cycle") or "step", 1.5)
        # Unconfirmed sounds (counted only through the rhythm test) as open circles.
        name = f"{e['kind']} (unconfirmed)" if e.get("unconfirmed") else e["kind"]
        label = name if name not in shown else None
        shown.add(name)
        colour = COLOURS.get(e["kind"], "grey")
        ax.scatter(
            [theta],
            [r],
            s=40,
            facecolors="none" if e.get("unconfirmed") else colour,
            edgecolors=colour if e.get("unconfirmed") else "none",
            alpha=0.8,
            label=label,
        )
    for kind, stats in (recording.get("phase_locking") or {}).items():
        if stats.get("locked") and stats.get("mean_phase_pct") is not None:
            theta = 2 * math.pi * stats["mean_phase_pct"] / 100.0
            ax.annotate(
                "",
                xy=(theta, 2.4 * stats["resultant_length"]),
                xytext=(0, 0),
                arrowprops={"color": COLOURS.get(kind, "grey"), "width": 2},
            )
    ax.set_ylim(0, 2.5)
    ax.set_yticks([1.0, 1.5, 2.0])
    ax.set_yticklabels([])  # ring names go below the plot, where no event can hide them
    fig.text(
        0.5,
        0.02,
        "inner ring: left stride · middle: step (side unknown) · outer ring: right stride\n"
        "crepitus: general information, not a diagnosis",
        ha="center",
        fontsize=9,
    )
    ax.set_xticks([2 * math.pi * p / 100 for p in (0, 25, 50, 75)])
    ax.set_xticklabels(["0 % heel strike", "25 %", "50 % other foot", "75 %"])
    ax.set_title("Joint sounds in the gait cycle (arrows: phase-locked kinds)")
    if shown:
        ax.legend(loc="lower right", bbox_to_anchor=(1.15, -0.05))
    else:
        ax.text(0, 0, "no joint sounds placed\nin the gait cycle", ha="center", va="center")
    return save_figure(fig, out, dpi=110, bbox_inches="tight")
