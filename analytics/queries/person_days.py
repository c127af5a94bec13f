"""The worked days of the people in a scope, read once as compact arrays (:class:`analytics.person_days.PersonDays`)."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Session

from analytics.person_days import PersonDays
from analytics.queries.base import DAY_OFFSET, money, packed, packed_day, person_filter, unpacked
from analytics.scope import Scope
from data.schema import RollupPersonDay

SCAN_MIN_ROWS = 50_000  # below this an index walk costs too little to matter
_ROW = np.dtype([("key", np.int64), ("work", np.int64), ("mw", np.float64)])


def person_days(session: Session, *, scope: Scope) -> PersonDays:
    """The worked days (seconds > 0) of the people ``scope`` selects, in its period (inclusive; open ends read
    everything): person, day number, seconds, sessions with a short break and the minimum wage in force, sorted by
    person and day."""
    d = RollupPersonDay
    person_key, day_key = d.person_id, d.work_date
    if _table_scan(session, scope):
        # The same values, but no index can answer them: SQLite then reads the table in storage order.
        person_key, day_key = d.person_id + 0, func.coalesce(d.work_date, d.work_date)
    # Each day comes as two exact integers and a float, unpacked in numpy: the driver builds one Python object per
    # value and a tuple per row, which was most of the read (4.5 M days: 5 values a row cost a third more than 3).
    # The person (ids < 2^31) above the day number (offset positive, < 2^32); the seconds above the sessions with
    # a short break (a count < 2^32); the minimum wage, NULL as -1 (every rate on record is positive).
    key = packed(person_key, packed_day(session, d.work_date))
    work = packed(d.seconds, d.short_break_sessions)
    query = select(key, work, func.coalesce(money(d.mw_rate), -1.0)).where(
        d.seconds > 0, *_conditions(person_key, day_key, scope)
    )
    result = session.connection().execute(query)
    # The driver's rows, every column a number (SQLAlchemy's per-value processing would add nothing), taken by
    # NumPy one at a time as the cursor yields them: no list of a hundred thousand tuples stands at any time.
    table = np.fromiter(result.cursor, dtype=_ROW)
    result.close()
    key = table["key"]
    if len(key) > 1 and not (key[1:] > key[:-1]).all():  # a table scan reads in storage order
        table = table[np.argsort(key, kind="stable")]
        key = table["key"]
    work, mw = table["work"], table["mw"]
    person, day = unpacked(key)
    day = (day - DAY_OFFSET).astype(np.int32)
    seconds, short = (part.astype(np.int32) for part in unpacked(work))
    mw = np.where(mw < 0, np.nan, mw)
    return PersonDays(person_id=person, day=day, seconds=seconds, short_break_sessions=short, mw_per_hour=mw)


def _conditions(person: Any, day: Any, scope: Scope) -> list[Any]:
    conditions = person_filter(person, scope)
    if scope.start is not None:
        conditions.append(day >= scope.start)
    if scope.end is not None:
        conditions.append(day <= scope.end)
    return conditions


def _table_scan(session: Session, scope: Scope) -> bool:
    """Whether reading the whole table beats walking an index, on SQLite.

    SQLite has no statistics here and takes the (date) or (person, date) index whenever the query names a range,
    fetching each row from wherever it lies: about 3 µs a row at 4.5 M person-days, against about 0.25 µs per table
    row for a scan in storage order (one quarter of 2.5 years: 3.3 s by the index, 1.2 s by the scan). So the index
    only wins below about a twentieth of the table; counting the rows in range first is an index-only query.
    PostgreSQL's planner makes this choice itself."""
    conditions = _conditions(RollupPersonDay.__table__.c.person_id, RollupPersonDay.__table__.c.work_date, scope)
    if session.get_bind().dialect.name != "sqlite" or not conditions:
        return False
    d = RollupPersonDay.__table__
    # The largest rowid: instant, and at least the row count (rows deleted at refresh only make it larger).
    total = session.scalar(select(func.max(literal_column("rowid"))).select_from(d))
    if not total or total < SCAN_MIN_ROWS:
        return False
    in_range = session.scalar(select(func.count()).select_from(d).where(*conditions)) or 0
    return in_range * 20 > total
