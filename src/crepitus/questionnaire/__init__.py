"""The adaptive questionnaire.

Lay questions, only what can change the answer, never skipping the red-flag screen.
"""

from __future__ import annotations

from crepitus.questionnaire.flow import Question, Questionnaire, load_steps

__all__ = ["Question", "Questionnaire", "load_steps"]
