"""Hours and pay entered by hand: add, correct or delete one work-log entry or one pay item. Managers only.

Each entry is checked as an import checks it: the form's values are the canonical import's cells, parsed by that
format's own parser (:func:`data.importers.kinds.work_logs.parse`, :func:`data.importers.kinds.pay_items.parse`),
its production, episode, cut and role resolved as an import resolves them, a work log's day held to 24 hours, and a
locked pay period refused, each with the importer's words. The rollups of the person's months before and after the
change are refreshed in the same transaction (:func:`data.rollup.refresh`), as an import does; the result says what
the person's month held before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data import audit, rollup, settings
from data.errors import NotFound
from data.i18n import N_
from data.identity import Identity
from data.importers.daychecks import over_a_day
from data.importers.errors import RowError
from data.importers.kinds import pay_items, work_logs
from data.importers.lookups import References
from data.importers.report import ImportSummary
from data.importers.rows import SourceRow
from data.importers.upsert import locked_period
from data.law.params import SECONDS_PER_DAY
from data.periods import py_month_start
from data.schema import MonthSignOff, PayItem, PayPeriodLock, Person, RollupPersonMonth, WorkLog
from services.access import require
from services.errors import ValidationError
from services.people import get_person

# The form's cells: the canonical import's columns, less the person (chosen, not typed) and the source's id.
WORK_LOG_CELLS = tuple(c.name for c in work_logs.COLUMNS if c.name not in {"person", "email", "external_id"})
PAY_ITEM_CELLS = tuple(c.name for c in pay_items.COLUMNS if c.name not in {"person", "email", "external_id"})


class EntryRefused(ValidationError):
    """An entry cannot be stored as given: the importer's message for the same value, unchanged."""


def refused(exc: RowError) -> EntryRefused:
    """The importer's refusal ``exc`` as the service's error (``column`` kept, so a form can point at the field)."""
    error = EntryRefused(exc.reason, fix={"page": N_("correct that value and save again")})
    error.column = exc.column
    return error


@dataclass(frozen=True)
class MonthTotals:
    """One person-month as the rollups hold it: ``seconds`` worked, ``pay_amount`` (all pay items, in
    ``currency`` units), ``month`` (its first day)."""

    month: dt.date
    seconds: int
    pay_amount: Decimal
    currency: str


@dataclass(frozen=True)
class RecordChange:
    """What a write did: the entry's ``entity`` (work_log or pay_item) and ``entity_id``, its person, and the
    person-months it touched, each as (before, after) :class:`MonthTotals`."""

    entity: str
    entity_id: int
    person_id: int
    months: tuple[tuple[MonthTotals, MonthTotals], ...]


def month_totals(session: Session, *, person_id: int, month: dt.date) -> MonthTotals:
    """The rollup of ``person_id``'s month holding ``month``; zeros for a month with nothing recorded."""
    start = py_month_start(month)
    row = session.execute(
        select(RollupPersonMonth.seconds, RollupPersonMonth.pay_amount, RollupPersonMonth.currency).where(
            RollupPersonMonth.person_id == person_id, RollupPersonMonth.month_start == start
        )
    ).first()
    if row is None:
        return MonthTotals(start, 0, Decimal(0), "JPY")
    return MonthTotals(start, int(row[0] or 0), Decimal(row[1] or 0), row[2] or "JPY")


def _manager(actor: Identity | None) -> Identity:
    return require(actor, "manager", to=N_("enter or correct hours and pay"))


def _row(person: Person, cells: Mapping[str, Any], names: tuple[str, ...]) -> SourceRow:
    out = {n: "" if cells.get(n) is None else str(cells.get(n)) for n in names}
    out["person"] = person.display_name  # who is chosen, not typed: the parser only asks that someone is named
    return SourceRow(line=1, cells=out, raw="")


def _resolved(session: Session, parsed: dict[str, Any], fmt: str) -> dict[str, Any]:
    refs = References(session, summary=ImportSummary(format=fmt), production=None)
    return refs.resolve(parsed)


