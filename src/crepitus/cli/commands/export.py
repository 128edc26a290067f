"""``crepitus export``: the diary as CSV/JSON, a full backup, restore, or the plan as iCalendar."""

from __future__ import annotations

import argparse
from typing import Any

from crepitus.cli.console import ExitCode, info

EPILOG = """\
examples:
  crepitus export --format csv --out diary.csv
  crepitus export --format backup --out diary-backup.json
  CREPITUS_HOME=~/new-place crepitus export --restore diary-backup.json
  crepitus export --ical --out plan.ics        # plan from the latest stored assessment

Files are written atomically and readable only by you (mode 0600). A restore
needs an empty diary and keeps every entry's id.
"""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export the diary (CSV, JSON, backup), restore a backup, or the plan as iCalendar",
        description="Export the symptom diary, restore a backup into an empty diary, or write "
        "the exercise plan as an iCalendar file with reminders.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--format",
        metavar="csv|json|backup",
        help="export the diary in this format (backup = everything, restorable)",
    )
    what.add_argument("--restore", metavar="FILE", help="restore a backup into an empty diary")
    what.add_argument(
        "--ical", action="store_true", help="write the exercise plan as an iCalendar file"
    )
    parser.add_argument("--out", metavar="FILE", help="where to write ('-' for stdout)")
    parser.add_argument(
        "--answers",
        metavar="FINDINGS.json",
        help="with --ical: plan from these answers instead of the latest stored assessment",
    )
    parser.set_defaults(func=handler)


def _write(out: str, data: bytes) -> None:
    import sys
    from pathlib import Path

    from crepitus.diary.export import write_private_file

    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_private_file(Path(out), data)


def handler(args: argparse.Namespace) -> int:
    from pathlib import Path

    from crepitus.diary import service
    from crepitus.diary.export import EXPORT_FORMATS, export_bytes, plan_ical, restore_backup
    from crepitus.errors import InvalidInputError

    if args.restore:
        with service.open_diary() as repo:
            contents = restore_backup(repo, Path(args.restore))
            where = repo.location
        info(f"restored {_entries(len(contents))} into {where}")
        return ExitCode.OK
    if not args.out:
        raise InvalidInputError("--out FILE is required ('-' writes to stdout)")
    if args.ical:
        if args.answers:
            from crepitus.cli.console import read_text_arg
            from crepitus.findings import parse_findings_json

            findings: dict[str, Any] = dict(
                parse_findings_json(
                    read_text_arg(args.answers, what="answers"), origin=args.answers
                )
            )
        else:
            with service.open_diary() as repo:
                latest = repo.latest_assessment()
            if latest is None:
                raise InvalidInputError(
                    "the diary holds no assessment to plan from; pass --answers FINDINGS.json "
                    "or run `crepitus plan --answers FILE --ical OUT.ics`"
                )
            findings = dict(latest.findings)
        _write(args.out, plan_ical(findings).encode("utf-8"))
        if args.out != "-":
            info(f"calendar written to {args.out} (import it into your calendar app)")
        return ExitCode.OK
    fmt = args.format.strip().lower()
    if fmt not in EXPORT_FORMATS:
        raise InvalidInputError(f"unknown export format {args.format!r}; use csv, json or backup")
    with service.open_diary() as repo:
        contents = repo.contents()
    _write(args.out, export_bytes(contents, fmt=fmt))
    if args.out != "-":
        info(f"exported {_entries(len(contents))} to {args.out} ({fmt})")
    return ExitCode.OK


def _entries(n: int) -> str:
    return f"{n} entry" if n == 1 else f"{n} entries"
