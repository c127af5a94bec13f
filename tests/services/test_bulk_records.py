"""Several corrections of hours and pay at once: all written in one go with the month before and after, or none with
every bad row named (row, column, value, the importer's words); the review step writes nothing; a pre-filled
correction reads back as what is stored; only a manager. On both databases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.identity import Identity
from data.schema import AuditEvent, PayItem, RollupPersonMonth, WorkLog
from services.bulk_records import BulkChange, BulkRefused, apply_bulk, entry_cells, preview_bulk
from services.errors import PermissionDenied
from services.pay_periods import lock_pay_period
from services.work_records import add_pay_item, add_work_log, correct_pay_item, correct_work_log
from tests.services.test_manual_records import ARTIST, BOSS, DAY, PAY, _importer_reason, _mori


def _events(session: Session, action: str) -> list[AuditEvent]:
    return session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def _month(session: Session, person_id: int, month: dt.date) -> tuple[int, Decimal]:
    row = session.get(RollupPersonMonth, (person_id, month))
    return (0, Decimal(0)) if row is None else (row.seconds, Decimal(row.pay_amount))


def _two_days_and_pay(session: Session) -> tuple[int, int, int, int]:
    person = _mori(session)
    one = add_work_log(session, BOSS, person_id=person.id, cells=DAY).entity_id
    two = add_work_log(session, BOSS, person_id=person.id, cells={**DAY, "work_date": "2025-04-02"}).entity_id
    pay = add_pay_item(session, BOSS, person_id=person.id, cells=PAY).entity_id
    session.commit()
    return person.id, one, two, pay


def test_several_rows_are_corrected_at_once_with_the_month_before_and_after(session: Session) -> None:
    person, one, two, pay = _two_days_and_pay(session)
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    changes = [
        BulkChange("work_log", one, {**DAY, "end_time": "20:00"}, row=1),
        BulkChange("work_log", two, {**DAY, "work_date": "2025-04-02"}, row=2),  # unchanged: left out
        BulkChange("pay_item", pay, {**PAY, "amount": "15000"}, row=3),
    ]
    preview = preview_bulk(session, BOSS, changes=changes)
    assert [r.row for r in preview.rows] == [1, 3]
    [(before, after)] = preview.months
    assert (before.seconds, after.seconds) == (16 * 3600, 17 * 3600)
    assert (before.pay_amount, after.pay_amount) == (Decimal(11400), Decimal(15000))
    # The review wrote nothing: the rows, the rollup and the audit are as they were.
    assert session.get(WorkLog, one).seconds == 8 * 3600
    assert _month(session, person, dt.date(2025, 4, 1)) == (16 * 3600, Decimal(11400))
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events

    done = apply_bulk(session, BOSS, changes=changes)
    session.commit()
    assert done.months == preview.months and done.rows == preview.rows
    assert done.rows[0].old == {"end_at": "2025-04-01T19:00:00", "seconds": 28800}
    assert done.rows[0].new == {"end_at": "2025-04-01T20:00:00", "seconds": 32400}
    assert _month(session, person, dt.date(2025, 4, 1)) == (17 * 3600, Decimal(15000))
    [log] = _events(session, "work_log.correct")
    assert log.actor == "boss" and log.new_values["bulk"] is True and log.old_values["seconds"] == 28800
    [item] = _events(session, "pay_item.correct")
    assert Decimal(item.old_values["amount"]) == Decimal(11400) and item.new_values["amount"] == "15000"


def test_one_bad_row_saves_nothing_and_every_bad_row_is_named_in_the_importers_words(
    session: Session, tmp_path: Path
) -> None:
    person, one, two, pay = _two_days_and_pay(session)
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    changes = [
        BulkChange("work_log", one, {**DAY, "end_time": "20:00"}, row=1),  # good, but not written
        BulkChange("work_log", two, {**DAY, "work_date": "2025-04-02", "break_minutes": "600"}, row=2),
        BulkChange("pay_item", pay, {**PAY, "basis": "per_smile"}, row=3),
    ]
    with pytest.raises(BulkRefused) as refused:
        apply_bulk(session, BOSS, changes=changes)
    problems = refused.value.problems
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "break_minutes", "600"), (3, "basis", "per_smile")]
    assert problems[0].error.message("cli").split(": correct")[0] == _importer_reason(
        session, tmp_path, "work_logs", {"person": "森裕", **DAY, "break_minutes": "600"}
    )
    assert problems[1].error.message("cli").split(": correct")[0] == _importer_reason(
        session, tmp_path, "pay_items", {"person": "森裕", **PAY, "basis": "per_smile"}
    )
    assert "2 edited rows cannot be saved" in refused.value.message("cli")
    session.rollback()
    assert session.get(WorkLog, one).seconds == 8 * 3600 and session.get(PayItem, pay).amount == Decimal(11400)
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_a_day_counts_the_other_edited_rows_and_a_locked_period_refuses(session: Session) -> None:
    person, one, two, _ = _two_days_and_pay(session)
    # Moving both days onto April 1st at 13 h each: fine one at a time, not together.
    long = {"work_date": "2025-04-01", "minutes": str(13 * 60)}
    with pytest.raises(BulkRefused) as refused:
        apply_bulk(session, BOSS, changes=[BulkChange("work_log", one, long, row=1),
                                           BulkChange("work_log", two, long, row=2)])  # fmt: skip
    assert [(p.row, p.column) for p in refused.value.problems] == [(1, "work_date"), (2, "work_date")]
    assert "more than 24 hours" in refused.value.problems[0].error.message("cli")
    session.rollback()
    lock_pay_period(session, BOSS, start=dt.date(2025, 4, 1), end=dt.date(2025, 4, 30))
    session.commit()
    with pytest.raises(BulkRefused) as refused:
        apply_bulk(session, BOSS, changes=[BulkChange("work_log", one, {**DAY, "end_time": "18:00"}, row=1)])
    assert "the pay period 2025-04-01–2025-04-30 is locked" in refused.value.problems[0].error.message("cli")
    session.rollback()
    assert session.get(WorkLog, one).seconds == 8 * 3600


def test_same_day_swap_is_checked_against_the_edited_totals(session: Session) -> None:
    person = _mori(session)
    a = add_work_log(session, BOSS, person_id=person.id, cells={"work_date": "2025-04-01", "minutes": "900"})
    b = add_work_log(session, BOSS, person_id=person.id, cells={"work_date": "2025-04-01", "minutes": "300"})
    session.commit()
    done = apply_bulk(session, BOSS, changes=[
        BulkChange("work_log", a.entity_id, {"work_date": "2025-04-01", "minutes": "300"}, row=1),
        BulkChange("work_log", b.entity_id, {"work_date": "2025-04-01", "minutes": "900"}, row=2),
    ])  # fmt: skip
    session.commit()
    assert len(done.rows) == 2 and [(x.seconds, y.seconds) for x, y in done.months] == [(72000, 72000)]


def test_a_prefilled_correction_reads_back_as_what_is_stored(session: Session) -> None:
    person = _mori(session)
    log = add_work_log(session, BOSS, person_id=person.id, cells={**DAY, "role": "原画", "task": "LO",
                                                                  "ai_assisted_fraction": "0.25", "units": "3",
                                                                  "unit_kind": "cut", "is_statutory_holiday": "yes",
                                                                  "note": "電話で"})  # fmt: skip
    short = add_work_log(session, BOSS, person_id=person.id, cells={"work_date": "2025-04-03", "minutes": "0.566667"})
    pay = add_pay_item(session, BOSS, person_id=person.id, cells={**PAY, "units": "3", "unit_rate": "3800",
                                                                  "retake_count": "1", "due_date": "2025-05-31"})  # fmt: skip
    session.commit()
    cells = entry_cells(session, BOSS, entity="work_log", entry_id=log.entity_id)
    assert cells["start_time"] == "10:00" and cells["break_minutes"] == "60" and cells["role"] == "原画"
    assert entry_cells(session, BOSS, entity="work_log", entry_id=short.entity_id)["minutes"] == "0.566667"
    assert session.get(WorkLog, short.entity_id).seconds == 34
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    for entity, entry in (("work_log", log), ("work_log", short), ("pay_item", pay)):
        cells = entry_cells(session, BOSS, entity=entity, entry_id=entry.entity_id)
        correct = correct_work_log if entity == "work_log" else correct_pay_item
        key = "work_log_id" if entity == "work_log" else "pay_item_id"
        result = correct(session, BOSS, **{key: entry.entity_id}, cells=cells)
        assert [(b, a) for b, a in result.months if b != a] == [], entity
    session.commit()
    # Nothing differed, so every correction's audit event names no column.
    assert all(e.old_values == {} for e in _events(session, "work_log.correct") + _events(session, "pay_item.correct"))
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events + 3


def test_only_a_manager_edits_in_bulk(session: Session) -> None:
    _, one, _, _ = _two_days_and_pay(session)
    for actor in (None, ARTIST, Identity(username="adv", role="advocate")):
        with pytest.raises(PermissionDenied):
            apply_bulk(session, actor, changes=[BulkChange("work_log", one, {**DAY, "end_time": "20:00"}, row=1)])
        with pytest.raises(PermissionDenied):
            entry_cells(session, actor, entity="work_log", entry_id=one)
    assert session.get(WorkLog, one).seconds == 8 * 3600
