"""the end roll's characters stored with each production's credit check

``credit_check.roll_characters``: the distinct characters the production's end roll draws as a PDF, per language
(``{"ja": "…", "en": "…"}``), computed by the worker with the check. The Credits page asks whether the installed fonts
can draw the roll before it offers the PDF; from these it answers without building the whole roll on a request
(seconds at millions of work logs). NULL for a check stored before: the page then builds the roll, as before.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-06 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("credit_check") as batch:
        batch.add_column(
            sa.Column(
                "roll_characters",
                sa.JSON(),
                nullable=True,
                comment='{"ja": "…", "en": "…"}: the distinct characters of the end roll as a PDF draws it',
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("credit_check") as batch:
        batch.drop_column("roll_characters")
