"""The stored credit checks: the background worker's check of every production equals a synchronous recomputation,
a write the checks read makes them stale (and only such a write), and every table a check reads is declared (both
backends)."""

from __future__ import annotations

import re

import pandas as pd
from sqlalchemy import Engine, event, select, update
from sqlalchemy.orm import Session

from analytics.credits.checks import (
    Refreshed,
    check_state,
    refresh_credit_checks,
    refresh_production,
    stale_productions,
)
from analytics.credits.crosscheck import check_production
from analytics.dashboard import credits_view, stored_credits_view
from analytics.derived import worker as w
from analytics.derived.state import credits_freshness
from analytics.scope import Scope
from data.credit_checks import credits_version
from data.derived import CREDITS, acquire, lease_state, stale_since
from data.engine import session_scope
from data.identity import Identity
from data.schema import Base, CreditCheck, CreditLine, PersonAlias, Production, RuleParameter, WorkLog
from data.snapshots import CREDIT_CHECKS
from tests.app_fixtures import build_small_studio

MANAGER = Identity(username="manager", role="manager")
LIMIT = 300  # seconds a test waits for the worker thread before calling it hung (never a measure of speed)


def _productions(session: Session) -> list[int]:
    return list(session.scalars(select(Production.id).order_by(Production.id)))


def _assert_stored_equals_live(session: Session) -> None:
    """Every production's stored check, as the Credits page shows it, is what a computation now gives."""
    for pid in _productions(session):
        scope = Scope(productions=(pid,), viewer=MANAGER)
        stored, live = stored_credits_view(session, scope=scope), credits_view(session, scope=scope)
        assert stored is not None, pid
        assert stored.credits_checked == live.credits_checked
        pd.testing.assert_frame_equal(stored.findings, live.findings)
        pd.testing.assert_frame_equal(stored.counts, live.counts)
        pd.testing.assert_frame_equal(stored.people, live.people)


def test_the_background_refresh_equals_a_synchronous_recomputation(engine: Engine) -> None:
    with Session(engine) as session:
        ids = build_small_studio(session)
        assert stale_productions(session) == [ids["tv"], ids["film"]]  # never checked
        assert stored_credits_view(session, scope=Scope(productions=(ids["tv"],), viewer=MANAGER)) is None
    assert w.run_credits_once(engine) == w.REFRESHED
    assert w.run_credits_once(engine) == w.CURRENT
    with Session(engine) as session:
        _assert_stored_equals_live(session)
        tv = stored_credits_view(session, scope=Scope(productions=(ids["tv"],), viewer=MANAGER))
        assert "未定" in tv.findings.loc[tv.findings["severity"] == "ERROR", "name"].tolist()  # it did check
        assert stale_since(session, CREDITS) is None and check_state(session, production_id=ids["tv"]).current
        before = credits_version(session)
        lease = lease_state(session, kind=CREDITS)
        assert lease.holder is None and lease.finished_at is not None and lease.error is None
    with Session(engine) as session:  # the placeholder linked to the person who did the work
        alias = session.scalars(select(PersonAlias).where(PersonAlias.person_id == ids["artist2"])).first()
        session.execute(
            update(CreditLine).where(CreditLine.name_as_credited == "未定").values(person_alias_id=alias.id)
        )
        session.commit()
    with Session(engine) as session:
        assert credits_version(session) == before + 1 and stale_since(session, CREDITS) is not None
        assert not check_state(session, production_id=ids["tv"]).current
        stale = stored_credits_view(session, scope=Scope(productions=(ids["tv"],), viewer=MANAGER))
        pd.testing.assert_frame_equal(stale.findings, tv.findings)  # the last complete result until then
    assert w.run_credits_once(engine) == w.REFRESHED
    with Session(engine) as session:
        _assert_stored_equals_live(session)
        fixed = stored_credits_view(session, scope=Scope(productions=(ids["tv"],), viewer=MANAGER))
        assert "未定" not in fixed.findings.loc[fixed.findings["severity"] == "ERROR", "name"].tolist()
        assert stale_since(session, CREDITS) is None


