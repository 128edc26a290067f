"""Shared fixtures: folder → marker, a seeded RNG, hypothesis profiles, an isolated home."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

_FOLDER_MARKERS = ("unit", "integration", "properties", "vignettes", "e2e")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The folder a test lives in sets its marker (``pytest -m unit`` etc.)."""
    for item in items:
        parts = Path(str(item.fspath)).parts
        for name in _FOLDER_MARKERS:
            if name in parts:
                item.add_marker(getattr(pytest.mark, name))


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded generator: tests are deterministic."""
    return np.random.default_rng(440)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own CREPITUS_HOME so nothing touches the user's diary."""
    home = tmp_path / "crepitus-home"
    monkeypatch.setenv("CREPITUS_HOME", str(home))
    monkeypatch.delenv("CREPITUS_DATABASE_URL", raising=False)
    return home


@pytest.fixture(scope="session")
def screen_all_no() -> dict[str, bool]:
    """Every yes/no warning-sign question answered "no": a complete screen.

    Only then may a result reassure (``triage.no-warning-signs``) or plan loading
    exercises (docs/safety.md H06, H10).
    """
    from crepitus.findings import load_vocabulary

    return dict.fromkeys(load_vocabulary().screen_questions, False)
