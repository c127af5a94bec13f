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
) -> JpPremiumsOwed:
    """The least premiums the law requires for a month's overtime, statutory-holiday and late-night hours."""
    base = np.asarray(base_per_hour, dtype=np.float64)
    ot = np.asarray(overtime_hours, dtype=np.float64)
    line = rates.overtime_higher_over_h
    overtime = rates.overtime * base * np.minimum(ot, line) + rates.overtime_higher * base * np.clip(ot - line, 0, None)
    return JpPremiumsOwed(
        overtime=overtime,
        holiday=rates.holiday * base * np.asarray(holiday_hours, dtype=np.float64),
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
