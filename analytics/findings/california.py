"""California: the exempt salary floor (CA-EX-01) and overtime premiums (CA-OT-01)."""

from __future__ import annotations

import pandas as pd

from analytics.findings.context import (
    Context,
    as_date,
    month_label,
    round2,
)
from analytics.findings.records import exempt_people
from analytics.findings.text import Sentences, money
from analytics.overtime import ca_overtime_of
from data.i18n import N_
from data.periods import py_month_end
from data.schema import EMPLOYEE_TYPES

EXEMPT_UNDER_FLOOR = N_(
    "CA-EX-01: marked exempt but paid a salary at an annual rate of {annual} in {year} ({months} month(s) worked), "
    "under the {floor} floor for exempt employees (twice the state minimum wage for full-time hours; Labor Code "
    "§515): the hours are checked as non-exempt."
)
OT_SHORT = N_(
    "CA-OT-01: {time_and_half_h:.1f} h at {time_and_half:g}× and {double_h:.1f} h at {double:g}× in weeks starting in "
    "{month} need {owed} of overtime premium at a regular rate of {rate}; {paid} was paid (Labor Code §510)."
)
OT_SEVENTH = N_(
    "CA-OT-01: {time_and_half_h:.1f} h at {time_and_half:g}× and {double_h:.1f} h at {double:g}× in weeks starting in "
    "{month}, including {seventh} seventh-day week(s), need {owed} of overtime premium at a regular rate of {rate}; "
    "{paid} was paid (Labor Code §510)."
)
# The workweek California's overtime is counted in when the employer's is not recorded.
WORKWEEK_START = "SUN"
# A cent of rounding is not a shortfall.
CENT = 0.01


def _exempt_salary(ctx: Context) -> set[tuple[int, int]]:
    """CA-EX-01: a California employee marked exempt must be paid a salary of at least the year's floor (twice the
    state minimum wage for full-time hours; a rule parameter by year). The salary (``monthly_salary`` pay in USD) is
    annualised over the months the person worked under the exempt contract that year. Returns the (person, year)
    pairs under the floor: the overtime check treats them as non-exempt."""
    ids = set(exempt_people(ctx.employments, ctx.people))
    if not ids or ctx.pay.empty:
        return set()
    worked = ctx.pay[ctx.pay["person_id"].isin(ids)][["person_id", "month"]].reset_index(drop=True)
    info = ctx.employment_in_month(worked["person_id"], worked["month"])
    exempt = (info["jurisdiction"] == "US-CA") & info["is_exempt"].fillna(False).astype(bool)
    months = worked[exempt.to_numpy()]
    if months.empty:
        return set()
    salary = ctx.records.salaries
    salary = salary[salary["person_id"].isin(ids)]
    months = months.merge(salary, on=["person_id", "month"], how="left").fillna({"salary": 0.0})
    months["year"] = months["month"].dt.year
    years = months.groupby(["person_id", "year"], as_index=False).agg(
        salary=("salary", "sum"), months=("month", "size"), first=("month", "min"), last=("month", "max")
    )
    under: set[tuple[int, int]] = set()
    for r in years.itertuples(index=False):
        floor = ctx.law.ca_exempt.floor_for(int(r.year))
        if floor is None:
            continue  # no floor on record for that year
        annual = float(r.salary) / int(r.months) * 12
        if annual >= floor - CENT / 2:
            continue
        under.add((int(r.person_id), int(r.year)))
        ctx.add(
            "CA-EX-01",
            "violation",
            int(r.person_id),
            as_date(r.first),
            py_month_end(as_date(r.last)),
            round2(annual),
            floor,
            "USD/year",
            Sentences(
                EXEMPT_UNDER_FLOOR,
                {
                    "annual": money(annual, "USD"),
                    "year": int(r.year),
                    "months": int(r.months),
                    "floor": money(floor, "USD"),
                },
            ),  # fmt: skip
            source=ctx.law.cite("US-CA", "exempt_salary_floor"),
        )
    return under


def check(ctx: Context) -> None:
    """CA-EX-01, then CA-OT-01 per month for non-exempt Californian employees (and exempt ones paid under the floor)."""
    underpaid_exempt = _exempt_salary(ctx)
    days = ctx.records.ca_days
    if ctx.people is not None:
        days = days[days["person_id"].isin(ctx.people)]
    weeks = ca_overtime_of(days, rules=ctx.law.ca_overtime, week_start=WORKWEEK_START)
    if weeks.empty:
        return
    year = weeks["week_start"].dt.year
    not_exempt = ~weeks["is_exempt"].astype(bool) | pd.Series(
        [(int(p), int(y)) in underpaid_exempt for p, y in zip(weeks["person_id"], year, strict=True)],
        index=weeks.index,
    )
    weeks = weeks[weeks["employment_type"].isin(EMPLOYEE_TYPES) & not_exempt]
    if weeks.empty:
        return
    weeks = weeks.assign(month=weeks["week_start"].dt.to_period("M").dt.to_timestamp())
    by_month = weeks.groupby(["person_id", "month"], as_index=False).agg(
        ot15=("ot_1_5_hours", "sum"), ot2=("ot_2_hours", "sum"), seventh=("seventh_day", "sum")
    )
    premiums = ctx.records.premiums
    paid = premiums[(premiums["basis"] == "ot_premium") & (premiums["currency"] == "USD")]
    paid = paid.groupby(["person_id", "month"], as_index=False)["amount"].sum().rename(columns={"amount": "paid"})
    data = by_month.merge(
        ctx.pay[["person_id", "month", "premium_base_per_hour", "scheduled_base_per_hour"]],
        on=["person_id", "month"],
        how="left",
    ).merge(paid, on=["person_id", "month"], how="left")
    rates = ctx.law.ca_premiums
    for r in data.itertuples(index=False):
        rate = float(r.premium_base_per_hour) if pd.notna(r.premium_base_per_hour) else 0.0
        # A salary (a week's ÷ 40, §515(d)(1)) pays the straight hours only: the overtime hour itself is owed too.
        scheduled = float(r.scheduled_base_per_hour) if pd.notna(r.scheduled_base_per_hour) else 0.0
        owed = float(rates.owed(rate, float(r.ot15), float(r.ot2))) + scheduled * float(r.ot15 + r.ot2)
        got = float(r.paid) if pd.notna(r.paid) else 0.0
        if owed >= CENT and got < owed - CENT:
            month = as_date(r.month)
            ctx.add(
                "CA-OT-01",
                "violation",
                int(r.person_id),
                month,
                py_month_end(month),
                round2(got),
                round2(owed),
                "USD",
                Sentences(
                    OT_SEVENTH if r.seventh else OT_SHORT,
                    {
                        "time_and_half_h": float(r.ot15),
                        "time_and_half": rates.time_and_half,
                        "double_h": float(r.ot2),
                        "double": rates.double,
                        "month": month_label(month),
                        "seventh": int(r.seventh),
                        "owed": money(owed, "USD"),
                        "rate": money(rate, "USD", per_hour=True),
                        "paid": money(got, "USD"),
                    },
                ),
                source=ctx.law.cite("US-CA", "overtime.daily"),
            )
