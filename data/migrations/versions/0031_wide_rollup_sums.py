"""the grain rollups' sums as 64-bit integers on PostgreSQL

A month of one production at a large studio sums millions of work logs: its seconds outgrow PostgreSQL's 32-bit
integer (the 5,033,959-row demo stopped with "integer out of range" filling rollup_production_month). Revision 0029
now creates these columns as BIGINT; this widens them where 0029 ran before it did. SQLite's integers are 64-bit
already, so nothing changes there.

Revision ID: 0031
Revises: 0029
Create Date: 2026-12-06 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WORK = ("seconds", "night_seconds", "holiday_seconds", "sessions")
COLUMNS = {
    "rollup_production_month": WORK,
    "rollup_department_month": WORK,
    "rollup_work_cell": WORK,
    "rollup_cut_total": ("seconds", "ai_sessions", "sessions"),
}


def _retype(to: sa.types.TypeEngine, was: sa.types.TypeEngine) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=to, existing_type=was, existing_nullable=False)


def upgrade() -> None:
    _retype(sa.BigInteger(), sa.Integer())


def downgrade() -> None:
    _retype(sa.Integer(), sa.BigInteger())
