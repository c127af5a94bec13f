"""derived data recomputed by a background worker: when it went stale, and who recomputes it

``data_version.stale_since``: the first write since the last complete findings snapshot (set by the writer's
commit, cleared by the worker that stored a snapshot at the current version). ``derived_lease``: one row per kind of
derived data (``findings``): the worker holding it, until when, how far it got, the last completed run and the last
error; one worker at a time per database, on SQLite and PostgreSQL alike.

Revision ID: 0026
Revises: 0021
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("data_version") as batch:
        batch.add_column(
            sa.Column(
                "stale_since",
                sa.DateTime(),
                nullable=True,
                comment="UTC; the first write since the last complete findings snapshot (NULL: none)",
            )
        )
    lease = op.create_table(
        "derived_lease",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("holder", sa.String(length=120), nullable=True, comment="host:pid:thread of the worker; NULL: free"),
        sa.Column("expires_at", sa.DateTime(), nullable=True, comment="UTC; renewed while the worker runs"),
        sa.Column("started_at", sa.DateTime(), nullable=True, comment="UTC; when the current run began"),
        sa.Column("step", sa.Integer(), nullable=False, server_default="0", comment="steps of the run done"),
        sa.Column("steps", sa.Integer(), nullable=False, server_default="0", comment="0: not known yet"),
        sa.Column("finished_at", sa.DateTime(), nullable=True, comment="UTC; the last run that completed"),
        sa.Column("error", sa.Text(), nullable=True, comment="why the last run failed (NULL: it did not)"),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_derived_lease")),
    )
    op.bulk_insert(lease, [{"kind": "findings", "step": 0, "steps": 0}])


def downgrade() -> None:
    op.drop_table("derived_lease")
    with op.batch_alter_table("data_version") as batch:
        batch.drop_column("stale_since")
