"""The stored advocates' release: what the worker stores is exactly the release computed now, the Aggregates view
reads it instead of computing it, only writes to what the release reads make it stale, and every table a release
reads is declared (both backends)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from sqlalchemy import Engine, event, select, update
from sqlalchemy.orm import Session

import analytics.release_snapshot as rs
from analytics.advocate_view import advocate_view
from analytics.anonymized import k_threshold
from analytics.derived import worker as w
from analytics.findings.snapshot import serving_stored
from analytics.release import Release, release
from analytics.scope import Scope
from data.identity import Identity
from data.schema import Base, LaborAgreement, Production, ReleaseSnapshot
from data.snapshots import RELEASE, release_version, stored_release
from services.settings import save_setting

ADVOCATE = Scope(viewer=Identity(username="advocate", role="advocate"))
MANAGER = Identity(username="manager", role="manager")


def _assert_same(got: Release, want: Release) -> None:
    assert (got.k, got.quarter, got.quarters, got.hidden) == (want.k, want.quarter, want.quarters, want.hidden)
    assert list(got.tables) == list(want.tables)
    for name, table in want.tables.items():
        pd.testing.assert_frame_equal(got.tables[name], table, check_exact=True, obj=name)
        assert got.tables[name].attrs == table.attrs, name


def _computing_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("the release was computed, not read")

    monkeypatch.setattr(rs, "release", refuse)


def test_the_stored_release_is_the_release_computed_now(demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    assert w.run_once(demo_engine) == w.REFRESHED  # the findings' table is counted from their snapshot
    assert w.run_release_once(demo_engine) == w.REFRESHED
    assert w.run_release_once(demo_engine) == w.CURRENT
    with Session(demo_engine) as session:
        k = k_threshold(session)
        computed = release(session, k=k)
        assert computed.quarter is not None and any(len(t) for t in computed.tables.values())  # something to compare
        with serving_stored():
            view = advocate_view(session, scope=ADVOCATE)
        _computing_refused(monkeypatch)
        _assert_same(rs.current_release(session, k=k), computed)
        with serving_stored():
            from_store = advocate_view(session, scope=ADVOCATE)
    for name in (*computed.tables, "facts", "findings"):
        pd.testing.assert_frame_equal(getattr(from_store, name), getattr(view, name), check_exact=True, obj=name)
    assert from_store.suppressed == view.suppressed and from_store.quarters == view.quarters


def test_only_writes_the_release_reads_make_it_stale(demo_engine: Engine) -> None:
    assert w.run_release_once(demo_engine) == w.REFRESHED
    with Session(demo_engine) as session:
        session.execute(update(LaborAgreement).values(has_36_agreement=False))  # read by the findings, not here
        session.commit()
        before = release_version(session)
        assert rs.is_current(session, k=k_threshold(session))
        title = session.scalars(select(Production.title).order_by(Production.id).limit(1)).one()
        session.execute(update(Production).where(Production.title == title).values(title=title + " (改題)"))
        session.commit()
        assert release_version(session) == before + 1
        assert not rs.is_current(session, k=k_threshold(session))
    assert w.run_release_once(demo_engine) == w.REFRESHED
    with Session(demo_engine) as session:
        stored = rs.unpack(stored_release(session).payload)
        assert title + " (改題)" in set(stored.tables["hours_by_production"]["group"])
        _assert_same(stored, release(session, k=k_threshold(session)))
        save_setting(session, MANAGER, key="k_anonymity", raw=str(k_threshold(session) + 1))
        session.commit()
        assert not rs.is_current(session, k=k_threshold(session))
    assert w.run_release_once(demo_engine) == w.REFRESHED
    with Session(demo_engine) as session:
        k = k_threshold(session)
        assert stored_release(session).k == k
        _assert_same(rs.current_release(session, k=k), release(session, k=k))
        # The quarters released depend on the day: a stored release is of the day it was computed on.
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        assert rs.is_current(session, k=k) and not rs.is_current(session, k=k, today=tomorrow)


def test_a_request_stores_the_release_only_when_no_worker_keeps_it(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        k = k_threshold(session)
        with serving_stored():  # the worker on: it stores the release, a request only computes it
            rs.current_release(session, k=k)
        session.commit()
        assert session.scalar(select(ReleaseSnapshot.id)) is None
        computed = rs.current_release(session, k=k)  # no worker: the first visitor's result serves the next
        session.commit()
        assert rs.is_current(session, k=k)
        _assert_same(rs.unpack(stored_release(session).payload), computed)
        older = computed.quarters[-1]  # an earlier quarter is computed, and what is stored stays the latest
        assert rs.current_release(session, k=k, quarter=older).quarter == older
        session.commit()
        assert stored_release(session).quarter == computed.quarter


def test_every_table_the_release_reads_is_declared(demo_engine: Engine) -> None:
    names, seen = set(Base.metadata.tables), set()

    def note(_conn, _cursor, statement, *_args) -> None:
        seen.update(set(re.findall(r"\w+", statement)) & names)

    event.listen(demo_engine, "before_cursor_execute", note)
    try:
        with Session(demo_engine) as session:
            published = release(session, k=k_threshold(session))
            release(session, k=k_threshold(session), quarter=published.quarters[-1])
    finally:
        event.remove(demo_engine, "before_cursor_execute", note)
    assert {"rollup_person_month", "rollup_pay_cell", "setting"} <= seen  # it did trace
    assert seen <= RELEASE.reads, seen - RELEASE.reads
