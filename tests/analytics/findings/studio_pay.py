"""The pay frame of :mod:`tests.analytics.findings.studio` (``Records.pay``): what :func:`analytics.pay.effective_pay`
returns, computed from the hand-built facts the way the rollups compute it, wage bases by pay basis included
(:mod:`data.rollup.bases`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analytics.findings import Parameters
from data.law.wages import MINIMUM_WAGE_BASES, PIECE_BASES, PREMIUM_BASES, TIME_BASES, Bases, MonthPay, wage_bases
from data.schema import EMPLOYEE_TYPES

LAW = Parameters.seeded()


def effective_pay(
    items: pd.DataFrame, contracts: list[dict[str, Any]], days: pd.DataFrame, employments: pd.DataFrame
) -> pd.DataFrame | None:
    """:func:`analytics.pay.effective_pay` of the facts (``items``: the pay items with their ``month``;
    ``contracts``: the employments as recorded; ``days``: the days with their contract and minimum wage): the month's
    hours and the pay in the person's currency, with the wage bases."""
    if days.empty:
        return None
    us = set(employments.loc[employments["jurisdiction"] == "US-CA", "person_id"]) if len(employments) else set()
    d = days.assign(
        employee_seconds=days["seconds"].where(days["employment_type"].isin(EMPLOYEE_TYPES), 0),
        mw_due=(days["seconds"] * days["mw"] / 3600).fillna(0.0),
    )
    months = d.groupby(["person_id", "month"], as_index=False).agg(
        seconds=("seconds", "sum"), employee_seconds=("employee_seconds", "sum"), mw_due=("mw_due", "sum"),
        mw_min=("mw", "min"), mw_max=("mw", "max"),
    )  # fmt: skip
    months["currency"] = ["USD" if p in us else "JPY" for p in months["person_id"]]
    for column, bases in (("pay", None), ("base", MINIMUM_WAGE_BASES), ("piece", PIECE_BASES),
                          ("premium", PREMIUM_BASES)):  # fmt: skip
        sums = {}
        if len(items):
            chosen = items if bases is None else items[items["basis"].isin(bases)]
            mine = chosen[chosen["currency"] == chosen["person_id"].map(lambda p: "USD" if p in us else "JPY")]
            sums = mine.groupby(["person_id", "month"])["amount"].sum().to_dict()
        months[column] = [sums.get((p, m), 0.0) for p, m in zip(months["person_id"], months["month"], strict=True)]
    months = months[months["seconds"] > 0].reset_index(drop=True)
    hours = months["seconds"] / 3600.0
    days_worked = d[d["seconds"] > 0].groupby(["person_id", "month"]).size()
    found = _wage_bases(contracts, d, items, months, hours, days_worked, us)
    base_rate = pd.Series(found.minimum_wage)
    below = months["mw_max"].notna() & (base_rate < months["mw_max"] - 1e-9)
    gap = d.merge(months[["person_id", "month"]].assign(rate=base_rate), on=["person_id", "month"])
    gap["short"] = ((gap["mw"] - gap["rate"]).clip(lower=0) * gap["seconds"] / 3600.0).fillna(0.0)
    shortfall = gap.groupby(["person_id", "month"])["short"].sum()
    short = [shortfall.get((p, m), 0.0) for p, m in zip(months["person_id"], months["month"], strict=True)]
    return pd.DataFrame(
        {
            "person_id": months["person_id"],
            "month": months["month"],
            "currency": months["currency"],
            "hours": hours,
            "employee_hours": months["employee_seconds"] / 3600.0,
            "is_employee": months["employee_seconds"] * 2 > months["seconds"],
            "pay_amount": months["pay"],
            "base_pay_amount": months["base"],
            "piece_pay_amount": months["piece"],
            "premium_pay_amount": months["premium"],
            "pay_per_hour": months["pay"] / hours,
            "base_pay_per_hour": base_rate,
            "mw_min_per_hour": months["mw_min"],
            "mw_max_per_hour": months["mw_max"],
            "mw_due_amount": months["mw_due"],
            "mw_shortfall_amount": pd.Series(short).where(below, 0.0).round(2),
            "below_mw": below,
            "premium_base_per_hour": found.premium,
            "scheduled_base_per_hour": found.scheduled,
            "base_assumed": found.assumed,
        }
    )


