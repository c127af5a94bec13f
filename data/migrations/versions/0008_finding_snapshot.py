"""data version counter and the findings snapshot

``data_version`` holds one row that every committed write through Endroll's engines moves on; ``finding_snapshot``
keeps the whole studio's findings computed at one version, so the dashboard does not recompute them while nothing
changed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 07:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    version = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(version, [{"id": 1, "version": 0}])
    op.create_table(
        "finding_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("data_version", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False, comment="digest of the engine code and reference data used"),
        sa.Column("computed_on", sa.Date(), nullable=False, comment="findings that depend on today's date"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_snapshot")),
    )


def downgrade() -> None:
    op.drop_table("finding_snapshot")
    op.drop_table("data_version")
