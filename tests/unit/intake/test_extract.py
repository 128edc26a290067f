"""Behaviour of free-text extraction: negation, hedging, history, other people, sites, numbers."""

from __future__ import annotations

import pytest

from crepitus.errors import InvalidInputError
from crepitus.intake import IntakeExtractor, confirmation_lines, extract, prefill


def f(text: str) -> dict[str, object]:
    return dict(extract(text).findings)


def test_issue_example_bubble_wrap_and_zing() -> None:
    got = f(
        "my lower back cracks like bubble wrap every time I walk, sometimes a zing goes down "
        "my left leg, no accident or anything"
    )
    assert got["sound.pop"] is True
    assert got["neuro.leg_numbness_tingling"] is True
    assert got["trauma.major"] is False and got["trauma.minor"] is False
    assert "sound.every_step" not in got  # every walk is not every step
    assert "neuro.both_legs" not in got  # one named side is not a denial


def test_issue_example_clunking_and_wiping_is_a_red_flag() -> None:
    got = f("clunking in my spine, can't feel when I wipe")
    assert got == {"sound.snap": True, "neuro.saddle_numbness": True}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("no numbness", "neuro.leg_numbness_tingling"),
        ("I don't have any numbness in my legs", "neuro.leg_numbness_tingling"),
        ("never had cancer", "history.cancer"),
        ("no problems peeing", "neuro.bladder_change"),
        ("My pee is fine", "neuro.bladder_change"),
        ("I deny any bowel problems", "neuro.bowel_change"),
        ("without any fever", "systemic.fever"),
        ("It doesn't hurt at all", "pain.with_sound"),
        ("no numbness around my bottom", "neuro.saddle_numbness"),
    ],
)
def test_explicit_denial_is_false(text: str, code: str) -> None:
    assert f(text).get(code) is False


@pytest.mark.parametrize(
    "text", ["I can't feel when I pee", "i cannot feel when i wee", "can't feel it when I urinate"]
)
def test_not_feeling_urination_is_a_bladder_change(text: str) -> None:
    # Review 2, P1-4: "…when I'm peeing" was caught, "…when I pee" was not.
    assert f(text).get("neuro.bladder_change") is True


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("maybe a bit of tingling in my leg?", "neuro.leg_numbness_tingling"),
        ("I think my leg might be weak", "neuro.leg_weakness"),
        ("not sure if I had a fever", "systemic.fever"),
        ("if I ever got numbness down there I'd go to A&E", "neuro.saddle_numbness"),
        ("my dad has sciatica", "neuro.leg_pain_below_knee"),
        ("My sister has numbness in her saddle area", "neuro.saddle_numbness"),
        ("had sciatica years ago, none now", "neuro.leg_pain_below_knee"),
        ("Used to have bad sciatica in my twenties", "neuro.leg_pain_below_knee"),
        ("my mum had breast cancer", "history.cancer"),
    ],
)
def test_hedged_hypothetical_other_and_past_are_left_unknown(text: str, code: str) -> None:
    result = extract(text)
    assert code not in result.findings
    assert any(s.code == code for s in result.ignored), "the mention is kept as set aside"


def test_history_codes_keep_the_past_but_symptoms_do_not() -> None:
    assert f("had cancer 10 years ago")["history.cancer"] is True
    got = f("had chemo for lymphoma years ago")
    assert got["history.cancer"] is True
    assert "history.immunosuppressed" not in got  # past chemotherapy is not current


def test_relative_with_spondyloarthritis_counts_for_the_writer() -> None:
    assert f("My brother has ankylosing spondylitis")["inflammatory.related_conditions"] is True
    assert "inflammatory.related_conditions" not in f("My sister has Crohn's")


def test_other_experiencer_scope_ends_at_first_person() -> None:
    got = f("My wife says I've been walking unsteady")
    assert got["neuro.unsteady_walking"] is True
    got = f("My husband's back pops all the time, mine only grinds")
    assert got == {"sound.grind": True}


def test_body_site_arm_and_hand_are_not_leg_numbness() -> None:
    assert "neuro.leg_numbness_tingling" not in f("numb arm and tingling fingers")
    assert "neuro.leg_numbness_tingling" not in f("pins and needles in my hands")
    assert f("pins and needles in my right foot")["neuro.leg_numbness_tingling"] is True
    assert f("clumsy hands, dropping cups")["neuro.hand_clumsiness"] is True


def test_saddle_wording_overrides_leg_reading() -> None:
    got = f("numbness between my legs")
    assert got.get("neuro.saddle_numbness") is True
    assert "neuro.leg_numbness_tingling" not in got and "neuro.both_legs" not in got


def test_laterality() -> None:
    assert f("both legs feel numb")["neuro.both_legs"] is True
    assert f("my legs feel weak")["neuro.both_legs"] is True
    assert f("sciatic pain, left side only")["neuro.both_legs"] is False
    assert "neuro.both_legs" not in f("my left leg tingles")


def test_typos_and_text_speak() -> None:
    got = f("numbess in my left leg and tingeling in my toes")
    assert got["neuro.leg_numbness_tingling"] is True
    got = f("bck crakcs evry step")
    assert got["sound.pop"] is True and got["sound.every_step"] is True
    assert "neuro.leg_numbness_tingling" not in f("I stand on a single leg")


