"""The intake knowledge: lay phrases → finding codes, and ConText triggers, as checked data.

Both files live in ``crepitus/knowledge/data`` (``intake_lexicon.yaml``,
``intake_context.yaml``) so that a clinician can review the words without
reading Python.  Loading is strict, like every knowledge loader in crepitus:
unknown keys, entries without ``source``/``rationale``, codes that are not in
the findings vocabulary, values of the wrong type and unknown ``@CLASS``
references all raise :class:`~crepitus.errors.KnowledgeBaseError` at load.

Phrase language (compiled here, matched by :mod:`crepitus.intake.matcher`)::

    word      literal word (long words tolerate one typo, see typo_targets)
    stem*     any word starting with ``stem``
    a|b*|c    alternatives for one position (words of one alternative joined by _: get_up)
    @CLASS    any member of a class from the lexicon's ``classes``
    ~N        a gap of 0..N words that never crosses punctuation or a contrast word
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from crepitus.errors import KnowledgeBaseError
from crepitus.findings.vocabulary import Vocabulary, load_vocabulary
from crepitus.intake.tokens import osa_distance, words_of
from crepitus.knowledge.files import check_keys, load_data_file

Category = Literal[
    "negated", "uncertain", "historical", "hypothetical", "other", "pseudo", "terminate"
]
Direction = Literal["forward", "backward", "both"]

_CATEGORIES: tuple[str, ...] = (
    "negated",
    "uncertain",
    "historical",
    "hypothetical",
    "other",
    "pseudo",
    "terminate",
)
_MODIFIER_CATEGORIES = ("negated", "uncertain", "historical", "hypothetical", "other")
_DIRECTIONS: tuple[str, ...] = ("forward", "backward", "both")
_KEEPABLE = ("historical", "other")

#: Words a pattern gap may never skip: a contrast starts a new assertion.
GAP_STOP_WORDS = frozenset({"but", "however", "although", "though", "whereas", "except"})


# --------------------------------------------------------------------------- compiled patterns
@dataclass(frozen=True, slots=True)
class WordTest:
    """One word position: matches if a token form is a literal or starts with a stem."""

    literals: frozenset[str]
    stems: tuple[str, ...] = ()

    def matches(self, forms: Sequence[str]) -> bool:
        for f in forms:
            if f in self.literals:
                return True
            for s in self.stems:
                if f.startswith(s):
                    return True
        return False


@dataclass(frozen=True, slots=True)
class Gap:
    """Skip 0..``max_words`` words."""

    max_words: int


@dataclass(frozen=True, slots=True)
class Choice:
    """One pattern position: a single-word test and/or multi-word alternatives."""

    single: WordTest | None
    multi: tuple[tuple[WordTest, ...], ...] = ()


Item = Gap | Choice


@dataclass(frozen=True, slots=True)
class Pattern:
    """A compiled phrase; ``owner`` indexes the entry or trigger it belongs to."""

    phrase: str
    items: tuple[Item, ...]
    owner: int


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon entry: phrases for one finding code, with its provenance."""

    id: str
    code: str
    value: bool | None
    negated: bool | None
    keep: frozenset[str]
    weak: bool
    suppresses: frozenset[str]
    #: "any" or "backward": which negation directions may negate this entry.
    negation: str
    retarget: tuple[tuple[str, str], ...]
    source: str
    rationale: str
    phrases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Trigger:
    """One ConText trigger (Harkema et al. 2009)."""

    id: str
    category: str
    direction: str
    max_tokens: int | None
    applies_to: frozenset[str]
    source: str
    rationale: str
    phrases: tuple[str, ...]


class TypoCorrector:
    """Map an unknown, longer word to the domain word it most likely misspells.

    Only words of at least ``min_length`` letters that are not lexicon words
    are considered; the target must start with the same letter (typos on the
    first letter are rare, and the rule removes most false friends such as
    single→tingle) and be within one edit (Damerau 1964).  ``protected``
    words are real words never corrected (fewer→fever, bowls→bowels).
    """

    def __init__(
        self,
        *,
        targets: Sequence[str],
        protected: Sequence[str],
        known_literals: frozenset[str],
        known_stems: tuple[str, ...],
        min_length: int = 5,
    ) -> None:
        self.targets = tuple(t for t in targets if len(t) >= 6)
        self.protected = frozenset(protected)
        self.known_literals = known_literals
        self.known_stems = known_stems
        self.min_length = min_length
        self._cache: dict[str, str | None] = {}

    def get(self, word: str) -> str | None:
        if word in self._cache:
            return self._cache[word]
        fixed = self._lookup(word)
        if len(self._cache) < 50_000:
            self._cache[word] = fixed
        return fixed

    def _lookup(self, word: str) -> str | None:
        if (
            len(word) < self.min_length
            or word in self.known_literals
            or word in self.protected
            or not word.isalpha()
            or any(word.startswith(s) for s in self.known_stems)
        ):
            return None
        for target in self.targets:
            if (
                target[0] == word[0]
                and abs(len(target) - len(word)) <= 1
                and osa_distance(word, target, limit=1) <= 1
            ):
                return target
        return None


