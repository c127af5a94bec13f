"""Hours worked, from the rollup tables (``data.rollup``), so the dashboard stays fast at millions of work-log rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, cast, func, literal, select
from sqlalchemy.orm import Session

from analytics.queries.base import (
    dialect,
    frame,
    group_grain,
    in_period,
    packed,
    packed_day,
    packed_rows,
    person_filter,
    scoped,
    scoped_grain,
    unpacked,
    unpacked_dates,
    workers,
)
from analytics.scope import Scope
from data.periods import py_week_start, week_of, week_start_index
from data.rollup import week_start as rollup_week_start
from data.schema import Episode, Production, Role, RollupPersonDay, RollupPersonMonth, RollupPersonWeek, RollupWorkMonth


def hours_by(session: Session, *, scope: Scope, by: Sequence[str]) -> pd.DataFrame:
    """The rows of the scope (:func:`~analytics.queries.base.scoped`) summed per ``by`` (any of ``month``,
    ``person``, ``production``, ``episode``, ``department``, ``role``; the caller checks the names).

    Columns: the grouping columns (``month`` datetime64; ``person_id``; ``production_id``, ``production``;
    ``episode_id``, ``episode``; ``department``; ``role``), then ``hours``, ``night_hours``, ``holiday_hours``,
    ``ai_hours``, ``units``, ``sessions``, ``people`` (distinct people).
    """
    grain = group_grain(by, scope)
    w = grain if grain is not None else RollupWorkMonth
    keys = []
    for dim in by:
        if dim == "month":
            keys.append(w.month_start.label("month"))
        elif dim == "person":
            keys.append(w.person_id.label("person_id"))
        elif dim == "production":
            keys += [w.production_id.label("production_id"), Production.title.label("production")]
        elif dim == "episode":
            keys += [w.episode_id.label("episode_id"), Episode.label.label("episode")]
        elif dim == "department" and grain is not None:
            keys.append(w.department.label("department"))
        elif dim == "department":
            keys.append(func.coalesce(Role.department, literal("unassigned")).label("department"))
        elif dim == "role":
            keys.append(func.coalesce(Role.code, literal("unassigned")).label("role"))
    source = w.__table__
    if "production" in by:
        source = source.outerjoin(Production, Production.id == w.production_id)
    if "episode" in by:
        source = source.outerjoin(Episode, Episode.id == w.episode_id)
    if ("department" in by or "role" in by) and grain is None:
        source = source.outerjoin(Role, Role.id == w.role_id)
    # At the stored grain each row is one cell: its people are counted already.
    people = func.sum(w.people) if grain is not None else func.count(func.distinct(w.person_id))
    query = select(
        *keys,
        (func.sum(w.seconds) / 3600.0).label("hours"),
        (func.sum(w.night_seconds) / 3600.0).label("night_hours"),
        (func.sum(w.holiday_seconds) / 3600.0).label("holiday_hours"),
        (func.sum(w.ai_seconds) / 3600.0).label("ai_hours"),
        func.sum(w.units).label("units"),
        # PostgreSQL sums a BIGINT (the stored grains' columns) as NUMERIC: keep a count an integer.
        cast(func.sum(w.sessions), BigInteger).label("sessions"),
        people.label("people"),
    ).select_from(source)
    query = scoped_grain(query, w, scope) if grain is not None else scoped(query, w, scope)
    if keys:
        query = query.group_by(*keys).order_by(*keys)
    return frame(session, query, dates=("month",))


def weekly_hours(session: Session, *, scope: Scope, week_start: str = "SUN") -> pd.DataFrame:
    """Hours per person and week (weeks begin on ``week_start``, Sunday by default as in Japan), for the people the
    scope selects (:func:`~analytics.queries.base.workers`: all their hours) on the days of its period.

    Columns: ``person_id``, ``week_start`` (datetime64), ``hours``, ``night_hours``, ``holiday_hours``,
    ``days_worked``.
    """
    parts = _week_parts(session, scope, week_start)
    if parts is None:
        return _weekly_from_days(session, scope, scope.start, scope.end, week_start)
    before, conditions, after = parts
    frames = [_weekly_from_days(session, scope, *days, week_start) for days in before]
    frames.append(_whole_weeks(session, conditions))
    frames += [_weekly_from_days(session, scope, *days, week_start) for days in after]
    if len(frames) == 1:
        return frames[0]
    df = pd.concat([p for p in frames if not p.empty] or frames[:1], ignore_index=True)
    return df.sort_values(["person_id", "week_start"], ignore_index=True)


def busiest_weeks(session: Session, *, scope: Scope, people: int, week_start: str = "SUN") -> tuple[pd.DataFrame, int]:
    """:func:`weekly_hours` of the ``people`` people with most hours in the scope (ties: the lower id first), and
    how many people have hours in it. The totals are summed by the database: a studio's weeks are hundreds of
    thousands of rows, of which a heatmap shows a few dozen people's."""
    totals = hours_per_person(session, scope=scope, week_start=week_start)
    top = totals.sort_values(["hours", "person_id"], ascending=[False, True]).head(people)["person_id"]
    if top.empty:
        return weekly_hours(session, scope=scope.narrowed_to(()), week_start=week_start), 0
    return weekly_hours(session, scope=scope.narrowed_to(top.tolist()), week_start=week_start), int(len(totals))


