"""people whose findings changed since the last snapshot

``finding_stale_person`` lists the people each rollup refresh touched, so the next findings snapshot recomputes
only them; ``global_version`` (on ``data_version`` and on each snapshot) moves on with writes that are not about
given people, which still need a full recompute.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 08:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    comment = "moves on only with writes that are not about given people (see data.engine.PERSON_TABLES)"
    with op.batch_alter_table("data_version") as batch:
        batch.add_column(sa.Column("global_version", sa.BigInteger(), server_default="0", nullable=False, comment=comment))
    with op.batch_alter_table("finding_snapshot") as batch:
        batch.add_column(sa.Column("global_version", sa.BigInteger(), server_default="0", nullable=False))
    op.create_table(
        "finding_stale_person",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_stale_person")),
    )


def downgrade() -> None:
    op.drop_table("finding_stale_person")
    with op.batch_alter_table("finding_snapshot") as batch:
        batch.drop_column("global_version")
    with op.batch_alter_table("data_version") as batch:
        batch.drop_column("global_version")
