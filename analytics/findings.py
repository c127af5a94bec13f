"""Findings: every rule of the compliance spec (labor-and-pay.md §6–7) evaluated into one table of rows.

Each row names the rule, the person, the period, what was measured, the threshold and a sentence citing the rule.
Severities: ``violation`` (a legal limit broken by an employer), ``advocacy_flag`` (an indicator for freelancers or
overwork lines that are not in themselves illegal) and ``warning`` (the data cannot show compliance).

Rules are evaluated per person over all their work: ``production`` narrows the people to those who worked on it,
``start``/``end`` the periods reported (monthly rules look at whole months).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analytics.freelance import commissions
from analytics.overtime import ca_overtime_weekly, jp_overtime_monthly
from analytics.overwork import few_days_off, long_streaks, long_weeks, monthly_indicators, thresholds
from analytics.overwork import window_averages as _window_averages
from analytics.pay import effective_pay, mw_segments
from analytics.scope import check_range, dialect, frame, production_id
from analytics.workload import monthly_days
from data.periods import add_months, month_of, py_month_end, py_month_start
from data.reference import rule_parameter
from data.schema import (
    EMPLOYEE_TYPES,
    Employment,
    LaborAgreement,
    Person,
    RollupPayMonth,
    RollupPersonDay,
    RollupWorkMonth,
)

SEVERITIES = ("violation", "advocacy_flag", "warning")
COLUMNS = [
    "rule_id",
    "severity",
    "person_id",
    "person",
    "group",
    "period_start",
    "period_end",
    "measured_value",
    "threshold",
    "unit",
    "explanation",
]


@dataclass(frozen=True)
class Finding:
    """One rule outcome. ``person_id`` is None when the finding is about a group (then ``group`` names it)."""

    rule_id: str
    severity: str
    person_id: int | None
    period_start: dt.date
    period_end: dt.date
    measured_value: float
    threshold: float
    unit: str
    explanation: str
    group: str | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r} is not one of {SEVERITIES}")


def _d(value: Any) -> dt.date:
    return value.date() if isinstance(value, pd.Timestamp) else value


def _month_label(month: Any) -> str:
    return _d(month).strftime("%Y-%m")


def _r(value: float) -> float:
    return round(float(value), 2)


class _Context:
    def __init__(self, session: Session, people: list[int] | None, start: dt.date | None, end: dt.date | None):
        self.session, self.people, self.start, self.end = session, people, start, end
        self.out: list[Finding] = []
        self.pay = effective_pay(session=session, person_ids=people, start=start, end=end)
        self.employments = frame(
            session,
            select(
                Employment.id,
                Employment.person_id,
                Employment.employer_id,
                Employment.employment_type,
                Employment.jurisdiction,
                Employment.start_date,
                Employment.end_date,
                Employment.is_exempt,
            ),
            dates=("start_date", "end_date"),
        )
        self.agreements = frame(
            session,
            select(
                LaborAgreement.organization_id,
                LaborAgreement.has_36_agreement,
                LaborAgreement.special_clause,
                LaborAgreement.variable_hours_1y,
                LaborAgreement.valid_from,
                LaborAgreement.valid_to,
            ),
            dates=("valid_from", "valid_to"),
        )

    def add(self, *args: Any, **kwargs: Any) -> None:
        self.out.append(Finding(*args, **kwargs))

    def employment_on(self, person: int, day: dt.date) -> dict | None:
        """The employment in force on ``day`` (the latest started, when several overlap)."""
        if not hasattr(self, "_by_person"):
            self._by_person: dict[int, list[dict]] = {}
            for row in self.employments.sort_values("start_date").to_dict("records"):
                self._by_person.setdefault(int(row["person_id"]), []).append(row)
        stamp = pd.Timestamp(day)
        found = None
        for row in self._by_person.get(int(person), []):
            if row["start_date"] <= stamp and (pd.isna(row["end_date"]) or row["end_date"] >= stamp):
                found = row
        return found

    def employment_in_month(self, person: int, month: dt.date) -> dict | None:
        """The employment in force at the month's end, else at its start."""
        found = self.employment_on(person, py_month_end(month))
        return found if found is not None else self.employment_on(person, month)

    def agreement_for(self, employer: int, month: dt.date) -> dict | None:
        """The Article 36 agreement covering any of ``month`` (the latest, when several do)."""
        if not hasattr(self, "_by_org"):
            self._by_org: dict[int, list[dict]] = {}
            for row in self.agreements.sort_values("valid_from").to_dict("records"):
                self._by_org.setdefault(int(row["organization_id"]), []).append(row)
        first, last = pd.Timestamp(month), pd.Timestamp(py_month_end(month))
        found = None
        for row in self._by_org.get(int(employer), []):
            if (
                bool(row["has_36_agreement"])
                and row["valid_from"] <= last
                and (pd.isna(row["valid_to"]) or row["valid_to"] >= first)
            ):
                found = row
        return found


