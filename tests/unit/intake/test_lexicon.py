"""The intake knowledge files load, and the loader refuses malformed knowledge."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from crepitus.errors import KnowledgeBaseError
from crepitus.findings import load_vocabulary
from crepitus.intake.lexicon import build_lexicon, load_lexicon
from crepitus.knowledge.files import load_data_file


@pytest.fixture
def docs() -> tuple[dict[str, Any], dict[str, Any]]:
    return (
        copy.deepcopy(dict(load_data_file("intake_lexicon.yaml"))),
        copy.deepcopy(dict(load_data_file("intake_context.yaml"))),
    )


def test_packaged_lexicon_loads_and_every_code_is_in_the_vocabulary() -> None:
    lex = load_lexicon()
    vocab = load_vocabulary()
    assert len(lex.entries) >= 50
    assert all(e.code in vocab for e in lex.entries)
    assert all(e.source and e.rationale for e in lex.entries)
    assert {t.category for t in lex.triggers} >= {"negated", "uncertain", "historical", "other"}


def test_every_boolean_red_flag_code_has_a_lexicon_entry() -> None:
    from crepitus.intake import red_flag_codes

    lex = load_lexicon()
    covered = {e.code for e in lex.entries if e.value is True}
    derived = {"neuro.weakness_progressing"}  # reached through pain.worsening's retarget
    assert set(red_flag_codes()) - covered - derived == set()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda lx, cx: lx["entries"][0].update(soruce="typo"), "unknown key"),
        (lambda lx, cx: lx["entries"][0].pop("source"), "missing required"),
        (
            lambda lx, cx: lx["entries"][0].update(code="sound.bang"),
            "not in the findings vocabulary",
        ),
        (lambda lx, cx: lx["entries"][0].update(code="age"), "not boolean"),
        (lambda lx, cx: lx["entries"][0].update(phrases=["@NOPE"]), "unknown class"),
        (lambda lx, cx: lx["entries"][0].update(phrases=["pain|"]), "empty alternative"),
        (lambda lx, cx: lx["entries"][0].update(phrases=["~2 pain"]), "gap"),
        (lambda lx, cx: lx["entries"][0].update(keep=["negated"]), "keep may only"),
        (lambda lx, cx: lx["entries"][0].update(value="yes"), "true, false or null"),
        (lambda lx, cx: lx["entries"].append(dict(lx["entries"][0])), "duplicate entry id"),
        (lambda lx, cx: cx["triggers"][0].update(category="sarcasm"), "category"),
        (lambda lx, cx: cx["triggers"][0].pop("rationale"), "missing required"),
        (lambda lx, cx: cx["triggers"][0].update(scope=3), "unknown key"),
        (lambda lx, cx: lx.update(schema="other/1"), "unsupported schema"),
    ],
)
def test_loader_rejects_malformed_knowledge(
    docs: tuple[dict[str, Any], dict[str, Any]], mutate: Any, message: str
) -> None:
    lx, cx = docs
    mutate(lx, cx)
    with pytest.raises(KnowledgeBaseError, match=message):
        build_lexicon(lx, cx)


def test_typo_corrector_fixes_long_domain_words_but_not_real_words() -> None:
    c = load_lexicon().corrector
    assert c.get("tingeling") == "tingling"
    assert c.get("crakcs") == "cracks"
    assert c.get("sciatca") == "sciatica"
    for real in ("single", "clock", "fewer", "bowls", "pooping", "smelling", "tickle"):
        assert c.get(real) is None, real
    for short in ("paun", "bck", "ner"):
        assert c.get(short) is None
