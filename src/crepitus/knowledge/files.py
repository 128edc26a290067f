"""Reading packaged YAML knowledge files, and the strict-key checks every loader shares."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

import yaml

from crepitus.errors import KnowledgeBaseError

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_Base):  # type: ignore[misc]  # PyYAML's loaders are untyped classes
    """A safe YAML loader that refuses duplicate keys.

    PyYAML silently keeps the last of two equal keys, so a rule with two ``when:``
    lines would load with one of them ignored — unacceptable for a rule book.
    """

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


@functools.cache
def load_data_file(name: str) -> Mapping[str, Any]:
    """Parse ``crepitus/knowledge/data/<name>`` once per process.

    Parameters
    ----------
    name
        File name inside the packaged ``data`` folder, e.g. ``"rules.yaml"``.

    Raises
    ------
    KnowledgeBaseError
        If the file is missing or is not a YAML mapping.
    """
    ref = resources.files("crepitus.knowledge").joinpath("data", name)
    try:
        text = ref.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise KnowledgeBaseError(f"knowledge file {name!r} is missing from the package") from exc
    try:
        doc = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"knowledge file {name!r} is not valid YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise KnowledgeBaseError(f"knowledge file {name!r} must hold a mapping at the top")
    return doc


def check_keys(
    entry: Mapping[str, Any],
    *,
    where: str,
    required: Iterable[str],
    optional: Iterable[str] = (),
) -> None:
    """Reject an entry with a missing required key or any key we do not know.

    Unknown keys are usually typos (``soruce:``) that would otherwise silently
    drop provenance or a condition; failing at load is the only safe option.
    """
    if not isinstance(entry, Mapping):
        raise KnowledgeBaseError(f"{where}: expected a mapping, got {type(entry).__name__}")
    required = tuple(required)
    allowed = set(required) | set(optional)
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise KnowledgeBaseError(f"{where}: unknown key(s) {', '.join(unknown)}")
    missing = [k for k in required if entry.get(k) in (None, "", [])]
    if missing:
        raise KnowledgeBaseError(f"{where}: missing required key(s) {', '.join(missing)}")