def _minimum_wage(ctx: _Context) -> None:
    pay = ctx.pay
    if pay.empty:
        return
    pay = pay.copy()
    pay["rate"] = pay["base_pay_per_hour"].where(pay["is_employee"], pay["pay_per_hour"])
    low = pay[pay["mw_max_per_hour"].notna() & (pay["rate"] < pay["mw_max_per_hour"] - 1e-9)]
    if low.empty:
        return
    segments = mw_segments(
        session=ctx.session, person_ids=low["person_id"].unique().tolist(), start=_d(low["month"].min()), end=ctx.end
    )
    merged = segments.merge(low.drop(columns="hours"), on=["person_id", "month"])
    for row in merged.itertuples(index=False):
        if row.rate >= row.mw_per_hour - 1e-9:
            continue
        first, last = _d(row.first_date), _d(row.last_date)
        unit = f"{row.currency}/h"
        no_pay = " (no pay recorded for the month)" if row.pay_amount == 0 else ""
        if row.currency == "USD":
            if not row.is_employee:
                continue
            rule, severity, law = "CA-MW-01", "violation", "the California minimum wage at the worksite"
        elif row.is_employee:
            rule, severity, law = "JP-MW-01", "violation", "the prefectural minimum wage (Minimum Wage Act)"
        else:
            rule, severity, law = (
                "JP-MW-02",
                "advocacy_flag",
                "the prefectural minimum wage it would be for an employee",
            )
        kind = "base hourly pay" if row.is_employee else "effective hourly pay"
        ctx.add(
            rule,
            severity,
            int(row.person_id),
            first,
            last,
            _r(row.rate),
            _r(row.mw_per_hour),
            unit,
            f"{rule}: {kind} of {row.rate:,.0f} {row.currency}/h in {_month_label(row.month)}{no_pay} is below "
            f"{row.mw_per_hour:,.0f} {row.currency}/h, {law} in force on {first}–{last} "
            f"({row.hours:.1f} h worked at that rate).",
        )


