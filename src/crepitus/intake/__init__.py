"""Free-text intake: how people describe it → a findings document, with the words as evidence.

``extract(text)`` (alias ``prefill``) returns an :class:`IntakeResult`:
``findings`` (present → true, explicitly denied → false, everything else
unknown), ``spans`` (which words produced each value, with the rule id),
``ignored`` (mentions deliberately not used: hedged, someone else's, past),
``understood`` and ``notes``.  Knowledge lives in
``knowledge/data/intake_lexicon.yaml`` and ``intake_context.yaml``.
"""

from __future__ import annotations

from crepitus.intake.confirm import confirmation_lines
from crepitus.intake.extract import (
    IgnoredSpan,
    IntakeExtractor,
    IntakeResult,
    IntakeSpan,
    extract,
    prefill,
    red_flag_codes,
)

__all__ = [
    "IgnoredSpan",
    "IntakeExtractor",
    "IntakeResult",
    "IntakeSpan",
    "confirmation_lines",
    "extract",
    "prefill",
    "red_flag_codes",
]
