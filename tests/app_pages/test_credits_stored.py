"""With the background worker on, the Credits page serves the production's stored credit check with the freshness
notice, waits with progress for a production never checked, and a fix made on it shows its effect after the rerun;
the Person page says how current its findings are (both backends)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from analytics.derived.worker import REFRESHED, run_credits_once, run_once
from data.derived import CREDITS, FINDINGS
from data.schema import CreditCheck, LaborAgreement, Organization, Person
from tests.app_fixtures import all_text, another_worker_holds, sign_in


def _findings(at) -> object:
    return next(d.value for d in at.dataframe if "message" in d.value.columns)


def test_a_production_never_checked_waits_with_progress(engine: Engine, worker_on: dict) -> None:
    another_worker_holds(engine, CREDITS)
    at = sign_in("manager")
    at.switch_page("app_pages/credits.py").run()
    assert not at.exception, at.exception
    notices = " ".join(str(e.value) for e in at.info)
    assert "being computed for the first time" in notices, notices
    assert len(at.get("progress")) == 1
    assert not any("message" in d.value.columns for d in at.dataframe)  # nothing computed on the request
    with Session(engine) as session:
        assert session.scalars(select(CreditCheck)).all() == []


def test_stale_credits_show_the_last_check_and_a_fix_shows_its_effect(engine: Engine, worker_on: dict) -> None:
    assert run_credits_once(engine) == REFRESHED
    with Session(engine) as session:  # a write the checks read: a person's name
        session.execute(update(Person).where(Person.id == worker_on["pen"]).values(display_name="佐藤 美咲"))
        session.commit()
    another_worker_holds(engine, CREDITS)
    for locale, words in (("ja-JP", ("時点", "再計算")), ("en-US", ("Credit checks updated at", "recomputing since"))):
        at = sign_in("manager", locale=locale)
        at.switch_page("app_pages/credits.py").run()
        assert not at.exception, at.exception
        notices = " ".join(str(e.value) for e in at.info)
        assert all(w in notices for w in words), notices
    findings = _findings(at)  # the last complete check, under the notice
    line_id = int(findings.loc[findings["name"] == "未定", "credit_line_id"].iloc[0])
    at.selectbox(key="fix_line").set_value(line_id).run()
    at.selectbox(key=f"fix_person_{line_id}").set_value(worker_on["artist2"])
    at.button(key="FormSubmitter:fix-Apply fix").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "now credits" in at.success[0].value
    remaining = _findings(at)  # this production was checked again on the page's own write
    assert "未定" not in remaining.loc[remaining["severity"] == "Error", "name"].tolist()
    assert "Credit checks updated at" not in " ".join(str(e.value) for e in at.info)


def test_the_person_page_says_how_current_its_findings_are(engine: Engine, worker_on: dict) -> None:
    assert run_once(engine) == REFRESHED
    with Session(engine) as session:  # a studio-wide write: an Article 36 agreement
        studio = session.scalars(select(Organization)).first()
        session.add(LaborAgreement(organization_id=studio.id, has_36_agreement=True, special_clause=False,
                                    valid_from=dt.date(2024, 4, 1)))  # fmt: skip
        session.commit()
    another_worker_holds(engine, FINDINGS)
    at = sign_in("manager")
    at.session_state["person_id"] = worker_on["artist"]
    at.switch_page("app_pages/person.py").run()
    assert not at.exception, at.exception
    notices = " ".join(str(e.value) for e in at.info)
    assert "Findings updated at" in notices and "recomputing since" in notices, notices


def test_the_person_page_waits_for_findings_never_computed(engine: Engine, worker_on: dict) -> None:
    another_worker_holds(engine, FINDINGS)
    at = sign_in("manager")
    at.session_state["person_id"] = worker_on["artist"]
    at.switch_page("app_pages/person.py").run()
    assert not at.exception, at.exception
    assert "being computed for the first time" in " ".join(str(e.value) for e in at.info)
    assert len(at.get("progress")) == 1
    assert "Romaji: Hanako Yamada" in all_text(at)  # the rest of the person is there
