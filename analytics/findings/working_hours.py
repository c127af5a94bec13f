"""Japanese working-hours rules: overtime limits under an Article 36 agreement (JP-HRS-01…05), discretionary
work (JP-DISC-01), days off and breaks (JP-HRS-06/07)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.findings import days_off
from analytics.findings.context import (
    Context,
    iso_dates,
    jp_employee,
    month_ends,
    month_labels,
    rounded,
    shift_months,
)
from analytics.findings.text import Sentences, joined, sentence
from analytics.overwork import stretches, window_averages
from analytics.person_days import as_datetime, crowded_windows, month_start_day
from data.i18n import N_
from data.law.agreement import AgreementLimits, agreement_year, exceeds, reaches

HRS_01 = N_(
    "JP-HRS-01: {hours:.1f} h of overtime and holiday work in {month} without a filed Article 36 agreement (Labor "
    "Standards Act Art. 36): none is lawful."
)
HRS_02_MONTH = N_(
    "JP-HRS-02: {hours:.1f} h of overtime in {month} exceeds the {limit:g} h monthly limit of an Article 36 agreement "
    "without a special clause (LSA Art. 36(4))."
)
HRS_02_YEAR = N_(
    "JP-HRS-02: {hours:.1f} h of overtime in the agreement year from {year} exceeds the {limit:g} h yearly limit of "
    "an Article 36 agreement (LSA Art. 36(4))."
)
HRS_03_YEAR = N_(
    "JP-HRS-03: {hours:.1f} h of overtime in the agreement year from {year} exceeds the {limit:g} h a special clause "
    "allows (LSA Art. 36(5))."
)
HRS_03_MONTHS = N_(
    "JP-HRS-03: {months} months with more than {line:g} h of overtime in the agreement year from {year} (the "
    "{nth}th was {month}); a special clause allows at most {allowed} (LSA Art. 36(5))."
)
HRS_04 = N_(
    "JP-HRS-04: overtime plus statutory-holiday work of {hours:.1f} h in {month} reaches the absolute cap; it must "
    "stay under {cap:g} h (LSA Art. 36(6)(ii))."
)
HRS_05 = N_(
    "JP-HRS-05: overtime plus holiday work averaged {average:.1f} h a month over the {months} months {first}–{last}; "
    "every {windows}-month average must stay at or under {line:g} h (LSA Art. 36(6)(iii))."
)
DISC_ROLES = N_(
    "JP-DISC-01: {hours:.1f} h in {month} as {roles} under a discretionary-work contract, which covers producers, "
    "directors and new design work (LSA Art. 38-3); other roles are unlikely to qualify, so these months are checked "
    "on the hours logged."
)
DISC_CONSENT = N_(
    "JP-DISC-01: {month} was worked under {kind} discretionary work with no written consent of the employee "
    "recorded by the month's first day (LSA {article}); without it the deemed hours do not apply, so the month is "
    "checked on the hours logged."
)
DISC_KINDS = {"professional": N_("professional-type"), "planning": N_("planning-type")}
OW_06 = N_(
    "JP-OW-06: fewer than {need:g} days off in {weeks} weeks between {first} and {last} (fewest: {days}), below the "
    "statutory floor for employees (LSA Art. 35; §6 indicators)."
)
HRS_07 = N_("JP-HRS-07: {shifts} shifts in {month} had too short a break ({needs}; LSA Art. 34).")
BREAK_NEED = N_("over {hours:g} h needs {minutes} min")


def hours_limits(ctx: Context) -> None:
    """JP-HRS-01…05 for JP employees' months (a JP employee contract at the month's end or start, most hours as an
    employee, not left to discretionary work's deemed hours)."""
    monthly = ctx.monthly
    if monthly.empty:
        return
    law = ctx.law.agreement

    # Employee months only: a JP employee contract at the month's end (or start), and most hours as an employee
    # (a month with no pay row counts: only a recorded False leaves it out).
    info = ctx.employment_in_month(monthly["person_id"], monthly["month"])
    status = monthly[["person_id", "month"]].merge(
        ctx.pay[["person_id", "month", "is_employee"]], on=["person_id", "month"], how="left"
    )
    keep = jp_employee(info).to_numpy() & np.not_equal(status["is_employee"].to_numpy(dtype=object), False)
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
        Sentences(HRS_01, {"hours": v["ot_plus_holiday_hours"], "month": np.asarray(label)[hit]}),
        source=ctx.law.cite("JP", "ot_agreement_36.required_for_any_ot_or_holiday_work"),
    )
    limit = law.month_limit(view["variable_hours_1y"])
    hit = (view["has_agreement"] & ~view["special_clause"]).to_numpy() & exceeds(ot, limit)
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
        Sentences(HRS_02_MONTH, {"hours": v["ot_hours"], "month": np.asarray(label)[hit], "limit": limit[hit]}),
        source=ctx.law.cite("JP", "ot_agreement_36.normal"),
    )
    hit = reaches(otph, law.absolute_month_h)
    v = view[hit]
    ctx.extend(
        "JP-HRS-04",
        "violation",
        v["person_id"],
        v["month"],
        month_end[hit],
        rounded(v["ot_plus_holiday_hours"]),
        law.absolute_month_h,
        "h",
        Sentences(
            HRS_04,
            {"hours": v["ot_plus_holiday_hours"], "month": np.asarray(label)[hit], "cap": law.absolute_month_h},
        ),
        source=ctx.law.cite("JP", "ot_agreement_36.absolute"),
    )
    _agreement_years(ctx, emp, law)

    # Any window of the statute's lengths averaging more than its line of OT + holiday work.
    columns = ["person_id", "month", "ot_plus_holiday_hours"]
    averaged = window_averages(emp[columns], "ot_plus_holiday_hours", law.average_windows)
    hit = exceeds(averaged["max_window_avg_hours"], law.average_h)  # NaN (no window formed) is never over
    v = averaged[hit]
    n = v["avg_window_months"].to_numpy(dtype=np.int64)
    first = shift_months(v["month"], -(n - 1))
    ctx.extend(
        "JP-HRS-05",
        "violation",
        v["person_id"],
        first,
        month_ends(v["month"]),
        rounded(v["max_window_avg_hours"]),
        law.average_h,
        "h/month",
        Sentences(
            HRS_05,
            {
                "average": v["max_window_avg_hours"],
                "months": n,
                "first": month_labels(first),
                "last": month_labels(v["month"]),
                "windows": law.windows_label,
                "line": law.average_h,
            },
        ),
        source=ctx.law.cite("JP", "ot_agreement_36.absolute"),
    )


