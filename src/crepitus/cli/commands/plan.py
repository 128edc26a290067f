"""``crepitus plan``: a weekly exercise and posture plan from your answers (contracts.md §6)."""

from __future__ import annotations

import argparse
import textwrap
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only for annotations: keep start-up imports light
    from crepitus.domain import Assessment
    from crepitus.plan.posture import PelvicTilt
    from crepitus.plan.types import Plan

HELP = "make a weekly exercise and posture plan from your answers"
DESCRIPTION = """\
Make a weekly exercise and walking-posture plan from your answers: the seed's
core and mobility exercises (cat-cow, pelvic tilts, bracing, bird-dog, planks)
with doses, adjusted to what is probably making the noise and to anything that
makes an exercise unsuitable. While a warning sign is open, strengthening is
held back and the plan says why. Not a diagnosis.

examples:
  crepitus plan --answers answers.json
  crepitus plan --answers answers.json --json
  crepitus plan --answers answers.json --ical plan.ics --time 07:30
  crepitus plan --answers answers.json --tilt-deg 8
  crepitus plan --answers answers.json --motion walk.csv
  crepitus plan --answers answers.json --progress   (uses sessions from 'crepitus log')
"""

_WIDTH = 88
_DAY_LABELS = {
    "MO": "Mon",
    "TU": "Tue",
    "WE": "Wed",
    "TH": "Thu",
    "FR": "Fri",
    "SA": "Sat",
    "SU": "Sun",
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "plan",
        help=HELP,
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--answers",
        required=True,
        metavar="FINDINGS.json",
        help="your answers as a crepitus.findings/1 JSON document ('-' reads stdin)",
    )
    parser.add_argument("--json", action="store_true", help="print the crepitus.plan/1 JSON")
    parser.add_argument(
        "--ical", metavar="OUT.ics", help="also write the plan as a calendar file with reminders"
    )
    tilt = parser.add_mutually_exclusive_group()
    tilt.add_argument(
        "--tilt-deg",
        type=float,
        metavar="DEG",
        help="measured pelvic tilt while walking minus standing, in degrees (+ = tipped forward)",
    )
    tilt.add_argument(
        "--motion",
        metavar="FILE",
        help="a motion recording (as for 'crepitus walk'); its pelvic tilt sets posture cues",
    )
    tilt.add_argument(
        "--gait",
        metavar="GAIT.json",
        help="output of 'crepitus walk --json' (its pelvic_tilt_deg is used for posture cues)",
    )
    parser.add_argument(
        "--progress",
        action="store_true",
        help="check the exercise sessions in your diary: move up, keep, step back or stop",
    )
    parser.add_argument(
        "--start", metavar="YYYY-MM-DD", help="first day of the plan (default: today)"
    )
    parser.add_argument(
        "--time",
        default="08:00",
        metavar="HH:MM",
        help="time of day for calendar sessions (default 08:00, local time)",
    )
    parser.add_argument(
        "--remind-min",
        type=int,
        default=10,
        metavar="MIN",
        help="calendar reminder this many minutes before (default 10)",
    )
    parser.set_defaults(func=handler)


