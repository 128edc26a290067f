"""Alembic environment: migrate the connection the repository hands over.

The repository opens a connection, takes the write lock (``BEGIN IMMEDIATE``
on SQLite, an advisory lock on PostgreSQL) and calls ``alembic upgrade head``
with the connection in ``config.attributes["connection"]``; all steps then run
inside that one transaction, so a crash or a concurrent first start can never
leave a half-migrated diary.  ``render_as_batch`` lets SQLite alter tables by
copying them, the only way it can change a column.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from crepitus.storage.tables import metadata

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # pragma: no cover - developer use: `alembic -x` with a URL
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set sqlalchemy.url to the database to migrate")
    engine = create_engine(url)
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        context.run_migrations()
    engine.dispose()
else:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()
