"""``crepitus walk FILE [--json] [--plot out.png]`` — steps, cadence and pelvic tilt.

Thin adapter over :func:`crepitus.motion.walk`; numpy/scipy/matplotlib are imported in
the handler so ``crepitus --help`` stays fast.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from crepitus.cli.console import ExitCode, emit_json, info, plot_written, what_it_means
from crepitus.errors import UsageError

#: Standing ASIS–PSIS tilt seen in adults: 0–23° from morphology (Preece 2008), a few people
#: posterior (Herrington 2011) — research/gait.md §3. Outside this, likely a typo or a
#: different angle (radiographic pelvic tilt).
STANDING_TILT_PLAUSIBLE = (-10, 30)


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "walk",
        help="read phone motion data: steps, left/right, cadence, pelvic tilt",
        description=(
            "Read a motion recording (phyphox CSV/zip, Sensor Logger zip/folder, browser JSON, "
            "or CSV with time_s,acc_x,acc_y,acc_z[,gyr_x,gyr_y,gyr_z]; any phone orientation) "
            "and report walking bouts, heel strikes with sides, cadence and pelvic tilt."
        ),
    )
    p.add_argument("file", metavar="FILE", help="motion file or Sensor Logger folder")
    p.add_argument("--json", action="store_true", help="print crepitus.gait/1 JSON on stdout")
    p.add_argument(
        "--plot", metavar="OUT.png", help="save a plot of the signal, steps and tilt curve"
    )
    p.add_argument(
        "--standing-tilt-deg",
        type=float,
        default=None,
        help="your measured standing pelvic tilt (e.g. inclinometer), added to the relative values",
    )
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from crepitus.motion import walk
    from crepitus.plotfile import plot_path

    out = plot_path(args.plot) if args.plot else None  # a bad --plot fails before the analysis
    tilt = args.standing_tilt_deg
    if tilt is not None and not math.isfinite(tilt):
        raise UsageError(f"--standing-tilt-deg must be a number of degrees, got {tilt}")
    if tilt is not None and not STANDING_TILT_PLAUSIBLE[0] <= tilt <= STANDING_TILT_PLAUSIBLE[1]:
        info(
            f"warning: a standing pelvic tilt of {tilt:g}° is outside the usual "
            f"{STANDING_TILT_PLAUSIBLE[0]}–{STANDING_TILT_PLAUSIBLE[1]}° of adults; check "
            "the measurement"
        )
    report = walk(args.file, standing_tilt_deg=args.standing_tilt_deg)
    doc = report.to_json()
    if out is not None:
        from crepitus.motion.plot import plot_report

        plot_written(plot_report(report, out))
    if args.json:
        emit_json(doc)
    else:
        print(summary(doc))
        print("\n" + "\n".join(what_it_means(motion=args.file)))
    return int(ExitCode.OK)


def summary(doc: dict[str, Any]) -> str:
    """A short human summary of a ``crepitus.gait/1`` document."""
    ics = doc["initial_contacts"]
    lines = [f"{doc['source']} recording, {doc['duration_s']} s at {doc['sample_rate']:.0f} Hz"]
    if not ics:
        lines.append("no walking found")
    else:
        n_left = sum(1 for c in ics if c["side"] == "left")
        n_right = sum(1 for c in ics if c["side"] == "right")
        lines.append(
            f"{len(doc['bouts'])} walking bout(s), {len(ics)} steps "
            f"({n_left} left, {n_right} right)"
        )
        if doc["cadence_spm"] is not None:
            lines.append(f"cadence {doc['cadence_spm']:.0f} steps/min")
        if doc["step_time_cv"] is not None:
            lines.append(f"step-time variability {100 * doc['step_time_cv']:.1f} %")
    tilt = doc["pelvic_tilt_deg"]
    if tilt["walking_mean"] is not None and tilt["standing"] is not None:
        lines.append(
            f"pelvic tilt while walking: {tilt['walking_mean']:.1f}° "
            f"(standing {tilt['standing']:.1f}°, as given; positive = tipped forward)"
        )
    elif tilt["walking_mean"] is not None:
        lines.append(
            f"pelvic tilt while walking: {tilt['walking_mean']:+.1f}° vs standing "
            "(positive = tipped forward)"
        )
    if tilt["walking_range"] is not None:
        lines.append(f"pelvic tilt range per stride: {tilt['walking_range']:.1f}° (typical 2–4°)")
    lines.append(f"note: {tilt['note']}")
    lines += [f"warning: {w}" for w in doc["warnings"]]
    return "\n".join(lines)
