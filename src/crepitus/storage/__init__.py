"""The diary's storage: the only package that imports SQLAlchemy and Alembic.

:func:`open_repository` resolves :mod:`~crepitus.storage.settings`, opens the
database, upgrades it to the newest schema and returns a
:class:`~crepitus.storage.repository.DiaryRepository`: domain objects in, domain
objects out.  Importing this package is cheap; SQLAlchemy loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from crepitus.storage.repository import DiaryRepository, SqlDiaryRepository, open_repository
    from crepitus.storage.settings import StorageSettings, resolve_settings

__all__ = [
    "DiaryRepository",
    "SqlDiaryRepository",
    "StorageSettings",
    "open_repository",
    "resolve_settings",
]

_LAZY = {
    "DiaryRepository": "crepitus.storage.repository",
    "SqlDiaryRepository": "crepitus.storage.repository",
    "open_repository": "crepitus.storage.repository",
    "StorageSettings": "crepitus.storage.settings",
    "resolve_settings": "crepitus.storage.settings",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'crepitus.storage' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)
