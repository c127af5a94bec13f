"""The People and records page: a person added, found by another spelling, their hours logged with the month before and after,
an invalid entry refused in the importer's words with nothing written, and no page (nor write) for a non-manager."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from data.schema import AuditEvent, Person, WorkLog
from tests.app_fixtures import sign_in


def _count(engine: Engine, table: type) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(table))


def test_a_manager_adds_a_person_finds_them_and_logs_their_hours(studio: dict[str, int], engine: Engine) -> None:
    at = sign_in("manager")
    at.switch_page("app_pages/people.py").run()
    assert not at.exception and at.title[0].value == "People and records"
    at.text_input(key="people_add_family_name").set_value("森")
    at.text_input(key="people_add_given_name").set_value("裕")
    at.text_input(key="people_add_display_name").set_value("森裕")
    at.button(key="FormSubmitter:people_add-Add person").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Added 森裕." in [s.value for s in at.success]
    with Session(engine) as s:
        person = s.scalars(select(Person).where(Person.display_name == "森裕")).one()
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "person.add")).one().actor == "manager"

    at.text_input(key="people_find").set_value("森 裕").run()
    assert at.selectbox(key="people_person").options == ["森裕"]  # found by the spaced spelling
    assert at.selectbox(key="people_person").index == 0  # the one found is chosen
    at.text_input(key="hours_start").set_value("10:00")
    at.text_input(key="hours_end").set_value("19:00")
    at.text_input(key="hours_break").set_value("60")
    at.button(key="FormSubmitter:people_hours-Log the hours").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("0.0 h → 8.0 h" in s.value for s in at.success), [s.value for s in at.success]
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(WorkLog).where(WorkLog.person_id == person.id)) == 1
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "work_log.add")).one().actor == "manager"


def test_an_invalid_entry_says_what_the_importer_says_and_writes_nothing(
    studio: dict[str, int], engine: Engine
) -> None:
    logs, events = _count(engine, WorkLog), _count(engine, AuditEvent)
    at = sign_in("manager")
    at.switch_page("app_pages/people.py").run()
    at.session_state["people_person"] = studio["artist"]
    at.run()
    at.text_input(key="hours_start").set_value("10:00")
    at.text_input(key="hours_end").set_value("11:00")
    at.text_input(key="hours_break").set_value("90")
    at.button(key="FormSubmitter:people_hours-Log the hours").click().run()
    assert not at.exception
    assert any("break of 90 min is longer than the 60 min session" in e.value for e in at.error)
    at.text_input(key="people_add_display_name").set_value("AI (+Human)")
    at.button(key="FormSubmitter:people_add-Add person").click().run()
    assert any("'AI (+Human)' is a placeholder, not a person's name" in e.value for e in at.error)
    assert (_count(engine, WorkLog), _count(engine, AuditEvent)) == (logs, events)


@pytest.mark.parametrize("role", ["artist", "advocate"])
def test_the_page_is_not_there_for_anyone_else(studio: dict[str, int], role: str) -> None:
    at = sign_in(role)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/people.py")
