"""The People page's contracts and merge sections: a contract added lands and is audited, an invalid one says what the
employment import says and writes nothing; two records merged by name, with what moves shown first; and no page (nor
write) for anyone but a manager."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from analytics.queries.references import person_columns
from app_pages import _labels
from data.identity import Identity
from data.importers import units as u
from data.importers.errors import RowError
from data.schema import AuditEvent, Employment, Person, WorkLog
from services.contracts import add_contract
from services.errors import PermissionDenied
from services.people import merge_people
from tests.app_fixtures import sign_in


def _count(engine: Engine, table: type, *where: object) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(table).where(*where))


def _person_page(person_id: int):  # noqa: ANN202 - an AppTest
    at = sign_in("manager")
    at.switch_page("app_pages/people.py").run()
    at.session_state["people_person"] = person_id
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_contract_is_added_and_an_invalid_one_refused_in_the_importers_words(
    studio: dict[str, int], engine: Engine
) -> None:
    at = _person_page(studio["artist2"])
    assert any("スタジオ港" in str(df.value.to_csv()) for df in at.dataframe)  # the contract on record is listed
    before, events = _count(engine, Employment), _count(engine, AuditEvent)
    at.text_input(key="contract_new_employer").set_value("スタジオ港")
    at.selectbox(key="contract_new_type").set_value("employee_contract")
    at.text_input(key="contract_new_prefecture").set_value("東京都")
    at.text_input(key="contract_new_start").set_value("2025-04-01")
    at.text_input(key="contract_new_monthly").set_value("9000")
    at.button(key="FormSubmitter:contract_new-Add the contract").click().run()
    assert not at.exception
    assert any("scheduled_monthly_hours must be more than 0 and at most 744 (hours in a month)" in e.value
               for e in at.error), [e.value for e in at.error]  # fmt: skip
    at.text_input(key="contract_new_start").set_value("2025-02-30")
    at.text_input(key="contract_new_monthly").set_value("150")
    at.button(key="FormSubmitter:contract_new-Add the contract").click().run()
    with pytest.raises(RowError) as importer:
        u.iso_date("2025-02-30", "start_date")
    assert any(importer.value.reason in e.value for e in at.error), [e.value for e in at.error]
    assert (_count(engine, Employment), _count(engine, AuditEvent)) == (before, events)

    at.text_input(key="contract_new_start").set_value("2025-04-01")
    at.button(key="FormSubmitter:contract_new-Add the contract").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("Contract from 2025-04-01 added for" in s.value for s in at.success), [s.value for s in at.success]
    assert any("Contract employee" in df.value.to_csv() for df in at.dataframe)  # listed straight away
    with Session(engine) as s:
        contract = s.scalars(select(Employment).where(Employment.person_id == studio["artist2"],
                                                      Employment.employment_type == "employee_contract")).one()  # fmt: skip
        assert (contract.prefecture, contract.scheduled_monthly_hours) == ("Tokyo", 150.0)
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "employment.add")).one()
        assert event.actor == "manager" and event.entity_id == str(contract.id)


def test_two_records_are_merged_by_name_after_seeing_what_moves(studio: dict[str, int], engine: Engine) -> None:
    at = _person_page(studio["artist"])
    logs = _count(engine, WorkLog, WorkLog.person_id == studio["pen"])
    at.selectbox(key="merge_other").set_value(studio["pen"]).run()
    assert not at.exception
    # Each named as everywhere: 佐藤美咲 asked to be shown by her pen name alone.
    assert any(i.value.startswith("山田花子 \\(Hanako Yamada\\) is kept.") and "under みさき moves" in i.value
               for i in at.info), [i.value for i in at.info]  # fmt: skip
    preview = next(df.value for df in at.dataframe if "moving" in df.value.columns)
    assert preview.set_index("item").loc["Work-log rows", "moving"] == logs  # the table's name in words
    assert at.button(key="merge_go").disabled  # not before saying both are the same person
    at.checkbox(key="merge_sure").check().run()
    at.button(key="merge_go").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any(s.value.startswith("Merged みさき into 山田花子") for s in at.success), [s.value for s in at.success]
    assert _count(engine, Person, Person.id == studio["pen"]) == 0
    assert "みさき" not in at.selectbox(key="merge_other").options and at.selectbox(key="merge_other").value is None
    assert _count(engine, WorkLog, WorkLog.person_id == studio["artist"]) >= logs
    with Session(engine) as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "person.merge")).one()
        assert event.actor == "manager" and event.new_values["moved"]["work_log"] == logs


@pytest.mark.parametrize("role", ["artist", "advocate"])
def test_nobody_else_has_the_page_or_may_write(studio: dict[str, int], engine: Engine, role: str) -> None:
    at = sign_in(role)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/people.py")
    actor = Identity(username=role, role=role, person_id=studio["artist"] if role == "artist" else None)
    with Session(engine) as s:
        with pytest.raises(PermissionDenied):
            add_contract(s, actor, person_id=studio["artist"], cells={"employer": "スタジオ港"})
        with pytest.raises(PermissionDenied):
            merge_people(s, actor, keep_id=studio["artist"], merge_id=studio["pen"])


def test_every_table_a_merge_counts_is_named_in_words() -> None:
    """A table added later that refers to a person is counted by a merge's preview: it needs a name to be shown by."""
    counted = {ref.name for ref in person_columns() if not ref.derived}
    assert counted - set(_labels.VOCABULARIES["person_table"]) == set()
