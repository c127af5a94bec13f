"""Findings: every rule of the compliance spec (labor-and-pay.md §6–7) evaluated into one table of rows.

Each row names the rule, the person, the period, what was measured, the threshold and a sentence citing the rule.
Severities: ``violation`` (a legal limit broken by an employer), ``advocacy_flag`` (an indicator for freelancers or
overwork lines that are not in themselves illegal) and ``warning`` (the data cannot show compliance).

Rules are evaluated per person over all their work: ``production`` narrows the people to those who worked on it,
``start``/``end`` the periods reported (monthly rules look at whole months).

A whole studio yields hundreds of thousands of findings, so each rule tests whole columns at once and writes its
findings as one frame; only the sentence is formatted row by row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analytics.freelance import commissions
from analytics.overtime import ca_overtime_weekly, jp_overtime_monthly
from analytics.overwork import monthly_indicators, stretches, thresholds
from analytics.overwork import window_averages as _window_averages
from analytics.pay import effective_pay
from analytics.person_days import PersonDays, as_datetime, crowded_windows, day_of, month_start_day, person_days, runs
from analytics.scope import check_range, frame, production_id
from analytics.workload import weekly_hours
from data.periods import add_months, py_month_end, py_month_start
from data.reference import rule_parameter
from data.schema import (
    EMPLOYEE_TYPES,
    Employment,
    LaborAgreement,
    Person,
    Role,
    RollupPayMonth,
    RollupPersonMonth,
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
LOOKBACK_MONTHS = 17  # an agreement year (12 months) plus a 6-month average reaching into it
EMPLOYMENT_FIELDS = [
    "employment_id",
    "employer_id",
    "employment_type",
    "jurisdiction",
    "is_exempt",
    "discretionary_work",
]


def _d(value: Any) -> dt.date:
    return value.date() if isinstance(value, pd.Timestamp) else value


def _month_label(month: Any) -> str:
    return _d(month).strftime("%Y-%m")


def _r(value: float) -> float:
    return round(float(value), 2)


def _dates(values: Any, n: int) -> np.ndarray:
    """``n`` ``datetime.date`` objects from a datetime64 column, or one date repeated."""
    if isinstance(values, dt.date):
        return np.full(n, values, dtype=object)
    return pd.DatetimeIndex(values).date


def _iso(values: Any) -> list[str]:
    """Dates as ``YYYY-MM-DD`` (what ``str(date)`` writes)."""
    return list(np.datetime_as_string(np.asarray(values, dtype="datetime64[D]")))


def _labels(values: Any) -> list[str]:
    """Months as ``YYYY-MM``."""
    return list(np.datetime_as_string(np.asarray(values, dtype="datetime64[M]")))


def _month_end(values: Any) -> np.ndarray:
    months = np.asarray(values, dtype="datetime64[M]")
    return ((months + 1).astype("datetime64[D]") - 1).astype("datetime64[ns]")


def _shift_months(values: Any, months: Any) -> np.ndarray:
    return (np.asarray(values, dtype="datetime64[M]") + np.asarray(months, dtype=np.int64)).astype("datetime64[ns]")


def _rounded(values: Any) -> list[float]:
    return [round(v, 2) for v in np.asarray(values, dtype=float).tolist()]


def _cols(df: pd.DataFrame, *names: str) -> list[list[Any]]:
    """Columns as Python lists, for the row-by-row sentence (faster than iterating a frame)."""
    return [df[n].tolist() for n in names]


class _Context:
    def __init__(self, session: Session, people: list[int] | None, start: dt.date | None, end: dt.date | None):
        self.session, self.people, self.start, self.end = session, people, start, end
        self.parts: list[pd.DataFrame] = []
        self.rows: list[dict[str, Any]] = []
        self.first_month = None if start is None else pd.Timestamp(py_month_start(start))
        # Monthly frames are read once, from far enough back for every rule, and cut per rule.
        lookback = None if start is None else add_months(py_month_start(start), -LOOKBACK_MONTHS)
        self._monthly = jp_overtime_monthly(session=session, person_ids=people, start=lookback, end=end)
        self._pay = effective_pay(session=session, person_ids=people, start=lookback, end=end)
        self.pay = self.pay_from(start)
        employments = frame(
            session,
            select(
                Employment.id.label("employment_id"),
                Employment.person_id,
                Employment.employer_id,
                Employment.employment_type,
                Employment.jurisdiction,
                Employment.start_date,
                Employment.end_date,
                Employment.is_exempt,
                Employment.discretionary_work,
            ).order_by(Employment.id),
            dates=("start_date", "end_date"),
        )
        # When several employments are in force, the latest started wins (ties: the latest recorded).
        self.employments = employments.sort_values("start_date", kind="stable", ignore_index=True)
        self.employments["_order"] = np.arange(len(self.employments))
        agreements = frame(
            session,
            select(
                LaborAgreement.organization_id.label("employer_id"),
                LaborAgreement.has_36_agreement,
                LaborAgreement.special_clause,
                LaborAgreement.variable_hours_1y,
                LaborAgreement.valid_from,
                LaborAgreement.valid_to,
            ).order_by(LaborAgreement.id),
            dates=("valid_from", "valid_to"),
        )
        agreements = agreements[agreements["has_36_agreement"].astype(bool)]
        self.agreements = agreements.sort_values("valid_from", kind="stable", ignore_index=True)
        self.agreements["_order"] = np.arange(len(self.agreements))
        self._days: PersonDays | None = None
        self._discretionary: pd.DataFrame | None = None

    def monthly_from(self, start: dt.date | None) -> pd.DataFrame:
        """:func:`jp_overtime_monthly` for the months from ``start``'s."""
        if start is None:
            return self._monthly
        return self._monthly[self._monthly["month"] >= pd.Timestamp(py_month_start(start))].reset_index(drop=True)

    def pay_from(self, start: dt.date | None) -> pd.DataFrame:
        """:func:`effective_pay` for the months from ``start``'s."""
        if start is None:
            return self._pay
        return self._pay[self._pay["month"] >= pd.Timestamp(py_month_start(start))].reset_index(drop=True)

    def days(self, *, whole_months: bool = False) -> PersonDays:
        """The worked days in view, read once: from ``start`` (or the first of its month, for monthly rules)."""
        if self._days is None:
            first = None if self.start is None else py_month_start(self.start)
            self._days = person_days(session=self.session, person_ids=self.people, start=first, end=self.end)
        if whole_months or self.start is None:
            return self._days
        return self._days.select(self._days.day >= day_of(self.start))

    def discretionary(self) -> pd.DataFrame:
        """The months JP employees worked under a discretionary-work contract (LSA Art. 38-3), from the look-back
        month on: ``person_id``, ``month``, ``uncovered_hours`` (in roles outside the rule parameter
        ``discretionary_work.covered_roles``, or with no role) and ``uncovered_roles`` (their English names)."""
        if self._discretionary is not None:
            return self._discretionary
        columns = ["person_id", "month", "uncovered_hours", "uncovered_roles"]
        e = self.employments
        marked = e[e["discretionary_work"].notna() & (e["jurisdiction"] == "JP")]
        ids = set(marked[marked["employment_type"].isin(EMPLOYEE_TYPES)]["person_id"].astype(int))
        if self.people is not None:
            ids &= set(self.people)
        self._discretionary = pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
        if not ids:
            return self._discretionary
        covered = set(rule_parameter(self.session, "JP", "discretionary_work.covered_roles"))
        w = RollupWorkMonth
        query = (
            select(w.person_id, w.month_start.label("month"), Role.code, Role.en, func.sum(w.minutes).label("minutes"))
            .outerjoin(Role, Role.id == w.role_id)
            .where(w.person_id.in_(sorted(ids)), w.minutes > 0)
            .group_by(w.person_id, w.month_start, Role.code, Role.en)
        )
        if self.start is not None:
            query = query.where(w.month_start >= add_months(py_month_start(self.start), -LOOKBACK_MONTHS))
        if self.end is not None:
            query = query.where(w.month_start <= self.end)
        roles = frame(self.session, query, dates=("month",))
        if roles.empty:
            return self._discretionary
        info = self.employment_in_month(roles["person_id"], roles["month"])
        roles = roles[(_jp_employee(info) & info["discretionary_work"].notna()).to_numpy()]
        roles = roles.assign(uncovered=~roles["code"].isin(covered), en=roles["en"].fillna("(no role)"))
        roles["uncovered_minutes"] = roles["minutes"].where(roles["uncovered"], 0)
        out = roles.groupby(["person_id", "month"], as_index=False).agg(uncovered_minutes=("uncovered_minutes", "sum"))
        names = (
            roles[roles["uncovered"]]
            .sort_values("minutes", ascending=False)
            .groupby(["person_id", "month"])["en"]
            .agg(", ".join)
            .rename("uncovered_roles")
        )
        out = out.merge(names, on=["person_id", "month"], how="left")
        out["uncovered_hours"] = out["uncovered_minutes"] / 60.0
        self._discretionary = out[columns]
        return self._discretionary

    def deemed(self, person: Any, month: Any) -> np.ndarray:
        """For each (person, month): True when the month was worked under discretionary work in covered roles only,
        so the contract's deemed hours, not the hours logged, are what the overtime limits and premium measure."""
        d = self.discretionary()
        if d.empty:
            return np.zeros(len(person), dtype=bool)
        covered = d[d["uncovered_hours"] == 0][["person_id", "month"]].assign(_deemed=True)
        query = pd.DataFrame({"person_id": np.asarray(person, dtype=np.int64), "month": np.asarray(month)})
        return query.merge(covered, on=["person_id", "month"], how="left")["_deemed"].fillna(False).to_numpy(bool)

    def release_days(self) -> None:
        """Drop the worked-day arrays (a hundred MB or more on a large studio) once no rule needs them."""
        self._days = None

    def add(self, *args: Any, **kwargs: Any) -> None:
        """One finding, for rules that yield a handful."""
        names = ["rule_id", "severity", "person_id", "period_start", "period_end", "measured_value", "threshold"]
        row = dict(zip([*names, "unit", "explanation", "group"], args, strict=False)) | kwargs
        if row["severity"] not in SEVERITIES:
            raise ValueError(f"severity {row['severity']!r} is not one of {SEVERITIES}")
        self.rows.append(row)

    def extend(
        self,
        rule: Any,
        severity: Any,
        person: Any,
        start: Any,
        end: Any,
        value: Any,
        threshold: Any,
        unit: Any,
        explanation: list[str],
    ) -> None:
        """Many findings at once: each argument a column, or one value for all."""
        n = len(explanation)
        if not n:
            return
        if not set(np.unique(np.asarray(severity, dtype=object))) <= set(SEVERITIES):
            raise ValueError(f"severities {sorted(set(np.asarray(severity)))} are not all among {SEVERITIES}")
        self.parts.append(
            pd.DataFrame(
                {
                    "rule_id": rule,
                    "severity": severity,
                    "person_id": np.asarray(person, dtype=np.int64),
                    "group": None,
                    "period_start": _dates(start, n),
                    "period_end": _dates(end, n),
                    "measured_value": np.asarray(value, dtype=float),
                    "threshold": np.asarray(threshold, dtype=float) if not np.isscalar(threshold) else threshold,
                    "unit": unit,
                    "explanation": explanation,
                },
                index=pd.RangeIndex(n),
            )
        )

    def employment_on(self, person: Any, day: Any) -> pd.DataFrame:
        """For each (person, day) pair, the employment in force that day: ``EMPLOYMENT_FIELDS`` (NaN when none),
        row for row."""
        query = pd.DataFrame({"person_id": np.asarray(person, dtype=np.int64), "day": np.asarray(day)})
        query["_row"] = np.arange(len(query))
        e = self.employments
        m = query.merge(e, on="person_id")
        m = m[(m["start_date"] <= m["day"]) & (m["end_date"].isna() | (m["end_date"] >= m["day"]))]
        m = m.sort_values(["_row", "_order"]).drop_duplicates("_row", keep="last").set_index("_row")
        return m.reindex(pd.RangeIndex(len(query)))[EMPLOYMENT_FIELDS]

    def employment_in_month(self, person: Any, month: Any) -> pd.DataFrame:
        """The employment in force at each month's end, else at its start."""
        at_end = self.employment_on(person, _month_end(month))
        at_start = self.employment_on(person, np.asarray(month, dtype="datetime64[ns]"))
        found = at_end["employment_id"].notna().to_numpy()
        return at_end.where(np.repeat(found[:, None], len(EMPLOYMENT_FIELDS), axis=1), at_start)

    def agreement_for(self, employer: Any, month: Any) -> pd.DataFrame:
        """For each (employer, month), the Article 36 agreement covering any of the month (the latest, when several
        do): ``has_agreement``, ``special_clause``, ``variable_hours_1y``, ``valid_from`` (NaT when none)."""
        first = np.asarray(month, dtype="datetime64[ns]")
        query = pd.DataFrame({"employer_id": np.asarray(employer, dtype=float), "first": first})
        query["last"], query["_row"] = _month_end(first), np.arange(len(query))
        a = self.agreements.assign(employer_id=self.agreements["employer_id"].astype(float))
        m = query.merge(a, on="employer_id")
        m = m[(m["valid_from"] <= m["last"]) & (m["valid_to"].isna() | (m["valid_to"] >= m["first"]))]
        m = m.sort_values(["_row", "_order"]).drop_duplicates("_row", keep="last").set_index("_row")
        out = m.reindex(pd.RangeIndex(len(query)))[["special_clause", "variable_hours_1y", "valid_from"]]
        out.insert(0, "has_agreement", out["valid_from"].notna().to_numpy())
        out["special_clause"] = out["special_clause"].fillna(False).astype(bool)
        out["variable_hours_1y"] = out["variable_hours_1y"].fillna(False).astype(bool)
        return out


