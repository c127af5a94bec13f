"""The background worker keeps the findings snapshot current after writes, one worker per database, and a run that
dies leaves the last complete findings served and the work recorded for the next run (both backends)."""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import pytest
from sqlalchemy import Engine, event, select, update
from sqlalchemy.orm import Session

from analytics.derived import worker as w
from analytics.derived.state import findings_freshness
from analytics.errors import FindingsNotReady
from analytics.findings import findings
from analytics.findings import snapshot as snap
from data.derived import acquire, derived_stamp, lease_state, newest_findings, stale_since
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
    assert w.run_release_once(engine) == w.REFRESHED  # an agreement is not read by the release: it stays current
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


def _current_within(engine: Engine, limit: float) -> bool:
    """True once the stored findings are current and nothing is marked stale (a guard of ``limit`` seconds against a
    hang, never a measure of speed)."""
    give_up = time.monotonic() + limit
    while time.monotonic() < give_up:
        with Session(engine) as session:
            if snap.is_current(session) and stale_since(session) is None:
                return True
        time.sleep(0.2)
    return False


def test_the_worker_in_a_process_of_its_own_refreshes_and_ends_with_its_pipe(engine: Engine) -> None:
    # As the dashboard runs it (derived_worker_mode "process"): the command line in a child process, the URL in its
    # environment, a byte on its pipe for each write, the pipe's end to stop it.
    with Session(engine) as session:
        _studio(session)
    url = engine.url.render_as_string(hide_password=False)
    worker = w.start_worker(engine, mode="process")
    try:
        assert isinstance(worker, w.WorkerProcess) and worker.alive()
        assert w.start_worker(engine, mode="process") is worker  # one per process and database
        assert url not in " ".join(worker._process.args)  # a password would show in the process list
        assert _current_within(engine, LIMIT)
        _withdraw_the_agreement(engine)
        worker.wake()
        assert _current_within(engine, LIMIT)
        with Session(engine) as session:
            served = _served(session)
            pd.testing.assert_frame_equal(served, findings(session=session))
            assert lease_state(session).error is None
        # The stamp a page's cache is keyed by moved on with each snapshot the process stored.
        with Session(engine) as session:
            stamp = derived_stamp(session)
        _withdraw_the_agreement(engine)  # rewritten as it is: the data version moves on all the same
        worker.wake()
        assert _current_within(engine, LIMIT)
        with Session(engine) as session:
            assert derived_stamp(session) != stamp
    finally:
        w.stop_workers()
    assert not worker.alive() and worker._process.returncode == 0  # it ended on the pipe's end, not killed
    with pytest.raises(ValueError, match="derived_worker_mode"):
        w.start_worker(engine, mode="fork")


def test_a_process_reads_each_findings_file_once_and_always_the_newest(engine: Engine) -> None:
    with Session(engine) as session:
        _studio(session)
    assert w.run_once(engine) == w.REFRESHED
    read: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "payload" in statement:
            read.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        with Session(engine) as session:
            first = newest_findings(session)
            assert newest_findings(session) == first and len(read) == 1  # the second read: the mark alone
        _withdraw_the_agreement(engine)  # a new snapshot: a new mark, whose file is read
        assert w.run_once(engine) == w.REFRESHED
        read.clear()  # the worker's own reads and writes of the file
        with Session(engine) as session:
            second = newest_findings(session)
            assert second[0] != first[0] and len(read) == 1
            assert second[1] == session.scalar(select(FindingSnapshot.payload).order_by(FindingSnapshot.id.desc()))
            pd.testing.assert_frame_equal(_served(session), findings(session=session))
    finally:
        event.remove(engine, "before_cursor_execute", note)
