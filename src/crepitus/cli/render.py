"""Terminal rendering of assessments (rich), kept apart from the decisions it shows.

Reports render the trace the engine produced; they never re-derive it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from crepitus.domain import INTENDED_USE, Assessment, Disposition

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

STYLE = {
    Disposition.EMERGENCY: "bold white on red",
    Disposition.URGENT: "bold black on dark_orange",
    Disposition.SOON: "bold black on yellow",
    Disposition.ROUTINE: "bold white on blue",
    Disposition.SELF_CARE: "bold white on green",
}

MECHANISM_WORDS = {
    "cavitation": "a gas bubble in a small spine joint (cavitation)",
    "soft_tissue_snap": "a tendon or ligament flicking over bone (soft-tissue snap)",
    "arthritic_crepitus": "worn joint surfaces grinding (arthritic crepitus)",
    "undetermined": "not enough information to tell",
}


def make_console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich exits with status 1 — the README's "a bug" — when the reader goes away
            # (`crepitus assess | head`); hand it to main(), which ends quietly with 0.
            self.quiet = True
            raise BrokenPipeError

    return _Console(stderr=stderr, highlight=False, soft_wrap=False)


def render_assessment(assessment: Assessment, console: Console, *, max_unknown: int = 6) -> None:
    """Print the disposition banner, reasons, likely cause, next steps and safety net."""
    from rich.panel import Panel
    from rich.text import Text

    from crepitus.findings import load_vocabulary
    from crepitus.knowledge.texts import load_texts

    vocab = load_vocabulary()
    level = assessment.disposition
    headline = assessment.headline or load_texts().dispositions[level].headline
    label = level.code.replace("_", " ").upper() + (" SO FAR" if assessment.provisional else "")
    banner = f"{label}: {headline}"
    unfinished = assessment.provisional and level == Disposition.SELF_CARE  # yellow, not green
    if unfinished:
        # "SELF CARE" first is what people take in (review 3, P2-7): lead with "not finished"
        banner = f"NOT FINISHED (self care so far): {headline.removeprefix('not finished — ')}"
    serious = level >= Disposition.URGENT
    console.print()
    console.print(
        Panel(
            Text(banner, justify="center"),
            style=STYLE[Disposition.SOON] if unfinished else STYLE[level],
            padding=(1, 2),
        )
    )
    console.print(assessment.advice)
    if assessment.red_flags:
        console.print(Text("\nWarning signs you reported (you answered yes):", style="bold"))
        for code in assessment.red_flags:
            console.print(Text(f"  ! {vocab[code].question if code in vocab else code}", "red"))

    why = [
        r
        for r in assessment.reasons
        if r.kind not in ("mechanism", "recording")
        and r.text not in assessment.advice  # already said above
        # under an urgent banner, lower levels' wording ("generally harmless", "within two
        # weeks") would contradict it; the JSON keeps every reason
        and not (serious and r.disposition is not None and r.disposition < level)
    ]
    if why:
        console.print(Text("\nWhy", style="bold underline"))
    for reason in why:
        console.print(Text("• ") + Text(reason.text))
        console.print(Text(f"  rule {reason.rule} — source: {reason.source}", style="dim"))

    if assessment.recording is not None:
        render_recording(assessment.recording, console)

    console.print(Text("\nWhat is probably making the noise", style="bold underline"))
    if serious:
        console.print("  (About the noise only: the warning signs above decide what to do.)")
    for name, p in assessment.mechanisms:
        bar = "█" * round(p * 20)
        console.print(f"  {_share(p)} {bar:<20} {MECHANISM_WORDS.get(name, name)}")
    for reason in assessment.reasons:
        # under an urgent banner the bars are enough: "typical of harmless cavitation" is not
        if reason.kind == "mechanism" and not serious:
            console.print(Text("  • ") + Text(reason.text))
            console.print(Text(f"    {reason.rule} — source: {reason.source}", style="dim"))

    console.print(Text("\nWhat to do next", style="bold underline"))
    for step in assessment.next_steps:
        console.print(f"  → {step}")

    plan = assessment.plan
    if plan is not None:
        console.print(Text("\nYour exercise plan (details: crepitus plan)", style="bold underline"))
        for item in plan.get("exercises", []):
            console.print(f"  • {item['name']}: {item.get('dose') or ''}")
        by_reason: dict[str, list[str]] = {}
        for item in plan.get("withheld", []):
            by_reason.setdefault(item["reason"], []).append(item.get("name") or item["id"])
        for reason_text, names in by_reason.items():
            console.print(Text(f"  ✗ not yet: {', '.join(names)} — {reason_text}", style="dim"))

    if assessment.unknown:
        shown = assessment.unknown[:max_unknown]
        console.print(
            Text(
                "\nStill unknown — these questions could change the answer", style="bold underline"
            )
        )
        denied = _denials_not_taken(assessment)
        if denied:
            wrote = ", ".join(f"“{t}”" for t in denied)
            console.print(
                f"  You wrote {wrote}. crepitus never takes a “no” to a warning sign from free "
                "text (it may have misread you), so please confirm by answering the questions.",
                style="dim",
            )
        for q in shown:
            yes_no = q.code in vocab and vocab[q.code].type == "boolean"
            when = "if yes" if yes_no else "depending on the answer"
            also = "".join(
                f", and also yes to “{vocab[c].question}”"
                if c in vocab and vocab[c].type == "boolean"
                else f", and depending on “{vocab[c].question if c in vocab else c}”"
                for c in q.together_with
            )
            raised = q.would_be.code.replace("_", " ")
            console.print(Text(f"  ? {q.question}  ") + Text(f"({when}{also}: {raised})", "dim"))
        if len(assessment.unknown) > len(shown):
            console.print(
                f"  … and {len(assessment.unknown) - len(shown)} more "
                "(run crepitus assess to be asked them one by one)",
                style="dim",
            )

    console.print(Text("\nWhen to get help", style="bold underline"))
    for item in assessment.safety_net:
        console.print(f"  ! {item}")
    console.print(Text(f"\n{INTENDED_USE}", style="italic dim"))


def _denials_not_taken(assessment: Assessment) -> list[str]:
    """The person's own words for warning-sign denials the free text gave but triage ignored.

    Without them, "no bladder problems" comes back as an open bladder question with no
    word on why (review 2, P2-8).
    """
    intake = assessment.intake or {}
    not_used = intake.get("not_used", {})
    return [
        str(span["text"])
        for span in intake.get("spans", [])
        if span.get("code") in not_used
        and span.get("value") is False
        and span["code"] not in assessment.findings
    ]


def _share(p: float) -> str:
    """A mechanism probability as people read it: never "100 %" or "0 %".

    The model's likelihoods are design assumptions [A] and its accuracy from recordings
    is ~8 in 10 on held-out synthetic walks (benchmarks/README.md), so a printed
    "100 %" would claim a certainty nobody has (review 3, P2-2); the JSON keeps the
    exact numbers.
    """
    if p > 0.95:
        return " >95%"
    if p < 0.01:
        return "  <1%"
    return f"{p:5.0%}"


def render_recording(recording: Mapping[str, Any], console: Console) -> None:
    """What the recordings showed, in lay words: alignment, sounds in the gait cycle."""
    from rich.text import Text

    console.print(Text("\nWhat your recordings showed", style="bold underline"))
    if recording.get("audio_summary"):
        console.print(f"  Sound: {recording['audio_summary']}")
    if recording.get("cadence_spm"):
        console.print(
            f"  Walking: {recording['cadence_spm']:.0f} steps per minute, "
            f"{recording['walking_s']:.0f} s of walking"
        )
    from crepitus.fusion.align import MIN_CONFIDENCE

    align = recording.get("alignment")
    if align:
        if align["offset_s"] is not None and align["confidence"] >= MIN_CONFIDENCE:
            # the matched-footstep count, not the score: "confidence 42%" reads as "probably
            # wrong" when 84 of 85 footsteps line up (the score is not a probability)
            how = align.get("note") or align["method"].replace("_", " ")
            console.print(f"  Sound and motion lined up ({align['offset_s']:+.2f} s apart): {how}")
        else:
            console.print(
                Text(f"  Sound and motion could not be lined up: {align['note']}", style="yellow")
            )
    for ev in recording.get("evidence", []):
        console.print(Text("  • ") + Text(ev["text"]))
        console.print(Text(f"    {ev['id']} — source: {ev['source']}", style="dim"))
    for note in recording.get("notes", []):
        console.print(Text(f"  note: {note}", style="yellow"))
    if recording.get("evidence"):
        console.print(
            "  (The sound analysis has been tested on synthetic walks, not yet on recordings of "
            "real backs: treat what it says about the cause as a hint, not a finding.)",
            style="dim",
        )