def _wage_bases(
    contracts: list[dict[str, Any]],
    days: pd.DataFrame,
    items: pd.DataFrame,
    months: pd.DataFrame,
    hours: pd.Series,
    days_worked: pd.Series,
    us: set[int],
) -> Bases:
    """The bases by pay basis, as data.rollup.bases computes them: the schedule of the contract in force on the
    month's last day worked (the monthly one prorated to the days it covers), allowances by kind (none in USD)."""
    by_id = {e["employment_id"]: e for e in contracts}
    worked = days[days["seconds"] > 0].dropna(subset=["employment_id"]).sort_values("day")
    last = worked.groupby(["person_id", "month"])["employment_id"].last().to_dict()
    parts: dict[tuple[int, Any], dict[str, float]] = {}
    if len(items):
        mine = items[items["currency"] == items["person_id"].map(lambda p: "USD" if p in us else "JPY")]
        for r in mine.to_dict("records"):
            part = parts.setdefault((r["person_id"], r["month"]), {})
            basis, kind, amount = r["basis"], r.get("allowance_kind"), float(r["amount"])
            if basis == "allowance":
                part["mw"] = part.get("mw", 0.0) + (amount if LAW.jp_wage_bases.counts_for_minimum_wage(kind) else 0)
                part["premium"] = part.get("premium", 0.0) + (amount if LAW.jp_wage_bases.counts_for_premiums(kind)
                                                              else 0)  # fmt: skip
            elif basis in PIECE_BASES:
                part["piece"] = part.get("piece", 0.0) + amount
            elif basis in TIME_BASES:
                part[basis] = part.get(basis, 0.0) + amount
                if basis == "daily":
                    units = r.get("units")
                    part["daily_days"] = (part.get("daily_days", 0.0) + float(units)) if units == units and units \
                        is not None else float("nan")  # fmt: skip
    rows = []
    week_h, day_h = LAW.ca_overtime.weekly_over_h, LAW.ca_overtime.daily_time_and_half_over_h
    for (person, month), h in zip(zip(months["person_id"], months["month"], strict=True), hours, strict=True):
        part = parts.get((person, month), {})
        contract = by_id.get(last.get((person, month)))
        usd = person in us
        share = _covered(month, contract) if contract else 1.0
        if usd:
            month_h, allowances = week_h * 52 / 12, (0.0, 0.0)
        else:
            scheduled = (contract or {}).get("scheduled_monthly_hours")
            month_h = float("nan") if scheduled is None else float(scheduled)
            allowances = (part.get("mw", 0.0), part.get("premium", 0.0))
        daily = (contract or {}).get("scheduled_daily_hours")
        rows.append((h, float(days_worked.get((person, month), 0)), part.get("hourly", 0.0), part.get("piece", 0.0),
                     part.get("daily", 0.0), part.get("daily_days", float("nan")), part.get("monthly_salary", 0.0),
                     *allowances, month_h, share, float("nan") if daily is None else float(daily), usd))  # fmt: skip
    columns = list(zip(*rows, strict=True))
    pay = MonthPay(*(np.asarray(c, dtype=float) for c in columns[:12]))
    jp = wage_bases(pay, default_month_h=LAW.jp_wage_bases.statutory_month_h,
                    default_day_h=LAW.jp_wage_bases.daily_limit_h)  # fmt: skip
    ca = wage_bases(pay, default_month_h=week_h * 52 / 12, default_day_h=day_h)
    usd = np.asarray(columns[12], dtype=bool)
    return Bases(*(np.where(usd, getattr(ca, f), getattr(jp, f)) for f in ("minimum_wage", "premium", "scheduled",
                                                                             "assumed")))  # fmt: skip


def _covered(month: Any, contract: dict[str, Any]) -> float:
    first = pd.Timestamp(month).date()
    last = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
    start = contract["start_date"]
    end = contract["end_date"] if contract["end_date"] is not None and not pd.isna(contract["end_date"]) else last
    return max((min(last, end) - max(first, start)).days + 1, 0) / last.day
