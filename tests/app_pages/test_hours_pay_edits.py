"""Correcting hours and pay on the People and records page: one entry in a form pre-filled with what is stored, and a
month in an editable table with a review step. A valid edit lands (audited, the month before and after shown); an
invalid one shows the importer's words and writes nothing; a locked pay period is refused in words."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from data.identity import Identity
from data.schema import AuditEvent, PayItem, PayPeriodLock, WorkLog
from services.bulk_records import BulkChange, apply_bulk
from services.errors import PermissionDenied
from services.work_records import correct_work_log
from tests.app_fixtures import sign_in


def _count(engine: Engine, table: type) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(table))


def _on(person_id: int) -> AppTest:
    at = sign_in("manager")
    at.switch_page("app_pages/people.py").run()
    at.session_state["people_person"] = person_id
    at.run()
    assert not at.exception, at.exception
    return at


def _latest_log(engine: Engine, person_id: int) -> WorkLog:
    with Session(engine) as s:
        return s.scalars(
            select(WorkLog).where(WorkLog.person_id == person_id).order_by(WorkLog.work_date.desc(), WorkLog.id.desc())
        ).first()


def test_an_entry_is_corrected_in_a_form_filled_with_what_is_stored(studio: dict[str, int], engine: Engine) -> None:
    entry = _latest_log(engine, studio["artist"])
    at = _on(studio["artist"])
    assert at.selectbox(key="entry_correct").value == ("work_log", entry.id)
    prefix = f"fix_work_log_{entry.id}_"
    assert at.text_input(key=prefix + "work_date").value == entry.work_date.isoformat()
    assert at.text_input(key=prefix + "minutes").value == "600"
    assert at.text_input(key=prefix + "role").value == "原画"
    at.text_input(key=prefix + "minutes").set_value("480")
    at.button(key="FormSubmitter:people_correct-Save the correction").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("140.0 h → 138.0 h worked" in s.value for s in at.success), [s.value for s in at.success]
    with Session(engine) as s:
        assert s.get(WorkLog, entry.id).seconds == 480 * 60
        [event] = s.scalars(select(AuditEvent).where(AuditEvent.action == "work_log.correct")).all()
        assert event.actor == "manager" and event.old_values["seconds"] == 600 * 60


def test_an_invalid_correction_says_what_the_importer_says_and_a_locked_period_is_refused(
    studio: dict[str, int], engine: Engine
) -> None:
    entry = _latest_log(engine, studio["artist"])
    events = _count(engine, AuditEvent)
    at = _on(studio["artist"])
    prefix = f"fix_work_log_{entry.id}_"
    at.text_input(key=prefix + "ai_assisted_fraction").set_value("2")
    at.button(key="FormSubmitter:people_correct-Save the correction").click().run()
    assert any("ai_assisted_fraction must be between 0 and 1" in e.value for e in at.error), [e.value for e in at.error]
    with Session(engine) as s:
        s.add(PayPeriodLock(period_start=dt.date(2025, 2, 1), period_end=dt.date(2025, 2, 28), locked_by="manager"))
        s.commit()
    at.text_input(key=prefix + "ai_assisted_fraction").set_value("")
    at.text_input(key=prefix + "minutes").set_value("480")
    at.button(key="FormSubmitter:people_correct-Save the correction").click().run()
    assert any("the pay period 2025-02-01–2025-02-28 is locked" in e.value for e in at.error), [
        e.value for e in at.error
    ]
    assert _latest_log(engine, studio["artist"]).seconds == 600 * 60
    assert _count(engine, AuditEvent) == events


def _edit_month(at: AppTest, person_id: int, edits: dict[str, dict[int, dict[str, str]]]) -> str:
    key = f"bulk_{person_id}_2025-02-01"
    at.selectbox(key=f"bulk_month_{person_id}").set_value(dt.date(2025, 2, 1)).run()
    for entity, rows in edits.items():
        at.session_state[f"{key}_{entity}"] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key=f"{key}_review").click().run()
    assert not at.exception, at.exception
    return key


def test_a_month_is_edited_in_a_table_reviewed_then_saved_in_one_go(studio: dict[str, int], engine: Engine) -> None:
    at = _on(studio["artist"])
    events = _count(engine, AuditEvent)
    # February: the first row is Feb 1st's hours; the pay item comes after the hours.
    key = _edit_month(
        at, studio["artist"], {"work_log": {0: {"minutes": "540"}}, "pay_item": {0: {"amount": "200000"}}}
    )
    assert not at.error, [e.value for e in at.error]
    review = at.dataframe[-2].value.to_csv()
    assert "600" in review and "540" in review and "180000" in review and "200000" in review, review
    months = at.dataframe[-1].value.to_csv()
    assert "¥180,000" in months and "¥200,000" in months, months
    assert _count(engine, AuditEvent) == events  # the review wrote nothing
    at.button(key=f"{key}_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any(s.value == "Saved 2 rows in one go." for s in at.success), [s.value for s in at.success]
    with Session(engine) as s:
        feb = s.scalars(select(WorkLog).where(WorkLog.person_id == studio["artist"], WorkLog.work_date
                                              == dt.date(2025, 2, 1))).one()  # fmt: skip
        assert feb.seconds == 540 * 60
        pay = s.scalars(select(PayItem).where(PayItem.person_id == studio["artist"],
                                              PayItem.period_end == dt.date(2025, 2, 28))).one()  # fmt: skip
        assert int(pay.amount) == 200000
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.actor == "manager")).all()
        assert sorted(actions) == ["pay_item.correct", "work_log.correct"]


def test_a_bad_row_in_the_table_names_its_row_and_column_and_saves_nothing(
    studio: dict[str, int], engine: Engine
) -> None:
    at = _on(studio["artist"])
    events = _count(engine, AuditEvent)
    _edit_month(at, studio["artist"], {"work_log": {0: {"minutes": "540"}, 1: {"work_date": "2025-02-30"}},
                                       "pay_item": {0: {"basis": "per_smile"}}})  # fmt: skip
    assert any("2 edited rows cannot be saved, so nothing was saved" in e.value for e in at.error), [
        e.value for e in at.error
    ]
    problems = at.dataframe[-1].value
    hours_rows = len(at.data_editor[0].value)
    assert list(problems.iloc[:, 0]) == [2, hours_rows + 1]  # the bad rows by the numbers the tables show
    text = problems.to_csv()
    assert "2025-02-30" in text and "per_smile" in text and "Day" in text and "Pay basis" in text, text
    assert "basis must be one of" in text, text
    assert _count(engine, AuditEvent) == events
    with Session(engine) as s:
        assert s.scalar(select(func.sum(WorkLog.seconds)).where(WorkLog.person_id == studio["artist"])) == 40 * 600 * 60


@pytest.mark.parametrize("role", ["artist", "advocate"])
def test_no_one_else_corrects_hours_or_pay(studio: dict[str, int], engine: Engine, role: str) -> None:
    at = sign_in(role)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/people.py")
    entry = _latest_log(engine, studio["artist"])
    who = Identity(username=role, role=role, person_id=studio["artist"] if role == "artist" else None)
    with Session(engine) as s:
        with pytest.raises(PermissionDenied):
            correct_work_log(s, who, work_log_id=entry.id, cells={"work_date": "2025-02-14", "minutes": "1"})
        with pytest.raises(PermissionDenied):
            apply_bulk(
                s, who, changes=[BulkChange("work_log", entry.id, {"work_date": "2025-02-14", "minutes": "1"}, 1)]
            )
    assert _latest_log(engine, studio["artist"]).seconds == 600 * 60