def _jp_employee(info: pd.DataFrame) -> pd.Series:
    return (info["jurisdiction"] == "JP") & info["employment_type"].isin(EMPLOYEE_TYPES)


def _mw_segments(ctx: _Context, low: pd.DataFrame) -> pd.DataFrame:
    """For the person-months in ``low``: the days worked under each minimum-wage rate in force.

    Columns: ``person_id``, ``month``, ``mw_per_hour``, ``first_date``, ``last_date`` (datetime64), ``hours``;
    sorted by person, month and first day.
    """
    days = ctx.days(whole_months=True)
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
            "hours": np.add.reduceat(days.minutes[keep].astype(np.int64), starts) / 60.0,
        }
    )
    return out.sort_values(["person_id", "month", "first_date"], ignore_index=True)


def _minimum_wage(ctx: _Context) -> None:
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
    rate, mw, currency, paid, hours = _cols(merged, "rate", "mw_per_hour", "currency", "pay_amount", "hours")
    text = [
        f"{ru}: {k} of {r:,.0f} {c}/h in {m}{' (no pay recorded for the month)' if p == 0 else ''} is below "
        f"{w:,.0f} {c}/h, {la} in force on {a}–{b} ({h:.1f} h worked at that rate)."
        for ru, k, r, c, m, p, w, la, a, b, h in zip(
            rule.tolist(),
            kind.tolist(),
            rate,
            currency,
            _labels(merged["month"]),
            paid,
            mw,
            law.tolist(),
            _iso(merged["first_date"]),
            _iso(merged["last_date"]),
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
        _rounded(rate),
        _rounded(mw),
        [f"{c}/h" for c in currency],
        text,
    )


def _hours_rules(ctx: _Context) -> None:
    session = ctx.session
    lookback = None if ctx.start is None else add_months(py_month_start(ctx.start), -LOOKBACK_MONTHS)
    monthly = ctx.monthly_from(lookback)
    if monthly.empty:
        return
    month_limit = float(rule_parameter(session, "JP", "ot_agreement_36.normal.month_h"))
    year_limit = float(rule_parameter(session, "JP", "ot_agreement_36.normal.year_h"))
    var_month = float(rule_parameter(session, "JP", "ot_agreement_36.normal_1y_variable_hours.month_h"))
    var_year = float(rule_parameter(session, "JP", "ot_agreement_36.normal_1y_variable_hours.year_h"))
    special_year = float(rule_parameter(session, "JP", "ot_agreement_36.special_clause.year_ot_h_max"))
    special_months = int(rule_parameter(session, "JP", "ot_agreement_36.special_clause.months_over_normal_max"))
    abs_month = float(rule_parameter(session, "JP", "ot_agreement_36.absolute.month_ot_plus_holiday_lt_h"))
    abs_avg = float(rule_parameter(session, "JP", "ot_agreement_36.absolute.multi_month_avg_ot_plus_holiday_le_h"))
    windows = [int(n) for n in rule_parameter(session, "JP", "ot_agreement_36.absolute.avg_windows_months")]

    # Employee months only: a JP employee contract at the month's end (or start), and most hours as an employee.
    info = ctx.employment_in_month(monthly["person_id"], monthly["month"])
    status = monthly[["person_id", "month"]].merge(
        ctx._pay[["person_id", "month", "is_employee"]], on=["person_id", "month"], how="left"
    )
    keep = _jp_employee(info).to_numpy() & (status["is_employee"].to_numpy(dtype=object) != False)  # noqa: E712
    keep = keep & ~ctx.deemed(monthly["person_id"], monthly["month"])
    emp = monthly[keep].reset_index(drop=True)
    if emp.empty:
        return
    emp = pd.concat([emp, ctx.agreement_for(info["employer_id"][keep], emp["month"])], axis=1)
    view = emp if ctx.first_month is None else emp[emp["month"] >= ctx.first_month]
    label, month_end = _labels(view["month"]), _month_end(view["month"])
    otph, ot = view["ot_plus_holiday_hours"], view["ot_hours"]

    hit = (~view["has_agreement"] & (otph > 0)).to_numpy()
    v = view[hit]
    ctx.extend(
        "JP-HRS-01",
        "violation",
        v["person_id"],
        v["month"],
        month_end[hit],
        _rounded(v["ot_plus_holiday_hours"]),
        0.0,
        "h",
        [
            f"JP-HRS-01: {h:.1f} h of overtime and holiday work in {m} without a filed Article 36 agreement "
            f"(Labor Standards Act Art. 36): none is lawful."
            for h, m in zip(v["ot_plus_holiday_hours"].tolist(), np.asarray(label)[hit], strict=True)
        ],
    )
    limit = np.where(view["variable_hours_1y"], var_month, month_limit)
    hit = (view["has_agreement"] & ~view["special_clause"] & (ot > limit + 1e-9)).to_numpy()
    v = view[hit]
    ctx.extend(
        "JP-HRS-02",
        "violation",
        v["person_id"],
        v["month"],
        month_end[hit],
        _rounded(v["ot_hours"]),
        limit[hit],
        "h",
        [
            f"JP-HRS-02: {h:.1f} h of overtime in {m} exceeds the {lim:g} h monthly limit of an Article 36 "
            f"agreement without a special clause (LSA Art. 36(4))."
            for h, m, lim in zip(v["ot_hours"].tolist(), np.asarray(label)[hit], limit[hit].tolist(), strict=True)
        ],
    )
    hit = (otph >= abs_month - 1e-9).to_numpy()
    v = view[hit]
    ctx.extend(
        "JP-HRS-04",
        "violation",
        v["person_id"],
        v["month"],
        month_end[hit],
        _rounded(v["ot_plus_holiday_hours"]),
        abs_month,
        "h",
        [
            f"JP-HRS-04: overtime plus statutory-holiday work of {h:.1f} h in {m} reaches the absolute cap; it must "
            f"stay under {abs_month:g} h (LSA Art. 36(6)(ii))."
            for h, m in zip(v["ot_plus_holiday_hours"].tolist(), np.asarray(label)[hit], strict=True)
        ],
    )
    _agreement_years(ctx, emp, month_limit, year_limit, var_year, special_year, special_months)

    # Any 2–6-month window averaging more than 80 h of OT + holiday work.
    averaged = _window_averages(emp[["person_id", "month", "ot_plus_holiday_hours"]], "ot_plus_holiday_hours", windows)
    hit = averaged["max_window_avg_hours"].gt(abs_avg + 1e-9)
    if ctx.first_month is not None:
        hit &= averaged["month"] >= ctx.first_month
    v = averaged[hit.to_numpy()]
    n = v["avg_window_months"].to_numpy(dtype=np.int64)
    first = _shift_months(v["month"], -(n - 1))
    ctx.extend(
        "JP-HRS-05",
        "violation",
        v["person_id"],
        first,
        _month_end(v["month"]),
        _rounded(v["max_window_avg_hours"]),
        abs_avg,
        "h/month",
        [
            f"JP-HRS-05: overtime plus holiday work averaged {a:.1f} h a month over the {k} months {f}–{m}; every "
            f"2–6-month average must stay at or under {abs_avg:g} h (LSA Art. 36(6)(iii))."
            for a, k, f, m in zip(
                v["max_window_avg_hours"].tolist(), n.tolist(), _labels(first), _labels(v["month"]), strict=True
            )
        ],
    )


def _agreement_years(
    ctx: _Context,
    emp: pd.DataFrame,
    month_limit: float,
    year_limit: float,
    var_year: float,
    special_year: float,
    special_months: int,
) -> None:
    """Agreement years: 360 h (320 h on 1-year variable hours) without a special clause; with one, 720 h and at most
    ``special_months`` months over the monthly limit."""
    covered = emp[emp["has_agreement"]].copy()
    if covered.empty:
        return
    since = covered["valid_from"]
    covered["year_index"] = (
        (covered["month"].dt.year - since.dt.year) * 12 + covered["month"].dt.month - since.dt.month
    ) // 12
    covered["over"] = covered["ot_hours"] > month_limit + 1e-9
    keys = ["person_id", "valid_from", "year_index", "special_clause", "variable_hours_1y"]
    covered = covered.sort_values([*keys, "month"], kind="stable")
    years = covered.groupby(keys, as_index=False, sort=True).agg(total=("ot_hours", "sum"), over=("over", "sum"))
    # The month that broke the count: the (special_months + 1)th over the limit.
    over = covered[covered["over"]]
    nth = over[over.groupby(keys).cumcount() == special_months][[*keys, "month"]]
    years = years.merge(nth, on=keys, how="left")
    years["year_start"] = _shift_months(years["valid_from"], 12 * years["year_index"].to_numpy(np.int64))
    years["year_end"] = _month_end(_shift_months(years["year_start"], 11))
    if ctx.end is not None:
        years = years[years["year_start"] <= pd.Timestamp(ctx.end)]
    if ctx.start is not None:
        years = years[years["year_end"] >= pd.Timestamp(ctx.start)]
    plain = years[~years["special_clause"]]
    limit = np.where(plain["variable_hours_1y"], var_year, year_limit)
    hit = (plain["total"] > limit + 1e-9).to_numpy()
    v = plain[hit]
    ctx.extend(
        "JP-HRS-02",
        "violation",
        v["person_id"],
        v["year_start"],
        v["year_end"],
        _rounded(v["total"]),
        limit[hit],
        "h",
        [
            f"JP-HRS-02: {t:.1f} h of overtime in the agreement year from {y} exceeds the {lim:g} h yearly limit of "
            f"an Article 36 agreement (LSA Art. 36(4))."
            for t, y, lim in zip(v["total"].tolist(), _iso(v["year_start"]), limit[hit].tolist(), strict=True)
        ],
    )
    special = years[years["special_clause"]]
    v = special[special["total"] > special_year + 1e-9]
    ctx.extend(
        "JP-HRS-03",
        "violation",
        v["person_id"],
        v["year_start"],
        v["year_end"],
        _rounded(v["total"]),
        special_year,
        "h",
        [
            f"JP-HRS-03: {t:.1f} h of overtime in the agreement year from {y} exceeds the {special_year:g} h a "
            f"special clause allows (LSA Art. 36(5))."
            for t, y in zip(v["total"].tolist(), _iso(v["year_start"]), strict=True)
        ],
    )
    v = special[special["over"] > special_months]
    ctx.extend(
        "JP-HRS-03",
        "violation",
        v["person_id"],
        v["year_start"],
        v["year_end"],
        v["over"].astype(float),
        float(special_months),
        "months",
        [
            f"JP-HRS-03: {k} months with more than {month_limit:g} h of overtime in the agreement year from {y} (the "
            f"{special_months + 1}th was {m}); a special clause allows at most {special_months} (LSA Art. 36(5))."
            for k, y, m in zip(v["over"].tolist(), _iso(v["year_start"]), _labels(v["month"]), strict=True)
        ],
    )


def _discretionary(ctx: _Context) -> None:
    """JP-DISC-01: discretionary work (LSA Art. 38-3) covers producers, directors and new design work; hours logged
    in other roles (in-between, key animation, finishing…) make the arrangement doubtful. Those months are then
    checked on the hours logged, like any employee's; months in covered roles are left to the deemed hours."""
    d = ctx.discretionary()
    v = d[d["uncovered_hours"] > 0]
    if v.empty:
        return
    if ctx.first_month is not None:
        v = v[v["month"] >= ctx.first_month]
    ctx.extend(
        "JP-DISC-01",
        "warning",
        v["person_id"],
        v["month"],
        _month_end(v["month"]),
        _rounded(v["uncovered_hours"]),
        0.0,
        "h",
        [
            f"JP-DISC-01: {h:.1f} h in {m} as {roles} under a discretionary-work contract, which covers producers, "
            f"directors and new design work (LSA Art. 38-3); other roles are unlikely to qualify, so these months "
            f"are checked on the hours logged. Check also the employee's written consent (required since "
            f"2024-04-01)."
            for h, m, roles in zip(
                v["uncovered_hours"].tolist(), _labels(v["month"]), v["uncovered_roles"].tolist(), strict=True
            )
        ],
    )


def _days_and_breaks(ctx: _Context) -> None:
    need = thresholds(ctx.session)["days_off_per_4_weeks"]
    windows = crowded_windows(ctx.days(), window_days=28, min_days_off=int(need), judged_from=ctx.start)
    runs_ = stretches(windows)
    if not runs_.empty:
        first = runs_["first_window_end"].to_numpy("datetime64[ns]") - np.timedelta64(27, "D")
        last = runs_["last_window_end"]
        employee = _jp_employee(ctx.employment_on(runs_["person_id"], last)).to_numpy()
        fewest = runs_["min_days_off"].to_numpy(np.int64)
        first_iso, last_iso = _iso(first), _iso(last)
        ctx.extend(
            "JP-HRS-06",
            "violation",
            runs_["person_id"][employee],
            first[employee],
            last[employee],
            fewest[employee].astype(float),
            need,
            "days",
            [
                f"JP-HRS-06: only {k} days off in a 4-week window between {a} and {b}; an employee must get at "
                f"least 1 a week or {need:g} in 4 weeks (LSA Art. 35)."
                for k, a, b, e in zip(fewest.tolist(), first_iso, last_iso, employee, strict=True)
                if e
            ],
        )
        ctx.extend(
            "JP-OW-06",
            "advocacy_flag",
            runs_["person_id"],
            first,
            last,
            fewest.astype(float),
            need,
            "days",
            [
                f"JP-OW-06: fewer than {need:g} days off in 4 weeks between {a} and {b} (fewest: {k}), below the "
                f"statutory floor for employees (LSA Art. 35; §6 indicators)."
                for k, a, b in zip(fewest.tolist(), first_iso, last_iso, strict=True)
            ],
        )

    days = ctx.days()
    short = days.short_break_sessions > 0
    sessions = (
        pd.DataFrame(
            {
                "person_id": days.person_id[short],
                "month_day": month_start_day(days.day[short]),
                "sessions": days.short_break_sessions[short],
            }
        )
        .groupby(["person_id", "month_day"], as_index=False)["sessions"]
        .sum()
    )
    month = as_datetime(sessions["month_day"].to_numpy())
    hit = _jp_employee(ctx.employment_in_month(sessions["person_id"], month)).to_numpy()
    v, month = sessions[hit], month[hit]
    ctx.extend(
        "JP-HRS-07",
        "violation",
        v["person_id"],
        month,
        _month_end(month),
        v["sessions"].astype(float),
        0.0,
        "sessions",
        [
            f"JP-HRS-07: {k} shifts in {m} had too short a break (over 6 h needs 45 min, over 8 h needs 60 min; "
            f"LSA Art. 34)."
            for k, m in zip(v["sessions"].tolist(), _labels(month), strict=True)
        ],
    )


def _premium_pay(ctx: _Context) -> None:
    if ctx.pay.empty:
        return
    session = ctx.session
    p = RollupPayMonth
    query = select(p.person_id, p.month_start.label("month"), p.basis, func.sum(p.amount).label("amount")).where(
        p.basis.in_(("ot_premium", "holiday_premium", "night_premium")), p.currency == "JPY"
    )
    if ctx.people is not None:
        query = query.where(p.person_id.in_(ctx.people))
    if ctx.first_month is not None:
        query = query.where(p.month_start >= ctx.first_month.date())
    paid = frame(session, query.group_by(p.person_id, p.month_start, p.basis), dates=("month",))
    paid = paid.pivot_table(index=["person_id", "month"], columns="basis", values="amount", aggfunc="sum")
    paid = paid.reindex(columns=["ot_premium", "holiday_premium", "night_premium"]).reset_index()
    m = RollupPersonMonth
    query = select(m.person_id, m.month_start.label("month"), (m.night_minutes / 60.0).label("night_hours")).where(
        m.minutes > 0
    )
    if ctx.people is not None:
        query = query.where(m.person_id.in_(ctx.people))
    if ctx.first_month is not None:
        query = query.where(m.month_start >= ctx.first_month.date())
    if ctx.end is not None:
        query = query.where(m.month_start <= ctx.end)
    nights = frame(session, query, dates=("month",), raw=True)
    data = ctx.pay[ctx.pay["is_employee"] & (ctx.pay["currency"] == "JPY") & (ctx.pay["base_pay_per_hour"] > 0)]
    monthly = ctx.monthly_from(ctx.start)[["person_id", "month", "ot_hours", "holiday_hours"]]
    data = (
        data.merge(monthly, on=["person_id", "month"], how="left")
        .merge(nights, on=["person_id", "month"], how="left")
        .merge(paid, on=["person_id", "month"], how="left")
    )
    data = data.fillna({c: 0.0 for c in ("ot_hours", "holiday_hours", "night_hours", *paid.columns[2:])})
    jp = {
        "ot1": float(rule_parameter(session, "JP", "premiums.ot_first_60h_month")),
        "ot2": float(rule_parameter(session, "JP", "premiums.ot_over_60h_month")),
        "hol": float(rule_parameter(session, "JP", "premiums.statutory_holiday")),
        "night": float(rule_parameter(session, "JP", "premiums.late_night.rate")),
    }
    rate, ot = data["base_pay_per_hour"], data["ot_hours"]
    checks = [
        (
            "JP-PAY-01",
            "ot_premium",
            jp["ot1"] * rate * ot.clip(upper=60) + jp["ot2"] * rate * (ot - 60).clip(lower=0),
            "ot_hours",
            "h of overtime (25% up to 60 h in the month, 50% beyond; LSA Art. 37(1))",
        ),
        (
            "JP-PAY-02",
            "holiday_premium",
            jp["hol"] * rate * data["holiday_hours"],
            "holiday_hours",
            "h of statutory-holiday work (35%; LSA Art. 37(1))",
        ),
        (
            "JP-PAY-03",
            "night_premium",
            jp["night"] * rate * data["night_hours"],
            "night_hours",
            "h of late-night work 22:00–05:00 (25%; LSA Art. 37(4))",
        ),
    ]
    deemed = ctx.deemed(data["person_id"], data["month"])
    for rule, basis, owed, hours, what in checks:
        hit = ((owed >= 1) & (data[basis] < owed - 0.5)).to_numpy()  # half a yen of rounding
        if basis == "ot_premium":
            hit = hit & ~deemed  # overtime pay follows the deemed hours; night and holiday premiums the actual ones
        v, due = data[hit], owed[hit]
        ctx.extend(
            rule,
            "violation",
            v["person_id"],
            v["month"],
            _month_end(v["month"]),
            _rounded(v[basis]),
            _rounded(due),
            "JPY",
            [
                f"{rule}: {g:,.0f} JPY of {basis.replace('_', ' ')} paid for {m}, but {h:.1f} {what} at a base rate "
                f"of {r:,.0f} JPY/h needs at least {o:,.0f} JPY."
                for g, m, h, r, o in zip(
                    v[basis].tolist(),
                    _labels(v["month"]),
                    v[hours].tolist(),
                    v["base_pay_per_hour"].tolist(),
                    due.tolist(),
                    strict=True,
                )
            ],
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
    df = commissions(session=ctx.session, production=production, start=ctx.start, end=ctx.end, person_ids=ctx.people)
    # Most commissions are in order: only the flagged ones are walked row by row.
    flags = ["terms_missing", "terms_late", "fee_reduced", "unpaid_retakes", "due_missing", "due_too_late", "paid_late"]
    df = df[df[[*flags, "unpaid_past_due"]].any(axis=1)]
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
    lookback = ctx.monthly_from(None if ctx.start is None else add_months(py_month_start(ctx.start), -5))
    monthly = monthly_indicators(
        session=ctx.session, person_ids=ctx.people, start=ctx.start, end=ctx.end, monthly=lookback, pay=ctx._pay
    )
    labels, month_end = np.asarray(_labels(monthly["month"])), _month_end(monthly["month"])
    eq = np.where(monthly["equivalent"].to_numpy(bool), " (equivalent: not an employee)", "")
    otph = monthly["ot_plus_holiday_hours"]
    for rule, hit, line, words in (
        ("JP-OW-03", monthly["over_100"].to_numpy(bool), t["month_h"], "at or over the {:g} h single-month karoshi "
         "line (MHLW criteria)."),
        ("JP-OW-01", (monthly["over_45"] & ~monthly["over_100"]).to_numpy(bool), t["month_caution_h"],
         "over the {:g} h line where health risk starts to rise (MHLW criteria)."),
    ):  # fmt: skip
        tail = words.format(line)
        ctx.extend(
            rule,
            "advocacy_flag",
            monthly["person_id"][hit],
            monthly["month"][hit],
            month_end[hit],
            _rounded(otph[hit]),
            line,
            "h",
            [
                f"{rule}: {h:.1f} h of overtime and holiday work{e} in {m}, {tail}"
                for h, e, m in zip(otph[hit].tolist(), eq[hit], labels[hit], strict=True)
            ],
        )
    hit = monthly["over_80_avg"].to_numpy(bool)
    v = monthly[hit]
    first = _shift_months(v["month"], -(v["avg_window_months"].to_numpy(dtype=np.int64) - 1))
    ctx.extend(
        "JP-OW-02",
        "advocacy_flag",
        v["person_id"],
        first,
        month_end[hit],
        _rounded(v["max_window_avg_hours"]),
        t["avg_2_6_h"],
        "h/month",
        [
            f"JP-OW-02: overtime and holiday work{e} averaged {a:.1f} h a month over {f}–{m}, at or over the "
            f"{t['avg_2_6_h']:g} h karoshi line for 2–6-month averages (MHLW criteria)."
            for e, a, f, m in zip(eq[hit], v["max_window_avg_hours"].tolist(), _labels(first), labels[hit], strict=True)
        ],
    )
    every_week = weekly_hours(session=ctx.session, person_ids=ctx.people, start=ctx.start, end=ctx.end)
    _mental_disorder_lines(ctx, monthly, every_week, t)
    weeks = every_week[every_week["hours"] >= t["week_h"]].reset_index(drop=True)  # = overwork.long_weeks
    week_end = weeks["week_start"].to_numpy("datetime64[ns]") + np.timedelta64(6, "D")
    ctx.extend(
        "JP-OW-04",
        "advocacy_flag",
        weeks["person_id"],
        weeks["week_start"],
        week_end,
        _rounded(weeks["hours"]),
        t["week_h"],
        "h",
        [
            f"JP-OW-04: {h:.1f} h worked in the week from {w}, at or over the {t['week_h']:g} h a week linked to "
            f"higher stroke and heart-disease deaths (WHO/ILO 2021)."
            for h, w in zip(weeks["hours"].tolist(), _iso(weeks["week_start"]), strict=True)
        ],
    )
    found = runs(ctx.days(), min_days=int(t["streak_days"]))
    ctx.extend(
        "JP-OW-05",
        "advocacy_flag",
        found["person_id"],
        found["first_date"],
        found["last_date"],
        found["days"].astype(float),
        t["streak_days"],
        "days",
        [
            f"JP-OW-05: {k} consecutive working days from {a} to {b}; two weeks or more without a day off is a "
            f"recognised stressor (MHLW criteria)."
            for k, a, b in zip(found["days"].tolist(), _iso(found["first_date"]), _iso(found["last_date"]), strict=True)
        ],
    )


def _consecutive(df: pd.DataFrame, index: np.ndarray, mask: np.ndarray, at_least: int) -> pd.DataFrame:
    """Stretches of consecutive periods (``index`` steps of 1, per person; ``df`` sorted by person and period) where
    ``mask`` holds, ``at_least`` long: ``person_id``, ``first``, ``last`` (row positions in ``df``), ``periods``."""
    person = df["person_id"].to_numpy(np.int64)
    new = np.ones(len(df), dtype=bool)
    new[1:] = (person[1:] != person[:-1]) | (index[1:] != index[:-1] + 1) | ~mask[:-1]
    run = np.cumsum(new)
    rows = np.flatnonzero(mask)
    if not rows.size:
        return pd.DataFrame(columns=["person_id", "first", "last", "periods"])
    grouped = pd.DataFrame({"run": run[rows], "row": rows}).groupby("run")["row"].agg(["min", "max", "size"])
    grouped = grouped[grouped["size"] >= at_least]
    return pd.DataFrame(
        {
            "person_id": person[grouped["min"].to_numpy()],
            "first": grouped["min"].to_numpy(),
            "last": grouped["max"].to_numpy(),
            "periods": grouped["size"].to_numpy(),
        }
    )


def _mental_disorder_lines(ctx: _Context, monthly: pd.DataFrame, weeks: pd.DataFrame, t: dict[str, float]) -> None:
    """JP-OW-07, the MHLW lines for mental disorders: about 160 h of overtime in a month or 120 h in three weeks (a
    "special event"); 120 h in each of 2 consecutive months or 100 h in each of 3 (a "strong" load). Overtime here is
    the same as the karoshi lines' (JP-OW-01..03); for the three weeks, hours beyond 40 in each week."""
    found = _mental_months(monthly, t) + _mental_weeks(weeks, t)
    if not found:
        return
    person_ids, starts, ends, values, lines, texts = (list(c) for c in zip(*found, strict=True))
    ctx.extend("JP-OW-07", "advocacy_flag", person_ids, pd.DatetimeIndex(starts), pd.DatetimeIndex(ends), values,
               np.asarray(lines, dtype=float), "h", texts)  # fmt: skip


def _mental_months(monthly: pd.DataFrame, t: dict[str, float]) -> list[tuple]:
    if monthly.empty:
        return []
    monthly = monthly.sort_values(["person_id", "month"], ignore_index=True)
    otph = monthly["ot_plus_holiday_hours"].to_numpy(float)
    month_index = (monthly["month"].dt.year * 12 + monthly["month"].dt.month).to_numpy(np.int64)
    eq = np.where(monthly["equivalent"].to_numpy(bool), " (equivalent: not an employee)", "")
    found = []
    for line, n, words in (
        (t["mental_month_h"], 1, "about {:g} h in one month is a special event"),
        (t["mental_2_months_h"], 2, "{:g} h or more in each of 2 consecutive months is a strong load"),
        (t["mental_3_months_h"], 3, "{:g} h or more in each of 3 consecutive months is a strong load"),
    ):
        hit = otph >= line - 1e-9
        if n == 1:
            stretches_ = [(r, r) for r in np.flatnonzero(hit)]
        else:
            runs_ = _consecutive(monthly, month_index, hit, n)
            stretches_ = list(zip(runs_["first"].tolist(), runs_["last"].tolist(), strict=True))
        for first_row, last_row in stretches_:
            lowest = float(otph[first_row : last_row + 1].min())
            first, last = monthly["month"].iat[first_row], monthly["month"].iat[last_row]
            when = f" in {_month_label(first)}" if n == 1 else (
                f" or more in each month {_month_label(first)}–{_month_label(last)}")  # fmt: skip
            found.append(
                (
                    int(monthly["person_id"].iat[first_row]),
                    first,
                    last + pd.offsets.MonthEnd(0),
                    round(lowest, 2),
                    line,
                    f"JP-OW-07: overtime and holiday work{eq[first_row]} of {lowest:.1f} h{when}; "
                    f"{words.format(line)} in the MHLW criteria for work-related mental disorders.",
                )
            )
    return found


def _mental_weeks(weeks: pd.DataFrame, t: dict[str, float]) -> list[tuple]:
    if len(weeks) < 3:
        return []
    weeks = weeks.sort_values(["person_id", "week_start"], ignore_index=True)
    over = (weeks["hours"] - 40.0).clip(lower=0).to_numpy(float)
    week_index = weeks["week_start"].to_numpy("datetime64[D]").astype(np.int64) // 7
    person = weeks["person_id"].to_numpy(np.int64)
    # Three calendar-consecutive weeks of one person: rows i-2, i-1 and i.
    same = (person[2:] == person[:-2]) & (week_index[2:] == week_index[:-2] + 2)
    total = over[2:] + over[1:-1] + over[:-2]
    found = []
    for i in np.flatnonzero(same & (total >= t["mental_3_weeks_h"] - 1e-9)) + 2:
        first = weeks["week_start"].iat[i - 2]
        found.append(
            (
                int(person[i]),
                first,
                weeks["week_start"].iat[i] + pd.Timedelta(days=6),
                round(float(total[i - 2]), 2),
                t["mental_3_weeks_h"],
                f"JP-OW-07: {total[i - 2]:.1f} h beyond 40 h a week in the three weeks from {_d(first)}; about "
                f"{t['mental_3_weeks_h']:g} h in three weeks is a special event in the MHLW criteria for "
                f"work-related mental disorders.",
            )
        )
    return found


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
    ``JPY/h``, ``USD``, ``USD/h``, ``USD/year``, ``retakes``), ``explanation`` (one sentence citing the rule). Sorted
    by rule, person and period.
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
        _discretionary(ctx)
        _days_and_breaks(ctx)
        _premium_pay(ctx)
        _california(ctx)
        _overwork(ctx)
        ctx.release_days()
    _freelance(ctx, pid)
    return _table(session, ctx)


def _table(session: Session, ctx: _Context) -> pd.DataFrame:
    columns = [c for c in COLUMNS if c != "person"]
    parts = [p[columns] for p in ctx.parts if len(p)]
    if ctx.rows:
        parts.append(pd.DataFrame(ctx.rows).reindex(columns=columns))
    ctx.parts, ctx.rows = [], []
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    # Sorted by rule, person and period start. Ordinals sort like the dates (dt.date.min included, which
    # datetime64[ns] cannot hold) and much faster.
    rule = pd.factorize(pd.concat([p["rule_id"] for p in parts], ignore_index=True), sort=True)[0]
    person = np.concatenate([p["person_id"].to_numpy(dtype=float) for p in parts])
    ordinal = np.fromiter((d.toordinal() for p in parts for d in p["period_start"]), dtype=np.int64, count=len(rule))
    order = np.lexsort((ordinal, np.nan_to_num(person, nan=-1.0), rule))
    # Column by column, each taken out of the parts as it is built: a studio's findings run to a few hundred MB,
    # and only one copy of each column is alive at a time.
    table = {c: pd.concat([p.pop(c) for p in parts], ignore_index=True).take(order) for c in columns}
    df = pd.DataFrame(table, copy=False).reset_index(drop=True)
    if df["person_id"].notna().all():
        df["person_id"] = df["person_id"].astype("int64")
    names = dict(session.execute(select(Person.id, Person.display_name).where(Person.id.in_(_ids(df)))).all())
    df.insert(3, "person", df["person_id"].map(names))
    return df[COLUMNS]


def _ids(df: pd.DataFrame) -> list[int]:
    return sorted({int(p) for p in df["person_id"].dropna().unique()})
