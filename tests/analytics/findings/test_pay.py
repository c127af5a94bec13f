"""Pay against the law: the minimum wage (JP-MW-01/02, CA-MW-01), premiums owed (JP-PAY-01…03) and the piece-rate
guarantee (JP-PAY-04). Hand-worked cases with their boundaries, on frames (no database); the effective pay they read
is checked against the database in ``test_records.py``."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics.findings import guarantee, minimum_wage, premiums
from tests.analytics.findings.studio import Studio, ot_month, rule, weekdays

D = dt.date


def test_tokyo_minimum_wage_changes_on_2025_10_03_mid_month() -> None:
    st = Studio()
    a = st.person("A")
    # October 2025: 10 days × 8 h = 80 h paid 1,200 JPY/h. It clears 1,163 (Oct 1–2) but not 1,226 (from Oct 3).
    st.days(a, D(2025, 10, 1), 10, 8)
    st.pay(a, 1200 * 80, D(2025, 10, 1), D(2025, 10, 31), basis="hourly")
    found = rule(st.findings(minimum_wage.check), "JP-MW-01")
    assert found[["period_start", "period_end", "measured_value", "threshold", "severity"]].values.tolist() == [
        [D(2025, 10, 3), D(2025, 10, 10), 1200.0, 1226.0, "violation"]
    ]


def test_piece_rate_clears_the_minimum_one_month_and_not_the_next() -> None:
    st = Studio()
    a = st.person("A")
    # September: 200,000 JPY of per-cut pay for 160 h = 1,250 JPY/h ≥ 1,163.
    # November: 190,000 JPY for 160 h = 1,187.5 JPY/h < 1,226 (in force since 2025-10-03).
    for month in (9, 11):
        ot_month(st, a, 2025, month, 0.0, days=20)
    st.pay(a, 200_000, D(2025, 9, 1), D(2025, 9, 30), basis="per_cut")
    st.pay(a, 190_000, D(2025, 11, 1), D(2025, 11, 30), basis="per_cut")
    found = rule(st.findings(minimum_wage.check), "JP-MW-01")
    assert found[["period_start", "measured_value", "threshold"]].values.tolist() == [[D(2025, 11, 3), 1187.5, 1226.0]]


def test_premiums_and_bonus_do_not_count_towards_the_minimum_wage() -> None:
    st = Studio()
    a = st.person("A")
    st.days(a, D(2025, 11, 3), 10, 8)  # 80 h
    st.pay(a, 1100 * 80, D(2025, 11, 1), D(2025, 11, 30), basis="hourly")
    st.pay(a, 50_000, D(2025, 11, 1), D(2025, 11, 30), basis="bonus")
    st.pay(a, 10_000, D(2025, 11, 1), D(2025, 11, 30), basis="night_premium")
    assert len(rule(st.findings(minimum_wage.check), "JP-MW-01")) == 1


def test_freelancer_below_minimum_is_an_advocacy_flag() -> None:
    st = Studio()
    f = st.person("F", employment_type="freelancer")
    st.days(f, D(2025, 11, 3), 10, 10)  # 100 h for 60,000 JPY = 600 JPY/h
    st.pay(f, 60_000, D(2025, 11, 1), D(2025, 11, 30), basis="per_sheet")
    all_findings = st.findings(minimum_wage.check)
    assert rule(all_findings, "JP-MW-01").empty
    flag = rule(all_findings, "JP-MW-02")
    assert flag[["severity", "measured_value", "threshold"]].values.tolist() == [["advocacy_flag", 600.0, 1226.0]]


def test_california_city_minimum_wage_governs() -> None:
    st = Studio()
    c = st.person("C", jurisdiction="US-CA", city="Los Angeles")
    st.days(c, D(2025, 8, 4), 5, 8)  # 40 h at 17.00 USD: above the state's 16.50, below Los Angeles' 17.87
    st.pay(c, "680.00", D(2025, 8, 1), D(2025, 8, 31), basis="hourly", currency="USD")
    found = rule(st.findings(minimum_wage.check), "CA-MW-01")
    assert found[["measured_value", "threshold", "unit"]].values.tolist() == [[17.0, 17.87, "USD/h"]]


def test_pay01_to_03_premiums_owed_on_a_piece_rate_base() -> None:
    st = Studio()
    st.agreement(special=True)
    a = st.person("A")
    # 20 weekdays of 11.5 h in October 2025 = 230 h, 70 h of it overtime; 1 holiday of 10 h; 20 h at night.
    for day in weekdays(2025, 10)[:20]:
        st.work(a, day, 11.5, night_hours=1)
    st.work(a, D(2025, 10, 5), 10, holiday=True)
    st.pay(a, 480_000, D(2025, 10, 1), D(2025, 10, 31), basis="per_cut")  # 480,000 / 240 h = 2,000 JPY/h
    # Owed: OT 0.25 × 2000 × 60 + 0.50 × 2000 × 10 = 40,000; holiday 0.35 × 2000 × 10 = 7,000; night 0.25 × 2000 × 20.
    st.pay(a, 40_000, D(2025, 10, 1), D(2025, 10, 31), basis="ot_premium")
    st.pay(a, 6_999, D(2025, 10, 1), D(2025, 10, 31), basis="holiday_premium")
    found = st.findings(premiums.check)
    assert rule(found, "JP-PAY-01").empty
    assert rule(found, "JP-PAY-02")[["measured_value", "threshold"]].values.tolist() == [[6999.0, 7000.0]]
    night = rule(found, "JP-PAY-03")
    assert night[["measured_value", "threshold"]].values.tolist() == [[0.0, 10000.0]]
    assert "late-night work 22:00–05:00 (25%" in night.loc[0, "explanation"]


def test_pay01_owes_the_higher_rate_beyond_the_monthly_line() -> None:
    """The same month with 50,000 JPY of overtime premium paid and 39,999 JPY: 60 h at 25 % and 10 h at 50 % of
    2,000 JPY/h is 40,000 JPY owed."""
    st = Studio()
    st.agreement(special=True)
    a = st.person("A")
    for day in weekdays(2025, 10)[:20]:
        st.work(a, day, 11.5)
    st.pay(a, 460_000, D(2025, 10, 1), D(2025, 10, 31), basis="per_cut")  # 460,000 / 230 h = 2,000 JPY/h
    st.pay(a, 39_999, D(2025, 10, 1), D(2025, 10, 31), basis="ot_premium")
    found = rule(st.findings(premiums.check), "JP-PAY-01")
    assert found[["measured_value", "threshold"]].values.tolist() == [[39999.0, 40000.0]]
    assert "25% up to 60 h in the month, 50% beyond" in found.loc[0, "explanation"]


def test_pay03_is_owed_when_only_someone_else_was_paid_that_premium() -> None:
    st = Studio()
    st.agreement()
    a, b = st.person("A"), st.person("B")
    for person in (a, b):
        for day in weekdays(2025, 10)[:20]:
            st.work(person, day, 8, night_hours=1)  # 160 h, no overtime, 20 h at night
        st.pay(person, 320_000, D(2025, 10, 1), D(2025, 10, 31), basis="per_cut")  # 2,000 JPY/h
    # Owed each: 0.25 × 2,000 × 20 h = 10,000 JPY of night premium. B is paid it; A is paid an OT premium only.
    st.pay(b, 10_000, D(2025, 10, 1), D(2025, 10, 31), basis="night_premium")
    st.pay(a, 500, D(2025, 10, 1), D(2025, 10, 31), basis="ot_premium")
    found = rule(st.findings(premiums.check), "JP-PAY-03")
    assert found[["person_id", "measured_value", "threshold"]].values.tolist() == [[a.id, 0.0, 10000.0]]


def test_pay04_piece_rate_employee_without_a_guarantee() -> None:
    st = Studio()
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
    found = rule(st.findings(guarantee.check), "JP-PAY-04")
    # One warning per contract, over its months paid mainly by the piece; B's guarantee is over 60 % of 1,875 JPY/h.
    assert found[["person", "period_start", "period_end", "measured_value", "unit"]].values.tolist() == [
        ["A", D(2025, 9, 1), D(2025, 10, 31), 2.0, "months"]
    ]


@pytest.mark.parametrize(("guarantee_per_hour", "flagged"), [(1_125, 0), (1_124, 1)])
def test_pay04_guarantee_under_60_percent_of_own_average(guarantee_per_hour: int, flagged: int) -> None:
    """Average over the three months before November: (3 × 300,000) ÷ (3 × 160 h) = 1,875 JPY/h; 60 % is 1,125."""
    st = Studio()
    a = st.person("A", guarantee=guarantee_per_hour)
    for month in (8, 9, 10, 11):
        st.days(a, D(2025, month, 1), 20, 8)
        st.pay(a, 300_000, D(2025, month, 1), D(2025, month, 28), basis="per_cut")
    st.pay(a, 50_000, D(2025, 10, 1), D(2025, 10, 28), basis="ot_premium")  # premiums are not the average wage
    found = rule(st.findings(guarantee.check), "JP-PAY-04")
    # August has no three months before it on record, September and October fewer: each month is judged on what
    # the months before it show (September: August alone, 1,875 JPY/h as well).
    months = found["period_start"].tolist()
    assert len(months) == 3 * flagged
    if flagged:
        assert months == [D(2025, 9, 1), D(2025, 10, 1), D(2025, 11, 1)]
        assert found.loc[2, ["measured_value", "threshold", "unit"]].tolist() == [1124.0, 1125.0, "JPY/h"]
        assert (
            "under 60% of the person's own average of 1,875 JPY/h over the 3 months before"
            in found.loc[2, "explanation"]
        )
