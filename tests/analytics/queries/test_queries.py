"""Dashboard queries: workload, AI share, cost, advocate aggregates."""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import pytest
from sqlalchemy import BigInteger, cast, func, literal, select

from analytics import ai_share, anonymized, cost, workload
from analytics.errors import AnalyticsError
from analytics.queries import advocate as advocate_queries
from analytics.queries import ai as ai_queries
from analytics.queries import base
from analytics.queries import cost as cost_queries
from analytics.queries import credits as credit_queries
from analytics.queries import pay as pay_queries
from analytics.queries import people as people_queries
from analytics.queries import workload as workload_queries
from analytics.queries.base import packed_day, packed_rows
from analytics.queries.productions import production_ids
from analytics.scope import Scope
from data.schema import (
    AiUsage,
    ImportBatch,
    Person,
    RejectedRow,
    Role,
    RollupCutMonth,
    RollupPayMonth,
    RollupPersonWeek,
    RollupWorkMonth,
    Service,
)
from tests.analytics.builders import Studio

D = dt.date
ALL = Scope()


def _art_studio(session):
    st = Studio(session)
    prod = st.production("Sky Runner", episodes=2, cuts=4)
    ep1, ep2 = st.episode(prod, "1"), st.episode(prod, "2")
    cuts1, cuts2 = st.cuts(ep1), st.cuts(ep2)
    art = session.scalars(select(Role).where(Role.department == "art").order_by(Role.id)).first()
    people = []
    for i in range(6):
        p = st.person(f"Artist {i}")
        people.append(p)
        # September by hand: 8 h, 2 backgrounds, 8,000 JPY. October with AI: 4 h (half AI-assisted), 3,000 JPY.
        st.work(p, D(2025, 9, 1 + i), 8, production=prod, episode=ep1, cut=cuts1[i % 4], role=art, units=2)
        st.pay(p, 8000, D(2025, 9, 1), D(2025, 9, 30), production=prod, episode=ep1, cut=cuts1[i % 4], role=art)
        st.work(
            p,
            D(2025, 10, 1 + i),
            4,
            production=prod,
            episode=ep2,
            cut=cuts2[i % 2],
            role=art,
            units=2,
            ai=0.5,
            night_hours=1,
        )
        st.pay(p, 3000, D(2025, 10, 1), D(2025, 10, 31), production=prod, episode=ep2, cut=cuts2[i % 2], role=art)
    st.commit()
    return st, prod, people


def test_workload_groups_and_units(session) -> None:
    _art_studio(session)
    by_month = workload.workload(session, scope=ALL, by=("month", "department"))
    assert by_month[["department", "hours", "night_hours", "ai_hours", "units", "people"]].values.tolist() == [
        ["art", 48.0, 0.0, 0.0, 12.0, 6],
        ["art", 24.0, 6.0, 12.0, 12.0, 6],
    ]
    assert by_month["night_share"].tolist() == [0.0, 0.25]
    sky = Scope(productions=production_ids(session, ["Sky Runner"]))
    by_episode = workload.workload(session, scope=sky, by=("episode",))
    assert by_episode[["episode", "hours"]].values.tolist() == [["1", 48.0], ["2", 24.0]]
    with pytest.raises(AnalyticsError, match="no production titled"):
        production_ids(session, ["Nope"])
    with pytest.raises(AnalyticsError, match="cannot group"):
        workload.workload(session, scope=ALL, by=("colour",))


def test_days_weeks_and_streaks(session) -> None:
    st = Studio(session)
    a = st.person("A")
    st.days(a, D(2025, 10, 1), 5, 8, night_hours=2)  # Wed 1 … Sun 5
    st.days(a, D(2025, 10, 8), 2, 8)
    st.commit()
    weeks = workload_queries.weekly_hours(session, scope=ALL)
    assert weeks[["hours", "days_worked"]].values.tolist() == [[32.0, 4], [24.0, 3]]
    assert workload_queries.weekly_hours(session, scope=ALL, week_start="MON")["hours"].tolist() == [40.0, 16.0]
    month = workload.monthly_days(session, scope=ALL).iloc[0]
    assert (month["days_worked"], month["days_off"], month["night_share"]) == (7, 24, 10 / 56)
    clipped = workload.monthly_days(session, scope=Scope(start=D(2025, 10, 1), end=D(2025, 10, 10))).iloc[0]
    assert clipped["days_off"] == 3
    streaks = workload.streaks(session, scope=ALL)
    assert streaks[["first_date", "days"]].values.tolist()[0][1] == 5
    assert streaks["days"].tolist() == [5, 2]


