"""Japanese employees' monthly pay: salary or hourly wages, overtime, statutory-holiday and late-night premiums
(some underpaid on purpose, so the compliance rules find something), commuting allowance and bonuses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from data.demo.pay_items import add_pay_item
from data.demo.spec import FIXED_OT_ALLOWANCE_H, PRODUCTIONS
from data.demo.state import Member, Studio, month_end, yen
from data.law.overtime import jp_overtime
from data.law.params import SECONDS_PER_HOUR, JpHours
from data.law.wages import jp_premiums_owed
from data.periods import py_week_start


def employee_month(
    studio: Studio,
    m: Member,
    month: dt.date,
    mdays: list[dict[str, Any]],
    piece_total: float,
    ot_seconds: dict[dt.date, int],
) -> None:
    """The pay items of employee ``m`` for ``month``, from the days worked in it (``mdays``), the month's piece
    earnings (the base of a piece-rate employee) and the overtime seconds of each day (``ot_seconds``)."""
    stream = m.rng
    last_day = studio.preset.last_day
    m_end = month_end(month)
    period = dict(period_start=max(month, m.employment_start), period_end=min(m_end, m.employment_end or m_end))
    prod_id = PRODUCTIONS[mdays[-1]["prod"]]["id"]
    hours = sum(d["seconds"] for d in mdays) / SECONDS_PER_HOUR
    holiday_h = sum(d["seconds"] for d in mdays if d["holiday"]) / SECONDS_PER_HOUR
    night_h = sum(d["night"] for d in mdays) / SECONDS_PER_HOUR
    ot = sum(ot_seconds[d["date"]] for d in mdays) / SECONDS_PER_HOUR
    if m.salary:
        active = (period["period_end"] - period["period_start"]).days + 1
        salary = yen(m.salary * active / ((m_end - month).days + 1))
        add_pay_item(
            studio,
            m,
            production_id=prod_id,
            basis="monthly_salary",
            units=1.0,
            unit_rate=yen(m.salary),
            amount=salary,
            **period,
            paid_date=min(last_day, month.replace(day=25)),
        )
        base, salaried = m.salary / m.scheduled_hours, True
    elif m.hourly and m.daily_hours:
        worked = len({d["date"] for d in mdays})
        add_pay_item(
            studio,
            m,
            production_id=prod_id,
            basis="daily",
            units=float(worked),
            unit_rate=yen(m.hourly * m.daily_hours),
            amount=yen(worked * m.hourly * m.daily_hours),
            **period,
            paid_date=min(last_day, m_end),
        )
        # The day rate pays the scheduled day only: hours beyond it are paid at the day rate's hourly value too.
        base, salaried = m.hourly, True
    elif m.hourly:
        add_pay_item(
            studio,
            m,
            production_id=prod_id,
            basis="hourly",
            units=round(hours, 2),
            unit_rate=yen(m.hourly),
            amount=yen(hours * m.hourly),
            **period,
            paid_date=min(last_day, m_end),
        )
        base, salaried = m.hourly, False
    else:  # piece-rate employee: the piece earnings per hour are the base (LSA Art. 27)
        base, salaried = piece_total / max(hours, 1.0), False
    # Overtime, holiday and night premiums as data.law computes them; some are underpaid so the compliance rules
    # find something. Hourly and piece pay already cover every hour at the base rate, so only the premium is added;
    # a salary covers the scheduled hours only, so overtime and holiday hours are paid at the base rate too.
    rates = studio.rules.jp_premiums
    mode = m.premium_mode
    ot_paid = min(ot, FIXED_OT_ALLOWANCE_H) if mode == "fixed_30h" else ot
    owed = jp_premiums_owed(base, ot_paid, holiday_h, night_h, rates)
    straight = 1.0 if salaried else 0.0
    if ot_paid > 0:
        # "no_premium_rate": the salaried are paid overtime at the base rate, each hour a first-tier premium short
        short = rates.overtime if salaried and mode == "no_premium_rate" else 0.0
        amount = straight * base * ot_paid + float(owed.overtime) - short * base * ot_paid
        mult = straight + rates.overtime - short
        add_pay_item(
            studio,
            m,
            production_id=prod_id,
            basis="ot_premium",
            units=round(ot_paid, 2),
            unit_rate=yen(base * mult),
            amount=yen(amount),
            **period,
            note=f"fixed overtime allowance ({FIXED_OT_ALLOWANCE_H:.0f} h)" if mode == "fixed_30h" else None,
            paid_date=min(last_day, m_end),
        )
    if holiday_h > 0 and mode != "fixed_30h":
        mult = straight + rates.holiday
        add_pay_item(
            studio,
            m,
            production_id=prod_id,
            basis="holiday_premium",
            units=round(holiday_h, 2),
            unit_rate=yen(base * mult),
            amount=yen(straight * base * holiday_h + float(owed.holiday)),
            **period,
            paid_date=min(last_day, m_end),
        )
    if night_h > 0 and mode != "no_night":
        add_pay_item(
            studio,
            m,
            production_id=prod_id,
            basis="night_premium",
            units=round(night_h, 2),
            unit_rate=yen(base * rates.night),
            amount=yen(float(owed.night)),
            **period,
            paid_date=min(last_day, m_end),
        )
    commute = 8_000 + 1_000 * (m.pid % 13)
    add_pay_item(
        studio,
        m,
        basis="allowance",
        allowance_kind="commuting",
        units=1.0,
        unit_rate=yen(commute),
        amount=yen(commute),
        **period,
        note="commuting allowance",
        paid_date=min(last_day, month.replace(day=25)),
    )
    if m.employment_type == "employee_regular" and m.salary and month.month in (12, 7):
        bonus = yen(m.salary * float(stream.uniform(0.6, 1.2)))
        add_pay_item(
            studio,
            m,
            basis="bonus",
            amount=bonus,
            **period,
            note="summer bonus" if month.month == 7 else "winter bonus",
            paid_date=month.replace(day=10),
        )


def jp_overtime_seconds(days: list[dict[str, Any]], hours: JpHours) -> dict[dt.date, int]:
    """Japanese overtime seconds (daily and weekly, each counted on the day it arises, in the employer's week) of
    every day in ``days`` (one person's, in date order)."""
    week = [py_week_start(d["date"], hours.week_start_default).toordinal() for d in days]
    holiday = [d["seconds"] if d["holiday"] else 0 for d in days]
    overtime = jp_overtime([d["seconds"] for d in days], holiday, week, hours)
    return {d["date"]: int(seconds) for d, seconds in zip(days, overtime.total, strict=True)}
