"""import_batch.key_scheme: work logs and pay items keyed by the source's own id, readable

Until this revision a row's source id was hashed into ``source_key``; from now on it is kept readable
(``canonical_work_logs:id:W-1042``), which keeps the unique index in insertion order on large imports. Existing
batches are marked scheme 1: while any exist for a format, the importer renames the old keys it meets (see
``data.importers.batch._adopt_legacy_keys``), so re-importing an old file still adds nothing twice.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "key_scheme",
                sa.Integer(),
                server_default="1",
                nullable=False,
                comment="how work-log and pay-item source_keys were built: 1 hashed source ids (before 0006), 2 readable",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_column("key_scheme")
