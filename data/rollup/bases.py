"""The wage bases of each person-month (``rollup_person_month.mw_base_per_hour`` and the premium base), by pay basis:
what the minimum-wage test and the premiums owed measure (:func:`data.law.wages.wage_bases`).

Pay counts in the month of its item's ``period_end``, in the workplace currency. The schedule is the contract's in
force on the month's last day worked (``scheduled_monthly_hours``, ``scheduled_daily_hours``), the monthly one
prorated to the days of the month under that contract (a salary paid for part of a month is divided by the scheduled
hours of that part). Allowances count by what they pay for (rule parameters ``minimum_wage_base.*`` and
``premium_base.*``; one of no recorded kind counts in neither). California's salaried regular rate is a week's
salary ÷ the weekly overtime line (Labor Code §515(d)(1)); its allowances do not count.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import and_, bindparam, func, select, update
from sqlalchemy.orm import Session

from data.law.params import SECONDS_PER_HOUR, CaOvertime
from data.law.wages import PIECE_BASES, TIME_BASES, MonthPay, WageBases, wage_bases
from data.periods import month_of
from data.reference import rule_values
from data.rollup.reading import who
from data.schema import Employment, PayItem, RollupPersonDay, RollupPersonMonth

WEEKS_PER_MONTH = 52 / 12
BASE_BASES = (*TIME_BASES, *PIECE_BASES, "allowance")


def _day(value: Any) -> dt.date:
    # SQLite hands computed dates over as text.
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _covered(month: dt.date, start: dt.date | None, end: dt.date | None) -> float:
    """The share of ``month`` the contract covers."""
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    first_in, last_in = max(month, start or month), min(last, end or last)
    return max((last_in - first_in).days + 1, 0) / last.day


def refresh_wage_bases(session: Session, *, ids: Sequence[int] | None, month_from: dt.date, month_to: dt.date) -> None:
    """Compute the wage bases of the person-months worked of ``ids`` (None: everyone) from ``month_from`` to
    ``month_to`` (rows already written by :func:`data.rollup.months.refresh_person_months`)."""
    rpm, rpd = RollupPersonMonth.__table__, RollupPersonDay.__table__
    dialect = session.get_bind().dialect.name
    months = session.execute(
        select(rpm.c.person_id, rpm.c.month_start, rpm.c.seconds, rpm.c.days_worked, rpm.c.currency).where(
            *who(rpm.c.person_id, ids), rpm.c.month_start.between(month_from, month_to), rpm.c.seconds > 0
        )
    ).all()
    if not months:
        return
    jp = rule_values(session, "JP")
    jp_bases = WageBases.from_values(jp)
    ca = CaOvertime.from_values(rule_values(session, "US-CA"))
    ca_week_h, ca_day_h = ca.weekly_over_h, ca.daily_time_and_half_over_h
    pay: dict[tuple[int, dt.date], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    pi = PayItem
    paid_month = month_of(pi.period_end, dialect)
    for person, month, basis, kind, amount, units, with_units, items in session.execute(
        select(pi.person_id, paid_month, pi.basis, pi.allowance_kind, func.sum(pi.amount),
               func.coalesce(func.sum(pi.units), 0.0), func.count(pi.units), func.count())
        .join(rpm, and_(rpm.c.person_id == pi.person_id, rpm.c.month_start == paid_month,
                        rpm.c.currency == pi.currency))
        .where(*who(pi.person_id, ids), pi.period_end.between(month_from, month_to), pi.basis.in_(BASE_BASES))
        .group_by(pi.person_id, paid_month, pi.basis, pi.allowance_kind)
    ):  # fmt: skip
        parts = pay[int(person), _day(month)]
        amount = float(amount)
        if basis == "allowance":
            parts["allowances_mw"] += amount if jp_bases.counts_for_minimum_wage(kind) else 0.0
            parts["allowances_premium"] += amount if jp_bases.counts_for_premiums(kind) else 0.0
        elif basis in PIECE_BASES:
            parts["piece"] += amount
        else:
            parts[basis] += amount
            if basis == "daily":
                # The days a day rate pays, when every item says; else the days worked stand in.
                parts["daily_days"] = float(units) if with_units == items else np.nan
    # One expression for SELECT and GROUP BY: PostgreSQL matches them by their bind parameters too.
    worked_month = month_of(rpd.c.work_date, dialect)
    last_day = (
        select(rpd.c.person_id, worked_month.label("m"), func.max(rpd.c.work_date).label("d"))
        .where(*who(rpd.c.person_id, ids), rpd.c.work_date.between(month_from, _month_end(month_to)),
               rpd.c.employment_id.is_not(None), rpd.c.seconds > 0)
        .group_by(rpd.c.person_id, worked_month)
        .subquery()
    )  # fmt: skip
    e = Employment
    contracts = {
        (int(p), _day(m)): (monthly_h, daily_h, jurisdiction, _day(start), None if end is None else _day(end))
        for p, m, monthly_h, daily_h, jurisdiction, start, end in session.execute(
            select(last_day.c.person_id, last_day.c.m, e.scheduled_monthly_hours, e.scheduled_daily_hours,
                   e.jurisdiction, e.start_date, e.end_date)
            .join(rpd, and_(rpd.c.person_id == last_day.c.person_id, rpd.c.work_date == last_day.c.d))
            .join(e, e.id == rpd.c.employment_id)
        )
    }  # fmt: skip
    rows = []
    for person, month, seconds, days_worked, currency in months:
        key = (int(person), _day(month))
        parts, contract = pay.get(key, {}), contracts.get(key)
        monthly_h, daily_h, jurisdiction, start, end = contract or (None, None, None, None, None)
        share = 1.0 if contract is None else _covered(key[1], start, end)
        if jurisdiction == "US-CA" or (jurisdiction is None and currency == "USD"):
            # A week's salary ÷ the weekly line; no allowance counts; a day rate per the daily line unless scheduled.
            month_h, allowances = ca_week_h * WEEKS_PER_MONTH, (0.0, 0.0)
        else:
            month_h = np.nan if monthly_h is None else float(monthly_h)
            allowances = (parts.get("allowances_mw", 0.0), parts.get("allowances_premium", 0.0))
        rows.append(
            (seconds / SECONDS_PER_HOUR, days_worked, parts.get("hourly", 0.0), parts.get("piece", 0.0),
             parts.get("daily", 0.0), parts.get("daily_days", np.nan), parts.get("monthly_salary", 0.0),
             *allowances, month_h, share, np.nan if daily_h is None else float(daily_h),
             jurisdiction == "US-CA" or (jurisdiction is None and currency == "USD"))
        )  # fmt: skip
    columns = list(zip(*rows, strict=True))
    usd = np.asarray(columns[12], dtype=bool)
    month_pay = MonthPay(*(np.asarray(c, dtype=float) for c in columns[:12]))
    # Where no schedule is recorded: the statutory week and day (JP), California's weekly and daily lines.
    jp_found = wage_bases(month_pay, default_month_h=jp_bases.statutory_month_h, default_day_h=jp_bases.daily_limit_h)
    ca_found = wage_bases(month_pay, default_month_h=ca_week_h * WEEKS_PER_MONTH, default_day_h=ca_day_h)
    found = {
        name: np.where(usd, getattr(ca_found, name), getattr(jp_found, name))
        for name in ("minimum_wage", "premium", "scheduled", "assumed")
    }
    session.execute(
        update(rpm)
        .where(rpm.c.person_id == bindparam("p"), rpm.c.month_start == bindparam("m"))
        .values(
            mw_base_per_hour=bindparam("mw"),
            premium_base_per_hour=bindparam("premium"),
            scheduled_base_per_hour=bindparam("scheduled"),
            base_assumed=bindparam("assumed"),
        ),
        [
            {
                "p": int(m[0]),
                "m": _day(m[1]),
                "mw": float(a),
                "premium": float(b),
                "scheduled": float(c),
                "assumed": bool(d),
            }
            for m, a, b, c, d in zip(
                months, found["minimum_wage"], found["premium"], found["scheduled"], found["assumed"], strict=True
            )
        ],  # fmt: skip
    )


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])
