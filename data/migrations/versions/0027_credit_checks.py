"""credit checks stored per production, kept current by the background worker

``credit_check``: the credit validation and labor cross-check of one production at one credits version, and
``credit_check_finding`` its findings in order. ``data_version.credits_version`` moves on with every committed write
the credit checks depend on (``data.snapshots.CREDIT_CHECKS``); ``credits_stale_since`` is the first such write since
they were last all current. ``derived_lease`` gets its ``credits`` row.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("data_version") as batch:
        batch.add_column(
            sa.Column(
                "credits_version",
                sa.BigInteger(),
                nullable=False,
                server_default="0",
                comment="moves on with every write the credit checks depend on (data.snapshots.CREDIT_CHECKS)",
            )
        )
        batch.add_column(
            sa.Column(
                "credits_stale_since",
                sa.DateTime(),
                nullable=True,
                comment="UTC; the first such write since the credit checks were last all current (NULL: none)",
            )
        )
    op.create_table(
        "credit_check",
        sa.Column("production_id", sa.Integer(), nullable=False),
        sa.Column(
            "credits_version",
            sa.BigInteger(),
            nullable=False,
            comment="data_version.credits_version it was computed at",
        ),
        sa.Column("key", sa.String(length=64), nullable=False, comment="digest of the validator's code it was computed with"),
        sa.Column("computed_at", sa.DateTime(), nullable=False, comment="UTC"),
        sa.Column("credits_checked", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.CheckConstraint("credits_version >= 0", name=op.f("ck_credit_check_credits_version_not_negative")),
        sa.CheckConstraint("credits_checked >= 0", name=op.f("ck_credit_check_credits_checked_not_negative")),
        sa.CheckConstraint("findings >= 0", name=op.f("ck_credit_check_findings_not_negative")),
        sa.CheckConstraint("errors >= 0 AND errors <= findings", name=op.f("ck_credit_check_errors_within_findings")),
        sa.ForeignKeyConstraint(
            ["production_id"],
            ["production.id"],
            name=op.f("fk_credit_check_production_id_production"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("production_id", name=op.f("pk_credit_check")),
    )
    op.create_table(
        "credit_check_finding",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("production_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True, comment="roll position of the credit line"),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("production", sa.Text(), nullable=False),
        sa.Column("source_ref", sa.Text(), nullable=True),
        sa.Column("credit_line_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("position >= 1", name=op.f("ck_credit_check_finding_position_from_one")),
        sa.CheckConstraint("severity IN ('ERROR', 'WARN', 'INFO')", name=op.f("ck_credit_check_finding_severity")),
        sa.CheckConstraint("length(rule) > 0", name=op.f("ck_credit_check_finding_rule_not_blank")),
        sa.ForeignKeyConstraint(
            ["production_id"],
            ["credit_check.production_id"],
            name=op.f("fk_credit_check_finding_production_id_credit_check"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_check_finding")),
        sa.UniqueConstraint("production_id", "position", name=op.f("uq_credit_check_finding_production_id_position")),
    )
    op.bulk_insert(
        sa.table("derived_lease", sa.column("kind", sa.String), sa.column("step", sa.Integer), sa.column("steps", sa.Integer)),
        [{"kind": "credits", "step": 0, "steps": 0}],
    )


def downgrade() -> None:
    op.execute("DELETE FROM derived_lease WHERE kind = 'credits'")
    op.drop_table("credit_check_finding")
    op.drop_table("credit_check")
    with op.batch_alter_table("data_version") as batch:
        batch.drop_column("credits_stale_since")
        batch.drop_column("credits_version")
