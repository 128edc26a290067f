"""``crepitus assess`` — the full assessment, interactive or from a findings file."""

from __future__ import annotations

import argparse
from typing import Any

HELP = "assess your back noises: disposition, likely cause and reasons"
DESCRIPTION = """\
Without --answers, asks questions interactively (y/n/?/b/w/q).
With --answers FILE (a crepitus.findings/1 JSON document, or - for stdin),
assesses non-interactively; --json prints crepitus.assessment/1 on stdout.

With --audio and/or --motion (recordings of the same walk), the sounds are
placed in the gait cycle and used as evidence for what makes the noise; they
can add to urgency, never lower it. An empty findings document is valid then.

examples:
  crepitus assess
  crepitus assess --answers findings.json --json
  crepitus assess --answers findings.json --audio walk.m4a --motion walk.zip --plot phase.png
"""


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "assess",
        help=HELP,
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--answers", metavar="FILE", help="findings JSON (crepitus.findings/1); - = stdin"
    )
    p.add_argument("--json", action="store_true", help="print crepitus.assessment/1 JSON on stdout")
    p.add_argument(
        "--text",
        metavar="TEXT",
        help="describe it in your own words (pre-fills answers; --answers win)",
    )
    p.add_argument("--audio", metavar="FILE", help="a recording of the walk (WAV, M4A, WebM, ...)")
    p.add_argument("--motion", metavar="FILE", help="motion data of the same walk (phyphox, ...)")
    p.add_argument("--plot", metavar="OUT.png", help="write a polar gait-phase plot of the sounds")
    p.add_argument(
        "--save",
        action="store_true",
        help="keep this assessment in your diary (for trends and re-triage)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from crepitus.cli.console import ExitCode, emit_json, plot_written, read_text_arg
    from crepitus.cli.render import make_console, render_assessment
    from crepitus.errors import UsageError
    from crepitus.findings import Findings, parse_findings_json
    from crepitus.plotfile import plot_path
    from crepitus.workflows import assess

    plot_out = None
    if args.plot:  # a bad --plot fails before any question is asked or file analysed
        if not (args.audio or args.motion):
            raise UsageError("--plot needs --audio and/or --motion")
        plot_out = plot_path(args.plot)
    if args.answers:
        findings = parse_findings_json(
            read_text_arg(args.answers, what="answers"),
            origin=args.answers if args.answers != "-" else "stdin",
        )
    elif (args.audio or args.motion or args.text) and not sys.stdin.isatty():
        # Text and/or recordings alone, non-interactively: empty findings are valid (§2).
        findings = Findings()
    else:
        findings = _interview(args.text)
        if findings is None:
            return ExitCode.OK
    result = assess(
        findings if isinstance(findings, Findings) else Findings(),
        text=args.text if args.answers or not sys.stdin.isatty() else None,
        audio=args.audio,
        motion=args.motion,
    )
    if plot_out is not None and result.recording is not None:
        from crepitus.fusion.plot import plot_gait_phase

        plot_written(plot_gait_phase(result.recording, plot_out))
    if args.save:
        from crepitus.cli.console import info
        from crepitus.diary.service import open_diary, record_assessment

        with open_diary() as repo:
            stored = record_assessment(repo, result)
        info(f"saved to your diary as {stored.id}")
    if args.json:
        emit_json(result.to_json())
    else:
        render_assessment(result, make_console())
    return ExitCode.OK


def _interview(text: str | None) -> Any:
    from crepitus.cli.interview import QuitInterview, run_interview
    from crepitus.cli.render import make_console
    from crepitus.domain import INTENDED_USE

    console = make_console(stderr=False)
    console.print("[bold]crepitus — why does my back pop when I walk?[/bold]")
    console.print(f"[italic dim]{INTENDED_USE}[/italic dim]")
    try:
        return run_interview(console, text=text)
    except QuitInterview:
        from crepitus.domain import FALLBACK_SAFETY_NET

        console.print(f"Stopped. Nothing was saved. {FALLBACK_SAFETY_NET}")
        return None
