"""The Workload and Pay pages' findings, read from the stored file by the columns that select, order and count them,
then every column of only the rows shown: the same view as reading every finding whole and cutting it (on both
backends, computed on the request or served as stored, with the file's row groups small enough that the shown rows
span several)."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext

import numpy as np
import pandas as pd
from sqlalchemy import select

from analytics import dashboard
from analytics.dashboard import FindingsView, findings_view, split_findings
from analytics.findings import EVALUATED_COLUMNS
from analytics.findings import snapshot as snap
from analytics.queries.overview import home_jurisdiction
from analytics.scope import Scope
from data.identity import Identity
from data.schema import Production, Role, RollupWorkMonth

D = dt.date
MANAGER = Identity(username="<manager>", role="manager")


def _whole(session, scope: Scope) -> FindingsView:
    """The view as the pages built it before: every finding in scope read whole, named, then split and cut."""
    return split_findings(snap.studio_findings(session, scope=scope), home=home_jurisdiction(session))


def _same(view: FindingsView, expected: FindingsView) -> None:
    for part in ("hours", "pay", "counts"):
        pd.testing.assert_frame_equal(getattr(view, part), getattr(expected, part))
    assert (view.hours_total, view.pay_total, view.home) == (expected.hours_total, expected.pay_total, expected.home)
    assert view.error is None and not view.pending


def test_the_shown_findings_are_read_alone_and_are_the_same(demo_session, monkeypatch) -> None:
    monkeypatch.setattr(snap, "ROW_GROUP_ROWS", 500)
    monkeypatch.setattr(dashboard, "TABLE_ROWS", 700)
    s = demo_session
    productions = tuple(s.scalars(select(Production.id).order_by(Production.id)).all()[:2])
    department = s.scalars(select(Role.department).where(Role.department.is_not(None)).order_by(Role.id)).first()
    busiest = s.execute(
        select(RollupWorkMonth.person_id).group_by(RollupWorkMonth.person_id)
        .order_by(RollupWorkMonth.person_id).limit(1)
    ).scalar_one()  # fmt: skip
    scopes = [
        Scope(viewer=MANAGER),
        Scope(viewer=MANAGER, productions=productions),
        Scope(viewer=MANAGER, departments=(department,)),
        Scope(viewer=MANAGER, start=D(2025, 4, 10), end=D(2025, 9, 20)),
        Scope(viewer=MANAGER, productions=productions[:1], start=D(2025, 6, 1), end=D(2025, 6, 30)),
        Scope(viewer=MANAGER, people=(busiest,)),
        Scope(viewer=MANAGER, start=D(1990, 1, 1), end=D(1990, 1, 31)),  # nobody
    ]
    studio = findings_view(s, scope=scopes[0])  # computed on this request, stored in row groups of 500
    s.commit()
    assert studio.hours_total > 700 and len(studio.hours) == 700 and studio.pay_total > 0
    for serving in (nullcontext, snap.serving_stored):
        with serving():
            for scope in scopes:
                _same(findings_view(s, scope=scope), _whole(s, scope))
    assert findings_view(s, scope=scopes[-1]).hours.empty

    stored = snap.studio_file(s)
    whole = stored.columns(EVALUATED_COLUMNS)
    assert stored.count == len(whole) > 2000
    at = np.array([len(whole) - 1, 0, 501, 499, 500, 1999, 1000, 3])  # out of order, across groups
    pd.testing.assert_frame_equal(stored.rows(at), whole.iloc[at].reset_index(drop=True))
    none = stored.rows(np.array([], dtype=np.int64))
    assert none.empty and list(none.columns) == EVALUATED_COLUMNS


def test_the_findings_of_some_rules_are_those_of_all_rules_kept(demo_session, monkeypatch) -> None:
    monkeypatch.setattr(snap, "ROW_GROUP_ROWS", 500)
    s = demo_session
    snap.studio_findings(s)  # computed and stored in row groups of 500
    s.commit()
    rules = ["JP-OW-01", "JP-OW-05", "JP-MW-01", "JP-FL-01"]
    for serving in (nullcontext, snap.serving_stored):
        with serving():
            for scope in (Scope(), Scope(start=D(2025, 3, 1), end=D(2025, 3, 31))):
                every = snap.studio_findings(s, scope=scope)
                some = snap.studio_findings(s, scope=scope, rules=rules)
                expected = every[every["rule_id"].isin(rules)].reset_index(drop=True)
                assert len(expected) > 10 and expected["rule_id"].nunique() > 1
                pd.testing.assert_frame_equal(some, expected)


def test_some_columns_of_the_findings_are_those_of_every_column(demo_session, monkeypatch) -> None:
    # What the Overview's attention list reads: a month's findings of some rules, without their sentences.
    monkeypatch.setattr(snap, "ROW_GROUP_ROWS", 500)
    s = demo_session
    snap.studio_findings(s)
    s.commit()
    rules = ["JP-OW-01", "JP-OW-05", "JP-MW-01"]
    columns = ["person_id", "person", "rule_id", "measured_value", "period_end"]
    for serving in (nullcontext, snap.serving_stored):
        with serving():
            for scope in (Scope(), Scope(start=D(2025, 3, 1), end=D(2025, 3, 31)), Scope(people=(1, 2, 3))):
                every = snap.studio_findings(s, scope=scope, rules=rules)
                some = snap.studio_findings(s, scope=scope, rules=rules, columns=columns)
                expected = every[["rule_id", "person_id", "person", "period_end", "measured_value"]]
                pd.testing.assert_frame_equal(some, expected)
                whole = snap.studio_findings(s, scope=scope, columns=columns)
                pd.testing.assert_frame_equal(whole[whole["rule_id"].isin(rules)].reset_index(drop=True), some)