def _check_unlocked(session: Session, entity: str, person_id: int, *periods: tuple[dt.date, dt.date]) -> None:
    for start, end in periods:
        signed = session.execute(
            select(MonthSignOff.month_start, MonthSignOff.month_end, MonthSignOff.approved_by).where(
                MonthSignOff.person_id == person_id, MonthSignOff.status == "approved",
                MonthSignOff.month_start <= end, MonthSignOff.month_end >= start,
            )
        ).first()  # fmt: skip
        if signed is not None:
            # The artist's own words on the month stand: changing it under them would void what both sides signed.
            raise EntryRefused(
                N_("{start}–{end} is signed off: the artist confirmed the studio's hours and pay and {manager} "
                   "approved them, so the month is locked for them"),
                fix={"page": N_("reopen the month on the Person page's Sign-off tab, then correct it")},
                start=signed[0], end=signed[1], manager=signed[2],
            )  # fmt: skip
        lock = session.execute(
            select(PayPeriodLock.period_start, PayPeriodLock.period_end).where(
                PayPeriodLock.period_start <= end, PayPeriodLock.period_end >= start
            )
        ).first()
        if lock is not None:
            raise refused(locked_period(tuple(lock), entity=entity, start=start))


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    def one(v: Any) -> Any:
        if isinstance(v, dt.date | dt.datetime):
            return v.isoformat()
        return str(v) if isinstance(v, Decimal) else v

    return {k: one(v) for k, v in values.items()}


def _write(
    session: Session,
    *,
    entity: str,
    person_id: int,
    old_period: tuple[dt.date, dt.date] | None,
    new_period: tuple[dt.date, dt.date] | None,
    old_person: int | None,
    apply: Any,
) -> tuple[int, tuple[tuple[MonthTotals, MonthTotals], ...]]:
    # The months a pay item counts in are those of its period_end, a work log's that of its date.
    touched = [(p, period) for p, period in ((old_person, old_period), (person_id, new_period)) if period is not None]
    months = sorted({(p, py_month_start(period[1])) for p, period in touched})
    before = {(p, m): month_totals(session, person_id=p, month=m) for p, m in months}
    entity_id = apply()
    for p in {p for p, _ in touched}:
        spans = [period for q, period in touched if q == p]
        rollup.refresh(session, person_ids=[p], start=min(s for s, _ in spans), end=max(e for _, e in spans))
    after = {(p, m): month_totals(session, person_id=p, month=m) for p, m in months}
    return entity_id, tuple((before[k], after[k]) for k in months)


# ---------------------------------------------------------------------------------------------------------------
# Work logs


def _work_log_record(session: Session, person: Person, cells: Mapping[str, Any]) -> dict[str, Any]:
    tz = ZoneInfo(settings.get("timezone"))
    try:
        parsed = work_logs.parse(_row(person, cells, WORK_LOG_CELLS), tz=tz, night=work_logs.prepare(session))
        work_logs.check_within_a_day(parsed["seconds"])
        refs = _resolved(session, parsed, "canonical_work_logs")
    except RowError as exc:
        raise refused(exc) from None
    return {
        "person_id": person.id,
        **refs,
        "task": (parsed["task"] or None) and parsed["task"][:200],
        **{k: parsed[k] for k in work_logs.STORED if k in parsed and k not in {"task"}},
    }


def _check_day(session: Session, rec: dict[str, Any], *, but: int | None) -> None:
    query = select(func.coalesce(func.sum(WorkLog.seconds), 0)).where(
        WorkLog.person_id == rec["person_id"], WorkLog.work_date == rec["work_date"]
    )
    if but is not None:
        query = query.where(WorkLog.id != but)
    total = int(session.scalar(query) or 0) + rec["seconds"]
    if total > SECONDS_PER_DAY:
        raise refused(over_a_day(rec["work_date"], total))


def _work_log(session: Session, work_log_id: int) -> WorkLog:
    entry = session.get(WorkLog, work_log_id)
    if entry is None:
        raise NotFound(
            N_("there is no work-log entry #{entry_id}"),
            fix={"page": N_("pick the entry from the list")},
            entry_id=work_log_id,
        )
    return entry