def test_ai_share_by_month_and_department(session) -> None:
    _art_studio(session)
    share = ai_share.ai_share(session, scope=ALL, by=("month", "department"))
    sept, octo = share.iloc[0], share.iloc[1]
    assert (sept["ai_hours_share"], sept["ai_pay_share"]) == (0.0, 0.0)
    assert (octo["ai_hours_share"], octo["ai_units_share"], octo["ai_pay_share"]) == (0.5, 0.5, 0.5)
    assert octo["ai_pay_amount"] == 9000.0
    total = ai_share.ai_share(session, scope=ALL, by=()).iloc[0]
    assert total["pay_amount"] == 66_000.0 and total["ai_pay_amount"] == 9000.0


def test_ai_cut_share_and_adoption(session) -> None:
    _art_studio(session)
    cuts = ai_share.cut_share(session, scope=Scope(productions=production_ids(session, ["Sky Runner"])))
    assert cuts[["episode", "cuts", "ai_cuts", "ai_cuts_share"]].values.tolist() == [["1", 4, 0, 0.0], ["2", 4, 2, 0.5]]
    effect = ai_share.adoption_effect(session, scope=ALL)
    # Before AI: 4 cuts, 48 h, 48,000 JPY → 12 h and 12,000 JPY a cut. After: 2 cuts, 24 h, 18,000 JPY.
    assert effect[["period", "cuts", "hours_per_cut", "pay_per_cut"]].values.tolist() == [
        ["before", 4, 12.0, 12000.0],
        ["after", 2, 12.0, 9000.0],
    ]


def test_unattributed_ai_use(session) -> None:
    st, prod, people = _art_studio(session)
    placeholder = st.person("AI (+Human)")
    service = Service(name="BG model", match_key="bg model", kind="generative_image")
    batch = ImportBatch(filename="ai_log.csv", format="csv", file_sha256="0" * 64, status="committed")
    session.add_all([service, batch])
    session.flush()
    session.add_all(
        [
            AiUsage(asset_path="bg/001.png", service_id=service.id, operator_id=people[0].id, production_id=prod.id),
            AiUsage(asset_path="bg/002.png", service_id=service.id, operator_id=placeholder.id, production_id=prod.id),
            RejectedRow(
                batch_id=batch.id,
                line=7,
                column="operator",
                value="",
                reason="no operator named",
                reason_code="missing_operator",
            ),
            RejectedRow(batch_id=batch.id, line=8, column="date", value="x", reason="bad date", reason_code="bad_date"),
        ]
    )
    session.commit()
    found = ai_share.unattributed_ai_use(session, scope=ALL)
    assert found[["source", "reference", "value"]].values.tolist() == [
        ["rejected_import", "ai_log.csv:7", ""],
        ["placeholder_operator", found.loc[1, "reference"], "AI (+Human)"],
    ]


def test_cost_per_episode_and_cut(session) -> None:
    _art_studio(session)
    sky = Scope(productions=production_ids(session, ["Sky Runner"]))
    episodes = cost.cost_per_episode(session, scope=sky)
    assert episodes[["episode", "cuts", "hours", "pay_amount", "cost_per_cut"]].values.tolist() == [
        ["1", 4, 48.0, 48000.0, 12000.0],
        ["2", 4, 24.0, 18000.0, 4500.0],
    ]
    cuts = cost.cost_per_cut(session, scope=sky, episode="2")
    assert cuts[["cut_number", "hours", "ai_hours", "pay_amount"]].values.tolist() == [
        ["1", 12.0, 6.0, 9000.0],
        ["2", 12.0, 6.0, 9000.0],
    ]


