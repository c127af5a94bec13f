"""the end roll's characters stored with each production's credit check; per-production stale markers

``credit_check.roll_characters``: the distinct characters the production's end roll draws as a PDF, per language
(``{"ja": "…", "en": "…"}``), computed by the worker with the check. The Credits page asks whether the installed fonts
can draw the roll before it offers the PDF; from these it answers without building the whole roll on a request
(seconds at millions of work logs). NULL for a check stored before: the page then builds the roll, as before.

``credit_check_due``: a version per production, moved on by the commit of a write that said which productions it
changed (``data.credit_checks.about_productions``: the Credits page's fixes) instead of the studio-wide
``data_version.credits_version``, and ``since``: the first such write since that production was last checked.
``credit_check.production_version`` is the production's version its check read: the worker then checks again only
the productions a write named.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-06 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
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
        batch.add_column(
            sa.Column(
                "production_version",
                sa.BigInteger(),
                nullable=False,
                server_default="0",
                comment="credit_check_due.version of the production it was computed at",
            )
        )
    op.create_table(
        "credit_check_due",
        sa.Column("production_id", sa.Integer(), nullable=False),
        sa.Column(
            "version",
            sa.BigInteger(),
            nullable=False,
            server_default="0",
            comment="moves on with every write that named this production (data.credit_checks.about_productions)",
        ),
        sa.Column("since", sa.DateTime(), nullable=True, comment="UTC; the first such write since it was last checked"),
        sa.CheckConstraint("version >= 0", name=op.f("ck_credit_check_due_version_not_negative")),
        sa.ForeignKeyConstraint(
            ["production_id"],
            ["production.id"],
            name=op.f("fk_credit_check_due_production_id_production"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("production_id", name=op.f("pk_credit_check_due")),
    )


def downgrade() -> None:
    op.drop_table("credit_check_due")
    with op.batch_alter_table("credit_check") as batch:
        batch.drop_column("production_version")
        batch.drop_column("roll_characters")
