"""Hypothesis strategies: valid findings documents over the whole vocabulary."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from crepitus.findings import FindingDef, load_vocabulary

VOCAB = load_vocabulary()
BOOLEAN_CODES = [c for c, d in VOCAB.definitions.items() if d.type == "boolean"]
SCREEN_BOOLEANS = [c for c in BOOLEAN_CODES if VOCAB[c].screen]


def _value(defn: FindingDef) -> st.SearchStrategy[Any]:
    if defn.type == "boolean":
        return st.booleans()
    if defn.type == "choice":
        return st.sampled_from(defn.choices)
    assert defn.min is not None and defn.max is not None
    # Bias towards small, clinically interesting values while covering the whole range.
    interesting = st.integers(defn.min, min(defn.max, 100))
    return st.one_of(interesting, st.integers(defn.min, defn.max))


@st.composite
def findings_values(draw: st.DrawFn, *, density: float | None = None) -> dict[str, Any]:
    """A random valid findings mapping; each code present with probability ``density``."""
    p = density if density is not None else draw(st.sampled_from([0.05, 0.2, 0.5, 0.9]))
    out: dict[str, Any] = {}
    for code, defn in VOCAB.definitions.items():
        if draw(st.floats(0, 1)) < p:
            out[code] = draw(_value(defn))
    return out
