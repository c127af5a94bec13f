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

from data.law.params import value

# Pay for output (出来高払制, LSA Art. 27): its hourly value is the pay divided by the hours worked for it.
PIECE_BASES = ("per_cut", "per_sheet", "per_episode", "per_background", "fixed_fee")
MINIMUM_WAGE_BASES = ("hourly", "monthly_salary", *PIECE_BASES)
PREMIUM_BASES = ("ot_premium", "holiday_premium", "night_premium")

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
