"""The symptom diary: popping episodes, exercise sessions, assessments, recordings, trends.

Domain side only — no SQLAlchemy here.  :mod:`~crepitus.diary.types` holds the
value types, :mod:`~crepitus.diary.service` the workflows the CLI and web app
call, :mod:`~crepitus.diary.trends` the weekly summaries and plots,
:mod:`~crepitus.diary.retriage` the "something changed, re-assess" check and
:mod:`~crepitus.diary.export` CSV/JSON exports and backup/restore.  Storage is
reached through :func:`crepitus.diary.service.open_diary`.
"""
