"""The clinical vignette suite: an independent gold standard for the triage engine.

``cases.yaml`` was written from the red-flag frameworks (research/clinical.md
§1.1-1.3), the seed article and contracts.md §1-2, without reading the engine's
rule file, so that it judges the rules instead of copying them.  How the
frameworks were read is in docs/vignettes.md.

What is checked
---------------
* ``test_cases_are_valid`` / ``test_suite_covers_the_frameworks``: the YAML
  itself (schema, findings valid under the vocabulary, mix of dispositions,
  every CES symptom alone and combined).  These need no engine.
* ``test_vignette``: per case, the exact disposition and expected red flags being
  a subset of the output ``red_flags``.
* ``test_safety_summary``: accuracy, emergency sensitivity, under-triage and
  over-triage over the whole suite, against the targets of clinical.md §2.1
  (100 % of emergencies caught, no under-triage at all, exact accuracy >= 75 %,
  self-care accuracy >= 70 %, self-care -> emergency <= 5 %).
* Two metamorphic checks of the contract's safety properties:
  the noise itself never changes the level (clinical.md §1.2), and an unknown
  answer is never more reassuring than an explicit "no" (contracts.md §1).

Until ``crepitus.workflows`` exists, the engine tests are skipped (with the
reason shown by ``pytest -ra``); the YAML checks always run.

Run ``pytest tests/vignettes -s -k summary`` to print the metrics table.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from crepitus.domain import Disposition
from crepitus.findings import Findings, load_vocabulary, parse_findings

CASES_PATH = Path(__file__).with_name("cases.yaml")

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*-\d{2}$")
CASE_KEYS_REQUIRED = frozenset({"id", "title", "story", "findings", "expected", "source"})
CASE_KEYS_OPTIONAL = frozenset({"notes"})
EXPECTED_KEYS = frozenset({"disposition", "red_flags"})

FAMILIES = frozenset(
    {
        "ces", "cord", "neuro", "sciatica", "bilateral", "mscc", "mal", "inf", "fx",
        "aaa", "nonspinal", "axspa", "seed", "benign", "nslbp", "noise", "combo", "unknown",
        "scope",
    }
)  # fmt: skip
"""Framework families named by the first word of a case id (see cases.yaml header)."""

CES_CODES = (
    "neuro.saddle_numbness",
    "neuro.bladder_change",
    "neuro.bowel_change",
    "neuro.sexual_change",
    "neuro.both_legs",
)
"""The CES items of clinical.md §1.3 (BASS 2018; Royal Free leaflet)."""

NOISE_CODES = (
    "sound.pop",
    "sound.snap",
    "sound.grind",
    "sound.every_step",
    "sound.relief",
    "sound.new",
)
"""Codes that describe only the noise.  clinical.md §1.2: "the noise itself never
raises the triage level"; design.md decision 2: recordings never lower it.
``sound.after_trauma`` is deliberately not here: it is an injury-history screen
question (the seed's "noise that immediately followed a trauma")."""

MIN_CASES = 110

# Targets from research/clinical.md §2.1 ("Proposed targets for the tool").
TARGET_EMERGENCY_SENSITIVITY = 1.0
TARGET_EXACT_ACCURACY = 0.75
TARGET_SELF_CARE_ACCURACY = 0.70
TARGET_SELF_CARE_TO_EMERGENCY = 0.05


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True, slots=True)
class Case:
    """One vignette, as written in cases.yaml."""

    id: str
    title: str
    story: str
    findings: Mapping[str, Any]
    disposition: Disposition
    red_flags: tuple[str, ...]
    source: str
    notes: str | None

    @property
    def family(self) -> str:
        return self.id.split("-", 1)[0]


def _raw_cases() -> list[dict[str, Any]]:
    doc = yaml.safe_load(CASES_PATH.read_text(encoding="utf-8"))
    assert isinstance(doc, dict), "cases.yaml must be a mapping with a 'cases' list"
    assert doc.get("schema") == "crepitus.vignettes/1"
    cases = doc.get("cases")
    assert isinstance(cases, list)
    return cases


@cache
def load_cases() -> tuple[Case, ...]:
    """All vignettes, parsed (structure is checked in ``test_cases_are_valid``)."""
    out = []
    for raw in _raw_cases():
        expected = raw["expected"]
        out.append(
            Case(
                id=raw["id"],
                title=raw["title"],
                story=raw["story"],
                findings=dict(raw["findings"] or {}),
                disposition=Disposition.parse(expected["disposition"]),
                red_flags=tuple(expected["red_flags"]),
                source=raw["source"],
                notes=raw.get("notes"),
            )
        )
    return tuple(out)


