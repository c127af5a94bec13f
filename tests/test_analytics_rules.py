"""Hand-worked cases for every compliance rule, with their boundaries, on SQLite and PostgreSQL alike.

Each test builds a tiny studio, states the arithmetic in a comment and checks the finding (or its absence).
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from analytics.findings import findings
from analytics.freelance import commissions
from analytics.overtime import ca_overtime_weekly, jp_overtime_daily, jp_overtime_monthly
from analytics.pay import effective_pay
from analytics.scope import Scope
from data.schema import Employment
from tests.analytics_builders import Studio

D = dt.date
ALL = Scope()


def rule(df: pd.DataFrame, rule_id: str) -> pd.DataFrame:
    return df[df["rule_id"] == rule_id].reset_index(drop=True)


def weekdays(year: int, month: int) -> list[dt.date]:
    days = range(1, calendar.monthrange(year, month)[1] + 1)
    return [D(year, month, d) for d in days if D(year, month, d).weekday() < 5]


def ot_month(studio: Studio, person, year: int, month: int, ot_hours: float, days: int | None = None, **kw) -> None:
    """Spread ``ot_hours`` of daily overtime over weekdays (8 h + x a day; never more than 40 straight h a week)."""
    chosen = weekdays(year, month)[: days or len(weekdays(year, month))]
    minutes = round(ot_hours * 60)
    for i, day in enumerate(chosen):
        extra = minutes // len(chosen) + (1 if i < minutes % len(chosen) else 0)
        studio.work(person, day, 8 + extra / 60, **kw)


# --- Japan: the overtime arithmetic itself ----------------------------------------------------------------------


def test_jp_daily_and_weekly_overtime_keep_holiday_hours_apart(session) -> None:
    st = Studio(session)
    a = st.person("A")
    # Week Sun 2025-09-28 … Sat 10-04: Sunday is a statutory holiday (5 h), Mon–Sat 9 h a day.
    st.work(a, D(2025, 9, 28), 5, holiday=True)
    st.days(a, D(2025, 9, 29), 6, 9)
    st.commit()
    days = jp_overtime_daily(session=session, start=D(2025, 9, 28), end=D(2025, 10, 4))
    # Daily OT 1 h × 6. Straight hours 8 × 6 = 48: the running total passes 40 h on Saturday → 8 h weekly OT then.
    assert days["daily_ot_hours"].tolist() == [0, 1, 1, 1, 1, 1, 1]
    assert days["weekly_ot_hours"].tolist() == [0, 0, 0, 0, 0, 0, 8]
    assert days["holiday_hours"].sum() == 5
    monthly = jp_overtime_monthly(session, scope=ALL)
    sept, octo = monthly.iloc[0], monthly.iloc[1]
    assert (sept["ot_hours"], sept["holiday_hours"]) == (2.0, 5.0)  # Mon 29, Tue 30
    assert (octo["ot_hours"], octo["ot_plus_holiday_hours"]) == (12.0, 12.0)  # 4 daily + 8 weekly


def test_week_start_is_a_parameter(session) -> None:
    st = Studio(session)
    a = st.person("A")
    st.days(a, D(2025, 10, 5), 6, 8)  # Sun 5 … Fri 10, 8 h each: 48 h
    st.commit()
    sunday = jp_overtime_monthly(session, scope=ALL)
    monday = jp_overtime_monthly(session, scope=ALL, week_start="MON")
    assert sunday["ot_hours"].tolist() == [8.0]  # one Sun–Sat week of 48 h
    assert monday["ot_hours"].tolist() == [0.0]  # Sun alone (8 h), then Mon–Fri (40 h)
    with pytest.raises(ValueError, match="unknown week start"):
        jp_overtime_monthly(session, scope=ALL, week_start="Funday")


# --- JP-HRS: hours limits ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("ot_hours", "expected"), [(45.0, 0), (45.1, 1)])
def test_hrs02_month_limit_boundary(session, ot_hours: float, expected: int) -> None:
    st = Studio(session)
    st.agreement(special=False)
    a = st.person("A")
    # 20 weekdays of October 2025 at 8 h + ot/20: 45.0 h of overtime is allowed, 45.1 h is not.
    ot_month(st, a, 2025, 10, ot_hours, days=20)
    st.commit()
    found = rule(findings(session=session), "JP-HRS-02")
    assert len(found) == expected
    if expected:
        assert (found.loc[0, "measured_value"], found.loc[0, "threshold"]) == (45.1, 45.0)
        assert found.loc[0, "period_start"] == D(2025, 10, 1)
        assert "JP-HRS-02" in found.loc[0, "explanation"]


def test_hrs01_overtime_without_36_agreement(session) -> None:
    st = Studio(session)
    a = st.person("A")
    st.work(a, D(2025, 10, 6), 9)  # 1 h of overtime, no agreement filed
    st.commit()
    found = rule(findings(session=session), "JP-HRS-01")
    assert found[["measured_value", "severity"]].values.tolist() == [[1.0, "violation"]]

    st.agreement()
    assert rule(findings(session=session), "JP-HRS-01").empty


def test_hrs02_year_limit_360(session) -> None:
    st = Studio(session)
    st.agreement(since=D(2025, 1, 1))
    a = st.person("A")
    for month in range(1, 10):  # 9 months × 40.5 h = 364.5 h > 360, every month under 45 h
        ot_month(st, a, 2025, month, 40.5, days=18)
    st.commit()
    found = rule(findings(session=session), "JP-HRS-02")
    assert found[["period_start", "period_end", "measured_value", "threshold"]].values.tolist() == [
        [D(2025, 1, 1), D(2025, 12, 31), 364.5, 360.0]
    ]


@pytest.mark.parametrize(("months_over", "expected"), [(6, 0), (7, 1)])
def test_hrs03_special_clause_at_most_six_months_over_45(session, months_over: int, expected: int) -> None:
    st = Studio(session)
    st.agreement(special=True, since=D(2025, 1, 1))
    a = st.person("A")
    for month in range(1, months_over + 1):
        ot_month(st, a, 2025, month, 46.0, days=20)
    st.commit()
    found = rule(findings(session=session), "JP-HRS-03")
    assert len(found) == expected
    if expected:
        assert (found.loc[0, "measured_value"], found.loc[0, "unit"]) == (7.0, "months")
        assert "2025-07" in found.loc[0, "explanation"]


def test_hrs03_special_clause_720_hours_a_year(session) -> None:
    st = Studio(session)
    st.agreement(special=True, since=D(2025, 1, 1))
    a = st.person("A")
    # 6 months at 75 h + 6 months at 45 h = 720 h (allowed); one extra hour on Thu 2 January makes 721 h.
    for month in range(1, 13):
        ot_month(st, a, 2025, month, 75.0 if month <= 6 else 45.0, days=20)
    st.commit()
    assert rule(findings(session=session), "JP-HRS-03").empty
    st.work(a, D(2025, 1, 2), 1)  # a second session the same day: 1 more hour of daily OT
    st.commit()
    found = rule(findings(session=session), "JP-HRS-03")
    assert found[["measured_value", "threshold"]].values.tolist() == [[721.0, 720.0]]


@pytest.mark.parametrize(("holiday_hours", "expected"), [(9.9, 0), (10.0, 1)])
def test_hrs04_overtime_plus_holiday_under_100(session, holiday_hours: float, expected: int) -> None:
    st = Studio(session)
    st.agreement(special=True)
    a = st.person("A")
    ot_month(st, a, 2025, 10, 90.0, days=20)
    st.work(a, D(2025, 10, 5), holiday_hours, holiday=True)  # a Sunday, statutory holiday
    st.commit()
    found = rule(findings(session=session), "JP-HRS-04")
    assert len(found) == expected
    if expected:
        assert found.loc[0, "measured_value"] == 100.0


def test_hrs05_window_that_fails_only_over_three_months(session) -> None:
    st = Studio(session)
    st.agreement(special=True)
    a = st.person("A")
    # OT per month 99, 61, 99: 2-month averages are 80.0 and 80.0 (allowed: ≤ 80), the 3-month average 86.33.
    ot_month(st, a, 2025, 10, 99.0, days=20)
    ot_month(st, a, 2025, 11, 61.0, days=20)
    ot_month(st, a, 2025, 12, 99.0, days=20)
    st.commit()
    found = rule(findings(session=session), "JP-HRS-05")
    assert found[["period_start", "period_end", "measured_value"]].values.tolist() == [
        [D(2025, 10, 1), D(2025, 12, 31), 86.33]
    ]
    assert "3 months" in found.loc[0, "explanation"]


@pytest.mark.parametrize(("days_worked", "expected"), [(24, 0), (25, 1)])
def test_hrs06_four_days_off_in_four_weeks(session, days_worked: int, expected: int) -> None:
    st = Studio(session)
    st.agreement()
    a = st.person("A")
    st.days(a, D(2025, 10, 1), days_worked, 7)  # then nothing: 28 − days_worked days off in the first 4 weeks
    st.commit()
    found = rule(findings(session=session), "JP-HRS-06")
    assert len(found) == expected
    if expected:
        assert found.loc[0, "measured_value"] == 3.0
    assert len(rule(findings(session=session), "JP-OW-06")) == expected


def test_hrs07_breaks(session) -> None:
    st = Studio(session)
    st.agreement()
    a = st.person("A")
    st.work(a, D(2025, 10, 6), 7, break_minutes=45)  # > 6 h with 45 min: fine
    st.work(a, D(2025, 10, 7), 6, break_minutes=0)  # exactly 6 h needs no break
    st.work(a, D(2025, 10, 8), 7, break_minutes=30)  # > 6 h, 30 min: short
    st.work(a, D(2025, 10, 9), 9, break_minutes=50)  # > 8 h, 50 min: short
    st.commit()
    found = rule(findings(session=session), "JP-HRS-07")
    assert found[["measured_value", "period_start"]].values.tolist() == [[2.0, D(2025, 10, 1)]]


def test_hrs06_is_judged_on_the_contract_in_force_at_the_stretch(session) -> None:
    """Art. 35 binds a Japanese employer: someone who moved to a Californian contract is not a JP employee then."""
    st = Studio(session)
    st.agreement()
    a = st.person("A", since=D(2024, 1, 1))
    session.add(
        Employment(person_id=a.id, employer_id=st.org.id, employment_type="employee_regular", jurisdiction="US-CA",
                   start_date=D(2025, 7, 1))
    )  # fmt: skip
    st.days(a, D(2025, 10, 1), 25, 7)  # 3 days off in the first 4 weeks
    st.commit()
    found = findings(session=session)
    assert rule(found, "JP-HRS-06").empty
    assert rule(found, "JP-OW-06")["measured_value"].tolist() == [3.0]


@pytest.mark.parametrize(("role", "disc", "hrs02", "pay01"), [("producer", 0, 0, 0), ("key_animation", 1, 1, 1)])
def test_disc01_discretionary_work_outside_the_covered_roles(session, role: str, disc: int, hrs02: int, pay01: int):
    """A producer on discretionary work is judged on the contract's deemed hours, which the records do not hold: no
    overtime finding on the hours logged. A key animator on the same contract is doubtful (JP-DISC-01) and is
    judged on the hours logged. Health indicators and night/holiday premiums use the hours logged either way."""
    st = Studio(session)
    st.agreement(special=False)
    a = st.person("A", discretionary="professional", consent=D(2024, 4, 1))
    ot_month(st, a, 2025, 10, 50.0, days=20, role=st.role(role))  # 50 h over 8 h days: over the 45 h limit
    st.pay(a, 400_000, D(2025, 10, 1), D(2025, 10, 31), basis="monthly_salary")
    st.commit()
    found = findings(session=session)
    warned = rule(found, "JP-DISC-01")
    assert len(warned) == disc
    if disc:
        assert warned.loc[0, ["severity", "measured_value", "period_start"]].tolist() == [
            "warning",
            210.0,
            D(2025, 10, 1),
        ]
        assert "Key Animation" in warned.loc[0, "explanation"]
    assert len(rule(found, "JP-HRS-02")) == hrs02
    assert len(rule(found, "JP-PAY-01")) == pay01
    assert len(rule(found, "JP-OW-01")) == 1  # 50 h of overtime: over the 45 h health line regardless


# --- Minimum wage ---------------------------------------------------------------------------------------------------


def test_tokyo_minimum_wage_changes_on_2025_10_03_mid_month(session) -> None:
    st = Studio(session)
    a = st.person("A")
    # October 2025: 10 days × 8 h = 80 h paid 1,200 JPY/h. It clears 1,163 (Oct 1–2) but not 1,226 (from Oct 3).
    st.days(a, D(2025, 10, 1), 10, 8)
    st.pay(a, 1200 * 80, D(2025, 10, 1), D(2025, 10, 31), basis="hourly")
    st.commit()
    pay = effective_pay(session, scope=ALL)
    row = pay.iloc[0]
    assert (row["base_pay_per_hour"], row["mw_min_per_hour"], row["mw_max_per_hour"]) == (1200.0, 1163.0, 1226.0)
    assert row["mw_due_amount"] == 2 * 8 * 1163 + 8 * 8 * 1226
    assert row["mw_shortfall_amount"] == 8 * 8 * (1226 - 1200)
    found = rule(findings(session=session), "JP-MW-01")
    assert found[["period_start", "period_end", "measured_value", "threshold", "severity"]].values.tolist() == [
        [D(2025, 10, 3), D(2025, 10, 10), 1200.0, 1226.0, "violation"]
    ]


def test_piece_rate_clears_the_minimum_one_month_and_not_the_next(session) -> None:
    st = Studio(session)
    a = st.person("A")
    # September: 200,000 JPY of per-cut pay for 160 h = 1,250 JPY/h ≥ 1,163.
    # November: 190,000 JPY for 160 h = 1,187.5 JPY/h < 1,226 (in force since 2025-10-03).
    for month in (9, 11):
        ot_month(st, a, 2025, month, 0.0, days=20)
    st.pay(a, 200_000, D(2025, 9, 1), D(2025, 9, 30), basis="per_cut")
    st.pay(a, 190_000, D(2025, 11, 1), D(2025, 11, 30), basis="per_cut")
    st.commit()
    pay = effective_pay(session, scope=ALL)
    assert pay["base_pay_per_hour"].tolist() == [1250.0, 1187.5]
    assert pay["below_mw"].tolist() == [False, True]
    found = rule(findings(session=session), "JP-MW-01")
    assert found[["period_start", "measured_value", "threshold"]].values.tolist() == [[D(2025, 11, 3), 1187.5, 1226.0]]


def test_premiums_and_bonus_do_not_count_towards_the_minimum_wage(session) -> None:
    st = Studio(session)
    a = st.person("A")
    st.days(a, D(2025, 11, 3), 10, 8)  # 80 h
    st.pay(a, 1100 * 80, D(2025, 11, 1), D(2025, 11, 30), basis="hourly")
    st.pay(a, 50_000, D(2025, 11, 1), D(2025, 11, 30), basis="bonus")
    st.pay(a, 10_000, D(2025, 11, 1), D(2025, 11, 30), basis="night_premium")
    st.commit()
    row = effective_pay(session, scope=ALL).iloc[0]
    assert row["base_pay_per_hour"] == 1100.0
    assert row["pay_per_hour"] == (88_000 + 60_000) / 80
    assert len(rule(findings(session=session), "JP-MW-01")) == 1


def test_freelancer_below_minimum_is_an_advocacy_flag(session) -> None:
    st = Studio(session)
    f = st.person("F", employment_type="freelancer")
    st.days(f, D(2025, 11, 3), 10, 10)  # 100 h for 60,000 JPY = 600 JPY/h
    st.pay(f, 60_000, D(2025, 11, 1), D(2025, 11, 30), basis="per_sheet")
    st.commit()
    all_findings = findings(session=session)
    assert rule(all_findings, "JP-MW-01").empty
    flag = rule(all_findings, "JP-MW-02")
    assert flag[["severity", "measured_value", "threshold"]].values.tolist() == [["advocacy_flag", 600.0, 1226.0]]


def test_california_city_minimum_wage_governs(session) -> None:
    st = Studio(session)
    c = st.person("C", jurisdiction="US-CA", city="Los Angeles")
    st.days(c, D(2025, 8, 4), 5, 8)  # 40 h at 17.00 USD: above the state's 16.50, below Los Angeles' 17.87
    st.pay(c, "680.00", D(2025, 8, 1), D(2025, 8, 31), basis="hourly", currency="USD")
    st.commit()
    found = rule(findings(session=session), "CA-MW-01")
    assert found[["measured_value", "threshold", "unit"]].values.tolist() == [[17.0, 17.87, "USD/h"]]


# --- Premium pay -----------------------------------------------------------------------------------------------------


def test_pay01_to_03_premiums_owed_on_a_piece_rate_base(session) -> None:
    st = Studio(session)
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
    st.commit()
    found = findings(session=session)
    assert rule(found, "JP-PAY-01").empty
    assert rule(found, "JP-PAY-02")[["measured_value", "threshold"]].values.tolist() == [[6999.0, 7000.0]]
    assert rule(found, "JP-PAY-03")[["measured_value", "threshold"]].values.tolist() == [[0.0, 10000.0]]


def test_pay03_is_owed_when_only_someone_else_was_paid_that_premium(session) -> None:
    st = Studio(session)
    st.agreement()
    a, b = st.person("A"), st.person("B")
    for person in (a, b):
        for day in weekdays(2025, 10)[:20]:
            st.work(person, day, 8, night_hours=1)  # 160 h, no overtime, 20 h at night
        st.pay(person, 320_000, D(2025, 10, 1), D(2025, 10, 31), basis="per_cut")  # 2,000 JPY/h
    # Owed each: 0.25 × 2,000 × 20 h = 10,000 JPY of night premium. B is paid it; A is paid an OT premium only.
    st.pay(b, 10_000, D(2025, 10, 1), D(2025, 10, 31), basis="night_premium")
    st.pay(a, 500, D(2025, 10, 1), D(2025, 10, 31), basis="ot_premium")
    st.commit()
    found = rule(findings(session=session), "JP-PAY-03")
    assert found[["person_id", "measured_value", "threshold"]].values.tolist() == [[a.id, 0.0, 10000.0]]


# --- California overtime ---------------------------------------------------------------------------------------------


def test_california_seventh_day(session) -> None:
    st = Studio(session)
    c = st.person("C", jurisdiction="US-CA", city="Los Angeles")
    st.days(c, D(2025, 8, 3), 7, 9)  # Sun 3 … Sat 9, 9 h every day
    st.days(c, D(2025, 8, 10), 6, 9)  # Sun 10 … Fri 15: no seventh day
    st.pay(c, "2000.00", D(2025, 8, 1), D(2025, 8, 31), basis="hourly", currency="USD")
    st.commit()
    weeks = ca_overtime_weekly(session=session)
    # Week 1: days 1–6 give 1 h at 1.5× each and 48 straight hours, 8 of them past 40 → 1.5×; day 7: 8 h at 1.5×
    # and 1 h at 2×. Week 2: 6 h daily OT and 48 − 40 = 8 h weekly OT, nothing at 2×.
    assert weeks[["hours", "straight_hours", "ot_1_5_hours", "ot_2_hours", "seventh_day"]].values.tolist() == [
        [63.0, 40.0, 22.0, 1.0, True],
        [54.0, 40.0, 14.0, 0.0, False],
    ]
    found = rule(findings(session=session), "CA-OT-01")
    assert len(found) == 1 and "seventh-day" in found.loc[0, "explanation"]


def test_california_daily_over_12_is_double_time(session) -> None:
    st = Studio(session)
    c = st.person("C", jurisdiction="US-CA", city=None)
    st.work(c, D(2025, 8, 4), 13)
    st.commit()
    week = ca_overtime_weekly(session=session).iloc[0]
    assert (week["straight_hours"], week["ot_1_5_hours"], week["ot_2_hours"]) == (8.0, 4.0, 1.0)


def test_california_exempt_needs_the_salary_floor(session) -> None:
    """An exempt employee paid under the year's floor (68,640 USD in 2025) is a CA-EX-01 violation and their
    overtime is checked; 5,720 USD a month (exactly 68,640 a year) keeps the exemption."""
    st = Studio(session)
    under = st.person("U", jurisdiction="US-CA", city=None, exempt=True)
    at_floor = st.person("F", jurisdiction="US-CA", city=None, exempt=True)
    for p in (under, at_floor):
        st.days(p, D(2025, 8, 4), 5, 10)  # Mon–Fri, 10 h a day: 10 h at 1.5× if not exempt
    st.pay(under, "5700.00", D(2025, 8, 1), D(2025, 8, 31), basis="monthly_salary", currency="USD")
    st.pay(at_floor, "5720.00", D(2025, 8, 1), D(2025, 8, 31), basis="monthly_salary", currency="USD")
    st.commit()
    found = findings(session=session)
    ex = rule(found, "CA-EX-01")
    assert ex[["person", "measured_value", "threshold", "unit"]].values.tolist() == [
        ["U", 68400.0, 68640.0, "USD/year"]
    ]
    assert rule(found, "CA-OT-01")["person"].tolist() == ["U"]


# --- Freelance Act ---------------------------------------------------------------------------------------------------


def _commission(st: Studio, person, **dates) -> None:
    st.pay(person, 40_000, D(2025, 3, 1), D(2025, 3, 31), basis="per_cut", commission_date=D(2025, 3, 1), **dates)


def test_freelancer_paid_on_day_61(session) -> None:
    st = Studio(session)
    f = st.person("F", employment_type="freelancer")
    on_time = st.person("G", employment_type="freelancer")
    delivered = D(2025, 3, 31)
    _commission(
        st,
        f,
        terms_issued_date=D(2025, 3, 1),
        delivery_date=delivered,
        due_date=delivered + dt.timedelta(days=60),
        paid_date=delivered + dt.timedelta(days=61),
    )
    _commission(
        st,
        on_time,
        terms_issued_date=D(2025, 3, 1),
        delivery_date=delivered,
        due_date=delivered + dt.timedelta(days=60),
        paid_date=delivered + dt.timedelta(days=60),
    )
    st.commit()
    found = rule(findings(session=session), "JP-FL-02")
    assert found[["person", "measured_value", "period_end"]].values.tolist() == [["F", 1.0, D(2025, 5, 31)]]


def test_freelance_due_date_missing_or_too_late_and_terms(session) -> None:
    st = Studio(session)
    late_terms = st.person("L", employment_type="freelancer")
    no_terms = st.person("N", employment_type="freelancer")
    far_due = st.person("U", employment_type="freelancer")
    delivered = D(2025, 3, 31)
    paid = delivered + dt.timedelta(days=30)
    _commission(st, late_terms, terms_issued_date=D(2025, 3, 2), delivery_date=delivered, due_date=paid, paid_date=paid)
    _commission(st, no_terms, delivery_date=delivered, due_date=paid, paid_date=paid)
    _commission(
        st,
        far_due,
        terms_issued_date=D(2025, 3, 1),
        delivery_date=delivered,
        due_date=delivered + dt.timedelta(days=61),
        paid_date=delivered + dt.timedelta(days=61),
    )
    st.commit()
    table = commissions(session=session, today=D(2025, 4, 10))
    assert table["terms_late"].tolist() == [True, False, False]
    assert table["terms_missing"].tolist() == [False, True, False]
    assert table["due_too_late"].tolist() == [False, False, True]
    found = findings(session=session)
    fl01 = rule(found, "JP-FL-01")
    assert fl01[["person", "measured_value"]].values.tolist() == [["L", 1.0], ["N", 0.0]]
    fl02 = rule(found, "JP-FL-02")
    # U: due 61 days after delivery (too late), and paid on day 61, a day after the legal due date.
    assert sorted(fl02["person"]) == ["U", "U"]


def test_freelance_fee_reduced_or_retakes_unpaid_on_commissions_of_a_month(session) -> None:
    """JP-FL-03 judges commissions of one month or more (commission to delivery): 1 March → 1 April is one, 1 March
    → 31 March is not."""
    st = Studio(session)
    cut_fee = st.person("R", employment_type="freelancer")
    short = st.person("S", employment_type="freelancer")
    retakes = st.person("T", employment_type="freelancer")
    paid_retakes = st.person("P", employment_type="freelancer")
    kept = st.person("K", employment_type="freelancer")
    terms = {"terms_issued_date": D(2025, 3, 1), "due_date": D(2025, 4, 30), "paid_date": D(2025, 4, 30)}
    month, under = D(2025, 4, 1), D(2025, 3, 31)
    _commission(st, cut_fee, delivery_date=month, agreed_amount=Decimal("45000"), **terms)  # paid 40,000
    _commission(st, short, delivery_date=under, agreed_amount=Decimal("45000"), retake_count=3, **terms)
    _commission(st, retakes, delivery_date=month, agreed_amount=Decimal("40000"), retake_count=2, **terms)
    _commission(st, paid_retakes, delivery_date=month, retake_count=2, retake_paid_amount=Decimal("8000"), **terms)
    _commission(st, kept, delivery_date=month, agreed_amount=Decimal("40000"), retake_count=0, **terms)
    st.commit()
    table = commissions(session=session, today=D(2025, 5, 10)).set_index("person_id")
    assert table["long_commission"].tolist() == [True, False, True, True, True]
    assert table["reduction_amount"].tolist() == [5000.0, 5000.0, 0.0, 0.0, 0.0]
    found = rule(findings(session=session), "JP-FL-03").sort_values(["person", "unit"])
    assert found[["person", "severity", "measured_value", "threshold", "unit"]].values.tolist() == [
        ["R", "violation", 40000.0, 45000.0, "JPY"],
        ["T", "violation", 2.0, 0.0, "retakes"],
    ]
    assert "5,000 JPY less than the 45,000 agreed" in found["explanation"].iloc[0]
    assert "unless the freelancer was at fault" in found["explanation"].iloc[0]


def test_freelance_act_not_before_2024_11_01_nor_for_clients_without_employees(session) -> None:
    st = Studio(session, employees=0)
    f = st.person("F", employment_type="freelancer")
    st.pay(f, 40_000, D(2025, 3, 1), D(2025, 3, 31), commission_date=D(2025, 3, 1))
    other = Studio(session, name="Other", employees=10)
    g = other.person("G", employment_type="freelancer")
    other.pay(g, 40_000, D(2024, 10, 1), D(2024, 10, 31), commission_date=D(2024, 10, 31))
    st.commit()
    other.commit()
    assert commissions(session=session).empty


# --- Overwork indicators ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("hours", "expected"), [(54.9, 0), (55.0, 1)])
def test_ow04_55_hour_week(session, hours: float, expected: int) -> None:
    st = Studio(session, employees=0)
    f = st.person("F", employment_type="freelancer")
    st.days(f, D(2025, 10, 5), 5, hours / 5)
    st.commit()
    assert len(rule(findings(session=session), "JP-OW-04")) == expected


@pytest.mark.parametrize(("days", "expected"), [(13, 0), (14, 1)])
def test_ow05_fourteen_consecutive_days(session, days: int, expected: int) -> None:
    st = Studio(session)
    a = st.person("A", employment_type="freelancer")
    st.days(a, D(2025, 10, 1), days, 4)
    st.work(a, D(2025, 10, 1) + dt.timedelta(days=days + 1), 4)  # after one day off
    st.commit()
    found = rule(findings(session=session), "JP-OW-05")
    assert len(found) == expected
    if expected:
        assert found.loc[0, "measured_value"] == 14.0


@pytest.mark.parametrize(("second_month", "expected"), [(120.0, 1), (119.9, 0)])
def test_ow07_120_hours_in_each_of_two_consecutive_months(session, second_month: float, expected: int) -> None:
    st = Studio(session)
    st.agreement(special=True)
    a = st.person("A")
    ot_month(st, a, 2025, 10, 120.0, days=20)  # 14 h weekdays: 30 h a week beyond 40, never 120 h in 3 weeks
    ot_month(st, a, 2025, 11, second_month, days=20)
    st.commit()
    found = rule(findings(session=session), "JP-OW-07")
    assert len(found) == expected
    if expected:
        assert found.loc[0, ["period_start", "period_end", "measured_value", "threshold"]].tolist() == [
            D(2025, 10, 1),
            D(2025, 11, 30),
            120.0,
            120.0,
        ]
        assert "2025-10–2025-11" in found.loc[0, "explanation"]


@pytest.mark.parametrize(("weeks", "expected"), [(3, 1), (2, 0)])
def test_ow07_120_hours_beyond_40_in_three_weeks(session, weeks: int, expected: int) -> None:
    st = Studio(session)
    a = st.person("A", employment_type="freelancer")
    for week in range(weeks):  # Monday to Friday at 16 h: 80 h, 40 h beyond 40, in the weeks from Sunday 5 October
        st.days(a, D(2025, 10, 6) + dt.timedelta(days=7 * week), 5, 16)
    st.commit()
    found = rule(findings(session=session), "JP-OW-07")
    assert found[["period_start", "period_end", "measured_value"]].values.tolist() == (
        [[D(2025, 10, 5), D(2025, 10, 25), 120.0]] if expected else []
    )
    if expected:
        assert "three weeks from 2025-10-05" in found.loc[0, "explanation"]


def test_ow07_160_hours_in_one_month(session) -> None:
    st = Studio(session)
    st.agreement(special=True)
    a = st.person("A")
    ot_month(st, a, 2025, 10, 159.9, days=20)
    ot_month(st, a, 2025, 12, 160.0, days=20)
    st.commit()
    found = rule(findings(session=session), "JP-OW-07")
    single = found[found["explanation"].str.contains("in one month")]
    assert single[["period_start", "measured_value", "threshold"]].values.tolist() == [[D(2025, 12, 1), 160.0, 160.0]]


def test_ow01_02_03_monthly_lines_for_freelancers_are_equivalents(session) -> None:
    st = Studio(session, employees=0)
    f = st.person("F", employment_type="freelancer")
    ot_month(st, f, 2025, 10, 100.0, days=20)  # ≥ 100 h: the single-month line
    ot_month(st, f, 2025, 11, 60.0, days=20)  # 2-month average 80 h: the 80 h line (≥ 80)
    ot_month(st, f, 2025, 12, 45.0, days=20)  # exactly 45 h: not over the 45 h line
    st.commit()
    found = findings(session=session)
    assert rule(found, "JP-OW-03")["period_start"].tolist() == [D(2025, 10, 1)]
    assert rule(found, "JP-OW-01")["period_start"].tolist() == [D(2025, 11, 1)]
    ow02 = rule(found, "JP-OW-02")
    assert ow02["period_end"].tolist() == [D(2025, 11, 30)]
    assert "equivalent" in ow02.loc[0, "explanation"]
    assert set(found["severity"]) == {"advocacy_flag"}
