"""How a refresh reads the work log: the open ends of a refresh of all history, people in chunks, and whether to read
the table in storage order rather than through the (person, date) index."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from data.schema import WorkLog

FAR_PAST = dt.date(1900, 1, 1)
FAR_FUTURE = dt.date(9999, 12, 25)  # leaves room to widen to whole weeks
CHUNK = 500  # people per refresh step: keeps IN lists short on both backends
TABLE_SCAN_MIN_ROWS = 50_000  # below this the index walk costs too little to matter


def who(column: Any, ids: Sequence[int] | None) -> list[ColumnElement[bool]]:
    """The condition keeping ``ids`` (none: everyone), as a list to splat into ``where``."""
    return [] if ids is None else [column.in_(ids)]


def person_in(column: Any, ids: Sequence[int], *, table_scan: bool) -> ColumnElement[bool]:
    """``column IN ids``; with ``table_scan``, in a form no index can answer."""
    # ``person_id + 0`` is the same number but no index can answer it, so SQLite scans the table in storage order.
    return (column + 0 if table_scan else column).in_(ids)


def work_conditions(
    *, ids: Sequence[int] | None, start: dt.date | None, end: dt.date | None, table_scan: bool
) -> list[ColumnElement[bool]]:
    """The work_log rows of ``ids`` (none: everyone) dated ``start``..``end`` (either open)."""
    conditions = [] if ids is None else [person_in(WorkLog.person_id, ids, table_scan=table_scan)]
    if start is not None:
        conditions.append(WorkLog.work_date >= start)
    if end is not None:
        conditions.append(WorkLog.work_date <= end)
    return conditions


def open_ends(day_from: dt.date, day_to: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The refresh range with the far past and far future of a refresh of all history as open ends (None)."""
    return (None if day_from == FAR_PAST else day_from), (None if day_to == FAR_FUTURE else day_to)


def most_of_table(session: Session, *, ids: Sequence[int] | None, day_from: dt.date, day_to: dt.date) -> bool:
    """Whether the rows to re-aggregate are a large share of work_log, on SQLite.

    SQLite's planner has no statistics here and always walks the (person, date) index, fetching each row from
    wherever it lies: right for one person's month, about 2.5× slower than reading the table in order when a large
    import touched most of it (measured at 1 M rows). Counting the rows in range is an index-only query.
    PostgreSQL's planner makes this choice itself."""
    if session.get_bind().dialect.name != "sqlite" or ids is None:
        return False
    wl = WorkLog.__table__
    total = session.scalar(select(func.max(wl.c.id))) or 0
    if total < TABLE_SCAN_MIN_ROWS:
        return False
    start, end = open_ends(day_from, day_to)
    conditions = work_conditions(ids=ids, start=start, end=end, table_scan=False)
    in_range = session.scalar(select(func.count()).select_from(wl).where(*conditions)) or 0
    return in_range * 3 > total


def chunks(ids: Sequence[int] | None) -> Iterable[Sequence[int] | None]:
    """``ids`` in slices of :data:`CHUNK` (None: one pass over everyone)."""
    if ids is None:
        yield None
        return
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]
