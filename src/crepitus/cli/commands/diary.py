"""``crepitus diary``: list the diary's entries (``--json``: the ``crepitus.diary/1`` document)."""

from __future__ import annotations

import argparse
from typing import Any

from crepitus.cli.console import ExitCode, emit_json, info


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "diary",
        help="list the popping episodes (and more) recorded in the diary",
        description="List the symptom diary, oldest first. Add entries with `crepitus log`.",
    )
    parser.add_argument("--json", action="store_true", help="print the crepitus.diary/1 document")
    parser.add_argument("--since", metavar="ISO-8601", help="only entries from this date or time")
    parser.add_argument("--until", metavar="ISO-8601", help="only entries before this date or time")
    parser.add_argument(
        "--all",
        action="store_true",
        help="also list exercise sessions, stored assessments and recordings",
    )
    parser.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from crepitus.diary import service
    from crepitus.diary.export import diary_document
    from crepitus.diary.types import DiaryContents, parse_when
    from crepitus.domain import is_provisional

    since = parse_when(args.since, name="--since", allow_future=True) if args.since else None
    until = parse_when(args.until, name="--until", allow_future=True) if args.until else None
    with service.open_diary() as repo:
        episodes = service.list_entries(repo, since=since, until=until)
        if args.all:
            contents = DiaryContents(
                episodes=tuple(episodes),
                exercise_sessions=tuple(repo.list_exercise_sessions()),
                assessments=tuple(repo.list_assessments()),
                recordings=tuple(repo.list_recordings()),
            )
        else:
            contents = DiaryContents(episodes=tuple(episodes))
    if args.json:
        emit_json(diary_document(contents, everything=args.all))
        return ExitCode.OK
    if not len(contents):
        info("The diary is empty. Add an entry with: crepitus log --sound pop --pain 0")
        return ExitCode.OK
    for e in contents.episodes:
        text = " — ".join(part for part in (e.activity, e.note) if part)
        symptoms = ", ".join(c for c, v in e.findings.items() if v is True)
        line = f"{e.when:%Y-%m-%d %H:%M}  {e.sound:<5}  pain {e.pain:>2}/10  {text}"
        if symptoms:
            line += f"  [symptoms: {symptoms}]"
        print(f"{line.rstrip()}  ({e.id})")
    if contents.exercise_sessions:
        print("\nexercise sessions:")
        for s in contents.exercise_sessions:
            dose = f"{s.session.sets} set(s)"
            if s.session.reps is not None:
                dose += f" × {s.session.reps}"
            if s.session.hold_s is not None:
                dose += f", {s.session.hold_s:g} s hold"
            print(
                f"{s.session.done_on}  {s.session.exercise_id:<18} {dose:<24} "
                f"pain {s.session.pain_during}/10  ({s.id})"
            )
    if contents.assessments:
        print("\nassessments:")
        for a in contents.assessments:
            # "self_care, no warning signs" only after a finished screen: an empty answer
            # set is stored as self_care too (review 2, P2-6). Documents from before
            # `screen_complete` existed are not assumed complete.
            finished = a.document.get("screen_complete") is True
            if a.red_flags:
                flags = ", ".join(a.red_flags)
            else:
                flags = "no warning signs" if finished else "warning-sign questions not finished"
            so_far = is_provisional(a.disposition, screen_complete=finished)
            level = a.disposition.code + (" so far" if so_far else "")
            print(f"{a.recorded_at:%Y-%m-%d %H:%M}  {level:<17} {flags}  ({a.id})")
    if contents.recordings:
        print("\nrecordings:")
        for r in contents.recordings:
            print(f"{r.recorded_at:%Y-%m-%d %H:%M}  {r.kind:<12} {r.file_name}  ({r.id})")
    return ExitCode.OK
