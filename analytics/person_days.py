"""The days people worked, read once as arrays, for the tests that run along each person's calendar.

Consecutive working days, days off in every rolling 4-week window and the minimum wage in force on each day are
day-level questions over millions of person-days. SQLite answers them with window functions that sort every row into
a temporary B-tree (6–10 s each at 4.5 M person-days); reading the same rows once as five numeric columns takes about
4 s (:func:`analytics.queries.person_days.person_days`), and the runs, windows and segments are then a few array
operations each. PostgreSQL gets the same arrays, so both backends compute the same thing in the same code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.periods import DAY_ZERO

EPOCH = np.datetime64(DAY_ZERO, "D")  # day 0 of data.periods.day_number


@dataclass(frozen=True)
class PersonDays:
    """Every worked day (seconds > 0) in a period, sorted by person then day: parallel arrays of equal length.

    ``day`` counts days since 2000-01-01 (int32, as are ``seconds`` and ``short_break_sessions``); ``mw_per_hour`` is
    NaN where no minimum wage applied.
    """

    person_id: np.ndarray
    day: np.ndarray
    seconds: np.ndarray
    short_break_sessions: np.ndarray
    mw_per_hour: np.ndarray

    @classmethod
    def empty(cls) -> PersonDays:
        """No worked days."""
        ints = np.empty(0, dtype=np.int32)
        return cls(np.empty(0, dtype=np.int64), ints, ints, ints, np.empty(0, dtype=np.float64))

    def __len__(self) -> int:
        return len(self.day)

    def select(self, mask: np.ndarray) -> PersonDays:
        return PersonDays(*(a[mask] for a in vars(self).values()))


def as_datetime(day: np.ndarray) -> np.ndarray:
    """Day numbers as ``datetime64[ns]`` (what the analytics frames use for dates)."""
    return (EPOCH + day.astype("timedelta64[D]")).astype("datetime64[ns]")


def day_of(value: dt.date) -> int:
    return int((np.datetime64(value, "D") - EPOCH).astype(int))


def month_start_day(day: np.ndarray) -> np.ndarray:
    """The day number of the first of each day's month."""
    months = (EPOCH + day.astype("timedelta64[D]")).astype("datetime64[M]")
    return (months.astype("datetime64[D]") - EPOCH).astype(np.int64)


def runs(days: PersonDays, *, min_days: int = 1) -> pd.DataFrame:
    """Runs of consecutive working days per person.

    Columns: ``person_id``, ``first_date``, ``last_date`` (datetime64), ``days`` — runs of at least ``min_days``,
    longest first per person, then earliest first.
    """
    columns = ["person_id", "first_date", "last_date", "days"]
    if not len(days):
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if "date" in c else "int64") for c in columns})
    new = np.ones(len(days), dtype=bool)
    new[1:] = (days.person_id[1:] != days.person_id[:-1]) | (days.day[1:] != days.day[:-1] + 1)
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], len(days)) - 1
    length = ends - starts + 1
    keep = length >= min_days
    starts, ends, length = starts[keep], ends[keep], length[keep]
    out = pd.DataFrame(
        {
            "person_id": days.person_id[starts],
            "first_date": as_datetime(days.day[starts]),
            "last_date": as_datetime(days.day[ends]),
            "days": length,
        }
    )
    return out.sort_values(["person_id", "days", "first_date"], ascending=[True, False, True], ignore_index=True)


def crowded_windows(
    days: PersonDays, *, window_days: int, min_days_off: int, judged_from: dt.date | None = None
) -> pd.DataFrame:
    """Windows of ``window_days`` consecutive days, ending on a working day, with fewer than ``min_days_off`` off.

    Only the days in ``days`` count as worked, so a window reaching before the first day read is judged on partial
    data: ``judged_from`` (the first day read) skips those windows. Columns: ``person_id``, ``window_end``
    (datetime64), ``days_worked``, ``days_off``; sorted by person and window end.
    """
    # One sortable key per person-day: the windows of different people can then never meet.
    span = int(days.day.max() - days.day.min()) + window_days + 1 if len(days) else 1
    key = days.person_id.astype(np.int64) * span + (days.day - (days.day.min() if len(days) else 0))
    first_in_window = np.searchsorted(key, key - (window_days - 1), side="left")
    worked = np.arange(len(days)) - first_in_window + 1
    failing = worked > window_days - min_days_off
    if judged_from is not None:
        failing &= days.day >= day_of(judged_from) + window_days - 1
    return pd.DataFrame(
        {
            "person_id": days.person_id[failing],
            "window_end": as_datetime(days.day[failing]),
            "days_worked": worked[failing],
            "days_off": window_days - worked[failing],
        }
    )