def _hours_rules(ctx: _Context) -> None:
    session = ctx.session
    monthly = jp_overtime_monthly(
        session=session,
        person_ids=ctx.people,
        start=None if ctx.start is None else add_months(py_month_start(ctx.start), -17),
        end=ctx.end,
    )
    if monthly.empty:
        return
    pay = ctx.pay.set_index(["person_id", "month"]) if not ctx.pay.empty else None
    month_limit = float(rule_parameter(session, "JP", "ot_agreement_36.normal.month_h"))
    year_limit = float(rule_parameter(session, "JP", "ot_agreement_36.normal.year_h"))
    var_month = float(rule_parameter(session, "JP", "ot_agreement_36.normal_1y_variable_hours.month_h"))
    var_year = float(rule_parameter(session, "JP", "ot_agreement_36.normal_1y_variable_hours.year_h"))
    special_year = float(rule_parameter(session, "JP", "ot_agreement_36.special_clause.year_ot_h_max"))
    special_months = int(rule_parameter(session, "JP", "ot_agreement_36.special_clause.months_over_normal_max"))
    abs_month = float(rule_parameter(session, "JP", "ot_agreement_36.absolute.month_ot_plus_holiday_lt_h"))
    abs_avg = float(rule_parameter(session, "JP", "ot_agreement_36.absolute.multi_month_avg_ot_plus_holiday_le_h"))
    windows = [int(n) for n in rule_parameter(session, "JP", "ot_agreement_36.absolute.avg_windows_months")]

    rows = []
    for r in monthly.itertuples(index=False):
        month = _d(r.month)
        employment = ctx.employment_in_month(int(r.person_id), month)
        if employment is None or employment["jurisdiction"] != "JP":
            continue
        if employment["employment_type"] not in EMPLOYEE_TYPES:
            continue
        if (
            pay is not None
            and (r.person_id, r.month) in pay.index
            and not pay.loc[(r.person_id, r.month)]["is_employee"]
        ):
            continue
        agreement = ctx.agreement_for(int(employment["employer_id"]), month)
        rows.append({**r._asdict(), "agreement": agreement})
    if not rows:
        return
    emp = pd.DataFrame(rows)
    in_view = emp["month"] >= pd.Timestamp(py_month_start(ctx.start)) if ctx.start else emp["month"].notna()

    for r in emp[in_view].itertuples(index=False):
        month = _d(r.month)
        label = _month_label(month)
        end = py_month_end(month)
        if r.agreement is None and r.ot_plus_holiday_hours > 0:
            ctx.add(
                "JP-HRS-01",
                "violation",
                int(r.person_id),
                month,
                end,
                _r(r.ot_plus_holiday_hours),
                0.0,
                "h",
                f"JP-HRS-01: {r.ot_plus_holiday_hours:.1f} h of overtime and holiday work in {label} without a "
                f"filed Article 36 agreement (Labor Standards Act Art. 36): none is lawful.",
            )
        if r.agreement is not None and not bool(r.agreement["special_clause"]):
            limit = var_month if bool(r.agreement["variable_hours_1y"]) else month_limit
            if r.ot_hours > limit + 1e-9:
                ctx.add(
                    "JP-HRS-02",
                    "violation",
                    int(r.person_id),
                    month,
                    end,
                    _r(r.ot_hours),
                    limit,
                    "h",
                    f"JP-HRS-02: {r.ot_hours:.1f} h of overtime in {label} exceeds the {limit:g} h monthly limit "
                    f"of an Article 36 agreement without a special clause (LSA Art. 36(4)).",
                )
        if r.ot_plus_holiday_hours >= abs_month - 1e-9:
            ctx.add(
                "JP-HRS-04",
                "violation",
                int(r.person_id),
                month,
                end,
                _r(r.ot_plus_holiday_hours),
                abs_month,
                "h",
                f"JP-HRS-04: overtime plus statutory-holiday work of {r.ot_plus_holiday_hours:.1f} h in "
                f"{label} reaches the absolute cap; it must stay under {abs_month:g} h (LSA Art. 36(6)(ii)).",
            )

    # Agreement years (normal 360 h / special clause 720 h and at most 6 months over 45 h).
    with_agreement = emp[emp["agreement"].notna()].copy()
    if not with_agreement.empty:
        with_agreement["valid_from"] = [a["valid_from"] for a in with_agreement["agreement"]]
        with_agreement["special"] = [bool(a["special_clause"]) for a in with_agreement["agreement"]]
        with_agreement["variable"] = [bool(a["variable_hours_1y"]) for a in with_agreement["agreement"]]
        months_since = (
            (with_agreement["month"].dt.year - with_agreement["valid_from"].dt.year) * 12
            + with_agreement["month"].dt.month
            - with_agreement["valid_from"].dt.month
        )
        with_agreement["year_index"] = months_since // 12
        for (person, since, year, special, variable), grp in with_agreement.groupby(
            ["person_id", "valid_from", "year_index", "special", "variable"]
        ):
            year_start = add_months(py_month_start(_d(since)), 12 * int(year))
            year_end = py_month_end(add_months(year_start, 11))
            if ctx.end is not None and year_start > ctx.end:
                continue
            if ctx.start is not None and year_end < ctx.start:
                continue
            total = float(grp["ot_hours"].sum())
            if not special:
                limit = var_year if variable else year_limit
                if total > limit + 1e-9:
                    ctx.add(
                        "JP-HRS-02",
                        "violation",
                        int(person),
                        year_start,
                        year_end,
                        _r(total),
                        limit,
                        "h",
                        f"JP-HRS-02: {total:.1f} h of overtime in the agreement year from {year_start} exceeds "
                        f"the {limit:g} h yearly limit of an Article 36 agreement (LSA Art. 36(4)).",
                    )
                continue
            if total > special_year + 1e-9:
                ctx.add(
                    "JP-HRS-03",
                    "violation",
                    int(person),
                    year_start,
                    year_end,
                    _r(total),
                    special_year,
                    "h",
                    f"JP-HRS-03: {total:.1f} h of overtime in the agreement year from {year_start} exceeds the "
                    f"{special_year:g} h a special clause allows (LSA Art. 36(5)).",
                )
            over = grp[grp["ot_hours"] > month_limit + 1e-9].sort_values("month")
            if len(over) > special_months:
                nth = over.iloc[special_months]
                ctx.add(
                    "JP-HRS-03",
                    "violation",
                    int(person),
                    year_start,
                    year_end,
                    float(len(over)),
                    float(special_months),
                    "months",
                    f"JP-HRS-03: {len(over)} months with more than {month_limit:g} h of overtime in the agreement "
                    f"year from {year_start} (the {special_months + 1}th was {_month_label(nth['month'])}); a "
                    f"special clause allows at most {special_months} (LSA Art. 36(5)).",
                )

    # Any 2–6-month window averaging more than 80 h of OT + holiday work.
    averaged = _window_averages(emp[["person_id", "month", "ot_plus_holiday_hours"]], "ot_plus_holiday_hours", windows)
    employee_months = set(zip(emp["person_id"], emp["month"], strict=True))
    for r in averaged.itertuples(index=False):
        if (r.person_id, r.month) not in employee_months or pd.isna(r.max_window_avg_hours):
            continue
        if ctx.start is not None and r.month < pd.Timestamp(py_month_start(ctx.start)):
            continue
        if r.max_window_avg_hours > abs_avg + 1e-9:
            n = int(r.avg_window_months)
            first = add_months(_d(r.month), -(n - 1))
            ctx.add(
                "JP-HRS-05",
                "violation",
                int(r.person_id),
                first,
                py_month_end(_d(r.month)),
                _r(r.max_window_avg_hours),
                abs_avg,
                "h/month",
                f"JP-HRS-05: overtime plus holiday work averaged {r.max_window_avg_hours:.1f} h a month over the "
                f"{n} months {_month_label(first)}–{_month_label(r.month)}; every 2–6-month average must stay at "
                f"or under {abs_avg:g} h (LSA Art. 36(6)(iii)).",
            )


