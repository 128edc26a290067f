"""Knowledge files are validated strictly: a broken rule book must never load."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from crepitus.errors import KnowledgeBaseError
from crepitus.knowledge.files import load_data_file
from crepitus.mechanism.model import parse_model
from crepitus.questionnaire import load_steps
from crepitus.triage.rulebook import parse_rulebook


def _rules() -> dict[str, Any]:
    return copy.deepcopy(dict(load_data_file("rules.yaml")))


def test_packaged_rulebook_loads() -> None:
    book = parse_rulebook(_rules())
    assert len(book.rules) >= 40
    assert len({r.id for r in book.rules}) == len(book.rules)


@pytest.mark.parametrize("key", ["source", "id", "when", "disposition", "explanation"])
def test_rule_without_required_key_is_rejected(key: str) -> None:
    doc = _rules()
    del doc["rules"][0][key]
    with pytest.raises(KnowledgeBaseError, match="missing required key"):
        parse_rulebook(doc)


def test_rule_with_empty_source_is_rejected() -> None:
    doc = _rules()
    doc["rules"][3]["source"] = ""
    with pytest.raises(KnowledgeBaseError, match="source"):
        parse_rulebook(doc)


def test_unknown_key_is_rejected() -> None:
    doc = _rules()
    doc["rules"][0]["soruce"] = "typo"
    with pytest.raises(KnowledgeBaseError, match="unknown key"):
        parse_rulebook(doc)


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("neuro.no_such_code", "unknown finding code"),
        ({"ref": "nowhere"}, "undefined condition ref"),
        ({"code": "age", "between": 3}, "unknown comparison"),
        ({"at_least": 5, "of": ["sound.pop"]}, "impossible"),
        ({"xor": ["sound.pop"]}, "unknown condition form"),
    ],
)
def test_bad_conditions_are_rejected(when: object, message: str) -> None:
    doc = _rules()
    doc["rules"][0]["when"] = when
    with pytest.raises(KnowledgeBaseError, match=message):
        parse_rulebook(doc)


def test_duplicate_rule_id_is_rejected() -> None:
    doc = _rules()
    doc["rules"].append(copy.deepcopy(doc["rules"][0]))
    with pytest.raises(KnowledgeBaseError, match="duplicate rule id"):
        parse_rulebook(doc)


def test_every_rule_cites_a_source_and_explains_itself() -> None:
    for rule in parse_rulebook(_rules()).rules:
        assert rule.source.strip() and rule.explanation.strip() and rule.rationale.strip()


def test_mechanism_model_rejects_a_prior_that_guesses() -> None:
    doc = copy.deepcopy(dict(load_data_file("mechanism.yaml")))
    doc["prior"]["probabilities"] = {
        "cavitation": 0.5,
        "soft_tissue_snap": 0.2,
        "arthritic_crepitus": 0.1,
        "undetermined": 0.2,
    }
    with pytest.raises(KnowledgeBaseError, match="'undetermined' must lead"):
        parse_model(doc)


def test_mechanism_model_rejects_missing_source() -> None:
    doc = copy.deepcopy(dict(load_data_file("mechanism.yaml")))
    del doc["evidence"][0]["source"]
    with pytest.raises(KnowledgeBaseError, match="missing required key"):
        parse_model(doc)


def test_questionnaire_reaches_every_screen_question() -> None:
    from crepitus.findings import load_vocabulary

    asked = {c for s in load_steps() for c in s.codes}
    assert set(load_vocabulary().screen_codes) <= asked


def test_yaml_duplicate_keys_are_refused() -> None:
    import yaml

    from crepitus.knowledge.files import _StrictLoader

    with pytest.raises(yaml.constructor.ConstructorError, match="duplicate key 'when'"):
        yaml.load("when: a\nwhen: b\n", Loader=_StrictLoader)