def hours_per_person(session: Session, *, scope: Scope, week_start: str = "SUN") -> pd.DataFrame:
    """What :func:`weekly_hours`'s rows sum to per person (people with hours only). Columns: ``person_id``,
    ``hours``."""
    parts = _week_parts(session, scope, week_start)
    if parts is None:
        weeks = weekly_hours(session, scope=scope, week_start=week_start)
        return weeks.groupby("person_id", as_index=False)["hours"].sum()
    before, conditions, after = parts
    d, wk = RollupPersonDay, RollupPersonWeek
    queries = [select(wk.person_id, func.sum(wk.seconds).label("seconds")).where(*conditions).group_by(wk.person_id)]
    for start, end in before + after:
        query = select(d.person_id, func.sum(d.seconds).label("seconds")).where(d.seconds > 0)
        query = workers(query, d.person_id, scope).where(*in_period(d.work_date, Scope(start=start, end=end), "day"))
        queries.append(query.group_by(d.person_id))
    summed = pd.concat([frame(session, q, raw=True) for q in queries], ignore_index=True)
    summed = summed.groupby("person_id", as_index=False)["seconds"].sum()
    summed = summed[summed["seconds"] > 0]
    return pd.DataFrame({"person_id": summed["person_id"].to_numpy(), "hours": summed["seconds"].to_numpy() / 3600.0})


DayRange = tuple[dt.date | None, dt.date | None]


def _week_parts(
    session: Session, scope: Scope, week_start: str
) -> tuple[list[DayRange], list[Any], list[DayRange]] | None:
    """How the scope's period splits for the person × week rollup: the days before its first whole week, the
    conditions selecting the whole weeks (and the scope's people), the days after its last; None when the rollup
    cannot serve it (another week start, or no whole week in the period): then every day is summed."""
    start, end = scope.start, scope.end
    if week_start_index(week_start) != week_start_index(rollup_week_start(session)):
        return None
    first_full = start if start is None else py_week_start(start + dt.timedelta(days=6), week_start)
    last_full = end if end is None else py_week_start(end + dt.timedelta(days=1), week_start) - dt.timedelta(days=7)
    if first_full is not None and last_full is not None and first_full > last_full:
        return None
    wk = RollupPersonWeek
    conditions = person_filter(wk.person_id, scope)
    if first_full is not None:
        conditions.append(wk.week_start >= first_full)
    if last_full is not None:
        conditions.append(wk.week_start <= last_full)
    before = [(start, first_full - dt.timedelta(days=1))] if start is not None and start < first_full else []
    after = (
        [(last_full + dt.timedelta(days=7), end)] if end is not None and last_full + dt.timedelta(days=6) < end else []
    )
    return before, conditions, after


# A whole studio's weeks are hundreds of thousands of rows, and reading them costs the driver one Python object per
# value: six values a row cost twice what three integers do. So each row comes as three exact integers, unpacked in
# numpy: the person (ids < 2^31: the column is a 32-bit integer on PostgreSQL) above the week's day number (offset to
# stay positive for any date of years 1 to 9999, and below 2^23 so that × 2^8 fits PostgreSQL's 32-bit integer) above
# the days worked (<= 7: 8 bits); the seconds above the night seconds (both 32-bit columns); the holiday seconds alone.


def _whole_weeks(session: Session, conditions: list[Any]) -> pd.DataFrame:
    """The person × week rows under ``conditions``, as :func:`weekly_hours` returns them (sorted by person, week)."""
    wk = RollupPersonWeek
    day = packed_day(session, wk.week_start)
    key = packed(wk.person_id, day * (1 << 8) + wk.days_worked)
    work = packed(wk.seconds, wk.night_seconds, bits=31)
    query = select(key, work, wk.holiday_seconds).where(*conditions)
    rows = packed_rows(session, query, 3)
    # Sorted here rather than walked in key order: a table scan reads the rows in storage order, not index lookups.
    rows = rows[np.argsort(rows[:, 0], kind="stable")]
    person, week = unpacked(rows[:, 0])
    week, days_worked = unpacked(week, bits=8)
    seconds, night = unpacked(rows[:, 1], bits=31)
    return pd.DataFrame(
        {
            "person_id": person,
            "week_start": unpacked_dates(week),
            "hours": seconds / 3600.0,
            "night_hours": night / 3600.0,
            "holiday_hours": rows[:, 2] / 3600.0,
            "days_worked": days_worked,
        }
    )


def _weekly_from_days(
    session: Session, scope: Scope, start: dt.date | None, end: dt.date | None, week_start: str
) -> pd.DataFrame:
    d = RollupPersonDay
    week = week_of(d.work_date, dialect(session), week_start).label("week_start")
    query = select(
        d.person_id,
        week,
        (func.sum(d.seconds) / 3600.0).label("hours"),
        (func.sum(d.night_seconds) / 3600.0).label("night_hours"),
        (func.sum(d.holiday_seconds) / 3600.0).label("holiday_hours"),
        func.count().label("days_worked"),
    ).where(d.seconds > 0)
    query = workers(query, d.person_id, scope).where(*in_period(d.work_date, Scope(start=start, end=end), "day"))
    query = query.group_by(d.person_id, week).order_by(d.person_id, week)
    return frame(session, query, dates=("week_start",))


def person_months(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Per person and month with work, for the people the scope selects in the months of its period.

    Columns: ``person_id``, ``month`` (datetime64), ``hours``, ``days_worked``, ``night_hours``, ``holiday_hours``,
    ``ai_hours``.
    """
    m = RollupPersonMonth
    query = select(
        m.person_id,
        m.month_start.label("month"),
        (m.seconds / 3600.0).label("hours"),
        m.days_worked,
        (m.night_seconds / 3600.0).label("night_hours"),
        (m.holiday_seconds / 3600.0).label("holiday_hours"),
        (m.ai_seconds / 3600.0).label("ai_hours"),
    ).where(m.seconds > 0, *in_period(m.month_start, scope))
    query = workers(query, m.person_id, scope).order_by(m.person_id, m.month_start)
    return frame(session, query, dates=("month",))
