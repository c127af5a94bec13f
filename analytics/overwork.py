"""Overwork indicators (§6): the monthly and multi-month karoshi lines, long weeks, long streaks of working days,
too few days off in a window of weeks — each line a rule parameter (:class:`data.law.overwork.OverworkLines`).

They apply to everyone. "OT" here is the Japanese definition (daily and weekly overtime) plus statutory-holiday
hours; for freelancers the same arithmetic runs on logged hours and is labelled *equivalent*. The ``*_of`` functions
compute on frames (no database); the others read the frames for a :class:`analytics.scope.Scope`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from analytics.overtime import jp_overtime_monthly
from analytics.pay import effective_pay
from analytics.person_days import crowded_windows, runs
from analytics.queries.person_days import person_days
from analytics.queries.workload import weekly_hours
from analytics.scope import Scope
from data.law.agreement import best_window_averages
from data.law.overwork import OverworkLines
from data.periods import py_month_start
from data.reference import rule_values

MONTHLY_COLUMNS = [
    "person_id",
    "month",
    "hours",
    "ot_plus_holiday_hours",
    "over_caution_line",
    "over_month_line",
    "avg_window_months",
    "max_window_avg_hours",
    "over_average_line",
    "equivalent",
]
STRETCH_COLUMNS = ["person_id", "first_window_end", "last_window_end", "min_days_off"]


def overwork_lines(session: Session) -> OverworkLines:
    """The overwork lines in force today."""
    return OverworkLines.from_values(rule_values(session, "JP"))


def window_averages(monthly: pd.DataFrame, value: str, windows: Iterable[int]) -> pd.DataFrame:
    """For each person-month, the highest mean of ``value`` over the windows of n consecutive months ending there.

    Months without a row count as 0 h. Adds ``max_window_avg_hours`` and ``avg_window_months`` (the shortest window
    reaching that maximum); windows reaching before a person's first month in the frame are not formed.
    """
    if monthly.empty:
        return monthly.assign(
            max_window_avg_hours=pd.Series(dtype="float64"), avg_window_months=pd.Series(dtype="Int64")
        )
    grid = pd.date_range(monthly["month"].min(), monthly["month"].max(), freq="MS")
    table = monthly.pivot_table(index="person_id", columns="month", values=value, aggfunc="sum").reindex(columns=grid)
    first = table.notna().to_numpy().argmax(axis=1)
    best, best_n = best_window_averages(table.fillna(0.0).to_numpy(dtype=float), first, windows)
    n = best_n.ravel()
    out = pd.DataFrame(
        {
            "person_id": np.repeat(table.index.to_numpy(), len(grid)),
            "month": np.tile(grid.to_numpy(), len(table.index)),
            "max_window_avg_hours": best.ravel(),
            "avg_window_months": pd.array(np.where(n > 0, n, 0), dtype="Int64"),
        }
    )
    out["avg_window_months"] = out["avg_window_months"].mask(out["avg_window_months"] == 0)
    return monthly.merge(out, on=["person_id", "month"], how="left")


def lookback(start: dt.date | None, lines: OverworkLines) -> dt.date | None:
    """How far back the months must be read for the first month from ``start`` to get its longest window."""
    if start is None:
        return None
    return (pd.Timestamp(py_month_start(start)) - pd.DateOffset(months=max(lines.average_windows) - 1)).date()


def indicators_of(
    monthly: pd.DataFrame, pay: pd.DataFrame, *, lines: OverworkLines, start: dt.date | None = None
) -> pd.DataFrame:
    """Per person-month from ``start`` (None: every month): overtime plus holiday hours against the monthly lines
    and the multi-month average. ``monthly`` and ``pay`` are :func:`analytics.overtime.jp_overtime_monthly` and
    :func:`analytics.pay.effective_pay` for the same people, reaching back to :func:`lookback` (earlier months are
    left out).

    Columns: ``person_id``, ``month`` (datetime64), ``hours``, ``ot_plus_holiday_hours``, ``over_caution_line``
    (over the caution line), ``over_month_line`` (at or over the single-month line), ``avg_window_months`` and
    ``max_window_avg_hours`` (the window ending this month with the highest average), ``over_average_line`` (that
    average at or over the multi-month line), ``equivalent`` (bool: the person was not an employee that month, so the
    figure is an equivalent, not a legal overtime count).
    """
    back = lookback(start, lines)
    if back is not None:
        monthly = monthly[monthly["month"] >= pd.Timestamp(back)]
    if monthly.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in MONTHLY_COLUMNS})
    monthly = window_averages(monthly, "ot_plus_holiday_hours", lines.average_windows)
    monthly["hours"] = monthly["hours"].fillna(0.0)
    monthly["ot_plus_holiday_hours"] = monthly["ot_plus_holiday_hours"].fillna(0.0)
    otph = monthly["ot_plus_holiday_hours"].to_numpy(float)
    monthly["over_caution_line"] = otph > lines.caution_month_h
    monthly["over_month_line"] = otph >= lines.month_h
    monthly["over_average_line"] = monthly["max_window_avg_hours"].fillna(0.0).to_numpy(float) >= lines.average_h
    employee = monthly[["person_id", "month"]].merge(
        pay[["person_id", "month", "is_employee"]], on=["person_id", "month"], how="left"
    )["is_employee"]
    monthly["equivalent"] = ~employee.fillna(False).astype(bool).to_numpy()
    if start is not None:
        monthly = monthly[monthly["month"] >= pd.Timestamp(py_month_start(start))]
    return monthly[MONTHLY_COLUMNS].reset_index(drop=True)


def long_weeks_of(weeks: pd.DataFrame, *, lines: OverworkLines) -> pd.DataFrame:
    """The weeks of ``weeks`` (:func:`analytics.queries.workload.weekly_hours`) at or over the weekly line, same columns."""
    return weeks[weeks["hours"] >= lines.week_h].reset_index(drop=True)


def hours_beyond(weeks: pd.DataFrame, weekly_limit_h: float) -> np.ndarray:
    """Each week's hours beyond the statutory weekly limit (0 when within it)."""
    return np.clip(weeks["hours"].to_numpy(float) - weekly_limit_h, 0, None)


