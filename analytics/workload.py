"""Workload: hours by person, department, production, episode, week and month; days worked, streaks, night share.

Every function reads the rollup tables (``data.rollup``), so the dashboard stays fast at millions of work-log rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pandas as pd
from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from analytics.person_days import crowded_windows, runs
from analytics.queries.person_days import person_days
from analytics.scope import AnalyticsError, Scope, check_range, dialect, frame, production_id
from data.periods import py_month_end, py_month_start, py_week_start, week_of, week_start_index
from data.rollup import ROLLUP_WEEK_START
from data.schema import Episode, Production, Role, RollupPersonDay, RollupPersonMonth, RollupPersonWeek, RollupWorkMonth

DIMENSIONS = ("month", "person", "production", "episode", "department", "role")


def _month_bounds(query, column, start: dt.date | None, end: dt.date | None):
    if start is not None:
        query = query.where(column >= py_month_start(start))
    if end is not None:
        query = query.where(column <= end)
    return query


def workload(
    *,
    session: Session,
    by: Sequence[str] = ("month",),
    production: str | int | None = None,
    person_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Hours worked grouped by any of ``month``, ``person``, ``production``, ``episode``, ``department``, ``role``.

    Months are whole calendar months: ``start``/``end`` select the months they fall in.
    Columns: the grouping columns (``month`` datetime64; ``person_id``; ``production_id``, ``production``;
    ``episode_id``, ``episode``; ``department``; ``role``), then ``hours``, ``night_hours`` (22:00–05:00),
    ``holiday_hours`` (statutory holidays), ``ai_hours`` (hours × AI-assisted fraction), ``units`` (cuts, sheets or
    backgrounds), ``sessions``, ``people`` (distinct people), ``night_share`` (night ÷ all hours, 0–1).
    """
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise AnalyticsError(f"cannot group workload by {unknown}; choose from {', '.join(DIMENSIONS)}")
    check_range(start, end)
    w = RollupWorkMonth
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
        elif dim == "department":
            keys.append(func.coalesce(Role.department, literal("unassigned")).label("department"))
        elif dim == "role":
            keys.append(func.coalesce(Role.code, literal("unassigned")).label("role"))
    source = w.__table__
    if "production" in by:
        source = source.outerjoin(Production, Production.id == w.production_id)
    if "episode" in by:
        source = source.outerjoin(Episode, Episode.id == w.episode_id)
    if "department" in by or "role" in by:
        source = source.outerjoin(Role, Role.id == w.role_id)
    query = select(
        *keys,
        (func.sum(w.minutes) / 60.0).label("hours"),
        (func.sum(w.night_minutes) / 60.0).label("night_hours"),
        (func.sum(w.holiday_minutes) / 60.0).label("holiday_hours"),
        (func.sum(w.ai_minutes) / 60.0).label("ai_hours"),
        func.sum(w.units).label("units"),
        func.sum(w.sessions).label("sessions"),
        func.count(func.distinct(w.person_id)).label("people"),
    ).select_from(source)
    pid = production_id(session, production)
    if pid is not None:
        query = query.where(w.production_id == pid)
    if person_ids is not None:
        query = query.where(w.person_id.in_(list(person_ids)))
    query = _month_bounds(query, w.month_start, start, end)
    if keys:
        query = query.group_by(*keys).order_by(*keys)
    df = frame(session, query, dates=("month",))
    df["night_share"] = (df["night_hours"] / df["hours"].where(df["hours"] > 0)).fillna(0.0)
    return df


def weekly_hours(
    *,
    session: Session,
    person_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    week_start: str = "SUN",
) -> pd.DataFrame:
    """Hours per person and week (weeks begin on ``week_start``, Sunday by default as in Japan).

    Columns: ``person_id``, ``week_start`` (datetime64), ``hours``, ``night_hours``, ``holiday_hours``,
    ``days_worked``.
    """
    check_range(start, end)
    ids = None if person_ids is None else list(person_ids)
    if week_start_index(week_start) != week_start_index(ROLLUP_WEEK_START):
        return _weekly_from_days(session, ids, start, end, week_start)
    # Whole weeks come from the person × week rollup; a week cut by start/end is summed from its days.
    first_full = start if start is None else py_week_start(start + dt.timedelta(days=6), week_start)
    last_full = end if end is None else py_week_start(end + dt.timedelta(days=1), week_start) - dt.timedelta(days=7)
    parts = []
    if first_full is not None and last_full is not None and first_full > last_full:
        return _weekly_from_days(session, ids, start, end, week_start)
    if start is not None and start < first_full:
        parts.append(_weekly_from_days(session, ids, start, first_full - dt.timedelta(days=1), week_start))
    wk = RollupPersonWeek
    query = select(
        wk.person_id,
        wk.week_start,
        (wk.minutes / 60.0).label("hours"),
        (wk.night_minutes / 60.0).label("night_hours"),
        (wk.holiday_minutes / 60.0).label("holiday_hours"),
        wk.days_worked,
    )
    if ids is not None:
        query = query.where(wk.person_id.in_(ids))
    if first_full is not None:
        query = query.where(wk.week_start >= first_full)
    if last_full is not None:
        query = query.where(wk.week_start <= last_full)
    parts.append(frame(session, query.order_by(wk.person_id, wk.week_start), dates=("week_start",), raw=True))
    if end is not None and last_full + dt.timedelta(days=6) < end:
        parts.append(_weekly_from_days(session, ids, last_full + dt.timedelta(days=7), end, week_start))
    if len(parts) == 1:
        return parts[0]
    df = pd.concat([p for p in parts if not p.empty] or parts[:1], ignore_index=True)
    return df.sort_values(["person_id", "week_start"], ignore_index=True)


