"""Overtime under Japanese and Californian rules, from logged hours.

The arithmetic is :mod:`data.law.overtime`'s, with the limits of the rule parameters in force: Japan's daily and
weekly overtime in the employer's week (statutory-holiday hours kept apart), California's daily, weekly and
seventh-day overtime per workweek. Here it runs on frames of worked days (``*_of`` functions, no database), and the
view functions read those frames (:mod:`analytics.queries.overtime`) for a :class:`analytics.scope.Scope`. With the
rollups' week start, Japanese monthly overtime is read as the rollups stored it (computed by the same arithmetic).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from analytics.queries import overtime as queries
from analytics.queries.overtime import JP_MONTHLY_COLUMNS
from analytics.scope import Scope
from data.law.overtime import ca_week, jp_overtime
from data.law.params import SECONDS_PER_HOUR, CaOvertime, JpHours
from data.periods import py_month_end, py_month_start, week_start_index
from data.reference import rule_values
from data.rollup import week_start as rollup_week_start

JP_DAILY_COLUMNS = [
    "person_id",
    "work_date",
    "week_start",
    "hours",
    "holiday_hours",
    "daily_ot_hours",
    "weekly_ot_hours",
    "ot_hours",
]
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


def week_starts(days: pd.Series, week_start: str) -> pd.Series:
    """The first day of each date's week (weeks starting on ``week_start``), as datetime64."""
    dates = pd.to_datetime(days)
    sunday_based = (dates.dt.weekday + 1) % 7  # Python counts from Monday, the week names from Sunday
    back = (sunday_based - week_start_index(week_start)) % 7
    return dates - pd.to_timedelta(back, unit="D")


def contract_week_starts(days: pd.DataFrame, default: str) -> pd.Series:
    """The first day of each day's week: in the week its contract records (``contract_week_start``, when the frame
    has it and it is set), else in weeks starting on ``default``."""
    codes = days["contract_week_start"].fillna(default) if "contract_week_start" in days else None
    if codes is None or (codes == default).all():
        return week_starts(days["work_date"], default)
    out = pd.Series(pd.NaT, index=days.index, dtype="datetime64[ns]")
    for code in codes.unique():
        mine = codes == code
        out[mine] = week_starts(days.loc[mine, "work_date"], str(code))
    return out


def jp_overtime_of(days: pd.DataFrame, *, hours: JpHours, week_start: str) -> pd.DataFrame:
    """Japanese overtime per person and day, from ``days`` (``person_id``, ``work_date``, ``seconds``,
    ``holiday_seconds``: whole weeks, so weekly overtime is exact).

    Columns: ``person_id``, ``work_date``, ``week_start`` (datetime64), ``hours``, ``holiday_hours``,
    ``daily_ot_hours``, ``weekly_ot_hours`` (weekly overtime arising that day), ``ot_hours`` (their sum); sorted by
    person and date.
    """
    if days.empty:
        # Typed as a frame with days is, so that clipping it to a period compares dates with dates.
        kinds = {"person_id": "int64", "work_date": "datetime64[us]", "week_start": "datetime64[us]"}
        return pd.DataFrame({c: pd.Series(dtype=kinds.get(c, "float64")) for c in JP_DAILY_COLUMNS})
    days = days.assign(week_start=contract_week_starts(days, week_start))
    days = days.sort_values(["person_id", "work_date"], kind="stable", ignore_index=True)
    # One key per person and week: the days of a week are consecutive rows.
    week = days["person_id"].to_numpy(np.int64) * 1_000_000 + days["week_start"].to_numpy("datetime64[D]").astype(
        np.int64
    )
    ot = jp_overtime(days["seconds"].to_numpy(), days["holiday_seconds"].to_numpy(), week, hours)
    return pd.DataFrame(
        {
            "person_id": days["person_id"],
            "work_date": days["work_date"],
            "week_start": days["week_start"],
            "hours": days["seconds"] / SECONDS_PER_HOUR,
            "holiday_hours": days["holiday_seconds"] / SECONDS_PER_HOUR,
            "daily_ot_hours": ot.daily / SECONDS_PER_HOUR,
            "weekly_ot_hours": ot.weekly / SECONDS_PER_HOUR,
            "ot_hours": ot.total / SECONDS_PER_HOUR,
        }
    )


def jp_monthly_of(daily: pd.DataFrame) -> pd.DataFrame:
    """:func:`jp_overtime_of`'s days summed per person and calendar month: the columns of :func:`jp_overtime_monthly`."""
    if daily.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in JP_MONTHLY_COLUMNS})
    daily = daily.assign(month=daily["work_date"].dt.to_period("M").dt.to_timestamp())
    out = daily.groupby(["person_id", "month"], as_index=False)[["hours", "ot_hours", "holiday_hours"]].sum()
    out["ot_plus_holiday_hours"] = out["ot_hours"] + out["holiday_hours"]
    return out[JP_MONTHLY_COLUMNS]


