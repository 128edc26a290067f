"""``crepitus demo`` — the main job: a guided example of whole assessments."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "demo", help="a guided example: four people's answers and one recorded walk, assessed"
    )
    p.add_argument("--json", action="store_true", help="print the assessments as JSON lines")
    p.add_argument(
        "--no-recording", action="store_true", help="skip the synthetic recorded walk at the end"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import json

    from rich.rule import Rule
    from rich.text import Text

    from crepitus.cli.console import ExitCode
    from crepitus.cli.render import make_console, render_assessment
    from crepitus.knowledge.files import load_data_file
    from crepitus.workflows import assess

    people = load_data_file("demo.yaml")["people"]
    if args.json:
        for person in people:
            print(
                json.dumps(
                    {"name": person["name"], "assessment": assess(_findings(person)).to_json()}
                )
            )
        return ExitCode.OK
    console = make_console()
    console.print(
        Text("crepitus demo — why does my back pop when I walk, and should I worry?", style="bold")
    )
    console.print(
        "Four people describe their back noises. For each, crepitus reads the answers, "
        "applies its rules (each with a cited source) and explains its conclusion.\n"
        "Try it yourself with `crepitus assess`."
    )
    parts = len(people) + (0 if args.no_recording else 1)
    for i, person in enumerate(people, start=1):
        console.print(Rule(f"{i}/{parts} · {person['name']}"))
        console.print(Text(f"“{person['story']}”", style="italic"))
        answered = ", ".join(f"{k}={json.dumps(v)}" for k, v in person["findings"].items())
        if person.get("rest_of_screen") == "answered_no":
            answered += "; no to every other warning-sign question"
        console.print(Text(f"answers: {answered}", style="dim"))
        render_assessment(assess(_findings(person)), console, max_unknown=3)
    if not args.no_recording:
        _recorded_walk(console, part=f"{parts}/{parts}")
    console.print(Rule("end of demo"))
    return ExitCode.OK


def _findings(person: dict[str, Any]) -> dict[str, Any]:
    """A demo person's answers, with ``rest_of_screen: answered_no`` spelled out."""
    from crepitus.findings import load_vocabulary

    findings = dict(person["findings"])
    if person.get("rest_of_screen") == "answered_no":
        return {**dict.fromkeys(load_vocabulary().screen_questions, False), **findings}
    return findings


def _recorded_walk(console: Any, *, part: str) -> None:
    """A walk recorded with a phone at the lower back: sound + motion, no answers at all."""
    import tempfile

    from rich.rule import Rule
    from rich.text import Text

    from crepitus.cli.render import render_assessment
    from crepitus.synth.session import TUNING_SEEDS, session
    from crepitus.workflows import assess

    console.print(Rule(f"{part} · a recorded walk (synthetic)"))
    console.print(
        Text(
            "Kim holds the phone against the lower back and walks for 40 seconds; a separate app "
            "logs the motion. The recordings are synthetic (crepitus.synth): a tendon that snaps "
            "on every stride of one leg. No questions are answered — crepitus listens and feels. "
            "(Not every such walk is heard this clearly: see benchmarks/bench_fusion.py.)",
            style="italic",
        )
    )
    demo = session(TUNING_SEEDS[5], walking_s=40.0)
    with tempfile.TemporaryDirectory() as tmp:
        wav, csv = demo.write(tmp, stem="kim")
        result = assess({}, audio=wav, motion=csv)
        render_assessment(result, console, max_unknown=3)
