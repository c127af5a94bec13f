"""California pay rules besides the overtime hours (those are :func:`data.law.overtime.ca_week`): the premium the
overtime hours are owed, and the salary an exempt employee must be paid.

Labor Code §510 pays overtime hours at a multiple of the regular rate; base pay already covers each hour once, so
the premium owed on top is the multiple less one. §515 exempts salaried employees only above a salary floor (twice
the state minimum wage for full-time hours), set per year. Both are rule parameters (``overtime.*``,
``exempt_salary_floor.annual``, a dated row per year).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from data.errors import N_
from data.law.params import ParameterError, value

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class CaPremiums:
    """The overtime multiples of the regular rate: ``time_and_half`` (the first daily line, the weekly line and the
    seventh day's first hours) and ``double`` (the second daily line and the rest of the seventh day)."""

    time_and_half: float
    double: float

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> CaPremiums:
        # The daily lines' multiples, lowest first; ca_week sums the weekly and seventh-day hours into the same two
        # columns as the daily ones, so their multiples must be the same two.
        low, high = sorted(float(line["rate"]) for line in value(values, "overtime.daily"))
        weekly = {float(line["rate"]) for line in value(values, "overtime.weekly")}
        seventh = (
            float(value(values, "overtime.seventh_consecutive_day.rate")),
            float(value(values, "overtime.seventh_consecutive_day.after_rate")),
        )
        if weekly != {low} or seventh != (low, high):
            raise ParameterError(N_("the weekly and seventh-day overtime rates must equal the two daily rates"))
        return cls(time_and_half=low, double=high)

    def owed(self, regular_rate: npt.ArrayLike, time_and_half_h: npt.ArrayLike, double_h: npt.ArrayLike) -> FloatArray:
        """The overtime premium owed on top of base pay that already covered each hour once."""
        rate = np.asarray(regular_rate, dtype=float)
        return (self.time_and_half - 1) * rate * np.asarray(time_and_half_h, dtype=float) + (
            self.double - 1
        ) * rate * np.asarray(double_h, dtype=float)


EXEMPT_FLOOR_KEY = "exempt_salary_floor.annual"


@dataclass(frozen=True)
class CaExemptSalary:
    """The annual salary floor of an exempt employee, by the year it took effect (the floor follows the state
    minimum wage, which changes on 1 January)."""

    floors: tuple[tuple[int, float], ...]

    @classmethod
    def from_timelines(cls, timelines: Mapping[str, Sequence[tuple[dt.date, Any]]]) -> CaExemptSalary:
        """From the dated rows of ``exempt_salary_floor.annual`` (:func:`data.reference.rule_timelines`)."""
        rows = value(timelines, EXEMPT_FLOOR_KEY)
        return cls(floors=tuple(sorted((since.year, float(annual)) for since, annual in rows)))

    def floor_for(self, year: int) -> float | None:
        """The floor in force in ``year`` (the latest set for it or before); None before the first."""
        known = [annual for since, annual in self.floors if since <= year]
        return known[-1] if known else None
