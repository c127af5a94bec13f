"""JP-MW-01/02 and CA-MW-01: pay per hour against the minimum wage in force on each day worked."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.findings.context import (
    Context,
    columns_of,
    iso_dates,
    month_labels,
    rounded,
)
from analytics.person_days import as_datetime, month_start_day


def _mw_segments(ctx: Context, low: pd.DataFrame) -> pd.DataFrame:
    """For the person-months in ``low``: the days worked under each minimum-wage rate in force.

    Columns: ``person_id``, ``month``, ``mw_per_hour``, ``first_date``, ``last_date`` (datetime64), ``hours``;
    sorted by person, month and first day.
    """
    days = ctx.days()
    month = month_start_day(days.day)
    # Person and month in one integer, so a membership test replaces a join over millions of days.
    wanted = low["person_id"].to_numpy(np.int64) * 1_000_000 + (
        (low["month"].to_numpy("datetime64[D]") - np.datetime64("2000-01-01", "D")).astype(np.int64)
    )
    keep = np.flatnonzero(~np.isnan(days.mw_per_hour) & np.isin(days.person_id * 1_000_000 + month, wanted))
    person, month, rate = days.person_id[keep], month[keep], days.mw_per_hour[keep]
    # Group by (person, month, rate) without a frame: sort once, then cut where any of the three changes.
    order = np.lexsort((rate, month, person))
    keep, person, month, rate = keep[order], person[order], month[order], rate[order]
    new = np.ones(len(keep), dtype=bool)
    new[1:] = (person[1:] != person[:-1]) | (month[1:] != month[:-1]) | (rate[1:] != rate[:-1])
    starts = np.flatnonzero(new)
    if not len(starts):
        return pd.DataFrame(columns=["person_id", "month", "mw_per_hour", "first_date", "last_date", "hours"])
    day = days.day[keep]
    out = pd.DataFrame(
        {
            "person_id": person[starts],
            "month": as_datetime(month[starts]),
            "mw_per_hour": rate[starts],
            "first_date": as_datetime(np.minimum.reduceat(day, starts)),
            "last_date": as_datetime(np.maximum.reduceat(day, starts)),
            "hours": np.add.reduceat(days.seconds[keep].astype(np.int64), starts) / 3600.0,
        }
    )
    return out.sort_values(["person_id", "month", "first_date"], ignore_index=True)


def check(ctx: Context) -> None:
    """Each person-month paid under the highest minimum wage it met, reported per stretch of days under one rate."""
    pay = ctx.pay
    if pay.empty:
        return
    pay = pay.assign(rate=pay["base_pay_per_hour"].where(pay["is_employee"], pay["pay_per_hour"]))
    low = pay[pay["mw_max_per_hour"].notna() & (pay["rate"] < pay["mw_max_per_hour"] - 1e-9)]
    if low.empty:
        return
    merged = _mw_segments(ctx, low).merge(low.drop(columns="hours"), on=["person_id", "month"])
    usd = merged["currency"] == "USD"
    merged = merged[(merged["rate"] < merged["mw_per_hour"] - 1e-9) & (~usd | merged["is_employee"])]
    if merged.empty:
        return
    usd, employee = (merged["currency"] == "USD").to_numpy(), merged["is_employee"].to_numpy(bool)
    rule = np.where(usd, "CA-MW-01", np.where(employee, "JP-MW-01", "JP-MW-02"))
    law = np.where(
        usd,
        "the California minimum wage at the worksite",
        np.where(
            employee,
            "the prefectural minimum wage (Minimum Wage Act)",
            "the prefectural minimum wage it would be for an employee",
        ),
    )
    kind = np.where(employee, "base hourly pay", "effective hourly pay")
    rate, mw, currency, paid, hours = columns_of(merged, "rate", "mw_per_hour", "currency", "pay_amount", "hours")
    text = [
        f"{ru}: {k} of {r:,.0f} {c}/h in {m}{' (no pay recorded for the month)' if p == 0 else ''} is below "
        f"{w:,.0f} {c}/h, {la} in force on {a}–{b} ({h:.1f} h worked at that rate)."
        for ru, k, r, c, m, p, w, la, a, b, h in zip(
            rule.tolist(),
            kind.tolist(),
            rate,
            currency,
            month_labels(merged["month"]),
            paid,
            mw,
            law.tolist(),
            iso_dates(merged["first_date"]),
            iso_dates(merged["last_date"]),
            hours,
            strict=True,
        )
    ]
    ctx.extend(
        rule,
        np.where(usd | employee, "violation", "advocacy_flag"),
        merged["person_id"],
        merged["first_date"],
        merged["last_date"],
        rounded(rate),
        rounded(mw),
        [f"{c}/h" for c in currency],
        text,
    )