def test_advocate_aggregates_have_no_names_and_suppress_small_groups(session, monkeypatch) -> None:
    st, prod, people = _art_studio(session)  # six artists in "art"
    small = st.production("Small One", episodes=1)
    for i in range(4):  # four people in "direction": under k = 5
        p = st.person(f"Director {i}")
        role = session.scalars(select(Role).where(Role.department == "direction").order_by(Role.id)).first()
        st.work(p, D(2025, 9, 2), 8, production=small, role=role)
        st.pay(p, 5000, D(2025, 9, 1), D(2025, 9, 30), production=small, role=role)
    st.commit()
    names = {p.display_name for p in people} | {f"Director {i}" for i in range(4)}
    outputs = [
        anonymized.hours_distribution(session, scope=ALL, by="department"),
        anonymized.hours_distribution(session, scope=ALL, by="production"),
        anonymized.pay_distribution(session, scope=ALL, by="department"),
        anonymized.pay_distribution(session, scope=ALL, by="employment_type"),
        anonymized.findings_summary(session, scope=ALL),
    ]
    for df in outputs:
        assert not {"person_id", "person", "display_name", "name"} & set(df.columns)
        values = {str(v) for v in df.astype(str).to_numpy().ravel()}
        assert not values & names
        assert (df["people"] >= 5).all()
    by_dept = outputs[0]
    assert by_dept["group"].tolist() == ["art"] and by_dept.attrs["suppressed_groups"] == 1
    assert outputs[3]["people"].tolist() == [10]  # all employees together pass k
    assert set(anonymized.hours_distribution(session, scope=ALL, by="production")["group"]) == {"Sky Runner"}
    monkeypatch.setenv("ENDROLL_K_ANONYMITY", "6")
    assert set(anonymized.hours_distribution(session, scope=ALL, by="department")["group"]) == {"art"}
    monkeypatch.setenv("ENDROLL_K_ANONYMITY", "7")
    assert anonymized.hours_distribution(session, scope=ALL, by="department").empty  # six artists < 7
    monkeypatch.setenv("ENDROLL_K_ANONYMITY", "4")  # under the floor: refused, not obeyed
    with pytest.raises(AnalyticsError, match="k_anonymity is 4, under the floor of 5"):
        anonymized.hours_distribution(session, scope=ALL)
    monkeypatch.setenv("ENDROLL_K_ANONYMITY", "0")
    with pytest.raises(AnalyticsError, match="k_anonymity"):
        anonymized.hours_distribution(session, scope=ALL)


@pytest.mark.parametrize("by", anonymized.GROUPINGS)
def test_stored_main_groups_match_ranking_the_month(demo_session, by) -> None:
    """Studio-wide, each person-month's main group comes from rollup_person_month (filled at refresh); ranking
    the month's groups in rollup_work_month gives the same person-months in the same groups."""
    stored = advocate_queries.main_group_pay(demo_session, scope=ALL, by=by)
    ranked = advocate_queries.ranked_main_group_pay(demo_session, scope=ALL, by=by)
    assert len(stored) > 1000 and stored["group"].nunique() > 1
    key = ["person_id", "month"]
    pd.testing.assert_frame_equal(
        stored.sort_values(key).reset_index(drop=True)[sorted(stored.columns)],
        ranked.sort_values(key).reset_index(drop=True)[sorted(ranked.columns)],
    )


GRAINS = (("month", "production"), ("month", "department"), ("department", "month"))


def _work_by_department_joined(scope: Scope):
    """The AI share's work by department as it was read before the (role, person) walk: every work month joined to
    its role."""
    w, department = RollupWorkMonth, func.coalesce(Role.department, literal("unassigned"))
    return (
        select(department.label("department"), (func.sum(w.seconds) / 3600.0).label("hours"),
               (func.sum(w.ai_seconds) / 3600.0).label("ai_hours"), func.sum(w.units).label("units"),
               func.sum(w.ai_units).label("ai_units"), func.count(func.distinct(w.person_id)).label("people"))
        .select_from(w.__table__.outerjoin(Role, Role.id == w.role_id))
        .group_by(department)
    )  # fmt: skip


def _close_frames(a: pd.DataFrame, b: pd.DataFrame) -> None:
    # Sums of float AI seconds may differ in the last bits with the order rows are added in.
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_exact=False, rtol=1e-9)


