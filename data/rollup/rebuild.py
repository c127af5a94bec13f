"""The refresh: which people, days and months to recompute, and in which order the rollups are rebuilt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from data.law.params import JpHours
from data.periods import py_month_end, py_month_start, py_week_end, py_week_start
from data.rollup import reading
from data.rollup.bases import refresh_wage_bases
from data.rollup.cuts import productions_of, refresh_cut_months
from data.rollup.days import hours, refresh_days
from data.rollup.groups import refresh_group_months
from data.rollup.months import refresh_main_groups, refresh_person_months, refresh_weeks, refresh_work_months
from data.rollup.pay import refresh_pay_cells, refresh_pay_months
from data.rollup.reading import FAR_FUTURE, FAR_PAST
from data.rollup.workplace import refresh_shortfall
from data.snapshots import name_stale_people


def _refresh_people(
    session: Session, *, ids: Sequence[int] | None, day_from: dt.date, day_to: dt.date, rules: JpHours
) -> None:
    """Every per-person rollup of ``ids`` (None: everyone) from ``day_from`` to ``day_to`` (whole weeks)."""
    month_from, month_to = py_month_start(day_from), py_month_end(day_to)
    scan = reading.most_of_table(session, ids=ids, day_from=day_from, day_to=day_to)
    days = refresh_days(session, ids=ids, day_from=day_from, day_to=day_to, rules=rules, table_scan=scan)
    refresh_weeks(session, days, ids=ids, day_from=day_from, day_to=day_to, week_start=rules.week_start_default)
    refresh_work_months(session, ids=ids, month_from=month_from, month_to=month_to, table_scan=scan)
    refresh_pay_months(session, ids=ids, month_from=month_from, month_to=month_to)
    refresh_person_months(session, ids=ids, month_from=month_from, month_to=month_to)
    refresh_wage_bases(session, ids=ids, month_from=month_from, month_to=month_to)
    refresh_shortfall(session, ids=ids, month_from=month_from, month_to=month_to)
    refresh_main_groups(session, ids=ids, month_from=month_from, month_to=month_to)


def refresh(
    session: Session,
    *,
    person_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> None:
    """Recompute the rollup rows for ``person_ids`` (all when None) between ``start`` and ``end`` (inclusive).

    The range is widened to whole months and then to whole weeks (from the rule parameter
    ``hours.week_start_default``), so weekly overtime and monthly totals stay exact. Call it in the same transaction
    as the writes it reflects; it flushes the session first, and names the people for the next findings snapshot.
    """
    session.flush()
    ids = None if person_ids is None else sorted({int(p) for p in person_ids})
    if ids is not None and not ids:
        return
    if start and end and start > end:
        raise ValueError(f"refresh: start {start} is after end {end}")
    rules = hours(session)
    week = rules.week_start_default
    day_from = py_week_start(py_month_start(start), week) if start else FAR_PAST
    day_to = py_week_end(py_month_end(end), week) if end else FAR_FUTURE
    month_from, month_to = py_month_start(day_from), py_month_end(day_to)
    # Cut rows have no person: the productions those people worked on, before the edit and after it, are redone.
    productions = productions_of(session, ids=ids, month_from=month_from, month_to=month_to)
    for chunk in reading.chunks(ids):
        _refresh_people(session, ids=chunk, day_from=day_from, day_to=day_to, rules=rules)
    if ids is not None:
        productions |= productions_of(session, ids=ids, month_from=month_from, month_to=month_to)
    refresh_cut_months(session, productions=None if ids is None else productions, month_from=month_from,
                       month_to=month_to)  # fmt: skip
    # Person-free cells mix everyone's pay and work: rebuilt once for the months touched, after every person (and
    # every cut) is current.
    refresh_pay_cells(session, month_from=month_from, month_to=month_to)
    refresh_group_months(session, month_from=month_from, month_to=month_to)
    # Whose compliance findings may have changed (NULL: everyone's), for the next findings snapshot.
    name_stale_people(session, ids)
