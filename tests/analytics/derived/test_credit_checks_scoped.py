"""A write that says which productions it changed (the Credits page's fixes, ``data.engine.about_productions``)
makes only those productions' stored checks stale; the worker then checks only them, and what it stores equals a
synchronous recomputation of every production. A write that names none, or one made before the declaration, still
counts for every production (both backends)."""

from __future__ import annotations

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from analytics.credits.checks import check_state, stale_productions
from analytics.derived import worker as w
from data.credit_checks import credits_version, productions_of_people
from data.derived import CREDITS, stale_since
from data.engine import about_productions
from data.schema import CreditLine
from services.credit_fixes import record_incomplete_list_reason, repoint_credit_line
from services.credit_lines import add_credit_line
from tests.analytics.derived.test_credit_checks import MANAGER, _assert_stored_equals_live
from tests.app_fixtures import build_small_studio


def _placeholder(session: Session) -> CreditLine:
    return session.scalars(select(CreditLine).where(CreditLine.name_as_credited == "未定")).one()


def test_a_fix_of_one_line_rechecks_its_production_only(engine: Engine) -> None:
    with Session(engine) as session:
        ids = build_small_studio(session)
    assert w.run_credits_once(engine) == w.REFRESHED
    with Session(engine) as session:
        before = credits_version(session)
        line = _placeholder(session)
        assert line.production_id == ids["tv"]
        record_incomplete_list_reason(session, MANAGER, credit_line_id=line.id, reason="original list lost")
        session.commit()
    with Session(engine) as session:
        assert credits_version(session) == before  # not every production's
        assert stale_productions(session) == [ids["tv"]]
        assert check_state(session, production_id=ids["film"]).current
        assert not check_state(session, production_id=ids["tv"]).current
        assert stale_since(session, CREDITS) is not None  # the notice: recomputing since the fix
    assert w.run_credits_once(engine) == w.REFRESHED
    with Session(engine) as session:
        assert stale_productions(session) == [] and stale_since(session, CREDITS) is None
        _assert_stored_equals_live(session)  # the worker's checks are what a synchronous recomputation gives
        tv = check_state(session, production_id=ids["tv"])
        assert tv.current


def test_linking_a_person_rechecks_every_production_of_that_person(engine: Engine) -> None:
    with Session(engine) as session:
        ids = build_small_studio(session)
    assert w.run_credits_once(engine) == w.REFRESHED
    with Session(engine) as session:
        theirs = productions_of_people(session, [ids["artist2"]])
        assert theirs  # the test studio's artist worked on something
        repoint_credit_line(session, MANAGER, credit_line_id=_placeholder(session).id, person_id=ids["artist2"])
        session.commit()
    with Session(engine) as session:
        assert set(stale_productions(session)) == {ids["tv"]} | theirs
    assert w.run_credits_once(engine) == w.REFRESHED
    with Session(engine) as session:
        assert stale_productions(session) == []
        _assert_stored_equals_live(session)


def test_a_line_added_for_a_person_rechecks_their_productions(engine: Engine) -> None:
    with Session(engine) as session:
        ids = build_small_studio(session)
    assert w.run_credits_once(engine) == w.REFRESHED
    with Session(engine) as session:
        add_credit_line(session, MANAGER, production_id=ids["film"], role="動画", person_id=ids["pen"])
        session.commit()
        expected = {ids["film"]} | productions_of_people(session, [ids["pen"]])
    with Session(engine) as session:
        assert set(stale_productions(session)) == expected
    assert w.run_credits_once(engine) == w.REFRESHED
    with Session(engine) as session:
        _assert_stored_equals_live(session)


def test_writes_that_name_no_production_still_make_every_check_stale(engine: Engine) -> None:
    with Session(engine) as session:
        ids = build_small_studio(session)
    assert w.run_credits_once(engine) == w.REFRESHED
    everyone = sorted([ids["tv"], ids["film"]])
    with Session(engine) as session:
        # A write before the declaration: that transaction counts for every production.
        before = credits_version(session)
        session.execute(update(CreditLine).where(CreditLine.production_id == ids["film"]).values(note="a"))
        about_productions(session, [ids["tv"]])
        session.execute(update(CreditLine).where(CreditLine.production_id == ids["tv"]).values(note="b"))
        session.commit()
        assert credits_version(session) == before + 1 and sorted(stale_productions(session)) == everyone
    assert w.run_credits_once(engine) == w.REFRESHED
    with Session(engine) as session:
        # A declaration is about its own transaction only: the next one's writes count for every production.
        about_productions(session, [ids["tv"]])
        session.commit()
        before = credits_version(session)
        session.execute(update(CreditLine).where(CreditLine.production_id == ids["film"]).values(note="c"))
        session.commit()
        assert credits_version(session) == before + 1 and sorted(stale_productions(session)) == everyone
        # Rolled back: nothing marked.
        about_productions(session, [ids["tv"]])
        session.execute(update(CreditLine).where(CreditLine.production_id == ids["tv"]).values(note="d"))
        session.rollback()
        assert credits_version(session) == before + 1
    assert w.run_credits_once(engine) == w.REFRESHED
    with Session(engine) as session:
        _assert_stored_equals_live(session)