def _employee_people(ctx: _Context, jurisdiction: str = "JP") -> set[int]:
    e = ctx.employments
    rows = e[e["employment_type"].isin(EMPLOYEE_TYPES) & (e["jurisdiction"] == jurisdiction)]
    return set(rows["person_id"].astype(int))


def _days_and_breaks(ctx: _Context) -> None:
    employees = _employee_people(ctx)
    runs = few_days_off(session=ctx.session, person_ids=ctx.people, start=ctx.start, end=ctx.end)
    need = thresholds(ctx.session)["days_off_per_4_weeks"]
    for r in runs.itertuples(index=False):
        first = _d(r.first_window_end) - dt.timedelta(days=27)
        last = _d(r.last_window_end)
        employment = ctx.employment_on(int(r.person_id), last) if int(r.person_id) in employees else None
        if employment is not None and employment["employment_type"] in EMPLOYEE_TYPES:
            ctx.add(
                "JP-HRS-06",
                "violation",
                int(r.person_id),
                first,
                last,
                float(r.min_days_off),
                need,
                "days",
                f"JP-HRS-06: only {int(r.min_days_off)} days off in a 4-week window between {first} and {last}; "
                f"an employee must get at least 1 a week or {need:g} in 4 weeks (LSA Art. 35).",
            )
        ctx.add(
            "JP-OW-06",
            "advocacy_flag",
            int(r.person_id),
            first,
            last,
            float(r.min_days_off),
            need,
            "days",
            f"JP-OW-06: fewer than {need:g} days off in 4 weeks between {first} and {last} (fewest: "
            f"{int(r.min_days_off)}), below the statutory floor for employees (LSA Art. 35; §6 indicators).",
        )

    d = RollupPersonDay
    month = month_of(d.work_date, dialect(ctx.session))
    query = select(d.person_id, month.label("month"), func.sum(d.short_break_sessions).label("sessions")).where(
        d.short_break_sessions > 0
    )
    if ctx.people is not None:
        query = query.where(d.person_id.in_(ctx.people))
    if ctx.start is not None:
        query = query.where(d.work_date >= ctx.start)
    if ctx.end is not None:
        query = query.where(d.work_date <= ctx.end)
    short = frame(ctx.session, query.group_by(d.person_id, month), dates=("month",))
    for r in short.itertuples(index=False):
        month_start = _d(r.month)
        employment = ctx.employment_in_month(int(r.person_id), month_start)
        if (
            employment is None
            or employment["employment_type"] not in EMPLOYEE_TYPES
            or employment["jurisdiction"] != "JP"
        ):
            continue
        ctx.add(
            "JP-HRS-07",
            "violation",
            int(r.person_id),
            month_start,
            py_month_end(month_start),
            float(r.sessions),
            0.0,
            "sessions",
            f"JP-HRS-07: {int(r.sessions)} shifts in {_month_label(month_start)} had too short a break (over 6 h "
            f"needs 45 min, over 8 h needs 60 min; LSA Art. 34).",
        )


