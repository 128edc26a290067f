"""Properties of free-text intake that must hold for any input."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from crepitus.intake import extract, red_flag_codes

#: Lay phrases that assert a red flag, with the code they assert.
RED_FLAG_PHRASES = (
    ("numbness in my leg", "neuro.leg_numbness_tingling"),
    ("numbness when I wipe", "neuro.saddle_numbness"),
    ("trouble peeing", "neuro.bladder_change"),
    ("bowel problems", "neuro.bowel_change"),
    ("weakness in my legs", "neuro.leg_weakness"),
    ("fever", "systemic.fever"),
    ("cancer", "history.cancer"),
    ("sciatica", "neuro.leg_pain_below_knee"),
    ("pain at night", "pain.night"),
    ("weight loss", "systemic.weight_loss"),
)
NEGATIONS = ("No {}.", "I don't have {}.", "I have never had {}.", "There is no {}.", "Without {}.")
UNRELATED = (
    "I like gardening.",
    "The weather is lovely today.",
    "I work in an office and cycle to work.",
    "My cat is called Biscuit.",
    "Thanks for reading!",
)
DESCRIPTIONS = (
    "my lower back cracks every step and my left leg tingles",
    "can't feel when I wipe and I wet myself",
    "I'm 52, pain 7/10, had cancer 10 years ago",
    "both legs numb, fever and chills",
    "my back clunks, it hurts when it clunks, getting worse",
)
words = st.sampled_from(
    [
        "no",
        "not",
        "my",
        "back",
        "pops",
        "numb",
        "leg",
        "dad",
        "maybe",
        "pain",
        "never",
        ",",
        ".",
        "wipe",
        "fever",
        "cancer",
        "years",
        "ago",
        "both",
        "legs",
        "tingling",
        "but",
        "I",
        "have",
    ]
)
lay_text = st.lists(words, max_size=25).map(" ".join)


@given(st.text(max_size=400))
def test_never_crashes_and_spans_point_into_the_text(text: str) -> None:
    r = extract(text)
    assert isinstance(r.understood, bool)
    for span in r.spans:
        assert 0 <= span.start <= span.end <= len(r.text)
        assert r.text[span.start : span.end] == span.text
        assert r.findings.get(span.code) == span.value
    assert set(r.findings) <= {s.code for s in r.spans}


@given(lay_text)
def test_shuffled_lay_words_never_crash_and_stay_valid(text: str) -> None:
    r = extract(text)
    assert r.findings.to_document()["schema"] == "crepitus.findings/1"


@given(st.sampled_from(RED_FLAG_PHRASES), st.sampled_from(NEGATIONS), lay_text)
def test_negating_a_red_flag_never_turns_it_on(
    phrase_code: tuple[str, str], template: str, prefix: str
) -> None:
    phrase, code = phrase_code
    assert code in red_flag_codes()
    before = extract(prefix).findings.get(code)
    after = extract(f"{prefix}. {template.format(phrase)}").findings.get(code)
    if before is not True:
        assert after is not True, (prefix, template.format(phrase))


@given(st.sampled_from(DESCRIPTIONS), st.sampled_from(UNRELATED))
def test_an_unrelated_sentence_removes_no_finding(description: str, extra: str) -> None:
    before = extract(description).findings
    for text in (f"{description}. {extra}", f"{extra} {description}"):
        after = extract(text).findings
        for code, value in before.items():
            assert after.get(code) == value, (text, code)


@given(st.sampled_from(DESCRIPTIONS), lay_text)
def test_present_findings_survive_any_appended_sentence(description: str, suffix: str) -> None:
    before = extract(description).findings
    after = extract(f"{description}. {suffix}").findings
    for code, value in before.items():
        if value is True:
            assert after.get(code) is True, (suffix, code)
