"""Mechanism reasoning: one documented Bayesian model over reported and recorded evidence."""

from __future__ import annotations

from crepitus.mechanism.model import MechanismModel, explain, load_model

__all__ = ["MechanismModel", "explain", "load_model"]