CASES = load_cases()
CASE_IDS = [c.id for c in CASES]


def _sentences(text: str) -> int:
    return len([s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s])


# --------------------------------------------------------------------------- metrics


@dataclass(frozen=True, slots=True)
class SafetyMetrics:
    """Vignette-suite metrics in the terms of the symptom-checker audits (clinical.md §2.1)."""

    n: int
    correct: int
    under_triaged: tuple[str, ...]
    over_triaged: tuple[str, ...]
    emergencies: int
    emergencies_caught: int
    self_care: int
    self_care_correct: int
    self_care_to_emergency: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0

    @property
    def emergency_sensitivity(self) -> float:
        return self.emergencies_caught / self.emergencies if self.emergencies else 1.0

    @property
    def self_care_accuracy(self) -> float:
        return self.self_care_correct / self.self_care if self.self_care else 1.0

    @property
    def self_care_to_emergency_rate(self) -> float:
        return self.self_care_to_emergency / self.self_care if self.self_care else 0.0

    def table(self) -> str:
        return "\n".join(
            [
                f"vignettes                 {self.n}",
                f"exact accuracy            {self.accuracy:.1%} ({self.correct}/{self.n})",
                f"emergency sensitivity     {self.emergency_sensitivity:.1%} "
                f"({self.emergencies_caught}/{self.emergencies})",
                f"under-triaged             {len(self.under_triaged)} {list(self.under_triaged)}",
                f"over-triaged              {len(self.over_triaged)} {list(self.over_triaged)}",
                f"self-care accuracy        {self.self_care_accuracy:.1%} "
                f"({self.self_care_correct}/{self.self_care})",
                f"self-care -> emergency    {self.self_care_to_emergency_rate:.1%}",
            ]
        )


def safety_metrics(pairs: Iterable[tuple[str, Disposition, Disposition]]) -> SafetyMetrics:
    """Metrics from ``(case id, expected, actual)`` triples.

    Under-triage = actual less urgent than expected; over-triage = more urgent.
    Emergency sensitivity = expected emergencies answered as emergency.
    """
    n = correct = emergencies = caught = self_care = self_care_ok = sc_to_em = 0
    under: list[str] = []
    over: list[str] = []
    for case_id, expected, actual in pairs:
        n += 1
        correct += actual == expected
        if actual < expected:
            under.append(case_id)
        elif actual > expected:
            over.append(case_id)
        if expected is Disposition.EMERGENCY:
            emergencies += 1
            caught += actual is Disposition.EMERGENCY
        if expected is Disposition.SELF_CARE:
            self_care += 1
            self_care_ok += actual is Disposition.SELF_CARE
            sc_to_em += actual is Disposition.EMERGENCY
    return SafetyMetrics(
        n=n,
        correct=correct,
        under_triaged=tuple(under),
        over_triaged=tuple(over),
        emergencies=emergencies,
        emergencies_caught=caught,
        self_care=self_care,
        self_care_correct=self_care_ok,
        self_care_to_emergency=sc_to_em,
    )


# --------------------------------------------------------------------------- the engine


@dataclass(frozen=True, slots=True)
class Outcome:
    disposition: Disposition
    red_flags: tuple[str, ...]
    rules: tuple[str, ...]


def _engine() -> Callable[[Findings], Any]:
    workflows = pytest.importorskip(
        "crepitus.workflows",
        reason="the triage engine (crepitus.workflows.assess) is not built yet",
    )
    assess: Callable[[Findings], Any] = workflows.assess
    return assess


def _outcome(result: Any) -> Outcome:
    disposition = result.disposition
    if isinstance(disposition, str):
        disposition = Disposition.parse(disposition)
    reasons = getattr(result, "reasons", ())
    return Outcome(
        disposition=Disposition(disposition),
        red_flags=tuple(result.red_flags),
        rules=tuple(str(getattr(r, "rule", r)) for r in reasons),
    )


def run(findings: Mapping[str, Any]) -> Outcome:
    """Validate ``findings`` and assess them with the engine."""
    return _outcome(_engine()(parse_findings({"findings": dict(findings)})))


@cache
def outcome_of(case_id: str) -> Outcome:
    case = next(c for c in CASES if c.id == case_id)
    return run(case.findings)


# --------------------------------------------------------------------------- the YAML


