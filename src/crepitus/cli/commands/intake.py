"""``crepitus intake``: read a free-text description and print the findings it contains.

Contract (contracts.md §5): with ``--json`` a ``crepitus.findings/1`` document
whose ``findings`` hold the codes recognised as present (true) or explicitly
denied (false); everything else is left out.  The document also carries an
``intake`` object (spans, set-aside mentions, notes) — an extra key that
findings parsers ignore.  Without ``--json``: one "you wrote: … → …" line per
finding on stdout, notes on stderr.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "intake",
        help="read a description in your own words and list the findings it contains",
        description=(
            "Read how you describe the noise and the symptoms, in your own words, and list "
            "what was recognised: present (yes), explicitly denied (no); everything else "
            "stays unknown and is asked later. English only for now."
        ),
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument(
        "--text", help='the description, e.g. "my back cracks every step, no numbness"'
    )
    src.add_argument(
        "--file", metavar="FILE", help="read the description from a UTF-8 text file ('-' = stdin)"
    )
    p.add_argument(
        "--json", action="store_true", help="print a crepitus.findings/1 document on stdout"
    )
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from crepitus.cli.console import ExitCode, emit_json, info, read_text_arg
    from crepitus.intake import confirmation_lines, extract

    text = args.text if args.text is not None else read_text_arg(args.file, what="description")
    result = extract(text)
    if args.json:
        emit_json(result.to_document())
    else:
        for line in confirmation_lines(result):
            print(line)
        for span in result.ignored:
            if span.reason != "overridden":
                info(f'not counted ({_REASONS.get(span.reason, span.reason)}): "{span.text}"')
    for note in result.notes:
        info(f"note: {note}")
    return int(ExitCode.OK)


_REASONS = {
    "uncertain": "you sounded unsure — it will be asked",
    "hypothetical": "a possibility, not something happening",
    "other": "about someone else",
    "historical": "in the past",
}
