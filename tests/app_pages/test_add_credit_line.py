"""The Credits page adds the credit line the validator says is missing: the person and role come from the "uncredited
worker" finding, the manager sees whom it credits before it is written, the result is reported by name, the line is
audited and the finding is gone (AppTest, SQLite and PostgreSQL)."""

from __future__ import annotations

import re

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data.schema import AuditEvent, CreditLine, Person
from tests.app_fixtures import sign_in


def _start(at):
    return next(b for b in at.selectbox if (b.key or "").startswith("add_line_from_"))


def _uncredited(at) -> list[str]:
    return [str(o) for o in _start(at).options if "not credited" in str(o)]


def test_a_missing_credit_line_is_added_from_its_finding(studio: dict[str, int], engine: Engine) -> None:
    at = sign_in("manager")
    at.switch_page("app_pages/credits.py").run()
    found = None
    for production in ("tv", "film"):
        at.selectbox(key="credits_production").set_value(studio[production]).run()
        if _uncredited(at):
            found = production
            break
    assert found is not None, "the test studio has a worker nobody credited"
    before = len(_uncredited(at))
    assert _start(at).value == 0  # the first finding is chosen by default
    at.button(key=next(b.key for b in at.button if "FormSubmitter:add_line_" in (b.key or ""))).click().run()
    assert not at.exception, at.exception
    info = " ".join(i.value for i in at.info)
    assert "Credit **" in info, info  # whom it credits is shown before anything is written
    with Session(engine) as session:
        lines = session.scalar(select(CreditLine.id).order_by(CreditLine.id.desc()).limit(1))
    at.button(key="add_line_confirm").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("is now credited as" in s.value for s in at.success), [s.value for s in at.success]
    with Session(engine) as session:
        new = session.scalars(select(CreditLine).where(CreditLine.id > (lines or 0))).all()
        assert new and all(line.person_alias_id is not None for line in new)
        audit = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "credit_line")).all()
        assert any(e.actor == "manager" for e in audit), [(e.actor, e.action) for e in audit]
        assert session.get(Person, new[0].person_alias.person_id) is not None
    named = re.search(r"Credit \*\*(.+?)\*\*", info).group(1)  # the name the confirmation showed
    assert any(named in s.value for s in at.success), (named, [s.value for s in at.success])
    assert len(_uncredited(at)) == before - 1  # that finding is gone


def test_an_artist_has_no_credits_page(studio: dict[str, int]) -> None:
    at = sign_in("artist")
    try:
        at.switch_page("app_pages/credits.py")
    except ValueError as exc:
        assert "Could not find" in str(exc)
    else:
        raise AssertionError("the artist reached the Credits page")