def ca_overtime_of(days: pd.DataFrame, *, rules: CaOvertime, week_start: str) -> pd.DataFrame:
    """California overtime per person and workweek, from ``days`` (``person_id``, ``work_date``, ``hours``,
    ``employment_type``, ``is_exempt``: the days worked under a US-CA employment, whole workweeks). The workweek is
    the employer's fixed one where the days say so (a ``contract_week_start`` column), else it starts on
    ``week_start``; the seventh consecutive day is counted in it.

    Columns: ``person_id``, ``week_start`` (datetime64), ``hours``, ``straight_hours``, ``ot_1_5_hours``,
    ``ot_2_hours``, ``seventh_day`` (bool: worked all seven days, so the seventh-day rule applied),
    ``employment_type``, ``is_exempt`` (of the employment in force on the week's last day worked).
    """
    if days.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in CA_COLUMNS})
    days = days.assign(week_start=contract_week_starts(days, week_start))
    days = days.sort_values(["person_id", "work_date"], kind="stable", ignore_index=True)
    rows = []
    for (person, week), group in days.groupby(["person_id", "week_start"], sort=True):
        w = ca_week(group["hours"].tolist(), rules)
        last = group.iloc[-1]
        rows.append(
            [person, week, w.hours, w.straight, w.time_and_half, w.double, w.seventh_day, last["employment_type"],
             bool(last["is_exempt"])]
        )  # fmt: skip
    return pd.DataFrame(rows, columns=CA_COLUMNS)


def jp_overtime_daily(session: Session, *, scope: Scope, week_start: str = "SUN") -> pd.DataFrame:
    """Japanese overtime per person and day in the scope's period (whole weeks around it are computed so that
    weekly overtime is exact, then clipped): the columns of :func:`jp_overtime_of`."""
    week_start_index(week_start)
    hours = JpHours.from_values(rule_values(session, "JP"))
    daily = jp_overtime_of(queries.jp_days(session, scope=scope, week_start=week_start), hours=hours,
                           week_start=week_start)  # fmt: skip
    keep = np.ones(len(daily), dtype=bool)
    if scope.start is not None:
        keep &= (daily["work_date"] >= pd.Timestamp(scope.start)).to_numpy()
    if scope.end is not None:
        keep &= (daily["work_date"] <= pd.Timestamp(scope.end)).to_numpy()
    return daily[keep].reset_index(drop=True)


def jp_overtime_monthly(session: Session, *, scope: Scope, week_start: str = "SUN") -> pd.DataFrame:
    """Japanese overtime and statutory-holiday hours per person and calendar month, for the months of the scope's
    period.

    Columns: ``person_id``, ``month`` (datetime64), ``hours``, ``ot_hours``, ``holiday_hours``,
    ``ot_plus_holiday_hours`` (what the Article 36 absolute caps measure). With the rollups' week start this reads
    the person-month rollup; another ``week_start`` recomputes from the worked days.
    """
    if week_start_index(week_start) == week_start_index(rollup_week_start(session)):
        return queries.jp_months(session, scope=scope)
    months = scope.replace(
        start=py_month_start(scope.start) if scope.start else None,
        end=py_month_end(scope.end) if scope.end else None,
    )
    return jp_monthly_of(jp_overtime_daily(session, scope=months, week_start=week_start))


def jp_overtime_most(session: Session, *, scope: Scope, rows: int, week_start: str = "SUN") -> tuple[pd.DataFrame, int]:
    """The ``rows`` person-months of :func:`jp_overtime_monthly` with most overtime and holiday work, highest first
    (ties: by person, then month), and how many person-months there are."""
    if week_start_index(week_start) == week_start_index(rollup_week_start(session)):
        return queries.jp_months_most(session, scope=scope, rows=rows)
    monthly = jp_overtime_monthly(session, scope=scope, week_start=week_start)
    return most_overtime(monthly).head(rows).reset_index(drop=True), int(len(monthly))


def most_overtime(monthly: pd.DataFrame) -> pd.DataFrame:
    """``monthly`` (the columns of :func:`jp_overtime_monthly`) ordered by overtime and holiday work, highest first;
    ties by person, then month (the order :func:`jp_overtime_most` reads them in)."""
    return monthly.sort_values(
        ["ot_plus_holiday_hours", "person_id", "month"], ascending=[False, True, True], kind="stable"
    )


def ca_overtime_weekly(session: Session, *, scope: Scope, week_start: str = "SUN") -> pd.DataFrame:
    """California overtime per person and workweek touching the scope's period, for days worked under a US-CA
    employment: the columns of :func:`ca_overtime_of`."""
    rules = CaOvertime.from_values(rule_values(session, "US-CA"))
    return ca_overtime_of(queries.ca_days(session, scope=scope, week_start=week_start), rules=rules,
                          week_start=week_start)  # fmt: skip
