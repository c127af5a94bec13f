"""Overtime under Japanese and Californian rules, from logged hours.

Japan (§7.2-2): per day ``daily_ot = max(0, h − 8)`` on days that are not statutory holidays; per week
``weekly_ot = max(0, Σ non-holiday hours − 40 − Σ daily_ot)``, arising on the day the week's running total passes 40 h;
statutory-holiday hours are kept apart (``holiday_hours``). Limits come from the ``rule_parameter`` table.

California (§7.2-3): per day hours in (8, 12] at 1.5×, beyond 12 at 2×; on the seventh consecutive day of a workweek
the first 8 h at 1.5× and the rest at 2×; then straight-time hours beyond 40 in the workweek at 1.5×.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.queries.base import dialect, frame, selected_people
from analytics.scope import Scope, check_range
from data.periods import py_month_end, py_month_start, py_week_end, py_week_start, week_start_index
from data.reference import rule_parameter
from data.rollup import ROLLUP_WEEK_START, day_rows_query, jp_hour_limits
from data.schema import Employment, RollupPersonDay, RollupPersonMonth

JP_MONTHLY_COLUMNS = ["person_id", "month", "hours", "ot_hours", "holiday_hours", "ot_plus_holiday_hours"]


def jp_overtime_daily(
    *,
    session: Session,
    person_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    week_start: str = "SUN",
) -> pd.DataFrame:
    """Japanese overtime per person and day.

    Columns: ``person_id``, ``work_date``, ``week_start`` (datetime64), ``hours``, ``holiday_hours``,
    ``daily_ot_hours``, ``weekly_ot_hours`` (weekly overtime arising that day), ``ot_hours`` (their sum).
    Whole weeks around ``start``/``end`` are computed so that weekly overtime is exact, then clipped.
    """
    check_range(start, end)
    week_start_index(week_start)
    daily, weekly = jp_hour_limits(session)
    ids = None if person_ids is None else list(person_ids)
    query = day_rows_query(
        dialect(session),
        week_start=week_start,
        daily_limit_minutes=daily,
        weekly_limit_minutes=weekly,
        person_ids=ids,
        start=py_week_start(start, week_start) if start else None,
        end=py_week_end(end, week_start) if end else None,
    ).subquery()
    out = select(
        query.c.person_id,
        query.c.work_date,
        query.c.week_start,
        (query.c.minutes / 60.0).label("hours"),
        (query.c.holiday_minutes / 60.0).label("holiday_hours"),
        (query.c.daily_ot_minutes / 60.0).label("daily_ot_hours"),
        (query.c.weekly_ot_minutes / 60.0).label("weekly_ot_hours"),
        ((query.c.daily_ot_minutes + query.c.weekly_ot_minutes) / 60.0).label("ot_hours"),
    )
    if start is not None:
        out = out.where(query.c.work_date >= start)
    if end is not None:
        out = out.where(query.c.work_date <= end)
    return frame(session, out.order_by(query.c.person_id, query.c.work_date), dates=("work_date", "week_start"))


def jp_overtime_monthly(session: Session, *, scope: Scope, week_start: str = "SUN") -> pd.DataFrame:
    """Japanese overtime and statutory-holiday hours per person and calendar month, for the people in scope in the
    months of its period.

    Columns: ``person_id``, ``month`` (datetime64), ``hours``, ``ot_hours``, ``holiday_hours``,
    ``ot_plus_holiday_hours`` (what the 100 h and 80 h-average caps measure). With the default Sunday week this
    reads ``rollup_person_month``; another ``week_start`` recomputes from the work log.
    """
    ids, start, end = selected_people(session, scope), scope.start, scope.end
    first = py_month_start(start) if start else None
    last = py_month_end(end) if end else None
    if week_start_index(week_start) == week_start_index(ROLLUP_WEEK_START):
        m = RollupPersonMonth
        query = select(
            m.person_id,
            m.month_start.label("month"),
            (m.minutes / 60.0).label("hours"),
            (m.ot_minutes / 60.0).label("ot_hours"),
            (m.holiday_minutes / 60.0).label("holiday_hours"),
            ((m.ot_minutes + m.holiday_minutes) / 60.0).label("ot_plus_holiday_hours"),
        ).where(m.minutes > 0)
        if ids is not None:
            query = query.where(m.person_id.in_(ids))
        if first is not None:
            query = query.where(m.month_start >= first)
        if last is not None:
            query = query.where(m.month_start <= last)
        return frame(session, query.order_by(m.person_id, m.month_start), dates=("month",))
    days = jp_overtime_daily(session=session, person_ids=ids, start=first, end=last, week_start=week_start)
    if days.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in JP_MONTHLY_COLUMNS})
    days["month"] = days["work_date"].dt.to_period("M").dt.to_timestamp()
    out = days.groupby(["person_id", "month"], as_index=False)[["hours", "ot_hours", "holiday_hours"]].sum()
    out["ot_plus_holiday_hours"] = out["ot_hours"] + out["holiday_hours"]
    return out[JP_MONTHLY_COLUMNS]


CA_COLUMNS = [
    "person_id",
    "week_start",
    "hours",
    "straight_hours",
    "ot_1_5_hours",
    "ot_2_hours",
    "seventh_day",
    "employment_type",
    "is_exempt",
]


def ca_overtime_weekly(
    *,
    session: Session,
    person_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    week_start: str = "SUN",
) -> pd.DataFrame:
    """California overtime per person and workweek, for days worked under a US-CA employment.

    Columns: ``person_id``, ``week_start`` (datetime64), ``hours``, ``straight_hours``, ``ot_1_5_hours``,
    ``ot_2_hours``, ``seventh_day`` (bool: worked all seven days, so the seventh-day rule applied),
    ``employment_type``, ``is_exempt`` (of the employment in force on the week's last day worked).
    """
    check_range(start, end)
    d = RollupPersonDay
    params = _ca_params(session)
    query = (
        select(
            d.person_id,
            d.work_date,
            (d.minutes / 60.0).label("hours"),
            Employment.employment_type,
            Employment.is_exempt,
        )
        .join(Employment, Employment.id == d.employment_id)
        .where(Employment.jurisdiction == "US-CA", d.minutes > 0)
    )
    if person_ids is not None:
        query = query.where(d.person_id.in_(list(person_ids)))
    if start is not None:
        query = query.where(d.work_date >= py_week_start(start, week_start))
    if end is not None:
        query = query.where(d.work_date <= py_week_end(end, week_start))
    days = frame(session, query.order_by(d.person_id, d.work_date), dates=("work_date",))
    if days.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in CA_COLUMNS})
    days["week_start"] = [pd.Timestamp(py_week_start(x.date(), week_start)) for x in days["work_date"]]
    rows = []
    for (person, week), group in days.groupby(["person_id", "week_start"], sort=True):
        rows.append(_ca_week(person, week, group, params))
    return pd.DataFrame(rows, columns=CA_COLUMNS)


def _ca_params(session: Session) -> dict[str, float]:
    daily = rule_parameter(session, "US-CA", "overtime.daily")
    weekly = rule_parameter(session, "US-CA", "overtime.weekly")
    seventh_first = rule_parameter(session, "US-CA", "overtime.seventh_consecutive_day.first_h")
    return {
        "day_1_5": float(daily[0]["over_h"]),
        "day_2": float(daily[1]["over_h"]),
        "week": float(weekly[0]["over_h"]),
        "seventh_first": float(seventh_first),
    }


def _ca_week(person: int, week: pd.Timestamp, group: pd.DataFrame, p: dict[str, float]) -> list:
    seventh_day = len(group) == 7
    straight = ot15 = ot2 = 0.0
    for i, hours in enumerate(group["hours"]):
        if seventh_day and i == 6:
            ot15 += min(hours, p["seventh_first"])
            ot2 += max(hours - p["seventh_first"], 0.0)
            continue
        straight += min(hours, p["day_1_5"])
        ot15 += min(max(hours - p["day_1_5"], 0.0), p["day_2"] - p["day_1_5"])
        ot2 += max(hours - p["day_2"], 0.0)
    # Weekly overtime only re-prices straight-time hours, so no hour is counted twice (no pyramiding).
    weekly = max(straight - p["week"], 0.0)
    last = group.iloc[-1]
    return [
        person,
        week,
        float(group["hours"].sum()),
        straight - weekly,
        ot15 + weekly,
        ot2,
        seventh_day,
        last["employment_type"],
        bool(last["is_exempt"]),
    ]
