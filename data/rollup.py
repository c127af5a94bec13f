"""Rollup tables that keep dashboard queries fast at millions of work-log rows.

Writers (importers, the demo generator, edit operations) call :func:`refresh` inside the same transaction as
their writes, for the people and dates they touched, so rollups are never stale.

What is kept (see the ``Rollup*`` models in :mod:`data.schema`):

* ``rollup_person_day`` — per person and date: minutes, night, statutory-holiday and AI-assisted minutes, sessions,
  sessions with a too-short break, Japanese daily overtime and the weekly overtime that arose that day (week from
  Sunday, the JP default), the employment in force and the minimum wage at its workplace that day.
* ``rollup_person_month`` — per person and month: the day rollup summed, minutes under an employee contract, the
  minimum wage owed for the hours (Σ minutes × MW ÷ 60) and pay by kind in the workplace currency.
* ``rollup_work_month`` / ``rollup_pay_month`` — per month × person × production × episode × role (× basis ×
  currency for pay): the grain of the workload, AI-share and cost charts.

A refresh recomputes whole weeks and whole months around the requested dates, because weekly overtime and monthly
totals depend on every day of their week or month. Pay items count in the month of their ``period_end``.

Employment and minimum-wage rows are resolved when a day is refreshed: after editing ``employment`` or
``minimum_wage`` call ``refresh(session)`` for the people concerned (no arguments: everyone), or run
``python -m data.rollup --database-url URL``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Float,
    Numeric,
    and_,
    bindparam,
    case,
    cast,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from data.cli import quiet_pipes
from data.periods import add_months, month_of, py_month_end, py_month_start, py_week_end, py_week_start, week_of
from data.reference import rule_parameter
from data.schema import (
    EMPLOYEE_TYPES,
    PIECE_BASES,
    Employment,
    MinimumWage,
    PayItem,
    Production,
    Role,
    RollupCutMonth,
    RollupPayCell,
    RollupPayMonth,
    RollupPersonDay,
    RollupPersonMonth,
    RollupPersonWeek,
    RollupWorkMonth,
    WorkLog,
)
from data.snapshots import name_stale_people

# Bases that count as wages for the minimum-wage test. Premiums, bonuses and allowances are left out: MHLW excludes
# premiums, bonuses and most allowances, and an allowance we cannot classify must not hide a shortfall.
MW_BASES = ("hourly", "monthly_salary", *PIECE_BASES)
PREMIUM_BASES = ("ot_premium", "holiday_premium", "night_premium")
ROLLUP_WEEK_START = "SUN"
_CHUNK = 500
_FAR_PAST = dt.date(1900, 1, 1)
_FAR_FUTURE = dt.date(9999, 12, 25)  # leaves room to widen to whole weeks


def _pos(expr: Any) -> ColumnElement[Any]:
    return case((expr > 0, expr), else_=0)


TABLE_SCAN_MIN_ROWS = 50_000  # below this the index walk costs too little to matter


def _person_in(column: Any, ids: Sequence[int], table_scan: bool) -> ColumnElement[bool]:
    # ``person_id + 0`` is the same number but no index can answer it, so SQLite scans the table in storage order.
    return (column + 0 if table_scan else column).in_(ids)


def _most_of_table(session: Session, ids: Sequence[int] | None, day_from: dt.date, day_to: dt.date) -> bool:
    """Whether the rows to re-aggregate are a large share of work_log, on SQLite.

    SQLite's planner has no statistics here and always walks the (person, date) index, fetching each row from
    wherever it lies: right for one person's month, about 2.5× slower than reading the table in order when a large
    import touched most of it (measured at 1 M rows). Counting the rows in range is an index-only query.
    PostgreSQL's planner makes this choice itself."""
    if session.get_bind().dialect.name != "sqlite" or ids is None:
        return False
    wl = WorkLog.__table__
    total = session.scalar(select(func.max(wl.c.id))) or 0
    if total < TABLE_SCAN_MIN_ROWS:
        return False
    conditions = [wl.c.person_id.in_(ids)]
    if day_from != _FAR_PAST:
        conditions.append(wl.c.work_date >= day_from)
    if day_to != _FAR_FUTURE:
        conditions.append(wl.c.work_date <= day_to)
    in_range = session.scalar(select(func.count()).select_from(wl).where(*conditions)) or 0
    return in_range * 3 > total


