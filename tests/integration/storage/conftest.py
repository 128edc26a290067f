"""Every storage test runs on SQLite, and on PostgreSQL when CREPITUS_TEST_POSTGRES_URL is set.

PostgreSQL isolation: each test gets its own fresh schema (selected through
the connection's ``search_path``) that is dropped afterwards, so tests never
see each other's rows and may run in parallel.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from crepitus.storage.settings import StorageSettings

PG_ENV = "CREPITUS_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")


def _pg_base_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "postgresql" and _pg_base_url() is None:
        pytest.skip(f"{PG_ENV} is not set: PostgreSQL half skipped (CI sets it via .ci/run)")
    return name


@pytest.fixture
def db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A SQLAlchemy URL of an empty database of the requested backend."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'diary.sqlite3'}"
        return
    import sqlalchemy as sa

    base = _pg_base_url()
    assert base is not None
    schema = f"t_{secrets.token_hex(6)}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> StorageSettings:
    path = tmp_path / "diary.sqlite3" if db_url.startswith("sqlite") else None
    return StorageSettings(url=db_url, sqlite_path=path, timeout_s=10.0)


@pytest.fixture
def db_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point CREPITUS_DATABASE_URL at the test database (in-process and subprocesses)."""
    monkeypatch.setenv("CREPITUS_DATABASE_URL", db_url)
    return db_url
