"""The whole studio's findings are stored once per change of the data and read back unchanged, on both backends."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from analytics_builders import Studio
from sqlalchemy import select

from analytics.findings import findings
from analytics.findings import snapshot as snap
from data.accounts import AuthenticationError, authenticate, create_account
from data.schema import FindingSnapshot, Person, RuleParameter
from data.snapshots import data_version, store_findings

D = dt.date


def _counting(monkeypatch) -> list[int]:  # noqa: ANN001
    calls: list[int] = []

    def counted(**kwargs):  # noqa: ANN003, ANN202
        calls.append(1)
        return findings(**kwargs)

    monkeypatch.setattr(snap, "findings", counted)
    return calls


def test_every_committed_write_moves_the_data_version(session) -> None:
    start = data_version(session)
    session.rollback()
    session.add(Person(display_name="A"))
    session.commit()
    assert data_version(session) == start + 1
    session.execute(select(Person.id)).all()
    session.commit()  # nothing written
    session.add(Person(display_name="B"))
    session.flush()
    session.rollback()
    assert data_version(session) == start + 1
    # Storing a snapshot derives from the data and must not make itself stale.
    store_findings(session, b"x", findings=0, version=start + 1, key="k", day=D(2025, 1, 1))
    session.commit()
    assert data_version(session) == start + 1
    assert session.scalar(select(FindingSnapshot.payload)) == b"x"


def test_signing_in_does_not_move_the_data_version(session) -> None:
    create_account(session, "mgr", "a long enough password", "manager")
    session.commit()
    version = data_version(session)
    authenticate(session, "mgr", "a long enough password")  # writes last_login_at
    session.commit()
    with pytest.raises(AuthenticationError):
        authenticate(session, "mgr", "wrong password")  # writes failed_attempts
    session.commit()
    assert data_version(session) == version


def test_snapshot_serves_the_same_findings_until_the_data_changes(session, monkeypatch) -> None:
    calls = _counting(monkeypatch)
    st = Studio(session)
    st.agreement()
    a = st.person("A")
    st.days(a, D(2025, 10, 6), 5, 12)  # 20 h over 8 h a day
    st.commit()
    first = snap.studio_findings(session=session)
    session.commit()
    assert len(calls) == 1 and not first.empty
    again = snap.studio_findings(session=session)
    session.commit()
    assert len(calls) == 1  # read back, not computed
    pd.testing.assert_frame_equal(again, first)
    pd.testing.assert_frame_equal(again, findings(session=session))

    b = st.person("B")
    st.days(b, D(2025, 10, 1), 20, 4)  # 20 days in a row: JP-OW-05
    st.commit()
    after = snap.studio_findings(session=session)
    session.commit()
    assert len(calls) == 2
    assert b.id in set(after.loc[after["rule_id"] == "JP-OW-05", "person_id"])
    pd.testing.assert_frame_equal(after, findings(session=session))


def test_snapshot_is_taken_again_on_a_new_day_or_new_reference_data(session, monkeypatch) -> None:
    calls = _counting(monkeypatch)
    st = Studio(session)
    st.days(st.person("A", employment_type="freelancer"), D(2025, 10, 1), 3, 5)
    st.commit()
    snap.studio_findings(session=session, today=D(2026, 1, 5))
    session.commit()
    snap.studio_findings(session=session, today=D(2026, 1, 5))
    session.commit()
    assert len(calls) == 1
    snap.studio_findings(session=session, today=D(2026, 1, 6))  # unpaid commissions age with the calendar
    session.commit()
    assert len(calls) == 2
    key = snap.snapshot_key(session)
    session.add(RuleParameter(jurisdiction="JP", key="test.extra", value={"value": 1}, effective_from=D(2025, 1, 1)))
    session.flush()
    assert snap.snapshot_key(session) != key  # seeded reference rows change the key even without a version bump
    session.rollback()