def test_stored_grains_match_the_person_level_rows(demo_session, monkeypatch) -> None:
    """The month × production and month × department rollups (people and cuts counted at refresh), the person-free
    work cells and cut totals, and the packed reads give what the person-level rows give: each is checked against
    the query it replaced."""
    stored = {by: workload.workload(demo_session, scope=ALL, by=by) for by in GRAINS}
    shares = {by: ai_share.ai_share(demo_session, scope=ALL, by=by) for by in (*GRAINS, ("department",))}
    adoption = ai_share.adoption_effect(demo_session, scope=ALL)
    episodes = cost.cost_per_episode(demo_session, scope=ALL)
    first = Scope(productions=(int(episodes["production_id"].iloc[0]),))
    cuts = cost.cost_per_cut(demo_session, scope=first)
    # The person-level path: no stored grain, and the tables the person-free ones were built from.
    monkeypatch.setattr(workload_queries, "group_grain", lambda by, scope: None)
    monkeypatch.setattr(ai_queries, "group_grain", lambda by, scope: None)
    monkeypatch.setattr(ai_queries, "_by_department", _work_by_department_joined)
    monkeypatch.setattr(cost_queries, "RollupWorkCell", RollupWorkMonth)
    monkeypatch.setattr(cost_queries, "RollupCutTotal", RollupCutMonth)
    for by in GRAINS:
        assert len(stored[by]) > 3 and stored[by]["people"].gt(0).all()
        _close_frames(stored[by], workload.workload(demo_session, scope=ALL, by=by))
    for by, share in shares.items():
        _close_frames(share, ai_share.ai_share(demo_session, scope=ALL, by=by))
    assert adoption["cuts"].gt(0).any()
    _close_frames(adoption, ai_share.adoption_effect(demo_session, scope=ALL))
    assert episodes["hours"].gt(0).all() and cuts["hours"].gt(0).any()
    _close_frames(episodes, cost.cost_per_episode(demo_session, scope=ALL))
    _close_frames(cuts, cost.cost_per_cut(demo_session, scope=first))
    # Advocate hours per person-month and group: the packed read against the SQL grouping by name, with and without
    # the month, for the studio, a quarter and one production (the release's and the bench's calls).
    last = demo_session.scalar(select(func.max(RollupWorkMonth.month_start)))
    quarter = Scope(start=dt.date(last.year, 1, 1), end=dt.date(last.year, 3, 31))
    for by, with_month, scope in itertools.product(("department", "role", "production"), (False, True),
                                                   (ALL, quarter, first)):  # fmt: skip
        packed = advocate_queries.person_group_seconds(demo_session, scope=scope, by=by, with_month=with_month)
        query = advocate_queries._person_groups_query(by, scope, with_month=with_month)
        key = ["person_id", *(["month"] if with_month else []), "group", "seconds"]
        grouped = pd.DataFrame(demo_session.execute(query).all(), columns=key)
        grouped = grouped[grouped["seconds"] > 0]
        if with_month:
            grouped["month"] = pd.to_datetime(grouped["month"])
        assert len(packed) > 100 and list(packed.columns) == key
        # With the month, in the database's order too (person, month, group); without it, as the same rows.
        order = key if not with_month else key[:-1]
        if not with_month:
            packed = packed.sort_values(order, ignore_index=True)
        pd.testing.assert_frame_equal(
            packed.astype({"group": object, "seconds": "int64"}),
            grouped.sort_values(order, ignore_index=True).astype({"group": object, "seconds": "int64"}),
            check_dtype=False,
        )
    # By employment type: the person-month sums (kept per person-month for the studio and a quarter, summed from
    # the production's rows for one production) joined with each person's latest contract, against the SQL that
    # asks for the latest contract on every row; with and without the month.
    for with_month, scope in itertools.product((True, False), (ALL, quarter, first)):
        joined = advocate_queries.person_group_seconds(demo_session, scope=scope, by="employment_type",
                                                       with_month=with_month)  # fmt: skip
        query = advocate_queries._person_groups_query("employment_type", scope, with_month=with_month)
        key = ["person_id", *(["month"] if with_month else []), "group", "seconds"]
        grouped = pd.DataFrame(demo_session.execute(query).all(), columns=key)
        grouped = grouped[grouped["seconds"] > 0]
        if with_month:
            grouped["month"] = pd.to_datetime(grouped["month"])
        assert len(joined) > 100 and joined["group"].nunique() > 2
        assert list(joined.columns) == key
        pd.testing.assert_frame_equal(
            joined.sort_values(key).reset_index(drop=True).astype({"group": object, "seconds": "int64"}),
            grouped.sort_values(key).reset_index(drop=True).astype({"group": object, "seconds": "int64"}),
            check_dtype=False,
        )
        nobody = advocate_queries.person_group_seconds(demo_session, scope=Scope(start=dt.date(1990, 1, 1),
                                                       end=dt.date(1990, 1, 31)), by="employment_type",
                                                       with_month=with_month)  # fmt: skip
        assert nobody.empty and list(nobody.columns) == key
    # Whole weeks: the packed read against the week rollup as the ORM reads it.
    weeks = workload_queries.weekly_hours(demo_session, scope=ALL)
    wk = RollupPersonWeek
    rows = demo_session.execute(
        select(wk.person_id, wk.week_start, wk.seconds, wk.night_seconds, wk.holiday_seconds, wk.days_worked)
        .order_by(wk.person_id, wk.week_start)
    ).all()  # fmt: skip
    assert len(weeks) == len(rows) > 1000
    assert [(p, w.date(), round(h * 3600), d) for p, w, h, d in weeks[["person_id", "week_start", "hours",
                                                                          "days_worked"]].itertuples(index=False)] == [
        (r.person_id, r.week_start, r.seconds, r.days_worked) for r in rows
    ]  # fmt: skip
    assert (weeks["night_hours"] * 3600).round().tolist() == [r.night_seconds for r in rows]
    assert (weeks["holiday_hours"] * 3600).round().tolist() == [r.holiday_seconds for r in rows]


