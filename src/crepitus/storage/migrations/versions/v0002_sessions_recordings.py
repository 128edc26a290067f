"""Exercise sessions and recordings; episodes gain symptom findings and a logged-at time.

Existing episodes keep every value: ``findings`` is back-filled with ``{}``
(nothing reported) and ``logged_at`` with the episode's own time (the best
estimate of when an old entry was written) before both become NOT NULL.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def _episodes_0001() -> sa.Table:
    """The 0001 table spelled out, so SQLite's copy-and-move keeps its CHECK constraints."""
    return sa.Table(
        "episodes",
        sa.MetaData(),
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("when_utc", sa.DateTime(), nullable=False),
        sa.Column("utc_offset_min", sa.Integer(), nullable=False),
        sa.Column("sound", sa.String(8), nullable=False),
        sa.Column("pain", sa.SmallInteger(), nullable=False),
        sa.Column("activity", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint("pain >= 0 AND pain <= 10", name="ck_episodes_pain_range"),
        sa.CheckConstraint(
            "sound IN ('pop', 'snap', 'grind', 'none')", name="ck_episodes_sound_kind"
        ),
        sa.Index("ix_episodes_when_utc", "when_utc"),
    )


def upgrade() -> None:
    op.add_column("episodes", sa.Column("findings", sa.JSON(), nullable=True))
    op.add_column("episodes", sa.Column("logged_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE episodes SET findings = '{}', logged_at = when_utc")
    with op.batch_alter_table("episodes", copy_from=_with_new_columns()) as batch:
        batch.alter_column("findings", existing_type=sa.JSON(), nullable=False)
        batch.alter_column("logged_at", existing_type=sa.DateTime(), nullable=False)

    op.create_table(
        "exercise_sessions",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("exercise_id", sa.String(64), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
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
    op.create_index("ix_exercise_sessions_done_on", "exercise_sessions", ["done_on"])
    op.create_table(
        "recordings",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.Column("analysis", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_index("ix_recordings_recorded_at", "recordings", ["recorded_at"])


def _with_new_columns() -> sa.Table:
    table = _episodes_0001()
    table.append_column(sa.Column("findings", sa.JSON(), nullable=True))
    table.append_column(sa.Column("logged_at", sa.DateTime(), nullable=True))
    return table


def downgrade() -> None:
    op.drop_index("ix_recordings_recorded_at", table_name="recordings")
    op.drop_table("recordings")
    op.drop_index("ix_exercise_sessions_done_on", table_name="exercise_sessions")
    op.drop_table("exercise_sessions")
    with op.batch_alter_table("episodes", copy_from=_with_new_columns()) as batch:
        batch.drop_column("logged_at")
        batch.drop_column("findings")
