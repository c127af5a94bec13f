"""dashboard rollups: person × week, person-free pay cells with AI-apportioned pay, minimum-wage shortfall per
person-month

Existing databases get empty new tables and zero shortfalls: run ``python -m data.rollup --database-url URL`` once
after upgrading (the migration does not call application code, which may change after it).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 02:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rollup_person_week",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False, comment="a Sunday"),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("night_minutes", sa.Integer(), nullable=False),
        sa.Column("holiday_minutes", sa.Integer(), nullable=False),
        sa.Column("days_worked", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_rollup_person_week_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", "week_start", name=op.f("pk_rollup_person_week")),
    )
    with op.batch_alter_table("rollup_person_week", schema=None) as batch_op:
        batch_op.create_index("ix_rollup_person_week_week", ["week_start", "person_id"], unique=False)

    op.create_table(
        "rollup_pay_cell",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("month_start", sa.Date(), nullable=False),
        sa.Column("production_id", sa.Integer(), nullable=True),
        sa.Column("episode_id", sa.Integer(), nullable=True),
        sa.Column("role_id", sa.Integer(), nullable=True),
        sa.Column("basis", sa.String(length=20), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("ai_amount", sa.Float(), nullable=False, comment="pay x AI share of the matching work hours"),
        sa.Column("units", sa.Float(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["episode_id"], ["episode.id"], name=op.f("fk_rollup_pay_cell_episode_id_episode"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["production_id"],
            ["production.id"],
            name=op.f("fk_rollup_pay_cell_production_id_production"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["role_id"], ["role.id"], name=op.f("fk_rollup_pay_cell_role_id_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rollup_pay_cell")),
    )
    with op.batch_alter_table("rollup_pay_cell", schema=None) as batch_op:
        batch_op.create_index("ix_rollup_pay_cell_month", ["month_start"], unique=False)
        batch_op.create_index("ix_rollup_pay_cell_production", ["production_id", "month_start"], unique=False)

    with op.batch_alter_table("rollup_pay_month", schema=None) as batch_op:
        batch_op.create_index("ix_rollup_pay_month_month", ["month_start"], unique=False)

    with op.batch_alter_table("rollup_person_month", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "mw_shortfall_amount",
                sa.Float(),
                server_default="0",
                nullable=False,
                comment="sum over days of hours x (MW - base pay per hour), where > 0",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("rollup_person_month", schema=None) as batch_op:
        batch_op.drop_column("mw_shortfall_amount")
    with op.batch_alter_table("rollup_pay_month", schema=None) as batch_op:
        batch_op.drop_index("ix_rollup_pay_month_month")
    with op.batch_alter_table("rollup_pay_cell", schema=None) as batch_op:
        batch_op.drop_index("ix_rollup_pay_cell_production")
        batch_op.drop_index("ix_rollup_pay_cell_month")
    op.drop_table("rollup_pay_cell")
    with op.batch_alter_table("rollup_person_week", schema=None) as batch_op:
        batch_op.drop_index("ix_rollup_person_week_week")
    op.drop_table("rollup_person_week")