def _weekly_from_days(
    session: Session, ids: list[int] | None, start: dt.date | None, end: dt.date | None, week_start: str
) -> pd.DataFrame:
    d = RollupPersonDay
    week = week_of(d.work_date, dialect(session), week_start).label("week_start")
    query = select(
        d.person_id,
        week,
        (func.sum(d.minutes) / 60.0).label("hours"),
        (func.sum(d.night_minutes) / 60.0).label("night_hours"),
        (func.sum(d.holiday_minutes) / 60.0).label("holiday_hours"),
        func.count().label("days_worked"),
    ).where(d.minutes > 0)
    if ids is not None:
        query = query.where(d.person_id.in_(ids))
    if start is not None:
        query = query.where(d.work_date >= start)
    if end is not None:
        query = query.where(d.work_date <= end)
    query = query.group_by(d.person_id, week).order_by(d.person_id, week)
    return frame(session, query, dates=("week_start",))


def monthly_days(
    *,
    session: Session,
    person_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Per person and month: hours, days worked, days off and late-night share.

    Columns: ``person_id``, ``month`` (datetime64), ``hours``, ``days_worked``, ``days_off`` (calendar days of the
    month, clipped to ``start``/``end``, without any work), ``night_hours``, ``night_share`` (0–1),
    ``holiday_hours``, ``ai_hours``.
    """
    check_range(start, end)
    m = RollupPersonMonth
    query = select(
        m.person_id,
        m.month_start.label("month"),
        (m.minutes / 60.0).label("hours"),
        m.days_worked,
        (m.night_minutes / 60.0).label("night_hours"),
        (m.holiday_minutes / 60.0).label("holiday_hours"),
        (m.ai_minutes / 60.0).label("ai_hours"),
    ).where(m.minutes > 0)
    if person_ids is not None:
        query = query.where(m.person_id.in_(list(person_ids)))
    query = _month_bounds(query, m.month_start, start, end).order_by(m.person_id, m.month_start)
    df = frame(session, query, dates=("month",))
    if df.empty:
        df["days_off"] = pd.Series(dtype="int64")
        df["night_share"] = pd.Series(dtype="float64")
        return df
    first = df["month"].dt.date
    last = first.map(py_month_end)
    if start is not None:
        first = first.map(lambda d: max(d, start))
    if end is not None:
        last = last.map(lambda d: min(d, end))
    calendar_days = [(b - a).days + 1 for a, b in zip(first, last, strict=True)]
    df["days_off"] = pd.Series(calendar_days, index=df.index) - df["days_worked"]
    df["night_share"] = (df["night_hours"] / df["hours"].where(df["hours"] > 0)).fillna(0.0)
    return df


def streaks(
    *,
    session: Session,
    person_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    min_days: int = 1,
) -> pd.DataFrame:
    """Runs of consecutive working days per person (a day with any logged minutes is a working day).

    Columns: ``person_id``, ``first_date``, ``last_date`` (datetime64), ``days`` — only runs of at least
    ``min_days``, longest first per person.
    """
    check_range(start, end)
    return runs(person_days(session, scope=Scope(people=person_ids, start=start, end=end)), min_days=min_days)


def days_off_windows(
    *,
    session: Session,
    person_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    window_days: int = 28,
    min_days_off: int = 4,
) -> pd.DataFrame:
    """Windows of ``window_days`` consecutive days (ending on a working day) with fewer than ``min_days_off`` off.

    Columns: ``person_id``, ``window_end`` (datetime64), ``days_worked``, ``days_off``. Windows that would reach
    before ``start`` are not judged, since the days before it are not in view.
    """
    check_range(start, end)
    days = person_days(session, scope=Scope(people=person_ids, start=start, end=end))
    return crowded_windows(days, window_days=window_days, min_days_off=min_days_off, judged_from=start)