def _premium_pay(ctx: _Context) -> None:
    if ctx.pay.empty:
        return
    session = ctx.session
    p = RollupPayMonth
    query = select(p.person_id, p.month_start.label("month"), p.basis, func.sum(p.amount).label("amount")).where(
        p.basis.in_(("ot_premium", "holiday_premium", "night_premium"))
    )
    if ctx.people is not None:
        query = query.where(p.person_id.in_(ctx.people))
    paid = frame(session, query.group_by(p.person_id, p.month_start, p.basis), dates=("month",))
    paid = paid.pivot_table(index=["person_id", "month"], columns="basis", values="amount", aggfunc="sum")
    monthly = jp_overtime_monthly(session=session, person_ids=ctx.people, start=ctx.start, end=ctx.end)
    nights = monthly_days(session=session, person_ids=ctx.people, start=ctx.start, end=ctx.end)
    data = ctx.pay.merge(
        monthly[["person_id", "month", "ot_hours", "holiday_hours"]], on=["person_id", "month"], how="left"
    ).merge(nights[["person_id", "month", "night_hours"]], on=["person_id", "month"], how="left")
    jp = {
        "ot1": float(rule_parameter(session, "JP", "premiums.ot_first_60h_month")),
        "ot2": float(rule_parameter(session, "JP", "premiums.ot_over_60h_month")),
        "hol": float(rule_parameter(session, "JP", "premiums.statutory_holiday")),
        "night": float(rule_parameter(session, "JP", "premiums.late_night.rate")),
    }
    for r in data.itertuples(index=False):
        if not r.is_employee or r.currency != "JPY" or r.base_pay_per_hour <= 0:
            continue
        month = _d(r.month)
        label, end = _month_label(month), py_month_end(month)
        rate = float(r.base_pay_per_hour)
        got = paid.loc[(r.person_id, r.month)] if (r.person_id, r.month) in paid.index else pd.Series(dtype=float)
        ot = float(r.ot_hours or 0)
        checks = [
            (
                "JP-PAY-01",
                "ot_premium",
                jp["ot1"] * rate * min(ot, 60) + jp["ot2"] * rate * max(ot - 60, 0),
                f"{ot:.1f} h of overtime (25% up to 60 h in the month, 50% beyond; LSA Art. 37(1))",
            ),
            (
                "JP-PAY-02",
                "holiday_premium",
                jp["hol"] * rate * float(r.holiday_hours or 0),
                f"{float(r.holiday_hours or 0):.1f} h of statutory-holiday work (35%; LSA Art. 37(1))",
            ),
            (
                "JP-PAY-03",
                "night_premium",
                jp["night"] * rate * float(r.night_hours or 0),
                f"{float(r.night_hours or 0):.1f} h of late-night work 22:00–05:00 (25%; LSA Art. 37(4))",
            ),
        ]
        for rule, basis, owed, what in checks:
            got_amount = float(got.get(basis, 0.0) or 0.0)
            if owed >= 1 and got_amount < owed - 0.5:  # half a yen of rounding
                ctx.add(
                    rule,
                    "violation",
                    int(r.person_id),
                    month,
                    end,
                    _r(got_amount),
                    _r(owed),
                    "JPY",
                    f"{rule}: {got_amount:,.0f} JPY of {basis.replace('_', ' ')} paid for {label}, but {what} at "
                    f"a base rate of {rate:,.0f} JPY/h needs at least {owed:,.0f} JPY.",
                )


