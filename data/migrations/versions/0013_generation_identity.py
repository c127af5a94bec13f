"""the invisible watermark's id on each generated image's ledger row

``ai_usage.watermark_id``: the random 32-bit id that generation embeds in the pixels of every image it makes, so an
image that lost its C2PA manifest (a screenshot, a re-encode) still leads back to its ledger row and operator.
Unique; NULL for rows that Endroll did not generate (imports).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ai_usage") as batch:
        batch.add_column(
            sa.Column(
                "watermark_id",
                sa.BigInteger(),
                nullable=True,
                comment="the 32-bit id in the image's invisible watermark (Endroll-generated images only)",
            )
        )
    op.create_index("ux_ai_usage_watermark_id", "ai_usage", ["watermark_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_ai_usage_watermark_id", table_name="ai_usage")
    with op.batch_alter_table("ai_usage") as batch:
        batch.drop_column("watermark_id")
