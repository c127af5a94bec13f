"""Effective hourly pay per person and month, against the minimum wage in force on each work date.

Pay counts in the month of its pay item's ``period_end`` (``data.rollup``). Two rates are reported:

* ``pay_per_hour`` — all pay ÷ hours logged: the indicator for everyone, freelancers included (§7.2-5);
* ``base_pay_per_hour`` — the minimum-wage base, basis by basis (§7.2-4, JP-MW-01, CA-MW-01; :mod:`data.rollup.bases`):
  hourly and piece pay ÷ hours worked, daily pay ÷ the days' scheduled hours, monthly pay and the allowances that
  count ÷ the month's scheduled hours; no premiums or bonuses. ``premium_base_per_hour`` is the premium base
  (JP-PAY-01…03, CA-OT-01), ``scheduled_base_per_hour`` its pay for scheduled time (a salary or day rate covers the
  schedule only, so an hour of overtime is owed it again), ``base_assumed`` says a schedule was not recorded and the
  statutory one stood in.

The minimum wage is the one at the workplace of the employment in force on each work date (JP prefecture; US-CA the
higher of state and city). A month that crosses an effective date is tested segment by segment: the month's rate
must clear the wage in force on every day worked.

The rows come from :mod:`analytics.queries.pay`; the arithmetic here works on frames.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from analytics.queries import pay as q
from analytics.scope import Scope

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
    "premium_base_per_hour",
    "scheduled_base_per_hour",
    "base_assumed",
]
PIECE_RATE_COLUMNS = ["role", "basis", "items", "units", "amount", "rate_per_unit", "units_per_hour",
                      "implied_pay_per_hour"]  # fmt: skip


# What the pay per hour and the minimum-wage test of a person-month are computed from, and what they give: a page
# that shows those alone reads 8 of the 17 columns (the driver builds a Python object per value read).
TESTED_READ = ("person_id", "month", "currency", "hours", "pay_amount", "base_pay_amount", "mw_max_per_hour",
               "mw_base_per_hour")  # fmt: skip
TESTED_COLUMNS = ["person_id", "month", "currency", "hours", "pay_amount", "base_pay_amount", "pay_per_hour",
                  "base_pay_per_hour", "mw_max_per_hour", "below_mw"]  # fmt: skip


def effective_pay(session: Session, *, scope: Scope, tested_only: bool = False) -> pd.DataFrame:
    """Effective hourly pay per person-month, with the minimum wage it is tested against (:func:`rates` of
    :func:`analytics.queries.pay.person_months`; ``tested_only``: :data:`TESTED_COLUMNS` alone, the same values,
    read from :data:`TESTED_READ`).

    Productions and departments keep the people who worked on them in the period (their whole month is still
    counted: the legal tests are per person, not per production). Months with pay but no logged hours are left out
    (no rate exists). Columns: see :func:`rates`.
    """
    if tested_only:
        return rates(q.person_months(session, scope=scope, columns=TESTED_READ))[TESTED_COLUMNS]
    return rates(q.person_months(session, scope=scope))


def rates(months: pd.DataFrame) -> pd.DataFrame:
    """The rates and the minimum-wage test of each person-month of ``months`` (the columns of
    :func:`analytics.queries.pay.person_months`).

    Columns (amounts in ``currency``, JPY or USD): ``person_id``, ``month`` (datetime64), ``currency``, ``hours``,
    ``employee_hours`` (under an employee contract), ``is_employee`` (bool: most hours as an employee),
    ``pay_amount``, ``base_pay_amount`` (counts for the MW test), ``piece_pay_amount``, ``premium_pay_amount``,
    ``pay_per_hour``, ``base_pay_per_hour``, ``mw_min_per_hour``/``mw_max_per_hour`` (lowest and highest minimum
    wage in force on the days worked), ``mw_due_amount`` (Σ hours × MW of each day), ``mw_shortfall_amount`` (Σ over
    days of hours × (MW − base rate) where positive), ``below_mw`` (bool), ``premium_base_per_hour``,
    ``scheduled_base_per_hour`` (0 for pay by the hour or piece), ``base_assumed`` (bool); of ``months`` read
    as :data:`TESTED_READ`, :data:`TESTED_COLUMNS` hold the values a full read gives.
    """
    df = months
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in COLUMNS})
    for column in ("mw_min_per_hour", "mw_max_per_hour"):  # a column of NULLs alone comes back as objects
        if column in df.columns:
            df[column] = pd.to_numeric(df[column], errors="coerce").astype("float64")
    if "employee_hours" in df.columns:
        df["is_employee"] = df["employee_hours"] * 2 > df["hours"]
    df["pay_per_hour"] = df["pay_amount"] / df["hours"]
    # The rollup's bases by pay basis; a rollup not refreshed since migration 0019 has none: pay ÷ hours, as before.
    fallback = df["base_pay_amount"] / df["hours"]
    for column in ("mw_base_per_hour", "premium_base_per_hour", "scheduled_base_per_hour", "base_assumed"):
        values = df.get(column)
        df[column] = float("nan") if values is None else pd.to_numeric(values, errors="coerce").astype("float64")
    df["base_pay_per_hour"] = df["mw_base_per_hour"].fillna(fallback)
    df["premium_base_per_hour"] = df["premium_base_per_hour"].fillna(fallback)
    df["scheduled_base_per_hour"] = df["scheduled_base_per_hour"].fillna(0.0)
    df["base_assumed"] = df["base_assumed"].fillna(0.0).astype(bool)
    df["below_mw"] = df["mw_max_per_hour"].notna() & (df["base_pay_per_hour"] < df["mw_max_per_hour"] - 1e-9)
    # Kept per person-month by data.rollup (Σ over days of hours × (that day's wage − base rate), where positive).
    if "mw_shortfall_amount" in df.columns:
        df["mw_shortfall_amount"] = df["mw_shortfall_amount"].where(df["below_mw"], 0.0).round(2)
    return df[[c for c in COLUMNS if c in df.columns]]


def piece_rates(pay: pd.DataFrame, work: pd.DataFrame) -> pd.DataFrame:
    """Piece-rate pay by role and basis with what it means per hour, from the two frames of
    :func:`analytics.queries.pay.piece_rate_rows`.

    Columns: ``role``, ``basis``, ``items``, ``units``, ``amount``, ``rate_per_unit`` (amount ÷ units, JPY),
    ``units_per_hour`` (units produced ÷ hours logged in the role), ``implied_pay_per_hour`` (rate × units per hour,
    JPY/h).
    """
    out = pay.merge(work, on="role", how="left")
    for column in ("units", "amount", "work_units", "hours"):
        out[column] = out[column].astype(float)
    out["rate_per_unit"] = (out["amount"] / out["units"]).round(0)
    out["units_per_hour"] = (out["work_units"] / out["hours"].where(out["hours"] > 0)).round(3)
    out["implied_pay_per_hour"] = (out["rate_per_unit"] * out["units_per_hour"]).round(0)
    return out[PIECE_RATE_COLUMNS].sort_values(["role", "basis"], ignore_index=True)
