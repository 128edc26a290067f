"""``crepitus assess`` — the full assessment, interactive or from a findings file."""

from __future__ import annotations

import argparse
from typing import Any

HELP = "assess your back noises: disposition, likely cause and reasons"
DESCRIPTION = """\
Without --answers, asks questions interactively (y/n/?/b/w/q).
With --answers FILE (a crepitus.findings/1 JSON document, or - for stdin),
assesses non-interactively; --json prints crepitus.assessment/1 on stdout.

examples:
  crepitus assess
  crepitus assess --answers findings.json --json
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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from crepitus.cli.console import ExitCode, emit_json, read_text_arg
    from crepitus.cli.render import make_console, render_assessment
    from crepitus.findings import Findings, parse_findings_json
    from crepitus.workflows import assess

    if args.answers:
        findings = parse_findings_json(
            read_text_arg(args.answers, what="answers"),
            origin=args.answers if args.answers != "-" else "stdin",
        )
    else:
        findings = _interview()
        if findings is None:
            return ExitCode.OK
    result = assess(findings if isinstance(findings, Findings) else Findings())
    if args.json:
        emit_json(result.to_json())
    else:
        render_assessment(result, make_console())
    return ExitCode.OK


def _interview() -> Any:
    from crepitus.cli.interview import QuitInterview, run_interview
    from crepitus.cli.render import make_console
    from crepitus.domain import INTENDED_USE

    console = make_console(stderr=False)
    console.print("[bold]crepitus — why does my back pop when I walk?[/bold]")
    console.print(f"[italic dim]{INTENDED_USE}[/italic dim]")
    try:
        return run_interview(console)
    except QuitInterview:
        console.print("Stopped. Nothing was saved.")
        return None
