"""The rollups follow every edit: an incremental refresh equals a full rebuild, deleted rows go, and reading the
whole table instead of the index changes nothing (moved from tests/test_analytics_queries.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from analytics import ai_share
from analytics.scope import Scope
from data.rollup import reading, refresh
from data.schema import (
    PayItem,
    RollupCutMonth,
    RollupCutTotal,
    RollupDepartmentMonth,
    RollupPayCell,
    RollupPersonDay,
    RollupPersonMonth,
    RollupPersonWeek,
    RollupProductionMonth,
    RollupWorkCell,
    RollupWorkMonth,
    WorkLog,
)
from tests.analytics.builders import Studio

D = dt.date
ALL = Scope()


def _rollup_snapshot(session: Session) -> tuple:
    days = session.execute(
        select(
            RollupPersonDay.person_id,
            RollupPersonDay.work_date,
            RollupPersonDay.seconds,
            RollupPersonDay.daily_ot_seconds,
            RollupPersonDay.weekly_ot_seconds,
        ).order_by(RollupPersonDay.person_id, RollupPersonDay.work_date)
    ).all()
    months = session.execute(
        select(
            RollupPersonMonth.person_id,
            RollupPersonMonth.month_start,
            RollupPersonMonth.seconds,
            RollupPersonMonth.ot_seconds,
            RollupPersonMonth.pay_amount,
        ).order_by(RollupPersonMonth.person_id, RollupPersonMonth.month_start)
    ).all()
    weeks = session.execute(
        select(RollupPersonWeek.person_id, RollupPersonWeek.week_start, RollupPersonWeek.seconds,
               RollupPersonWeek.days_worked, RollupPersonMonth.mw_shortfall_amount)
        .outerjoin(RollupPersonMonth, RollupPersonMonth.person_id == RollupPersonWeek.person_id)
        .order_by(RollupPersonWeek.person_id, RollupPersonWeek.week_start, RollupPersonMonth.month_start)
    ).all()  # fmt: skip
    c = RollupPayCell
    cells = session.execute(
        select(c.month_start, c.production_id, c.episode_id, c.role_id, c.basis, c.currency, c.amount, c.ai_amount,
               c.units, c.items)
        .order_by(c.month_start, c.production_id, c.episode_id, c.role_id, c.basis, c.currency)
    ).all()  # fmt: skip
    m = RollupCutMonth
    cut_rows = session.execute(
        select(m.month_start, m.production_id, m.episode_id, m.cut_id, m.role_id, m.seconds, m.ai_seconds,
               m.ai_sessions, m.sessions)
        .order_by(m.month_start, m.production_id, m.episode_id, m.cut_id, m.role_id)
    ).all()  # fmt: skip
    pm, dm = RollupProductionMonth, RollupDepartmentMonth
    production_months = session.execute(
        select(pm.month_start, pm.production_id, pm.seconds, pm.night_seconds, pm.holiday_seconds, pm.ai_seconds,
               pm.units, pm.ai_units, pm.sessions, pm.people)
        .order_by(pm.month_start, pm.production_id)
    ).all()  # fmt: skip
    department_months = session.execute(
        select(dm.month_start, dm.department, dm.seconds, dm.night_seconds, dm.holiday_seconds, dm.ai_seconds,
               dm.units, dm.ai_units, dm.sessions, dm.people, dm.cuts)
        .order_by(dm.month_start, dm.department)
    ).all()  # fmt: skip
    wc = RollupWorkCell
    work_cells = session.execute(
        select(wc.month_start, wc.production_id, wc.episode_id, wc.role_id, wc.seconds, wc.night_seconds,
               wc.holiday_seconds, wc.ai_seconds, wc.units, wc.ai_units, wc.sessions)
        .order_by(wc.month_start, wc.production_id, wc.episode_id, wc.role_id)
    ).all()  # fmt: skip
    ct = RollupCutTotal
    cut_totals = session.execute(
        select(ct.production_id, ct.episode_id, ct.cut_id, ct.role_id, ct.seconds, ct.ai_seconds, ct.ai_sessions,
               ct.sessions)
        .order_by(ct.production_id, ct.episode_id, ct.cut_id, ct.role_id)
    ).all()  # fmt: skip
    # Float sums may differ in the last bits with the order rows are added in: compare them to 6 decimals.
    return (
        [tuple(r) for r in days],
        [tuple(r) for r in months],
        [tuple(r) for r in weeks],
        [(*r[:7], round(r[7], 6), *r[8:]) for r in cells],
        [(*r[:6], round(r[6], 6), *r[7:]) for r in cut_rows],
        [(*r[:5], round(r[5], 6), *r[6:]) for r in production_months],
        [(*r[:5], round(r[5], 6), *r[6:]) for r in department_months],
        [(*r[:7], round(r[7], 6), *r[8:]) for r in work_cells],
        [(*r[:5], round(r[5], 6), *r[6:]) for r in cut_totals],
    )


def test_incremental_refresh_matches_a_full_rebuild(session) -> None:
    st = Studio(session)
    a, b = st.person("A"), st.person("B")
    st.days(a, D(2025, 9, 28), 10, 9)
    st.days(b, D(2025, 10, 1), 5, 8)
    st.pay(a, 100_000, D(2025, 10, 1), D(2025, 10, 31))
    st.commit()
    # An edit to one person and one day: the writer refreshes just that, in its own transaction.
    session.add(WorkLog(person_id=a.id, work_date=D(2025, 10, 4), seconds=300 * 60, night_seconds=0))
    refresh(session, person_ids=[a.id], start=D(2025, 10, 4), end=D(2025, 10, 4))
    session.commit()
    incremental = _rollup_snapshot(session)
    refresh(session)
    session.commit()
    assert _rollup_snapshot(session) == incremental
    oct4 = [r for r in incremental[0] if r[0] == a.id and r[1] == D(2025, 10, 4)][0]
    assert oct4[2] == (9 * 60 + 300) * 60


def test_refresh_reading_the_whole_table_matches_the_index_walk(session, monkeypatch) -> None:
    """A refresh that touches most of work_log reads the table in storage order on SQLite (a planner choice, not a
    different query): the rollups it writes are the same."""
    st = Studio(session)
    a, b = st.person("A"), st.person("B")
    st.days(a, D(2025, 9, 28), 10, 9)
    st.days(b, D(2025, 10, 1), 5, 8)
    st.pay(a, 100_000, D(2025, 10, 1), D(2025, 10, 31))
    st.commit()
    by_index = _rollup_snapshot(session)
    monkeypatch.setattr(reading, "TABLE_SCAN_MIN_ROWS", 0)
    scans = []
    real = reading.most_of_table
    monkeypatch.setattr(reading, "most_of_table", lambda *a, **k: scans.append(real(*a, **k)) or scans[-1])
    refresh(session, person_ids=[a.id, b.id], start=D(2025, 9, 28), end=D(2025, 10, 31))
    session.commit()
    assert scans == [session.get_bind().dialect.name == "sqlite"]
    assert _rollup_snapshot(session) == by_index


def test_refresh_after_deleting_rows_clears_them(session) -> None:
    st = Studio(session)
    a = st.person("A")
    st.days(a, D(2025, 10, 1), 3, 8)
    st.commit()
    session.execute(delete(WorkLog).where(WorkLog.work_date == D(2025, 10, 2)))
    refresh(session, person_ids=[a.id], start=D(2025, 10, 2), end=D(2025, 10, 2))
    session.commit()
    assert session.scalar(select(func.sum(RollupPersonDay.seconds))) == 16 * 3600
    assert session.scalar(select(func.sum(RollupWorkMonth.seconds))) == 16 * 3600


def test_dashboard_rollups_follow_edits(session) -> None:
    """Weeks, pay cells with AI-apportioned pay and the minimum-wage shortfall follow an incremental refresh, deleted
    rows included, and equal a full rebuild."""
    st = Studio(session)
    prod = st.production("Sky Runner", episodes=1, cuts=2)
    ep = st.episode(prod, "1")
    a, b = st.person("A"), st.person("B")
    cut1, cut2 = st.cuts(ep)
    st.work(a, D(2025, 10, 6), 8, production=prod, episode=ep, ai=0.25)
    st.work(b, D(2025, 10, 7), 4, production=prod, episode=ep, cut=cut1)
    st.work(b, D(2025, 10, 9), 2, production=prod, episode=ep, cut=cut2, ai=0.5)
    st.pay(a, 8000, D(2025, 10, 1), D(2025, 10, 31), production=prod, episode=ep)
    st.pay(b, 2000, D(2025, 10, 1), D(2025, 10, 31), production=prod, episode=ep)
    st.commit()
    cells = session.execute(select(func.sum(RollupPayCell.amount), func.sum(RollupPayCell.ai_amount))).one()
    assert float(cells[0]) == 10000.0
    assert cells[1] == pytest.approx(2000.0 + 2000.0 * 60 / 360)  # A: 2 AI hours of 8; B: 1 of 6
    week = session.execute(select(RollupPersonWeek.week_start, RollupPersonWeek.seconds)
                           .where(RollupPersonWeek.person_id == a.id)).all()  # fmt: skip
    assert [tuple(r) for r in week] == [(D(2025, 10, 5), 480 * 60)]
    # The month × production and month × department rows count each person once, and the distinct cuts.
    pm, dm = RollupProductionMonth, RollupDepartmentMonth
    month = D(2025, 10, 1)
    assert session.execute(select(pm.month_start, pm.production_id, pm.seconds, pm.people)).all() == [
        (month, prod.id, 14 * 3600, 2)
    ]
    assert session.execute(select(dm.month_start, dm.department, dm.seconds, dm.people, dm.cuts)).all() == [
        (month, "unassigned", 14 * 3600, 2, 2)
    ]
    # B's pay is deleted and A works a second day that week without AI: the writer refreshes those two.
    assert set(ai_share.cut_share(session, scope=ALL)["ai_cuts"]) == {1}
    session.execute(delete(PayItem).where(PayItem.person_id == b.id))
    session.execute(delete(WorkLog).where(WorkLog.cut_id == cut2.id))
    session.add(WorkLog(person_id=a.id, work_date=D(2025, 10, 8), seconds=480 * 60, night_seconds=0,
                        production_id=prod.id, episode_id=ep.id))  # fmt: skip
    refresh(session, person_ids=[a.id, b.id], start=D(2025, 10, 8), end=D(2025, 10, 8))
    session.commit()
    incremental = _rollup_snapshot(session)
    cells = session.execute(select(func.sum(RollupPayCell.amount), func.sum(RollupPayCell.ai_amount))).one()
    assert (float(cells[0]), cells[1]) == (8000.0, 1000.0)  # 8,000 × 2 AI hours of 16
    assert [r[2] for r in incremental[2] if r[0] == a.id] == [960 * 60]
    assert [(r[3], r[5]) for r in incremental[4]] == [(cut1.id, 240 * 60)]  # B's AI-assisted cut 2 work is gone
    assert set(ai_share.cut_share(session, scope=ALL)["ai_cuts"]) == {0}
    assert [r[2:] for r in incremental[5]] == [(20 * 3600, 0, 0, 2 * 3600.0, 0.0, 0.0, 3, 2)]
    assert [(r[1], r[9], r[10]) for r in incremental[6]] == [("unassigned", 2, 1)]  # cut 2's work is gone
    assert [(r[1], r[2], r[4], r[10]) for r in incremental[7]] == [(prod.id, ep.id, 20 * 3600, 3)]
    assert [(r[2], r[4], r[6]) for r in incremental[8]] == [(cut1.id, 240 * 60, 0)]  # all months of cut 1, no AI
    refresh(session)
    session.commit()
    assert _rollup_snapshot(session) == incremental
