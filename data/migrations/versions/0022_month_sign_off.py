"""the monthly sign-off of the studio's hours and pay, and the managers' answers to a shared own log

``month_sign_off``: an artist confirms or disputes a month of the studio's record; a manager approves it (the month is
then locked for that person, as a closed pay period is) or answers each disputed day (``month_sign_off_day``).
``own_log_answer``: a manager's answer to a day where a shared own log and the studio's record differ.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("confirmed", "disputed", "answered", "approved", "reopened")
ANSWERS = ("accept", "explain")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "month_sign_off",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("month_start", sa.Date(), nullable=False, comment="first day of the calendar month"),
        sa.Column("month_end", sa.Date(), nullable=False, comment="last day of the calendar month"),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_since", sa.DateTime(), nullable=False, comment="when it took this status"),
        sa.Column("studio_seconds", sa.Integer(), nullable=False, comment="the studio's hours the artist signed"),
        sa.Column("studio_pay", sa.Numeric(precision=14, scale=2), nullable=False,
                  comment="the studio's pay the artist signed"),  # fmt: skip
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("signed_by", sa.String(length=100), nullable=False, comment="the artist's account"),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by", sa.String(length=100), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(_in("status", STATUSES), name=op.f("ck_month_sign_off_status")),
        sa.CheckConstraint("month_end >= month_start", name=op.f("ck_month_sign_off_period")),
        sa.CheckConstraint("studio_seconds >= 0", name=op.f("ck_month_sign_off_studio_seconds")),
        sa.CheckConstraint(
            "status <> 'approved' OR (approved_by IS NOT NULL AND approved_at IS NOT NULL)",
            name=op.f("ck_month_sign_off_approved_by"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_month_sign_off_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_month_sign_off")),
        sa.UniqueConstraint("person_id", "month_start", name=op.f("uq_month_sign_off_person_id_month_start")),
    )
    op.create_table(
        "month_sign_off_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sign_off_id", sa.Integer(), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, comment="the artist's, as they wrote it"),
        sa.Column("studio_seconds", sa.Integer(), nullable=False, comment="the studio's hours that day when disputed"),
        sa.Column("answer", sa.String(length=10), nullable=True),
        sa.Column("answer_note", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.String(length=100), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(f"answer IS NULL OR {_in('answer', ANSWERS)}", name=op.f("ck_month_sign_off_day_answer")),
        sa.CheckConstraint(
            "answer IS NULL OR (answered_by IS NOT NULL AND answered_at IS NOT NULL)",
            name=op.f("ck_month_sign_off_day_answered_by"),
        ),
        sa.CheckConstraint(
            "answer IS NULL OR answer <> 'explain' OR answer_note IS NOT NULL",
            name=op.f("ck_month_sign_off_day_explained"),
        ),
        sa.ForeignKeyConstraint(
            ["sign_off_id"], ["month_sign_off.id"], name=op.f("fk_month_sign_off_day_sign_off_id_month_sign_off"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_month_sign_off_day")),
        sa.UniqueConstraint("sign_off_id", "work_date", name=op.f("uq_month_sign_off_day_sign_off_id_work_date")),
    )
    op.create_index(op.f("ix_month_sign_off_day_sign_off_id"), "month_sign_off_day", ["sign_off_id"], unique=False)
    op.create_table(
        "own_log_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("answered_by", sa.String(length=100), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_own_log_answer_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_own_log_answer")),
        sa.UniqueConstraint("person_id", "work_date", name=op.f("uq_own_log_answer_person_id_work_date")),
    )


def downgrade() -> None:
    op.drop_table("own_log_answer")
    op.drop_index(op.f("ix_month_sign_off_day_sign_off_id"), table_name="month_sign_off_day")
    op.drop_table("month_sign_off_day")
    op.drop_table("month_sign_off")
