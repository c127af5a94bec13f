"""Japanese working hours (JP-HRS-01…07) and discretionary work (JP-DISC-01): hand-worked cases with their
boundaries, on frames (no database). Each test states the arithmetic in a comment and checks the finding (or its
absence)."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics.findings import overwork, premiums
from analytics.findings.working_hours import days_off_and_breaks, discretionary_work, hours_limits
from tests.analytics.findings.studio import Studio, ot_month, rule

D = dt.date


@pytest.mark.parametrize(("ot_hours", "expected"), [(45.0, 0), (45.1, 1)])
def test_hrs02_month_limit_boundary(ot_hours: float, expected: int) -> None:
    st = Studio()
    st.agreement(special=False)
    a = st.person("A")
    # 20 weekdays of October 2025 at 8 h + ot/20: 45.0 h of overtime is allowed, 45.1 h is not.
    ot_month(st, a, 2025, 10, ot_hours, days=20)
    found = rule(st.findings(hours_limits), "JP-HRS-02")
    assert len(found) == expected
    if expected:
        assert (found.loc[0, "measured_value"], found.loc[0, "threshold"]) == (45.1, 45.0)
        assert found.loc[0, "period_start"] == D(2025, 10, 1)
        assert "JP-HRS-02" in found.loc[0, "explanation"]


def test_hrs01_overtime_without_36_agreement() -> None:
    st = Studio()
    a = st.person("A")
    st.work(a, D(2025, 10, 6), 9)  # 1 h of overtime, no agreement filed
    found = rule(st.findings(hours_limits), "JP-HRS-01")
    assert found[["measured_value", "severity"]].values.tolist() == [[1.0, "violation"]]

    st.agreement()
    assert rule(st.findings(hours_limits), "JP-HRS-01").empty


def test_hrs02_year_limit_360() -> None:
    st = Studio()
    st.agreement(since=D(2025, 1, 1))
    a = st.person("A")
    for month in range(1, 10):  # 9 months × 40.5 h = 364.5 h > 360, every month under 45 h
        ot_month(st, a, 2025, month, 40.5, days=18)
    found = rule(st.findings(hours_limits), "JP-HRS-02")
    assert found[["period_start", "period_end", "measured_value", "threshold"]].values.tolist() == [
        [D(2025, 1, 1), D(2025, 12, 31), 364.5, 360.0]
    ]


@pytest.mark.parametrize(("months_over", "expected"), [(6, 0), (7, 1)])
def test_hrs03_special_clause_at_most_six_months_over_45(months_over: int, expected: int) -> None:
    st = Studio()
    st.agreement(special=True, since=D(2025, 1, 1))
    a = st.person("A")
    for month in range(1, months_over + 1):
        ot_month(st, a, 2025, month, 46.0, days=20)
    found = rule(st.findings(hours_limits), "JP-HRS-03")
    assert len(found) == expected
    if expected:
        assert (found.loc[0, "measured_value"], found.loc[0, "unit"]) == (7.0, "months")
        assert "2025-07" in found.loc[0, "explanation"]


def test_hrs03_special_clause_720_hours_a_year() -> None:
    st = Studio()
    st.agreement(special=True, since=D(2025, 1, 1))
    a = st.person("A")
    # 6 months at 75 h + 6 months at 45 h = 720 h (allowed); one extra hour on Thu 2 January makes 721 h.
    for month in range(1, 13):
        ot_month(st, a, 2025, month, 75.0 if month <= 6 else 45.0, days=20)
    assert rule(st.findings(hours_limits), "JP-HRS-03").empty
    st.work(a, D(2025, 1, 2), 1)  # a second session the same day: 1 more hour of daily OT
    found = rule(st.findings(hours_limits), "JP-HRS-03")
    assert found[["measured_value", "threshold"]].values.tolist() == [[721.0, 720.0]]


@pytest.mark.parametrize(("holiday_hours", "expected"), [(9.9, 0), (10.0, 1)])
def test_hrs04_overtime_plus_holiday_under_100(holiday_hours: float, expected: int) -> None:
    st = Studio()
    st.agreement(special=True)
    a = st.person("A")
    ot_month(st, a, 2025, 10, 90.0, days=20)
    st.work(a, D(2025, 10, 5), holiday_hours, holiday=True)  # a Sunday, statutory holiday
    found = rule(st.findings(hours_limits), "JP-HRS-04")
    assert len(found) == expected
    if expected:
        assert found.loc[0, "measured_value"] == 100.0


def test_hrs05_window_that_fails_only_over_three_months() -> None:
    st = Studio()
    st.agreement(special=True)
    a = st.person("A")
    # OT per month 99, 61, 99: 2-month averages are 80.0 and 80.0 (allowed: ≤ 80), the 3-month average 86.33.
    ot_month(st, a, 2025, 10, 99.0, days=20)
    ot_month(st, a, 2025, 11, 61.0, days=20)
    ot_month(st, a, 2025, 12, 99.0, days=20)
    found = rule(st.findings(hours_limits), "JP-HRS-05")
    assert found[["period_start", "period_end", "measured_value"]].values.tolist() == [
        [D(2025, 10, 1), D(2025, 12, 31), 86.33]
    ]
    assert "3 months" in found.loc[0, "explanation"]


@pytest.mark.parametrize(("days_worked", "expected"), [(24, 0), (25, 1)])
def test_hrs06_four_days_off_in_four_weeks(days_worked: int, expected: int) -> None:
    """An employer whose work rules give four days off in every four weeks counted from 1 October 2025 (LSA Art.
    35(2)): 24 days worked from 1 October leave 28 − 24 = 4 days off in the period 1–28 October (lawful); 25 leave 3."""
    st = Studio(days_off_from=D(2025, 10, 1))
    st.agreement()
    a = st.person("A")
    st.days(a, D(2025, 10, 1), days_worked, 7)  # then nothing: 28 − days_worked days off in the first 4 weeks
    found = st.findings(days_off_and_breaks)
    hrs06 = rule(found, "JP-HRS-06")
    assert len(hrs06) == expected
    if expected:
        assert hrs06.loc[0, ["period_start", "period_end", "measured_value", "threshold"]].tolist() == [
            D(2025, 10, 1), D(2025, 10, 28), 3.0, 4.0
        ]  # fmt: skip
        assert "only 3 days off in the four weeks from 2025-10-01 to 2025-10-28" in hrs06.loc[0, "explanation"]
        assert hrs06.loc[0, "source"].startswith("労働基準法 第35条第2項")
    assert len(rule(found, "JP-OW-06")) == expected  # the indicator: fewer than 4 days off in a 28-day window


def test_hrs06_a_day_off_every_week_by_default() -> None:
    """Without variable days off, Art. 35(1): a day off in every week (Sunday to Saturday unless recorded). 24 days
    from Wednesday 1 October 2025 (to Friday 24th) leave the weeks of Sunday 5 and Sunday 12 October without one: one
    finding for the two weeks. The same days are lawful under four days off in four weeks (above)."""
    st = Studio()
    st.agreement()
    a = st.person("A")
    st.days(a, D(2025, 10, 1), 24, 7)
    hrs06 = rule(st.findings(days_off_and_breaks), "JP-HRS-06")
    assert hrs06[["period_start", "period_end", "measured_value", "threshold"]].values.tolist() == [
        [D(2025, 10, 5), D(2025, 10, 18), 0.0, 1.0]
    ]
    assert hrs06.loc[0, "explanation"].startswith(
        "JP-HRS-06: no day off in 2 week(s) from 2025-10-05 to 2025-10-18 (weeks from Sunday)"
    )


@pytest.mark.parametrize(("week_start", "expected"), [(None, []), ("MON", [[D(2025, 10, 6), D(2025, 10, 12)]])])
def test_hrs06_in_the_employers_week(week_start: str | None, expected: list) -> None:
    """Monday 6 to Sunday 12 October 2025 worked: in Sunday weeks Sunday 5th is a day off and so is Monday 13th; an
    employer whose week starts on Monday gave none in the week of the 6th."""
    st = Studio(week_start=week_start)
    st.agreement()
    a = st.person("A")
    st.days(a, D(2025, 10, 6), 7, 7)
    hrs06 = rule(st.findings(days_off_and_breaks), "JP-HRS-06")
    assert hrs06[["period_start", "period_end"]].values.tolist() == expected


def test_hrs07_breaks() -> None:
    st = Studio()
    st.agreement()
    a = st.person("A")
    st.work(a, D(2025, 10, 6), 7, break_minutes=45)  # > 6 h with 45 min: fine
    st.work(a, D(2025, 10, 7), 6, break_minutes=0)  # exactly 6 h needs no break
    st.work(a, D(2025, 10, 8), 7, break_minutes=30)  # > 6 h, 30 min: short
    st.work(a, D(2025, 10, 9), 9, break_minutes=50)  # > 8 h, 50 min: short
    found = rule(st.findings(days_off_and_breaks), "JP-HRS-07")
    assert found[["measured_value", "period_start"]].values.tolist() == [[2.0, D(2025, 10, 1)]]
    assert "over 6 h needs 45 min, over 8 h needs 60 min" in found.loc[0, "explanation"]


def test_hrs06_is_judged_on_the_contract_in_force_at_the_stretch() -> None:
    """Art. 35 binds a Japanese employer: someone who moved to a Californian contract is not a JP employee then."""
    st = Studio()
    st.agreement()
    a = st.person("A", since=D(2024, 1, 1))
    st.contract(a, jurisdiction="US-CA", since=D(2025, 7, 1))
    st.days(a, D(2025, 10, 1), 25, 7)  # 3 days off in the first 4 weeks
    found = st.findings(days_off_and_breaks)
    assert rule(found, "JP-HRS-06").empty
    assert rule(found, "JP-OW-06").empty  # nor is Art. 35's floor an indicator for work under a Californian contract


@pytest.mark.parametrize(("role", "disc", "hrs02", "pay01"), [("producer", 0, 0, 0), ("key_animation", 1, 1, 1)])
def test_disc01_discretionary_work_outside_the_covered_roles(role: str, disc: int, hrs02: int, pay01: int) -> None:
    """A producer on discretionary work is judged on the contract's deemed hours, which the records do not hold: no
    overtime finding on the hours logged. A key animator on the same contract is doubtful (JP-DISC-01) and is
    judged on the hours logged. Health indicators and night/holiday premiums use the hours logged either way."""
    st = Studio()
    st.agreement(special=False)
    a = st.person("A", discretionary="professional", consent=D(2024, 4, 1))
    ot_month(st, a, 2025, 10, 50.0, days=20, role=st.role(role))  # 50 h over 8 h days: over the 45 h limit
    st.pay(a, 400_000, D(2025, 10, 1), D(2025, 10, 31), basis="monthly_salary")
    found = st.findings(discretionary_work, hours_limits, premiums.check, overwork.check)
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


@pytest.mark.parametrize(
    ("kind", "consent", "missing"),
    [
        ("professional", D(2025, 10, 1), 0),  # recorded by the month's first day
        ("professional", D(2025, 10, 2), 1),  # a day late for October
        ("professional", None, 1),
        ("planning", None, 1),
    ],
)
def test_disc01_discretionary_work_needs_the_employees_consent(kind: str, consent: dt.date | None, missing: int):
    """A producer in a covered role: with consent the deemed hours apply and the hours logged are not judged; without
    it the month is checked on the hours logged (JP-HRS-02 over 45 h, JP-PAY-01 premium unpaid)."""
    st = Studio()
    st.agreement()
    a = st.person("A", discretionary=kind, consent=consent)
    ot_month(st, a, 2025, 10, 50.0, days=20, role=st.role("producer"))
    st.pay(a, 400_000, D(2025, 10, 1), D(2025, 10, 31), basis="monthly_salary")
    found = st.findings(discretionary_work, hours_limits, premiums.check)
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


def test_disc01_professional_type_needed_no_consent_before_april_2024() -> None:
    st = Studio()
    st.agreement(since=D(2023, 4, 1))
    a = st.person("A", discretionary="professional", since=D(2023, 4, 1))
    ot_month(st, a, 2024, 3, 50.0, days=20, role=st.role("producer"))
    ot_month(st, a, 2024, 4, 50.0, days=20, role=st.role("producer"))
    warned = rule(st.findings(discretionary_work), "JP-DISC-01")
    assert warned["period_start"].tolist() == [D(2024, 4, 1)]
