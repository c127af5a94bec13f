"""the dashboard's language per account

``account.language``: ``ja`` or ``en``, chosen in the sidebar and kept for the next sign-in; NULL (every existing
account) means the browser's language.

Revision ID: 0017
Revises: 0013 (on the branch that adds it; the lead re-chains the round's revisions at merge)
Create Date: 2026-12-06 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.add_column(
            sa.Column(
                "language",
                sa.String(length=5),
                nullable=True,
                comment="the dashboard's language chosen by the account (ja/en); NULL: the browser's",
            )
        )
        batch.create_check_constraint(op.f("ck_account_language"), "language IN ('ja', 'en')")


def downgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.drop_constraint(op.f("ck_account_language"), type_="check")
        batch.drop_column("language")
