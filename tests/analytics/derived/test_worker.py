"""The background worker keeps the findings snapshot current after writes, one worker per database, and a run that
dies leaves the last complete findings served and the work recorded for the next run (both backends)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from analytics.derived import worker as w
from analytics.derived.state import findings_freshness
from analytics.errors import FindingsNotReady
from analytics.findings import findings
from analytics.findings import snapshot as snap
from data.derived import acquire, lease_state, stale_since
from data.schema import FindingSnapshot, LaborAgreement
from tests.analytics.builders import Studio

D = dt.date
LIMIT = 300  # seconds a test waits for the worker thread before calling it hung (never a measure of speed)


def _studio(session: Session) -> Studio:
    st = Studio(session)
    st.agreement()
    a, b = st.person("A"), st.person("B")
    st.days(a, D(2025, 10, 6), 5, 12)  # 20 h over 8 h a day
    st.days(b, D(2025, 10, 6), 6, 9)
    st.commit()
    return st


def _served(session: Session) -> pd.DataFrame:
    """What a page's request gets with the worker on: the stored findings as they are, never computed."""
    with snap.serving_stored():
        return snap.studio_findings(session=session)


def _withdraw_the_agreement(engine: Engine) -> None:
    """A studio-wide write: without an Article 36 agreement every hour of overtime is a violation."""
    with Session(engine) as session:
        session.execute(update(LaborAgreement).values(has_36_agreement=False))
        session.commit()


def test_the_background_refresh_gives_exactly_the_synchronous_findings(engine: Engine) -> None:
    with Session(engine) as session:
        _studio(session)
        with pytest.raises(FindingsNotReady):  # a page never computes them, even the first time
            _served(session)
        session.rollback()
    assert w.run_once(engine) == w.REFRESHED
    assert w.run_once(engine) == w.CURRENT
    with Session(engine) as session:
        before = _served(session)
        assert stale_since(session) is None and findings_freshness(session).current
    _withdraw_the_agreement(engine)
    with Session(engine) as session:
        marked = stale_since(session)
        state = findings_freshness(session)
        assert marked is not None and not state.current and state.updated_at is not None
        pd.testing.assert_frame_equal(_served(session), before)  # the last complete result, until the worker ran
    refreshed: list[int] = []
    worker = w.Worker(engine, poll=3600, on_refreshed=lambda: refreshed.append(1)).start()
    try:
        assert worker.wait_for(w.REFRESHED, limit=LIMIT), worker.last_error
        current = worker.count(w.CURRENT)
        worker.wake()
        assert worker.wait_for(w.CURRENT, seen=current, limit=LIMIT), worker.last_error
        assert worker.count(w.REFRESHED) == 1 and worker.count("failed") == 0
    finally:
        worker.stop()
    assert refreshed == [1]
    with Session(engine) as session:
        after = _served(session)
        synchronous = findings(session=session)  # evaluated now, from the records, without any snapshot
        assert not after.equals(before)
        pd.testing.assert_frame_equal(after, synchronous)
        assert stale_since(session) is None and findings_freshness(session).current
        assert lease_state(session).holder is None and lease_state(session).finished_at is not None


def test_a_write_about_one_person_is_merged_in_by_the_worker(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as session:
        st = _studio(session)
        assert w.run_once(engine) == w.REFRESHED
        person = st.person("C")  # one person's contract and days: only they are evaluated again
        st.days(person, D(2025, 11, 3), 3, 14)
        st._people.add(person.id)
        st.commit()
        assert stale_since(session) is not None
    assert w.run_once(engine) == w.REFRESHED
    with Session(engine) as session:
        served = _served(session)
        assert person.id in set(served["person_id"])
        pd.testing.assert_frame_equal(served, findings(session=session))


def test_the_lease_keeps_a_second_worker_out(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    with Session(engine) as session:
        _studio(session)
    seen: list[str] = []
    evaluate = snap.evaluate

    def a_second_worker_meanwhile(**kwargs):
        # While the first run computes (its lease held), another process's worker finds the database taken.
        seen.append(w.run_once(engine, holder="second"))
        return evaluate(**kwargs)

    monkeypatch.setattr(snap, "evaluate", a_second_worker_meanwhile)
    assert w.run_once(engine, holder="first") == w.REFRESHED
    assert seen == [w.BUSY]
    with Session(engine) as session:
        assert acquire(session, holder="one", ttl=w.LEASE)
        session.commit()
    with Session(engine) as session:
        assert not acquire(session, holder="two", ttl=w.LEASE)  # held and not expired
        assert acquire(session, holder="one", ttl=w.LEASE)  # its own, renewed
        session.commit()


def test_a_run_that_dies_leaves_the_old_findings_served_and_the_next_one_resumes(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(engine) as session:
        _studio(session)
    assert w.run_once(engine) == w.REFRESHED
    with Session(engine) as session:
        before = _served(session)
        snapshot_ids = session.scalars(select(FindingSnapshot.id)).all()
    _withdraw_the_agreement(engine)

    def dies(**_kwargs):
        raise RuntimeError("killed in the middle of the rules")

    monkeypatch.setattr(snap, "evaluate", dies)
    with pytest.raises(RuntimeError, match="killed"):
        w.run_once(engine, holder="doomed")
    with Session(engine) as session:
        pd.testing.assert_frame_equal(_served(session), before)
        assert session.scalars(select(FindingSnapshot.id)).all() == snapshot_ids
        assert stale_since(session) is not None  # the work is still recorded as due
        lease = lease_state(session)
        assert lease.holder is None and "killed" in (lease.error or "")
    monkeypatch.undo()

    # A worker killed outright gives nothing back: its lease stays until it expires, then the next worker resumes.
    start = w.utcnow()
    with Session(engine) as session:
        assert acquire(session, holder="dead", ttl=w.LEASE, now=start)
        session.commit()
    assert w.run_once(engine, holder="next", clock=lambda: start + w.LEASE / 2) == w.BUSY
    assert w.run_once(engine, holder="next", clock=lambda: start + w.LEASE * 2) == w.REFRESHED
    with Session(engine) as session:
        resumed = _served(session)
        assert not resumed.equals(before)
        pd.testing.assert_frame_equal(resumed, findings(session=session))
        assert stale_since(session) is None and lease_state(session).error is None


def test_the_command_line_runs_the_worker_once(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    from analytics.derived.__main__ import main

    with Session(engine) as session:
        _studio(session)
    url = engine.url.render_as_string(hide_password=False)
    assert main(["--once", "--database-url", url]) == 0
    assert main(["--once", "--database-url", url]) == 0
    assert capsys.readouterr().out.split() == [w.REFRESHED, w.CURRENT]
    with Session(engine) as session:
        pd.testing.assert_frame_equal(_served(session), findings(session=session))