@dataclass(frozen=True)
class Lexicon:
    """Everything the extractor needs, compiled once per process."""

    version: str
    entries: tuple[Entry, ...]
    triggers: tuple[Trigger, ...]
    entry_patterns: tuple[Pattern, ...]
    trigger_patterns: tuple[Pattern, ...]
    classes: Mapping[str, WordTest]
    spellings: Mapping[str, str]
    corrector: TypoCorrector
    context_version: str = ""
    by_code: Mapping[str, tuple[int, ...]] = field(default_factory=dict)


# --------------------------------------------------------------------------- compiling
def _word_test(alts: Sequence[str]) -> WordTest:
    lits = frozenset(a for a in alts if not a.endswith("*"))
    stems = tuple(a[:-1] for a in alts if a.endswith("*"))
    return WordTest(lits, stems)


def _compile_alternatives(
    alts: Sequence[str], classes: Mapping[str, tuple[tuple[str, ...], ...]], where: str
) -> Choice:
    singles: list[str] = []
    multis: list[tuple[WordTest, ...]] = []
    for alt in alts:
        if alt.startswith("@"):
            name = alt[1:]
            if name not in classes:
                raise KnowledgeBaseError(f"{where}: unknown class @{name}")
            for member in classes[name]:
                if len(member) == 1:
                    singles.append(member[0])
                else:
                    multis.append(tuple(_word_test([w]) for w in member))
            continue
        words = _split_alt(alt)
        if not words:
            raise KnowledgeBaseError(f"{where}: empty alternative in {alt!r}")
        if len(words) == 1:
            singles.append(words[0])
        else:
            multis.append(tuple(_word_test([w]) for w in words))
    return Choice(_word_test(singles) if singles else None, tuple(multis))


def _split_alt(alt: str) -> tuple[str, ...]:
    """Words of one alternative, keeping a trailing ``*`` (stem marker) on the last word."""
    star = alt.endswith("*")
    alt = alt.replace("_", " ")
    words = words_of(alt[:-1] if star else alt)
    if star and words:
        words = (*words[:-1], words[-1] + "*")
    return words


def compile_phrase(
    phrase: str, *, owner: int, classes: Mapping[str, tuple[tuple[str, ...], ...]], where: str
) -> Pattern:
    """Compile one phrase of the pattern language (see the module docstring)."""
    items: list[Item] = []
    for piece in phrase.split():
        if piece.startswith("~"):
            try:
                n = int(piece[1:])
            except ValueError:
                raise KnowledgeBaseError(f"{where}: bad gap {piece!r} in {phrase!r}") from None
            if not items or n < 1:
                raise KnowledgeBaseError(f"{where}: a gap must follow a word: {phrase!r}")
            items.append(Gap(n))
            continue
        alts = piece.split("|")
        if any(not a for a in alts):
            raise KnowledgeBaseError(
                f"{where}: empty alternative in {phrase!r} (join words with _)"
            )
        items.append(_compile_alternatives(alts, classes, where))
    if not items or isinstance(items[-1], Gap):
        raise KnowledgeBaseError(f"{where}: a phrase must start and end with a word: {phrase!r}")
    return Pattern(phrase, tuple(items), owner)


