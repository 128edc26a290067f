"""Architecture invariants (ARCHITECTURE.md): layers go one way, toolkits stay at the edges."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "crepitus"

CORE = (
    "findings",
    "knowledge",
    "triage",
    "mechanism",
    "questionnaire",
    "acoustics",
    "motion",
    "synth",
    "plan",
    "intake",
    "fusion",
)
ADAPTERS_AND_STORAGE = ("cli", "web", "storage", "diary", "report", "batch")
# Which top-level third-party modules each package may import.
ONLY_IN = {
    "sqlalchemy": ("storage",),
    "alembic": ("storage",),
    "rich": ("cli",),
    "fastapi": ("web",),
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def package_files(package: str) -> list[Path]:
    base = SRC / package
    return sorted(base.rglob("*.py")) if base.is_dir() else []


@pytest.mark.parametrize("package", CORE)
def test_core_never_imports_adapters_or_storage(package: str) -> None:
    bad = []
    for path in package_files(package):
        for name in imports_of(path):
            parts = name.split(".")
            if parts[0] == "crepitus" and len(parts) > 1 and parts[1] in ADAPTERS_AND_STORAGE:
                bad.append(f"{path.relative_to(SRC)} imports {name}")
    assert bad == []


@pytest.mark.parametrize("module", sorted(ONLY_IN))
def test_toolkits_stay_in_their_layer(module: str) -> None:
    allowed = ONLY_IN[module]
    bad = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] in allowed:
            continue
        if any(n == module or n.startswith(module + ".") for n in imports_of(path)):
            bad.append(str(rel))
    assert bad == []


def test_domain_errors_and_dsp_are_leaf_modules() -> None:
    for name in ("domain.py", "errors.py", "dsp.py"):
        crepitus_imports = {n for n in imports_of(SRC / name) if n.startswith("crepitus")}
        assert crepitus_imports <= {"crepitus.errors"}, name