def test_packed_rows_read_every_value_as_the_driver_would(demo_session) -> None:
    # The values joined into text by the database and parsed by NumPy, against the same rows fetched one by one:
    # every row kept whole (values of a row stay together however the database orders the rows), none lost.
    wk = RollupPersonWeek
    key = cast(wk.person_id, BigInteger) * literal(1 << 32, BigInteger) + packed_day(demo_session, wk.week_start)
    query = select(key, wk.seconds, wk.days_worked)
    fetched = sorted(tuple(int(v) for v in row) for row in demo_session.execute(query).all())
    packed = packed_rows(demo_session, query, 3)
    assert packed.dtype == "int64" and packed.shape == (len(fetched), 3) and len(fetched) > 1000
    assert sorted(map(tuple, packed.tolist())) == fetched
    one = packed_rows(demo_session, select(wk.seconds), 1)
    assert sorted(one[:, 0].tolist()) == sorted(demo_session.scalars(select(wk.seconds)).all())
    # No rows: the database's aggregate of nothing is NULL, read as an empty array.
    assert packed_rows(demo_session, query.where(wk.seconds < 0), 3).shape == (0, 3)


def test_packed_rows_refuse_a_null_instead_of_dropping_it(session) -> None:
    query = select(Role.id, literal(None, type_=Role.id.type))
    assert session.scalar(select(func.count()).select_from(Role)) > 0  # the seeded roles: rows to read
    with pytest.raises(AnalyticsError, match="packed read"):
        packed_rows(session, query, 2)


def test_a_month_of_logs_without_seconds_is_no_working_month_in_any_grouping(session) -> None:
    # A log may hold no seconds (a session started and stopped at once): its month is kept by the rollups, yet no
    # grouping of the advocate's hours counts it, whether the sums come per person-month or from the rows.
    st, prod, people = _art_studio(session)
    st.contract(people[0], employment_type="employee_regular")
    art = session.scalars(select(Role).where(Role.department == "art").order_by(Role.id)).first()
    st.work(people[0], D(2025, 11, 3), 0, production=prod, role=art, break_minutes=0)
    st.commit()
    scopes = (ALL, Scope(productions=(prod.id,)), Scope(people=[people[0].id, people[1].id]),
              Scope(start=D(2025, 10, 1), end=D(2025, 11, 30)))  # fmt: skip
    for by, scope in itertools.product(advocate_queries.GROUPINGS, scopes):
        found = advocate_queries.person_group_seconds(session, scope=scope, by=by, with_month=True)
        assert not (found["month"] == pd.Timestamp(2025, 11, 1)).any(), (by, scope)
        assert found["seconds"].gt(0).all() and len(found) > 0, (by, scope)
    # The employee's October, by employment type, from either source.
    for scope in (ALL, Scope(productions=(prod.id,))):
        kinds = advocate_queries.person_group_seconds(session, scope=scope, by="employment_type", with_month=True)
        mine = kinds[kinds["person_id"] == people[0].id].set_index("month")
        assert mine.loc[pd.Timestamp(2025, 10, 1), "group"] == "employee_regular"
        assert mine.loc[pd.Timestamp(2025, 10, 1), "seconds"] == 4 * 3600