def _agreement_years(ctx: Context, emp: pd.DataFrame, law: AgreementLimits) -> None:
    """Agreement years: the yearly limit (lower on 1-year variable hours) without a special clause; with one, the
    special clause's yearly limit and at most its number of months over the monthly limit."""
    covered = emp[emp["has_agreement"]].copy()
    if covered.empty:
        return
    special_months = law.special_months_max
    covered["year_index"] = agreement_year(covered["month"], covered["valid_from"])
    covered["over"] = exceeds(covered["ot_hours"], law.month_h)
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
    limit = law.year_limit(plain["variable_hours_1y"])
    hit = exceeds(plain["total"], limit)
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
        Sentences(HRS_02_YEAR, {"hours": v["total"], "year": iso_dates(v["year_start"]), "limit": limit[hit]}),
        source=ctx.law.cite("JP", "ot_agreement_36.normal"),
    )
    special = years[years["special_clause"]]
    v = special[exceeds(special["total"], law.special_year_h)]
    ctx.extend(
        "JP-HRS-03",
        "violation",
        v["person_id"],
        v["year_start"],
        v["year_end"],
        rounded(v["total"]),
        law.special_year_h,
        "h",
        Sentences(HRS_03_YEAR, {"hours": v["total"], "year": iso_dates(v["year_start"]), "limit": law.special_year_h}),
        source=ctx.law.cite("JP", "ot_agreement_36.special_clause"),
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
        Sentences(
            HRS_03_MONTHS,
            {
                "months": v["over"],
                "line": law.month_h,
                "year": iso_dates(v["year_start"]),
                "nth": special_months + 1,
                "month": month_labels(v["month"]),
                "allowed": special_months,
            },
        ),
        source=ctx.law.cite("JP", "ot_agreement_36.special_clause"),
    )


