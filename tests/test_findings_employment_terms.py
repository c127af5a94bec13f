"""Rules that read the terms of a contract or the shape of a freelancer's year: discretionary-work consent
(JP-DISC-01), the piece-rate guarantee (JP-PAY-04) and classification risk (JP-FL-05, CA-IC-01). Hand-worked cases
with their boundaries, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics.findings import findings
from tests.analytics_builders import Studio
from tests.test_analytics_rules import ot_month

D = dt.date


def rule(df: pd.DataFrame, rule_id: str) -> pd.DataFrame:
    return df[df["rule_id"] == rule_id].reset_index(drop=True)


# --- JP-DISC-01: consent --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "consent", "missing"),
    [
        ("professional", D(2025, 10, 1), 0),  # recorded by the month's first day
        ("professional", D(2025, 10, 2), 1),  # a day late for October
        ("professional", None, 1),
        ("planning", None, 1),
    ],
)
def test_disc01_discretionary_work_needs_the_employees_consent(session, kind, consent, missing) -> None:  # noqa: ANN001
    """A producer in a covered role: with consent the deemed hours apply and the hours logged are not judged; without
    it the month is checked on the hours logged (JP-HRS-02 over 45 h, JP-PAY-01 premium unpaid)."""
    st = Studio(session)
    st.agreement()
    a = st.person("A", discretionary=kind, consent=consent)
    ot_month(st, a, 2025, 10, 50.0, days=20, role=st.role("producer"))
    st.pay(a, 400_000, D(2025, 10, 1), D(2025, 10, 31), basis="monthly_salary")
    st.commit()
    found = findings(session=session)
    warned = rule(found, "JP-DISC-01")
    assert len(warned) == missing
    if missing:
        assert warned.loc[0, ["severity", "period_start", "measured_value", "threshold", "unit"]].tolist() == [
            "warning",
            D(2025, 10, 1),
            0.0,
            1.0,
            "consents",
        ]
        assert f"{kind}-type" in warned.loc[0, "explanation"]
    assert len(rule(found, "JP-HRS-02")) == missing
    assert len(rule(found, "JP-PAY-01")) == missing


def test_disc01_professional_type_needed_no_consent_before_april_2024(session) -> None:
    st = Studio(session)
    st.agreement(since=D(2023, 4, 1))
    a = st.person("A", discretionary="professional", since=D(2023, 4, 1))
    ot_month(st, a, 2024, 3, 50.0, days=20, role=st.role("producer"))
    ot_month(st, a, 2024, 4, 50.0, days=20, role=st.role("producer"))
    st.commit()
    warned = rule(findings(session=session), "JP-DISC-01")
    assert warned["period_start"].tolist() == [D(2024, 4, 1)]


# --- JP-PAY-04: piece-rate guarantee ------------------------------------------------------------------------------


def test_pay04_piece_rate_employee_without_a_guarantee(session) -> None:
    st = Studio(session)
    a = st.person("A")  # an employee paid by the cut, no guarantee on the contract
    b = st.person("B", guarantee=1_300)
    mostly_hourly = st.person("C")
    for month in (9, 10):
        for p in (a, b, mostly_hourly):
            st.days(p, D(2025, month, 1), 20, 8)  # 160 h
        st.pay(a, 300_000, D(2025, month, 1), D(2025, month, 28), basis="per_cut")
        st.pay(b, 300_000, D(2025, month, 1), D(2025, month, 28), basis="per_cut")
        st.pay(mostly_hourly, 200_000, D(2025, month, 1), D(2025, month, 28), basis="hourly")
        st.pay(mostly_hourly, 199_999, D(2025, month, 1), D(2025, month, 28), basis="per_cut")  # under half
    st.commit()
    found = rule(findings(session=session), "JP-PAY-04")
    # One warning per contract, over its months paid mainly by the piece; B's guarantee is over 60 % of 1,875 JPY/h.
    assert found[["person", "period_start", "period_end", "measured_value", "unit"]].values.tolist() == [
        ["A", D(2025, 9, 1), D(2025, 10, 31), 2.0, "months"]
    ]


@pytest.mark.parametrize(("guarantee", "flagged"), [(1_125, 0), (1_124, 1)])
def test_pay04_guarantee_under_60_percent_of_own_average(session, guarantee: int, flagged: int) -> None:
    """Average over the three months before November: (3 × 300,000) ÷ (3 × 160 h) = 1,875 JPY/h; 60 % is 1,125."""
    st = Studio(session)
    a = st.person("A", guarantee=guarantee)
    for month in (8, 9, 10, 11):
        st.days(a, D(2025, month, 1), 20, 8)
        st.pay(a, 300_000, D(2025, month, 1), D(2025, month, 28), basis="per_cut")
    st.pay(a, 50_000, D(2025, 10, 1), D(2025, 10, 28), basis="ot_premium")  # premiums are not the average wage
    st.commit()
    found = rule(findings(session=session), "JP-PAY-04")
    # August has no three months before it on record, September and October fewer: each month is judged on what
    # the months before it show (September: August alone, 1,875 JPY/h as well).
    months = found["period_start"].tolist()
    assert len(months) == 3 * flagged
    if flagged:
        assert months == [D(2025, 9, 1), D(2025, 10, 1), D(2025, 11, 1)]
        assert found.loc[2, ["measured_value", "threshold", "unit"]].tolist() == [1124.0, 1125.0, "JPY/h"]


# --- JP-FL-05 / CA-IC-01: classification risk ---------------------------------------------------------------------


@pytest.mark.parametrize(("hours", "months", "flagged"), [(140, 3, 1), (139, 3, 0), (140, 2, 0)])
def test_fl05_freelancer_on_full_time_hours(session, hours: float, months: int, flagged: int) -> None:
    st = Studio(session)
    f = st.person("F", employment_type="freelancer")
    for month in range(1, months + 1):
        st.days(f, D(2025, month, 1), 20, hours / 20)
        st.pay(f, 300_000, D(2025, month, 1), D(2025, month, 28), basis="per_cut")
    st.commit()
    found = rule(findings(session=session), "JP-FL-05")
    assert len(found) == flagged
    if flagged:
        assert found.loc[0, ["severity", "period_start", "period_end", "measured_value", "unit"]].tolist() == [
            "advocacy_flag",
            D(2025, 1, 1),
            D(2025, 3, 31),
            1.0,
            "indicators",
        ]
        assert "3 months of 140 h or more" in found.loc[0, "explanation"]


def test_fl05_freelancer_paid_for_time_and_each_calendar_year_apart(session) -> None:
    st = Studio(session)
    f = st.person("F", employment_type="freelancer")
    employee = st.person("E")
    for p in (f, employee):
        st.days(p, D(2024, 12, 2), 5, 6)
        st.days(p, D(2025, 1, 6), 5, 6)
        st.pay(p, 30_000, D(2024, 12, 1), D(2024, 12, 31), basis="hourly")
    st.pay(f, 30_000, D(2025, 1, 1), D(2025, 1, 31), basis="per_sheet")
    st.commit()
    found = rule(findings(session=session), "JP-FL-05")
    assert found[["person", "period_start", "period_end", "measured_value"]].values.tolist() == [
        ["F", D(2024, 12, 1), D(2024, 12, 31), 1.0]  # 2025: paid by the sheet, few hours: nothing to flag
    ]
    assert "paid by the hour or month" in found.loc[0, "explanation"]


def test_ca_ic01_animation_for_an_animation_studio_fails_prong_b(session) -> None:
    st = Studio(session)  # kind animation_studio
    c = st.person("C", employment_type="freelancer", jurisdiction="US-CA", city="Los Angeles")
    st.days(c, D(2025, 3, 3), 5, 8)
    st.pay(c, "2000.00", D(2025, 3, 1), D(2025, 3, 31), basis="per_episode", currency="USD")
    other = Studio(session, name="Some broadcaster")
    other.org.kind = "broadcaster"
    d = other.person("D", employment_type="freelancer", jurisdiction="US-CA", city="Los Angeles")
    other.days(d, D(2025, 3, 3), 5, 8)
    other.pay(d, "2000.00", D(2025, 3, 1), D(2025, 3, 31), basis="per_episode", currency="USD")
    st.commit()
    other.commit()
    found = findings(session=session)
    flagged = rule(found, "CA-IC-01")
    assert flagged[["person", "severity", "measured_value"]].values.tolist() == [["C", "advocacy_flag", 1.0]]
    assert "prong B" in flagged.loc[0, "explanation"]
    assert rule(found, "JP-FL-05").empty  # a Japanese rule: not for a Californian contract