def test_piece_rates_sum_roles_that_share_an_english_name(session) -> None:
    # Summed per role id and named after: two roles called the same in English are one row, as they were one group
    # when the database grouped by the name; pay in another currency, by the hour or without a role stays out.
    st, prod, people = _art_studio(session)
    first = session.scalars(select(Role).where(Role.department == "art").order_by(Role.id)).first()
    twin = Role(code="art_twin", ja="背景(別)", romaji="haikei betsu", en=first.en, department="art", sort_order=999)
    session.add(twin)
    session.flush()
    ep = st.episode(prod, "1")
    st.work(people[0], D(2025, 9, 20), 5, production=prod, episode=ep, role=twin, units=3)
    # Piece pay counts with its units (the studio's earlier pay has none): 3 cuts under the twin, 2 under the first.
    st.pay(people[0], 4500, D(2025, 9, 1), D(2025, 9, 30), production=prod, episode=ep, role=twin).units = 3
    st.pay(people[2], 2000, D(2025, 9, 1), D(2025, 9, 30), production=prod, episode=ep, role=first).units = 2
    st.pay(people[0], 900, D(2025, 9, 1), D(2025, 9, 30), production=prod, episode=ep, role=twin,
           currency="USD").units = 1  # fmt: skip
    st.pay(people[1], 700, D(2025, 9, 1), D(2025, 9, 30), production=prod, basis="hourly").units = 7
    st.commit()
    pay, work = pay_queries.piece_rate_rows(session, scope=ALL)
    assert list(pay.columns) == ["role", "basis", "items", "units", "amount"]
    assert list(work.columns) == ["role", "work_units", "hours"]
    assert pay["role"].tolist() == [first.en] and pay["basis"].tolist() == ["per_cut"]
    # As the database sums them grouped by the joined name (the query this replaced).
    p = RollupPayMonth
    by_name = session.execute(
        select(Role.en, p.basis, func.sum(p.items), func.sum(p.units), func.sum(p.amount))
        .join(Role, Role.id == p.role_id)
        .where(p.basis == "per_cut", p.currency == "JPY", p.units > 0)
        .group_by(Role.en, p.basis)
    ).all()
    assert [(r, b, int(i), float(u), float(a)) for r, b, i, u, a in by_name] == [
        (first.en, "per_cut", int(pay["items"].iloc[0]), float(pay["units"].iloc[0]), float(pay["amount"].iloc[0]))
    ]
    twin_pay = session.execute(select(func.count()).where(p.role_id == twin.id, p.currency == "JPY", p.units > 0))
    assert twin_pay.scalar_one() > 0  # both roles hold piece pay: the row sums two role ids
    assert work["role"].tolist() == [first.en]
    # Twelve days of art plus the twin's five hours: units and hours of both roles together.
    assert float(work["work_units"].iloc[0]) == 6 * 2 + 6 * 2 + 3
    assert float(work["hours"].iloc[0]) == 6 * 8 + 6 * 4 + 5
    # A scope with no rows: the columns, no rows.
    empty_pay, empty_work = pay_queries.piece_rate_rows(session, scope=Scope(start=D(1990, 1, 1), end=D(1990, 1, 31)))
    assert empty_pay.empty and list(empty_pay.columns) == list(pay.columns)
    assert empty_work.empty and list(empty_work.columns) == list(work.columns)


def test_names_of_many_people_read_everyone_and_keep_those_asked(demo_session, monkeypatch) -> None:
    """Past ``MANY_IDS`` the rows are read whole and filtered: the same names as the bound read, no one else."""
    ids = sorted(demo_session.scalars(select(Person.id)).all())[::3] + [10**9]  # and an id that is no one
    bound = people_queries.display_names(demo_session, ids), credit_queries.person_names(demo_session, ids)
    monkeypatch.setattr(base, "MANY_IDS", 1)
    whole = people_queries.display_names(demo_session, ids), credit_queries.person_names(demo_session, ids)
    assert whole == bound and len(bound[0]) == len(bound[1]) == len(ids) - 1 and 10**9 not in whole[0]
