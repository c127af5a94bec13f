"""sign-in sessions, look-alike usernames, identity-provider binding, pen names awaiting approval

``sign_in_session``: a browser's session (the hash of its cookie token, never the token), expiring and revocable;
``account.session_epoch`` moves on when an account is deactivated, its role changes or its password is reset, which
ends every session made before. ``account.username_skeleton`` (unique) keeps two usernames that look alike apart
(``mаnager`` with a Cyrillic а beside ``manager``); existing usernames are stored in their one spelling (NFKC, case
folded) where that collides with nothing. ``account.oidc_issuer`` + ``oidc_subject`` bind an account to one user of
one identity provider. ``pen_name_request``: a pen name equal to another person's name, waiting for a manager's
decision.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from data.names import normalize_username, username_skeleton

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.add_column(
            sa.Column(
                "username_skeleton",
                sa.String(length=100),
                nullable=True,
                comment="data.names.username_skeleton: no two accounts that look alike",
            )
        )
        batch.add_column(
            sa.Column(
                "session_epoch",
                sa.Integer(),
                server_default="0",
                nullable=False,
                comment="moved on by deactivation, role change, password reset",
            )
        )
        batch.add_column(
            sa.Column(
                "oidc_issuer", sa.String(length=500), nullable=True, comment="identity provider bound on first sign-in"
            )
        )
        batch.add_column(
            sa.Column("oidc_subject", sa.String(length=255), nullable=True, comment="its stable user id (sub)")
        )
        batch.create_unique_constraint(op.f("uq_account_username_skeleton"), ["username_skeleton"])
        batch.create_unique_constraint(op.f("uq_account_oidc_issuer_oidc_subject"), ["oidc_issuer", "oidc_subject"])
    op.create_table(
        "pen_name_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("pen_name", sa.String(length=200), nullable=False),
        sa.Column("clashes_with", sa.Integer(), nullable=True, comment="the person whose name it equals"),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_by", sa.String(length=200), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'refused')", name=op.f("ck_pen_name_request_status")
        ),
        sa.ForeignKeyConstraint(
            ["clashes_with"], ["person.id"], name=op.f("fk_pen_name_request_clashes_with_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_pen_name_request_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pen_name_request")),
    )
    op.create_index("ix_pen_name_request_person", "pen_name_request", ["person_id"], unique=False)
    op.create_table(
        "sign_in_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True, comment="sha256 of the cookie token"),
        sa.Column("handoff_hash", sa.String(length=64), nullable=True, comment="sha256, one use"),
        sa.Column("handoff_expires_at", sa.DateTime(), nullable=True),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("via", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_sign_in_session_account_id_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_session")),
        sa.UniqueConstraint("handoff_hash", name=op.f("uq_sign_in_session_handoff_hash")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sign_in_session_token_hash")),
    )
    op.create_index("ix_sign_in_session_account", "sign_in_session", ["account_id"], unique=False)
    _backfill_usernames()


def _backfill_usernames() -> None:
    # Existing accounts keep working: each gets its one spelling and skeleton unless that collides with an earlier
    # account (then it keeps its name, with no skeleton, and a manager should rename one of the two).
    conn = op.get_bind()
    account = sa.table("account", sa.column("id", sa.Integer), sa.column("username", sa.String),
                       sa.column("username_skeleton", sa.String))  # fmt: skip
    rows = conn.execute(sa.select(account.c.id, account.c.username).order_by(account.c.id)).all()
    names = {username for _, username in rows}
    skeletons: set[str] = set()
    for account_id, username in rows:
        values = {}
        normal = normalize_username(username)
        if normal != username and normal not in names:
            values["username"] = normal
            names.discard(username)
            names.add(normal)
        skeleton = username_skeleton(values.get("username", username))
        if skeleton not in skeletons:
            skeletons.add(skeleton)
            values["username_skeleton"] = skeleton
        if values:
            conn.execute(sa.update(account).where(account.c.id == account_id).values(**values))


def downgrade() -> None:
    op.drop_index("ix_sign_in_session_account", table_name="sign_in_session")
    op.drop_table("sign_in_session")
    op.drop_index("ix_pen_name_request_person", table_name="pen_name_request")
    op.drop_table("pen_name_request")
    with op.batch_alter_table("account") as batch:
        batch.drop_constraint(op.f("uq_account_oidc_issuer_oidc_subject"), type_="unique")
        batch.drop_constraint(op.f("uq_account_username_skeleton"), type_="unique")
        batch.drop_column("oidc_subject")
        batch.drop_column("oidc_issuer")
        batch.drop_column("session_epoch")
        batch.drop_column("username_skeleton")
