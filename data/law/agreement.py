"""The Article 36 agreement (36協定, LSA Art. 36): how much overtime an agreement allows, and the absolute caps.

Without an agreement no overtime or statutory-holiday work is lawful (Art. 36(1)). With one, overtime may not exceed
the monthly and yearly limits (Art. 36(4); lower ones under 1-year variable working hours), unless the agreement has
a special clause, which allows a higher yearly total and a limited number of months over the monthly limit
(Art. 36(5)). Whatever the agreement, overtime plus statutory-holiday work must stay under a monthly cap and, averaged
over every window of several consecutive months, at or under a second line (Art. 36(6)(ii)–(iii)). All of these are
rule parameters (``ot_agreement_36.*``); the averages are computed here once, for the limits and for the MHLW's
health lines that use the same windows (:mod:`data.law.overwork`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from data.law.params import ParameterError, value

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
# Hours are sums of seconds / 3600: a limit is broken by more than rounding, never by it.
TOLERANCE_H = 1e-9


@dataclass(frozen=True)
class AgreementLimits:
    """The limits of LSA Art. 36, in hours: ``month_h``/``year_h`` (``variable_*`` under 1-year variable working
    hours) without a special clause; ``special_year_h`` and ``special_months_max`` (months over ``month_h`` a year)
    with one; ``absolute_month_h`` (overtime plus holiday work must stay under it), ``average_h`` (every average over
    ``average_windows`` consecutive months must stay at or under it)."""

    month_h: float
    year_h: float
    variable_month_h: float
    variable_year_h: float
    special_year_h: float
    special_months_max: int
    absolute_month_h: float
    average_h: float
    average_windows: tuple[int, ...]

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> AgreementLimits:
        windows = tuple(sorted(int(n) for n in value(values, "ot_agreement_36.absolute.avg_windows_months")))
        if not windows or windows[0] < 1:
            raise ParameterError("ot_agreement_36.absolute.avg_windows_months needs windows of one month or more")
        return cls(
            month_h=float(value(values, "ot_agreement_36.normal.month_h")),
            year_h=float(value(values, "ot_agreement_36.normal.year_h")),
            variable_month_h=float(value(values, "ot_agreement_36.normal_1y_variable_hours.month_h")),
            variable_year_h=float(value(values, "ot_agreement_36.normal_1y_variable_hours.year_h")),
            special_year_h=float(value(values, "ot_agreement_36.special_clause.year_ot_h_max")),
            special_months_max=int(value(values, "ot_agreement_36.special_clause.months_over_normal_max")),
            absolute_month_h=float(value(values, "ot_agreement_36.absolute.month_ot_plus_holiday_lt_h")),
            average_h=float(value(values, "ot_agreement_36.absolute.multi_month_avg_ot_plus_holiday_le_h")),
            average_windows=windows,
        )

    @property
    def windows_label(self) -> str:
        """The averaging windows as the statute reads them: ``2–6``."""
        return span_label(self.average_windows)

    def month_limit(self, variable_hours: npt.ArrayLike) -> FloatArray:
        """The monthly overtime limit without a special clause, per agreement (True: 1-year variable hours)."""
        return np.where(np.asarray(variable_hours, dtype=bool), self.variable_month_h, self.month_h)

    def year_limit(self, variable_hours: npt.ArrayLike) -> FloatArray:
        """The yearly overtime limit without a special clause, per agreement (True: 1-year variable hours)."""
        return np.where(np.asarray(variable_hours, dtype=bool), self.variable_year_h, self.year_h)


def span_label(windows: tuple[int, ...]) -> str:
    """Sorted window lengths as a span: ``(2, 3, 4, 5, 6)`` → ``2–6``."""
    return f"{windows[0]}–{windows[-1]}" if windows[0] != windows[-1] else f"{windows[0]}"


def exceeds(hours: npt.ArrayLike, line: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """True where ``hours`` is more than ``line`` ("may not exceed")."""
    return np.asarray(hours, dtype=float) > np.asarray(line, dtype=float) + TOLERANCE_H


def reaches(hours: npt.ArrayLike, line: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """True where ``hours`` is at or over ``line`` ("must stay under"; "at or over the line")."""
    return np.asarray(hours, dtype=float) >= np.asarray(line, dtype=float) - TOLERANCE_H


def agreement_year(months: npt.ArrayLike, valid_from: npt.ArrayLike) -> IntArray:
    """Which year of its agreement each month falls in (0 for the first twelve months from ``valid_from``'s month)."""
    month = np.asarray(months, dtype="datetime64[M]").astype(np.int64)
    since = np.asarray(valid_from, dtype="datetime64[M]").astype(np.int64)
    return (month - since) // 12


def best_window_averages(
    hours: npt.ArrayLike, first: npt.ArrayLike, windows: Iterable[int]
) -> tuple[FloatArray, IntArray]:
    """For a grid of consecutive months (one row per person, 0 h where nothing was worked) and each person's first
    month in it (``first``, a column index), the highest average over the ``windows`` of n consecutive months ending
    at each month, and the shortest n reaching it (0 where no window is formed: windows do not reach before a
    person's first month)."""
    values = np.asarray(hours, dtype=float)
    start = np.asarray(first, dtype=np.int64)
    # Running sums make every window mean one subtraction: sum(j-n+1..j) = cs[j+1] - cs[j+1-n].
    cs = np.concatenate([np.zeros((values.shape[0], 1)), values.cumsum(axis=1)], axis=1)
    column = np.arange(values.shape[1])
    best = np.full(values.shape, np.nan)
    best_n = np.zeros(values.shape, dtype=np.int64)
    for n in sorted(windows):
        avg = np.full(values.shape, np.nan)
        if n <= values.shape[1]:
            avg[:, n - 1 :] = (cs[:, n:] - cs[:, : cs.shape[1] - n]) / n
        avg = np.where(column[None, :] - n + 1 >= start[:, None], avg, np.nan)
        better = avg > np.nan_to_num(best, nan=-np.inf)
        best = np.where(better, avg, best)
        best_n = np.where(better, n, best_n)
    return best, best_n
