"""The findings vocabulary: which codes exist, their type, range and lay wording.

Loaded from ``knowledge/data/findings.yaml``.  Every code of the public contract
(``crepitus.findings/1``) is an entry there; a test checks the contract list.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from crepitus.errors import KnowledgeBaseError
from crepitus.knowledge.files import check_keys, load_data_file

FindingType = Literal["boolean", "integer", "choice"]
Value = bool | int | str

_TYPES: tuple[FindingType, ...] = ("boolean", "integer", "choice")


@dataclass(frozen=True, slots=True)
class FindingDef:
    """One code of the vocabulary."""

    code: str
    type: FindingType
    question: str
    help: str
    group: str
    screen: bool
    source: str
    min: int | None = None
    max: int | None = None
    choices: tuple[str, ...] = ()

    def describe_range(self) -> str:
        """Human wording of the allowed values, for error messages."""
        if self.type == "boolean":
            return "true or false"
        if self.type == "integer":
            return f"a whole number from {self.min} to {self.max}"
        return "one of " + ", ".join(self.choices)


@dataclass(frozen=True, slots=True, eq=False)
class Vocabulary:
    """All finding definitions, in questionnaire order."""

    version: str
    definitions: Mapping[str, FindingDef]
    #: Position of each code: outputs list codes in this stable order.
    rank: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rank", {c: i for i, c in enumerate(self.definitions)})

    def __contains__(self, code: object) -> bool:
        return code in self.definitions

    def __getitem__(self, code: str) -> FindingDef:
        return self.definitions[code]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.definitions)

    @property
    def screen_codes(self) -> tuple[str, ...]:
        """Codes of the red-flag screen, which the questionnaire never skips."""
        return tuple(c for c, d in self.definitions.items() if d.screen)

    @property
    def screen_questions(self) -> tuple[str, ...]:
        """The yes/no codes of the screen: the warning-sign questions a person answers."""
        return tuple(c for c, d in self.definitions.items() if d.screen and d.type == "boolean")

    def screen_yes(self, values: Mapping[str, object]) -> list[str]:
        """The warning-sign questions answered yes in ``values``."""
        return [c for c, v in values.items() if v is True and c in self and self[c].screen]


def _parse_entry(raw: Mapping[str, object], index: int) -> FindingDef:
    where = f"findings.yaml entry {index} ({raw.get('code', '?')})"
    check_keys(
        raw,
        where=where,
        required=("code", "type", "question", "help", "group", "screen", "source"),
        optional=("min", "max", "choices"),
    )
    ftype = raw["type"]
    if ftype not in _TYPES:
        raise KnowledgeBaseError(f"{where}: type must be one of {_TYPES}, got {ftype!r}")
    lo, hi = raw.get("min"), raw.get("max")
    choices = raw.get("choices") or []
    if ftype == "integer" and not (isinstance(lo, int) and isinstance(hi, int) and lo <= hi):
        raise KnowledgeBaseError(f"{where}: an integer finding needs integer min <= max")
    if ftype == "choice" and not (isinstance(choices, list) and choices):
        raise KnowledgeBaseError(f"{where}: a choice finding needs a non-empty choices list")
    return FindingDef(
        code=str(raw["code"]),
        type=ftype,  # checked against _TYPES above
        question=str(raw["question"]),
        help=str(raw["help"]),
        group=str(raw["group"]),
        screen=bool(raw["screen"]),
        source=str(raw["source"]),
        min=lo if isinstance(lo, int) else None,
        max=hi if isinstance(hi, int) else None,
        choices=tuple(str(c) for c in choices) if isinstance(choices, list) else (),
    )


@functools.cache
def load_vocabulary() -> Vocabulary:
    """Load and validate the packaged vocabulary (cached for the process)."""
    doc = load_data_file("findings.yaml")
    check_keys(doc, where="findings.yaml", required=("schema", "version", "findings"))
    if doc["schema"] != "crepitus.vocabulary/1":
        raise KnowledgeBaseError(f"findings.yaml: unsupported schema {doc['schema']!r}")
    defs: dict[str, FindingDef] = {}
    for i, raw in enumerate(doc["findings"]):
        d = _parse_entry(raw, i)
        if d.code in defs:
            raise KnowledgeBaseError(f"findings.yaml: duplicate code {d.code!r}")
        defs[d.code] = d
    return Vocabulary(version=str(doc["version"]), definitions=defs)
