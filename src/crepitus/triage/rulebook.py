"""The rule book: triage rules loaded strictly from ``knowledge/data/rules.yaml``."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crepitus.domain import Disposition
from crepitus.errors import KnowledgeBaseError
from crepitus.findings.vocabulary import load_vocabulary
from crepitus.knowledge.files import check_keys, load_data_file
from crepitus.triage.conditions import Node, parse_condition
from crepitus.triage.facts import DERIVED_CODES

_RULE_KEYS = (
    "id",
    "title",
    "framework",
    "when",
    "disposition",
    "red_flag",
    "explanation",
    "rationale",
    "source",
)


@dataclass(frozen=True, eq=False)
class Rule:
    """One triage rule: it fires when ``when`` is true and ``unless`` is not true."""

    id: str
    title: str
    framework: str
    when: Node
    unless: Node | None
    disposition: Disposition
    red_flag: bool
    explanation: str
    rationale: str
    source: str
    #: Every finding code ``when`` mentions (derived facts excluded): the open-question fast path.
    when_codes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Concern:
    """IFOMPT's level of concern: several lower-level red flags raise the level one step."""

    id: str
    from_level: Disposition
    to_level: Disposition
    min_rules: int
    frameworks: frozenset[str]
    explanation: str
    rationale: str
    source: str


@dataclass(frozen=True, eq=False)
class RuleBook:
    version: str
    rules: tuple[Rule, ...]
    concern: Concern
    defines: Mapping[str, Node]


def _disposition(value: Any, where: str) -> Disposition:
    try:
        return Disposition.parse(str(value))
    except ValueError as exc:
        raise KnowledgeBaseError(f"{where}: {exc}") from None


def parse_rulebook(doc: Mapping[str, Any]) -> RuleBook:
    """Validate a decoded rules document (strict: unknown keys and missing sources fail)."""
    check_keys(
        doc,
        where="rules.yaml",
        required=("schema", "version", "rules", "concern"),
        optional=("define",),
    )
    if doc["schema"] != "crepitus.rules/1":
        raise KnowledgeBaseError(f"rules.yaml: unsupported schema {doc['schema']!r}")
    known = set(load_vocabulary().codes) | set(DERIVED_CODES)
    defines: dict[str, Node] = {}
    for name, raw in (doc.get("define") or {}).items():
        defines[name] = parse_condition(
            raw, where=f"define {name}", known_codes=known, defines=defines
        )
    vocab_codes = set(load_vocabulary().codes)
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, raw in enumerate(doc["rules"]):
        where = f"rules.yaml rule {i} ({raw.get('id', '?') if isinstance(raw, Mapping) else '?'})"
        check_keys(raw, where=where, required=_RULE_KEYS, optional=("unless",))
        if raw["id"] in seen:
            raise KnowledgeBaseError(f"{where}: duplicate rule id")
        seen.add(raw["id"])
        if not isinstance(raw["red_flag"], bool):
            raise KnowledgeBaseError(f"{where}: red_flag must be true or false")
        when = parse_condition(raw["when"], where=where, known_codes=known, defines=defines)
        rules.append(
            Rule(
                id=str(raw["id"]),
                title=str(raw["title"]),
                framework=str(raw["framework"]),
                when=when,
                unless=(
                    parse_condition(raw["unless"], where=where, known_codes=known, defines=defines)
                    if "unless" in raw
                    else None
                ),
                disposition=_disposition(raw["disposition"], where),
                red_flag=raw["red_flag"],
                explanation=" ".join(str(raw["explanation"]).split()),
                rationale=" ".join(str(raw["rationale"]).split()),
                source=str(raw["source"]),
                when_codes=frozenset(when.codes() & vocab_codes),
            )
        )
    c = doc["concern"]
    check_keys(
        c,
        where="rules.yaml concern",
        required=(
            "id",
            "from",
            "to",
            "min_rules",
            "frameworks",
            "explanation",
            "rationale",
            "source",
        ),
    )
    concern = Concern(
        id=str(c["id"]),
        from_level=_disposition(c["from"], "concern"),
        to_level=_disposition(c["to"], "concern"),
        min_rules=int(c["min_rules"]),
        frameworks=frozenset(c["frameworks"]),
        explanation=" ".join(str(c["explanation"]).split()),
        rationale=" ".join(str(c["rationale"]).split()),
        source=str(c["source"]),
    )
    return RuleBook(
        version=str(doc["version"]), rules=tuple(rules), concern=concern, defines=defines
    )


@functools.cache
def load_rulebook() -> RuleBook:
    """The packaged rule book (parsed and validated once per process)."""
    return parse_rulebook(load_data_file("rules.yaml"))
