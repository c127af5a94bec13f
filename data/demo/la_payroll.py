"""The Los Angeles unit's pay: hourly wages in USD and California overtime per workweek."""

from __future__ import annotations

import datetime as dt
from typing import Any

from data.demo.pay_items import add_pay_item
from data.demo.spec import PRODUCTIONS
from data.demo.state import Member, Studio, month_end, usd
from data.law.overtime import ca_week
from data.law.params import SECONDS_PER_HOUR
from data.periods import py_week_start


def pay_la(studio: Studio, m: Member, days: list[dict[str, Any]]) -> None:
    """Every hour at the hourly rate, per month; and the overtime premium of each workweek — California's daily,
    weekly and seventh-day lines (:func:`data.law.overtime.ca_week`) — paid with the month the workweek began in.
    One artist in four is paid as if only the weekly line existed (as under federal law), which CA-OT-01 flags."""
    rules = studio.rules
    weekly_line_only = m.pid % 4 == 1
    by_month: dict[dt.date, list[dict[str, Any]]] = {}
    for d in days:
        by_month.setdefault(d["date"].replace(day=1), []).append(d)
    weeks: dict[dt.date, list[dict[str, Any]]] = {}
    for d in days:
        weeks.setdefault(py_week_start(d["date"], rules.studio_week_start), []).append(d)
    overtime: dict[dt.date, tuple[float, float]] = {}  # month → hours at time and a half, hours at double time
    for week_start, week_days in weeks.items():
        hours = [d["seconds"] / SECONDS_PER_HOUR for d in week_days]
        if weekly_line_only:
            ot15, ot2 = max(sum(hours) - rules.ca_overtime.weekly_over_h, 0.0), 0.0
        else:
            week = ca_week(hours, rules.ca_overtime)
            ot15, ot2 = week.time_and_half, week.double
        # the month the workweek began in, as CA-OT-01 reads it; if nothing was worked in that month, the first
        # month worked in the week
        month = week_start.replace(day=1)
        if month not in by_month:
            month = week_days[0]["date"].replace(day=1)
        before = overtime.get(month, (0.0, 0.0))
        overtime[month] = (before[0] + ot15, before[1] + ot2)
    rate = m.hourly
    for month, mdays in by_month.items():
        hours_worked = sum(d["seconds"] for d in mdays) / SECONDS_PER_HOUR
        period = dict(period_start=mdays[0]["date"], period_end=mdays[-1]["date"])
        prod_id = PRODUCTIONS[mdays[-1]["prod"]]["id"]
        add_pay_item(
            studio,
            m,
            production_id=prod_id,
            basis="hourly",
            units=round(hours_worked, 2),
            unit_rate=usd(rate),
            amount=usd(hours_worked * rate),
            currency="USD",
            **period,
            paid_date=min(studio.preset.last_day, month_end(month)),
        )
        ot15, ot2 = overtime.get(month, (0.0, 0.0))
        if ot15 or ot2:
            # straight time is in the hourly item: the premium is the part of 1.5× and 2× above it
            half, double = rules.ca_time_and_half_premium, rules.ca_double_premium
            add_pay_item(
                studio,
                m,
                production_id=prod_id,
                basis="ot_premium",
                units=round(ot15 + ot2, 2),
                unit_rate=usd(rate * half),
                amount=usd(rate * (half * ot15 + double * ot2)),
                currency="USD",
                **period,
                paid_date=min(studio.preset.last_day, month_end(month)),
            )
