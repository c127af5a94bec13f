"""Wages against the law: which pay counts towards the minimum wage, the rate in force on a day, premiums owed.

Pay bases are the vocabulary of :data:`data.schema.PAY_BASES`, which takes the legal classes from here. For the
minimum-wage test MHLW excludes premiums, bonuses and most allowances, and an allowance Endroll cannot classify must
not hide a shortfall, so only the bases in :data:`MINIMUM_WAGE_BASES` count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from data.law.params import ParameterError, value

DAYS_PER_YEAR, DAYS_PER_WEEK, MONTHS_PER_YEAR = 365, 7, 12

# Pay for time: by the hour, the day (日給) or the month (月給).
TIME_BASES = ("hourly", "daily", "monthly_salary")
# Pay for output (出来高払制, LSA Art. 27): its hourly value is the pay divided by the hours worked for it.
PIECE_BASES = ("per_cut", "per_sheet", "per_episode", "per_background", "fixed_fee")
MINIMUM_WAGE_BASES = (*TIME_BASES, *PIECE_BASES)
PREMIUM_BASES = ("ot_premium", "holiday_premium", "night_premium")
# What an allowance (basis ``allowance``) is paid for. Which of them the minimum-wage and premium bases leave out is
# a rule parameter (``minimum_wage_base.excluded_allowances``, ``premium_base.excluded_allowances``); ``job`` is an
# allowance for the work itself (役職手当, 職務手当, 資格手当), which both count. An allowance of no recorded kind is
# left out of both: Endroll cannot tell that it counts, and counting it could hide a shortfall.
ALLOWANCE_KINDS = (
    "commuting",
    "family",
    "housing",
    "living_apart",
    "children_education",
    "perfect_attendance",
    "one_off",
    "job",
)

FloatArray = npt.NDArray[np.float64]


def rate_on(points: Sequence[tuple[dt.date, Decimal]], day: dt.date) -> Decimal | None:
    """The rate of a timeline (``(effective_from, rate)`` in date order) in force on ``day``; None before the first."""
    rate = None
    for since, amount in points:
        if since <= day:
            rate = amount
    return rate


@dataclass(frozen=True)
class JpPremiums:
    """Japan's premium rates (LSA Art. 37): overtime, the higher rate beyond a monthly line, statutory holiday work,
    late-night work. Rates are fractions of the base hourly wage (0.25 = 25 % on top)."""

    overtime: float
    overtime_higher: float
    overtime_higher_over_h: float
    holiday: float
    night: float

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> JpPremiums:
        return cls(
            overtime=float(value(values, "premiums.ot_first_60h_month")),
            overtime_higher=float(value(values, "premiums.ot_over_60h_month")),
            overtime_higher_over_h=float(value(values, "premiums.ot_higher_rate_over_h_month")),
            holiday=float(value(values, "premiums.statutory_holiday")),
            night=float(value(values, "premiums.late_night.rate")),
        )


@dataclass(frozen=True)
class JpPremiumsOwed:
    """Premiums owed for a month (amounts in the base rate's currency)."""

    overtime: FloatArray
    holiday: FloatArray
    night: FloatArray


def jp_premiums_owed(
    base_per_hour: npt.ArrayLike,
    overtime_hours: npt.ArrayLike,
    holiday_hours: npt.ArrayLike,
    night_hours: npt.ArrayLike,
    rates: JpPremiums,
    scheduled_per_hour: npt.ArrayLike = 0.0,
) -> JpPremiumsOwed:
    """The least a month's overtime, statutory-holiday and late-night hours must be paid beyond the base pay already
    paid: the premiums on ``base_per_hour`` (the premium base, LSA Art. 37), and for overtime and holiday hours the
    hour itself at ``scheduled_per_hour`` — the part of the base paid for scheduled time (a salary or day rate), which
    covers the schedule only; pay by the hour or piece already covers every hour worked."""
    base = np.asarray(base_per_hour, dtype=np.float64)
    scheduled = np.asarray(scheduled_per_hour, dtype=np.float64)
    ot = np.asarray(overtime_hours, dtype=np.float64)
    holiday = np.asarray(holiday_hours, dtype=np.float64)
    line = rates.overtime_higher_over_h
    overtime = rates.overtime * base * np.minimum(ot, line) + rates.overtime_higher * base * np.clip(ot - line, 0, None)
    return JpPremiumsOwed(
        overtime=overtime + scheduled * ot,
        holiday=rates.holiday * base * holiday + scheduled * holiday,
        night=rates.night * base * np.asarray(night_hours, dtype=np.float64),
    )


@dataclass(frozen=True)
class WageBases:
    """Which allowances the minimum-wage base (最低賃金法 Art. 4(3), its ordinance Art. 1) and the premium base (LSA
    Art. 37(5), its ordinance Art. 21) leave out, by :data:`ALLOWANCE_KINDS`; the statutory week and day, which bound
    a schedule the records do not give (an employer cannot schedule more than the statutory hours)."""

    mw_excluded: frozenset[str]
    premium_excluded: frozenset[str]
    weekly_limit_h: float
    daily_limit_h: float

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> WageBases:
        def kinds(key: str) -> frozenset[str]:
            found = frozenset(str(k) for k in value(values, key))
            unknown = found - set(ALLOWANCE_KINDS)
            if unknown:
                raise ParameterError("{key} names unknown allowance kinds: {kinds}", key=key, kinds=sorted(unknown))
            return found

        return cls(
            mw_excluded=kinds("minimum_wage_base.excluded_allowances"),
            premium_excluded=kinds("premium_base.excluded_allowances"),
            weekly_limit_h=float(value(values, "hours.weekly_limit_h")),
            daily_limit_h=float(value(values, "hours.daily_limit_h")),
        )

    @property
    def statutory_month_h(self) -> float:
        """The most hours a month's schedule can average under the statutory week: weekly limit × 365 ÷ 7 ÷ 12
        (40 h → 173.8 h)."""
        return self.weekly_limit_h * DAYS_PER_YEAR / DAYS_PER_WEEK / MONTHS_PER_YEAR

    def counts_for_minimum_wage(self, kind: str | None) -> bool:
        """Whether an allowance of ``kind`` counts towards the minimum-wage base (no recorded kind: it does not)."""
        return kind is not None and kind not in self.mw_excluded

    def counts_for_premiums(self, kind: str | None) -> bool:
        """Whether an allowance of ``kind`` counts towards the premium base (no recorded kind: it does not)."""
        return kind is not None and kind not in self.premium_excluded


@dataclass(frozen=True)
class MonthPay:
    """One person-month each, in arrays of equal length: ``hours`` worked, ``days_worked``; pay by basis (amounts
    in the month's currency): ``hourly``, ``piece``, ``daily`` with ``daily_days`` (the days it pays; NaN: not
    recorded, the days worked stand in), ``monthly``, and the allowances the minimum-wage and premium bases count
    (``allowances_mw``, ``allowances_premium``); the schedule: ``month_h`` (the contract's scheduled hours a month;
    NaN: not recorded), ``month_share`` (the share of the month the contract covers: a salary paid for part of a
    month is divided by the scheduled hours of that part) and ``day_h`` (a day's; NaN: not recorded)."""

    hours: FloatArray
    days_worked: FloatArray
    hourly: FloatArray
    piece: FloatArray
    daily: FloatArray
    daily_days: FloatArray
    monthly: FloatArray
    allowances_mw: FloatArray
    allowances_premium: FloatArray
    month_h: FloatArray
    month_share: FloatArray
    day_h: FloatArray


@dataclass(frozen=True)
class Bases:
    """Per person-month: ``minimum_wage`` and ``premium`` bases per hour, ``scheduled`` (the premium base's pay for
    scheduled time, which an hour of overtime is owed again, since a salary or day rate covers the schedule only),
    ``assumed`` (True where a schedule was not recorded and the statutory one stood in)."""

    minimum_wage: FloatArray
    premium: FloatArray
    scheduled: FloatArray
    assumed: npt.NDArray[np.bool_]


def wage_bases(pay: MonthPay, *, default_month_h: float, default_day_h: float) -> Bases:
    """The wage per hour a month's pay comes to, basis by basis, summed (mixed pay is the sum of its parts;
    最低賃金法施行規則 Art. 2, 労基則 Art. 19): hourly and piece pay ÷ the hours worked; daily pay ÷ (the days it
    pays × the scheduled hours of a day); monthly pay and the allowances counted ÷ the month's scheduled hours.
    Hours worked beyond the schedule are not in a salary's divisor: they are paid, or owed, as overtime.

    Where a schedule is not recorded, ``default_month_h`` and ``default_day_h`` stand in: the most a lawful schedule
    can hold (the statutory week and day), which gives the lowest rate the pay can come to, and ``assumed`` says
    so."""
    hours = np.asarray(pay.hours, dtype=float)

    def per(amount: npt.ArrayLike, divisor: npt.ArrayLike) -> FloatArray:
        amount, divisor = np.asarray(amount, dtype=float), np.asarray(divisor, dtype=float)
        return np.divide(amount, divisor, out=np.zeros(np.broadcast(amount, divisor).shape), where=divisor > 0)

    month_known, day_known = ~np.isnan(pay.month_h), ~np.isnan(pay.day_h)
    month_h = np.where(month_known, pay.month_h, default_month_h) * np.asarray(pay.month_share, dtype=float)
    day_h = np.where(day_known, pay.day_h, default_day_h)
    days = np.where(np.isnan(pay.daily_days), pay.days_worked, pay.daily_days)
    by_hour = per(np.asarray(pay.hourly) + np.asarray(pay.piece), hours)
    by_day = np.where(np.asarray(pay.daily) != 0, per(pay.daily, days * day_h), 0.0)
    monthly_mw = per(np.asarray(pay.monthly) + np.asarray(pay.allowances_mw), month_h)
    monthly_premium = per(np.asarray(pay.monthly) + np.asarray(pay.allowances_premium), month_h)
    uses_month = (np.asarray(pay.monthly) + np.asarray(pay.allowances_mw) + np.asarray(pay.allowances_premium)) != 0
    assumed = (uses_month & ~month_known) | ((np.asarray(pay.daily) != 0) & ~day_known)
    return Bases(
        minimum_wage=by_hour + by_day + monthly_mw,
        premium=by_hour + by_day + monthly_premium,
        scheduled=by_day + monthly_premium,
        assumed=assumed,
    )
