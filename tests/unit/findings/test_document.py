"""Strict parsing of crepitus.findings/1 documents: clear errors that name the code."""

from __future__ import annotations

import pytest

from crepitus.errors import InvalidInputError
from crepitus.findings import Findings, parse_findings, parse_findings_json


def test_valid_document_round_trips() -> None:
    doc = {
        "schema": "crepitus.findings/1",
        "findings": {"age": 52, "sound.pop": True, "pain.with_sound": False},
    }
    f = parse_findings(doc)
    assert f.to_document() == {
        "schema": "crepitus.findings/1",
        "findings": {"age": 52, "sound.pop": True, "pain.with_sound": False},
    }


def test_absent_and_null_are_unknown_not_no() -> None:
    f = parse_findings({"findings": {"neuro.saddle_numbness": None}})
    assert "neuro.saddle_numbness" not in f
    assert not f.is_false("neuro.saddle_numbness")
    assert not f.is_true("neuro.saddle_numbness")


def test_unknown_code_is_named_with_a_suggestion() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"unknown finding code 'neuro.sadle_numbness'.*"
        r"did you mean 'neuro.saddle_numbness'",
    ):
        parse_findings({"findings": {"neuro.sadle_numbness": True}})


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("sound.pop", "yes", r"'sound.pop' must be true or false, got \"yes\""),
        ("sound.pop", 1, r"'sound.pop' must be true or false, got 1"),
        ("age", True, r"'age' must be a whole number from 0 to 120, got true"),
        ("age", 12.5, r"'age' must be a whole number, got 12.5"),
        ("age", 130, r"'age' is out of range"),
        ("pain.score", -1, r"'pain.score' is out of range"),
        ("pain.score", 11, r"'pain.score' is out of range"),
        ("sex", "m", r"'sex' must be one of female, male, other"),
    ],
)
def test_wrong_type_or_range_names_the_code(code: str, value: object, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse_findings({"findings": {code: value}})


def test_integral_float_is_accepted() -> None:
    assert parse_findings({"findings": {"age": 40.0}})["age"] == 40


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("   \n", "is empty"),
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"schema": "crepitus.findings/9", "findings": {}}', "unsupported findings schema"),
        ('{"schema": "crepitus.findings/1"}', 'needs a "findings" object'),
        ('{"findings": [1]}', '"findings" must be an object'),
    ],
)
def test_bad_json_documents(text: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message) as info:
        parse_findings_json(text, origin="f.json")
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("f.json")


def test_extra_envelope_keys_are_ignored() -> None:
    f = parse_findings({"id": "case-7", "findings": {"sound.pop": True}})
    assert dict(f) == {"sound.pop": True}


def test_merged_and_with_values() -> None:
    f = Findings.of({"sound.pop": True})
    g = f.with_values(neuro__saddle_numbness=False, sound__pop=None)
    assert dict(g) == {"neuro.saddle_numbness": False}
    assert dict(f) == {"sound.pop": True}


def test_empty_object_is_an_empty_findings_document() -> None:
    assert dict(parse_findings_json("{}", origin="f.json")) == {}


def test_duplicate_keys_are_refused() -> None:
    text = '{"findings": {"neuro.saddle_numbness": true, "neuro.saddle_numbness": false}}'
    with pytest.raises(InvalidInputError, match="appears twice"):
        parse_findings_json(text, origin="f.json")


def test_codes_outside_the_envelope_get_a_hint() -> None:
    with pytest.raises(InvalidInputError, match='put the codes inside "findings"'):
        parse_findings_json('{"neuro.saddle_numbness": true}', origin="f.json")


def test_absurd_nesting_is_a_clean_error() -> None:
    with pytest.raises(InvalidInputError, match="nested too deeply"):
        parse_findings_json("[" * 100_000, origin="f.json")
