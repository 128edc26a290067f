"""``crepitus log``: record a popping episode (or an exercise session) and print its id."""

from __future__ import annotations

import argparse
from typing import Any

from crepitus.cli.console import ExitCode, emit_json, info

EPILOG = """\
examples:
  crepitus log --sound pop --pain 0 --activity walking
  crepitus log --sound snap --pain 3 --when 2026-11-24T18:30 --note "left hip, every step"
  crepitus log --sound none --pain 5 --symptom neuro.leg_numbness_tingling
  crepitus log --exercise bird_dog --pain-during 1 --sets 3 --reps 6 --hold-s 10
  crepitus log --exercise bird_dog --pain-next-morning 2    # completes yesterday's session
  crepitus assess --answers me.json --json > a.json && crepitus log --assessment a.json

The id is printed only after the entry is safely written. Symptoms are finding
codes (`crepitus rules --findings` lists them); a new warning sign, nerve
symptom or rising pain triggers a re-assessment and an alert.
"""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "log",
        help="record a popping episode or an exercise session in the diary",
        description="Record a popping episode (--sound, --pain) or an exercise session "
        "(--exercise, --pain-during) in the symptom diary and print its id.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    episode = parser.add_argument_group("episode")
    episode.add_argument("--sound", metavar="pop|snap|grind|none", help="the kind of noise")
    episode.add_argument("--pain", metavar="0-10", help="pain at the time, 0 (none) to 10 (worst)")
    episode.add_argument("--when", metavar="ISO-8601", help="when it happened (default: now)")
    episode.add_argument("--activity", default="", help="what you were doing, e.g. walking")
    episode.add_argument("--note", default="", help="anything else worth remembering")
    episode.add_argument(
        "--symptom",
        action="append",
        default=[],
        metavar="CODE",
        help="a symptom you noticed, as a finding code (repeatable)",
    )
    session = parser.add_argument_group("exercise session")
    session.add_argument(
        "--exercise", metavar="ID", help="exercise id from the plan, e.g. bird_dog"
    )
    session.add_argument("--pain-during", metavar="0-10", help="worst pain while exercising")
    session.add_argument("--sets", metavar="N", default="1", help="sets done (default 1)")
    session.add_argument("--reps", metavar="N", help="repetitions per set")
    session.add_argument("--hold-s", metavar="SECONDS", help="hold time per repetition")
    session.add_argument("--pain-next-morning", metavar="0-10", help="pain the next morning")
    session.add_argument("--baseline-pain", metavar="0-10", help="usual pain before the session")
    session.add_argument(
        "--leg-symptoms-spread",
        action="store_true",
        help="pain, numbness or tingling spread into a leg during or after the session",
    )
    session.add_argument("--on", metavar="YYYY-MM-DD", help="day of the session (default: today)")
    saved = parser.add_argument_group("assessments and recordings")
    saved.add_argument(
        "--assessment",
        metavar="FILE",
        help="keep an assessment saved from `crepitus assess --json` ('-' = stdin)",
    )
    saved.add_argument(
        "--recording",
        metavar="FILE",
        help="keep a recording analysis from `crepitus listen/walk --json` ('-' = stdin)",
    )
    parser.add_argument("--json", action="store_true", help="print the whole entry as JSON")
    parser.set_defaults(func=handler)


def _int(value: str | None, *, name: str) -> int | None:
    from crepitus.errors import InvalidInputError

    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise InvalidInputError(f"{name} must be a whole number, got {value!r}") from None


def _float(value: str | None, *, name: str) -> float | None:
    import math

    from crepitus.errors import InvalidInputError

    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        raise InvalidInputError(f"{name} must be a number of seconds, got {value!r}") from None
    if not math.isfinite(number):
        raise InvalidInputError(f"{name} must be a finite number of seconds, got {value!r}")
    return number


