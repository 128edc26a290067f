"""A picture of a :class:`~crepitus.motion.GaitReport`: signal with steps, and the tilt curve."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from crepitus.plotfile import save_figure

if TYPE_CHECKING:
    from crepitus.motion import GaitReport


def plot_report(report: GaitReport, path: str | Path) -> Path:
    """Save a two-panel PNG: vertical acceleration with detected heel strikes (L/R
    coloured, bouts shaded), and the stride-normalised pelvic-tilt curve."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rec = report.recording
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(10, 6), gridspec_kw={"height_ratios": [2, 1]})
    t = rec.time_s
    v = (
        rec.acc_mps2 @ report.frame.rotation[0]
        if report.frame is not None
        else np.linalg.norm(rec.acc_mps2, axis=1)
    )
    step = max(1, len(t) // 20000)  # long recordings: plot a decimated trace
    ax1.plot(t[::step], v[::step], lw=0.6, color="0.3")
    for i, b in enumerate(report.bouts):
        label = "walking bout" if i == 0 else None
        ax1.axvspan(b.start_s, b.end_s, color="tab:green", alpha=0.08, label=label)
    if not report.bouts:
        ax1.text(
            0.5, 0.9, "no walking found", ha="center", transform=ax1.transAxes, color="tab:red"
        )
    for side, colour in (("left", "tab:blue"), ("right", "tab:red"), (None, "0.5")):
        sel = np.array([s == side for s in report.sides], bool)
        if sel.any():
            ics = report.initial_contacts_s[sel]
            idx = np.clip(np.round(ics * rec.sampling_rate_hz).astype(int), 0, len(v) - 1)
            ax1.plot(ics, v[idx], "v", color=colour, ms=5, label=f"{side or 'unknown'} heel strike")
    ax1.set_xlabel("time (s)")
    ax1.set_ylabel("vertical acc. (m/s²)")
    if ax1.get_legend_handles_labels()[0]:
        ax1.legend(loc="upper right", fontsize=8)
    n = len(report.initial_contacts_s)
    ax1.set_title(
        f"{rec.source} recording: {n} heel strikes in {len(report.bouts)} walking bout(s)",
        fontsize=10,
    )
    curve = None if report.tilt is None else report.tilt.curve_deg_
    if curve is not None:
        ax2.plot(np.linspace(0, 100, len(curve)), curve, color="tab:purple")
        ax2.set_xlabel("% of left stride")
        ax2.set_ylabel("pelvic tilt (°)\nvs standing")
    else:
        ax2.text(
            0.5,
            0.5,
            "no tilt curve (needs gyroscope and walking)",
            ha="center",
            transform=ax2.transAxes,
        )
        ax2.set_axis_off()
    fig.tight_layout()
    return save_figure(fig, path, dpi=110)
