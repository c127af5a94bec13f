"""Calendar buckets as SQL expressions that mean the same on SQLite and PostgreSQL.

SQLite stores dates as ISO text and has no date arithmetic operators; PostgreSQL has real dates. Every month or week
bucket in a query goes through these helpers so the two backends group identically. The ``py_`` helpers do the same
for one Python date, :func:`week_start_days` for a NumPy array of dates.

Which weekday a week starts on is the employer's (Japan: the work rules, else the rule parameter
``hours.week_start_default``): every week helper takes it, none assumes one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Date, Integer, String, cast, func, literal, type_coerce
from sqlalchemy.sql.elements import ColumnElement

WEEKDAYS = {"SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6}
# 1970-01-01, day 0 of NumPy's datetime64[D], was a Thursday: 4 days after a Sunday.
_EPOCH_AFTER_SUNDAY = 4


def week_start_index(week_start: str) -> int:
    """0 for Sunday … 6 for Saturday; raises ValueError naming the accepted spellings."""
    key = week_start.strip().upper()[:3]
    if key not in WEEKDAYS:
        raise ValueError(f"unknown week start {week_start!r}; use one of {', '.join(WEEKDAYS)}")
    return WEEKDAYS[key]


def month_of(column: Any, dialect: str) -> ColumnElement[dt.date]:
    """The first day of the month of a date column."""
    if dialect == "sqlite":
        return type_coerce(func.date(column, literal("start of month")), Date)
    return cast(func.date_trunc("month", column), Date)


def week_of(column: Any, dialect: str, week_start: str) -> ColumnElement[dt.date]:
    """The first day of the week (starting on ``week_start``) of a date column."""
    start = week_start_index(week_start)
    if dialect == "sqlite":
        back = (cast(func.strftime("%w", column), Integer) - start + 7) % 7
        # CAST groups the arithmetic: in SQLite `||` binds tighter than `%`.
        return type_coerce(func.date(column, literal("-").concat(cast(back, String)).concat(literal(" days"))), Date)
    back = (cast(func.extract("dow", column), Integer) - start + 7) % 7
    return type_coerce(column - back, Date)


def py_month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def py_month_end(day: dt.date) -> dt.date:
    if day.month == 12:
        return day.replace(day=31)
    return day.replace(month=day.month + 1, day=1) - dt.timedelta(days=1)


def py_week_start(day: dt.date, week_start: str) -> dt.date:
    # Python's weekday() counts from Monday = 0; the SQL helpers count from Sunday = 0.
    sunday_based = (day.weekday() + 1) % 7
    return day - dt.timedelta(days=(sunday_based - week_start_index(week_start)) % 7)


def py_week_end(day: dt.date, week_start: str) -> dt.date:
    return py_week_start(day, week_start) + dt.timedelta(days=6)


def week_start_days(days: npt.ArrayLike, week_start: str) -> npt.NDArray[np.int64]:
    """The first day of each day's week (starting on ``week_start``), both as days since 1970-01-01 (the integers
    of ``datetime64[D]``)."""
    day = np.asarray(days, dtype=np.int64)
    sunday_based = (day + _EPOCH_AFTER_SUNDAY) % 7
    return day - (sunday_based - week_start_index(week_start)) % 7


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


DAY_ZERO = dt.date(2000, 1, 1)  # day 0 of day_number


def day_number(column: Any, dialect: str) -> ColumnElement[int]:
    """Whole days since ``DAY_ZERO``: consecutive dates give consecutive numbers (for streaks and rolling windows)."""
    if dialect == "sqlite":
        return cast(func.julianday(column) - 2451544.5, Integer)  # 2000-01-01 is Julian day 2451544.5
    return type_coerce(column - literal(DAY_ZERO, Date), Integer)
