"""The records the rules read, from the database (both backends): a studio built in the database and as frames
gives the same findings, and the queries feeding the rules answer what the worked examples say."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select

from analytics.findings import evaluate, evaluate_records
from analytics.freelance import commissions
from analytics.pay import effective_pay
from analytics.queries import findings as queries
from analytics.scope import Scope
from data.schema import Person
from tests.analytics import builders
from tests.analytics.findings import studio as frames
from tests.analytics.findings.studio import LAW, ot_month, weekdays
from tests.analytics.findings.worked import fees_and_retakes, terms_and_due_dates

D = dt.date
TODAY = D(2026, 1, 15)


def _scenario(st: Any, another: Callable[..., Any]) -> None:
    """A studio where every rule finds something, in calls both builders take."""
    st.agreement(special=True, since=D(2025, 1, 1))
    a = st.person("A")  # overtime lines, premiums, short breaks, holiday and night work
    for month, hours in ((10, 99.0), (11, 61.0), (12, 99.0)):
        ot_month(st, a, 2025, month, hours, days=20, night_hours=1)
        st.pay(a, 480_000, D(2025, month, 1), D(2025, month, 28), basis="per_cut")
    st.work(a, D(2025, 10, 5), 10, holiday=True)
    st.work(a, D(2025, 11, 8), 7, break_minutes=30)
    st.pay(a, 40_000, D(2025, 10, 1), D(2025, 10, 31), basis="ot_premium")
    b = st.person("B", discretionary="professional")  # no consent, and key animation
    ot_month(st, b, 2025, 10, 50.0, days=20, role=st.role("key_animation"))
    st.pay(b, 400_000, D(2025, 10, 1), D(2025, 10, 31), basis="monthly_salary")
    x = st.person("X")  # seven months over the monthly limit under a special clause
    for month in range(1, 8):
        ot_month(st, x, 2025, month, 46.0, days=20)
    w = st.person("W", employment_type="freelancer")  # 120 h beyond 40 h a week in three weeks
    for week in range(3):
        st.days(w, D(2025, 10, 6) + dt.timedelta(days=7 * week), 5, 16)
    c = st.person("C")  # under the minimum wage from 2025-10-03
    st.days(c, D(2025, 10, 1), 10, 8)
    st.pay(c, 1200 * 80, D(2025, 10, 1), D(2025, 10, 31), basis="hourly")
    g = st.person("G", guarantee=1_124)  # a guarantee under 60 % of the average
    for month in (8, 9, 10, 11):
        st.days(g, D(2025, month, 1), 20, 8)
        st.pay(g, 300_000, D(2025, month, 1), D(2025, month, 28), basis="per_cut")
    d = st.person("D")  # too few days off, a long streak
    st.days(d, D(2025, 10, 1), 25, 7)
    f = st.person("F", employment_type="freelancer")  # full-time hours, pay for time, 55 h weeks, commissions
    for month in (1, 2, 3):
        for day in weekdays(2025, month)[:20]:
            st.work(f, day, 11)
        st.pay(f, 100_000, D(2025, month, 1), D(2025, month, 28), basis="hourly")
    st.pay(f, 40_000, D(2025, 3, 1), D(2025, 3, 31), commission_date=D(2025, 3, 1), terms_issued_date=D(2025, 3, 3),
           delivery_date=D(2025, 4, 1), due_date=D(2025, 6, 10), agreed_amount=45_000, retake_count=2)  # fmt: skip
    st.pay(f, 30_000, D(2025, 4, 1), D(2025, 4, 30), commission_date=D(2025, 4, 1), delivery_date=D(2025, 4, 20))
    ca = st.person("CA", jurisdiction="US-CA", city="Los Angeles")  # the seventh day, a city minimum wage
    st.days(ca, D(2025, 8, 3), 7, 9)
    st.pay(ca, "1000.00", D(2025, 8, 1), D(2025, 8, 31), basis="hourly", currency="USD")
    u = st.person("U", jurisdiction="US-CA", city=None, exempt=True)  # exempt, under the floor
    st.days(u, D(2025, 8, 4), 5, 10)
    st.pay(u, "5700.00", D(2025, 8, 1), D(2025, 8, 31), basis="monthly_salary", currency="USD")
    k = st.person("K", employment_type="freelancer", jurisdiction="US-CA", city="Los Angeles")
    st.days(k, D(2025, 3, 3), 5, 8)
    st.pay(k, "2000.00", D(2025, 3, 1), D(2025, 3, 31), basis="per_episode", currency="USD")
    moved = st.person("M", since=D(2024, 1, 1))  # a JP contract, then a Californian one
    st.contract(moved, jurisdiction="US-CA", since=D(2025, 7, 1))
    st.days(moved, D(2025, 10, 1), 25, 7)
    leaver = st.person("L", since=D(2021, 4, 1), until=D(2023, 3, 31))  # leave: 4.5 days taken of 10
    st.days(leaver, D(2022, 4, 4), 3, 8)
    st.leave(leaver, "grant", D(2021, 10, 1), 10)
    for i in range(4):
        st.leave(leaver, "taken", D(2022, 1, 10) + dt.timedelta(days=i), 1)
    st.leave(leaver, "taken", D(2022, 9, 30), 0.5)
    none = st.person("N", since=D(2020, 4, 1), until=D(2022, 3, 31))  # no ledger at all
    st.days(none, D(2022, 3, 1), 3, 8)
    small = another(name="No staff", employees=0)  # no agreement: any overtime is unlawful; not bound by the Act
    o = small.person("O")
    small.work(o, D(2025, 10, 6), 9)
    h = small.person("H", employment_type="freelancer")
    small.pay(h, 40_000, D(2025, 3, 1), D(2025, 3, 31), commission_date=D(2025, 3, 1))
    plain = another(name="Plain agreement", employees=10)  # an agreement without a special clause
    plain.agreement(special=False, since=D(2025, 1, 1))
    e = plain.person("E")
    ot_month(plain, e, 2025, 10, 46.0, days=20)


def test_the_database_and_frames_give_the_same_findings(session) -> None:
    built = [builders.Studio(session)]

    def another(**kw: Any) -> builders.Studio:
        built.append(builders.Studio(session, **kw))
        return built[-1]

    _scenario(built[0], another)
    for st in built:
        st.commit()
    world = frames.Studio()
    _scenario(world, lambda **kw: frames.Studio(alongside=world, **kw))

    stored = evaluate(session, today=TODAY)
    framed = evaluate_records(world.records(today=TODAY), LAW)
    # Every rule the engine has (CA-OW-04: the WHO/ILO week under a Californian contract, no longer JP-OW-04).
    assert len(set(stored["rule_id"])) == 31, sorted(set(stored["rule_id"]))
    names = {p.id: p.display_name for p in world.world.people}
    db_names = dict(session.execute(select(Person.id, Person.display_name)).all())
    pd.testing.assert_frame_equal(
        stored.assign(person_id=stored["person_id"].map(db_names)),
        framed.assign(person_id=framed["person_id"].map(names)),
    )


def test_the_records_of_some_people_are_theirs_alone(session) -> None:
    st = builders.Studio(session)
    a, b = st.person("A"), st.person("B", employment_type="freelancer")
    for person in (a, b):
        st.days(person, D(2025, 10, 1), 3, 9)
        st.pay(person, 30_000, D(2025, 10, 1), D(2025, 10, 31), basis="hourly")
    st.leave(a, "taken", D(2025, 10, 2), 1)
    st.commit()
    mine = queries.records(session, people=[a.id], today=TODAY)
    for name in ("monthly", "pay", "weeks", "premiums", "nights", "leave"):
        assert set(getattr(mine, name)["person_id"]) <= {a.id}, name
    assert set(mine.days.person_id) == {a.id}
    assert len(mine.employments) == 2  # contracts are read whole: a person's history decides each day
    assert mine.time_pay.empty  # pay for time is read for freelancers only
    assert queries.records(session, people=[b.id], today=TODAY).time_pay["time_pay"].tolist() == [30_000.0]
    assert mine.leave_kept_to == D(2025, 10, 2)


# --- the effective pay the minimum-wage and premium rules read ------------------------------------------------


def test_tokyo_minimum_wage_changes_on_2025_10_03_mid_month(session) -> None:
    st = builders.Studio(session)
    a = st.person("A")
    # October 2025: 10 days × 8 h = 80 h paid 1,200 JPY/h. It clears 1,163 (Oct 1–2) but not 1,226 (from Oct 3).
    st.days(a, D(2025, 10, 1), 10, 8)
    st.pay(a, 1200 * 80, D(2025, 10, 1), D(2025, 10, 31), basis="hourly")
    st.commit()
    row = effective_pay(session, scope=Scope()).iloc[0]
    assert (row["base_pay_per_hour"], row["mw_min_per_hour"], row["mw_max_per_hour"]) == (1200.0, 1163.0, 1226.0)
    assert row["mw_due_amount"] == 2 * 8 * 1163 + 8 * 8 * 1226
    assert row["mw_shortfall_amount"] == 8 * 8 * (1226 - 1200)


def test_piece_rate_clears_the_minimum_one_month_and_not_the_next(session) -> None:
    st = builders.Studio(session)
    a = st.person("A")
    # September: 200,000 JPY of per-cut pay for 160 h = 1,250 JPY/h ≥ 1,163.
    # November: 190,000 JPY for 160 h = 1,187.5 JPY/h < 1,226 (in force since 2025-10-03).
    for month in (9, 11):
        ot_month(st, a, 2025, month, 0.0, days=20)
    st.pay(a, 200_000, D(2025, 9, 1), D(2025, 9, 30), basis="per_cut")
    st.pay(a, 190_000, D(2025, 11, 1), D(2025, 11, 30), basis="per_cut")
    st.commit()
    pay = effective_pay(session, scope=Scope())
    assert pay["base_pay_per_hour"].tolist() == [1250.0, 1187.5]
    assert pay["below_mw"].tolist() == [False, True]


def test_premiums_and_bonus_do_not_count_towards_the_minimum_wage(session) -> None:
    st = builders.Studio(session)
    a = st.person("A")
    st.days(a, D(2025, 11, 3), 10, 8)  # 80 h
    st.pay(a, 1100 * 80, D(2025, 11, 1), D(2025, 11, 30), basis="hourly")
    st.pay(a, 50_000, D(2025, 11, 1), D(2025, 11, 30), basis="bonus")
    st.pay(a, 10_000, D(2025, 11, 1), D(2025, 11, 30), basis="night_premium")
    st.commit()
    row = effective_pay(session, scope=Scope()).iloc[0]
    assert row["base_pay_per_hour"] == 1100.0
    assert row["pay_per_hour"] == (88_000 + 60_000) / 80


# --- the commissions the Freelance Act covers -----------------------------------------------------------------


def test_freelance_due_date_missing_or_too_late_and_terms(session) -> None:
    st = builders.Studio(session)
    terms_and_due_dates(st)
    st.commit()
    table = commissions(session, scope=Scope(), today=D(2025, 4, 10))
    assert table["terms_late"].tolist() == [True, False, False]
    assert table["terms_missing"].tolist() == [False, True, False]
    assert table["due_too_late"].tolist() == [False, False, True]


def test_freelance_fee_reduced_or_retakes_unpaid_on_commissions_of_a_month(session) -> None:
    """JP-FL-03 judges commissions of one month or more (commission to delivery): 1 March → 1 April is one, 1 March
    → 31 March is not."""
    st = builders.Studio(session)
    fees_and_retakes(st)
    st.commit()
    table = commissions(session, scope=Scope(), today=D(2025, 5, 10)).set_index("person_id")
    assert table["long_commission"].tolist() == [True, False, True, True, True]
    assert table["reduction_amount"].tolist() == [5000.0, 5000.0, 0.0, 0.0, 0.0]
    assert table["fee_reduced"].tolist() == [True, False, False, False, False]
    assert table["unpaid_retakes"].tolist() == [False, False, True, False, False]


def test_freelance_act_not_before_2024_11_01_nor_for_clients_without_employees(session) -> None:
    st = builders.Studio(session, employees=0)
    f = st.person("F", employment_type="freelancer")
    st.pay(f, 40_000, D(2025, 3, 1), D(2025, 3, 31), commission_date=D(2025, 3, 1))
    other = builders.Studio(session, name="Other", employees=10)
    g = other.person("G", employment_type="freelancer")
    other.pay(g, 40_000, D(2024, 10, 1), D(2024, 10, 31), commission_date=D(2024, 10, 31))
    st.commit()
    other.commit()
    assert commissions(session, scope=Scope()).empty


@pytest.mark.parametrize("by", ["production", "department"])
def test_a_scope_selects_commissions_by_their_production_or_department(session, by: str) -> None:
    st = builders.Studio(session)
    f = st.person("F", employment_type="freelancer")
    sky, sea = st.production("Sky"), st.production("Sea")
    st.pay(f, 40_000, D(2025, 3, 1), D(2025, 3, 31), commission_date=D(2025, 3, 1), production=sky,
           role=st.role("key_animation"))  # fmt: skip
    st.pay(f, 30_000, D(2025, 3, 1), D(2025, 3, 31), commission_date=D(2025, 3, 2), production=sea,
           role=st.role("background"))  # fmt: skip
    st.commit()
    department = st.role("key_animation").department
    scope = Scope(productions=(sky.id,)) if by == "production" else Scope(departments=(department,))
    assert commissions(session, scope=scope)["amount"].tolist() == [40_000.0]
    assert commissions(session, scope=Scope(start=D(2025, 3, 2)))["amount"].tolist() == [30_000.0]
