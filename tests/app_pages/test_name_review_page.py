"""The Names to review page: a manager settles a public credit's name match and a timesheet's unknown name (found by
another spelling), each confirmed by name and audited; a bad new person is refused in the importer's words with
nothing written; no page (nor write) for anyone else."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from data.importers import import_file
from data.schema import AuditEvent, CreditClaim, Person, PersonMatchReview
from tests.app_fixtures import sign_in


def _count(engine: Engine, table: type) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(table))


def _import_unknown(engine: Engine, tmp_path: Path, name: str) -> None:
    path = tmp_path / "timesheet.csv"
    path.write_text(f"person,work_date,minutes,production\n{name},2025-03-03,60,星の港\n{name},2025-03-04,60,星の港\n",
                    encoding="utf-8")  # fmt: skip
    with Session(engine) as s:
        assert import_file(s, path=path).rejected_by_reason == {"unknown_person": 2}
        s.commit()


def _choose(at: AppTest, label: str) -> None:
    at.selectbox(key="names_item").select_index(at.selectbox(key="names_item").options.index(label)).run()


def test_a_public_credit_name_is_confirmed_as_the_person_it_names(studio: dict[str, int], engine: Engine) -> None:
    at = sign_in("manager")
    at.switch_page("app_pages/name_review.py").run()
    assert not at.exception and at.title[0].value == "Names to review"
    table = at.dataframe[0].value
    assert list(table["name_as_written"]) == ["山田 花子"] and "Public credits" in table.to_csv()
    assert at.selectbox(key="names_person_credit:山田 花子").value == studio["artist"]
    assert any(r"山田 花子 is 山田花子 \(Hanako Yamada\)" in m.value for m in at.markdown), [
        m.value for m in at.markdown
    ]
    at.button(key="names_settle").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("public credit line confirmed" in s.value and "山田花子" in s.value for s in at.success)
    with Session(engine) as s:
        assert s.scalar(select(CreditClaim.status).where(CreditClaim.person_id == studio["artist"])) == "confirmed"
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "name_review.resolve")).one().actor == "manager"


def test_a_timesheet_name_is_found_by_another_spelling_and_told_to_import_again(
    studio: dict[str, int], engine: Engine, tmp_path: Path
) -> None:
    _import_unknown(engine, tmp_path, "髙橋 一郎 (作監)")
    at = sign_in("manager")
    at.switch_page("app_pages/name_review.py").run()
    _choose(at, "髙橋 一郎 (作監) · Timesheet import · timesheet.csv")
    item = at.selectbox(key="names_item").value
    assert item.startswith("timesheet:")
    at.text_input(key=f"names_find_{item}").set_value("たかはし").run()  # nobody: no kana recorded
    assert any("Nobody is known by that spelling" in i.value for i in at.info)
    at.text_input(key=f"names_find_{item}").set_value("Takahashi Ichiro").run()
    assert at.selectbox(key=f"names_person_{item}").value == studio["artist2"]
    at.button(key="names_settle").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("the next import of that name goes to them" in s.value for s in at.success)
    assert any(r"Import timesheet\.csv again on the Import page to bring in the 2 rows it refused" in i.value
               for i in at.info), [i.value for i in at.info]  # fmt: skip
    with Session(engine) as s:
        review = s.scalars(select(PersonMatchReview)).one()
        assert (review.status, review.resolved_person_id) == ("resolved", studio["artist2"])
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "name_review.resolve")).one().actor == "manager"


def test_a_new_person_with_a_bad_name_is_refused_in_the_importers_words(
    studio: dict[str, int], engine: Engine, tmp_path: Path
) -> None:
    _import_unknown(engine, tmp_path, "Taro Suzuki")
    people, events = _count(engine, Person), _count(engine, AuditEvent)
    at = sign_in("manager")
    at.switch_page("app_pages/name_review.py").run()
    _choose(at, "Taro Suzuki · Timesheet import · timesheet.csv")
    item = at.selectbox(key="names_item").value
    at.radio(key="names_decision").set_value("new_person").run()
    at.text_input(key=f"names_new_email_{item}").set_value("no-at-sign").run()
    at.button(key="names_settle").click().run()
    assert not at.exception
    assert any(r"email must contain \@" in e.value for e in at.error), [e.value for e in at.error]  # as the import says
    assert (_count(engine, Person), _count(engine, AuditEvent)) == (people, events)
    at.text_input(key=f"names_new_email_{item}").set_value("taro@example.jp").run()
    at.button(key="names_settle").click().run()
    assert not at.error, [e.value for e in at.error]
    assert any("Taro Suzuki is added as a new person" in s.value for s in at.success), [s.value for s in at.success]
    assert _count(engine, Person) == people + 1


@pytest.mark.parametrize("role", ["artist", "advocate"])
def test_the_page_is_not_there_for_anyone_else(studio: dict[str, int], role: str) -> None:
    at = sign_in(role)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/name_review.py")