def test_numbers_age_score_duration() -> None:
    got = f("I'm 52, pain is 7/10 and it has hurt for 2 months")
    assert got["age"] == 52 and got["pain.score"] == 7 and got["pain.weeks"] == 9
    assert f("45yo male")["age"] == 45
    assert f("34F, office worker")["age"] == 34
    assert "age" not in f("my 8 year old son has a clicky back")


def test_age_range_is_left_out_with_a_note() -> None:
    r = extract("I'm in my 60s and my back grinds")
    assert "age" not in r.findings
    assert any("60s" in n for n in r.notes)


def test_noise_duration_sets_sound_new_not_pain_weeks() -> None:
    assert f("popping started 2 weeks ago") == {"sound.pop": True, "sound.new": True}
    got = f("my back has been cracking for years")
    assert got["sound.new"] is False and "pain.weeks" not in got


def test_worsening_is_assigned_to_the_topic_before_it() -> None:
    assert (
        f("my leg keeps giving way and it is getting worse")["neuro.weakness_progressing"] is True
    )
    got = f("the pain is getting worse every week")
    assert got["pain.worsening"] is True and "neuro.weakness_progressing" not in got


def test_injury_then_noise_links_sound_after_trauma() -> None:
    got = f("Car crash 3 days ago. Back makes a grating noise.")
    assert got["trauma.major"] is True and got["sound.after_trauma"] is True
    assert "sound.after_trauma" not in f("my back clicks. no injury.")


def test_present_beats_denied_for_the_same_code() -> None:
    got = f("no numbness in my left leg, but my right leg is numb")
    assert got["neuro.leg_numbness_tingling"] is True
    r = extract("no numbness in my left leg, but my right leg is numb")
    assert any(s.reason == "overridden" for s in r.ignored)


def test_spans_point_at_the_words_with_rule_ids() -> None:
    text = "My back pops. No fever. I'm 52."
    r = extract(text)
    for span in r.spans:
        assert text[span.start : span.end] == span.text
        assert span.rule
    (fever,) = r.spans_for("systemic.fever")
    assert fever.text == "No fever" and fever.value is False and "neg.forward" in fever.modifiers
    assert r.spans_for("age")[0].rule.startswith("num.age")


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("", "nothing was written"),
        ("   \n ", "nothing was written"),
        ("🙃🙃🙃", "no words"),
        ("Me duele la espalda cuando camino y hace ruido.", "not look like English"),
        ("Я не могу ходить, спина хрустит", "not look like English"),
        ("asdfghjkl", "nothing was recognised"),
    ],
)
def test_not_understood_inputs_say_so(text: str, note: str) -> None:
    r = extract(text)
    assert not r.understood and len(r.findings) == 0
    assert any(note in n for n in r.notes)


def test_huge_input_is_cut_with_a_note_and_does_not_crash() -> None:
    r = IntakeExtractor(max_chars=5_000).extract("my back pops. " * 10_000).result_
    assert len(r.text) == 5_000 and r.findings.is_true("sound.pop")
    assert any("first 5,000 characters" in n for n in r.notes)


def test_non_string_input_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="must be a string"):
        extract(b"bytes")  # type: ignore[arg-type]


def test_prefill_and_confirmation_lines() -> None:
    r = prefill("my back cracks every step, no numbness")
    lines = confirmation_lines(r)
    assert len(lines) == len(r.findings)
    assert any('"no numbness"' in line and line.endswith(" no") for line in lines)
    assert all(line.startswith("you wrote: ") for line in lines)


def test_document_is_a_valid_findings_document() -> None:
    from crepitus.findings import parse_findings

    doc = extract("my back cracks, no fever").to_document()
    assert doc["schema"] == "crepitus.findings/1"
    assert dict(parse_findings(doc)) == {"sound.pop": True, "systemic.fever": False}
    assert doc["intake"]["understood"] is True and doc["intake"]["spans"]


@pytest.mark.parametrize(
    "text",
    [
        "i havent been able to pee all day",
        "I can't pee",
        "I'm unable to pass urine",
        "I haven't weed since this morning",
    ],
)
def test_a_negated_body_function_is_a_symptom_not_a_denial(text: str) -> None:
    # Safety: "not able to pee" is retention (a red flag), never "no bladder change".
    assert extract(text).findings.get("neuro.bladder_change") is True


@pytest.mark.parametrize("text", ["I'm not peeing properly", "I don't poo normally any more"])
def test_forward_negation_never_denies_a_body_function(text: str) -> None:
    findings = extract(text).findings
    assert findings.get("neuro.bladder_change") is not False
    assert findings.get("neuro.bowel_change") is not False


def test_other_language_with_an_english_loan_word_is_not_read() -> None:
    r = extract("Mi espalda hace crack cuando camino")
    assert not r.understood and len(r.findings) == 0


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I don't take steroids", "history.steroids"),
        ("I don't have cancer", "history.cancer"),
        ("I don't get numbness in my legs", "neuro.leg_numbness_tingling"),
        ("I do not have a fever", "systemic.fever"),
        ("I don't inject drugs", "history.iv_drug_use"),
        ("I don't have osteoporosis", "history.osteoporosis"),
    ],
)
def test_first_person_denials_are_false(text: str, code: str) -> None:
    # Regression: a backward "I don't" trigger once outranked the forward "don't".
    assert extract(text).findings.get(code) is False


def test_a_relatives_sentence_ends_at_my() -> None:
    got = f("My partner noticed my back cracks when I walk")
    assert got.get("sound.pop") is True
