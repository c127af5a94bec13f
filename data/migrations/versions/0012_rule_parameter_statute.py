"""the statute each rule parameter comes from

``rule_parameter.statute`` holds the citation of each legal constant (``労働基準法 第34条第1項 (LSA Art. 34(1))``,
``Cal. Labor Code §510(a)``). Existing rows get it from the seeding that follows every upgrade
(``data.reference.ensure_rule_parameters``, from ``data/seed/statutes.json``). The comment of
``data_version.global_version`` names the declarations that now decide it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GLOBAL_VERSION_BEFORE = "moves on only with writes that are not about given people (see data.engine.PERSON_TABLES)"
GLOBAL_VERSION_AFTER = "moves on only with writes that are not about given people (see data.snapshots.WriteEffects)"


def _global_version_comment(comment: str, existing: str) -> None:
    with op.batch_alter_table("data_version") as batch:
        batch.alter_column(
            "global_version",
            existing_type=sa.BigInteger(),
            existing_nullable=False,
            existing_server_default="0",
            comment=comment,
            existing_comment=existing,
        )


def upgrade() -> None:
    with op.batch_alter_table("rule_parameter") as batch:
        batch.add_column(
            sa.Column("statute", sa.Text(), nullable=True, comment="the statute (or source) the value comes from")
        )
    _global_version_comment(GLOBAL_VERSION_AFTER, GLOBAL_VERSION_BEFORE)


def downgrade() -> None:
    _global_version_comment(GLOBAL_VERSION_BEFORE, GLOBAL_VERSION_AFTER)
    with op.batch_alter_table("rule_parameter") as batch:
        batch.drop_column("statute")