def _str_list(raw: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise KnowledgeBaseError(f"{where}: {key} must be a non-empty list of strings")
    return tuple(x.strip() for x in raw)


def _parse_classes(raw: Any) -> dict[str, tuple[tuple[str, ...], ...]]:
    if not isinstance(raw, Mapping):
        raise KnowledgeBaseError("intake_lexicon.yaml: classes must be a mapping")
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    for name, members in raw.items():
        words = _str_list(members, f"intake_lexicon.yaml class {name}", "members")
        out[str(name)] = tuple(_split_alt(w) for w in words)
    return out


def _bool_or_none(raw: Any, where: str, key: str) -> bool | None:
    if raw is None or isinstance(raw, bool):
        return raw
    raise KnowledgeBaseError(f"{where}: {key} must be true, false or null, got {raw!r}")


def _parse_entry(
    raw: Mapping[str, Any], index: int, vocab: Vocabulary, classes: Mapping[str, Any]
) -> Entry:
    name = raw.get("id", "?") if isinstance(raw, Mapping) else "?"
    where = f"intake_lexicon.yaml entry {index} ({name})"
    check_keys(
        raw,
        where=where,
        required=("id", "code", "phrases", "source", "rationale"),
        optional=("value", "negated", "keep", "weak", "suppresses", "retarget", "negation"),
    )
    code = str(raw["code"])
    if code not in vocab:
        raise KnowledgeBaseError(f"{where}: code {code!r} is not in the findings vocabulary")
    if vocab[code].type != "boolean":
        raise KnowledgeBaseError(
            f"{where}: code {code!r} is not boolean; numbers are parsed in code"
        )
    value = _bool_or_none(raw.get("value", True), where, "value")
    default_neg = False if value is True else None
    negated = _bool_or_none(raw.get("negated", default_neg), where, "negated")
    keep = frozenset(_str_list(raw["keep"], where, "keep")) if "keep" in raw else frozenset()
    if not keep <= set(_KEEPABLE):
        raise KnowledgeBaseError(f"{where}: keep may only list {_KEEPABLE}")
    weak = raw.get("weak", False)
    if not isinstance(weak, bool):
        raise KnowledgeBaseError(f"{where}: weak must be true or false")
    sup = (
        frozenset(_str_list(raw["suppresses"], where, "suppresses"))
        if "suppresses" in raw
        else frozenset()
    )
    for c in sup:
        if c not in vocab:
            raise KnowledgeBaseError(f"{where}: suppresses unknown code {c!r}")
    negation = raw.get("negation", "any")
    if negation not in ("any", "backward"):
        raise KnowledgeBaseError(f"{where}: negation must be 'any' or 'backward'")
    retarget_raw = raw.get("retarget", {})
    if not isinstance(retarget_raw, Mapping):
        raise KnowledgeBaseError(f"{where}: retarget must map a class to a code")
    retarget: list[tuple[str, str]] = []
    for cls, target in retarget_raw.items():
        if cls not in classes:
            raise KnowledgeBaseError(f"{where}: retarget uses unknown class {cls!r}")
        if target not in vocab:
            raise KnowledgeBaseError(f"{where}: retarget to unknown code {target!r}")
        retarget.append((str(cls), str(target)))
    return Entry(
        id=str(raw["id"]),
        code=code,
        value=value,
        negated=negated,
        keep=keep,
        weak=weak,
        suppresses=sup,
        negation=str(negation),
        retarget=tuple(retarget),
        source=str(raw["source"]),
        rationale=str(raw["rationale"]),
        phrases=_str_list(raw["phrases"], where, "phrases"),
    )


def _parse_trigger(raw: Mapping[str, Any], index: int) -> Trigger:
    name = raw.get("id", "?") if isinstance(raw, Mapping) else "?"
    where = f"intake_context.yaml trigger {index} ({name})"
    check_keys(
        raw,
        where=where,
        required=("id", "category", "phrases", "source", "rationale"),
        optional=("direction", "max_tokens", "applies_to"),
    )
    category = raw["category"]
    if category not in _CATEGORIES:
        raise KnowledgeBaseError(f"{where}: category must be one of {_CATEGORIES}")
    direction = raw.get("direction", "forward")
    if direction not in _DIRECTIONS:
        raise KnowledgeBaseError(f"{where}: direction must be one of {_DIRECTIONS}")
    if category in _MODIFIER_CATEGORIES and "direction" not in raw:
        raise KnowledgeBaseError(f"{where}: a {category} trigger needs a direction")
    max_tokens = raw.get("max_tokens")
    if max_tokens is not None and not (isinstance(max_tokens, int) and max_tokens > 0):
        raise KnowledgeBaseError(f"{where}: max_tokens must be a positive integer")
    applies: frozenset[str] = frozenset()
    if category == "terminate":
        applies = frozenset(_str_list(raw.get("applies_to"), where, "applies_to"))
        if not applies <= set(_MODIFIER_CATEGORIES):
            raise KnowledgeBaseError(f"{where}: applies_to may only list {_MODIFIER_CATEGORIES}")
    elif "applies_to" in raw:
        raise KnowledgeBaseError(f"{where}: applies_to is only for terminate triggers")
    return Trigger(
        id=str(raw["id"]),
        category=str(category),
        direction=str(direction),
        max_tokens=max_tokens,
        applies_to=applies,
        source=str(raw["source"]),
        rationale=str(raw["rationale"]),
        phrases=_str_list(raw["phrases"], where, "phrases"),
    )


def build_lexicon(
    lexicon_doc: Mapping[str, Any],
    context_doc: Mapping[str, Any],
    *,
    vocabulary: Vocabulary | None = None,
) -> Lexicon:
    """Validate and compile the two decoded YAML documents (see :func:`load_lexicon`)."""
    vocab = vocabulary or load_vocabulary()
    check_keys(
        lexicon_doc,
        where="intake_lexicon.yaml",
        required=("schema", "version", "spellings", "typo_targets", "classes", "entries"),
    )
    if lexicon_doc["schema"] != "crepitus.intake-lexicon/1":
        raise KnowledgeBaseError(
            f"intake_lexicon.yaml: unsupported schema {lexicon_doc['schema']!r}"
        )
    check_keys(context_doc, where="intake_context.yaml", required=("schema", "version", "triggers"))
    if context_doc["schema"] != "crepitus.intake-context/1":
        raise KnowledgeBaseError(
            f"intake_context.yaml: unsupported schema {context_doc['schema']!r}"
        )

    sp = lexicon_doc["spellings"]
    check_keys(sp, where="intake_lexicon.yaml spellings", required=("source", "map"))
    if not isinstance(sp["map"], Mapping):
        raise KnowledgeBaseError("intake_lexicon.yaml spellings: map must be a mapping")
    spellings = {str(k).lower(): str(v).lower() for k, v in sp["map"].items()}
    typo = lexicon_doc["typo_targets"]
    check_keys(
        typo, where="intake_lexicon.yaml typo_targets", required=("source", "words", "protected")
    )

    classes = _parse_classes(lexicon_doc["classes"])
    raw_entries = lexicon_doc["entries"]
    if not isinstance(raw_entries, list) or not raw_entries:
        raise KnowledgeBaseError("intake_lexicon.yaml: entries must be a non-empty list")
    entries: list[Entry] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_entries):
        e = _parse_entry(raw, i, vocab, classes)
        if e.id in seen:
            raise KnowledgeBaseError(f"intake_lexicon.yaml: duplicate entry id {e.id!r}")
        seen.add(e.id)
        entries.append(e)
    raw_triggers = context_doc["triggers"]
    if not isinstance(raw_triggers, list) or not raw_triggers:
        raise KnowledgeBaseError("intake_context.yaml: triggers must be a non-empty list")
    triggers: list[Trigger] = []
    for i, raw in enumerate(raw_triggers):
        t = _parse_trigger(raw, i)
        if t.id in seen:
            raise KnowledgeBaseError(f"intake_context.yaml: duplicate id {t.id!r}")
        seen.add(t.id)
        triggers.append(t)

    entry_patterns = tuple(
        compile_phrase(p, owner=i, classes=classes, where=f"intake_lexicon.yaml entry {e.id}")
        for i, e in enumerate(entries)
        for p in e.phrases
    )
    trigger_patterns = tuple(
        compile_phrase(p, owner=i, classes=classes, where=f"intake_context.yaml trigger {t.id}")
        for i, t in enumerate(triggers)
        for p in t.phrases
    )
    literals: set[str] = set()
    stems: set[str] = set()
    for pat in (*entry_patterns, *trigger_patterns):
        for item in pat.items:
            if isinstance(item, Choice):
                tests = [item.single] if item.single else []
                tests += [w for seq in item.multi for w in seq]
                for wt in tests:
                    literals |= wt.literals
                    stems |= set(wt.stems)
    corrector = TypoCorrector(
        targets=_str_list(typo["words"], "typo_targets", "words"),
        protected=_str_list(typo["protected"], "typo_targets", "protected"),
        known_literals=frozenset(literals | set(spellings) | set(spellings.values())),
        known_stems=tuple(sorted(stems)),
    )
    class_tests = {
        name: _word_test([m[0] for m in members if len(m) == 1])
        for name, members in classes.items()
    }
    by_code: dict[str, list[int]] = {}
    for i, e in enumerate(entries):
        by_code.setdefault(e.code, []).append(i)
    return Lexicon(
        version=str(lexicon_doc["version"]),
        entries=tuple(entries),
        triggers=tuple(triggers),
        entry_patterns=entry_patterns,
        trigger_patterns=trigger_patterns,
        classes=class_tests,
        spellings=spellings,
        corrector=corrector,
        context_version=str(context_doc["version"]),
        by_code={k: tuple(v) for k, v in by_code.items()},
    )


@functools.cache
def load_lexicon() -> Lexicon:
    """Load, validate and compile the packaged intake lexicon and ConText triggers (cached)."""
    return build_lexicon(
        load_data_file("intake_lexicon.yaml"), load_data_file("intake_context.yaml")
    )