def stretches(windows: pd.DataFrame) -> pd.DataFrame:
    """Merge the failing windows of :func:`analytics.person_days.crowded_windows` into stretches: windows of one
    person ending at most 7 days apart belong together. Columns: ``person_id``, ``first_window_end``,
    ``last_window_end`` (datetime64), ``min_days_off`` (the fewest days off in any of those windows)."""
    if windows.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in STRETCH_COLUMNS})
    windows = windows.sort_values(["person_id", "window_end"])
    # Windows end on working days only, so a failing stretch broken by a single day off is still one stretch.
    gap = ~windows.groupby("person_id")["window_end"].diff().dt.days.le(7)
    windows["run"] = gap.cumsum()
    out = windows.groupby(["person_id", "run"], as_index=False).agg(
        first_window_end=("window_end", "min"), last_window_end=("window_end", "max"), min_days_off=("days_off", "min")
    )
    return out[STRETCH_COLUMNS]


def monthly_indicators(session: Session, *, scope: Scope) -> pd.DataFrame:
    """:func:`indicators_of` for the people and months of ``scope``, reading back as far as the longest averaging
    window needs."""
    lines = overwork_lines(session)
    monthly = jp_overtime_monthly(session, scope=scope.replace(start=lookback(scope.start, lines)))
    people = sorted({int(p) for p in monthly["person_id"]})
    pay = effective_pay(session, scope=Scope(people=people, start=lookback(scope.start, lines), end=scope.end))
    return indicators_of(monthly, pay, lines=lines, start=scope.start)


def long_weeks(session: Session, *, scope: Scope, week_start: str = "SUN") -> pd.DataFrame:
    """Weeks at or over the WHO/ILO weekly line. Columns: those of :func:`analytics.queries.workload.weekly_hours`."""
    weeks = weekly_hours(session, scope=scope, week_start=week_start)
    return long_weeks_of(weeks, lines=overwork_lines(session))


def long_streaks(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Runs of consecutive working days at least the streak line long. Columns: those of
    :func:`analytics.person_days.runs`."""
    return runs(person_days(session, scope=scope), min_days=overwork_lines(session).streak_days)


def few_days_off(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Stretches where some window of the statutory length had fewer days off than LSA Art. 35 requires (windows
    reaching before the scope's start are not judged). Columns: those of :func:`stretches`."""
    lines = overwork_lines(session)
    windows = crowded_windows(
        person_days(session, scope=scope),
        window_days=lines.window_days,
        min_days_off=lines.days_off_per_window,
        judged_from=scope.start,
    )
    return stretches(windows)
