"""Overtime: Japan's daily and weekly overtime in the employer's week, California's per workweek.

Japan (LSA Art. 32, 37): each day, non-holiday seconds beyond the daily limit are daily overtime; the rest are
"straight" seconds, and weekly overtime arises on the day the week's running total of straight seconds passes the
weekly limit (so no second counts twice). Statutory-holiday seconds are kept apart: they are holiday work, not
overtime. California (Labor Code §510): per day hours beyond the first daily line at 1.5×, beyond the second at 2×;
on the seventh consecutive day of a workweek the first hours at 1.5× and the rest at 2×; then straight-time hours
beyond the weekly line at 1.5× (weekly overtime only re-prices straight time: no pyramiding).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from data.law.params import CaOvertime, JpHours

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class JpOvertime:
    """Per day: ``daily`` and ``weekly`` overtime seconds (weekly: what arose that day)."""

    daily: IntArray
    weekly: IntArray

    @property
    def total(self) -> IntArray:
        return self.daily + self.weekly


def jp_overtime(
    seconds: npt.ArrayLike, holiday_seconds: npt.ArrayLike, week: npt.ArrayLike, hours: JpHours
) -> JpOvertime:
    """Japanese overtime, in seconds, for days in order: ``seconds`` worked each day, of which ``holiday_seconds`` on
    a statutory day off, and ``week`` a key equal for the days of one person's week (in the employer's week) and
    different between weeks. Days must be sorted by week, then date."""
    total = np.asarray(seconds, dtype=np.int64)
    regular = total - np.asarray(holiday_seconds, dtype=np.int64)
    daily = np.clip(regular - hours.daily_limit_seconds, 0, None)
    straight = regular - daily
    running = _running_sum_by_group(straight, np.asarray(week))
    limit = hours.weekly_limit_seconds
    weekly = np.clip(running - limit, 0, None) - np.clip(running - straight - limit, 0, None)
    return JpOvertime(daily=daily, weekly=weekly)


def _running_sum_by_group(values: IntArray, group: npt.NDArray) -> IntArray:
    if len(values) == 0:
        return values.copy()
    running = np.cumsum(values)
    new_group = np.empty(len(group), dtype=bool)
    new_group[0] = True
    new_group[1:] = group[1:] != group[:-1]
    starts = np.flatnonzero(new_group)
    before = np.concatenate(([0], running[starts[1:] - 1])) if len(starts) > 1 else np.zeros(1, dtype=np.int64)
    return running - np.repeat(before, np.diff(np.append(starts, len(values))))


@dataclass(frozen=True)
class CaWeek:
    """One Californian workweek: hours at straight time, at 1.5× and at 2×; ``seventh_day`` when all seven days were
    worked (so the seventh-day rule applied to the last)."""

    hours: float
    straight: float
    time_and_half: float
    double: float
    seventh_day: bool


def ca_week(day_hours: Sequence[float], rules: CaOvertime) -> CaWeek:
    """California overtime of one workweek, ``day_hours`` being the hours of each day worked, in order."""
    seventh_day = len(day_hours) == 7
    straight = ot15 = ot2 = 0.0
    line1, line2 = rules.daily_time_and_half_over_h, rules.daily_double_over_h
    for i, hours in enumerate(day_hours):
        if seventh_day and i == 6:
            ot15 += min(hours, rules.seventh_day_first_h)
            ot2 += max(hours - rules.seventh_day_first_h, 0.0)
            continue
        straight += min(hours, line1)
        ot15 += min(max(hours - line1, 0.0), line2 - line1)
        ot2 += max(hours - line2, 0.0)
    weekly = max(straight - rules.weekly_over_h, 0.0)
    return CaWeek(float(sum(day_hours)), straight - weekly, ot15 + weekly, ot2, seventh_day)
