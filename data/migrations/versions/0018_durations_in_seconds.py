"""durations in seconds: every ``*_minutes`` column of the work log and the rollups becomes ``*_seconds``; and what
the timesheet importers record beside the rows (warnings, project names mapped to productions, Kitsu's contract terms)

Trackers record seconds (Toggl ``00:00:34``, ftrack's duration, Clockify's ``01:00:01``); a work log stored in whole
minutes turned a 34-second entry into an error and a 16:45–16:46 entry into "0 min worked, 1 min break". Every
duration is now whole seconds: ``work_log.seconds``, ``break_seconds``, ``night_seconds`` and the rollups' sums.

Upgrade converts existing rows exactly (× 60: every stored minute is 60 seconds; the AI-weighted float sums too).
Downgrade rounds to the nearest minute (half up), which loses the seconds of entries that had them; it keeps the
constraints true (rounding never takes worked time past 1,440 minutes nor night time past worked time).

Beside the rows (the importers of issue 14, in this one revision so that it is final when the unit change is merged):
``import_warning`` (rows imported by a documented rule a person should check), ``production_alias`` (a tracker's
project name mapped onto a production, remembered) and ``employment.position``, ``seniority`` and ``daily_wage``
(Kitsu's persons export).

Revision ID: 0018
Revises: 0013
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table → its duration columns (minute names), in table order; integers unless listed in _FLOATS.
_COLUMNS = {
    "work_log": ("minutes", "break_minutes", "night_minutes"),
    "rollup_person_day": (
        "minutes",
        "night_minutes",
        "holiday_minutes",
        "ai_minutes",
        "longest_session_minutes",
        "daily_ot_minutes",
        "weekly_ot_minutes",
    ),
    "rollup_person_month": (
        "minutes",
        "night_minutes",
        "holiday_minutes",
        "ai_minutes",
        "ot_minutes",
        "employee_minutes",
        "mw_minutes",
    ),
    "rollup_person_week": ("minutes", "night_minutes", "holiday_minutes"),
    "rollup_work_month": ("minutes", "night_minutes", "holiday_minutes", "ai_minutes"),
    "rollup_cut_month": ("minutes", "ai_minutes"),
}
_FLOATS = {"ai_minutes"}
# Column comments that name the unit: (table, minute name) → (comment in minutes, comment in seconds).
_COMMENTS = {
    ("work_log", "night_minutes"): ("worked minutes in 22:00–05:00", "worked seconds in 22:00–05:00"),
    ("rollup_person_day", "ai_minutes"): ("minutes x ai_assisted_fraction", "seconds x ai_assisted_fraction"),
    ("rollup_person_month", "mw_minutes"): ("minutes with a known minimum wage", "seconds with a known minimum wage"),
}
# Other columns of rollup_person_month whose comments name minutes: (name, type, old comment, new comment).
_MONTH_COMMENTS = (
    ("mw_due_amount", sa.Numeric(14, 2), "sum(minutes x MW) / 60", "sum(seconds x MW) / 3600"),
    ("main_role_id", sa.Integer(), "role with most minutes; NULL: no role given", "role with most seconds; NULL: no role given"),
    ("main_department", sa.String(30), "department with most minutes", "department with most seconds"),
    ("main_production_id", sa.Integer(), "production with most minutes", "production with most seconds"),
)  # fmt: skip
# Indexes over a duration column: name → (table, columns in minute names).
_INDEXES = {
    "ix_work_log_production_cut": (
        "work_log",
        ("production_id", "episode_id", "cut_id", "minutes", "ai_assisted_fraction"),
    ),
    "ix_rollup_work_month_episode": ("rollup_work_month", ("episode_id", "minutes")),
    "ix_rollup_cut_month_production_cut": ("rollup_cut_month", ("production_id", "cut_id", "minutes", "ai_minutes")),
}
# work_log's checks: name suffix → (check in minutes, check in seconds).
_CHECKS = {
    "minutes": ("minutes >= 0 AND minutes <= 1440", None),
    "break_minutes": ("break_minutes >= 0", None),
    "night_minutes": ("night_minutes >= 0 AND night_minutes <= minutes", None),
    "seconds": (None, "seconds >= 0 AND seconds <= 86400"),
    "break_seconds": (None, "break_seconds >= 0"),
    "night_seconds": (None, "night_seconds >= 0 AND night_seconds <= seconds"),
}


def _seconds(name: str) -> str:
    return "seconds" if name == "minutes" else name.removesuffix("_minutes") + "_seconds"


def _index_columns(columns: tuple[str, ...], *, to_seconds: bool) -> list[str]:
    return [_seconds(c) if to_seconds and c in _FLOATS | {"minutes"} else c for c in columns]


def _convert(*, to_seconds: bool) -> None:
    for name, (table, _) in _INDEXES.items():
        op.drop_index(name, table_name=table)
    for table, columns in _COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            if table == "work_log":
                for suffix, (old, new) in _CHECKS.items():
                    if (old if to_seconds else new) is not None:
                        batch.drop_constraint(op.f(f"ck_work_log_{suffix}"), type_="check")
            for minute_name in columns:
                before, after = (minute_name, _seconds(minute_name))[:: 1 if to_seconds else -1]
                kind = sa.Float() if minute_name in _FLOATS else sa.Integer()
                comments = _COMMENTS.get((table, minute_name))
                extra = {}
                if comments:
                    old_comment, new_comment = comments[:: 1 if to_seconds else -1]
                    extra = {"comment": new_comment, "existing_comment": old_comment}
                batch.alter_column(before, new_column_name=after, existing_type=kind, existing_nullable=False, **extra)
            if table == "rollup_person_month":
                for name, kind, in_minutes, in_seconds in _MONTH_COMMENTS:
                    old_comment, new_comment = (in_minutes, in_seconds)[:: 1 if to_seconds else -1]
                    batch.alter_column(name, existing_type=kind, comment=new_comment, existing_comment=old_comment)
        # Values after the rename; work_log's new checks after the values, so they hold when they are created.
        names = [(_seconds(c) if to_seconds else c) for c in columns]
        if to_seconds:
            values = ", ".join(f"{n} = {n} * 60" for n in names)
        else:
            # Round half up: integer division on both backends; the floats divide exactly as stored.
            values = ", ".join(f"{n} = {n} / 60.0" if n in _FLOATS else f"{n} = ({n} + 30) / 60" for n in names)
        op.execute(f"UPDATE {table} SET {values}")
        if table == "work_log":
            with op.batch_alter_table(table) as batch:
                for suffix, (old, new) in _CHECKS.items():
                    check = new if to_seconds else old
                    if check is not None:
                        batch.create_check_constraint(op.f(f"ck_work_log_{suffix}"), check)
    for name, (table, columns) in _INDEXES.items():
        op.create_index(name, table, _index_columns(columns, to_seconds=to_seconds))


def upgrade() -> None:
    _convert(to_seconds=True)
    op.create_table(
        "import_warning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False, comment="1-based physical line in the file (or row in a sheet)"),
        sa.Column("column", sa.String(length=200), nullable=True),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("reason_code", sa.String(length=60), nullable=False),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_import_warning_batch_id_import_batch"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_warning")),
    )
    op.create_index(op.f("ix_import_warning_batch_id"), "import_warning", ["batch_id"])
    op.create_index(op.f("ix_import_warning_reason_code"), "import_warning", ["reason_code"])
    op.create_table(
        "production_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("production_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False, comment="the name as the file wrote it"),
        sa.Column("match_key", sa.String(length=300), nullable=False, comment="data.names.org_key of the text"),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("length(match_key) > 0", name=op.f("ck_production_alias_match_key_not_blank")),
        sa.ForeignKeyConstraint(
            ["production_id"], ["production.id"], name=op.f("fk_production_alias_production_id_production"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_production_alias_batch_id_import_batch"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_production_alias")),
        sa.UniqueConstraint("match_key", name=op.f("uq_production_alias_match_key")),
    )
    op.create_index(op.f("ix_production_alias_production_id"), "production_alias", ["production_id"])
    with op.batch_alter_table("employment") as batch:
        batch.add_column(
            sa.Column("position", sa.String(30), nullable=True, comment="as the tracker records it: artist, lead, supervisor")
        )
        batch.add_column(
            sa.Column("seniority", sa.String(30), nullable=True, comment="as the tracker records it: junior, mid, senior")
        )
        batch.add_column(
            sa.Column(
                "daily_wage",
                sa.Numeric(12, 2),
                nullable=True,
                comment="agreed pay per day worked (日給), in the workplace currency; Kitsu's Daily Salary",
            )
        )
        batch.create_check_constraint(op.f("ck_employment_daily_wage"), "daily_wage IS NULL OR daily_wage >= 0")


def downgrade() -> None:
    with op.batch_alter_table("employment") as batch:
        batch.drop_constraint(op.f("ck_employment_daily_wage"), type_="check")
        batch.drop_column("daily_wage")
        batch.drop_column("seniority")
        batch.drop_column("position")
    op.drop_index(op.f("ix_production_alias_production_id"), table_name="production_alias")
    op.drop_table("production_alias")
    op.drop_index(op.f("ix_import_warning_reason_code"), table_name="import_warning")
    op.drop_index(op.f("ix_import_warning_batch_id"), table_name="import_warning")
    op.drop_table("import_warning")
    _convert(to_seconds=False)
