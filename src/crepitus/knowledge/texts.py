"""Lay texts shown with a disposition (``knowledge/data/texts.yaml``)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from crepitus.domain import Disposition
from crepitus.errors import KnowledgeBaseError
from crepitus.knowledge.files import check_keys, load_data_file


@dataclass(frozen=True)
class DispositionText:
    headline: str
    advice: str
    next_steps: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Notice:
    id: str
    text: str
    source: str
    #: The banner that replaces the disposition's headline while the notice applies.
    headline: str | None = None
    #: A first step put before the disposition's next steps while the notice applies.
    next_step: str | None = None


@dataclass(frozen=True)
class Texts:
    version: str
    dispositions: dict[Disposition, DispositionText]
    safety_net: tuple[str, ...]
    safety_net_source: str
    no_warning_signs: Notice
    flag_noted: Notice
    screen_incomplete: Notice


def _squash(text: object) -> str:
    return " ".join(str(text).split())


def _notice(raw: object, where: str) -> Notice:
    check_keys(
        raw,  # type: ignore[arg-type]
        where=where,
        required=("id", "text", "source"),
        optional=("headline", "next_step"),
    )
    assert isinstance(raw, dict)
    headline, step = raw.get("headline"), raw.get("next_step")
    return Notice(
        id=raw["id"],
        text=_squash(raw["text"]),
        source=raw["source"],
        headline=None if headline is None else _squash(headline),
        next_step=None if step is None else _squash(step),
    )


@functools.cache
def load_texts() -> Texts:
    """Load and validate the lay texts; every disposition must have one."""
    doc = load_data_file("texts.yaml")
    check_keys(
        doc,
        where="texts.yaml",
        required=(
            "schema",
            "version",
            "dispositions",
            "safety_net",
            "no_warning_signs",
            "flag_noted",
            "screen_incomplete",
        ),
    )
    texts: dict[Disposition, DispositionText] = {}
    for level in Disposition:
        raw = doc["dispositions"].get(level.code)
        where = f"texts.yaml dispositions.{level.code}"
        if raw is None:
            raise KnowledgeBaseError(f"{where} is missing")
        check_keys(raw, where=where, required=("headline", "advice", "next_steps", "source"))
        texts[level] = DispositionText(
            headline=_squash(raw["headline"]),
            advice=_squash(raw["advice"]),
            next_steps=tuple(_squash(s) for s in raw["next_steps"]),
            source=str(raw["source"]),
        )
    incomplete = _notice(doc["screen_incomplete"], "texts.yaml screen_incomplete")
    if incomplete.headline is None or incomplete.next_step is None:
        raise KnowledgeBaseError("texts.yaml screen_incomplete: needs a headline and a next_step")
    net = doc["safety_net"]
    check_keys(net, where="texts.yaml safety_net", required=("source", "items"))
    return Texts(
        version=str(doc["version"]),
        dispositions=texts,
        safety_net=tuple(_squash(s) for s in net["items"]),
        safety_net_source=str(net["source"]),
        no_warning_signs=_notice(doc["no_warning_signs"], "texts.yaml no_warning_signs"),
        flag_noted=_notice(doc["flag_noted"], "texts.yaml flag_noted"),
        screen_incomplete=incomplete,
    )