def _exempt_salary(ctx: _Context) -> set[tuple[int, int]]:
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
    worked = ctx.pay[ctx.pay["person_id"].isin(ids)][["person_id", "month"]]
    rows = []
    for r in worked.itertuples(index=False):
        employment = ctx.employment_in_month(int(r.person_id), _d(r.month))
        if employment is not None and employment["jurisdiction"] == "US-CA" and bool(employment["is_exempt"]):
            rows.append((int(r.person_id), r.month))
    if not rows:
        return set()
    months = pd.DataFrame(rows, columns=["person_id", "month"])
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
            _d(r.first),
            py_month_end(_d(r.last)),
            _r(annual),
            floor,
            "USD/year",
            f"CA-EX-01: marked exempt but paid a salary at an annual rate of {annual:,.0f} USD in {r.year} "
            f"({int(r.months)} month(s) worked), under the {floor:,.0f} USD floor for exempt employees (twice the "
            f"state minimum wage for 2,080 hours; Labor Code §515): the hours are checked as non-exempt.",
        )
    return under


def _california(ctx: _Context) -> None:
    underpaid_exempt = _exempt_salary(ctx)
    weeks = ca_overtime_weekly(session=ctx.session, person_ids=ctx.people, start=ctx.start, end=ctx.end)
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
            month = _d(r.month)
            seventh = f", including {int(r.seventh)} seventh-day week(s)" if r.seventh else ""
            ctx.add(
                "CA-OT-01",
                "violation",
                int(r.person_id),
                month,
                py_month_end(month),
                _r(got),
                _r(owed),
                "USD",
                f"CA-OT-01: {r.ot15:.1f} h at 1.5× and {r.ot2:.1f} h at 2× in weeks starting in "
                f"{_month_label(month)}{seventh} need {owed:,.2f} USD of overtime premium at a regular rate of "
                f"{rate:,.2f} USD/h; {got:,.2f} USD was paid (Labor Code §510).",
            )


