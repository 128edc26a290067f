"""Findings: what a person reports, and strict parsing of ``crepitus.findings/1`` documents.

A code that is absent is *unknown* — never "no".  That distinction is the core
safety property of the whole engine: an unanswered red-flag question may never
reassure, so the three states (true / false / unknown) are kept everywhere.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from crepitus.errors import InvalidInputError
from crepitus.findings.vocabulary import FindingDef, Value, Vocabulary, load_vocabulary

SCHEMA = "crepitus.findings/1"


@dataclass(frozen=True, slots=True)
class Findings(Mapping[str, Value]):
    """An immutable, validated mapping of finding code to value.

    Build one with :func:`parse_findings` (from untrusted data) or
    :meth:`Findings.of` (from trusted code); both validate every code and value.
    """

    _values: Mapping[str, Value] = field(default_factory=dict)

    @classmethod
    def of(cls, values: Mapping[str, Any] | None = None, **kw: Any) -> Findings:
        """Validated findings from a mapping (and/or keywords using ``_`` for ``.``)."""
        merged = dict(values or {})
        merged.update({k.replace("__", "."): v for k, v in kw.items()})
        return parse_findings({"findings": merged})

    def __getitem__(self, code: str) -> Value:
        return self._values[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    # The Mapping mixins would go through __iter__/__getitem__ item by item; the engine
    # reads findings on every assessment, so delegate straight to the underlying dict.
    def __contains__(self, code: object) -> bool:
        return code in self._values

    def get(self, code: str, default: Any = None) -> Any:
        return self._values.get(code, default)

    def items(self) -> ItemsView[str, Value]:
        return self._values.items()

    def keys(self) -> KeysView[str]:
        return self._values.keys()

    def values(self) -> ValuesView[Value]:
        return self._values.values()

    def is_true(self, code: str) -> bool:
        """True only if the code is known and true (unknown is not true)."""
        return self._values.get(code) is True

    def is_false(self, code: str) -> bool:
        """True only if the code is known and false (unknown is not false)."""
        return self._values.get(code) is False

    def with_values(self, **updates: Value | None) -> Findings:
        """A copy with codes set (``None`` removes a code, making it unknown).

        Keys use ``__`` for ``.`` (``neuro__both_legs=True``); use
        :meth:`merged` for arbitrary codes.
        """
        return self.merged({k.replace("__", "."): v for k, v in updates.items()})

    def merged(self, updates: Mapping[str, Value | None]) -> Findings:
        """A validated copy with ``updates`` applied (``None`` makes a code unknown)."""
        values: dict[str, Any] = dict(self._values)
        for code, value in updates.items():
            if value is None:
                values.pop(code, None)
            else:
                values[code] = value
        return parse_findings({"findings": values})

    def to_document(self) -> dict[str, Any]:
        """The ``crepitus.findings/1`` JSON document for these findings."""
        return {"schema": SCHEMA, "findings": dict(self._values)}


def _check_value(defn: FindingDef, value: Any) -> Value:
    code = defn.code
    if defn.type == "boolean":
        if isinstance(value, bool):
            return value
        raise InvalidInputError(f"finding {code!r} must be true or false, got {json.dumps(value)}")
    if defn.type == "integer":
        # bool is an int subclass in Python; `true` for an age is a mistake.
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInputError(
                f"finding {code!r} must be {defn.describe_range()}, got {json.dumps(value)}"
            )
        if isinstance(value, float) and not value.is_integer():
            raise InvalidInputError(
                f"finding {code!r} must be a whole number, got {json.dumps(value)}"
            )
        ivalue = int(value)
        assert defn.min is not None and defn.max is not None  # guaranteed by the loader
        if not defn.min <= ivalue <= defn.max:
            raise InvalidInputError(
                f"finding {code!r} is out of range: must be {defn.describe_range()}, got {ivalue}"
            )
        return ivalue
    if isinstance(value, str) and value in defn.choices:
        return value
    unsure = " (leave it out or use null if you are not sure)" if isinstance(value, str) else ""
    raise InvalidInputError(
        f"finding {code!r} must be {defn.describe_range()}, got {json.dumps(value)}{unsure}"
    )


def _unknown_code_message(code: str, vocab: Vocabulary) -> str:
    close = difflib.get_close_matches(code, vocab.codes, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else "; `crepitus rules --findings` lists them"
    return f"unknown finding code {code!r}{hint}"


def parse_findings(doc: Any, *, vocabulary: Vocabulary | None = None) -> Findings:
    """Validate a decoded ``crepitus.findings/1`` document.

    Parameters
    ----------
    doc
        The decoded JSON: ``{"schema": "crepitus.findings/1", "findings": {...}}``.
        The ``schema`` key may be omitted; if present it must match.  Other
        top-level keys (case ids, notes) are ignored.  A ``null`` value means
        unknown, the same as leaving the code out.

    Raises
    ------
    InvalidInputError
        Naming the offending code: unknown code, wrong type, out of range.
    """
    vocab = vocabulary or load_vocabulary()
    if not isinstance(doc, Mapping):
        raise InvalidInputError(
            "a findings document must be a JSON object like "
            '{"schema": "crepitus.findings/1", "findings": {...}}'
        )
    schema = doc.get("schema", SCHEMA)
    if schema != SCHEMA:
        raise InvalidInputError(f"unsupported findings schema {schema!r}; expected {SCHEMA!r}")
    raw = doc.get("findings")
    if raw is None:
        if not doc:
            raw = {}  # ``{}``: nothing reported — a valid, empty findings document
        else:
            hint = (
                '; put the codes inside "findings": {...}'
                if any(isinstance(k, str) and k in vocab for k in doc)
                else ""
            )
            raise InvalidInputError(
                f'a findings document needs a "findings" object (it may be empty){hint}'
            )
    if not isinstance(raw, Mapping):
        raise InvalidInputError('"findings" must be an object mapping codes to values')
    values: dict[str, Value] = {}
    for code, value in raw.items():
        if not isinstance(code, str) or code not in vocab:
            raise InvalidInputError(_unknown_code_message(str(code), vocab))
        if value is None:
            continue
        values[code] = _check_value(vocab[code], value)
    # Keep vocabulary order so documents and reports are stable.
    ordered = {c: values[c] for c in vocab.codes if c in values}
    return Findings(MappingProxyType(ordered))


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON objects with a repeated key are refused: which answer would count is a guess."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise InvalidInputError(f"the key {key!r} appears twice; give each answer once")
        out[key] = value
    return out


def parse_findings_json(text: str, *, origin: str = "input") -> Findings:
    """Parse JSON text into :class:`Findings` with one-line errors naming ``origin``."""
    if not text.strip():
        raise InvalidInputError(f"{origin} is empty; expected a crepitus.findings/1 JSON document")
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"{origin} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise InvalidInputError(
            f"{origin} is nested too deeply to be a findings document"
        ) from None
    except InvalidInputError as exc:
        raise InvalidInputError(f"{origin}: {exc}") from None
    try:
        return parse_findings(doc)
    except InvalidInputError as exc:
        raise InvalidInputError(f"{origin}: {exc}") from None