def test_cases_are_valid() -> None:
    """Every case has the documented shape and valid findings (no engine needed)."""
    raw_cases = _raw_cases()
    vocab = load_vocabulary()
    seen: set[str] = set()
    problems: list[str] = []
    for index, raw in enumerate(raw_cases):
        where = f"case {index} ({raw.get('id', '?')})"
        keys = set(raw)
        if missing := CASE_KEYS_REQUIRED - keys:
            problems.append(f"{where}: missing {sorted(missing)}")
            continue
        if unknown := keys - CASE_KEYS_REQUIRED - CASE_KEYS_OPTIONAL:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        case_id = raw["id"]
        if not isinstance(case_id, str) or not ID_RE.match(case_id):
            problems.append(f"{where}: id must look like 'ces-saddle-01'")
        elif case_id in seen:
            problems.append(f"{where}: duplicate id")
        else:
            seen.add(case_id)
            if case_id.split("-", 1)[0] not in FAMILIES:
                problems.append(f"{where}: unknown family prefix")
        title = raw["title"]
        if not isinstance(title, str) or not title.strip() or "\n" in title:
            problems.append(f"{where}: title must be one non-empty line")
        story = raw["story"]
        if not isinstance(story, str) or not 2 <= _sentences(story) <= 3:
            problems.append(f"{where}: story must be 2-3 sentences")
        for key in ("source", "notes"):
            value = raw.get(key, "x")
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{where}: {key} must be non-empty text")
        expected = raw["expected"]
        if not isinstance(expected, dict) or set(expected) != EXPECTED_KEYS:
            problems.append(f"{where}: expected needs exactly {sorted(EXPECTED_KEYS)}")
            continue
        try:
            Disposition.parse(str(expected["disposition"]))
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
        findings_raw = raw["findings"]
        if not isinstance(findings_raw, dict):
            problems.append(f"{where}: findings must be a mapping")
            continue
        try:
            findings = parse_findings({"findings": findings_raw}, vocabulary=vocab)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        flags = expected["red_flags"]
        if not isinstance(flags, list) or len(set(flags)) != len(flags):
            problems.append(f"{where}: red_flags must be a list without repeats")
            continue
        for code in flags:
            # A red flag the output must show has to be something the person said yes to.
            if findings.get(code) is not True:
                problems.append(f"{where}: red flag {code!r} is not a true finding")
        if Disposition.parse(str(expected["disposition"])) is Disposition.SELF_CARE and flags:
            problems.append(f"{where}: a self_care case cannot require red flags")
    assert not problems, "\n".join(problems)


def test_suite_covers_the_frameworks() -> None:
    """Size, disposition mix, families and CES symptoms alone/combined are all present."""
    assert len(CASES) >= MIN_CASES
    counts = Counter(c.disposition for c in CASES)
    for level in Disposition:
        share = counts[level] / len(CASES)
        # Aimed mix: 25/15/20/15/25 %; allow drift but no level may be starved or dominate.
        assert 0.10 <= share <= 0.35, f"{level.code}: {share:.0%} of cases"
    families = {c.family for c in CASES}
    assert families == FAMILIES, f"missing families: {sorted(FAMILIES - families)}"
    for code in CES_CODES:
        alone = [
            c
            for c in CASES
            if c.findings.get(code) is True
            and not any(c.findings.get(o) is True for o in CES_CODES if o != code)
        ]
        assert any(c.disposition is Disposition.EMERGENCY for c in alone), code
    combined = [c for c in CASES if sum(c.findings.get(o) is True for o in CES_CODES) >= 2]
    assert len(combined) >= 4
    ages = [c.findings["age"] for c in CASES if "age" in c.findings]
    assert min(ages) <= 18 and max(ages) >= 90
    sexes = {c.findings.get("sex") for c in CASES}
    assert {"female", "male", "other"} <= sexes
    # 'Unknown' cases: very few findings given.
    assert sum(len(c.findings) <= 2 for c in CASES) >= 8


def test_safety_metrics_arithmetic() -> None:
    """The metric helper counts under/over-triage and sensitivity the way the docs say."""
    e, u, s = Disposition.EMERGENCY, Disposition.URGENT, Disposition.SELF_CARE
    m = safety_metrics([("a", e, e), ("b", e, u), ("c", s, s), ("d", s, e), ("e", u, u)])
    assert (m.n, m.correct) == (5, 3)
    assert m.under_triaged == ("b",)
    assert m.over_triaged == ("d",)
    assert m.emergency_sensitivity == pytest.approx(0.5)
    assert m.self_care_accuracy == pytest.approx(0.5)
    assert m.self_care_to_emergency_rate == pytest.approx(0.5)
    assert "under-triaged             1" in m.table()


