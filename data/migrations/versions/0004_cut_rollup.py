"""person-free work per month × cut × role (cost per cut, AI cut share, adoption effect)

Existing databases get an empty table: run ``python -m data.rollup --database-url URL`` once after upgrading.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 02:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rollup_cut_month",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("month_start", sa.Date(), nullable=False),
        sa.Column("production_id", sa.Integer(), nullable=True),
        sa.Column("episode_id", sa.Integer(), nullable=True),
        sa.Column("cut_id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("ai_minutes", sa.Float(), nullable=False),
        sa.Column("ai_sessions", sa.Integer(), nullable=False, comment="work logs with an AI-assisted fraction > 0"),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cut_id"], ["cut.id"], name=op.f("fk_rollup_cut_month_cut_id_cut"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["episode_id"], ["episode.id"], name=op.f("fk_rollup_cut_month_episode_id_episode"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["production_id"],
            ["production.id"],
            name=op.f("fk_rollup_cut_month_production_id_production"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["role_id"], ["role.id"], name=op.f("fk_rollup_cut_month_role_id_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_cut_month")),
    )
    with op.batch_alter_table("rollup_cut_month", schema=None) as batch_op:
        batch_op.create_index("ix_rollup_cut_month_month", ["month_start"], unique=False)
        batch_op.create_index("ix_rollup_cut_month_production", ["production_id", "month_start"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("rollup_cut_month", schema=None) as batch_op:
        batch_op.drop_index("ix_rollup_cut_month_production")
        batch_op.drop_index("ix_rollup_cut_month_month")
    op.drop_table("rollup_cut_month")
