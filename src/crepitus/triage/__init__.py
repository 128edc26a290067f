"""Deterministic triage: rules over findings → disposition, red flags, reasons."""

from __future__ import annotations

from crepitus.triage.engine import TriageResult, open_questions, triage
from crepitus.triage.rulebook import Rule, RuleBook, load_rulebook

__all__ = ["Rule", "RuleBook", "TriageResult", "load_rulebook", "open_questions", "triage"]