def _freelance(ctx: _Context, production: int | None) -> None:
    df = commissions(session=ctx.session, production=production, start=ctx.start, end=ctx.end)
    if ctx.people is not None:
        df = df[df["person_id"].isin(ctx.people)]
    due_days = int(rule_parameter(ctx.session, "JP", "freelance_act.pay_due_within_days_of_receipt"))
    long_months = int(rule_parameter(ctx.session, "JP", "freelance_act.prohibited_acts_if_commission_months_ge"))
    for r in df.itertuples(index=False):
        commissioned = _d(r.commission_date) if pd.notna(r.commission_date) else None
        item = f"pay item {r.pay_item_id} ({r.basis}, {float(r.amount):,.0f} {r.currency})"
        anchor = commissioned or dt.date.min
        if r.terms_missing:
            ctx.add(
                "JP-FL-01",
                "violation",
                int(r.person_id),
                anchor,
                anchor,
                0.0,
                0.0,
                "days",
                f"JP-FL-01: no written terms recorded for {item}; the Freelance Act (Art. 3) requires them "
                f"immediately on commission.",
            )
        elif r.terms_late:
            ctx.add(
                "JP-FL-01",
                "violation",
                int(r.person_id),
                anchor,
                _d(r.terms_issued_date),
                float(r.terms_days_late),
                0.0,
                "days",
                f"JP-FL-01: terms for {item} were issued {int(r.terms_days_late)} days after the commission on "
                f"{commissioned}; the Freelance Act (Art. 3) requires them immediately.",
            )
        delivered = _d(r.delivery_date) if pd.notna(r.delivery_date) else None
        if delivered is None:
            continue
        if r.fee_reduced:
            ctx.add(
                "JP-FL-03",
                "violation",
                int(r.person_id),
                anchor,
                delivered,
                float(r.amount),
                float(r.agreed_amount),
                r.currency,
                f"JP-FL-03: {item} commissioned on {commissioned} and delivered on {delivered} was paid "
                f"{float(r.reduction_amount):,.0f} {r.currency} less than the {float(r.agreed_amount):,.0f} agreed; "
                f"the Freelance Act (Art. 5(1)(ii)) forbids reducing the fee of a commission of {long_months} month(s) "
                f"or more unless the freelancer was at fault — check that.",
            )
        if r.unpaid_retakes:
            ctx.add(
                "JP-FL-03",
                "violation",
                int(r.person_id),
                anchor,
                delivered,
                float(r.retake_count),
                0.0,
                "retakes",
                f"JP-FL-03: {int(r.retake_count)} retake(s) of {item} delivered on {delivered} were requested with "
                f"nothing paid for them; the Freelance Act (Art. 5(2)(ii)) forbids making a freelancer redo work "
                f"for free on a commission of {long_months} month(s) or more unless the change is the freelancer's "
                f"fault — check that.",
            )
        if r.due_missing:
            ctx.add(
                "JP-FL-02",
                "violation",
                int(r.person_id),
                delivered,
                delivered,
                0.0,
                float(due_days),
                "days",
                f"JP-FL-02: no payment due date set for {item} delivered on {delivered}; the Freelance Act "
                f"(Art. 4) requires one within {due_days} days of receipt.",
            )
        elif r.due_too_late:
            ctx.add(
                "JP-FL-02",
                "violation",
                int(r.person_id),
                delivered,
                _d(r.due_date),
                float(r.due_days_after_delivery),
                float(due_days),
                "days",
                f"JP-FL-02: payment for {item} falls due {int(r.due_days_after_delivery)} days after delivery "
                f"on {delivered}; the Freelance Act (Art. 4) allows at most {due_days}.",
            )
        if r.paid_late:
            ctx.add(
                "JP-FL-02",
                "violation",
                int(r.person_id),
                _d(r.effective_due_date),
                _d(r.paid_date),
                float(r.days_paid_after_due),
                0.0,
                "days",
                f"JP-FL-02: {item} delivered on {delivered} was paid on {_d(r.paid_date)}, "
                f"{int(r.days_paid_after_due)} days after it was due on {_d(r.effective_due_date)} (Freelance "
                f"Act Art. 4).",
            )
        elif r.unpaid_past_due:
            ctx.add(
                "JP-FL-02",
                "violation",
                int(r.person_id),
                _d(r.effective_due_date),
                dt.date.today(),
                0.0,
                0.0,
                "days",
                f"JP-FL-02: {item} delivered on {delivered} is still unpaid after its due date "
                f"{_d(r.effective_due_date)} (Freelance Act Art. 4).",
            )