def handler(args: argparse.Namespace) -> int:
    from datetime import date

    from crepitus.diary import service
    from crepitus.diary.types import parse_when
    from crepitus.errors import InvalidInputError

    is_session = args.exercise is not None
    episode_args = [a for a in ("sound", "pain", "when") if getattr(args, a) is not None]
    documents = [a for a in ("assessment", "recording") if getattr(args, a) is not None]
    if sum((is_session, bool(episode_args), bool(documents))) > 1 or len(documents) > 1:
        raise InvalidInputError(
            "log one thing at a time: an episode (--sound, --pain), an exercise session "
            "(--exercise), an --assessment or a --recording"
        )
    if documents:
        return _log_document(args)
    if is_session:
        try:
            done_on = date.fromisoformat(args.on) if args.on else None
        except ValueError:
            raise InvalidInputError(
                f"--on must be a date like 2026-11-25, got {args.on!r}"
            ) from None
        if args.pain_during is None and args.pain_next_morning is not None:
            return _next_morning(args, done_on)
        if args.pain_during is None:
            raise InvalidInputError(
                "--exercise needs --pain-during 0-10 (0 if it did not hurt), or only "
                "--pain-next-morning N to complete yesterday's session"
            )
        with service.open_diary() as repo:
            stored = service.log_exercise_session(
                repo,
                exercise_id=args.exercise,
                pain_during=_int(args.pain_during, name="--pain-during") or 0,
                done_on=done_on,
                sets=_int(args.sets, name="--sets") or 0,
                reps=_int(args.reps, name="--reps"),
                hold_s=_float(args.hold_s, name="--hold-s"),
                pain_next_morning=_int(args.pain_next_morning, name="--pain-next-morning"),
                baseline_pain=_int(args.baseline_pain, name="--baseline-pain"),
                leg_symptoms_spread=args.leg_symptoms_spread,
            )
            _print_entry(stored.id, stored.to_json(), as_json=args.json)
            _alert_if_needed(repo)
        return ExitCode.OK

    if args.sound is None or args.pain is None:
        raise InvalidInputError(
            "log an episode with --sound pop|snap|grind|none and --pain 0-10 "
            "(or an exercise session with --exercise ID --pain-during N)"
        )
    pain = _int(args.pain, name="--pain")
    assert pain is not None
    when = parse_when(args.when) if args.when else None
    with service.open_diary() as repo:
        episode = service.log_episode(
            repo,
            sound=args.sound.strip().lower(),
            pain=pain,
            when=when,
            activity=args.activity,
            note=args.note,
            symptoms=dict.fromkeys(args.symptom, True),
        )
        _print_entry(episode.id, episode.to_json(), as_json=args.json)
        _alert_if_needed(repo)
    return ExitCode.OK


def _next_morning(args: argparse.Namespace, done_on: Any) -> int:
    from crepitus.diary import service

    pain = _int(args.pain_next_morning, name="--pain-next-morning")
    assert pain is not None
    with service.open_diary() as repo:
        updated = service.add_next_morning_pain(
            repo, exercise_id=args.exercise, pain_next_morning=pain, done_on=done_on
        )
    for stored in updated:
        _print_entry(stored.id, stored.to_json(), as_json=args.json)
    info(f"next-morning pain added to {len(updated)} session(s).")
    return ExitCode.OK


def _log_document(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from crepitus.cli.console import read_text_arg
    from crepitus.diary import service
    from crepitus.errors import InvalidInputError

    path = args.assessment or args.recording
    what = "assessment" if args.assessment else "recording analysis"
    text = read_text_arg(path, what=what)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"{what} file {path} is not valid JSON ({exc.msg})") from None
    with service.open_diary() as repo:
        if args.assessment:
            stored = service.record_assessment_document(repo, doc)
            _print_entry(stored.id, stored.to_json(), as_json=args.json)
            info(f"assessment kept ({stored.disposition.code}); re-triage compares with it.")
        else:
            name = Path(path).name if path != "-" else "stdin"
            rec = service.record_recording_document(repo, doc, file_name=name, note=args.note)
            _print_entry(rec.id, rec.to_json(), as_json=args.json)
            info("recording analysis kept.")
    return ExitCode.OK


def _print_entry(entry_id: str, doc: dict[str, Any], *, as_json: bool) -> None:
    if as_json:
        emit_json(doc)
    else:
        print(entry_id, flush=True)


def _alert_if_needed(repo: Any) -> None:
    """Re-triage after a save; a failure here must not turn a saved entry into an error.

    The id is already printed and committed: a non-zero exit would make a script
    retry and log the episode twice, so problems are reported as a warning.
    """
    from crepitus.cli.commands.trends import print_alert
    from crepitus.diary import service

    try:
        alert = service.check_for_retriage(repo)
    except Exception as exc:  # broad on purpose: the entry is saved (see docstring)
        info(f"saved, but the re-triage check failed ({exc}); run `crepitus trends` to retry")
        return
    if alert is not None:
        print_alert(alert, stream_name="stderr")
    else:
        info("saved.")
