"""What a person reports: the findings vocabulary and validated findings documents."""

from __future__ import annotations

from crepitus.findings.document import SCHEMA, Findings, parse_findings, parse_findings_json
from crepitus.findings.vocabulary import FindingDef, Value, Vocabulary, load_vocabulary

__all__ = [
    "SCHEMA",
    "FindingDef",
    "Findings",
    "Value",
    "Vocabulary",
    "load_vocabulary",
    "parse_findings",
    "parse_findings_json",
]