def test_only_writes_the_checks_read_make_them_stale(engine: Engine) -> None:
    with Session(engine) as session:
        ids = build_small_studio(session)
    assert w.run_credits_once(engine) == w.REFRESHED
    with Session(engine) as session:
        before = credits_version(session)
        session.execute(update(RuleParameter).values(help="re-read"))  # the findings read it, the credits do not
        session.commit()
        assert credits_version(session) == before and stale_since(session, CREDITS) is None
        session.execute(update(WorkLog).where(WorkLog.person_id == ids["artist"]).values(units=3))
        session.commit()
        assert credits_version(session) == before + 1
        assert credits_freshness(session, production_id=ids["film"]).stale_since is not None


def test_a_fix_rechecks_its_production_at_once_and_the_worker_the_others(engine: Engine) -> None:
    with Session(engine) as session:
        ids = build_small_studio(session)
    assert w.run_credits_once(engine) == w.REFRESHED
    with Session(engine) as session:
        session.execute(
            update(CreditLine).where(CreditLine.name_as_credited == "未定").values(uncredited_reason="checked")
        )
        session.commit()
        assert refresh_production(session, production_id=ids["tv"])
        session.commit()
        assert check_state(session, production_id=ids["tv"]).current
        assert stale_productions(session) == [ids["film"]]  # the worker's part; still stale for everyone
        assert stale_since(session, CREDITS) is not None
    assert w.run_credits_once(engine) == w.REFRESHED
    with Session(engine) as session:
        assert stale_productions(session) == [] and stale_since(session, CREDITS) is None
        _assert_stored_equals_live(session)


def test_another_workers_lease_is_left_alone(engine: Engine) -> None:
    with Session(engine) as session:
        build_small_studio(session)
        assert acquire(session, holder="another process", ttl=w.LEASE, kind=CREDITS)
        session.commit()
    assert w.run_credits_once(engine) == w.BUSY
    with Session(engine) as session:
        assert session.scalars(select(CreditCheck)).all() == []


def test_the_worker_thread_keeps_the_credit_checks_current(engine: Engine) -> None:
    with Session(engine) as session:
        build_small_studio(session)
    worker = w.Worker(engine, poll=0.05).start()
    try:
        assert worker.wait_for(w.CREDITS_PREFIX + w.REFRESHED, limit=LIMIT)
        with Session(engine) as session:
            _assert_stored_equals_live(session)
    finally:
        worker.stop()


def test_every_table_a_check_reads_is_declared(fixture_session: Session, fixture_engine: Engine) -> None:
    names, seen = set(Base.metadata.tables), set()

    def note(_conn, _cursor, statement, *_args) -> None:
        seen.update(set(re.findall(r"\w+", statement)) & names)

    event.listen(fixture_engine, "before_cursor_execute", note)
    try:
        for pid in _productions(fixture_session):
            check_production(fixture_session, production=pid)
    finally:
        event.remove(fixture_engine, "before_cursor_execute", note)
    assert {"credit_line", "rollup_work_month"} <= seen  # it did trace
    assert seen <= CREDIT_CHECKS.reads, seen - CREDIT_CHECKS.reads


def test_a_run_paused_for_the_findings_keeps_what_it_checked_and_the_next_goes_on(engine: Engine) -> None:
    with Session(engine) as session:
        ids = build_small_studio(session)

    def begin() -> Session:
        return session_scope(engine)

    done = refresh_credit_checks(begin, pause=lambda: True)
    assert done == Refreshed(1, None)  # the first production, then the findings' turn
    with Session(engine) as session:
        assert stale_productions(session) == [ids["film"]] and stale_since(session, CREDITS) is not None
        version = credits_version(session)
    assert refresh_credit_checks(begin) == Refreshed(1, version)
    with Session(engine) as session:
        assert stale_productions(session) == [] and stale_since(session, CREDITS) is None
        _assert_stored_equals_live(session)
