"""Workload: hours by person, department, production, episode, week and month; days worked, streaks, night share.

The rows come from :mod:`analytics.queries.workload` (the rollup tables); what is computed on them lives here, on
frames, and is tested without a database.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy.orm import Session

from analytics.errors import AnalyticsError
from analytics.person_days import crowded_windows, runs
from analytics.queries import workload as q
from analytics.queries.person_days import person_days
from analytics.scope import Scope
from data.periods import py_month_end

DIMENSIONS = ("month", "person", "production", "episode", "department", "role")


def workload(session: Session, *, scope: Scope, by: Sequence[str] = ("month",)) -> pd.DataFrame:
    """Hours worked in the scope's rows, grouped by any of ``month``, ``person``, ``production``, ``episode``,
    ``department``, ``role``.

    Months are whole calendar months: the period selects the months it touches.
    Columns: the grouping columns (``month`` datetime64; ``person_id``; ``production_id``, ``production``;
    ``episode_id``, ``episode``; ``department``; ``role``), then ``hours``, ``night_hours`` (22:00–05:00),
    ``holiday_hours`` (statutory holidays), ``ai_hours`` (hours × AI-assisted fraction), ``units`` (cuts, sheets or
    backgrounds), ``sessions``, ``people`` (distinct people), ``night_share`` (night ÷ all hours, 0–1).
    """
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise AnalyticsError("cannot group workload by {unknown}; choose from {known}", unknown=unknown,
                             known=", ".join(DIMENSIONS))  # fmt: skip
    return with_night_share(q.hours_by(session, scope=scope, by=by))


def with_night_share(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (with ``hours`` and ``night_hours``) and ``night_share``: night ÷ all hours, 0 where no hours."""
    df["night_share"] = (df["night_hours"] / df["hours"].where(df["hours"] > 0)).fillna(0.0)
    return df


def monthly_days(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Per person and month: hours, days worked, days off and late-night share, for the people in scope.

    Columns: ``person_id``, ``month`` (datetime64), ``hours``, ``days_worked``, ``days_off`` (calendar days of the
    month, clipped to the period, without any work), ``night_hours``, ``night_share`` (0–1), ``holiday_hours``,
    ``ai_hours``.
    """
    return days_off(q.person_months(session, scope=scope), scope)


def days_off(months: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """``months`` (``month``, ``days_worked``, ``hours``, ``night_hours``) with ``days_off`` (the month's calendar
    days, clipped to the scope's period, less the days worked) and ``night_share``."""
    df = months
    if df.empty:
        df["days_off"] = pd.Series(dtype="int64")
        df["night_share"] = pd.Series(dtype="float64")
        return df
    first = df["month"].dt.date
    last = first.map(py_month_end)
    if scope.start is not None:
        first = first.map(lambda d: max(d, scope.start))
    if scope.end is not None:
        last = last.map(lambda d: min(d, scope.end))
    calendar_days = [(b - a).days + 1 for a, b in zip(first, last, strict=True)]
    df["days_off"] = pd.Series(calendar_days, index=df.index) - df["days_worked"]
    return with_night_share(df)


def streaks(session: Session, *, scope: Scope, min_days: int = 1) -> pd.DataFrame:
    """Runs of consecutive working days per person in scope (a day with any logged seconds is a working day).

    Columns: ``person_id``, ``first_date``, ``last_date`` (datetime64), ``days`` — only runs of at least
    ``min_days``, longest first per person.
    """
    return runs(person_days(session, scope=scope), min_days=min_days)


def days_off_windows(session: Session, *, scope: Scope, window_days: int = 28, min_days_off: int = 4) -> pd.DataFrame:
    """Windows of ``window_days`` consecutive days (ending on a working day) with fewer than ``min_days_off`` off.

    Columns: ``person_id``, ``window_end`` (datetime64), ``days_worked``, ``days_off``. Windows that would reach
    before the period's start are not judged, since the days before it are not in view.
    """
    days = person_days(session, scope=scope)
    return crowded_windows(days, window_days=window_days, min_days_off=min_days_off, judged_from=scope.start)
