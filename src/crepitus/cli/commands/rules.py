"""``crepitus rules`` — the knowledge base with its sources."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "rules", help="list the triage rules (or --findings: the question vocabulary) with sources"
    )
    p.add_argument("--findings", action="store_true", help="list the findings vocabulary instead")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.table import Table

    from crepitus.cli.console import ExitCode, emit_json
    from crepitus.cli.render import STYLE, make_console
    from crepitus.findings import load_vocabulary
    from crepitus.triage import load_rulebook

    console = make_console()
    if args.findings:
        vocab = load_vocabulary()
        if args.json:
            emit_json(
                [
                    {
                        "code": d.code,
                        "type": d.type,
                        "question": d.question,
                        "help": d.help,
                        "screen": d.screen,
                        "source": d.source,
                        "min": d.min,
                        "max": d.max,
                        "choices": list(d.choices) or None,
                    }
                    for d in vocab.definitions.values()
                ]
            )
            return ExitCode.OK
        table = Table(title=f"Findings vocabulary {vocab.version}", show_lines=False)
        for col in ("code", "type", "screen", "question", "source"):
            table.add_column(col, overflow="fold")
        for d in vocab.definitions.values():
            table.add_row(
                d.code, d.describe_range(), "red-flag" if d.screen else "", d.question, d.source
            )
        console.print(table)
        return ExitCode.OK
    book = load_rulebook()
    if args.json:
        emit_json(
            {
                "version": book.version,
                "rules": [
                    {
                        "id": r.id,
                        "title": r.title,
                        "framework": r.framework,
                        "disposition": r.disposition.code,
                        "red_flag": r.red_flag,
                        "explanation": r.explanation,
                        "rationale": r.rationale,
                        "source": r.source,
                    }
                    for r in book.rules
                ],
                "concern": {
                    "id": book.concern.id,
                    "rationale": book.concern.rationale,
                    "source": book.concern.source,
                },
            }
        )
        return ExitCode.OK
    table = Table(title=f"Triage rules {book.version} (most urgent first)")
    for col in ("level", "rule", "when (title)", "source"):
        table.add_column(col, overflow="fold")
    for r in sorted(book.rules, key=lambda r: -r.disposition):
        table.add_row(f"[{STYLE[r.disposition]}] {r.disposition.code} [/]", r.id, r.title, r.source)
    console.print(table)
    console.print(f"\n{book.concern.id}: {book.concern.rationale}\n  source: {book.concern.source}")
    return ExitCode.OK
