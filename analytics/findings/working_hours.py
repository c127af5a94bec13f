"""Japanese working-hours rules: overtime limits under an Article 36 agreement (JP-HRS-01…05), discretionary
work (JP-DISC-01), days off and breaks (JP-HRS-06/07)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.findings.context import (
    Context,
    iso_dates,
    jp_employee,
    month_ends,
    month_labels,
    rounded,
    shift_months,
)
from analytics.overwork import stretches, thresholds, window_averages
from analytics.person_days import as_datetime, crowded_windows, month_start_day
from data.reference import rule_parameter


def hours_limits(ctx: Context) -> None:
    """JP-HRS-01…05 for JP employees' months (a JP employee contract at the month's end or start, most hours as an
    employee, not left to discretionary work's deemed hours)."""
    session = ctx.session
    monthly = ctx.monthly
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
        ctx.pay[["person_id", "month", "is_employee"]], on=["person_id", "month"], how="left"
    )
    keep = jp_employee(info).to_numpy() & (status["is_employee"].to_numpy(dtype=object) != False)  # noqa: E712
    keep = keep & ~ctx.deemed(monthly["person_id"], monthly["month"])
    emp = monthly[keep].reset_index(drop=True)
    if emp.empty:
        return
    emp = pd.concat([emp, ctx.agreement_for(info["employer_id"][keep], emp["month"])], axis=1)
    view = emp
    label, month_end = month_labels(view["month"]), month_ends(view["month"])
    otph, ot = view["ot_plus_holiday_hours"], view["ot_hours"]

    hit = (~view["has_agreement"] & (otph > 0)).to_numpy()
    v = view[hit]
    ctx.extend(
        "JP-HRS-01",
        "violation",
        v["person_id"],
        v["month"],
        month_end[hit],
        rounded(v["ot_plus_holiday_hours"]),
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
        rounded(v["ot_hours"]),
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
        rounded(v["ot_plus_holiday_hours"]),
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
    averaged = window_averages(emp[["person_id", "month", "ot_plus_holiday_hours"]], "ot_plus_holiday_hours", windows)
    hit = averaged["max_window_avg_hours"].gt(abs_avg + 1e-9)
    v = averaged[hit.to_numpy()]
    n = v["avg_window_months"].to_numpy(dtype=np.int64)
    first = shift_months(v["month"], -(n - 1))
    ctx.extend(
        "JP-HRS-05",
        "violation",
        v["person_id"],
        first,
        month_ends(v["month"]),
        rounded(v["max_window_avg_hours"]),
        abs_avg,
        "h/month",
        [
            f"JP-HRS-05: overtime plus holiday work averaged {a:.1f} h a month over the {k} months {f}–{m}; every "
            f"2–6-month average must stay at or under {abs_avg:g} h (LSA Art. 36(6)(iii))."
            for a, k, f, m in zip(
                v["max_window_avg_hours"].tolist(),
                n.tolist(),
                month_labels(first),
                month_labels(v["month"]),
                strict=True,
            )
        ],
    )


def _agreement_years(
    ctx: Context,
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
    years["year_start"] = shift_months(years["valid_from"], 12 * years["year_index"].to_numpy(np.int64))
    years["year_end"] = month_ends(shift_months(years["year_start"], 11))
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
        rounded(v["total"]),
        limit[hit],
        "h",
        [
            f"JP-HRS-02: {t:.1f} h of overtime in the agreement year from {y} exceeds the {lim:g} h yearly limit of "
            f"an Article 36 agreement (LSA Art. 36(4))."
            for t, y, lim in zip(v["total"].tolist(), iso_dates(v["year_start"]), limit[hit].tolist(), strict=True)
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
        rounded(v["total"]),
        special_year,
        "h",
        [
            f"JP-HRS-03: {t:.1f} h of overtime in the agreement year from {y} exceeds the {special_year:g} h a "
            f"special clause allows (LSA Art. 36(5))."
            for t, y in zip(v["total"].tolist(), iso_dates(v["year_start"]), strict=True)
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
            for k, y, m in zip(v["over"].tolist(), iso_dates(v["year_start"]), month_labels(v["month"]), strict=True)
        ],
    )


def discretionary_work(ctx: Context) -> None:
    """JP-DISC-01: discretionary work (LSA Art. 38-3) covers producers, directors and new design work; hours logged
    in other roles (in-between, key animation, finishing…) make the arrangement doubtful. Without the employee's
    written consent (the planning type always; the professional type from 2024-04-01) the deemed hours do not apply
    either. Those months are then checked on the hours logged, like any employee's; months in covered roles with
    consent are left to the deemed hours."""
    d = ctx.discretionary()
    v = d[d["uncovered_hours"] > 0]
    ctx.extend(
        "JP-DISC-01",
        "warning",
        v["person_id"],
        v["month"],
        month_ends(v["month"]),
        rounded(v["uncovered_hours"]),
        0.0,
        "h",
        [
            f"JP-DISC-01: {h:.1f} h in {m} as {roles} under a discretionary-work contract, which covers producers, "
            f"directors and new design work (LSA Art. 38-3); other roles are unlikely to qualify, so these months "
            f"are checked on the hours logged."
            for h, m, roles in zip(
                v["uncovered_hours"].tolist(), month_labels(v["month"]), v["uncovered_roles"].tolist(), strict=True
            )
        ],
    )
    v = d[d["consent_missing"].astype(bool)]
    article = {"professional": "Art. 38-3, from 2024-04-01", "planning": "Art. 38-4"}
    ctx.extend(
        "JP-DISC-01",
        "warning",
        v["person_id"],
        v["month"],
        month_ends(v["month"]),
        0.0,
        1.0,
        "consents",
        [
            f"JP-DISC-01: {m} was worked under {kind}-type discretionary work with no written consent of the "
            f"employee recorded by the month's first day (LSA {article.get(kind, 'Art. 38-3')}); without it the "
            f"deemed hours do not apply, so the month is checked on the hours logged."
            for m, kind in zip(month_labels(v["month"]), v["kind"].tolist(), strict=True)
        ],
    )


def days_off_and_breaks(ctx: Context) -> None:
    """JP-HRS-06 and JP-OW-06 per stretch of crowded 4-week windows; JP-HRS-07 per month with short breaks."""
    need = thresholds(ctx.session)["days_off_per_4_weeks"]
    windows = crowded_windows(ctx.days(), window_days=28, min_days_off=int(need))
    runs_ = stretches(windows)
    if not runs_.empty:
        first = runs_["first_window_end"].to_numpy("datetime64[ns]") - np.timedelta64(27, "D")
        last = runs_["last_window_end"]
        employee = jp_employee(ctx.employment_on(runs_["person_id"], last)).to_numpy()
        fewest = runs_["min_days_off"].to_numpy(np.int64)
        first_iso, last_iso = iso_dates(first), iso_dates(last)
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
    hit = jp_employee(ctx.employment_in_month(sessions["person_id"], month)).to_numpy()
    v, month = sessions[hit], month[hit]
    ctx.extend(
        "JP-HRS-07",
        "violation",
        v["person_id"],
        month,
        month_ends(month),
        v["sessions"].astype(float),
        0.0,
        "sessions",
        [
            f"JP-HRS-07: {k} shifts in {m} had too short a break (over 6 h needs 45 min, over 8 h needs 60 min; "
            f"LSA Art. 34)."
            for k, m in zip(v["sessions"].tolist(), month_labels(month), strict=True)
        ],
    )
