"""Where the diary lives: one SQLAlchemy URL, SQLite in the user's data folder by default.

Resolution order (contracts §7):

1. ``CREPITUS_DATABASE_URL`` — any SQLAlchemy URL (``sqlite:///…`` or
   ``postgresql+psycopg://…``); a bare ``postgresql://`` means psycopg 3,
   the only PostgreSQL driver we ship.
2. otherwise SQLite at ``$CREPITUS_HOME/diary.sqlite3``, where ``CREPITUS_HOME``
   defaults to the XDG data directory (``$XDG_DATA_HOME/crepitus``, i.e.
   ``~/.local/share/crepitus``), so the main job works with no setup.

Privacy: the default is a local file readable only by its owner (folder 0700,
file 0600); nothing is sent anywhere.  ``CREPITUS_DATABASE_TIMEOUT_S`` (default
10 s) is how long a writer waits for another writer before giving up with a
"database is locked" message.

This module does not import SQLAlchemy, so settings can be shown cheaply.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from crepitus.errors import InvalidInputError

URL_ENV = "CREPITUS_DATABASE_URL"
HOME_ENV = "CREPITUS_HOME"
TIMEOUT_ENV = "CREPITUS_DATABASE_TIMEOUT_S"
DB_FILE_NAME = "diary.sqlite3"
DEFAULT_TIMEOUT_S = 10.0
"""Long enough to ride out another writer's transaction (each is a single row,
milliseconds), short enough that a stuck lock is reported rather than hanging."""


def crepitus_home() -> Path:
    """The folder for crepitus' own data (``CREPITUS_HOME`` or the XDG data dir)."""
    explicit = os.environ.get(HOME_ENV)
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "crepitus"


@dataclass(frozen=True, slots=True)
class StorageSettings:
    """A resolved database location.

    Attributes
    ----------
    url
        The SQLAlchemy URL to connect to (may contain a password: never print
        it; use :attr:`display_url`).
    sqlite_path
        The database file for file-backed SQLite, else ``None``.
    timeout_s
        How long to wait for a lock held by another writer.
    """

    url: str
    sqlite_path: Path | None
    timeout_s: float = DEFAULT_TIMEOUT_S

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def is_postgresql(self) -> bool:
        return self.url.startswith("postgresql")

    @property
    def display_url(self) -> str:
        """The URL with any password masked, for messages."""
        if self.sqlite_path is not None:
            return str(self.sqlite_path)
        scheme, sep, rest = self.url.partition("://")
        if not sep or "@" not in rest:
            return self.url
        creds, _, host = rest.rpartition("@")
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else f"{scheme}://{creds}@{host}"


def _normalise_url(url: str) -> str:
    for bare in ("postgresql://", "postgres://"):
        if url.startswith(bare):
            return "postgresql+psycopg://" + url[len(bare) :]
    return url


def _sqlite_file(url: str) -> Path | None:
    """The file behind a ``sqlite:///path`` URL (``None`` for in-memory databases)."""
    prefix = url.split("?", 1)[0]
    for scheme in ("sqlite+pysqlite:///", "sqlite:///"):
        if prefix.startswith(scheme):
            rest = prefix[len(scheme) :]
            if rest in ("", ":memory:"):
                return None
            return Path(rest)
    return None


def _timeout_s() -> float:
    raw = os.environ.get(TIMEOUT_ENV)
    if not raw:
        return DEFAULT_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        raise InvalidInputError(
            f"{TIMEOUT_ENV} must be a number of seconds between 0 and 3600, got {raw!r}"
        )
    return value


def resolve_settings() -> StorageSettings:
    """Read the environment and return where the diary lives.

    Raises
    ------
    InvalidInputError
        If ``CREPITUS_DATABASE_URL`` names a database kind we do not support.
    """
    timeout_s = _timeout_s()
    raw = os.environ.get(URL_ENV, "").strip()
    if raw:
        url = _normalise_url(raw)
        if not (url.startswith(("sqlite", "postgresql"))):
            scheme = url.split(":", 1)[0]
            raise InvalidInputError(
                f"{URL_ENV} uses unsupported database {scheme!r}; "
                "use sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST/DB"
            )
        return StorageSettings(url=url, sqlite_path=_sqlite_file(url), timeout_s=timeout_s)
    path = crepitus_home() / DB_FILE_NAME
    return StorageSettings(url=f"sqlite:///{path}", sqlite_path=path, timeout_s=timeout_s)
