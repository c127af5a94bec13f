"""The rows overtime is computed from: Japanese overtime per month as the rollups store it, worked days for other
week starts, and the days worked under a Californian contract."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from analytics.queries.base import frame, person_filter
from analytics.scope import Scope
from data.periods import py_month_end, py_month_start, py_week_end, py_week_start
from data.schema import Employment, Organization, RollupPersonDay, RollupPersonMonth

JP_MONTHLY_COLUMNS = ["person_id", "month", "hours", "ot_hours", "holiday_hours", "ot_plus_holiday_hours"]
JP_DAY_COLUMNS = ["person_id", "work_date", "seconds", "holiday_seconds"]
CA_DAY_COLUMNS = ["person_id", "work_date", "hours", "employment_type", "is_exempt"]


def _in_whole_weeks(day: Any, scope: Scope, week_start: str) -> list[ColumnElement[bool]]:
    """Conditions on a date column: the scope's period widened to whole weeks starting on ``week_start`` (weekly
    overtime needs them)."""
    conditions = []
    if scope.start is not None:
        conditions.append(day >= py_week_start(scope.start, week_start))
    if scope.end is not None:
        conditions.append(day <= py_week_end(scope.end, week_start))
    return conditions


def jp_months(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Japanese overtime per person and calendar month as the rollups store it (weeks from the rollup's week start),
    for the months of the scope's period. Months without seconds are left out.

    Columns: ``person_id``, ``month`` (datetime64), ``hours``, ``ot_hours``, ``holiday_hours``,
    ``ot_plus_holiday_hours``.
    """
    m = RollupPersonMonth
    return _months(session, _jp_months_query(scope).order_by(m.person_id, m.month_start))


def jp_months_most(session: Session, *, scope: Scope, rows: int) -> tuple[pd.DataFrame, int]:
    """The ``rows`` rows of :func:`jp_months` with most overtime and holiday work (ties: by person, then month), in
    that order, and how many rows :func:`jp_months` has: a table of the highest months without reading the
    hundreds of thousands of a studio's."""
    m = RollupPersonMonth
    query = _jp_months_query(scope)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    most = query.order_by((m.ot_seconds + m.holiday_seconds).desc(), m.person_id, m.month_start).limit(rows)
    return _months(session, most), int(total or 0)


def _jp_months_query(scope: Scope) -> Select:
    m = RollupPersonMonth
    query = select(
        m.person_id,
        m.month_start.label("month"),
        (m.seconds / 3600.0).label("hours"),
        (m.ot_seconds / 3600.0).label("ot_hours"),
        (m.holiday_seconds / 3600.0).label("holiday_hours"),
        ((m.ot_seconds + m.holiday_seconds) / 3600.0).label("ot_plus_holiday_hours"),
    ).where(m.seconds > 0, *person_filter(m.person_id, scope))
    if scope.start is not None:
        query = query.where(m.month_start >= py_month_start(scope.start))
    if scope.end is not None:
        query = query.where(m.month_start <= py_month_end(scope.end))
    return query


def _months(session: Session, query: Select) -> pd.DataFrame:
    # Read raw (numbers and the month only): a whole studio's months are hundreds of thousands of rows. SQLite then
    # hands the month back as text, which pandas reads at another resolution than date objects: made the same.
    df = frame(session, query, dates=("month",), raw=True)
    df["month"] = df["month"].astype("datetime64[s]")
    return df


def jp_days(session: Session, *, scope: Scope, week_start: str) -> pd.DataFrame:
    """Seconds worked per person and day in the whole weeks (starting on ``week_start``) around the scope's period,
    of which on a statutory holiday, sorted by person and date.

    Columns: ``person_id``, ``work_date`` (datetime64), ``seconds``, ``holiday_seconds``.
    """
    d = RollupPersonDay
    query = select(d.person_id, d.work_date, d.seconds, d.holiday_seconds).where(
        *person_filter(d.person_id, scope), *_in_whole_weeks(d.work_date, scope, week_start)
    )
    return frame(session, query.order_by(d.person_id, d.work_date), dates=("work_date",))


def ca_days(session: Session, *, scope: Scope, week_start: str) -> pd.DataFrame:
    """The days worked under a US-CA employment in the whole workweeks (starting on ``week_start``) around the
    scope's period, sorted by person and date.

    Columns: ``person_id``, ``work_date`` (datetime64), ``hours``, ``employment_type`` and ``is_exempt`` (of the
    employment in force that day), ``contract_week_start`` (the first weekday of its workweek the contract or its
    employer records; None: not recorded).
    """
    d = RollupPersonDay
    query = (
        select(
            d.person_id,
            d.work_date,
            (d.seconds / 3600.0).label("hours"),
            Employment.employment_type,
            Employment.is_exempt,
            func.coalesce(Employment.week_start, Organization.week_start).label("contract_week_start"),
        )
        .join(Employment, Employment.id == d.employment_id)
        .join(Organization, Organization.id == Employment.employer_id)
        .where(Employment.jurisdiction == "US-CA", d.seconds > 0, *person_filter(d.person_id, scope))
        .where(*_in_whole_weeks(d.work_date, scope, week_start))
    )
    return frame(session, query.order_by(d.person_id, d.work_date), dates=("work_date",))
