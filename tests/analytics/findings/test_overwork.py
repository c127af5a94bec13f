"""The overwork indicators (JP-OW-01…07) for everyone, employees and freelancers alike: hand-worked boundaries, on
frames."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics.findings import overwork
from tests.analytics.findings.studio import Studio, ot_month, rule

D = dt.date


@pytest.mark.parametrize(("hours", "expected"), [(54.9, 0), (55.0, 1)])
def test_ow04_55_hour_week(hours: float, expected: int) -> None:
    st = Studio(employees=0)
    f = st.person("F", employment_type="freelancer")
    st.days(f, D(2025, 10, 5), 5, hours / 5)
    assert len(rule(st.findings(overwork.check), "JP-OW-04")) == expected


@pytest.mark.parametrize(("days", "expected"), [(13, 0), (14, 1)])
def test_ow05_fourteen_consecutive_days(days: int, expected: int) -> None:
    st = Studio()
    a = st.person("A", employment_type="freelancer")
    st.days(a, D(2025, 10, 1), days, 4)
    st.work(a, D(2025, 10, 1) + dt.timedelta(days=days + 1), 4)  # after one day off
    found = rule(st.findings(overwork.check), "JP-OW-05")
    assert len(found) == expected
    if expected:
        assert found.loc[0, "measured_value"] == 14.0
        assert "14 days or more without a day off" in found.loc[0, "explanation"]


@pytest.mark.parametrize(("second_month", "expected"), [(120.0, 1), (119.9, 0)])
def test_ow07_120_hours_in_each_of_two_consecutive_months(second_month: float, expected: int) -> None:
    st = Studio()
    st.agreement(special=True)
    a = st.person("A")
    ot_month(st, a, 2025, 10, 120.0, days=20)  # 14 h weekdays: 30 h a week beyond 40, never 120 h in 3 weeks
    ot_month(st, a, 2025, 11, second_month, days=20)
    found = rule(st.findings(overwork.check), "JP-OW-07")
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
def test_ow07_120_hours_beyond_40_in_three_weeks(weeks: int, expected: int) -> None:
    st = Studio()
    a = st.person("A", employment_type="freelancer")
    for week in range(weeks):  # Monday to Friday at 16 h: 80 h, 40 h beyond 40, in the weeks from Sunday 5 October
        st.days(a, D(2025, 10, 6) + dt.timedelta(days=7 * week), 5, 16)
    found = rule(st.findings(overwork.check), "JP-OW-07")
    assert found[["period_start", "period_end", "measured_value"]].values.tolist() == (
        [[D(2025, 10, 5), D(2025, 10, 25), 120.0]] if expected else []
    )
    if expected:
        assert "three weeks from 2025-10-05" in found.loc[0, "explanation"]
        assert "beyond 40 h a week" in found.loc[0, "explanation"]


def test_ow07_160_hours_in_one_month() -> None:
    st = Studio()
    st.agreement(special=True)
    a = st.person("A")
    ot_month(st, a, 2025, 10, 159.9, days=20)
    ot_month(st, a, 2025, 12, 160.0, days=20)
    found = rule(st.findings(overwork.check), "JP-OW-07")
    single = found[found["explanation"].str.contains("in one month")]
    assert single[["period_start", "measured_value", "threshold"]].values.tolist() == [[D(2025, 12, 1), 160.0, 160.0]]


def test_ow01_02_03_monthly_lines_for_freelancers_are_equivalents() -> None:
    st = Studio(employees=0)
    f = st.person("F", employment_type="freelancer")
    ot_month(st, f, 2025, 10, 100.0, days=20)  # ≥ 100 h: the single-month line
    ot_month(st, f, 2025, 11, 60.0, days=20)  # 2-month average 80 h: the 80 h line (≥ 80)
    ot_month(st, f, 2025, 12, 45.0, days=20)  # exactly 45 h: not over the 45 h line
    found = st.findings()
    assert rule(found, "JP-OW-03")["period_start"].tolist() == [D(2025, 10, 1)]
    assert rule(found, "JP-OW-01")["period_start"].tolist() == [D(2025, 11, 1)]
    ow02 = rule(found, "JP-OW-02")
    assert ow02["period_end"].tolist() == [D(2025, 11, 30)]
    assert "equivalent" in ow02.loc[0, "explanation"]
    assert "80 h karoshi line for 2–6-month averages" in ow02.loc[0, "explanation"]
    assert set(found["severity"]) == {"advocacy_flag"}
