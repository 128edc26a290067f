"""Where the diary lives: CREPITUS_DATABASE_URL, CREPITUS_HOME, XDG, and their checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from crepitus.errors import InvalidInputError
from crepitus.storage.settings import DEFAULT_TIMEOUT_S, StorageSettings, resolve_settings


def test_default_is_sqlite_in_crepitus_home(_isolated_home: Path) -> None:
    settings = resolve_settings()
    assert settings.sqlite_path == _isolated_home / "diary.sqlite3"
    assert settings.url == f"sqlite:///{_isolated_home / 'diary.sqlite3'}"
    assert settings.is_sqlite and not settings.is_postgresql
    assert settings.timeout_s == DEFAULT_TIMEOUT_S


def test_without_crepitus_home_the_xdg_data_dir_is_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CREPITUS_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_settings().sqlite_path == tmp_path / "xdg" / "crepitus" / "diary.sqlite3"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "me"))
    expected = tmp_path / "me" / ".local" / "share" / "crepitus" / "diary.sqlite3"
    assert resolve_settings().sqlite_path == expected


def test_database_url_wins_and_bare_postgresql_means_psycopg(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CREPITUS_DATABASE_URL", "postgresql://me:pw@db.example/diary")
    settings = resolve_settings()
    assert settings.url == "postgresql+psycopg://me:pw@db.example/diary"
    assert settings.sqlite_path is None and settings.is_postgresql
    assert settings.display_url == "postgresql+psycopg://me:***@db.example/diary"
    monkeypatch.setenv("CREPITUS_DATABASE_URL", "sqlite:////tmp/x/d.sqlite3")
    assert resolve_settings().sqlite_path == Path("/tmp/x/d.sqlite3")


@pytest.mark.parametrize("url", ["mysql://u@h/db", "mongodb://h", "diary.sqlite3"])
def test_unsupported_databases_are_refused(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("CREPITUS_DATABASE_URL", url)
    with pytest.raises(InvalidInputError, match="unsupported database"):
        resolve_settings()


@pytest.mark.parametrize("raw", ["-1", "abc", "99999"])
def test_bad_timeouts_are_refused(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("CREPITUS_DATABASE_TIMEOUT_S", raw)
    with pytest.raises(InvalidInputError, match="CREPITUS_DATABASE_TIMEOUT_S"):
        resolve_settings()


def test_display_url_without_password() -> None:
    s = StorageSettings(url="postgresql+psycopg://me@localhost/db", sqlite_path=None)
    assert s.display_url == "postgresql+psycopg://me@localhost/db"


def test_only_the_storage_layer_imports_sqlalchemy() -> None:
    """House rule: the diary's domain side and the CLI modules never import SQLAlchemy."""
    import crepitus

    root = Path(crepitus.__file__).parent
    offenders = []
    for path in [*root.joinpath("diary").glob("*.py"), *root.joinpath("cli").rglob("*.py")]:
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(
                ("import sqlalchemy", "from sqlalchemy", "import alembic", "from alembic")
            ):
                offenders.append(f"{path.name}: {stripped}")
    assert offenders == []
