"""the law as of today: minimum wages by revision, dated parameters with their sources, the employer's week,
variable days off, wage bases

``minimum_wage``: a rate belongs to a revision cycle (``revision_year``: the JP fiscal year, the US-CA year) and may
be announced before its effective date is known (``effective_from`` NULL); ``checked_on`` says when the row was last
checked against its ``source``. One rate per place and revision (the old key, place and date, cannot hold a rate
whose date is unknown). ``rule_parameter``: ``source`` and ``checked_on`` for dated parameters read from a
publication (the exempt salary floor by year).

``organization.week_start`` / ``employment.week_start``: the first day of the work rules' week (NULL: Sunday, or
the employer's); ``days_off_4w_from``: variable days off (LSA Art. 35(2)), four-week periods counted from that day.
``employment.scheduled_daily_hours``: the divisor of a daily wage. ``pay_item.allowance_kind`` says what an
allowance pays for, and the ``daily`` basis (日給) is new. ``rollup_person_month`` keeps the wage bases by pay basis
(empty until the next ``python -m data.rollup``).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 09:00:00
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
ALLOWANCE_KINDS = ("commuting", "family", "housing", "living_apart", "children_education", "perfect_attendance",
                   "one_off", "job")  # fmt: skip
OLD_BASES = ("hourly", "monthly_salary", "per_cut", "per_sheet", "per_episode", "per_background", "fixed_fee", "bonus",
             "allowance", "ot_premium", "holiday_premium", "night_premium")  # fmt: skip
NEW_BASES = ("hourly", "daily", "monthly_salary", *OLD_BASES[2:])
BASE_COLUMNS = (
    (
        "mw_base_per_hour",
        "minimum-wage base: hourly and piece pay per hour worked, daily and monthly per scheduled hour",
    ),
    ("premium_base_per_hour", "premium base: as the minimum-wage base, with the allowances the premium base counts"),
    (
        "scheduled_base_per_hour",
        "of the premium base, the pay for scheduled time (daily, monthly): owed again per OT hour",
    ),
)
# The day each place's revision cycle turns (as data/seed/jurisdictions.json seeds minimum_wage_revision.*): a rate
# belongs to the cycle of the latest such day on or before its effective date.
CYCLE = {("JP", None): (10, 1), ("US-CA", "state"): (1, 1), ("US-CA", None): (7, 1)}


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _revision_year(jurisdiction: str, region: str, day: dt.date) -> int:
    month, first = CYCLE.get((jurisdiction, region)) or CYCLE.get((jurisdiction, None)) or (1, 1)
    return day.year if (day.month, day.day) >= (month, first) else day.year - 1


def _fill_revision_years() -> None:
    bind = op.get_bind()
    table = sa.table(
        "minimum_wage",
        sa.column("id", sa.Integer()),
        sa.column("jurisdiction", sa.String()),
        sa.column("region", sa.String()),
        sa.column("effective_from", sa.Date()),
        sa.column("revision_year", sa.Integer()),
    )
    rows = bind.execute(
        sa.select(table.c.id, table.c.jurisdiction, table.c.region, table.c.effective_from).order_by(
            table.c.effective_from, table.c.id
        )
    ).all()
    taken: dict[tuple[str, str, int], int] = {}
    for row in rows:
        day: Any = row.effective_from
        if isinstance(day, str):  # SQLite's driver hands dates over as text through a bare table()
            day = dt.date.fromisoformat(day)
        year = _revision_year(row.jurisdiction, row.region, day)
        if (row.jurisdiction, row.region, year) in taken:
            # Two revisions within one cycle: the later is named by its own calendar year, when that is free.
            year = day.year
        if (row.jurisdiction, row.region, year) in taken:
            raise RuntimeError(
                f"minimum_wage rows {taken[row.jurisdiction, row.region, year]} and {row.id} "
                f"({row.jurisdiction} {row.region}) fall in one revision cycle; delete one and upgrade again"
            )
        taken[row.jurisdiction, row.region, year] = row.id
        bind.execute(sa.update(table).where(table.c.id == row.id).values(revision_year=year))


def upgrade() -> None:
    with op.batch_alter_table("minimum_wage") as batch:
        batch.add_column(
            sa.Column(
                "revision_year",
                sa.Integer(),
                nullable=True,
                comment="the revision cycle the rate belongs to: JP fiscal year (令和8年度 = 2026), US-CA year",
            )
        )
        batch.add_column(
            sa.Column(
                "checked_on", sa.Date(), nullable=True, comment="when the row was last checked against its source"
            )
        )
    _fill_revision_years()
    with op.batch_alter_table("minimum_wage") as batch:
        batch.alter_column(
            "revision_year",
            existing_type=sa.Integer(),
            nullable=False,
            existing_comment="the revision cycle the rate belongs to: JP fiscal year (令和8年度 = 2026), US-CA year",
        )
        batch.alter_column(
            "effective_from", existing_type=sa.Date(), nullable=True, comment="NULL: announced, date not known"
        )
        batch.drop_constraint(op.f("uq_minimum_wage_jurisdiction_region_effective_from"), type_="unique")
        batch.create_unique_constraint(
            op.f("uq_minimum_wage_jurisdiction_region_revision_year"), ["jurisdiction", "region", "revision_year"]
        )
    with op.batch_alter_table("rule_parameter") as batch:
        batch.add_column(
            sa.Column(
                "source", sa.String(length=200), nullable=True, comment="where the value was read (a dated parameter)"
            )
        )
        batch.add_column(sa.Column("checked_on", sa.Date(), nullable=True, comment="when the value was last checked"))
    with op.batch_alter_table("organization") as batch:
        batch.add_column(
            sa.Column(
                "week_start",
                sa.String(length=3),
                nullable=True,
                comment="first day of the work rules' week (MON…SUN); NULL: the statutory default, Sunday",
            )
        )
        batch.add_column(
            sa.Column(
                "days_off_4w_from",
                sa.Date(),
                nullable=True,
                comment="JP variable days off (LSA Art. 35(2)): four-week periods counted from this day; NULL: weekly",
            )
        )
        batch.create_check_constraint(
            op.f("ck_organization_week_start"), f"week_start IS NULL OR {_in('week_start', WEEKDAYS)}"
        )
    with op.batch_alter_table("employment") as batch:
        batch.add_column(
            sa.Column(
                "scheduled_daily_hours",
                sa.Float(),
                nullable=True,
                comment="scheduled hours a day (JP 1日の所定労働時間): the divisor of a daily wage",
            )
        )
        batch.add_column(
            sa.Column(
                "week_start",
                sa.String(length=3),
                nullable=True,
                comment="first day of this contract's week when it differs from the employer's (MON…SUN)",
            )
        )
        batch.add_column(
            sa.Column(
                "days_off_4w_from",
                sa.Date(),
                nullable=True,
                comment="JP variable days off (LSA Art. 35(2)) for this contract, from this day; else the employer's",
            )
        )
        batch.create_check_constraint(
            op.f("ck_employment_scheduled_daily_hours"),
            "scheduled_daily_hours IS NULL OR (scheduled_daily_hours > 0 AND scheduled_daily_hours <= 24)",
        )
        batch.create_check_constraint(
            op.f("ck_employment_week_start"), f"week_start IS NULL OR {_in('week_start', WEEKDAYS)}"
        )
    with op.batch_alter_table("pay_item") as batch:
        batch.add_column(
            sa.Column(
                "allowance_kind",
                sa.String(length=20),
                nullable=True,
                comment="what an allowance is for (commuting, family, housing …): which wage bases leave it out",
            )
        )
        batch.drop_constraint(op.f("ck_pay_item_basis"), type_="check")
        batch.create_check_constraint(op.f("ck_pay_item_basis"), _in("basis", NEW_BASES))
        batch.create_check_constraint(
            op.f("ck_pay_item_allowance_kind"),
            f"allowance_kind IS NULL OR (basis = 'allowance' AND {_in('allowance_kind', ALLOWANCE_KINDS)})",
        )
    with op.batch_alter_table("role") as batch:
        batch.drop_constraint(op.f("ck_role_pay_basis"), type_="check")
        batch.create_check_constraint(
            op.f("ck_role_pay_basis"), _in("default_pay_basis", NEW_BASES) + " OR default_pay_basis IS NULL"
        )
    # Filled by the next refresh (python -m data.rollup): a migration does not run application code.
    with op.batch_alter_table("rollup_person_month") as batch:
        for name, comment in BASE_COLUMNS:
            batch.add_column(sa.Column(name, sa.Float(), nullable=True, comment=comment))
        batch.add_column(
            sa.Column(
                "base_assumed",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
                comment="no schedule recorded: the statutory one assumed",
            )
        )


def downgrade() -> None:
    bind = op.get_bind()
    daily = bind.execute(sa.text("SELECT count(*) FROM pay_item WHERE basis = 'daily'")).scalar()
    if daily:
        raise RuntimeError(
            f"{daily} pay items are paid by the day, which the schema before 0019 cannot hold; change or delete them"
        )
    # Rates announced without a date cannot be kept where every rate needs one.
    op.execute("DELETE FROM minimum_wage WHERE effective_from IS NULL")
    with op.batch_alter_table("rollup_person_month") as batch:
        batch.drop_column("base_assumed")
        for name, _ in reversed(BASE_COLUMNS):
            batch.drop_column(name)
    with op.batch_alter_table("role") as batch:
        batch.drop_constraint(op.f("ck_role_pay_basis"), type_="check")
        batch.create_check_constraint(
            op.f("ck_role_pay_basis"), _in("default_pay_basis", OLD_BASES) + " OR default_pay_basis IS NULL"
        )
    with op.batch_alter_table("pay_item") as batch:
        batch.drop_constraint(op.f("ck_pay_item_allowance_kind"), type_="check")
        batch.drop_constraint(op.f("ck_pay_item_basis"), type_="check")
        batch.create_check_constraint(op.f("ck_pay_item_basis"), _in("basis", OLD_BASES))
        batch.drop_column("allowance_kind")
    with op.batch_alter_table("employment") as batch:
        batch.drop_constraint(op.f("ck_employment_week_start"), type_="check")
        batch.drop_constraint(op.f("ck_employment_scheduled_daily_hours"), type_="check")
        batch.drop_column("days_off_4w_from")
        batch.drop_column("week_start")
        batch.drop_column("scheduled_daily_hours")
    with op.batch_alter_table("organization") as batch:
        batch.drop_constraint(op.f("ck_organization_week_start"), type_="check")
        batch.drop_column("days_off_4w_from")
        batch.drop_column("week_start")
    with op.batch_alter_table("rule_parameter") as batch:
        batch.drop_column("checked_on")
        batch.drop_column("source")
    with op.batch_alter_table("minimum_wage") as batch:
        batch.drop_constraint(op.f("uq_minimum_wage_jurisdiction_region_revision_year"), type_="unique")
        batch.create_unique_constraint(
            op.f("uq_minimum_wage_jurisdiction_region_effective_from"), ["jurisdiction", "region", "effective_from"]
        )
        batch.alter_column(
            "effective_from", existing_type=sa.Date(), nullable=False, existing_comment="NULL: announced, date not known",
            comment=None,
        )  # fmt: skip
        batch.drop_column("checked_on")
        batch.drop_column("revision_year")
