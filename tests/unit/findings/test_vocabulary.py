"""The findings vocabulary honours the public contract (shared/contracts.md §1)."""

from __future__ import annotations

import pytest

from crepitus.findings import load_vocabulary

# The contract's codes, copied from contracts.md §1: renaming one is a breaking change.
CONTRACT_CODES = """
age sound.pop sound.snap sound.grind sound.every_step sound.relief sound.new sound.after_trauma
pain.with_sound pain.sharp pain.persistent pain.score pain.night pain.worsening pain.thoracic
pain.first_episode pain.weeks pain.sudden_severe pain.straining pain.eased_lying
neuro.leg_numbness_tingling neuro.leg_pain_below_knee neuro.leg_weakness neuro.weakness_progressing
neuro.both_legs neuro.saddle_numbness neuro.bladder_change neuro.bowel_change neuro.sexual_change
neuro.unsteady_walking neuro.hand_clumsiness local.swelling local.inflammation local.limited_motion
trauma.major trauma.minor history.cancer history.osteoporosis history.steroids
history.immunosuppressed history.iv_drug_use history.recent_infection systemic.fever
systemic.weight_loss systemic.unwell inflammatory.morning_stiffness
inflammatory.better_with_exercise inflammatory.wakes_late_night inflammatory.buttock_pain
inflammatory.related_conditions vascular.abdominal_pulsation vascular.fainting vascular.known_aaa
""".split()

INTEGER_CODES = {"age": (0, 120), "pain.score": (0, 10), "pain.weeks": (0, 5200)}


def test_every_contract_code_exists() -> None:
    vocab = load_vocabulary()
    missing = [c for c in CONTRACT_CODES if c not in vocab]
    assert missing == []


@pytest.mark.parametrize("code", CONTRACT_CODES)
def test_contract_types(code: str) -> None:
    d = load_vocabulary()[code]
    if code in INTEGER_CODES:
        assert d.type == "integer"
        assert (d.min, d.max) == INTEGER_CODES[code]
    else:
        assert d.type == "boolean"


def test_every_entry_has_lay_wording_and_source() -> None:
    for d in load_vocabulary().definitions.values():
        assert d.question.endswith("?"), d.code
        assert len(d.help) > 20, d.code
        assert d.source.strip(), d.code


def test_red_flag_screen_covers_the_frameworks() -> None:
    screen = set(load_vocabulary().screen_codes)
    for code in (
        "neuro.saddle_numbness",
        "neuro.bladder_change",
        "history.cancer",
        "systemic.fever",
        "trauma.major",
        "vascular.abdominal_pulsation",
        "neuro.hand_clumsiness",
        "neuro.weakness_progressing",
    ):
        assert code in screen