def add_work_log(session: Session, actor: Identity | None, *, person_id: int, cells: Mapping[str, Any]) -> RecordChange:
    """Log work for ``person_id``: ``cells`` are the work-log import's columns as text (work_date; start_time and
    end_time, or minutes; break_minutes, production, episode, cut, role, task, units, unit_kind,
    ai_assisted_fraction, is_statutory_holiday, note). Returns what changed."""
    actor = _manager(actor)
    person = get_person(session, person_id)
    rec = _work_log_record(session, person, cells)
    _check_unlocked(session, "work_log", person.id, (rec["work_date"], rec["work_date"]))
    _check_day(session, rec, but=None)

    def apply() -> int:
        entry = WorkLog(**rec)
        session.add(entry)
        session.flush()
        audit.record(session, actor=actor.username, action="work_log.add", entity_type="work_log",
                     entity_id=entry.id, new=_jsonable(rec))  # fmt: skip
        return entry.id

    day = (rec["work_date"], rec["work_date"])
    entry_id, months = _write(session, entity="work_log", person_id=person.id, old_period=None, new_period=day,
                              old_person=None, apply=apply)  # fmt: skip
    return RecordChange("work_log", entry_id, person.id, months)


def correct_work_log(
    session: Session, actor: Identity | None, *, work_log_id: int, cells: Mapping[str, Any]
) -> RecordChange:
    """Correct entry ``work_log_id`` to ``cells`` (as :func:`add_work_log`, same person); the audit keeps the old
    values of the columns that changed. Returns what changed."""
    actor = _manager(actor)
    entry = _work_log(session, work_log_id)
    person = get_person(session, entry.person_id)
    rec = _work_log_record(session, person, cells)
    _check_unlocked(
        session, "work_log", entry.person_id, (entry.work_date, entry.work_date), (rec["work_date"], rec["work_date"])
    )
    _check_day(session, rec, but=entry.id)
    old_day = (entry.work_date, entry.work_date)

    def apply() -> int:
        old = {k: getattr(entry, k) for k in rec if getattr(entry, k) != rec[k]}
        for k in old:
            setattr(entry, k, rec[k])
        entry.content_hash = None  # a later import of its source compares the columns again
        session.flush()
        audit.record(session, actor=actor.username, action="work_log.correct", entity_type="work_log",
                     entity_id=entry.id, old=_jsonable(old), new=_jsonable({k: rec[k] for k in old}))  # fmt: skip
        return entry.id

    entry_id, months = _write(session, entity="work_log", person_id=person.id, old_period=old_day,
                              new_period=(rec["work_date"], rec["work_date"]), old_person=person.id,
                              apply=apply)  # fmt: skip
    return RecordChange("work_log", entry_id, person.id, months)


def delete_work_log(session: Session, actor: Identity | None, *, work_log_id: int) -> RecordChange:
    """Delete entry ``work_log_id``; the audit keeps every value it had. Returns what changed."""
    actor = _manager(actor)
    entry = _work_log(session, work_log_id)
    _check_unlocked(session, "work_log", entry.person_id, (entry.work_date, entry.work_date))
    person_id, day = entry.person_id, (entry.work_date, entry.work_date)

    def apply() -> int:
        old = {k: getattr(entry, k) for k in work_logs.STORED}
        audit.record(session, actor=actor.username, action="work_log.delete", entity_type="work_log",
                     entity_id=entry.id, old=_jsonable(old))  # fmt: skip
        session.delete(entry)
        session.flush()
        return work_log_id

    entry_id, months = _write(session, entity="work_log", person_id=person_id, old_period=day, new_period=None,
                              old_person=person_id, apply=apply)  # fmt: skip
    return RecordChange("work_log", entry_id, person_id, months)


# ---------------------------------------------------------------------------------------------------------------
# Pay items