def discretionary_work(ctx: Context) -> None:
    """JP-DISC-01: discretionary work (LSA Art. 38-3) covers producers, directors and new design work; hours logged
    in other roles (in-between, key animation, finishing…) make the arrangement doubtful. Without the employee's
    written consent (the planning type always; the professional type from a date, a rule parameter) the deemed hours
    do not apply either. Those months are then checked on the hours logged, like any employee's; months in covered
    roles with consent are left to the deemed hours."""
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
        Sentences(
            DISC_ROLES,
            {"hours": v["uncovered_hours"], "month": month_labels(v["month"]), "roles": v["uncovered_roles"]},
        ),
        source=ctx.law.cite("JP", "discretionary_work"),
    )
    v = d[d["consent_missing"].astype(bool)]
    kinds = {k: sentence(DISC_KINDS.get(k, k)) for k in set(v["kind"])}  # one object each: rendered once
    ctx.extend(
        "JP-DISC-01",
        "warning",
        v["person_id"],
        v["month"],
        month_ends(v["month"]),
        0.0,
        1.0,
        "consents",
        Sentences(
            DISC_CONSENT,
            {
                "month": month_labels(v["month"]),
                "kind": [kinds[k] for k in v["kind"]],
                "article": [ctx.law.discretionary.article(k) for k in v["kind"]],
            },
        ),
        source=ctx.law.cite("JP", "discretionary_work.consent_required_from"),
    )


def days_off_and_breaks(ctx: Context) -> None:
    """JP-HRS-06 in the employer's arrangement of days off (:mod:`analytics.findings.days_off`), JP-OW-06 per
    stretch of crowded 28-day windows (the indicator, whatever the arrangement); JP-HRS-07 per month with short
    breaks."""
    days_off.check(ctx)
    lines = ctx.law.overwork
    need, weeks = float(lines.days_off_per_window), lines.window_weeks
    windows = crowded_windows(ctx.days(), window_days=lines.window_days, min_days_off=lines.days_off_per_window)
    runs_ = stretches(windows)
    if not runs_.empty:
        first = runs_["first_window_end"].to_numpy("datetime64[ns]") - np.timedelta64(lines.window_days - 1, "D")
        last = runs_["last_window_end"]
        contract = ctx.employment_on(runs_["person_id"], last, ["jurisdiction"])
        # The Art. 35 floor as an indicator is Japan's: not for work under a Californian contract.
        japanese = (contract["jurisdiction"] != "US-CA").to_numpy()
        fewest = runs_["min_days_off"].to_numpy(np.int64)
        first_iso, last_iso = iso_dates(first), iso_dates(last)
        ctx.extend(
            "JP-OW-06",
            "advocacy_flag",
            runs_["person_id"][japanese],
            first[japanese],
            last[japanese],
            fewest[japanese].astype(float),
            need,
            "days",
            Sentences(
                OW_06,
                {
                    "need": need,
                    "weeks": weeks,
                    "first": np.asarray(first_iso)[japanese],
                    "last": np.asarray(last_iso)[japanese],
                    "days": fewest[japanese],
                },
            ),
            source=ctx.law.cite("JP", "hours.statutory_days_off"),
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
    needs = joined(
        [
            sentence(BREAK_NEED, hours=r.worked_over_seconds / 3600, minutes=r.break_seconds // 60)
            for r in ctx.law.hours.breaks
        ],
        ", ",
    )
    ctx.extend(
        "JP-HRS-07",
        "violation",
        v["person_id"],
        month,
        month_ends(month),
        v["sessions"].astype(float),
        0.0,
        "sessions",
        Sentences(HRS_07, {"shifts": v["sessions"], "month": month_labels(month), "needs": needs}),
        source=ctx.law.cite("JP", "hours.breaks"),
    )
