"""California: the exempt salary floor (CA-EX-01) and overtime premiums (CA-OT-01)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from analytics.findings.context import (
    Context,
    as_date,
    month_label,
    round2,
)
from analytics.overtime import ca_overtime_weekly
from analytics.queries.base import frame
from data.periods import py_month_end
from data.reference import rule_parameter
from data.schema import (
    EMPLOYEE_TYPES,
    RollupPayMonth,
)


def _exempt_salary(ctx: Context) -> set[tuple[int, int]]:
    """CA-EX-01: a California employee marked exempt must be paid a salary of at least the year's floor (twice the
    state minimum wage for 2,080 hours; a rule parameter by year). The salary (``monthly_salary`` pay in USD) is
    annualised over the months the person worked under the exempt contract that year. Returns the (person, year)
    pairs under the floor: the overtime check treats them as non-exempt."""
    e = ctx.employments
    marked = e[(e["jurisdiction"] == "US-CA") & e["is_exempt"].astype(bool) & e["employment_type"].isin(EMPLOYEE_TYPES)]
    ids = set(marked["person_id"].astype(int))
    if ctx.people is not None:
        ids &= set(ctx.people)
    if not ids or ctx.pay.empty:
        return set()
    floors = {int(f["year"]): float(f["annual"]) for f in rule_parameter(ctx.session, "US-CA", "exempt_salary_floor")}
    worked = ctx.pay[ctx.pay["person_id"].isin(ids)][["person_id", "month"]].reset_index(drop=True)
    info = ctx.employment_in_month(worked["person_id"], worked["month"])
    exempt = (info["jurisdiction"] == "US-CA") & info["is_exempt"].fillna(False).astype(bool)
    months = worked[exempt.to_numpy()]
    if months.empty:
        return set()
    p = RollupPayMonth
    query = (
        select(p.person_id, p.month_start.label("month"), func.sum(p.amount).label("salary"))
        .where(p.basis == "monthly_salary", p.currency == "USD", p.person_id.in_(sorted(ids)))
        .group_by(p.person_id, p.month_start)
    )
    salary = frame(ctx.session, query, dates=("month",))
    months = months.merge(salary, on=["person_id", "month"], how="left").fillna({"salary": 0.0})
    months["year"] = months["month"].dt.year
    years = months.groupby(["person_id", "year"], as_index=False).agg(
        salary=("salary", "sum"), months=("month", "size"), first=("month", "min"), last=("month", "max")
    )
    under: set[tuple[int, int]] = set()
    for r in years.itertuples(index=False):
        known = [y for y in floors if y <= r.year]
        if not known:
            continue  # no floor on record for that year
        floor = floors[max(known)]
        annual = float(r.salary) / int(r.months) * 12
        if annual >= floor - 0.005:
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
            f"CA-EX-01: marked exempt but paid a salary at an annual rate of {annual:,.0f} USD in {r.year} "
            f"({int(r.months)} month(s) worked), under the {floor:,.0f} USD floor for exempt employees (twice the "
            f"state minimum wage for 2,080 hours; Labor Code §515): the hours are checked as non-exempt.",
        )
    return under


def check(ctx: Context) -> None:
    """CA-EX-01, then CA-OT-01 per month for non-exempt Californian employees (and exempt ones paid under the floor)."""
    underpaid_exempt = _exempt_salary(ctx)
    # Only people with a Californian contract have Californian workweeks: naming them spares a studio-wide scan.
    e = ctx.employments
    people = set(e[e["jurisdiction"] == "US-CA"]["person_id"].astype(int))
    if ctx.people is not None:
        people &= set(ctx.people)
    if not people:
        return
    weeks = ca_overtime_weekly(session=ctx.session, person_ids=sorted(people))
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
    p = RollupPayMonth
    query = (
        select(p.person_id, p.month_start.label("month"), func.sum(p.amount).label("paid"))
        .where(p.basis == "ot_premium", p.currency == "USD")
        .group_by(p.person_id, p.month_start)
    )
    paid = frame(ctx.session, query, dates=("month",))
    data = by_month.merge(
        ctx.pay[["person_id", "month", "base_pay_per_hour"]], on=["person_id", "month"], how="left"
    ).merge(paid, on=["person_id", "month"], how="left")
    for r in data.itertuples(index=False):
        rate = float(r.base_pay_per_hour) if pd.notna(r.base_pay_per_hour) else 0.0
        owed = 0.5 * rate * float(r.ot15) + 1.0 * rate * float(r.ot2)
        got = float(r.paid) if pd.notna(r.paid) else 0.0
        if owed >= 0.01 and got < owed - 0.01:
            month = as_date(r.month)
            seventh = f", including {int(r.seventh)} seventh-day week(s)" if r.seventh else ""
            ctx.add(
                "CA-OT-01",
                "violation",
                int(r.person_id),
                month,
                py_month_end(month),
                round2(got),
                round2(owed),
                "USD",
                f"CA-OT-01: {r.ot15:.1f} h at 1.5× and {r.ot2:.1f} h at 2× in weeks starting in "
                f"{month_label(month)}{seventh} need {owed:,.2f} USD of overtime premium at a regular rate of "
                f"{rate:,.2f} USD/h; {got:,.2f} USD was paid (Labor Code §510).",
            )
