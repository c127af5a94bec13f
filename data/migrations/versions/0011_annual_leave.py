"""annual paid leave ledger

``annual_leave`` holds the employer's leave ledger (年次有給休暇管理簿): days granted and days taken, per person and
date, which JP-LEAVE-01 judges against the Labor Standards Act's schedule (Art. 39).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "annual_leave",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False, comment="grant or taken"),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("days", sa.Numeric(4, 2), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("source_key", sa.String(length=200), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.CheckConstraint("kind IN ('grant', 'taken')", name=op.f("ck_annual_leave_kind")),
        sa.CheckConstraint("days > 0 AND days <= 40", name=op.f("ck_annual_leave_days")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_annual_leave_person_id_person"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_annual_leave_batch_id_import_batch"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_leave")),
        sa.UniqueConstraint("source_key", name=op.f("uq_annual_leave_source_key")),
    )
    op.create_index("ix_annual_leave_person_date", "annual_leave", ["person_id", "on_date"])


def downgrade() -> None:
    op.drop_index("ix_annual_leave_person_date", table_name="annual_leave")
    op.drop_table("annual_leave")
