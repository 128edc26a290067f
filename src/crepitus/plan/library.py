"""The exercise library: strict loading of ``knowledge/data/exercises.yaml``.

The library is knowledge, not code (style.md house rule 3): every exercise, its
dose, its progression ladder and its contraindications live in the data file
with their sources, so a physiotherapist can review them without reading Python.
This loader refuses anything it does not understand — an unknown key (usually a
typo that would silently drop a contraindication), an entry without a source, a
progression to an exercise that does not exist, or a contraindication on a
finding code that is not in the vocabulary — with a
:class:`~crepitus.errors.KnowledgeBaseError` at load time.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from crepitus.errors import KnowledgeBaseError
from crepitus.findings import Vocabulary, load_vocabulary
from crepitus.knowledge.files import check_keys, load_data_file

Category = Literal["mobility", "core", "posture"]
Effect = Literal["withhold", "substitute", "modify"]

CATEGORIES: tuple[Category, ...] = ("mobility", "core", "posture")
EFFECTS: tuple[Effect, ...] = ("withhold", "substitute", "modify")
SCHEMA = "crepitus.exercises/1"

#: Ids the public contract (contracts.md §6) promises exist.
CONTRACT_IDS: tuple[str, ...] = (
    "cat_cow",
    "pelvic_tilt",
    "abdominal_bracing",
    "bird_dog",
    "plank",
    "side_plank",
)


@dataclass(frozen=True, slots=True)
class Dosage:
    """How much of an exercise: ``reps`` may be a descending pyramid (one item per set)."""

    sets: int
    days_per_week: int
    reps: int | tuple[int, ...] | None = None
    hold_s: float | None = None
    minutes: float | None = None
    per_side: bool = False

    def describe(self) -> str:
        """Lay wording such as ``3 sets: 6, then 4, then 2 repetitions per side, …``.

        A pyramid is spelled out ("6, then 4, then 2"): "6/4/2" read as a ratio or a date
        to lay readers (review 2, P3-3).
        """
        parts: list[str] = []
        side = " per side" if self.per_side else ""
        hold = f"{self.hold_s:g} s" if self.hold_s else ""
        if isinstance(self.reps, tuple):
            reps = ", then ".join(str(r) for r in self.reps)
            parts.append(f"{self.sets} sets: {reps} repetitions{side}")
        elif self.reps == 1 and hold:
            parts.append(f"{self.sets} hold{'s' if self.sets != 1 else ''} of {hold}{side}")
            hold = ""
        elif self.reps is not None:
            sets = f"{self.sets} × " if self.sets != 1 else ""
            parts.append(f"{sets}{self.reps} repetitions{side}")
        if hold:
            parts.append(f"hold each {hold}")
        if self.minutes:
            parts.append(f"{self.minutes:g} minutes")
        days = "every day" if self.days_per_week == 7 else f"{self.days_per_week} days a week"
        parts.append(days)
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Step:
    """One rung up or down the ladder: the target exercise (or ``None``) and when."""

    to: str | None
    step: str
    when: str


@dataclass(frozen=True, slots=True)
class Contraindication:
    """A finding condition that withholds, substitutes or modifies an exercise.

    It fires only when one of ``any_true`` is *known* to be true: an unknown
    finding never fires it (contracts.md §1 — unknown is never "yes" or "no").
    """

    id: str
    any_true: tuple[str, ...]
    effect: Effect
    text: str
    source: str
    use: str | None = None

    def fires(self, findings: Mapping[str, Any]) -> bool:
        return any(findings.get(code) is True for code in self.any_true)


@dataclass(frozen=True, slots=True)
class Exercise:
    """One library entry (see the key list at the top of ``exercises.yaml``)."""

    id: str
    name: str
    category: Category
    loading: bool
    gentle: bool
    instructions: tuple[str, ...]
    mistakes: tuple[str, ...]
    dosage: Dosage
    progression: Step
    regression: Step
    contraindications: tuple[Contraindication, ...]
    cautions: tuple[str, ...]
    source: str
    rationale: str

    def firing(self, findings: Mapping[str, Any]) -> tuple[Contraindication, ...]:
        """The contraindications that apply to these findings."""
        return tuple(c for c in self.contraindications if c.fires(findings))


@dataclass(frozen=True, slots=True)
class ProgressionRules:
    """The numeric pain-monitoring rules (research/clinical.md §5.3)."""

    acceptable_pain_during: int
    settle_within_h: int
    sessions_to_progress: int
    regress_if_next_morning_above_baseline: int
    source: str
    text: str


@dataclass(frozen=True, slots=True)
class Safety:
    """Which open red flags stop even gentle movement; when to start easier; when to stop."""

    no_movement_flags: frozenset[str]
    start_easier_if_true: tuple[str, ...]
    start_easier_if_pain_above: int
    source: str
    stop_if: tuple[str, ...]
    stop_if_source: str


@dataclass(frozen=True, slots=True)
class PlanItem:
    """An exercise the recipe puts in a plan, with the reason shown to the person."""

    id: str
    why: str


@dataclass(frozen=True, slots=True)
class Emphasis:
    """What a mechanism adds to the base plan."""

    summary: str
    add: tuple[PlanItem, ...]


@dataclass(frozen=True, slots=True)
class Recipe:
    """The base plan and the mechanism-specific additions."""

    base: tuple[PlanItem, ...]
    emphasis: Mapping[str, Emphasis]
    source: str


@dataclass(frozen=True, slots=True)
class Library:
    """All exercises plus the plan recipe, the safety gates and the progression rules."""

    version: str
    exercises: Mapping[str, Exercise]
    rules: ProgressionRules
    safety: Safety
    recipe: Recipe

    def __getitem__(self, exercise_id: str) -> Exercise:
        return self.exercises[exercise_id]

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self.exercises

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self.exercises.values())

    @property
    def loading_ids(self) -> frozenset[str]:
        return frozenset(e.id for e in self if e.loading)


# ---------------------------------------------------------------------------- parsing


def _str_list(value: Any, *, where: str, key: str, allow_empty: bool = False) -> tuple[str, ...]:
    if value is None and allow_empty:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise KnowledgeBaseError(f"{where}: {key} must be a list of non-empty strings")
    if not value and not allow_empty:
        raise KnowledgeBaseError(f"{where}: {key} must not be empty")
    return tuple(value)


def _pos_int(value: Any, *, where: str, key: str, low: int = 1, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise KnowledgeBaseError(f"{where}: {key} must be a whole number >= {low}, got {value!r}")
    if high is not None and value > high:
        raise KnowledgeBaseError(f"{where}: {key} must be at most {high}, got {value!r}")
    return value


def _opt_float(value: Any, *, where: str, key: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise KnowledgeBaseError(f"{where}: {key} must be a positive number, got {value!r}")
    return float(value)


def _parse_dosage(raw: Any, *, where: str) -> Dosage:
    where = f"{where} dosage"
    check_keys(
        raw,
        where=where,
        required=("sets", "days_per_week"),
        optional=("reps", "hold_s", "minutes", "per_side"),
    )
    sets = _pos_int(raw["sets"], where=where, key="sets")
    days = _pos_int(raw["days_per_week"], where=where, key="days_per_week", high=7)
    reps_raw = raw.get("reps")
    reps: int | tuple[int, ...] | None
    if reps_raw is None:
        reps = None
    elif isinstance(reps_raw, list):
        reps = tuple(_pos_int(r, where=where, key="reps item") for r in reps_raw)
        if len(reps) != sets:
            raise KnowledgeBaseError(f"{where}: a reps pyramid needs one item per set ({sets})")
        if list(reps) != sorted(reps, reverse=True):
            raise KnowledgeBaseError(f"{where}: a reps pyramid must descend, got {reps_raw}")
    else:
        reps = _pos_int(reps_raw, where=where, key="reps")
    hold_s = _opt_float(raw.get("hold_s"), where=where, key="hold_s")
    minutes = _opt_float(raw.get("minutes"), where=where, key="minutes")
    if reps is None and minutes is None:
        raise KnowledgeBaseError(f"{where}: give reps or minutes")
    per_side = raw.get("per_side", False)
    if not isinstance(per_side, bool):
        raise KnowledgeBaseError(f"{where}: per_side must be true or false")
    return Dosage(
        sets=sets, days_per_week=days, reps=reps, hold_s=hold_s, minutes=minutes, per_side=per_side
    )


def _parse_step(raw: Any, *, where: str) -> Step:
    check_keys(raw, where=where, required=("step", "when"), optional=("to",))
    target = raw.get("to")
    if target is not None and not isinstance(target, str):
        raise KnowledgeBaseError(f"{where}: to must be an exercise id or null")
    return Step(to=target, step=str(raw["step"]), when=str(raw["when"]))


def _parse_contraindication(raw: Any, *, where: str, vocab: Vocabulary) -> Contraindication:
    check_keys(
        raw,
        where=where,
        required=("id", "any_true", "effect", "text", "source"),
        optional=("use",),
    )
    where = f"{where} ({raw['id']})"
    codes = _str_list(raw["any_true"], where=where, key="any_true")
    for code in codes:
        if code not in vocab:
            raise KnowledgeBaseError(f"{where}: unknown finding code {code!r}")
        if vocab[code].type != "boolean":
            raise KnowledgeBaseError(f"{where}: any_true needs boolean findings, {code!r} is not")
    effect = raw["effect"]
    if effect not in EFFECTS:
        raise KnowledgeBaseError(f"{where}: effect must be one of {EFFECTS}, got {effect!r}")
    use = raw.get("use")
    if (effect == "substitute") != (use is not None):
        raise KnowledgeBaseError(f"{where}: 'use' is required for substitute and only for it")
    return Contraindication(
        id=str(raw["id"]),
        any_true=codes,
        effect=effect,
        text=str(raw["text"]),
        source=str(raw["source"]),
        use=None if use is None else str(use),
    )


def _parse_exercise(raw: Any, index: int, *, vocab: Vocabulary) -> Exercise:
    name = raw.get("id", "?") if isinstance(raw, Mapping) else "?"
    where = f"exercises.yaml exercise {index} ({name})"
    check_keys(
        raw,
        where=where,
        required=(
            "id",
            "name",
            "category",
            "loading",
            "gentle",
            "instructions",
            "mistakes",
            "dosage",
            "progression",
            "regression",
            "source",
            "rationale",
        ),
        optional=("contraindications", "cautions"),
    )
    if raw["category"] not in CATEGORIES:
        raise KnowledgeBaseError(f"{where}: category must be one of {CATEGORIES}")
    for flag in ("loading", "gentle"):
        if not isinstance(raw[flag], bool):
            raise KnowledgeBaseError(f"{where}: {flag} must be true or false")
    if raw["loading"] and raw["gentle"]:
        raise KnowledgeBaseError(f"{where}: a loading exercise cannot be marked gentle")
    contraindications = raw.get("contraindications") or []
    if not isinstance(contraindications, list):
        raise KnowledgeBaseError(f"{where}: contraindications must be a list")
    return Exercise(
        id=str(raw["id"]),
        name=str(raw["name"]),
        category=raw["category"],
        loading=raw["loading"],
        gentle=raw["gentle"],
        instructions=_str_list(raw["instructions"], where=where, key="instructions"),
        mistakes=_str_list(raw["mistakes"], where=where, key="mistakes"),
        dosage=_parse_dosage(raw["dosage"], where=where),
        progression=_parse_step(raw["progression"], where=f"{where} progression"),
        regression=_parse_step(raw["regression"], where=f"{where} regression"),
        contraindications=tuple(
            _parse_contraindication(c, where=f"{where} contraindication {i}", vocab=vocab)
            for i, c in enumerate(contraindications)
        ),
        cautions=_str_list(raw.get("cautions"), where=where, key="cautions", allow_empty=True),
        source=str(raw["source"]),
        rationale=str(raw["rationale"]),
    )


def _parse_rules(raw: Any) -> ProgressionRules:
    where = "exercises.yaml progression_rules"
    check_keys(
        raw,
        where=where,
        required=(
            "acceptable_pain_during",
            "settle_within_h",
            "sessions_to_progress",
            "regress_if_next_morning_above_baseline",
            "source",
            "text",
        ),
    )
    return ProgressionRules(
        acceptable_pain_during=_pos_int(
            raw["acceptable_pain_during"], where=where, key="acceptable_pain_during", high=10
        ),
        settle_within_h=_pos_int(raw["settle_within_h"], where=where, key="settle_within_h"),
        sessions_to_progress=_pos_int(
            raw["sessions_to_progress"], where=where, key="sessions_to_progress"
        ),
        regress_if_next_morning_above_baseline=_pos_int(
            raw["regress_if_next_morning_above_baseline"],
            where=where,
            key="regress_if_next_morning_above_baseline",
            high=10,
        ),
        source=str(raw["source"]),
        text=str(raw["text"]),
    )


def _check_codes(codes: Sequence[str], *, where: str, vocab: Vocabulary) -> None:
    for code in codes:
        if code not in vocab:
            raise KnowledgeBaseError(f"{where}: unknown finding code {code!r}")


def _parse_safety(raw: Any, *, vocab: Vocabulary) -> Safety:
    where = "exercises.yaml safety"
    check_keys(
        raw,
        where=where,
        required=(
            "no_movement_flags",
            "start_easier_if_true",
            "start_easier_if_pain_above",
            "source",
            "stop_if",
            "stop_if_source",
        ),
    )
    no_move = _str_list(raw["no_movement_flags"], where=where, key="no_movement_flags")
    easier = _str_list(raw["start_easier_if_true"], where=where, key="start_easier_if_true")
    _check_codes(no_move, where=where, vocab=vocab)
    _check_codes(easier, where=where, vocab=vocab)
    return Safety(
        no_movement_flags=frozenset(no_move),
        start_easier_if_true=easier,
        start_easier_if_pain_above=_pos_int(
            raw["start_easier_if_pain_above"],
            where=where,
            key="start_easier_if_pain_above",
            low=0,
            high=10,
        ),
        source=str(raw["source"]),
        stop_if=_str_list(raw["stop_if"], where=where, key="stop_if"),
        stop_if_source=str(raw["stop_if_source"]),
    )


def _parse_items(raw: Any, *, where: str) -> tuple[PlanItem, ...]:
    if not isinstance(raw, list):
        raise KnowledgeBaseError(f"{where}: expected a list of {{id, why}} entries")
    items: list[PlanItem] = []
    for i, entry in enumerate(raw):
        check_keys(entry, where=f"{where} {i}", required=("id", "why"))
        items.append(PlanItem(id=str(entry["id"]), why=str(entry["why"])))
    return tuple(items)


def _parse_recipe(raw: Any) -> Recipe:
    from crepitus.domain import MECHANISMS

    where = "exercises.yaml plan"
    check_keys(raw, where=where, required=("base", "emphasis", "source"))
    emphasis_raw = raw["emphasis"]
    if not isinstance(emphasis_raw, Mapping):
        raise KnowledgeBaseError(f"{where}: emphasis must map mechanism to its additions")
    unknown = sorted(set(emphasis_raw) - set(MECHANISMS))
    missing = sorted(set(MECHANISMS) - set(emphasis_raw))
    if unknown or missing:
        raise KnowledgeBaseError(
            f"{where}: emphasis needs exactly the mechanisms {MECHANISMS} "
            f"(unknown: {unknown}, missing: {missing})"
        )
    emphasis: dict[str, Emphasis] = {}
    for mech, entry in emphasis_raw.items():
        ewhere = f"{where} emphasis {mech}"
        check_keys(entry, where=ewhere, required=("summary",), optional=("add",))
        emphasis[mech] = Emphasis(
            summary=str(entry["summary"]),
            add=_parse_items(entry.get("add") or [], where=f"{ewhere} add"),
        )
    return Recipe(
        base=_parse_items(raw["base"], where=f"{where} base"),
        emphasis=emphasis,
        source=str(raw["source"]),
    )


def _check_references(lib: Library) -> None:
    """Every id a ladder, substitution or recipe points to must exist; no self-loops."""
    for ex in lib:
        for label, target in (
            ("progression", ex.progression.to),
            ("regression", ex.regression.to),
            *((f"contraindication {c.id}", c.use) for c in ex.contraindications),
        ):
            if target is None:
                continue
            if target not in lib:
                raise KnowledgeBaseError(
                    f"exercises.yaml {ex.id}: {label} points to unknown exercise {target!r}"
                )
            if target == ex.id:
                raise KnowledgeBaseError(f"exercises.yaml {ex.id}: {label} points to itself")
    items = list(lib.recipe.base)
    for emph in lib.recipe.emphasis.values():
        items.extend(emph.add)
    for item in items:
        if item.id not in lib:
            raise KnowledgeBaseError(f"exercises.yaml plan: unknown exercise {item.id!r}")
    missing = [i for i in CONTRACT_IDS if i not in lib]
    if missing:
        raise KnowledgeBaseError(f"exercises.yaml: contract exercise(s) missing: {missing}")


def parse_library(doc: Mapping[str, Any], *, vocabulary: Vocabulary | None = None) -> Library:
    """Validate a decoded ``crepitus.exercises/1`` document into a :class:`Library`.

    Raises
    ------
    KnowledgeBaseError
        On an unknown key, a missing source, a reference to an unknown exercise
        or an unknown finding code, a duplicate id, or a malformed dosage.
    """
    vocab = vocabulary or load_vocabulary()
    check_keys(
        doc,
        where="exercises.yaml",
        required=("schema", "version", "progression_rules", "safety", "plan", "exercises"),
    )
    if doc["schema"] != SCHEMA:
        raise KnowledgeBaseError(f"exercises.yaml: unsupported schema {doc['schema']!r}")
    if not isinstance(doc["exercises"], list):
        raise KnowledgeBaseError("exercises.yaml: exercises must be a list")
    exercises: dict[str, Exercise] = {}
    for i, raw in enumerate(doc["exercises"]):
        ex = _parse_exercise(raw, i, vocab=vocab)
        if ex.id in exercises:
            raise KnowledgeBaseError(f"exercises.yaml: duplicate exercise id {ex.id!r}")
        exercises[ex.id] = ex
    lib = Library(
        version=str(doc["version"]),
        exercises=exercises,
        rules=_parse_rules(doc["progression_rules"]),
        safety=_parse_safety(doc["safety"], vocab=vocab),
        recipe=_parse_recipe(doc["plan"]),
    )
    _check_references(lib)
    return lib


@functools.cache
def load_library() -> Library:
    """The packaged exercise library, validated once per process."""
    return parse_library(load_data_file("exercises.yaml"))
