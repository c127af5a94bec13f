"""Filters select findings; they never change what a rule measures. A filtered table equals the matching rows of the
whole studio's, and the stored snapshot answers it the same as a fresh evaluation, on both backends."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics.errors import AnalyticsError
from analytics.findings import findings
from analytics.findings.snapshot import studio_findings
from analytics.queries.productions import production_ids
from analytics.scope import Scope
from tests.analytics.builders import Studio

D = dt.date


def rule(df: pd.DataFrame, rule_id: str) -> pd.DataFrame:
    return df[df["rule_id"] == rule_id].reset_index(drop=True)


def both_ways(session, production=None, **filters) -> pd.DataFrame:
    """findings() for the filters (a production by title or id; the rest as Scope takes them), checked against the
    snapshot's answer for the same scope."""
    scope = Scope(productions=production_ids(session, [] if production is None else [production]), **filters)
    live = findings(session, scope=scope)
    stored = studio_findings(session, scope=scope)
    session.commit()
    pd.testing.assert_frame_equal(stored, live)
    return live


def test_a_streak_that_began_before_the_period_keeps_its_full_length(session) -> None:
    st = Studio(session)
    a = st.person("A", employment_type="freelancer")
    st.days(a, D(2025, 9, 22), 20, 4)  # 22 Sep – 11 Oct, every day
    st.commit()
    found = rule(both_ways(session, start=D(2025, 10, 1), end=D(2025, 10, 31)), "JP-OW-05")
    # Cut at 1 Oct, the streak would be 11 days and not a finding at all.
    assert found[["period_start", "period_end", "measured_value"]].values.tolist() == [
        [D(2025, 9, 22), D(2025, 10, 11), 20.0]
    ]
    assert rule(both_ways(session, start=D(2025, 10, 12)), "JP-OW-05").empty  # ended the day before
    assert len(rule(both_ways(session, end=D(2025, 9, 22)), "JP-OW-05")) == 1  # began that day


def test_a_crowded_four_week_window_across_the_period_start_is_reported(session) -> None:
    st = Studio(session)
    st.agreement()
    a = st.person("A")
    st.days(a, D(2025, 9, 15), 25, 7)  # 15 Sep – 9 Oct: 3 days off in the 4 weeks from 15 Sep
    st.commit()
    whole = rule(both_ways(session), "JP-HRS-06")
    assert len(whole) == 1
    october = rule(both_ways(session, start=D(2025, 10, 1), end=D(2025, 10, 31)), "JP-HRS-06")
    pd.testing.assert_frame_equal(october, whole)
    assert rule(both_ways(session, start=D(2025, 11, 1)), "JP-HRS-06").empty


def test_monthly_findings_are_selected_by_whole_months(session) -> None:
    st = Studio(session)
    st.agreement()
    a = st.person("A")
    st.days(a, D(2025, 10, 1), 23, 10)  # 10 h a day, every day to 23 Oct: far over 45 h of overtime in October
    st.commit()
    whole = rule(both_ways(session), "JP-HRS-02")
    assert whole[["period_start", "period_end"]].values.tolist() == [[D(2025, 10, 1), D(2025, 10, 31)]]
    mid_month = rule(both_ways(session, start=D(2025, 10, 20), end=D(2025, 10, 25)), "JP-HRS-02")
    pd.testing.assert_frame_equal(mid_month, whole)
    assert rule(both_ways(session, start=D(2025, 11, 1)), "JP-HRS-02").empty
    assert rule(both_ways(session, end=D(2025, 9, 30)), "JP-HRS-02").empty


def test_a_production_selects_its_people_and_its_own_commissions(session) -> None:
    st = Studio(session)
    first, second = st.production("First"), st.production("Second")
    f = st.person("F", employment_type="freelancer")
    other = st.person("O", employment_type="freelancer")
    st.days(f, D(2025, 3, 3), 3, 5, production=first)
    st.days(f, D(2025, 5, 5), 3, 5, production=second)
    st.days(other, D(2025, 3, 3), 15, 4, production=second)  # 15 days in a row: JP-OW-05
    late = {"terms_issued_date": D(2025, 3, 1), "delivery_date": D(2025, 3, 31), "due_date": D(2025, 4, 30)}
    st.pay(f, 40_000, D(2025, 3, 1), D(2025, 3, 31), production=first, commission_date=D(2025, 3, 1),
           paid_date=D(2025, 5, 9), **late)  # fmt: skip
    st.pay(f, 30_000, D(2025, 5, 1), D(2025, 5, 31), production=second, commission_date=D(2025, 5, 1),
           terms_issued_date=D(2025, 5, 1), delivery_date=D(2025, 5, 31), due_date=D(2025, 6, 30),
           paid_date=D(2025, 7, 2))  # fmt: skip
    st.commit()

    whole = both_ways(session)
    assert sorted(rule(whole, "JP-FL-02")["measured_value"]) == [2.0, 9.0]
    on_first = both_ways(session, production="First")
    assert set(on_first["person"]) == {"F"}  # O never worked on it
    assert rule(on_first, "JP-FL-02")[["period_start", "measured_value"]].values.tolist() == [[D(2025, 4, 30), 9.0]]
    on_second = both_ways(session, production=second.id)
    assert set(on_second["person"]) == {"F", "O"}
    assert rule(on_second, "JP-FL-02")["measured_value"].tolist() == [2.0]
    assert len(rule(on_second, "JP-OW-05")) == 1
    # Commissions are selected by their commission date, like analytics.freelance.commissions.
    may = both_ways(session, start=D(2025, 5, 1), end=D(2025, 5, 31))
    assert rule(may, "JP-FL-02")["measured_value"].tolist() == [2.0]
    # A production and a period: the people who worked on it in the period.
    assert both_ways(session, production="First", start=D(2025, 5, 1)).empty


def test_filters_that_select_nothing_and_bad_filters(session) -> None:
    st = Studio(session)
    st.production("Empty")
    a = st.person("A", employment_type="freelancer")
    st.days(a, D(2025, 10, 1), 15, 4)
    st.commit()
    assert both_ways(session, production="Empty").empty
    assert both_ways(session, start=D(2030, 1, 1)).empty
    with pytest.raises(AnalyticsError, match="no production titled"):
        both_ways(session, production="Nope")
    with pytest.raises(AnalyticsError):
        studio_findings(session, scope=Scope(start=D(2025, 2, 1), end=D(2025, 1, 1)))
