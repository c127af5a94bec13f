"""The annual leave ledger of the Japanese employees: statutory grants and the days taken."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from data.demo.spec import LEDGER_FROM, MONTHS_PER_YEAR, PART_TIME_LEAVE_DAYS
from data.demo.state import Member, Studio, months_later, rng


def write_leave_ledger(studio: Studio, m: Member, worked: set[dt.date]) -> None:
    """A JP employee's annual leave ledger, kept from LEDGER_FROM: the statutory grants (the rule parameters'
    schedule, one day short in about one grant in twenty; a proportional 7 days for part-timers) and about 6.5 days taken a year, on weekdays
    not worked (``worked``: the days ``m`` logged work), so about one year in five falls under the five days the
    employer must ensure (JP-LEAVE-01). Its own random stream: the rest of the demo is the same with or without it."""
    if not m.employee or m.service_start is None:
        return
    stream = rng(studio.seed, "leave", m.pid)
    part_time = m.employment_type == "employee_parttime"
    last = min(studio.preset.last_day, m.employment_end or studio.preset.last_day)
    schedule, first = studio.rules.leave_schedule, studio.rules.leave_first_grant_months
    k = 0
    while (due := months_later(m.service_start, first + MONTHS_PER_YEAR * k)) <= last:
        days = PART_TIME_LEAVE_DAYS if part_time else schedule[min(k, len(schedule) - 1)]
        k += 1
        if due < LEDGER_FROM:
            continue
        granted = days - 1 if stream.random() < 0.05 else days
        studio.out.add("annual_leave", _leave_row(studio, m, "grant", due, granted))
        year_end = min(months_later(m.service_start, first + MONTHS_PER_YEAR * k) - dt.timedelta(days=1), last)
        free = [
            due + dt.timedelta(days=i)
            for i in range((year_end - due).days + 1)
            if (due + dt.timedelta(days=i)).weekday() < 5 and due + dt.timedelta(days=i) not in worked
        ]
        taken = min(len(free), granted, int(stream.poisson(6.5)))
        for day in sorted(stream.choice(len(free), size=taken, replace=False).tolist()) if taken else []:
            studio.out.add("annual_leave", _leave_row(studio, m, "taken", free[day], 1))


def _leave_row(studio: Studio, m: Member, kind: str, day: dt.date, days: int) -> dict[str, Any]:
    return dict(
        id=studio.ids("annual_leave"),
        person_id=m.pid,
        kind=kind,
        on_date=day,
        days=Decimal(days),
        note=None,
        batch_id=None,
        source_key=None,
        content_hash=None,
    )
