"""Overwork indicators (§6): the 45 / 80 / 100 h lines, 55 h weeks, 14+ consecutive days, < 4 days off in 4 weeks.

They apply to everyone. "OT" here is the Japanese definition (daily and weekly overtime) plus statutory-holiday
hours; for freelancers the same arithmetic runs on logged hours and is labelled *equivalent*.
Thresholds come from ``rule_parameter`` keys ``JP/overwork_indicators.*``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from analytics.overtime import jp_overtime_monthly
from analytics.pay import effective_pay
from analytics.queries.workload import weekly_hours
from analytics.scope import Scope
from analytics.workload import days_off_windows, streaks
from data.periods import py_month_start
from data.reference import rule_parameter

MONTHLY_COLUMNS = [
    "person_id",
    "month",
    "hours",
    "ot_plus_holiday_hours",
    "over_45",
    "over_100",
    "avg_window_months",
    "max_window_avg_hours",
    "over_80_avg",
    "equivalent",
]


def thresholds(session: Session) -> dict[str, float]:
    """The indicator thresholds in force (hours, days, months)."""

    def get(key: str) -> float:
        return float(rule_parameter(session, "JP", f"overwork_indicators.{key}"))

    return {
        "month_caution_h": get("ot_month_caution_h"),
        "avg_2_6_h": get("karoshi_avg_2_6_months_h"),
        "month_h": get("karoshi_single_month_h"),
        "week_h": get("who_ilo_weekly_h"),
        "streak_days": get("consecutive_work_days_flag"),
        "mental_month_h": get("mental_special_event_month_h"),
        "mental_3_weeks_h": get("mental_special_event_3weeks_h"),
        "mental_2_months_h": get("mental_strong_2_consecutive_months_each_h"),
        "mental_3_months_h": get("mental_strong_3_consecutive_months_each_h"),
        "days_off_per_4_weeks": float(rule_parameter(session, "JP", "hours.statutory_days_off.or_per_4_weeks")),
    }


def window_averages(monthly: pd.DataFrame, value: str, windows: Iterable[int]) -> pd.DataFrame:
    """For each person-month, the highest mean of ``value`` over the windows of n consecutive months ending there.

    Months without a row count as 0 h. Adds ``max_window_avg_hours`` and ``avg_window_months`` (the shortest window
    reaching that maximum); windows reaching before a person's first month in the frame are not formed.
    """
    windows = sorted(windows)
    if monthly.empty:
        return monthly.assign(
            max_window_avg_hours=pd.Series(dtype="float64"), avg_window_months=pd.Series(dtype="Int64")
        )
    grid = pd.date_range(monthly["month"].min(), monthly["month"].max(), freq="MS")
    table = monthly.pivot_table(index="person_id", columns="month", values=value, aggfunc="sum").reindex(columns=grid)
    first = table.notna().to_numpy().argmax(axis=1)
    values = table.fillna(0.0).to_numpy(dtype=float)
    # Running sums make every window mean one subtraction: sum(j-n+1..j) = cs[j+1] - cs[j+1-n].
    cs = np.concatenate([np.zeros((values.shape[0], 1)), values.cumsum(axis=1)], axis=1)
    column = np.arange(values.shape[1])
    best = np.full(values.shape, np.nan)
    best_n = np.zeros(values.shape, dtype=int)
    for n in windows:
        avg = np.full(values.shape, np.nan)
        if n <= values.shape[1]:
            avg[:, n - 1 :] = (cs[:, n:] - cs[:, : cs.shape[1] - n]) / n
        formed = column[None, :] - n + 1 >= first[:, None]
        avg = np.where(formed, avg, np.nan)
        better = avg > np.nan_to_num(best, nan=-np.inf)
        best = np.where(better, avg, best)
        best_n = np.where(better, n, best_n)
    out = pd.DataFrame(
        {
            "person_id": np.repeat(table.index.to_numpy(), len(grid)),
            "month": np.tile(grid.to_numpy(), len(table.index)),
            "max_window_avg_hours": best.ravel(),
            "avg_window_months": pd.array(np.where(best_n.ravel() > 0, best_n.ravel(), 0), dtype="Int64"),
        }
    )
    out["avg_window_months"] = out["avg_window_months"].mask(out["avg_window_months"] == 0)
    return monthly.merge(out, on=["person_id", "month"], how="left")


def monthly_indicators(
    *,
    session: Session,
    person_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    monthly: pd.DataFrame | None = None,
    pay: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per person-month: OT + holiday hours against the 45 h, 100 h and 2–6-month 80 h lines.

    ``monthly`` and ``pay``, when given, are :func:`jp_overtime_monthly` and :func:`effective_pay` already read for
    the same people up to ``end``, reaching back at least as far as the longest averaging window needs before
    ``start`` (the findings engine reads them once for every rule).

    Columns: ``person_id``, ``month`` (datetime64), ``hours``, ``ot_plus_holiday_hours``, ``over_45`` (> 45 h),
    ``over_100`` (≥ 100 h), ``avg_window_months`` and ``max_window_avg_hours`` (the 2–6-month window ending this
    month with the highest average), ``over_80_avg`` (that average ≥ 80 h), ``equivalent`` (bool: the person was
    not an employee that month, so the figure is an equivalent, not a legal overtime count).
    """
    t = thresholds(session)
    windows = [int(n) for n in rule_parameter(session, "JP", "ot_agreement_36.absolute.avg_windows_months")]
    # Look back far enough that the first months in view get their full 6-month windows.
    lookback = None
    if start is not None:
        lookback = (pd.Timestamp(py_month_start(start)) - pd.DateOffset(months=max(windows) - 1)).date()
    if monthly is None:
        monthly = jp_overtime_monthly(session, scope=Scope(people=person_ids, start=lookback, end=end))
    elif lookback is not None:
        monthly = monthly[monthly["month"] >= pd.Timestamp(lookback)]
    if monthly.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in MONTHLY_COLUMNS})
    monthly = window_averages(monthly, "ot_plus_holiday_hours", windows)
    monthly["hours"] = monthly["hours"].fillna(0.0)
    monthly["ot_plus_holiday_hours"] = monthly["ot_plus_holiday_hours"].fillna(0.0)
    monthly["over_45"] = monthly["ot_plus_holiday_hours"] > t["month_caution_h"]
    monthly["over_100"] = monthly["ot_plus_holiday_hours"] >= t["month_h"]
    monthly["over_80_avg"] = monthly["max_window_avg_hours"].fillna(0.0) >= t["avg_2_6_h"]
    if pay is None:
        pay = effective_pay(session, scope=Scope(people=person_ids, start=lookback, end=end))
    employee = monthly[["person_id", "month"]].merge(
        pay[["person_id", "month", "is_employee"]], on=["person_id", "month"], how="left"
    )["is_employee"]
    monthly["equivalent"] = ~employee.fillna(False).astype(bool).to_numpy()
    if start is not None:
        monthly = monthly[monthly["month"] >= pd.Timestamp(py_month_start(start))]
    return monthly[MONTHLY_COLUMNS].reset_index(drop=True)


