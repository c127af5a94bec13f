"""Week and month rollups: ``rollup_person_week`` from the days, ``rollup_work_month`` from the work log and
``rollup_person_month`` from the days and the pay months, with the month's main role, department and production."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Numeric, and_, case, delete, exists, func, insert, literal, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from data.law.params import SECONDS_PER_HOUR
from data.law.wages import MINIMUM_WAGE_BASES, PIECE_BASES, PREMIUM_BASES
from data.periods import month_of, week_start_days
from data.rollup.days import Days
from data.rollup.reading import who, work_conditions
from data.rollup.rows import insert_columns
from data.schema import (
    EMPLOYEE_TYPES,
    Employment,
    Production,
    Role,
    RollupPayMonth,
    RollupPersonDay,
    RollupPersonMonth,
    RollupPersonWeek,
    RollupWorkMonth,
    WorkLog,
)

UNASSIGNED = "unassigned"
EPOCH = np.datetime64("1970-01-01", "D")
MONTH_SUMS = (
    "seconds",
    "night_seconds",
    "holiday_seconds",
    "ai_seconds",
    "units",
    "days_worked",
    "ot_seconds",
    "employee_seconds",
    "mw_seconds",
    "mw_due_amount",
)
PAY_SUMS = ("pay_amount", "pay_mw_base_amount", "pay_piece_amount", "pay_premium_amount")


def refresh_weeks(
    session: Session, days: Days, *, ids: Sequence[int] | None, day_from: dt.date, day_to: dt.date, week_start: str
) -> None:
    """Person × week totals of the days worked in ``days`` (the day rollup just written for ``ids``, None: everyone,
    from ``day_from`` to ``day_to``: whole weeks from ``week_start``)."""
    rpw = RollupPersonWeek.__table__
    session.execute(delete(rpw).where(*who(rpw.c.person_id, ids), rpw.c.week_start.between(day_from, day_to)))
    worked = days.seconds > 0
    if not worked.any():
        return
    person, week = days.person_id[worked], week_start_days(days.day[worked], week_start)
    new = np.ones(len(week), dtype=bool)
    new[1:] = (person[1:] != person[:-1]) | (week[1:] != week[:-1])
    first = np.flatnonzero(new)  # days come sorted by person and date: a person's week is a run of rows

    def total(column: npt.NDArray[np.int64]) -> list[int]:
        return np.add.reduceat(column[worked], first).tolist()

    values = [
        person[first].tolist(),
        (EPOCH + week[first]).astype(object).tolist(),
        total(days.seconds),
        total(days.night_seconds),
        total(days.holiday_seconds),
        np.diff(np.append(first, len(week))).tolist(),
    ]
    names = ["person_id", "week_start", "seconds", "night_seconds", "holiday_seconds", "days_worked"]
    insert_columns(session, rpw, names, values)


def refresh_work_months(
    session: Session, *, ids: Sequence[int] | None, month_from: dt.date, month_to: dt.date, table_scan: bool
) -> None:
    """Rebuild ``rollup_work_month`` (month × person × production × episode × role) from the work log."""
    rwm = RollupWorkMonth.__table__
    session.execute(delete(rwm).where(*who(rwm.c.person_id, ids), rwm.c.month_start.between(month_from, month_to)))
    wl = WorkLog
    month = month_of(wl.work_date, session.get_bind().dialect.name)
    work = (
        select(
            month.label("month_start"),
            wl.person_id,
            wl.production_id,
            wl.episode_id,
            wl.role_id,
            func.sum(wl.seconds),
            func.sum(wl.night_seconds),
            func.sum(case((wl.is_statutory_holiday, wl.seconds), else_=0)),
            func.sum(wl.seconds * wl.ai_assisted_fraction),
            func.coalesce(func.sum(wl.units), 0.0),
            func.coalesce(func.sum(wl.units * wl.ai_assisted_fraction), 0.0),
            func.count(),
        )
        .where(wl.work_date.between(month_from, month_to), *work_conditions(ids=ids, start=None, end=None,
                                                                            table_scan=table_scan))
        .group_by(month, wl.person_id, wl.production_id, wl.episode_id, wl.role_id)
    )  # fmt: skip
    names = ["month_start", "person_id", "production_id", "episode_id", "role_id", "seconds", "night_seconds"]
    session.execute(insert(rwm).from_select([*names, "holiday_seconds", "ai_seconds", "units", "ai_units",
                                             "sessions"], work))  # fmt: skip


def _person_currency(person_id: Any) -> ColumnElement[str]:
    us = exists().where(Employment.person_id == person_id, Employment.jurisdiction == "US-CA")
    return case((us, "USD"), else_="JPY")


def refresh_person_months(
    session: Session, *, ids: Sequence[int] | None, month_from: dt.date, month_to: dt.date
) -> None:
    """Rebuild ``rollup_person_month`` from the day and pay-month rollups (both already current): work, overtime and
    the minimum wage owed for the hours from the days; pay by kind (the law's bases) in the workplace currency."""
    rpd, rpm, rpay = RollupPersonDay.__table__, RollupPersonMonth.__table__, RollupPayMonth.__table__
    session.execute(delete(rpm).where(*who(rpm.c.person_id, ids), rpm.c.month_start.between(month_from, month_to)))
    day_month = month_of(rpd.c.work_date, session.get_bind().dialect.name)
    is_employee = Employment.employment_type.in_(EMPLOYEE_TYPES)
    zero = literal(0)
    work_part = (
        select(
            rpd.c.person_id.label("person_id"),
            day_month.label("month_start"),
            rpd.c.seconds.label("seconds"),
            rpd.c.night_seconds.label("night_seconds"),
            rpd.c.holiday_seconds.label("holiday_seconds"),
            rpd.c.ai_seconds.label("ai_seconds"),
            rpd.c.units.label("units"),
            case((rpd.c.seconds > 0, 1), else_=0).label("days_worked"),
            (rpd.c.daily_ot_seconds + rpd.c.weekly_ot_seconds).label("ot_seconds"),
            case((is_employee, rpd.c.seconds), else_=0).label("employee_seconds"),
            case((rpd.c.mw_rate.is_not(None), rpd.c.seconds), else_=0).label("mw_seconds"),
            func.coalesce(rpd.c.seconds * rpd.c.mw_rate / SECONDS_PER_HOUR, 0).label("mw_due_amount"),
            rpd.c.mw_rate.label("mw_rate"),
            *(zero.label(n) for n in PAY_SUMS),
        )
        .select_from(rpd.outerjoin(Employment, Employment.id == rpd.c.employment_id))
        .where(*who(rpd.c.person_id, ids), rpd.c.work_date.between(month_from, month_to))
    )
    pay_part = select(
        rpay.c.person_id,
        rpay.c.month_start,
        *(zero.label(n) for n in MONTH_SUMS),
        literal(None, Numeric(10, 2)).label("mw_rate"),
        rpay.c.amount.label("pay_amount"),
        case((rpay.c.basis.in_(MINIMUM_WAGE_BASES), rpay.c.amount), else_=0).label("pay_mw_base_amount"),
        case((rpay.c.basis.in_(PIECE_BASES), rpay.c.amount), else_=0).label("pay_piece_amount"),
        case((rpay.c.basis.in_(PREMIUM_BASES), rpay.c.amount), else_=0).label("pay_premium_amount"),
    ).where(
        *who(rpay.c.person_id, ids),
        rpay.c.month_start.between(month_from, month_to),
        rpay.c.currency == _person_currency(rpay.c.person_id),
    )
    both = work_part.union_all(pay_part).subquery("both")
    names = [*MONTH_SUMS, *PAY_SUMS]
    month_rows = select(
        both.c.person_id,
        both.c.month_start,
        *(func.sum(both.c[n]) for n in names),
        func.min(both.c.mw_rate),
        func.max(both.c.mw_rate),
        _person_currency(both.c.person_id),
    ).group_by(both.c.person_id, both.c.month_start)
    columns = ["person_id", "month_start", *names, "mw_min_rate", "mw_max_rate", "currency"]
    session.execute(insert(rpm).from_select(columns, month_rows))


def main_group_columns() -> dict[str, Any]:
    """Correlated subqueries giving a rollup_person_month row its main role, department and production: the one
    with most seconds in rollup_work_month that month; ties go to the first name, then the lowest id."""
    rpm, rwm = RollupPersonMonth.__table__, RollupWorkMonth.__table__
    same_month = and_(rwm.c.person_id == rpm.c.person_id, rwm.c.month_start == rpm.c.month_start)
    seconds = func.sum(rwm.c.seconds).desc()
    role_name = func.coalesce(Role.en, UNASSIGNED)
    department = func.coalesce(Role.department, UNASSIGNED)
    title = func.coalesce(Production.title, "(no production)")
    by_role = rwm.outerjoin(Role.__table__, Role.id == rwm.c.role_id)
    return {
        "main_role_id": select(rwm.c.role_id)
        .select_from(by_role)
        .where(same_month)
        .group_by(rwm.c.role_id, Role.en)
        .order_by(seconds, role_name, rwm.c.role_id)
        .limit(1)
        .scalar_subquery(),
        "main_department": select(department)
        .select_from(by_role)
        .where(same_month)
        .group_by(department)
        .order_by(seconds, department)
        .limit(1)
        .scalar_subquery(),
        "main_production_id": select(rwm.c.production_id)
        .select_from(rwm.outerjoin(Production.__table__, Production.id == rwm.c.production_id))
        .where(same_month)
        .group_by(rwm.c.production_id, Production.title)
        .order_by(seconds, title, rwm.c.production_id)
        .limit(1)
        .scalar_subquery(),
    }


def refresh_main_groups(session: Session, *, ids: Sequence[int] | None, month_from: dt.date, month_to: dt.date) -> None:
    """Fill each worked person-month's main role, department and production (:func:`main_group_columns`)."""
    rpm = RollupPersonMonth.__table__
    session.execute(
        update(rpm)
        .where(*who(rpm.c.person_id, ids), rpm.c.month_start.between(month_from, month_to), rpm.c.seconds > 0)
        .values(**main_group_columns())
    )
