"""The worked days of the people in a scope, read once as compact arrays (:class:`analytics.person_days.PersonDays`)."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Session

from analytics.person_days import PersonDays
from analytics.queries.base import dialect, money, person_filter
from analytics.scope import Scope
from data.periods import day_number
from data.schema import RollupPersonDay

FETCH_ROWS = 100_000  # rows per fetch: a million Python tuples at once would cost more memory than the arrays
SCAN_MIN_ROWS = 50_000  # below this an index walk costs too little to matter


def person_days(session: Session, *, scope: Scope) -> PersonDays:
    """The worked days (seconds > 0) of the people ``scope`` selects, in its period (inclusive; open ends read
    everything): person, day number, seconds, sessions with a short break and the minimum wage in force, sorted by
    person and day."""
    d = RollupPersonDay
    person_key, day_key = d.person_id, d.work_date
    if _table_scan(session, scope):
        # The same values, but no index can answer them: SQLite then reads the table in storage order.
        person_key, day_key = d.person_id + 0, func.coalesce(d.work_date, d.work_date)
    query = select(
        d.person_id,
        day_number(d.work_date, dialect(session)),
        d.seconds,
        d.short_break_sessions,
        money(d.mw_rate),
    ).where(d.seconds > 0, *_conditions(person_key, day_key, scope))
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
    person, day, seconds, short, mw = whole
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
