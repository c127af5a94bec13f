"""Annual paid leave (JP-LEAVE-01): the days the Labor Standards Act gives (Art. 39) and the five days a year an
employer must see taken by anyone granted ten or more (Art. 39(7), since 2019-04-01), judged on the employer's
leave ledger (``annual_leave``: days granted and days taken).

Service runs from the first day of a JP employee contract, across contracts with the same employer that follow one
another; the first grant falls six months in, then one a year (10, 11, 12, 14, 16, 18, 20 days; a rule parameter).
Attendance of at least 80 % is assumed (absences are not recorded). Leave taken by the hour (an entry that is not a
whole or half day) is leave, but does not count towards the five days (MHLW guidance); half days count as 0.5. A
grant given earlier than the statutory date (a uniform grant date, 斉一的取扱い) counts for it. Part-time contracts under 30 h a week get proportional grants
that depend on days worked per week, which the records do not hold: only the five-day rule is judged for them, on
the grants recorded. The ledger is judged up to its latest entry, studio-wide (an import can be months old). Grant
years that end before a person's first ledger entry are not judged (nor the days taken in a year the ledger does
not cover whole); a person with no entry at all gets one warning, since the ledger (年次有給休暇管理簿) is itself
mandatory.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd
from sqlalchemy import func, select

from analytics.findings.context import Context
from analytics.scope import frame
from data.reference import rule_parameter
from data.schema import EMPLOYEE_TYPES, AnnualLeave

HOURS_PER_WEEK_FOR_FULL_GRANTS = 30  # LSA Art. 39(3): proportional grants below 30 h and 5 days a week


def check(ctx: Context, today: dt.date | None = None) -> None:
    today = today or dt.date.today()
    services = _services(ctx)
    if services.empty:
        return
    session = ctx.session
    schedule = [float(d) for d in rule_parameter(session, "JP", "annual_leave.days_schedule")]
    first_after = int(rule_parameter(session, "JP", "annual_leave.first_grant_after_months"))
    must_take = float(rule_parameter(session, "JP", "annual_leave.mandatory_take_days"))
    must_from = dt.date.fromisoformat(str(rule_parameter(session, "JP", "annual_leave.mandatory_from")))
    a = AnnualLeave
    query = select(a.person_id, a.kind, a.on_date, a.days).where(a.person_id.in_(sorted(set(services["person_id"]))))
    ledger = frame(session, query, dates=("on_date",))
    by_person = {int(p): g for p, g in ledger.groupby("person_id")} if not ledger.empty else {}
    # The ledger is judged as far as it has been kept: to its latest entry, studio-wide (not today, when an import
    # is months old, nor each person's own latest, which someone taking no leave would push back).
    kept_to = session.scalar(select(func.max(a.on_date)))
    as_of = min(today, kept_to) if kept_to is not None else today
    for s in services.itertuples(index=False):
        person = int(s.person_id)
        rows = by_person.get(person)
        grants = _statutory_grants(s.start, s.end, today if rows is None else as_of, first_after, schedule)
        if not grants:
            continue
        if rows is None:
            ctx.add(
                "JP-LEAVE-01",
                "warning",
                person,
                grants[0][0],
                grants[-1][0],
                0.0,
                float(len(grants)),
                "grants",
                f"JP-LEAVE-01: no annual leave recorded for an employee with {len(grants)} statutory grant(s) from "
                f"{grants[0][0]} ({grants[0][1]:g} days) to {grants[-1][0]} ({grants[-1][1]:g} days); the employer "
                f"must keep a leave ledger and see at least {must_take:g} days taken a year (LSA Art. 39).",
            )
            continue
        first_entry = rows["on_date"].min().date()
        granted = rows[rows["kind"] == "grant"]
        taken = rows[rows["kind"] == "taken"]
        # Whole and half days count towards the five; leave taken by the hour (a fraction that is neither) does not.
        counted = taken[((taken["days"].astype(float) * 2) % 1).abs() < 1e-9]
        previous = s.start - dt.timedelta(days=1)
        for k, (due, days) in enumerate(grants):
            following = _shift(s.start, first_after + 12 * (k + 1))
            year_end = following - dt.timedelta(days=1)
            # A grant is judged once the ledger covers any of its year; the days taken only over a whole year of it.
            judged, whole_year = year_end >= first_entry, due >= first_entry
            window = granted[(granted["on_date"].dt.date > previous) & (granted["on_date"].dt.date <= due)]
            given = float(window["days"].sum())
            previous = due
            if judged and s.full and given + 1e-9 < days:
                ctx.add(
                    "JP-LEAVE-01",
                    "violation",
                    person,
                    due,
                    due,
                    given,
                    days,
                    "days",
                    f"JP-LEAVE-01: {given:g} days of annual leave granted by {due}, when {_service(k, first_after)} "
                    f"of service give {days:g} (LSA Art. 39).",
                )
            entitled = days if s.full else given
            if not whole_year or entitled < 10 or due < must_from or year_end > as_of or (s.end and s.end < year_end):
                continue
            used = float(
                counted[(counted["on_date"].dt.date >= due) & (counted["on_date"].dt.date <= year_end)]["days"].sum()
            )
            if used + 1e-9 < must_take:
                ctx.add(
                    "JP-LEAVE-01",
                    "violation",
                    person,
                    due,
                    year_end,
                    used,
                    must_take,
                    "days",
                    f"JP-LEAVE-01: {used:g} days of annual leave taken in the year from {due} to {year_end} by an "
                    f"employee granted {entitled:g}; the employer must see at least {must_take:g} taken (LSA Art. "
                    f"39(7)).",
                )


def _services(ctx: Context) -> pd.DataFrame:
    """Continuous JP employee service per person and employer: ``person_id``, ``start``, ``end`` (None: ongoing),
    ``full`` (False when the latest contract is part-time under 30 h a week, or of unknown hours)."""
    e = ctx.employments
    e = e[(e["jurisdiction"] == "JP") & e["employment_type"].isin(EMPLOYEE_TYPES)]
    if ctx.people is not None:
        e = e[e["person_id"].isin(ctx.people)]
    columns = ["person_id", "start", "end", "full"]
    if e.empty:
        return pd.DataFrame(columns=columns)
    weekly_hours = pd.to_numeric(e["scheduled_monthly_hours"], errors="coerce") * 12 / 52
    e = e.assign(
        full=(e["employment_type"] != "employee_parttime") | (weekly_hours >= HOURS_PER_WEEK_FOR_FULL_GRANTS)
    ).sort_values(["person_id", "employer_id", "start_date"])
    out = []
    for (person, _employer), rows in e.groupby(["person_id", "employer_id"], sort=True):
        start = end = None
        full = True
        for r in rows.itertuples(index=False):
            r_start, r_end = r.start_date.date(), (None if pd.isna(r.end_date) else r.end_date.date())
            if start is not None and (end is None or r_start <= end + dt.timedelta(days=1)):
                end = None if end is None or r_end is None else max(end, r_end)
                full = bool(r.full)
                continue
            if start is not None:
                out.append((int(person), start, end, full))
            start, end, full = r_start, r_end, bool(r.full)
        out.append((int(person), start, end, full))
    return pd.DataFrame(out, columns=columns)


def _statutory_grants(
    start: dt.date, end: dt.date | None, today: dt.date, first_after: int, schedule: list[float]
) -> list[tuple[dt.date, float]]:
    """(date, days) of each grant the service earned by ``today`` (or its end)."""
    grants = []
    last = min(today, end) if end else today
    k = 0
    while (due := _shift(start, first_after + 12 * k)) <= last:
        grants.append((due, schedule[min(k, len(schedule) - 1)]))
        k += 1
    return grants


def _shift(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _service(k: int, first_after: int) -> str:
    months = first_after + 12 * k
    years, rest = divmod(months, 12)
    return f"{years} year(s) {rest} month(s)" if rest else f"{years} year(s)"
