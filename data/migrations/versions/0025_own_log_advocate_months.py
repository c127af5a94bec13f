"""the months of an artist's own log counted in the advocates' anonymized figures

``own_log_advocate_month``: a calendar month of the own log its artist chose to let count in the advocate's
anonymized aggregate of reconciliation (share of own-logged hours missing from the studio's records, by employment
type and role). Apart from ``own_log_share`` (what the managers may see): opting in shows advocates nothing of the
artist's own, only figures over groups of at least k people.

Revision ID: 0025
Revises: 0021
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "own_log_advocate_month",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("month_start", sa.Date(), nullable=False, comment="first day of the month opted in"),
        sa.Column("opted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_own_log_advocate_month_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_own_log_advocate_month")),
        sa.UniqueConstraint(
            "person_id", "month_start", name=op.f("uq_own_log_advocate_month_person_id_month_start")
        ),
    )


def downgrade() -> None:
    op.drop_table("own_log_advocate_month")