def _tilt_from_args(args: argparse.Namespace) -> PelvicTilt | None:
    import json

    from crepitus.cli.console import info, read_text_arg
    from crepitus.errors import InvalidInputError
    from crepitus.plan.posture import PelvicTilt

    if args.tilt_deg is not None:
        return PelvicTilt.relative(walking_minus_standing_deg=args.tilt_deg)
    if args.motion is not None:
        from crepitus.motion import walk

        tilt_doc = walk(args.motion).to_json().get("pelvic_tilt_deg")
        from_motion = PelvicTilt.from_gait(tilt_doc)
        if from_motion is None:
            info("note: no pelvic tilt could be estimated from the recording; cues ignore tilt")
        return from_motion
    if args.gait is None:
        return None
    text = read_text_arg(args.gait, what="gait")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"gait file {args.gait} is not valid JSON (line {exc.lineno}: {exc.msg})"
        ) from None
    if not isinstance(doc, dict) or doc.get("schema") != "crepitus.gait/1":
        raise InvalidInputError(
            f"gait file {args.gait} is not a crepitus.gait/1 document; "
            "make it with 'crepitus walk FILE --json'"
        )
    raw = doc.get("pelvic_tilt_deg")
    if raw is not None and not isinstance(raw, dict):
        raise InvalidInputError(f"gait file {args.gait}: pelvic_tilt_deg must be an object")
    try:
        tilt = PelvicTilt.from_gait(raw)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, InvalidInputError):
            raise
        raise InvalidInputError(f"gait file {args.gait}: pelvic_tilt_deg is malformed") from None
    if tilt is None:
        info("note: the gait file has no pelvic tilt estimate; posture cues ignore tilt")
    return tilt


def _parse_start_and_time(args: argparse.Namespace) -> tuple[Any, Any]:
    from datetime import date, time

    from crepitus.errors import InvalidInputError

    try:
        start = date.fromisoformat(args.start) if args.start else date.today()
    except ValueError:
        raise InvalidInputError(
            f"--start must be a date like 2026-12-01, got {args.start!r}"
        ) from None
    try:
        at = time.fromisoformat(args.time)
    except ValueError:
        raise InvalidInputError(f"--time must be a time like 07:30, got {args.time!r}") from None
    return start, at


def _progress(plan: Plan) -> tuple[Any, ...]:
    """Progression decisions from the diary's exercise sessions (and its re-triage check)."""
    from crepitus.diary.service import check_for_retriage, open_diary
    from crepitus.plan.progression import review_plan

    with open_diary() as repo:
        sessions = [stored.session for stored in repo.list_exercise_sessions()]
        alert = check_for_retriage(repo)
    new_flag = alert is not None and (
        bool(alert.new_red_flags)
        or alert.escalated
        or any(t.kind == "new_nerve_symptom" for t in alert.triggers)
    )
    return review_plan(plan, sessions, new_red_flag=new_flag)


def handler(args: argparse.Namespace) -> int:
    from crepitus.cli.console import ExitCode, emit_json, info, read_text_arg
    from crepitus.errors import InvalidInputError
    from crepitus.findings import parse_findings_json
    from crepitus.plan import plan_to_ical
    from crepitus.workflows import make_plan_from_findings

    start, at = _parse_start_and_time(args)
    if args.remind_min < 0:
        raise InvalidInputError(f"--remind-min must be 0 or more, got {args.remind_min}")
    findings = parse_findings_json(
        read_text_arg(args.answers, what="answers"), origin=f"answers file {args.answers}"
    )
    tilt = _tilt_from_args(args)
    assessment, plan = make_plan_from_findings(findings, pelvic_tilt=tilt, today=start)
    if args.ical:
        from pathlib import Path

        ics = plan_to_ical(plan, at=at, reminder_min_before=args.remind_min)
        try:
            Path(args.ical).write_bytes(ics.encode("utf-8"))
        except OSError as exc:
            raise InvalidInputError(
                f"cannot write the calendar file {args.ical}: {exc.strerror}"
            ) from None
        info(f"calendar written to {args.ical} (import it into your calendar app)")
    decisions = _progress(plan) if args.progress else None
    if args.json:
        doc = plan.to_json()
        if decisions is not None:
            doc["progression"] = [d.to_json() for d in decisions]
        emit_json(doc)
    else:
        print(render(plan, decisions, assessment=assessment))
    return ExitCode.OK


def _wrap(text: str, indent: str, first: str | None = None) -> str:
    return textwrap.fill(
        text,
        width=_WIDTH,
        initial_indent=first if first is not None else indent,
        subsequent_indent=indent,
    )


_ACTION_WORDS = {
    "progress": "move up",
    "hold": "keep going",
    "regress": "step back",
    "stop": "STOP",
}


