"""rollup_pay_month indexed by basis and currency, covering the piece-rate sums

The Pay page's piece rates sum the studio's piece-rate pay per role and basis in JPY: without an index SQLite read
every row of ``rollup_pay_month`` (369,013 at 5 million work logs, 0.23 s); from this one it reads the piece-rate
rows alone, in the index (0.05 s).

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 03:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["basis", "currency", "role_id", "units", "items", "amount"]


def upgrade() -> None:
    op.create_index("ix_rollup_pay_month_piece", "rollup_pay_month", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_rollup_pay_month_piece", table_name="rollup_pay_month")
