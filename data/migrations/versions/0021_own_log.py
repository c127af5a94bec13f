"""the artist's own log and the periods of it shared with the studio

``own_log_entry``: the hours an artist keeps for themselves, typed on "My record" or imported from a timesheet they
kept (Toggl, Clockify, Kimai, Endroll's work-log CSV, a "date, hours, note" sheet). Apart from ``work_log``: no rollup,
finding or manager's query reads it. ``own_log_share``: a period of it the artist chose to show the managers.

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORIGINS = ("typed", "hours_sheet", "toggl", "clockify", "kimai", "canonical_work_logs")


def upgrade() -> None:
    op.create_table(
        "own_log_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False, comment="local date the session started"),
        sa.Column("start_at", sa.DateTime(), nullable=True, comment="local wall-clock time"),
        sa.Column("end_at", sa.DateTime(), nullable=True),
        sa.Column("seconds", sa.Integer(), nullable=False, comment="worked, net of breaks"),
        sa.Column("break_seconds", sa.Integer(), nullable=False),
        sa.Column("production", sa.String(length=200), nullable=True, comment="as the artist wrote it"),
        sa.Column("episode", sa.String(length=40), nullable=True),
        sa.Column("cut", sa.String(length=40), nullable=True),
        sa.Column("role", sa.String(length=100), nullable=True),
        sa.Column("units", sa.Float(), nullable=True, comment="cuts, sheets or backgrounds delivered"),
        sa.Column("unit_kind", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("origin", sa.String(length=20), nullable=False, comment="typed, or the file format imported"),
        sa.Column("source_key", sa.String(length=200), nullable=True, comment="an imported row's identity (hashed)"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("seconds >= 0 AND seconds <= 86400", name=op.f("ck_own_log_entry_seconds")),
        sa.CheckConstraint("break_seconds >= 0", name=op.f("ck_own_log_entry_break_seconds")),
        sa.CheckConstraint(
            "end_at IS NULL OR start_at IS NULL OR end_at > start_at", name=op.f("ck_own_log_entry_start_before_end")
        ),
        sa.CheckConstraint("units IS NULL OR units >= 0", name=op.f("ck_own_log_entry_units")),
        sa.CheckConstraint(
            f"origin IN ({', '.join(repr(o) for o in ORIGINS)})", name=op.f("ck_own_log_entry_origin")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_own_log_entry_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_own_log_entry")),
        sa.UniqueConstraint("person_id", "source_key", name=op.f("uq_own_log_entry_person_id_source_key")),
    )
    op.create_index("ix_own_log_entry_person_date", "own_log_entry", ["person_id", "work_date"], unique=False)
    op.create_table(
        "own_log_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("shared_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_own_log_share_period")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_own_log_share_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_own_log_share")),
        sa.UniqueConstraint(
            "person_id", "period_start", "period_end", name=op.f("uq_own_log_share_person_id_period_start_period_end")
        ),
    )
    op.create_index(op.f("ix_own_log_share_person_id"), "own_log_share", ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_own_log_share_person_id"), table_name="own_log_share")
    op.drop_table("own_log_share")
    op.drop_index("ix_own_log_entry_person_date", table_name="own_log_entry")
    op.drop_table("own_log_entry")