def _render_decisions(decisions: tuple[Any, ...]) -> list[str]:
    from crepitus.plan.library import load_library

    lib = load_library()
    out = ["Progress check (from your diary):"]
    for d in decisions:
        name = lib[d.exercise_id].name
        target = f" → {lib[d.to_id].name}" if d.to_id else ""
        out.append(f"  - {name}: {_ACTION_WORDS[d.action]}{target} ({d.step})")
        out += [_wrap(r, "      ", "      ") for r in d.reasons]
    return [*out, ""]


def render(
    plan: Plan, decisions: tuple[Any, ...] | None = None, *, assessment: Assessment | None = None
) -> str:
    """The plan for people: numbered exercises with dose and why, what is held back, cues.

    With the ``assessment`` the plan came from, an unfinished warning-sign screen is said
    first (the plan alone would read as a settled "self care"), and the emergency signs of
    the assessment's safety net close it, as they close ``crepitus assess`` (review 2, P2-9).
    """
    from crepitus.domain import INTENDED_USE
    from crepitus.plan.library import load_library

    lib = load_library()

    def name(exercise_id: str) -> str:
        return lib[exercise_id].name if exercise_id in lib else exercise_id

    level = plan.disposition.replace("_", " ")
    unfinished = assessment is not None and assessment.provisional
    out: list[str] = [f"Your exercise plan ({level}{' so far' if unfinished else ''})", ""]
    if unfinished:
        out += [
            _wrap(
                "Not finished: some warning-sign questions are still unanswered, so this "
                "plan cannot rule those problems out. Run crepitus assess to be asked them; "
                "until they are answered, exercises that load the spine are held back.",
                "",
            ),
            "",
        ]
    out += [_wrap(plan.summary, ""), ""]
    if plan.exercises:
        out.append("Exercises, in this order:")
        for i, ex in enumerate(plan.exercises, 1):
            out.append("")
            out.append(f"{i:2d}. {ex.name} — {ex.dose_text}")
            out.append(_wrap(ex.why, "      ", "    Why: "))
            out.append("    How:")
            out += [
                _wrap(step, "         ", f"      {j}. ")
                for j, step in enumerate(ex.instructions, 1)
            ]
            if ex.mistakes:
                avoid = "; ".join(m.rstrip(".") for m in ex.mistakes)
                out.append(_wrap(f"{avoid}.", "      ", "    Avoid: "))
            for caution in ex.cautions:
                out.append(_wrap(caution, "      ", "    Take care: "))
            out.append(_wrap(ex.progress_when, "      ", "    Move on: "))
            out.append(_wrap(ex.regress_when, "      ", "    Step back: "))
        out.append("")
    if plan.withheld:
        out.append("Left out for now:")
        for w in plan.withheld:
            extra = f" (instead: {name(w.replaced_by)})" if w.replaced_by else ""
            out.append(_wrap(f"{name(w.id)}{extra}: {w.reason}", "    ", "  - "))
        out.append("")
    if plan.exercises:
        out.append("Week at a glance:")
        for day, ids in plan.schedule.items():
            names = ", ".join(name(i) for i in ids) if ids else "rest"
            out.append(_wrap(names, "        ", f"  {_DAY_LABELS[day]}  "))
        out.append("")
        out.append(_wrap(plan.progression_rules, "  ", "How to progress: "))
        out.append("")
    if decisions:
        out += _render_decisions(decisions)
    if plan.posture_cues:
        out.append("Walking posture:")
        out += [_wrap(c.text, "    ", "  - ") for c in plan.posture_cues]
        out.append("")
    for note in plan.notes:
        out += [_wrap(note, ""), ""]
    out.append("Stop and seek care if:")
    out += [_wrap(s, "    ", "  - ") for s in plan.stop_if]
    if assessment is not None:
        out.append("When to get help:")
        out += [_wrap(s, "    ", "  ! ") for s in assessment.safety_net]
    out += ["", _wrap(INTENDED_USE, "")]
    return "\n".join(out)
