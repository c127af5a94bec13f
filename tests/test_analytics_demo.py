"""Smoke tests over the demo studio: the rollups agree with the raw tables and every analysis runs."""

from __future__ import annotations

from sqlalchemy import func, select

from analytics import ai_share, anonymized, cost, overwork, pay, workload
from analytics.findings import SEVERITIES, findings
from data.schema import PayItem, Production, RollupPayMonth, RollupPersonDay, RollupPersonMonth, WorkLog


def test_rollups_match_the_raw_tables(demo_session) -> None:
    s = demo_session
    raw_minutes = s.scalar(select(func.sum(WorkLog.minutes)))
    assert raw_minutes > 0
    assert s.scalar(select(func.sum(RollupPersonDay.minutes))) == raw_minutes
    assert s.scalar(select(func.sum(RollupPersonMonth.minutes))) == raw_minutes
    assert workload.workload(session=s, by=())["hours"].iloc[0] * 60 == raw_minutes
    raw_pay = float(s.scalar(select(func.sum(PayItem.amount))))
    assert abs(float(s.scalar(select(func.sum(RollupPayMonth.amount)))) - raw_pay) < 0.01


def test_every_analysis_runs_on_the_demo(demo_session) -> None:
    s = demo_session
    title = s.scalar(select(Production.title).order_by(Production.id))
    assert not workload.workload(session=s, by=("month", "production", "department")).empty
    assert not workload.weekly_hours(session=s).empty
    effective = pay.effective_pay(session=s)
    assert (effective["hours"] > 0).all() and effective["currency"].isin(["JPY", "USD"]).all()
    assert not overwork.monthly_indicators(session=s).empty
    share = ai_share.ai_share(session=s, by=("production", "month"))
    assert share["ai_hours_share"].between(0, 1).all()
    assert not ai_share.cut_share(session=s).empty
    assert not cost.cost_per_episode(session=s, production=title).empty
    assert not cost.cost_per_cut(session=s, production=title).empty
    summary = anonymized.findings_summary(session=s)
    assert (summary["people"] >= 5).all()
    found = findings(session=s)
    assert not found.empty and set(found["severity"]) <= set(SEVERITIES)
    assert found["explanation"].str.startswith(tuple(found["rule_id"].unique())).all()
