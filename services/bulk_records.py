"""Several corrections of hours and pay at once (the People and records page's editable table): every row checked
as :mod:`services.work_records` checks one entry (the importers' own parsers and words, locked pay periods, a day
held to 24 hours counting the other rows of the same edit), then all of them written in one transaction, or none.

:func:`preview_bulk` makes the same writes inside a savepoint and rolls them back, so the review step shows the
person-months' totals exactly as the rollups will hold them after :func:`apply_bulk`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data import audit, rollup
from data.errors import EndrollError
from data.i18n import N_
from data.identity import Identity
from data.importers.daychecks import over_a_day
from data.law.params import SECONDS_PER_DAY
from data.periods import py_month_start
from data.schema import Cut, Episode, PayItem, Production, Role, WorkLog
from services.errors import ValidationError
from services.people import get_person
from services.work_records import (
    EntryRefused,
    MonthTotals,
    _check_unlocked,
    _jsonable,
    _manager,
    _pay_item,
    _pay_item_record,
    _work_log,
    _work_log_record,
    month_totals,
    refused,
)

ENTITIES = ("work_log", "pay_item")


@dataclass(frozen=True)
class BulkChange:
    """One edited row: the entry (``entity`` work_log or pay_item, ``entry_id``), its new ``cells`` (the import's
    columns as text, as :func:`services.work_records.correct_work_log` takes them) and the ``row`` it is on in the
    table the manager edited (1-based), so a refusal can point at it."""

    entity: str
    entry_id: int
    cells: Mapping[str, Any]
    row: int


@dataclass(frozen=True)
class RowProblem:
    """Why one edited row cannot be saved: its ``row``, the ``column`` the importer names (None: the whole row), the
    ``value`` given there, and the ``error`` with the importer's words."""

    row: int
    column: str | None
    value: str | None
    error: EndrollError


class BulkRefused(ValidationError):
    """At least one edited row cannot be saved, so none is: ``problems`` says which, where and why."""

    problems: tuple[RowProblem, ...] = ()


@dataclass(frozen=True)
class RowChange:
    """What one row changes: ``old`` and ``new`` of each column that differs (stored values)."""

    row: int
    entity: str
    entry_id: int
    old: dict[str, Any]
    new: dict[str, Any]


@dataclass(frozen=True)
class BulkResult:
    """What an edit does: the rows that change (rows equal to what is stored are left out) and the person-months
    they touch, each as (before, after) :class:`services.work_records.MonthTotals`."""

    rows: tuple[RowChange, ...]
    months: tuple[tuple[MonthTotals, MonthTotals], ...] = field(default=())


def _problem(change: BulkChange, error: EndrollError) -> RowProblem:
    column = getattr(error, "column", None)
    value = change.cells.get(column) if column else None
    return RowProblem(change.row, column, None if value is None else str(value), error)


def _planned(session: Session, change: BulkChange) -> tuple[Any, dict[str, Any], tuple[dt.date, dt.date]]:
    """The stored entry, the record its new cells make, and the period it leaves (its old one)."""
    if change.entity == "work_log":
        entry = _work_log(session, change.entry_id)
        rec = _work_log_record(session, get_person(session, entry.person_id), change.cells)
        old, new = (entry.work_date, entry.work_date), (rec["work_date"], rec["work_date"])
    elif change.entity == "pay_item":
        entry = _pay_item(session, change.entry_id)
        rec = _pay_item_record(session, get_person(session, entry.person_id), change.cells)
        old, new = (entry.period_start, entry.period_end), (rec["period_start"], rec["period_end"])
    else:
        raise ValidationError(N_("{entity} is not an entry of hours or pay"), entity=change.entity)
    _check_unlocked(session, change.entity, entry.person_id, old, new)
    return entry, rec, old


def _day_problems(session: Session, plans: list[tuple[BulkChange, Any, dict[str, Any], Any]]) -> list[RowProblem]:
    # A day's total counts the edited rows at their new values and every other entry of that day as stored.
    edited = [(c, rec) for c, _, rec, _ in plans if c.entity == "work_log"]
    ids = [c.entry_id for c, _ in edited]
    landing: dict[tuple[int, dt.date], list[tuple[BulkChange, dict[str, Any]]]] = defaultdict(list)
    for c, rec in edited:
        landing[(rec["person_id"], rec["work_date"])].append((c, rec))
    problems = []
    for (person_id, day), rows in landing.items():
        stored = session.scalar(
            select(func.coalesce(func.sum(WorkLog.seconds), 0)).where(
                WorkLog.person_id == person_id, WorkLog.work_date == day, WorkLog.id.not_in(ids)
            )
        )
        total = int(stored or 0) + sum(rec["seconds"] for _, rec in rows)
        if total > SECONDS_PER_DAY:
            problems += [_problem(c, refused(over_a_day(day, total))) for c, _ in rows]
    return problems


