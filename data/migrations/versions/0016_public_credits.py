"""public credits as they really are: organization texts of any length, the person-or-organization call on each
credit line, managers' calls, and claims on public credits

* ``organization.name`` and ``org_alias.text`` hold the whole text (TEXT) and are unique through a SHA-256 of it
  (``name_hash``, ``text_hash``): two long names sharing their first 200 characters no longer collide, and no index
  holds a long text (PostgreSQL refuses index rows over about 2.7 kB).
* ``credit_line.name_as_credited`` holds the whole name (TEXT; it was cut at 300 characters).
* ``credit_line.entity_basis`` / ``entity_reason``: why the line names a person or an organization.
* ``entity_call``: a manager's call on a name; ``credit_claim``: an artist's claim on a public credit and a manager's
  decision on it (public credits are never linked to a studio's people by a name match alone).
* The importer no longer writes a reason for an organization in a person-only role (a person must): the reason it
  wrote before is removed, so those lines are a WARN again until someone records a real one.

Revision ID: 0016
Revises: 0013 (re-chained by the lead at merge)
Create Date: 2026-12-06 09:00:00
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IMPORTER_REASON = "an organization is credited in a person-only role (as published)"


def _fill_hashes(table: str, column: str, target: str) -> None:
    conn = op.get_bind()
    t = sa.table(table, sa.column("id", sa.Integer()), sa.column(column, sa.Text()), sa.column(target, sa.String(64)))
    rows = conn.execute(sa.select(t.c.id, t.c[column])).all()
    for row_id, value in rows:
        digest = hashlib.sha256((value or "").encode("utf-8")).hexdigest()
        conn.execute(t.update().where(t.c.id == row_id).values({target: digest}))


def upgrade() -> None:
    with op.batch_alter_table("organization") as batch:
        batch.add_column(
            sa.Column("name_hash", sa.String(length=64), nullable=True, comment="sha256 of name: the name's unique key")
        )
    _fill_hashes("organization", "name", "name_hash")
    with op.batch_alter_table("organization") as batch:
        batch.drop_constraint("uq_organization_name", type_="unique")
        batch.alter_column(
            "name", existing_type=sa.String(length=200), type_=sa.Text(), existing_nullable=False,
            comment="the full name, any length",
        )  # fmt: skip
        batch.alter_column(
            "name_hash", existing_type=sa.String(length=64), nullable=False,
            existing_comment="sha256 of name: the name's unique key",
        )  # fmt: skip
        batch.create_unique_constraint("uq_organization_name_hash", ["name_hash"])

    with op.batch_alter_table("org_alias") as batch:
        batch.add_column(sa.Column("text_hash", sa.String(length=64), nullable=True, comment="sha256 of text"))
    _fill_hashes("org_alias", "text", "text_hash")
    with op.batch_alter_table("org_alias") as batch:
        batch.drop_constraint("uq_org_alias_organization_id_text", type_="unique")
        batch.alter_column(
            "text", existing_type=sa.String(length=200), type_=sa.Text(), existing_nullable=False,
            comment="verbatim as credited, any length",
        )  # fmt: skip
        batch.alter_column(
            "text_hash", existing_type=sa.String(length=64), nullable=False, existing_comment="sha256 of text"
        )
        batch.create_unique_constraint("uq_org_alias_organization_id_text_hash", ["organization_id", "text_hash"])

    with op.batch_alter_table("credit_line") as batch:
        batch.alter_column(
            "name_as_credited", existing_type=sa.String(length=300), type_=sa.Text(), existing_nullable=False,
            comment="verbatim, whole; never rewritten", existing_comment="verbatim; never rewritten",
        )  # fmt: skip
        batch.add_column(
            sa.Column(
                "entity_basis", sa.String(length=20), nullable=True,
                comment="why the entity is a person or an organization (data.credits.organizations.BASES)",
            )
        )  # fmt: skip
        batch.add_column(
            sa.Column("entity_reason", sa.Text(), nullable=True, comment="the evidence of that call, as found")
        )
    op.execute(
        sa.text("UPDATE credit_line SET uncredited_reason = NULL WHERE uncredited_reason = :r").bindparams(
            r=IMPORTER_REASON
        )
    )

    op.create_table(
        "entity_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("match_key", sa.String(length=200), nullable=False, comment="data.credits.organizations.entity_key"),
        sa.Column("name", sa.Text(), nullable=False, comment="the name as the manager saw it"),
        sa.Column("is_organization", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_call")),
        sa.UniqueConstraint("match_key", name=op.f("uq_entity_call_match_key")),
    )
    op.create_table(
        "credit_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("credit_line_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("claimed_by", sa.String(length=200), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("status IN ('claimed', 'confirmed', 'rejected')", name=op.f("ck_credit_claim_status")),
        sa.ForeignKeyConstraint(
            ["credit_line_id"],
            ["credit_line.id"],
            name=op.f("fk_credit_claim_credit_line_id_credit_line"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_credit_claim_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_claim")),
        sa.UniqueConstraint("credit_line_id", "person_id", name=op.f("uq_credit_claim_credit_line_id_person_id")),
    )
    op.create_index(op.f("ix_credit_claim_credit_line_id"), "credit_claim", ["credit_line_id"])
    op.create_index(op.f("ix_credit_claim_person_id"), "credit_claim", ["person_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_credit_claim_person_id"), table_name="credit_claim")
    op.drop_index(op.f("ix_credit_claim_credit_line_id"), table_name="credit_claim")
    op.drop_table("credit_claim")
    op.drop_table("entity_call")
    # Texts longer than the old columns are cut to fit them: the old schema cannot hold them whole.
    op.execute(sa.text("UPDATE credit_line SET name_as_credited = substr(name_as_credited, 1, 300)"))
    op.execute(sa.text("UPDATE org_alias SET text = substr(text, 1, 200)"))
    op.execute(sa.text("UPDATE organization SET name = substr(name, 1, 200)"))
    with op.batch_alter_table("credit_line") as batch:
        batch.drop_column("entity_reason")
        batch.drop_column("entity_basis")
        batch.alter_column(
            "name_as_credited", existing_type=sa.Text(), type_=sa.String(length=300), existing_nullable=False,
            comment="verbatim; never rewritten", existing_comment="verbatim, whole; never rewritten",
        )  # fmt: skip
    with op.batch_alter_table("org_alias") as batch:
        batch.drop_constraint("uq_org_alias_organization_id_text_hash", type_="unique")
        batch.drop_column("text_hash")
        batch.alter_column(
            "text", existing_type=sa.Text(), type_=sa.String(length=200), existing_nullable=False, comment=None,
            existing_comment="verbatim as credited, any length",
        )  # fmt: skip
        batch.create_unique_constraint("uq_org_alias_organization_id_text", ["organization_id", "text"])
    with op.batch_alter_table("organization") as batch:
        batch.drop_constraint("uq_organization_name_hash", type_="unique")
        batch.drop_column("name_hash")
        batch.alter_column(
            "name", existing_type=sa.Text(), type_=sa.String(length=200), existing_nullable=False, comment=None,
            existing_comment="the full name, any length",
        )  # fmt: skip
        batch.create_unique_constraint("uq_organization_name", ["name"])