def _overwork(ctx: _Context) -> None:
    t = thresholds(ctx.session)
    monthly = monthly_indicators(session=ctx.session, person_ids=ctx.people, start=ctx.start, end=ctx.end)
    for r in monthly.itertuples(index=False):
        month = _d(r.month)
        label, end = _month_label(month), py_month_end(month)
        eq = " (equivalent: not an employee)" if r.equivalent else ""
        if r.over_100:
            ctx.add(
                "JP-OW-03",
                "advocacy_flag",
                int(r.person_id),
                month,
                end,
                _r(r.ot_plus_holiday_hours),
                t["month_h"],
                "h",
                f"JP-OW-03: {r.ot_plus_holiday_hours:.1f} h of overtime and holiday work{eq} "
                f"in {label}, at or over the {t['month_h']:g} h single-month karoshi line (MHLW criteria).",
            )
        elif r.over_45:
            ctx.add(
                "JP-OW-01",
                "advocacy_flag",
                int(r.person_id),
                month,
                end,
                _r(r.ot_plus_holiday_hours),
                t["month_caution_h"],
                "h",
                f"JP-OW-01: {r.ot_plus_holiday_hours:.1f} h of overtime and holiday "
                f"work{eq} in {label}, over the {t['month_caution_h']:g} h line where health risk starts to rise "
                f"(MHLW criteria).",
            )
        if r.over_80_avg:
            n = int(r.avg_window_months)
            first = add_months(month, -(n - 1))
            ctx.add(
                "JP-OW-02",
                "advocacy_flag",
                int(r.person_id),
                first,
                end,
                _r(r.max_window_avg_hours),
                t["avg_2_6_h"],
                "h/month",
                f"JP-OW-02: overtime and holiday work{eq} averaged "
                f"{r.max_window_avg_hours:.1f} h a month over {_month_label(first)}–{label}, at or over the "
                f"{t['avg_2_6_h']:g} h karoshi line for 2–6-month averages (MHLW criteria).",
            )
    for r in long_weeks(session=ctx.session, person_ids=ctx.people, start=ctx.start, end=ctx.end).itertuples():
        first = _d(r.week_start)
        ctx.add(
            "JP-OW-04",
            "advocacy_flag",
            int(r.person_id),
            first,
            first + dt.timedelta(days=6),
            _r(r.hours),
            t["week_h"],
            "h",
            f"JP-OW-04: {r.hours:.1f} h worked in the week from {first}, at or over the "
            f"{t['week_h']:g} h a week linked to higher stroke and heart-disease deaths (WHO/ILO 2021).",
        )
    for r in long_streaks(session=ctx.session, person_ids=ctx.people, start=ctx.start, end=ctx.end).itertuples():
        ctx.add(
            "JP-OW-05",
            "advocacy_flag",
            int(r.person_id),
            _d(r.first_date),
            _d(r.last_date),
            float(r.days),
            t["streak_days"],
            "days",
            f"JP-OW-05: {int(r.days)} consecutive working days from {_d(r.first_date)} "
            f"to {_d(r.last_date)}; two weeks or more without a day off is a recognised stressor (MHLW criteria).",
        )


def findings(
    *,
    session: Session,
    production: str | int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    person_ids: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Evaluate every rule; one row per finding. ``person_ids`` limits the evaluation to those people (an artist's
    own record needs only theirs, which keeps it fast on a large studio).

    Columns: ``rule_id``, ``severity`` (violation / advocacy_flag / warning), ``person_id``, ``person`` (display
    name), ``group`` (None unless the finding is about a group), ``period_start``, ``period_end`` (dates),
    ``measured_value``, ``threshold``, ``unit`` (``h``, ``h/month``, ``days``, ``months``, ``sessions``, ``JPY``,
    ``JPY/h``, ``USD``, ``USD/h``), ``explanation`` (one sentence citing the rule). Sorted by rule, person, period.
    """
    check_range(start, end)
    pid = production_id(session, production)
    people = None
    if pid is not None:
        w = RollupWorkMonth
        query = select(w.person_id).where(w.production_id == pid).distinct()
        if start is not None:
            query = query.where(w.month_start >= py_month_start(start))
        if end is not None:
            query = query.where(w.month_start <= end)
        people = sorted(session.scalars(query).all())
    if person_ids is not None:
        wanted = {int(p) for p in person_ids}
        people = sorted(wanted if people is None else wanted.intersection(people))
    ctx = _Context(session, people, start, end)
    if people is None or people:
        _minimum_wage(ctx)
        _hours_rules(ctx)
        _days_and_breaks(ctx)
        _premium_pay(ctx)
        _california(ctx)
        _overwork(ctx)
    _freelance(ctx, pid)
    return to_frame(session, ctx.out)


def to_frame(session: Session, rows: list[Finding]) -> pd.DataFrame:
    df = pd.DataFrame([dict(vars(f)) for f in rows], columns=[c for c in COLUMNS if c != "person"])
    ids = sorted({int(p) for p in df["person_id"].dropna()})
    names = {
        int(pid): name
        for pid, name in session.execute(select(Person.id, Person.display_name).where(Person.id.in_(ids))).all()
    }
    df.insert(3, "person", df["person_id"].map(lambda p: names.get(int(p)) if pd.notna(p) else None))
    df = df.sort_values(["rule_id", "person_id", "period_start"], kind="stable").reset_index(drop=True)
    return df[COLUMNS]
