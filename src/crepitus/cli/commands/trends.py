"""``crepitus trends``: weekly summaries of the diary, an optional plot, and re-triage alerts."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from crepitus.cli.console import ExitCode, emit_json, info, plot_written


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "trends",
        help="weekly trends of popping, pain and exercise; alerts when things get worse",
        description="Summarise the diary week by week (noisy episodes per day, pain, exercise "
        "adherence), optionally plot it, and re-assess if the diary shows a new warning "
        "sign, new nerve symptoms or rising pain.",
    )
    parser.add_argument("--json", action="store_true", help="print the crepitus.trends/1 document")
    parser.add_argument(
        "--plot", metavar="FILE", help="also draw the trends to FILE (.png or .svg)"
    )
    parser.add_argument("--weeks", metavar="N", type=int, help="only the last N weeks")
    parser.add_argument(
        "--days-per-week",
        metavar="N",
        type=int,
        default=7,
        help="exercise days per week the plan asks for (default 7)",
    )
    parser.set_defaults(func=handler)


def print_alert(alert: Any, *, stream_name: str = "stdout") -> None:
    """Print a re-triage alert so it cannot be missed (a framed block)."""
    stream = sys.stderr if stream_name == "stderr" else sys.stdout
    disposition = alert.disposition.code.upper() if alert.disposition is not None else "RE-ASSESS"
    bar = "!" * 72
    print(bar, file=stream)
    print(f"!! ALERT — re-assessment: {disposition}", file=stream)
    for line in alert.message.splitlines():
        print(f"!! {line}", file=stream)
    print(bar, file=stream, flush=True)


def handler(args: argparse.Namespace) -> int:
    from crepitus.diary import service
    from crepitus.diary.export import write_private_file
    from crepitus.diary.trends import PLOT_FORMATS, plot_format, render_plot, trends_document
    from crepitus.plotfile import plot_path as checked_plot_path

    plot_path = checked_plot_path(args.plot, formats=PLOT_FORMATS) if args.plot else None
    fmt = plot_format(plot_path) if plot_path is not None else None
    with service.open_diary() as repo:
        weeks = service.weekly_summary(
            repo, weeks=args.weeks, planned_days_per_week=args.days_per_week
        )
        alert = service.check_for_retriage(repo)
    if plot_path is not None and fmt is not None:
        write_private_file(plot_path, render_plot(weeks, fmt=fmt))
        plot_written(plot_path)
    if args.json:
        emit_json(trends_document(weeks, None if alert is None else alert.to_json()))
        if alert is not None:
            print_alert(alert, stream_name="stderr")
        return ExitCode.OK
    if alert is not None:
        print_alert(alert)
    if not weeks:
        info("The diary is empty. Add an entry with: crepitus log --sound pop --pain 0")
        return ExitCode.OK
    print(f"{'week':<9} {'days':>4} {'noisy/day':>9} {'pain mean':>9} {'worst':>5} {'exercise':>8}")
    for w in weeks:
        pops = "-" if w.pops_per_day is None else f"{w.pops_per_day:.2f}"
        mean = "-" if w.pain_mean is None else f"{w.pain_mean:.1f}"
        worst = "-" if w.pain_max is None else str(w.pain_max)
        adherence = "-" if w.adherence is None else f"{100 * w.adherence:.0f}%"
        print(f"{w.iso_week:<9} {w.days_observed:>4} {pops:>9} {mean:>9} {worst:>5} {adherence:>8}")
    return ExitCode.OK
