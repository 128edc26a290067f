"""The mechanism model: which physical process most probably makes the noise.

One explicit naive-Bayes model (priors and likelihoods in
``knowledge/data/mechanism.yaml``, each with its source)::

    P(m | e_1..e_n) ∝ P(m) · Π_i P(e_i | m)

Reported findings become :class:`~crepitus.domain.Evidence` through the table;
recordings (sound classes, gait-phase locking) arrive as further ``Evidence``
objects and go through the very same update — one model, more evidence.
With no evidence the prior is returned, and its largest share is
``undetermined``: no evidence, no guess.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from crepitus.domain import MECHANISMS, Evidence, Reason
from crepitus.errors import KnowledgeBaseError
from crepitus.findings.vocabulary import load_vocabulary
from crepitus.knowledge.files import check_keys, load_data_file


@dataclass(frozen=True)
class _BooleanEntry:
    id: str
    code: str
    source: str
    text: Mapping[bool, str]
    likelihood: Mapping[bool, Mapping[str, float]]


@dataclass(frozen=True)
class _AgeBins:
    id: str
    code: str
    text: str
    source: str
    bins: tuple[tuple[int, Mapping[str, float]], ...]


@dataclass(frozen=True)
class MechanismModel:
    """Priors and the finding → likelihood table (validated)."""

    version: str
    prior: Mapping[str, float]
    prior_source: str
    entries: tuple[_BooleanEntry, ...]
    age: _AgeBins

    def evidence_from_findings(self, values: Mapping[str, Any]) -> list[Evidence]:
        """Evidence objects for the findings that the table knows and that are answered."""
        out: list[Evidence] = []
        for e in self.entries:
            value = values.get(e.code)
            if isinstance(value, bool):
                out.append(
                    Evidence(
                        id=e.id,
                        description=e.text[value],
                        likelihood=e.likelihood[value],
                        source=e.source,
                    )
                )
        age = values.get(self.age.code)
        if isinstance(age, int) and not isinstance(age, bool):
            for upper, lik in self.age.bins:
                if age < upper:
                    out.append(
                        Evidence(
                            id=self.age.id,
                            description=f"{self.age.text} (age {age})",
                            likelihood=lik,
                            source=self.age.source,
                        )
                    )
                    break
        return out

    def posterior(self, evidence: Iterable[Evidence]) -> tuple[tuple[str, float], ...]:
        """Posterior over :data:`~crepitus.domain.MECHANISMS`, most probable first.

        Computed in log space; probabilities sum to 1.
        """
        log_p = {m: math.log(self.prior[m]) for m in MECHANISMS}
        for ev in evidence:
            for m in MECHANISMS:
                log_p[m] += math.log(ev.likelihood[m])
        top = max(log_p.values())
        weights = {m: math.exp(v - top) for m, v in log_p.items()}
        total = sum(weights.values())
        ranked = sorted(((m, w / total) for m, w in weights.items()), key=lambda x: -x[1])
        return tuple(ranked)


def explain(
    evidence: Sequence[Evidence], top: str, *, limit: int = 3, min_log_ratio: float = 0.4
) -> tuple[Reason, ...]:
    """The evidence that most favoured the ``top`` mechanism, as reasons.

    An item counts if it makes ``top`` more likely than the average alternative
    by at least ``exp(min_log_ratio)`` (≈1.5×): weak nudges are not reasons.
    """
    scored: list[tuple[float, Evidence]] = []
    for ev in evidence:
        others = [ev.likelihood[m] for m in MECHANISMS if m != top]
        ratio = math.log(ev.likelihood[top]) - math.log(sum(others) / len(others))
        if ratio >= min_log_ratio:
            scored.append((ratio, ev))
    scored.sort(key=lambda x: -x[0])
    return tuple(
        Reason(rule=ev.id, source=ev.source, text=ev.description, kind=ev.kind)
        for _, ev in scored[:limit]
    )


def _likelihood(raw: Any, where: str) -> dict[str, float]:
    if not isinstance(raw, Mapping) or set(raw) != set(MECHANISMS):
        raise KnowledgeBaseError(f"{where}: likelihoods must name exactly {MECHANISMS}")
    out = {m: float(raw[m]) for m in MECHANISMS}
    if not all(0.0 < p <= 1.0 for p in out.values()):
        raise KnowledgeBaseError(f"{where}: likelihoods must lie in (0, 1]")
    return out


def parse_model(doc: Mapping[str, Any]) -> MechanismModel:
    """Validate the decoded ``mechanism.yaml``."""
    check_keys(
        doc,
        where="mechanism.yaml",
        required=("schema", "version", "mechanisms", "prior", "evidence", "age_bins"),
    )
    if tuple(doc["mechanisms"]) != MECHANISMS:
        raise KnowledgeBaseError(f"mechanism.yaml: mechanisms must be {MECHANISMS}")
    prior_raw = doc["prior"]
    check_keys(
        prior_raw, where="mechanism.yaml prior", required=("probabilities", "rationale", "source")
    )
    prior = _likelihood(prior_raw["probabilities"], "prior")
    if abs(sum(prior.values()) - 1.0) > 1e-9:
        raise KnowledgeBaseError("mechanism.yaml: prior probabilities must sum to 1")
    if max(prior, key=lambda m: prior[m]) != "undetermined":
        raise KnowledgeBaseError("mechanism.yaml: without evidence 'undetermined' must lead")
    vocab = load_vocabulary()
    entries: list[_BooleanEntry] = []
    for raw in doc["evidence"]:
        where = f"mechanism.yaml {raw.get('id', '?')}"
        check_keys(raw, where=where, required=("id", "code", "likelihood", "source"))
        if raw["code"] not in vocab or vocab[raw["code"]].type != "boolean":
            raise KnowledgeBaseError(f"{where}: {raw['code']!r} is not a boolean finding")
        lik = raw["likelihood"]
        check_keys(lik, where=where, required=("true", "false"))
        for answer in ("true", "false"):
            check_keys(lik[answer], where=f"{where} {answer}", required=("text", "given"))
        entries.append(
            _BooleanEntry(
                id=raw["id"],
                code=raw["code"],
                source=raw["source"],
                text={True: str(lik["true"]["text"]), False: str(lik["false"]["text"])},
                likelihood={
                    True: _likelihood(lik["true"]["given"], where),
                    False: _likelihood(lik["false"]["given"], where),
                },
            )
        )
    a = doc["age_bins"]
    check_keys(
        a, where="mechanism.yaml age_bins", required=("id", "code", "text", "bins", "source")
    )
    bins = tuple((int(b["below"]), _likelihood(b["likelihood"], "age_bins")) for b in a["bins"])
    if [u for u, _ in bins] != sorted(u for u, _ in bins):
        raise KnowledgeBaseError("mechanism.yaml: age bins must be in increasing order")
    return MechanismModel(
        version=str(doc["version"]),
        prior=prior,
        prior_source=str(prior_raw["source"]),
        entries=tuple(entries),
        age=_AgeBins(id=a["id"], code=a["code"], text=a["text"], source=a["source"], bins=bins),
    )


@functools.cache
def load_model() -> MechanismModel:
    """The packaged mechanism model (validated once per process)."""
    return parse_model(load_data_file("mechanism.yaml"))