def _chunks(ids: Sequence[int] | None) -> Iterable[Sequence[int] | None]:
    if ids is None:
        yield None
        return
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def day_rows_query(
    dialect: str,
    *,
    week_start: str,
    daily_limit_minutes: int,
    weekly_limit_minutes: int,
    person_ids: Sequence[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    table_scan: bool = False,
):
    """Per person and date: work totals and Japanese overtime (daily, and weekly arising that day).

    ``start``/``end`` must be week boundaries for ``week_start`` so that every week is complete. Daily OT is
    max(0, non-holiday minutes − daily limit); weekly OT arises on the day the week's running total of the
    remaining non-holiday minutes passes the weekly limit. Statutory-holiday minutes are kept apart.
    ``table_scan`` reads the whole table instead of the (person, date) index: see :func:`_most_of_table`.
    """
    wl = WorkLog
    holiday = case((wl.is_statutory_holiday, wl.minutes), else_=0)
    # JP Art. 34: a shift over 6 h needs 45 min of break, over 8 h 60 min (worked + break = the shift).
    short_break = case(
        (and_(wl.minutes > 480, wl.break_minutes < 60), 1),
        (and_(wl.minutes > 360, wl.break_minutes < 45), 1),
        else_=0,
    )
    conditions = []
    if person_ids is not None:
        conditions.append(_person_in(wl.person_id, person_ids, table_scan))
    if start is not None:
        conditions.append(wl.work_date >= start)
    if end is not None:
        conditions.append(wl.work_date <= end)
    # Grouping by the bare column lets SQLite walk the index for its order; the expression makes it sort instead.
    person = wl.person_id + 0 if table_scan else wl.person_id
    day = (
        select(
            person.label("person_id"),
            wl.work_date.label("work_date"),
            func.sum(wl.minutes).label("minutes"),
            func.sum(wl.night_minutes).label("night_minutes"),
            func.sum(holiday).label("holiday_minutes"),
            func.sum(wl.minutes * wl.ai_assisted_fraction).label("ai_minutes"),
            func.coalesce(func.sum(wl.units), 0.0).label("units"),
            func.count().label("sessions"),
            func.sum(short_break).label("short_break_sessions"),
            func.max(wl.minutes).label("longest_session_minutes"),
        )
        .where(*conditions)
        .group_by(person, wl.work_date)
        .subquery("day")
    )
    regular_day = day.c.minutes - day.c.holiday_minutes
    daily_ot = _pos(regular_day - daily_limit_minutes)
    staged = select(
        *day.c,
        daily_ot.label("daily_ot_minutes"),
        (regular_day - daily_ot).label("straight_minutes"),
        week_of(day.c.work_date, dialect, week_start).label("week_start"),
    ).subquery("staged")
    running = select(
        *staged.c,
        func.sum(staged.c.straight_minutes)
        .over(partition_by=[staged.c.person_id, staged.c.week_start], order_by=staged.c.work_date)
        .label("running_minutes"),
    ).subquery("running")
    weekly_ot = _pos(running.c.running_minutes - weekly_limit_minutes) - _pos(
        running.c.running_minutes - running.c.straight_minutes - weekly_limit_minutes
    )
    return select(
        running.c.person_id,
        running.c.work_date,
        running.c.week_start,
        running.c.minutes,
        running.c.night_minutes,
        running.c.holiday_minutes,
        running.c.ai_minutes,
        running.c.units,
        running.c.sessions,
        running.c.short_break_sessions,
        running.c.longest_session_minutes,
        running.c.daily_ot_minutes,
        weekly_ot.label("weekly_ot_minutes"),
    )


def jp_hour_limits(session: Session, on: dt.date | None = None) -> tuple[int, int]:
    """(daily, weekly) statutory limits in minutes, from the rule_parameter table."""
    daily = rule_parameter(session, "JP", "hours.daily_limit_h", on=on)
    weekly = rule_parameter(session, "JP", "hours.weekly_limit_h", on=on)
    return round(float(daily) * 60), round(float(weekly) * 60)


def _mw_timeline(session: Session) -> dict[tuple[str, str], list[tuple[dt.date, Decimal]]]:
    timeline: dict[tuple[str, str], list[tuple[dt.date, Decimal]]] = {}
    for row in session.execute(
        select(
            MinimumWage.jurisdiction, MinimumWage.region, MinimumWage.effective_from, MinimumWage.rate_per_hour
        ).order_by(MinimumWage.effective_from)
    ):
        timeline.setdefault((row.jurisdiction, row.region), []).append((row.effective_from, Decimal(row.rate_per_hour)))
    return timeline


def _rate_on(points: list[tuple[dt.date, Decimal]], day: dt.date) -> Decimal | None:
    rate = None
    for since, value in points:
        if since <= day:
            rate = value
    return rate


def workplace_timelines(employment: Any, timeline: dict) -> list[tuple[str, ...]]:
    """The minimum-wage timelines that apply at an employment's workplace (the highest one governs)."""
    if employment.jurisdiction == "JP":
        keys = [("JP", employment.prefecture or "")]
    else:
        keys = [(employment.jurisdiction, "state"), (employment.jurisdiction, employment.city or "")]
    return [key for key in keys if key in timeline]


def employment_segments(
    employment: Any, timeline: dict, start: dt.date, end: dt.date
) -> list[tuple[dt.date, dt.date, Decimal | None]]:
    """Split an employment (clipped to start..end) where the workplace minimum wage changes: (from, to, rate)."""
    first = max(start, employment.start_date)
    last = min(end, employment.end_date or _FAR_FUTURE)
    if first > last:
        return []
    keys = workplace_timelines(employment, timeline)
    cuts = sorted({first} | {since for key in keys for since, _ in timeline[key] if first < since <= last})
    segments = []
    for i, since in enumerate(cuts):
        until = cuts[i + 1] - dt.timedelta(days=1) if i + 1 < len(cuts) else last
        rates = [r for r in (_rate_on(timeline[key], since) for key in keys) if r is not None]
        segments.append((since, until, max(rates) if rates else None))
    return segments


def _resolve_workplace(session: Session, ids: Sequence[int] | None, start: dt.date, end: dt.date) -> None:
    timeline = _mw_timeline(session)
    query = select(Employment).order_by(Employment.start_date, Employment.id)
    if ids is not None:
        query = query.where(Employment.person_id.in_(ids))
    params = []
    # Later employments overwrite earlier ones where they overlap: the newest contract in force governs.
    for employment in session.scalars(query):
        for since, until, rate in employment_segments(employment, timeline, start, end):
            params.append({"p": employment.person_id, "a": since, "b": until, "e": employment.id, "r": rate})
    if params:
        rpd = RollupPersonDay.__table__
        stmt = (
            update(rpd)
            .where(rpd.c.person_id == _bp("p"))
            .where(rpd.c.work_date >= _bp("a"), rpd.c.work_date <= _bp("b"))
            .values(employment_id=_bp("e"), mw_rate=_bp("r", Numeric(10, 2)))
        )
        session.execute(stmt, params)


def _bp(name: str, type_: Any = None) -> Any:
    return bindparam(name, type_=type_)


def _person_currency(person_id: Any) -> ColumnElement[str]:
    us = exists().where(Employment.person_id == person_id, Employment.jurisdiction == "US-CA")
    return case((us, "USD"), else_="JPY")


def _refresh_chunk(session: Session, ids: Sequence[int] | None, day_from: dt.date, day_to: dt.date) -> None:
    dialect = session.get_bind().dialect.name
    month_from, month_to = py_month_start(day_from), py_month_end(day_to)
    daily_limit, weekly_limit = jp_hour_limits(session)

    scan = _most_of_table(session, ids, day_from, day_to)

    def who(column: Any) -> list[Any]:
        return [] if ids is None else [column.in_(ids)]

    rpd, rpm, rwm, rpay = (t.__table__ for t in (RollupPersonDay, RollupPersonMonth, RollupWorkMonth, RollupPayMonth))
    session.execute(delete(rpd).where(*who(rpd.c.person_id), rpd.c.work_date.between(day_from, day_to)))
    session.execute(delete(rpm).where(*who(rpm.c.person_id), rpm.c.month_start.between(month_from, month_to)))
    session.execute(delete(rwm).where(*who(rwm.c.person_id), rwm.c.month_start.between(month_from, month_to)))
    session.execute(delete(rpay).where(*who(rpay.c.person_id), rpay.c.month_start.between(month_from, month_to)))

    days = day_rows_query(
        dialect,
        week_start=ROLLUP_WEEK_START,
        daily_limit_minutes=daily_limit,
        weekly_limit_minutes=weekly_limit,
        person_ids=ids,
        start=None if day_from == _FAR_PAST else day_from,
        end=None if day_to == _FAR_FUTURE else day_to,
        table_scan=scan,
    ).subquery()
    columns = [c for c in days.c if c.name != "week_start"]
    session.execute(insert(rpd).from_select([c.name for c in columns], select(*columns)))
    _resolve_workplace(session, ids, day_from, day_to)
    _refresh_weeks(session, ids, day_from, day_to)

    wl = WorkLog
    month = month_of(wl.work_date, dialect)
    work_conditions = [wl.work_date.between(month_from, month_to)]
    if ids is not None:
        work_conditions.append(_person_in(wl.person_id, ids, scan))
    work = (
        select(
            month.label("month_start"),
            wl.person_id,
            wl.production_id,
            wl.episode_id,
            wl.role_id,
            func.sum(wl.minutes),
            func.sum(wl.night_minutes),
            func.sum(case((wl.is_statutory_holiday, wl.minutes), else_=0)),
            func.sum(wl.minutes * wl.ai_assisted_fraction),
            func.coalesce(func.sum(wl.units), 0.0),
            func.coalesce(func.sum(wl.units * wl.ai_assisted_fraction), 0.0),
            func.count(),
        )
        .where(*work_conditions)
        .group_by(month, wl.person_id, wl.production_id, wl.episode_id, wl.role_id)
    )
    session.execute(
        insert(rwm).from_select(
            [
                "month_start",
                "person_id",
                "production_id",
                "episode_id",
                "role_id",
                "minutes",
                "night_minutes",
                "holiday_minutes",
                "ai_minutes",
                "units",
                "ai_units",
                "sessions",
            ],
            work,
        )
    )

    pi = PayItem
    pay_month = month_of(pi.period_end, dialect)
    pay = (
        select(
            pay_month.label("month_start"),
            pi.person_id,
            pi.production_id,
            pi.episode_id,
            pi.role_id,
            pi.basis,
            pi.currency,
            func.sum(pi.amount),
            func.coalesce(func.sum(pi.units), 0.0),
            func.count(),
        )
        .where(*who(pi.person_id), pi.period_end.between(month_from, month_to))
        .group_by(pay_month, pi.person_id, pi.production_id, pi.episode_id, pi.role_id, pi.basis, pi.currency)
    )
    session.execute(
        insert(rpay).from_select(
            [
                "month_start",
                "person_id",
                "production_id",
                "episode_id",
                "role_id",
                "basis",
                "currency",
                "amount",
                "units",
                "items",
            ],
            pay,
        )
    )

    day_month = month_of(rpd.c.work_date, dialect)
    is_employee = Employment.employment_type.in_(EMPLOYEE_TYPES)
    zero = literal(0)
    work_part = (
        select(
            rpd.c.person_id.label("person_id"),
            day_month.label("month_start"),
            rpd.c.minutes.label("minutes"),
            rpd.c.night_minutes.label("night_minutes"),
            rpd.c.holiday_minutes.label("holiday_minutes"),
            rpd.c.ai_minutes.label("ai_minutes"),
            rpd.c.units.label("units"),
            case((rpd.c.minutes > 0, 1), else_=0).label("days_worked"),
            (rpd.c.daily_ot_minutes + rpd.c.weekly_ot_minutes).label("ot_minutes"),
            case((is_employee, rpd.c.minutes), else_=0).label("employee_minutes"),
            case((rpd.c.mw_rate.is_not(None), rpd.c.minutes), else_=0).label("mw_minutes"),
            func.coalesce(rpd.c.minutes * rpd.c.mw_rate / 60, 0).label("mw_due_amount"),
            rpd.c.mw_rate.label("mw_rate"),
            zero.label("pay_amount"),
            zero.label("pay_mw_base_amount"),
            zero.label("pay_piece_amount"),
            zero.label("pay_premium_amount"),
        )
        .select_from(rpd.outerjoin(Employment, Employment.id == rpd.c.employment_id))
        .where(*who(rpd.c.person_id), rpd.c.work_date.between(month_from, month_to))
    )
    pay_part = select(
        rpay.c.person_id,
        rpay.c.month_start,
        *(
            zero.label(n)
            for n in (
                "minutes",
                "night_minutes",
                "holiday_minutes",
                "ai_minutes",
                "units",
                "days_worked",
                "ot_minutes",
                "employee_minutes",
                "mw_minutes",
                "mw_due_amount",
            )
        ),
        literal(None, Numeric(10, 2)).label("mw_rate"),
        rpay.c.amount.label("pay_amount"),
        case((rpay.c.basis.in_(MW_BASES), rpay.c.amount), else_=0).label("pay_mw_base_amount"),
        case((rpay.c.basis.in_(PIECE_BASES), rpay.c.amount), else_=0).label("pay_piece_amount"),
        case((rpay.c.basis.in_(PREMIUM_BASES), rpay.c.amount), else_=0).label("pay_premium_amount"),
    ).where(
        *who(rpay.c.person_id),
        rpay.c.month_start.between(month_from, month_to),
        rpay.c.currency == _person_currency(rpay.c.person_id),
    )
    both = work_part.union_all(pay_part).subquery("both")
    names = [
        "minutes",
        "night_minutes",
        "holiday_minutes",
        "ai_minutes",
        "units",
        "days_worked",
        "ot_minutes",
        "employee_minutes",
        "mw_minutes",
        "mw_due_amount",
        "pay_amount",
        "pay_mw_base_amount",
        "pay_piece_amount",
        "pay_premium_amount",
    ]
    month_rows = select(
        both.c.person_id,
        both.c.month_start,
        *(func.sum(both.c[n]) for n in names),
        func.min(both.c.mw_rate),
        func.max(both.c.mw_rate),
        _person_currency(both.c.person_id),
    ).group_by(both.c.person_id, both.c.month_start)
    session.execute(
        insert(rpm).from_select(
            ["person_id", "month_start", *names, "mw_min_rate", "mw_max_rate", "currency"], month_rows
        )
    )
    _refresh_shortfall(session, ids, month_from, month_to)
    _refresh_main_groups(session, ids, month_from, month_to)


UNASSIGNED = "unassigned"


def main_group_columns() -> dict[str, Any]:
    """Correlated subqueries giving a rollup_person_month row its main role, department and production: the one
    with most minutes in rollup_work_month that month; ties go to the first name, then the lowest id."""
    rpm, rwm = RollupPersonMonth.__table__, RollupWorkMonth.__table__
    same_month = and_(rwm.c.person_id == rpm.c.person_id, rwm.c.month_start == rpm.c.month_start)
    minutes = func.sum(rwm.c.minutes).desc()
    role_name = func.coalesce(Role.en, UNASSIGNED)
    department = func.coalesce(Role.department, UNASSIGNED)
    title = func.coalesce(Production.title, "(no production)")
    by_role = rwm.outerjoin(Role.__table__, Role.id == rwm.c.role_id)
    return {
        "main_role_id": select(rwm.c.role_id)
        .select_from(by_role)
        .where(same_month)
        .group_by(rwm.c.role_id, Role.en)
        .order_by(minutes, role_name, rwm.c.role_id)
        .limit(1)
        .scalar_subquery(),
        "main_department": select(department)
        .select_from(by_role)
        .where(same_month)
        .group_by(department)
        .order_by(minutes, department)
        .limit(1)
        .scalar_subquery(),
        "main_production_id": select(rwm.c.production_id)
        .select_from(rwm.outerjoin(Production.__table__, Production.id == rwm.c.production_id))
        .where(same_month)
        .group_by(rwm.c.production_id, Production.title)
        .order_by(minutes, title, rwm.c.production_id)
        .limit(1)
        .scalar_subquery(),
    }


def _refresh_main_groups(session: Session, ids: Sequence[int] | None, month_from: dt.date, month_to: dt.date) -> None:
    rpm = RollupPersonMonth.__table__
    session.execute(
        update(rpm)
        .where(
            *([] if ids is None else [rpm.c.person_id.in_(ids)]),
            rpm.c.month_start.between(month_from, month_to),
            rpm.c.minutes > 0,
        )
        .values(**main_group_columns())
    )


def _refresh_weeks(session: Session, ids: Sequence[int] | None, day_from: dt.date, day_to: dt.date) -> None:
    """Person × week totals from the day rollup; ``day_from``/``day_to`` are whole Sunday weeks (or open)."""
    rpd, rpw = RollupPersonDay.__table__, RollupPersonWeek.__table__
    who = [] if ids is None else [rpd.c.person_id.in_(ids)]
    session.execute(
        delete(rpw).where(
            *([] if ids is None else [rpw.c.person_id.in_(ids)]), rpw.c.week_start.between(day_from, day_to)
        )
    )
    week = week_of(rpd.c.work_date, session.get_bind().dialect.name, ROLLUP_WEEK_START)
    weeks = (
        select(
            rpd.c.person_id,
            week,
            func.sum(rpd.c.minutes),
            func.sum(rpd.c.night_minutes),
            func.sum(rpd.c.holiday_minutes),
            func.count(),
        )
        .where(*who, rpd.c.work_date.between(day_from, day_to), rpd.c.minutes > 0)
        .group_by(rpd.c.person_id, week)
    )
    names = ["person_id", "week_start", "minutes", "night_minutes", "holiday_minutes", "days_worked"]
    session.execute(insert(rpw).from_select(names, weeks))


def _refresh_shortfall(session: Session, ids: Sequence[int] | None, month_from: dt.date, month_to: dt.date) -> None:
    """For person-months whose base pay per hour is under the highest minimum wage of the month: the shortfall,
    Σ over days of hours × (that day's wage − the month's base rate) where positive (a month crossing an effective
    date is short only on the days under the higher wage)."""
    rpd, rpm = RollupPersonDay.__table__, RollupPersonMonth.__table__
    dialect = session.get_bind().dialect.name
    # Floats on both backends: the rate is a quotient, and Numeric division differs between them.
    base = cast(rpm.c.pay_mw_base_amount, Float) * 60.0 / cast(rpm.c.minutes, Float)
    gap = cast(rpd.c.mw_rate, Float) - base
    shortfall = (
        select(func.coalesce(func.sum(case((gap > 0, gap * rpd.c.minutes / 60.0), else_=0.0)), 0.0))
        .where(
            rpd.c.person_id == rpm.c.person_id,
            rpd.c.work_date >= rpm.c.month_start,
            month_of(rpd.c.work_date, dialect) == rpm.c.month_start,
            rpd.c.mw_rate.is_not(None),
        )
        .scalar_subquery()
    )
    session.execute(
        update(rpm)
        .where(
            *([] if ids is None else [rpm.c.person_id.in_(ids)]),
            rpm.c.month_start.between(month_from, month_to),
            rpm.c.minutes > 0,
            rpm.c.mw_max_rate.is_not(None),
            cast(rpm.c.pay_mw_base_amount, Float) * 60.0 < cast(rpm.c.mw_max_rate, Float) * rpm.c.minutes,
        )
        .values(mw_shortfall_amount=shortfall)
    )


def _refresh_pay_cells(session: Session, month_from: dt.date, month_to: dt.date) -> None:
    """Rebuild the person-free pay cells of the months from the person-level pay and work rollups (already current).

    Each person's pay in a cell gets the AI-assisted share of that person's hours in the same month × production ×
    episode × role (NULL keys match NULL keys).
    """
    rpay, rwm, cell = RollupPayMonth.__table__, RollupWorkMonth.__table__, RollupPayCell.__table__
    session.execute(delete(cell).where(cell.c.month_start.between(month_from, month_to)))
    # NULL matches NULL through COALESCE(…, -1), which also keeps SQLite on the (person, month) index: with plain
    # equality on production it picks the (production, month) index and reads thousands of rows per pay row.
    match = and_(
        rwm.c.person_id == rpay.c.person_id,
        rwm.c.month_start == rpay.c.month_start,
        *(
            func.coalesce(rwm.c[k], -1) == func.coalesce(rpay.c[k], -1)
            for k in ("production_id", "episode_id", "role_id")
        ),
        rwm.c.ai_minutes > 0,
        rwm.c.minutes > 0,
    )
    ai_amount = cast(rpay.c.amount, Float) * rwm.c.ai_minutes / rwm.c.minutes
    keys = [rpay.c.month_start, rpay.c.production_id, rpay.c.episode_id, rpay.c.role_id, rpay.c.basis, rpay.c.currency]
    cells = (
        select(
            *keys,
            func.sum(rpay.c.amount),
            func.coalesce(func.sum(ai_amount), 0.0),
            func.sum(rpay.c.units),
            func.sum(rpay.c["items"]),
        )
        .select_from(rpay.outerjoin(rwm, match))
        .where(rpay.c.month_start.between(month_from, month_to))
        .group_by(*keys)
    )
    names = ["month_start", "production_id", "episode_id", "role_id", "basis", "currency", "amount", "ai_amount"]
    session.execute(insert(cell).from_select([*names, "units", "items"], cells))


def _productions_of(
    session: Session, ids: Sequence[int] | None, month_from: dt.date, month_to: dt.date
) -> set[int | None]:
    if ids is None:
        return set()
    rwm = RollupWorkMonth.__table__
    found: set[int | None] = set()
    for chunk in _chunks(ids):
        found.update(
            session.scalars(
                select(rwm.c.production_id)
                .distinct()
                .where(rwm.c.person_id.in_(chunk), rwm.c.month_start.between(month_from, month_to))
            )
        )
    return found


def _refresh_cut_months(
    session: Session, productions: set[int | None] | None, month_from: dt.date, month_to: dt.date
) -> None:
    """Rebuild month × cut × role work for ``productions`` (None: all) in the months, from the work log."""
    if productions is not None and not productions:
        return
    wl, cut = WorkLog, RollupCutMonth.__table__
    month = month_of(wl.work_date, session.get_bind().dialect.name)
    known = sorted(p for p in (productions or ()) if p is not None)

    def scope(column: Any) -> list[Any]:
        if productions is None:
            return []
        either = [column.in_(known)] if known else []
        if None in productions:
            either.append(column.is_(None))
        return [or_(*either)]

    session.execute(delete(cut).where(*scope(cut.c.production_id), cut.c.month_start.between(month_from, month_to)))
    keys = [month, wl.production_id, wl.episode_id, wl.cut_id, wl.role_id]
    rows = (
        select(
            *keys,
            func.sum(wl.minutes),
            func.sum(wl.minutes * wl.ai_assisted_fraction),
            func.sum(case((wl.ai_assisted_fraction > 0, 1), else_=0)),
            func.count(),
        )
        .where(*scope(wl.production_id), wl.work_date.between(month_from, month_to), wl.cut_id.is_not(None))
        .group_by(*keys)
    )
    names = ["month_start", "production_id", "episode_id", "cut_id", "role_id", "minutes", "ai_minutes"]
    session.execute(insert(cut).from_select([*names, "ai_sessions", "sessions"], rows))


def refresh(
    session: Session,
    *,
    person_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> None:
    """Recompute the rollup rows for ``person_ids`` (all when None) between ``start`` and ``end`` (inclusive).

    The range is widened to whole months and then to whole weeks (from Sunday), so weekly overtime and monthly
    totals stay exact. Call it in the same transaction as the writes it reflects; it flushes the session first.
    """
    session.flush()
    ids = None if person_ids is None else sorted({int(p) for p in person_ids})
    if ids is not None and not ids:
        return
    day_from = py_week_start(py_month_start(start), ROLLUP_WEEK_START) if start else _FAR_PAST
    day_to = py_week_end(py_month_end(end), ROLLUP_WEEK_START) if end else _FAR_FUTURE
    if start and end and start > end:
        raise ValueError(f"refresh: start {start} is after end {end}")
    month_from, month_to = py_month_start(day_from), py_month_end(day_to)
    # Cut rows have no person: the productions those people worked on, before the edit and after it, are redone.
    productions = _productions_of(session, ids, month_from, month_to)
    for chunk in _chunks(ids):
        _refresh_chunk(session, chunk, day_from, day_to)
    if ids is not None:
        productions |= _productions_of(session, ids, month_from, month_to)
    _refresh_cut_months(session, None if ids is None else productions, month_from, month_to)
    # Person-free cells mix everyone's pay: rebuilt once for the months touched, after every person is current.
    _refresh_pay_cells(session, month_from, month_to)
    # Whose compliance findings may have changed (NULL: everyone's), for the next findings snapshot.
    name_stale_people(session, ids)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], py_month_start(start)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


@quiet_pipes
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.rollup", description="Rebuild every rollup table.")
    parser.add_argument("--database-url", help="default: DATABASE_URL or the embedded SQLite file")
    args = parser.parse_args(argv)
    from data.engine import make_engine, session_scope

    engine = make_engine(args.database_url)
    with session_scope(engine) as session:
        refresh(session)
    print("rollups rebuilt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
