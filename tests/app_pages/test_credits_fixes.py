"""The fix workflow of the Credits page: a placeholder linked to the person who did the work, audited."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data.schema import AuditEvent, CreditLine
from tests.app_fixtures import sign_in


def test_manager_fixes_a_placeholder_credit(studio: dict[str, int], engine: Engine) -> None:
    at = sign_in("manager")
    at.switch_page("app_pages/credits.py").run()
    assert not at.exception and at.title[0].value == "Credits"
    findings = next(d.value for d in at.dataframe if "message" in d.value.columns)
    placeholder = findings[findings["name"] == "未定"]
    assert placeholder.iloc[0]["severity"] == "Error"  # the validator's ERROR, named in the reader's language
    line_id = int(placeholder.iloc[0]["credit_line_id"])
    at.selectbox(key="fix_line").set_value(line_id).run()
    assert at.selectbox(key=f"fix_person_{line_id}").value is None  # nobody is chosen for the manager
    at.button(key="FormSubmitter:fix-Apply fix").click().run()
    assert [w.value for w in at.warning][-1] == "Choose the person who did the work first."
    at.selectbox(key=f"fix_person_{line_id}").set_value(studio["artist2"])
    at.button(key="FormSubmitter:fix-Apply fix").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    done = [m.value for m in at.success]
    assert len(done) == 1 and "now credits" in done[0] and "#" in done[0], done  # by name, not "person #169"
    with Session(engine) as s:
        line = s.get(CreditLine, line_id)
        assert line.name_as_credited == "未定"  # the verbatim text stays as evidence
        assert line.person_alias.person_id == studio["artist2"]
        assert s.scalars(select(AuditEvent).where(AuditEvent.actor == "manager")).first() is not None
    remaining = next(d.value for d in at.dataframe if "message" in d.value.columns)
    assert "未定" not in remaining.loc[remaining["severity"] == "Error", "name"].tolist()


def test_a_refused_fix_says_what_to_do_on_the_page(studio: dict[str, int], engine: Engine) -> None:
    at = sign_in("manager")
    at.switch_page("app_pages/credits.py").run()
    findings = next(d.value for d in at.dataframe if "message" in d.value.columns)
    line_id = int(findings.loc[findings["name"] == "未定", "credit_line_id"].iloc[0])
    at.selectbox(key="fix_line").set_value(line_id).run()
    at.radio(key="fix_how").set_value("Record why the list is incomplete").run()
    at.button(key="FormSubmitter:fix-Apply fix").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "a reason is required (e.g. 'original list lost; archive request filed 2026-05-01'): fill in 'Reason'"
    ]
    with Session(engine) as s:
        assert s.scalars(select(AuditEvent)).all() == []
