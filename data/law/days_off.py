"""Statutory days off (法定休日, LSA Art. 35): one day off in every week of the employer's week (Art. 35(1)), or, where
the work rules adopt variable days off (変形休日制), a number in every four-week period counted from a fixed day
(Art. 35(2)). The numbers are rule parameters (``hours.statutory_days_off.*``); the first weekday of the week and the
day the periods are counted from are the employer's (or the contract's), recorded with it.

Days are ``datetime64[D]`` arrays: the days one person worked, sorted, each once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from data.law.params import WEEKDAYS, ParameterError, value

DayArray = npt.NDArray[np.datetime64]
DAYS_PER_WEEK = 7
# 1970-01-01, day 0 of datetime64[D], was a Thursday (Monday = 0).
_EPOCH_WEEKDAY = 3


@dataclass(frozen=True)
class DaysOff:
    """``per_week``: days off every week (Art. 35(1)); ``per_period`` in ``period_days``: under variable days off
    (Art. 35(2))."""

    per_week: int
    per_period: int
    period_days: int

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> DaysOff:
        rules = cls(
            per_week=int(value(values, "hours.statutory_days_off.per_week")),
            per_period=int(value(values, "hours.statutory_days_off.or_per_4_weeks")),
            period_days=int(value(values, "hours.statutory_days_off.window_days")),
        )
        if not 0 < rules.per_week < DAYS_PER_WEEK or not 0 < rules.per_period < rules.period_days:
            raise ParameterError("hours.statutory_days_off asks for more days off than its week or period holds")
        return rules


def week_starts(days: npt.ArrayLike, week_start: str) -> DayArray:
    """The first day of each day's week, weeks starting on ``week_start`` (``MON`` … ``SUN``)."""
    if week_start not in WEEKDAYS:
        raise ParameterError("a week starts on one of {days}, not {given!r}", days=WEEKDAYS, given=week_start)
    day = np.asarray(days, dtype="datetime64[D]")
    back = (day.astype(np.int64) + _EPOCH_WEEKDAY - WEEKDAYS.index(week_start)) % DAYS_PER_WEEK
    return day - back.astype("timedelta64[D]")


def weeks_short_of_days_off(
    worked: npt.ArrayLike, week_start: str, first: np.datetime64, last: np.datetime64, rules: DaysOff
) -> tuple[DayArray, npt.NDArray[np.int64]]:
    """The weeks wholly within ``first``..``last`` (a contract) with fewer than ``per_week`` days off, and the days off
    each had: (first days of those weeks, days off)."""
    day = np.asarray(worked, dtype="datetime64[D]")
    day = day[(day >= first) & (day <= last)]
    weeks, counts = np.unique(week_starts(day, week_start), return_counts=True)
    off = DAYS_PER_WEEK - counts
    whole = (weeks >= first) & (weeks + np.timedelta64(DAYS_PER_WEEK - 1, "D") <= last)
    short = whole & (off < rules.per_week)
    return weeks[short], off[short].astype(np.int64)


def periods_short_of_days_off(
    worked: npt.ArrayLike, anchor: np.datetime64, first: np.datetime64, last: np.datetime64, rules: DaysOff
) -> tuple[DayArray, npt.NDArray[np.int64]]:
    """The periods of ``period_days`` counted from ``anchor`` (variable days off) wholly within ``first``..``last``
    with fewer than ``per_period`` days off: (first days of those periods, days off). A period still running when the
    work recorded ends is judged on it as far as it goes: days not worked count as days off, so it is short only if
    it already is."""
    day = np.asarray(worked, dtype="datetime64[D]")
    length = np.timedelta64(rules.period_days, "D")
    span = rules.period_days
    k_first = -((anchor - first).astype(np.int64) // span)  # the first period starting on or after ``first``
    k_last = (last - anchor).astype(np.int64) // span  # the last period starting on or before ``last``
    starts = anchor + np.arange(k_first, k_last + 1) * length
    starts = starts[starts + length - np.timedelta64(1, "D") <= last]
    if not len(starts):
        return starts, np.empty(0, dtype=np.int64)
    worked_in = np.searchsorted(day, starts + length) - np.searchsorted(day, starts)
    off = span - worked_in
    short = off < rules.per_period
    return starts[short], off[short].astype(np.int64)