def _pay_item_record(session: Session, person: Person, cells: Mapping[str, Any]) -> dict[str, Any]:
    try:
        parsed = pay_items.parse(_row(person, cells, PAY_ITEM_CELLS))
        refs = _resolved(session, parsed, "canonical_pay_items")
    except RowError as exc:
        raise refused(exc) from None
    rec = {c: parsed.get(c) for c in pay_items.STORED if c in parsed}
    rec.update(person_id=person.id, **refs)
    return rec


def _pay_item(session: Session, pay_item_id: int) -> PayItem:
    item = session.get(PayItem, pay_item_id)
    if item is None:
        raise NotFound(
            N_("there is no pay item #{item_id}"), fix={"page": N_("pick the item from the list")}, item_id=pay_item_id
        )
    return item


def add_pay_item(session: Session, actor: Identity | None, *, person_id: int, cells: Mapping[str, Any]) -> RecordChange:
    """Record a pay item for ``person_id``: ``cells`` are the pay-item import's columns as text (basis, amount,
    period_start, period_end required; allowance_kind, currency, units, unit_rate, production, episode, cut, role,
    the Freelance Act's dates, agreed_amount, retakes, note). Returns what changed."""
    actor = _manager(actor)
    person = get_person(session, person_id)
    rec = _pay_item_record(session, person, cells)
    period = (rec["period_start"], rec["period_end"])
    _check_unlocked(session, "pay_item", person.id, period)

    def apply() -> int:
        item = PayItem(**rec)
        session.add(item)
        session.flush()
        audit.record(session, actor=actor.username, action="pay_item.add", entity_type="pay_item",
                     entity_id=item.id, new=_jsonable(rec))  # fmt: skip
        return item.id

    item_id, months = _write(session, entity="pay_item", person_id=person.id, old_period=None, new_period=period,
                             old_person=None, apply=apply)  # fmt: skip
    return RecordChange("pay_item", item_id, person.id, months)


def correct_pay_item(
    session: Session, actor: Identity | None, *, pay_item_id: int, cells: Mapping[str, Any]
) -> RecordChange:
    """Correct pay item ``pay_item_id`` to ``cells`` (as :func:`add_pay_item`, same person). Returns what changed."""
    actor = _manager(actor)
    item = _pay_item(session, pay_item_id)
    person = get_person(session, item.person_id)
    rec = _pay_item_record(session, person, cells)
    old_period, period = (item.period_start, item.period_end), (rec["period_start"], rec["period_end"])
    _check_unlocked(session, "pay_item", item.person_id, old_period, period)

    def apply() -> int:
        old = {k: getattr(item, k) for k in rec if getattr(item, k) != rec[k]}
        for k in old:
            setattr(item, k, rec[k])
        item.content_hash = None
        session.flush()
        audit.record(session, actor=actor.username, action="pay_item.correct", entity_type="pay_item",
                     entity_id=item.id, old=_jsonable(old), new=_jsonable({k: rec[k] for k in old}))  # fmt: skip
        return item.id

    item_id, months = _write(session, entity="pay_item", person_id=person.id, old_period=old_period,
                             new_period=period, old_person=person.id, apply=apply)  # fmt: skip
    return RecordChange("pay_item", item_id, person.id, months)


def delete_pay_item(session: Session, actor: Identity | None, *, pay_item_id: int) -> RecordChange:
    """Delete pay item ``pay_item_id``; the audit keeps every value it had. Returns what changed."""
    actor = _manager(actor)
    item = _pay_item(session, pay_item_id)
    period = (item.period_start, item.period_end)
    _check_unlocked(session, "pay_item", item.person_id, period)
    person_id = item.person_id

    def apply() -> int:
        audit.record(session, actor=actor.username, action="pay_item.delete", entity_type="pay_item",
                     entity_id=item.id, old=_jsonable({k: getattr(item, k) for k in pay_items.STORED}))  # fmt: skip
        session.delete(item)
        session.flush()
        return pay_item_id

    item_id, months = _write(session, entity="pay_item", person_id=person_id, old_period=period, new_period=None,
                             old_person=person_id, apply=apply)  # fmt: skip
    return RecordChange("pay_item", item_id, person_id, months)
