"""``crepitus demo`` — the main job: a guided example of whole assessments."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "demo", help="a guided example: four people, four stories, four assessments"
    )
    p.add_argument("--json", action="store_true", help="print the four assessments as JSON lines")
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
                    {"name": person["name"], "assessment": assess(person["findings"]).to_json()}
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
    for i, person in enumerate(people, start=1):
        console.print(Rule(f"{i}/{len(people)} · {person['name']}"))
        console.print(Text(f"“{person['story']}”", style="italic"))
        answered = ", ".join(f"{k}={json.dumps(v)}" for k, v in person["findings"].items())
        console.print(Text(f"answers: {answered}", style="dim"))
        render_assessment(assess(person["findings"]), console, max_unknown=3)
    console.print(Rule("end of demo"))
    return ExitCode.OK