def apply_bulk(session: Session, actor: Identity | None, *, changes: Sequence[BulkChange]) -> BulkResult:
    """Correct every entry of ``changes`` in this transaction, or none: :class:`BulkRefused` lists each row that
    cannot be saved (row, column, value and the importer's reason). Each changed entry gets an audit event with the
    old and new values of the columns that changed; the rollups of every person-month touched are refreshed.
    Returns the rows that changed and the months before and after."""
    actor = _manager(actor)
    plans, problems = [], []
    for change in changes:
        try:
            entry, rec, old_period = _planned(session, change)
        except EntryRefused as exc:
            problems.append(_problem(change, exc))
            continue
        except EndrollError as exc:  # an entry deleted meanwhile, an unknown kind: the row, not a column
            problems.append(RowProblem(change.row, None, None, exc))
            continue
        plans.append((change, entry, rec, old_period))
    problems += _day_problems(session, plans)
    if problems:
        error = BulkRefused(
            N_("{n} edited rows cannot be saved, so nothing was saved"),
            fix={"page": N_("correct the rows listed below and review again")},
            n=len({p.row for p in problems}),
        )
        error.problems = tuple(sorted(problems, key=lambda p: p.row))
        raise error

    rows = []
    for change, entry, rec, old_period in plans:
        old = {k: getattr(entry, k) for k in rec if getattr(entry, k) != rec[k]}
        if old:
            rows.append((change, entry, old, {k: rec[k] for k in old}, old_period))
    spans: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for _, entry, _, new, old_period in rows:
        new_period = (
            (new.get("work_date", entry.work_date),) * 2
            if isinstance(entry, WorkLog)
            else (new.get("period_start", entry.period_start), new.get("period_end", entry.period_end))
        )
        spans[entry.person_id] += [old_period, new_period]
    # The months a pay item counts in are those of its period_end, a work log's that of its date.
    months = sorted({(p, py_month_start(end)) for p, periods in spans.items() for _, end in periods})
    before = {k: month_totals(session, person_id=k[0], month=k[1]) for k in months}
    for change, entry, old, new, _ in rows:
        for k, v in new.items():
            setattr(entry, k, v)
        entry.content_hash = None  # a later import of its source compares the columns again
        session.flush()
        action = "work_log.correct" if isinstance(entry, WorkLog) else "pay_item.correct"
        audit.record(session, actor=actor.username, action=action, entity_type=change.entity,
                     entity_id=entry.id, old=_jsonable(old), new={**_jsonable(new), "bulk": True})  # fmt: skip
    for person_id, periods in spans.items():
        rollup.refresh(session, person_ids=[person_id], start=min(s for s, _ in periods),
                       end=max(e for _, e in periods))  # fmt: skip
    after = {k: month_totals(session, person_id=k[0], month=k[1]) for k in months}
    return BulkResult(
        tuple(RowChange(c.row, c.entity, c.entry_id, _jsonable(o), _jsonable(n)) for c, _, o, n, _ in rows),
        tuple((before[k], after[k]) for k in months),
    )


def preview_bulk(session: Session, actor: Identity | None, *, changes: Sequence[BulkChange]) -> BulkResult:
    """What :func:`apply_bulk` would do with ``changes``, written in a savepoint and rolled back: nothing stays.
    Raises :class:`BulkRefused` as :func:`apply_bulk` does."""
    _manager(actor)  # before the savepoint: a refusal touches nothing, not even a transaction
    nested = session.begin_nested()
    try:
        return apply_bulk(session, actor, changes=changes)
    finally:
        nested.rollback()


def entry_cells(session: Session, actor: Identity | None, *, entity: str, entry_id: int) -> dict[str, str]:
    """The stored entry as the cells its form and table show (the import's columns as text), for a correction
    pre-filled with what is stored. Managers only."""
    _manager(actor)
    if entity == "work_log":
        return _log_cells(session, _work_log(session, entry_id))
    return _pay_cells(session, _pay_item(session, entry_id))


def _names(session: Session, entry: WorkLog | PayItem) -> dict[str, str]:
    out = {}
    for key, table, attr, col in (("production", Production, "production_id", "title"),
                                  ("episode", Episode, "episode_id", "label"), ("cut", Cut, "cut_id", "number"),
                                  ("role", Role, "role_id", "ja")):  # fmt: skip
        ref = getattr(entry, attr, None)
        row = session.get(table, ref) if ref is not None else None
        out[key] = "" if row is None else str(getattr(row, col) or "")
    return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _minutes(seconds: int) -> str:
    # Decimals keep seconds, as the import reads them: 34 s is 0.566667 minutes, read back as 34 s.
    return str(seconds // 60) if seconds % 60 == 0 else f"{seconds / 60:.6f}".rstrip("0")


def _clock(at: dt.datetime) -> str:
    return at.strftime("%H:%M:%S" if at.second else "%H:%M")


def _log_cells(session: Session, entry: WorkLog) -> dict[str, str]:
    timed = entry.start_at is not None and entry.end_at is not None
    return {
        "work_date": entry.work_date.isoformat(),
        "start_time": _clock(entry.start_at) if timed else "",
        "end_time": _clock(entry.end_at) if timed else "",
        "break_minutes": _minutes(entry.break_seconds) if timed and entry.break_seconds else "",
        "minutes": "" if timed else _minutes(entry.seconds),
        **_names(session, entry),
        "task": entry.task or "",
        "units": _text(entry.units),
        "unit_kind": entry.unit_kind or "",
        "ai_assisted_fraction": _text(entry.ai_assisted_fraction) if entry.ai_assisted_fraction else "",
        "is_statutory_holiday": _text(bool(entry.is_statutory_holiday)),
        "note": entry.note or "",
    }


def _pay_cells(session: Session, item: PayItem) -> dict[str, str]:
    cells = {c: _text(getattr(item, c)) for c in ("basis", "allowance_kind", "amount", "currency", "units",
             "unit_rate", "period_start", "period_end", "commission_date", "terms_issued_date", "delivery_date",
             "due_date", "paid_date", "agreed_amount", "retake_paid_amount", "note")}  # fmt: skip
    cells["retake_count"] = _text(item.retake_count) if item.retake_count else ""
    return cells | _names(session, item)
