"""The days people worked, read once as arrays, for the tests that run along each person's calendar.

Consecutive working days, days off in every rolling 4-week window and the minimum wage in force on each day are
day-level questions over millions of person-days. SQLite answers them with window functions that sort every row into
a temporary B-tree (6–10 s each at 4.5 M person-days); reading the same rows once as five numeric columns takes about
4 s, and the runs, windows and segments are then a few array operations each. PostgreSQL gets the same arrays, so both backends
compute the same thing in the same code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Session

from analytics.queries.base import dialect, money, selected_people
from analytics.scope import Scope
from data.periods import day_number
from data.schema import RollupPersonDay

EPOCH = np.datetime64("2000-01-01", "D")  # day 0 of data.periods.day_number
FETCH_ROWS = 100_000  # rows per fetch: a million Python tuples at once would cost more memory than the arrays
SCAN_MIN_ROWS = 50_000  # below this an index walk costs too little to matter


@dataclass(frozen=True)
class PersonDays:
    """Every worked day (minutes > 0) in a period, sorted by person then day: parallel arrays of equal length.

    ``day`` counts days since 2000-01-01 (int32, as are ``minutes`` and ``short_break_sessions``); ``mw_per_hour`` is
    NaN where no minimum wage applied.
    """

    person_id: np.ndarray
    day: np.ndarray
    minutes: np.ndarray
    short_break_sessions: np.ndarray
    mw_per_hour: np.ndarray

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


def person_days(session: Session, *, scope: Scope) -> PersonDays:
    """Read the worked days of the people in scope (everyone when it selects no one) in its period (inclusive)."""
    d = RollupPersonDay
    ids, start, end = selected_people(session, scope), scope.start, scope.end
    person_key, day_key = d.person_id, d.work_date
    if _table_scan(session, ids, start, end):
        # The same values, but no index can answer them: SQLite then reads the table in storage order.
        person_key, day_key = d.person_id + 0, func.coalesce(d.work_date, d.work_date)
    query = select(
        d.person_id,
        day_number(d.work_date, dialect(session)),
        d.minutes,
        d.short_break_sessions,
        money(d.mw_rate),
    ).where(d.minutes > 0)
    if ids is not None:
        query = query.where(person_key.in_(ids))
    if start is not None:
        query = query.where(day_key >= start)
    if end is not None:
        query = query.where(day_key <= end)
    result = session.connection().execute(query)
    # Compact columns, filled chunk by chunk: at millions of days, a float64 table plus its sorted copy would cost
    # twice the memory of the arrays kept.
    dtypes = (np.int64, np.int32, np.int32, np.int32, np.float64)
    columns: list[list[np.ndarray]] = [[] for _ in dtypes]
    # The driver's rows: every column is a number (or NULL), so SQLAlchemy's per-value processing would add nothing.
    while chunk := result.cursor.fetchmany(FETCH_ROWS):
        table = np.array(chunk, dtype=np.float64)  # None (no minimum wage) becomes NaN
        for i, dtype in enumerate(dtypes):
            columns[i].append(table[:, i].astype(dtype))
    result.close()
    whole = []
    for parts, dtype in zip(columns, dtypes, strict=True):  # one column's chunks at a time, freed once joined
        whole.append(np.concatenate(parts) if parts else np.empty(0, dtype=dtype))
        parts.clear()
    order = np.lexsort((whole[1], whole[0]))
    for i, column in enumerate(whole):  # sorted one column at a time, so only one extra copy is ever alive
        whole[i] = column[order]
        del column
    person, day, minutes, short, mw = whole
    return PersonDays(person_id=person, day=day, minutes=minutes, short_break_sessions=short, mw_per_hour=mw)


def _table_scan(session: Session, ids: list[int] | None, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether reading the whole table beats walking an index, on SQLite.

    SQLite has no statistics here and takes the (date) or (person, date) index whenever the query names a range,
    fetching each row from wherever it lies: about 3 µs a row at 4.5 M person-days, against about 0.25 µs per table
    row for a scan in storage order (one quarter of 2.5 years: 3.3 s by the index, 1.2 s by the scan). So the index
    only wins below about a twentieth of the table; counting the rows in range first is an index-only query.
    PostgreSQL's planner makes this choice itself."""
    if session.get_bind().dialect.name != "sqlite" or (ids is None and start is None and end is None):
        return False
    d = RollupPersonDay.__table__
    # The largest rowid: instant, and at least the row count (rows deleted at refresh only make it larger).
    total = session.scalar(select(func.max(literal_column("rowid"))).select_from(d))
    if not total or total < SCAN_MIN_ROWS:
        return False
    conditions = []
    if ids is not None:
        conditions.append(d.c.person_id.in_(ids))
    if start is not None:
        conditions.append(d.c.work_date >= start)
    if end is not None:
        conditions.append(d.c.work_date <= end)
    in_range = session.scalar(select(func.count()).select_from(d).where(*conditions)) or 0
    return in_range * 20 > total


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
    days: PersonDays, *, window_days: int = 28, min_days_off: int = 4, judged_from: dt.date | None = None
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
