"""Initial schema: popping episodes and stored assessments.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "episodes",
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
    )
    op.create_index("ix_episodes_when_utc", "episodes", ["when_utc"])
    op.create_table(
        "assessments",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("disposition", sa.String(16), nullable=False),
        sa.Column("red_flags", sa.JSON(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
    )
    op.create_index("ix_assessments_recorded_at", "assessments", ["recorded_at"])


def downgrade() -> None:
    op.drop_index("ix_assessments_recorded_at", table_name="assessments")
    op.drop_table("assessments")
    op.drop_index("ix_episodes_when_utc", table_name="episodes")
    op.drop_table("episodes")