# --------------------------------------------------------------------------- the engine


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_vignette(case: Case) -> None:
    """Exact disposition, and the expected red flags among the output red flags."""
    got = outcome_of(case.id)
    context = (
        f"\n{case.id}: {case.title}\nstory: {case.story}\nfindings: {dict(case.findings)}"
        f"\nexpected {case.disposition.code} {list(case.red_flags)}"
        f"\ngot      {got.disposition.code} {list(got.red_flags)}\nrules: {list(got.rules)}"
        f"\nsource: {case.source}" + (f"\nnotes: {case.notes}" if case.notes else "")
    )
    assert got.disposition is case.disposition, context
    missing = set(case.red_flags) - set(got.red_flags)
    assert not missing, f"missing red flags {sorted(missing)}" + context


def test_safety_summary() -> None:
    """Whole-suite figures against clinical.md §2.1's targets; prints the table (-s).

    A case on which the engine raises is reported as a crash (the person would get
    no advice at all) and fails this test too; the other figures are still printed.
    """
    triples: list[tuple[str, Disposition, Disposition]] = []
    crashed: list[str] = []
    for case in CASES:
        try:
            triples.append((case.id, case.disposition, outcome_of(case.id).disposition))
        except pytest.skip.Exception:
            raise
        except Exception as exc:  # any engine failure is a finding to report
            crashed.append(f"{case.id} ({type(exc).__name__}: {exc})")
    metrics = safety_metrics(triples)
    report = metrics.table() + f"\ncrashed                   {len(crashed)} {crashed}"
    print("\n" + report)
    assert not crashed, report
    assert metrics.emergency_sensitivity == TARGET_EMERGENCY_SENSITIVITY, report
    assert not metrics.under_triaged, report
    assert metrics.accuracy >= TARGET_EXACT_ACCURACY, report
    assert metrics.self_care_accuracy >= TARGET_SELF_CARE_ACCURACY, report
    assert metrics.self_care_to_emergency_rate <= TARGET_SELF_CARE_TO_EMERGENCY, report


NOISY_CASES = [c for c in CASES if any(code in c.findings for code in NOISE_CODES)]


@pytest.mark.parametrize("case", NOISY_CASES, ids=[c.id for c in NOISY_CASES])
def test_noise_alone_never_changes_the_level(case: Case) -> None:
    """clinical.md §1.2: removing the noise codes leaves the engine's level unchanged.

    The noise never raises the level, and a reassuring noise (a pop with relief)
    never lowers it (design.md decision 2).  This compares the engine with itself,
    so it isolates the property from any disagreement about the case's level.
    Every case was also written so that its expected level rests on the
    accompanying symptoms, never on the kind of noise.
    """
    stripped = {k: v for k, v in case.findings.items() if k not in NOISE_CODES}
    with_noise = outcome_of(case.id)
    without = run(stripped)
    assert without.disposition is with_noise.disposition, (
        f"{case.id}: with {sorted(set(case.findings) - set(stripped))} the engine says "
        f"{with_noise.disposition.code}, without them {without.disposition.code}"
    )


CASES_WITH_NO = [c for c in CASES if any(v is False for v in c.findings.values())]


@pytest.mark.parametrize("case", CASES_WITH_NO, ids=[c.id for c in CASES_WITH_NO])
def test_unknown_is_never_more_reassuring_than_no(case: Case) -> None:
    """contracts.md §1: turning explicit 'no' answers into unknowns never lowers urgency."""
    answered = outcome_of(case.id)
    unknown = run({k: v for k, v in case.findings.items() if v is not False})
    assert unknown.disposition >= answered.disposition, (
        f"{case.id}: with the 'no' answers left out the engine says {unknown.disposition.code}, "
        f"less urgent than {answered.disposition.code} with them"
    )


def test_every_rule_has_vignettes_that_fire_it_and_that_do_not() -> None:
    """style.md house rule 5: each triage rule is fired by some vignette and not by another.

    Rule ids come from the loaded rule book and fired rules from each assessment's
    reasons; the cases were written before this test existed (see docs/vignettes.md).
    """
    rulebook = pytest.importorskip("crepitus.triage.rulebook").load_rulebook()
    fired: Counter[str] = Counter()
    for case in CASES:
        fired.update(set(outcome_of(case.id).rules))
    never = sorted(r.id for r in rulebook.rules if fired[r.id] == 0)
    always = sorted(r.id for r in rulebook.rules if fired[r.id] == len(CASES))
    assert not never, f"rules no vignette fires: {never}"
    assert not always, f"rules every vignette fires: {always}"
