"""The diary's tables at the current schema revision (SQLAlchemy Core).

This is the *head* schema, used by the repository to build queries.  The
migrations in ``migrations/versions`` never import it: each spells out its own
step, so an old migration keeps meaning what it meant.  A test compares this
metadata with the database Alembic builds, so the two cannot drift.

Times are stored as naive UTC ``DateTime`` plus, for episodes, the person's UTC
offset in minutes: portable across SQLite and PostgreSQL, sortable, and the
local clock time they logged can be shown back unchanged.
"""

from __future__ import annotations

import sqlalchemy as sa

HEAD_REVISION = "0002"
"""The newest migration; the repository upgrades every database it opens to it."""

metadata = sa.MetaData()

episodes = sa.Table(
    "episodes",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("when_utc", sa.DateTime(), nullable=False, index=True),
    sa.Column("utc_offset_min", sa.Integer(), nullable=False),
    sa.Column("sound", sa.String(8), nullable=False),
    sa.Column("pain", sa.SmallInteger(), nullable=False),
    sa.Column("activity", sa.Text(), nullable=False),
    sa.Column("note", sa.Text(), nullable=False),
    sa.Column("findings", sa.JSON(), nullable=False),
    sa.Column("logged_at", sa.DateTime(), nullable=False),
    sa.CheckConstraint("pain >= 0 AND pain <= 10", name="ck_episodes_pain_range"),
    sa.CheckConstraint("sound IN ('pop', 'snap', 'grind', 'none')", name="ck_episodes_sound_kind"),
)

assessments = sa.Table(
    "assessments",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("recorded_at", sa.DateTime(), nullable=False, index=True),
    sa.Column("disposition", sa.String(16), nullable=False),
    sa.Column("red_flags", sa.JSON(), nullable=False),
    sa.Column("findings", sa.JSON(), nullable=False),
    sa.Column("document", sa.JSON(), nullable=False),
    sa.Column("source", sa.String(32), nullable=False),
)

exercise_sessions = sa.Table(
    "exercise_sessions",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("exercise_id", sa.String(64), nullable=False),
    sa.Column("done_on", sa.Date(), nullable=False, index=True),
    sa.Column("sets", sa.Integer(), nullable=False),
    sa.Column("reps", sa.Integer(), nullable=True),
    sa.Column("hold_s", sa.Float(), nullable=True),
    sa.Column("pain_during", sa.SmallInteger(), nullable=False),
    sa.Column("pain_next_morning", sa.SmallInteger(), nullable=True),
    sa.Column("baseline_pain", sa.SmallInteger(), nullable=True),
    sa.Column("leg_symptoms_spread", sa.Boolean(), nullable=False),
    sa.Column("logged_at", sa.DateTime(), nullable=False),
    sa.CheckConstraint("pain_during >= 0 AND pain_during <= 10", name="ck_sessions_pain_range"),
)

recordings = sa.Table(
    "recordings",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("recorded_at", sa.DateTime(), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("file_name", sa.Text(), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=True),
    sa.Column("duration_s", sa.Float(), nullable=True),
    sa.Column("analysis", sa.JSON(), nullable=False),
    sa.Column("note", sa.Text(), nullable=False),
)
