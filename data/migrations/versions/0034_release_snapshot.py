"""the advocates' release stored, kept current by the background worker

``release_snapshot``: the quarterly release of the latest ended quarter (``analytics.release``) at one k and one
``data_version.release_version``, which moves on with every committed write the release depends on
(``data.snapshots.RELEASE``). At 5 million work logs the release took 1.1–1.6 s of every first visit of the
Aggregates page; read from here, a few milliseconds. ``derived_lease`` gets its ``release`` row.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("data_version") as batch:
        batch.add_column(
            sa.Column(
                "release_version",
                sa.BigInteger(),
                nullable=False,
                server_default="0",
                comment="moves on with every write the advocates' release depends on (data.snapshots.RELEASE)",
            )
        )
    op.create_table(
        "release_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "release_version",
            sa.BigInteger(),
            nullable=False,
            comment="data_version.release_version it was computed at",
        ),
        sa.Column("k", sa.Integer(), nullable=False, comment="the k-anonymity threshold it was computed with"),
        sa.Column("quarter", sa.Date(), nullable=True, comment="first day of the quarter shown; NULL: none ended"),
        sa.Column("key", sa.String(length=64), nullable=False, comment="digest of the engine code and reference data used"),
        sa.Column("computed_on", sa.Date(), nullable=False, comment="the quarters released depend on today's date"),
        sa.Column("created_at", sa.DateTime(), nullable=False, comment="UTC"),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint("release_version >= 0", name=op.f("ck_release_snapshot_release_version_not_negative")),
        sa.CheckConstraint("k >= 1", name=op.f("ck_release_snapshot_k_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_snapshot")),
    )
    op.bulk_insert(
        sa.table("derived_lease", sa.column("kind", sa.String), sa.column("step", sa.Integer), sa.column("steps", sa.Integer)),
        [{"kind": "release", "step": 0, "steps": 0}],
    )


def downgrade() -> None:
    op.execute("DELETE FROM derived_lease WHERE kind = 'release'")
    op.drop_table("release_snapshot")
    with op.batch_alter_table("data_version") as batch:
        batch.drop_column("release_version")
