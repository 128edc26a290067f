"""The knowledge base: versioned data files with provenance, and their strict loaders.

Knowledge (the findings vocabulary, triage rules, likelihood ratios, explanations)
lives in ``crepitus/knowledge/data/*.yaml`` so that a clinician can review it
without reading Python, and every conclusion can point back to the entry and
the source that produced it.  Loaders reject unknown keys and entries without a
``source``: an incomplete rule book must never silently produce an answer.
"""

from __future__ import annotations

from crepitus.knowledge.files import load_data_file

__all__ = ["load_data_file"]