def long_weeks(
    *,
    session: Session,
    person_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    week_start: str = "SUN",
) -> pd.DataFrame:
    """Weeks of 55 h or more (WHO/ILO). Columns: those of :func:`analytics.workload.weekly_hours`."""
    weeks = weekly_hours(session, scope=Scope(people=person_ids, start=start, end=end), week_start=week_start)
    return weeks[weeks["hours"] >= thresholds(session)["week_h"]].reset_index(drop=True)


def long_streaks(
    *,
    session: Session,
    person_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Runs of 14 or more consecutive working days. Columns: those of :func:`analytics.workload.streaks`."""
    min_days = int(thresholds(session)["streak_days"])
    return streaks(session, scope=Scope(people=person_ids, start=start, end=end), min_days=min_days)


def few_days_off(
    *,
    session: Session,
    person_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Stretches where some 4-week (28-day) window had fewer than 4 days off.

    Consecutive failing windows are merged. Columns: ``person_id``, ``first_window_end``, ``last_window_end``
    (datetime64), ``min_days_off`` (the fewest days off in any of those windows).
    """
    need = int(thresholds(session)["days_off_per_4_weeks"])
    windows = days_off_windows(
        session, scope=Scope(people=person_ids, start=start, end=end), window_days=28, min_days_off=need
    )
    return stretches(windows)


def stretches(windows: pd.DataFrame) -> pd.DataFrame:
    """Merge the failing windows of :func:`analytics.workload.days_off_windows` into stretches: windows of one person
    ending at most 7 days apart belong together. Columns as :func:`few_days_off`."""
    columns = ["person_id", "first_window_end", "last_window_end", "min_days_off"]
    if windows.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
    windows = windows.sort_values(["person_id", "window_end"])
    # Windows end on working days only, so a failing stretch broken by a single day off is still one stretch.
    gap = ~windows.groupby("person_id")["window_end"].diff().dt.days.le(7)
    windows["run"] = gap.cumsum()
    out = windows.groupby(["person_id", "run"], as_index=False).agg(
        first_window_end=("window_end", "min"), last_window_end=("window_end", "max"), min_days_off=("days_off", "min")
    )
    return out[columns]
