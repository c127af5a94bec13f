"""Smoke tests over the demo studio: the rollups agree with the raw tables and every analysis runs."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, select, text

from analytics import ai_share, anonymized, cost, overwork, pay, workload
from analytics.findings import SEVERITIES, findings
from analytics.queries import pay as pay_queries
from analytics.queries import workload as workload_queries
from analytics.queries.overview import database_counts
from analytics.scope import Scope
from data.identity import Identity
from data.schema import (
    Account,
    AiUsage,
    CreditLine,
    Cut,
    Episode,
    Organization,
    PayItem,
    Person,
    Production,
    RollupPayMonth,
    RollupPersonDay,
    RollupPersonMonth,
    WorkLog,
)
from services.work_records import add_work_log, delete_work_log

ALL = Scope()
TABLES = {"productions": Production, "episodes": Episode, "cuts": Cut, "people": Person,
          "organizations": Organization, "work-log rows": WorkLog, "pay items": PayItem, "AI-usage records": AiUsage,
          "credit lines": CreditLine, "accounts": Account}  # fmt: skip


def test_rollups_match_the_raw_tables(demo_session) -> None:
    s = demo_session
    raw_seconds = s.scalar(select(func.sum(WorkLog.seconds)))
    assert raw_seconds > 0
    assert s.scalar(select(func.sum(RollupPersonDay.seconds))) == raw_seconds
    assert s.scalar(select(func.sum(RollupPersonMonth.seconds))) == raw_seconds
    assert workload.workload(s, scope=ALL, by=())["hours"].iloc[0] * 3600 == raw_seconds
    raw_pay = float(s.scalar(select(func.sum(PayItem.amount))))
    assert abs(float(s.scalar(select(func.sum(RollupPayMonth.amount)))) - raw_pay) < 0.01


def test_every_analysis_runs_on_the_demo(demo_session) -> None:
    s = demo_session
    first = Scope(productions=(s.scalar(select(Production.id).order_by(Production.id)),))
    assert not workload.workload(s, scope=ALL, by=("month", "production", "department")).empty
    assert not workload_queries.weekly_hours(s, scope=ALL).empty
    effective = pay.effective_pay(s, scope=ALL)
    assert (effective["hours"] > 0).all() and effective["currency"].isin(["JPY", "USD"]).all()
    assert not overwork.monthly_indicators(s, scope=ALL).empty
    share = ai_share.ai_share(s, scope=ALL, by=("production", "month"))
    assert share["ai_hours_share"].between(0, 1).all()
    assert not ai_share.cut_share(s, scope=ALL).empty
    assert not cost.cost_per_episode(s, scope=first).empty
    assert not cost.cost_per_cut(s, scope=first).empty
    summary = anonymized.findings_summary(s, scope=ALL)
    assert (summary["people"] >= 5).all()
    found = findings(session=s)
    assert not found.empty and set(found["severity"]) <= set(SEVERITIES)
    assert found["explanation"].str.startswith(tuple(found["rule_id"].unique())).all()


def _raw(session, sql: str) -> pd.DataFrame:
    result = session.execute(text(sql))
    return pd.DataFrame(result.all(), columns=list(result.keys()))


def test_dashboard_rollups_equal_answers_from_the_raw_tables(demo_session) -> None:
    """Weekly hours, the minimum-wage shortfall, AI-apportioned pay and episode pay: rollup-based answers equal the
    same figures computed in pandas from work_log and pay_item."""
    s = demo_session
    work = _raw(s, "SELECT person_id, work_date, seconds, night_seconds, production_id, episode_id, role_id, "
                   "ai_assisted_fraction FROM work_log")  # fmt: skip
    work["work_date"] = pd.to_datetime(work["work_date"])
    work["week_start"] = work["work_date"] - pd.to_timedelta((work["work_date"].dt.dayofweek + 1) % 7, unit="D")

    # Weekly hours: the whole range from the week rollup, and a range cut mid-week at both ends.
    for start, end in ((None, None), (dt.date(2025, 3, 5), dt.date(2025, 6, 19))):
        rows = work if start is None else work[work["work_date"].between(pd.Timestamp(start), pd.Timestamp(end))]
        expected = rows.groupby(["person_id", "week_start"], as_index=False).agg(
            seconds=("seconds", "sum"), days_worked=("work_date", "nunique")
        )
        got = workload_queries.weekly_hours(s, scope=Scope(start=start, end=end))
        assert len(got) == len(expected) > 0
        merged = got.merge(expected, on=["person_id", "week_start"], how="outer", indicator=True)
        assert (merged["_merge"] == "both").all()
        assert (merged["hours"] * 3600 - merged["seconds"]).abs().max() < 1e-6
        assert (merged["days_worked_x"] == merged["days_worked_y"]).all()

    # Minimum-wage shortfall: the stored per-month figure equals the day segments computed afresh.
    effective = pay.effective_pay(s, scope=ALL)
    below = effective[effective["below_mw"]]
    assert len(below) > 0
    segments = pay_queries.mw_segments(s, scope=ALL).merge(below[["person_id", "month", "base_pay_per_hour"]])
    segments["short"] = (segments["mw_per_hour"] - segments["base_pay_per_hour"]).clip(lower=0) * segments["hours"]
    expected = segments.groupby(["person_id", "month"])["short"].sum().round(2)
    got = below.set_index(["person_id", "month"])["mw_shortfall_amount"]
    assert (got - expected.reindex(got.index).fillna(0.0)).abs().max() <= 0.011
    assert (effective.loc[~effective["below_mw"], "mw_shortfall_amount"] == 0).all()

    # AI-apportioned pay by production × month, and pay per episode, from the raw tables.
    paid = _raw(s, "SELECT person_id, production_id, episode_id, role_id, amount, period_end FROM pay_item "
                   "WHERE currency = 'JPY'")  # fmt: skip
    paid["amount"] = paid["amount"].astype(float)
    paid["month"] = pd.to_datetime(paid["period_end"]).dt.to_period("M").dt.to_timestamp()
    work["month"] = work["work_date"].dt.to_period("M").dt.to_timestamp()
    work["ai_seconds"] = work["seconds"] * work["ai_assisted_fraction"]
    keys = ["month", "person_id", "production_id", "episode_id", "role_id"]
    for frame_ in (work, paid):
        for column in ("production_id", "episode_id", "role_id"):
            frame_[column] = frame_[column].fillna(-1).astype("int64")
    cells = work.groupby(keys, as_index=False)[["seconds", "ai_seconds"]].sum()
    paid = paid.merge(cells, on=keys, how="left")
    paid["ai_amount"] = (paid["amount"] * paid["ai_seconds"] / paid["seconds"]).fillna(0.0)
    expected = paid.groupby(["production_id", "month"])[["amount", "ai_amount"]].sum()
    share = ai_share.ai_share(s, scope=ALL, by=("production", "month"))
    share = share[share["pay_amount"] > 0].copy()
    share["production_id"] = share["production_id"].fillna(-1).astype("int64")
    got = share.set_index(["production_id", "month"])
    assert len(got) == len(expected) > 0
    assert (got["pay_amount"] - expected["amount"].reindex(got.index)).abs().max() < 0.01
    assert (got["ai_pay_amount"] - expected["ai_amount"].reindex(got.index)).abs().max() < 0.01
    assert expected["ai_amount"].sum() > 0

    episodes = cost.cost_per_episode(s, scope=ALL).set_index("episode_id")["pay_amount"]
    raw_episodes = paid[paid["episode_id"] >= 0].groupby("episode_id")["amount"].sum()
    assert (episodes - raw_episodes.reindex(episodes.index).fillna(0.0)).abs().max() < 0.01


def test_cut_rollup_answers_equal_the_work_log(demo_session) -> None:
    """Cost per cut, AI cut share and the adoption effect's cuts, read from the month × cut × role rollup, equal the
    same figures from work_log."""
    s = demo_session
    work = _raw(s, "SELECT w.production_id, w.cut_id, w.work_date, w.seconds, w.ai_assisted_fraction, "
                   "COALESCE(r.department, 'unassigned') AS department FROM work_log w "
                   "LEFT JOIN role r ON r.id = w.role_id WHERE w.cut_id IS NOT NULL")  # fmt: skip
    work["ai_seconds"] = work["seconds"] * work["ai_assisted_fraction"]
    for (pid,) in s.execute(select(Production.id)).all():
        got = cost.cost_per_cut(s, scope=Scope(productions=(pid,))).set_index("cut_id")
        raw = work[work["production_id"] == pid].groupby("cut_id")[["seconds", "ai_seconds"]].sum()
        raw = raw[raw["seconds"] > 0]
        assert set(got.index[got["hours"] > 0]) == set(raw.index)
        assert (got["hours"] * 3600 - raw["seconds"].reindex(got.index).fillna(0)).abs().max() < 1e-6
        assert (got["ai_hours"] * 3600 - raw["ai_seconds"].reindex(got.index).fillna(0)).abs().max() < 1e-6
    usage = {c for (c,) in s.execute(text("SELECT cut_id FROM ai_usage WHERE cut_id IS NOT NULL"))}
    ai_cuts = set(work.loc[work["ai_assisted_fraction"] > 0, "cut_id"]) | usage
    episode_of = dict(s.execute(text("SELECT id, episode_id FROM cut")).all())
    expected = pd.Series([episode_of[c] for c in ai_cuts]).value_counts()
    shares = ai_share.cut_share(s, scope=ALL).set_index("episode_id")["ai_cuts"]
    assert expected.sum() > 0
    assert (shares - expected.reindex(shares.index).fillna(0)).abs().max() == 0
    work["month"] = pd.to_datetime(work["work_date"]).dt.to_period("M").dt.to_timestamp()
    per_month = work.groupby(["department", "month"])["cut_id"].nunique().groupby("department").sum()
    adoption = ai_share.adoption_effect(s, scope=ALL).groupby("department", observed=True)["cuts"].sum()
    assert (adoption - per_month.reindex(adoption.index).fillna(0)).abs().max() == 0


def test_findings_for_some_people_equal_their_rows_of_the_whole_studio(demo_session) -> None:
    everyone = findings(session=demo_session)
    counts = everyone["person_id"].value_counts()
    chosen = [int(counts.index[0]), int(counts.index[-1])]
    some = findings(demo_session, scope=Scope(people=chosen))
    expected = everyone[everyone["person_id"].isin(chosen)].reset_index(drop=True)
    assert not some.empty
    pd.testing.assert_frame_equal(some.reset_index(drop=True), expected, check_dtype=False)


def test_the_pay_test_read_alone_equals_the_full_read(demo_session) -> None:
    """The Pay page reads 8 of the person-months' 17 columns (``tested_only``): its rates and minimum-wage test are
    the full read's, value for value and type for type, for the studio, a production and a period."""
    s = demo_session
    first = s.scalar(select(Production.id).order_by(Production.id))
    for scope in (ALL, Scope(productions=(first,)), Scope(start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31))):
        full = pay.effective_pay(s, scope=scope)
        alone = pay.effective_pay(s, scope=scope, tested_only=True)
        assert len(alone) > 0 and alone["below_mw"].any() and not alone["below_mw"].all()
        pd.testing.assert_frame_equal(alone, full[pay.TESTED_COLUMNS])


def test_the_overview_counts_every_row_of_each_kind(demo_session) -> None:
    # The work logs are summed from a rollup (a count of 5 million rows is 0.2 s on PostgreSQL): it must stay the
    # count of the table through the writes that add and delete them.
    s = demo_session
    boss = Identity(username="boss", role="manager")

    def counted() -> dict[str, int]:
        return dict(zip(*database_counts(s).T.to_numpy(), strict=True))

    def truth() -> dict[str, int]:
        return {name: s.scalar(select(func.count()).select_from(table)) for name, table in TABLES.items()}

    assert counted() == truth() and truth()["work-log rows"] > 0
    person = s.scalar(select(Person.id).order_by(Person.id))
    added = add_work_log(s, boss, person_id=person, cells={"work_date": "2031-04-02", "minutes": "480"})
    s.commit()
    assert counted() == truth()
    first = s.scalar(select(WorkLog.id).where(WorkLog.id != added.entity_id).order_by(WorkLog.id))
    delete_work_log(s, boss, work_log_id=first)
    delete_work_log(s, boss, work_log_id=added.entity_id)
    s.commit()
    assert counted() == truth()
