"""Effective hourly pay per person and month, against the minimum wage in force on each work date.

Pay counts in the month of its pay item's ``period_end`` (``data.rollup``). Two rates are reported:

* ``pay_per_hour`` — all pay ÷ hours logged: the indicator for everyone, freelancers included (§7.2-5);
* ``base_pay_per_hour`` — the pay that counts for the minimum-wage test (hourly, monthly salary and piece bases;
  no premiums, bonuses or allowances) ÷ hours: the legal test for employees (§7.2-4, JP-MW-01, CA-MW-01).

The minimum wage is the one at the workplace of the employment in force on each work date (JP prefecture; US-CA the
higher of state and city). A month that crosses an effective date is tested segment by segment: the month's rate
must clear the wage in force on every day worked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analytics.scope import check_range, dialect, frame, money, people_on_production, production_id
from data.periods import month_of, py_month_start
from data.schema import RollupPersonDay, RollupPersonMonth

COLUMNS = [
    "person_id",
    "month",
    "currency",
    "hours",
    "employee_hours",
    "is_employee",
    "pay_amount",
    "base_pay_amount",
    "piece_pay_amount",
    "premium_pay_amount",
    "pay_per_hour",
    "base_pay_per_hour",
    "mw_min_per_hour",
    "mw_max_per_hour",
    "mw_due_amount",
    "mw_shortfall_amount",
    "below_mw",
]


def effective_pay(
    *,
    session: Session,
    person_ids: Iterable[int] | None = None,
    production: str | int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Effective hourly pay per person-month, with the minimum wage it is tested against.

    ``production`` keeps the people who worked on it in the period (their whole month is still counted: the legal
    tests are per person, not per production). Months with pay but no logged hours are left out (no rate exists).
    Columns (amounts in ``currency``, the workplace currency, JPY or USD): ``person_id``, ``month`` (datetime64),
    ``currency``, ``hours``, ``employee_hours`` (under an employee contract), ``is_employee`` (bool: most hours as an
    employee), ``pay_amount``, ``base_pay_amount`` (counts for the MW test), ``piece_pay_amount``,
    ``premium_pay_amount``, ``pay_per_hour``, ``base_pay_per_hour``, ``mw_min_per_hour``/``mw_max_per_hour`` (lowest
    and highest minimum wage in force on the days worked), ``mw_due_amount`` (Σ hours × MW of each day),
    ``mw_shortfall_amount`` (Σ over days of hours × (MW − base rate) where positive), ``below_mw`` (bool).
    """
    check_range(start, end)
    m = RollupPersonMonth
    query = select(
        m.person_id,
        m.month_start.label("month"),
        m.currency,
        (m.minutes / 60.0).label("hours"),
        (m.employee_minutes / 60.0).label("employee_hours"),
        money(m.pay_amount).label("pay_amount"),
        money(m.pay_mw_base_amount).label("base_pay_amount"),
        money(m.pay_piece_amount).label("piece_pay_amount"),
        money(m.pay_premium_amount).label("premium_pay_amount"),
        money(m.mw_min_rate).label("mw_min_per_hour"),
        money(m.mw_max_rate).label("mw_max_per_hour"),
        money(m.mw_due_amount).label("mw_due_amount"),
        m.mw_shortfall_amount,
    ).where(m.minutes > 0)
    if person_ids is not None:
        query = query.where(m.person_id.in_(list(person_ids)))
    pid = production_id(session, production)
    if pid is not None:
        query = query.where(m.person_id.in_(people_on_production(pid, start, end)))
    if start is not None:
        query = query.where(m.month_start >= py_month_start(start))
    if end is not None:
        query = query.where(m.month_start <= end)
    df = frame(session, query.order_by(m.person_id, m.month_start), dates=("month",), raw=True)
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in COLUMNS})
    for column in ("mw_min_per_hour", "mw_max_per_hour"):  # a column of NULLs alone comes back as objects
        df[column] = pd.to_numeric(df[column], errors="coerce").astype("float64")
    df["is_employee"] = df["employee_hours"] * 2 > df["hours"]
    df["pay_per_hour"] = df["pay_amount"] / df["hours"]
    df["base_pay_per_hour"] = df["base_pay_amount"] / df["hours"]
    df["below_mw"] = df["mw_max_per_hour"].notna() & (df["base_pay_per_hour"] < df["mw_max_per_hour"] - 1e-9)
    # Kept per person-month by data.rollup (Σ over days of hours × (that day's wage − base rate), where positive).
    df["mw_shortfall_amount"] = df["mw_shortfall_amount"].where(df["below_mw"], 0.0).round(2)
    return df[COLUMNS]


def mw_segments(
    *,
    session: Session,
    person_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Per person, month and minimum-wage rate: the days worked under that rate.

    Columns: ``person_id``, ``month`` (datetime64), ``mw_per_hour``, ``first_date``, ``last_date`` (datetime64),
    ``hours``.
    """
    d = RollupPersonDay
    month = month_of(d.work_date, dialect(session))
    query = (
        select(
            d.person_id,
            month.label("month"),
            money(d.mw_rate).label("mw_per_hour"),
            func.min(d.work_date).label("first_date"),
            func.max(d.work_date).label("last_date"),
            (func.sum(d.minutes) / 60.0).label("hours"),
        )
        .where(d.minutes > 0, d.mw_rate.is_not(None))
        .group_by(d.person_id, month, d.mw_rate)
        .order_by(d.person_id, month, func.min(d.work_date))
    )
    if person_ids is not None:
        query = query.where(d.person_id.in_(list(person_ids)))
    if start is not None:
        query = query.where(d.work_date >= py_month_start(start))
    if end is not None:
        query = query.where(d.work_date <= end)
    return frame(session, query, dates=("month", "first_date", "last_date"))
