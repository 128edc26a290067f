"""Alembic migrations, shipped inside the package and run on open (upgrade to head).

``env.py`` runs on a connection handed over by the repository (which holds the
database's write lock while it runs), so migrations need no configuration file;
``alembic -c`` works for developers through ``sqlalchemy.url`` as well.
"""
