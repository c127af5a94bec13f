"""Records entered by hand (people, hours, pay, credit lines): a valid write lands, is audited and brings the rollups
up to date; an invalid one says what the importer says for the same value and writes nothing; only a manager writes.
On both databases."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analytics.people import find_people
from analytics.scope import Scope
from data.identity import Identity
from data.importers import import_file
from data.schema import AuditEvent, CreditLine, PayItem, Person, Production, RollupPersonMonth, WorkLog
from services.credit_lines import CreditLineRefused, add_credit_line
from services.errors import PermissionDenied
from services.pay_periods import lock_pay_period
from services.people import PersonRefused, add_person, edit_person
from services.work_records import (
    EntryRefused,
    add_pay_item,
    add_work_log,
    correct_pay_item,
    correct_work_log,
    delete_pay_item,
    delete_work_log,
)

BOSS = Identity(username="boss", role="manager")
ARTIST = Identity(username="ann", role="artist", person_id=1)
ADVOCATE = Identity(username="adv", role="advocate")
DAY = {"work_date": "2025-04-01", "start_time": "10:00", "end_time": "19:00", "break_minutes": "60"}
PAY = {"basis": "per_cut", "amount": "11400", "period_start": "2025-04-01", "period_end": "2025-04-30"}


def _events(session: Session, action: str) -> list[AuditEvent]:
    return session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def _count(session: Session, table: type) -> int:
    return session.scalar(select(func.count()).select_from(table))


def _mori(session: Session) -> Person:
    return add_person(session, BOSS, values={"display_name": "森裕", "family_name": "森", "given_name": "裕",
                                            "family_kana": "もり", "given_kana": "ゆう", "family_romaji": "Mori",
                                            "given_romaji": "Yū"})  # fmt: skip


def _importer_reason(session: Session, tmp_path: Path, name: str, cells: dict[str, str]) -> str:
    """What the importer says of one row with ``cells`` (nothing is kept: a dry run)."""
    path = tmp_path / f"{name}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(cells))
        writer.writeheader()
        writer.writerow(cells)
    summary = import_file(session, path=path, dry_run=True)
    assert summary.rejected == 1, summary
    return summary.rejected_preview[0].reason


def test_a_person_is_added_found_by_any_spelling_and_edited(session: Session) -> None:
    person = _mori(session)
    session.commit()
    assert person.family_romaji_ascii == "Mori" and person.given_romaji_ascii == "Yu"
    scope = Scope(viewer=BOSS)
    for text in ("森 裕", "森裕", "もり ゆう", "Mori Yu", "yū mori", "森"):
        assert find_people(session, scope=scope, text=text) == [person.id], text
    assert find_people(session, scope=scope, text="  ") == []
    [added] = _events(session, "person.add")
    assert added.actor == "boss" and added.new_values["display_name"] == "森裕"

    edit_person(session, BOSS, person_id=person.id, values={"pen_name": "もりゆー", "email": "MORI@example.jp"})
    session.commit()
    assert (person.pen_name, person.email) == ("もりゆー", "mori@example.jp")
    [edited] = _events(session, "person.edit")
    assert edited.old_values == {"pen_name": None, "email": None}
    assert edited.new_values["pen_name"] == "もりゆー" and "もりゆー" in edited.new_values["aliases_added"]
    assert find_people(session, scope=scope, text="もりゆー") == [person.id]


def test_a_person_is_refused_in_the_importers_words(session: Session, tmp_path: Path) -> None:
    for cells in ({"display_name": "AI (+Human)"}, {"display_name": "森裕", "email": "no-at-sign"},
                  {"display_name": "森裕", "visibility": "secret"}, {"display_name": "森裕", "country": "JPN"}):  # fmt: skip
        with pytest.raises(PersonRefused) as refused:
            add_person(session, BOSS, values=cells)
        assert refused.value.message("cli") == _importer_reason(session, tmp_path, "people", cells)
    assert _count(session, Person) == 0 and _count(session, AuditEvent) == 0


@pytest.mark.parametrize("actor", [None, ARTIST, ADVOCATE])
def test_only_a_manager_enters_records(session: Session, actor: Identity | None) -> None:
    session.add(Production(title="星の庭", kind="tv"))
    person = _mori(session)
    session.flush()
    production = session.scalar(select(Production.id))
    writes = [
        lambda: add_person(session, actor, values={"display_name": "山田花子"}),
        lambda: edit_person(session, actor, person_id=person.id, values={"pen_name": "x"}),
        lambda: add_work_log(session, actor, person_id=person.id, cells=DAY),
        lambda: add_pay_item(session, actor, person_id=person.id, cells=PAY),
        lambda: add_credit_line(session, actor, production_id=production, role="原画", person_id=person.id),
    ]
    for write in writes:
        with pytest.raises(PermissionDenied):
            write()
    assert _count(session, WorkLog) == _count(session, PayItem) == _count(session, CreditLine) == 0


def test_hours_are_added_corrected_and_deleted_with_the_month_before_and_after(session: Session) -> None:
    person = _mori(session)
    added = add_work_log(session, BOSS, person_id=person.id, cells=DAY)
    session.commit()
    [(before, after)] = added.months
    assert (before.month, before.seconds, after.seconds) == (dt.date(2025, 4, 1), 0, 8 * 3600)
    month = session.get(RollupPersonMonth, (person.id, dt.date(2025, 4, 1)))
    assert month.seconds == 8 * 3600
    [event] = _events(session, "work_log.add")
    assert event.new_values["seconds"] == 8 * 3600 and event.new_values["work_date"] == "2025-04-01"

    moved = correct_work_log(session, BOSS, work_log_id=added.entity_id, cells={**DAY, "work_date": "2025-05-02"})
    session.commit()
    assert [(b.month.month, b.seconds, a.seconds) for b, a in moved.months] == [(4, 8 * 3600, 0), (5, 0, 8 * 3600)]
    [event] = _events(session, "work_log.correct")
    assert event.old_values == {"work_date": "2025-04-01", "start_at": "2025-04-01T10:00:00",
                                "end_at": "2025-04-01T19:00:00"}  # fmt: skip

    gone = delete_work_log(session, BOSS, work_log_id=added.entity_id)
    session.commit()
    assert [(b.seconds, a.seconds) for b, a in gone.months] == [(8 * 3600, 0)]
    assert _count(session, WorkLog) == 0 and _events(session, "work_log.delete")[0].old_values["seconds"] == 28800


def test_hours_are_refused_in_the_importers_words(session: Session, tmp_path: Path) -> None:
    person = _mori(session)
    session.commit()
    bad = [{**DAY, "break_minutes": "600"}, {**DAY, "work_date": "2025-13-01"}, {"work_date": "2025-04-01"},
           {**DAY, "ai_assisted_fraction": "2"}, {**DAY, "role": "宇宙飛行士"}]  # fmt: skip
    for cells in bad:
        with pytest.raises(EntryRefused) as refused:
            add_work_log(session, BOSS, person_id=person.id, cells=cells)
        expected = _importer_reason(session, tmp_path, "work_logs", {"person": "森裕", **cells})
        assert refused.value.message("cli").split(": correct")[0] == expected, cells
    add_work_log(session, BOSS, person_id=person.id, cells={"work_date": "2025-04-01", "minutes": "1000"})
    with pytest.raises(EntryRefused, match="more than 24 hours"):
        add_work_log(session, BOSS, person_id=person.id, cells={"work_date": "2025-04-01", "minutes": "600"})
    session.commit()
    assert _count(session, WorkLog) == 1


def test_a_locked_pay_period_refuses_hours_and_pay(session: Session) -> None:
    person = _mori(session)
    entry = add_work_log(session, BOSS, person_id=person.id, cells=DAY)
    item = add_pay_item(session, BOSS, person_id=person.id, cells=PAY)
    lock_pay_period(session, BOSS, start=dt.date(2025, 4, 1), end=dt.date(2025, 4, 30))
    session.commit()
    refusals = [
        lambda: add_work_log(session, BOSS, person_id=person.id, cells=DAY),
        lambda: correct_work_log(session, BOSS, work_log_id=entry.entity_id, cells={**DAY, "work_date": "2025-06-01"}),
        lambda: delete_work_log(session, BOSS, work_log_id=entry.entity_id),
        lambda: add_pay_item(session, BOSS, person_id=person.id, cells=PAY),
        lambda: delete_pay_item(session, BOSS, pay_item_id=item.entity_id),
    ]
    for write in refusals:
        with pytest.raises(EntryRefused, match=r"the pay period 2025-04-01–2025-04-30 is locked"):
            write()
    assert _count(session, WorkLog) == _count(session, PayItem) == 1


def test_pay_is_added_corrected_and_deleted_and_refused_in_the_importers_words(
    session: Session, tmp_path: Path
) -> None:
    person = _mori(session)
    added = add_pay_item(session, BOSS, person_id=person.id, cells=PAY)
    session.commit()
    [(before, after)] = added.months
    assert (before.pay_amount, after.pay_amount) == (Decimal(0), Decimal(11400))
    fixed = correct_pay_item(session, BOSS, pay_item_id=added.entity_id, cells={**PAY, "amount": "12000"})
    session.commit()
    assert [(b.pay_amount, a.pay_amount) for b, a in fixed.months] == [(Decimal(11400), Decimal(12000))]
    [event] = _events(session, "pay_item.correct")
    assert {k: Decimal(v) for k, v in event.old_values.items()} == {"amount": Decimal(11400)}
    assert event.new_values == {"amount": "12000"}
    for cells in ({**PAY, "basis": "per_smile"}, {**PAY, "period_end": "2025-03-01"}, {**PAY, "amount": ""},
                  {**PAY, "allowance_kind": "housing"}):  # fmt: skip
        with pytest.raises(EntryRefused) as refused:
            add_pay_item(session, BOSS, person_id=person.id, cells=cells)
        expected = _importer_reason(session, tmp_path, "pay_items", {"person": "森裕", **cells})
        assert refused.value.message("cli").split(": correct")[0] == expected, cells
    delete_pay_item(session, BOSS, pay_item_id=added.entity_id)
    session.commit()
    assert _count(session, PayItem) == 0 and len(_events(session, "pay_item.delete")) == 1


def test_a_credit_line_is_added_for_a_person_and_refused_in_the_importers_words(session: Session) -> None:
    session.add(Production(title="星の庭", kind="tv"))
    person = _mori(session)
    session.flush()
    production = session.scalar(select(Production.id))
    [line] = add_credit_line(session, BOSS, production_id=production, role="原画", person_id=person.id,
                             episode_scope="3～5話")  # fmt: skip
    session.commit()
    assert (line.name_as_credited, line.episode_from, line.episode_to) == ("森裕", 3, 5)
    assert line.role_id is not None and line.person_alias.person_id == person.id
    [event] = _events(session, "credit.add_line")
    assert event.new_values["person_id"] == person.id and event.new_values["role_as_credited"] == "原画"
    with pytest.raises(CreditLineRefused, match="role is required"):
        add_credit_line(session, BOSS, production_id=production, role=" ", person_id=person.id)
    with pytest.raises(CreditLineRefused, match="block must be one of"):
        add_credit_line(session, BOSS, production_id=production, role="原画", person_id=person.id, block="side")
    with pytest.raises(CreditLineRefused, match="exactly one"):
        add_credit_line(session, BOSS, production_id=production, role="原画")
    assert _count(session, CreditLine) == 1
