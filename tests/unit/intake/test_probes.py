"""Fresh lay phrasings (development probes, not held-out data), and rule coverage.

Red-flag wording in the words of the cauda equina leaflets and of people
describing it; benign descriptions that must not raise any red flag.  Every
lexicon entry has a vignette that fires it (style rule 5): entries that assert
or deny a finding appear as the rule of a span somewhere in the eval set or
these probes; blocker entries (``value: null``, e.g. "hay fever") have their
own vignette showing that they stop the false reading.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crepitus.intake import extract, red_flag_codes
from crepitus.intake.evaluation import load_cases
from crepitus.intake.lexicon import load_lexicon

RED_FLAG_PROBES = [
    # (what people write, the code, a natural way of denying it)
    (
        "I can't control my bladder anymore",
        "neuro.bladder_change",
        "no problems controlling my bladder",
    ),
    ("lately i've been peeing myself", "neuro.bladder_change", "I haven't been peeing myself"),
    ("I have to strain to pee", "neuro.bladder_change", "I don't have to strain to pee"),
    ("I keep needing to pee but nothing comes out", "neuro.bladder_change", "no trouble peeing"),
    ("I can't tell when I need to wee", "neuro.bladder_change", "no bladder problems at all"),
    ("I can't hold my poo in", "neuro.bowel_change", "no bowel problems"),
    ("no feeling in my backside", "neuro.saddle_numbness", "my backside isn't numb"),
    ("it feels weird when I wipe", "neuro.saddle_numbness", "it doesn't feel weird when I wipe"),
    ("I can't feel the toilet paper", "neuro.saddle_numbness", "no numbness when I wipe"),
    ("my privates feel numb", "neuro.saddle_numbness", "no numbness in my privates"),
    (
        "Loss of sensation around my anus",
        "neuro.saddle_numbness",
        "no loss of sensation around my anus",
    ),
    ("no sensation during sex", "neuro.sexual_change", "no problems with sex"),
    ("my foot drags when I walk", "neuro.leg_weakness", "my foot doesn't drag"),
    ("I can't feel my feet", "neuro.leg_numbness_tingling", "my feet aren't numb"),
    ("I'm losing my balance a lot", "neuro.unsteady_walking", "I'm not unsteady"),
    ("the pain came on all of a sudden", "pain.sudden_severe", "it didn't come on suddenly"),
    (
        "I had surgery on my spine last month",
        "history.recent_infection",
        "never had spinal surgery",
    ),
    ("I feel like I'm going to pass out", "vascular.fainting", "I haven't fainted"),
    ("my stomach is throbbing", "vascular.abdominal_pulsation", "no throbbing in my stomach"),
    ("numbness in my left leg and right leg", "neuro.both_legs", "only my left leg is numb"),
]

BENIGN_PROBES = [
    "I walk my dog every morning and my back pops when I bend down to pick up after her",
    "My toddler wet himself at nursery, then my back cracked picking him up",
    "My back pops when I do yoga, especially in cat-cow. Feels great afterwards.",
    "I've read that numbness down there is a warning sign, I don't have that",
    "I watched a video about cauda equina and got scared, but I have none of those symptoms",
    "I sneeze a lot from hay fever and my back pops sometimes",
    "I'm worried about cancer because my aunt had it",
    "I tripped on the stairs last year",
    "My back cracks when I sneeze",
    "Loud crack between my shoulder blades when I twist, no pain",
]


@pytest.mark.parametrize(("text", "code", "denial"), RED_FLAG_PROBES)
def test_red_flag_wording_is_recognised(text: str, code: str, denial: str) -> None:
    assert extract(text).findings.get(code) is True


@pytest.mark.parametrize(("text", "code", "denial"), RED_FLAG_PROBES)
def test_denied_red_flag_wording_is_never_present(text: str, code: str, denial: str) -> None:
    assert extract(denial).findings.get(code) is not True


@pytest.mark.parametrize("text", BENIGN_PROBES)
def test_benign_descriptions_raise_no_red_flag(text: str) -> None:
    findings = extract(text).findings
    assert [c for c in red_flag_codes() if findings.get(c) is True] == []


EVAL_SET = Path(__file__).resolve().parents[2] / "data" / "intake" / "eval_set.yaml"

#: Blocker entry id → (text, the code it must keep from being set, a text where that code is set).
BLOCKERS = {
    "sound.pop.not-a-noise": ("I cracked a rib last year", "sound.pop", "my back cracks"),
    "sound.other-joint": ("my neck cracks", "sound.pop", "my back cracks"),
    "sound.other-joint.snap": ("my knee clicks", "sound.snap", "my back clicks"),
    "sound.other-joint.grind": ("my shoulder grinds", "sound.grind", "my back grinds"),
    "pain.sharp.sound-adjective": (
        "a sharp crack in my back",
        "pain.sharp",
        "a sharp pain in my back",
    ),
    "trauma.minor.idiom": ("I fell asleep on the sofa", "trauma.minor", "I fell on the ice"),
    "history.steroids.injection": (
        "I had a steroid injection",
        "history.steroids",
        "I take prednisolone",
    ),
    "history.smoker.ex": ("I'm an ex-smoker", "history.smoker", "I smoke"),
    "systemic.fever.idiom": ("I have hay fever", "systemic.fever", "I have a fever"),
    "vascular.faint-sound": ("a faint click in my back", "vascular.fainting", "I feel faint"),
}


def _corpus() -> list[str]:
    data = EVAL_SET.parent
    texts = [
        c.text
        for name in ("eval_set", "fresh_set", "fresh2_set")
        for c in load_cases(data / f"{name}.yaml")
    ]
    texts += [t for t, _, _ in RED_FLAG_PROBES] + [d for _, _, d in RED_FLAG_PROBES]
    return texts + list(BENIGN_PROBES)


def test_every_entry_has_a_vignette() -> None:
    fired: set[str] = set()
    for text in _corpus():
        r = extract(text)
        fired |= {s.rule for s in r.spans} | {s.rule for s in r.ignored}
    missing = [e.id for e in load_lexicon().entries if e.id not in fired and e.id not in BLOCKERS]
    assert missing == []


@pytest.mark.parametrize("entry_id", sorted(BLOCKERS))
def test_blocker_stops_the_false_reading(entry_id: str) -> None:
    assert entry_id in {e.id for e in load_lexicon().entries}
    blocked, code, control = BLOCKERS[entry_id]
    assert code not in extract(blocked).findings
    assert extract(control).findings.get(code) is True  # the code itself still works


#: Everyday English that contains a red-flag word but is not a symptom.
FALSE_FRIENDS = [
    "I use heating pads on my back",
    "I get water retention",
    "It started in the fall",
    "My back cracks when the room temperature drops",
    "I have a collapsed disc",
    "I had a hair transplant",
    "I buckle my seatbelt and my back clicks",
    "I can't sleep because of the baby",
    "it pops in any position",
    "a faint ache in my back",
    "we need to tackle this problem",
    "picking up the kids from school my back clicks",
    "high speed internet at work",
]


@pytest.mark.parametrize("text", FALSE_FRIENDS)
def test_false_friends_raise_no_red_flag(text: str) -> None:
    findings = extract(text).findings
    assert [c for c in red_flag_codes() if findings.get(c) is True] == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I have to wear pads now", "neuro.bladder_change"),
        ("I had a kidney transplant", "history.immunosuppressed"),
        ("I felt faint", "vascular.fainting"),
        ("I collapsed at work", "vascular.fainting"),
        ("I have a temperature", "systemic.fever"),
        ("my legs buckle", "neuro.leg_weakness"),
        ("I fell in the garden", "trauma.minor"),
    ],
)
def test_narrowed_phrases_still_fire(text: str, code: str) -> None:
    assert extract(text).findings.get(code) is True
