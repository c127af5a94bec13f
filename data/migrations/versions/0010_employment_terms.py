"""employment terms the remaining Japanese rules need

``discretionary_consent_date``: when the employee's written consent to discretionary work was obtained (the planning
type has always required it, the professional type since 2024-04-01; JP-DISC-01). ``piece_rate_guarantee_per_hour``:
the guaranteed wage per hour worked that a piece-rate employee is owed whatever the output (LSA Art. 27; JP-PAY-04),
in the workplace currency.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 09:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("employment") as batch:
        batch.add_column(
            sa.Column(
                "discretionary_consent_date",
                sa.Date(),
                nullable=True,
                comment="written consent to discretionary work obtained (JP; LSA Art. 38-3/38-4)",
            )
        )
        batch.add_column(
            sa.Column(
                "piece_rate_guarantee_per_hour",
                sa.Numeric(12, 2),
                nullable=True,
                comment="JP guaranteed wage per hour for piece-rate pay (LSA Art. 27)",
            )
        )
        batch.create_check_constraint(
            op.f("ck_employment_piece_rate_guarantee"),
            "piece_rate_guarantee_per_hour IS NULL OR piece_rate_guarantee_per_hour >= 0",
        )


def downgrade() -> None:
    with op.batch_alter_table("employment") as batch:
        batch.drop_constraint(op.f("ck_employment_piece_rate_guarantee"), type_="check")
        batch.drop_column("piece_rate_guarantee_per_hour")
        batch.drop_column("discretionary_consent_date")
