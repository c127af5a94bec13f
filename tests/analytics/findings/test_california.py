"""California: overtime per workweek (CA-OT-01) and the exempt salary floor (CA-EX-01), hand-worked, on frames."""

from __future__ import annotations

import datetime as dt

from analytics.findings import california
from analytics.overtime import ca_overtime_of
from tests.analytics.findings.studio import LAW, Studio, rule

D = dt.date


def test_california_seventh_day() -> None:
    st = Studio()
    c = st.person("C", jurisdiction="US-CA", city="Los Angeles")
    st.days(c, D(2025, 8, 3), 7, 9)  # Sun 3 … Sat 9, 9 h every day
    st.days(c, D(2025, 8, 10), 6, 9)  # Sun 10 … Fri 15: no seventh day
    st.pay(c, "2000.00", D(2025, 8, 1), D(2025, 8, 31), basis="hourly", currency="USD")
    weeks = ca_overtime_of(st.records().ca_days, rules=LAW.ca_overtime, week_start="SUN")
    # Week 1: days 1–6 give 1 h at 1.5× each and 48 straight hours, 8 of them past 40 → 1.5×; day 7: 8 h at 1.5×
    # and 1 h at 2×. Week 2: 6 h daily OT and 48 − 40 = 8 h weekly OT, nothing at 2×.
    assert weeks[["hours", "straight_hours", "ot_1_5_hours", "ot_2_hours", "seventh_day"]].values.tolist() == [
        [63.0, 40.0, 22.0, 1.0, True],
        [54.0, 40.0, 14.0, 0.0, False],
    ]
    found = rule(st.findings(california.check), "CA-OT-01")
    assert len(found) == 1 and "seventh-day" in found.loc[0, "explanation"]
    # 2,000 USD for 117 h: 17.09 USD/h; 36 h at 1.5× and 1 h at 2× need 0.5 × 17.09 × 36 + 1.0 × 17.09 × 1.
    rate = 2000 / 117
    assert found.loc[0, "threshold"] == round(0.5 * rate * 36 + rate, 2)
    assert "36.0 h at 1.5× and 1.0 h at 2×" in found.loc[0, "explanation"]


def test_california_daily_over_12_is_double_time() -> None:
    st = Studio()
    c = st.person("C", jurisdiction="US-CA", city=None)
    st.work(c, D(2025, 8, 4), 13)
    week = ca_overtime_of(st.records().ca_days, rules=LAW.ca_overtime, week_start="SUN").iloc[0]
    assert (week["straight_hours"], week["ot_1_5_hours"], week["ot_2_hours"]) == (8.0, 4.0, 1.0)


def test_california_exempt_needs_the_salary_floor() -> None:
    """An exempt employee paid under the year's floor (68,640 USD in 2025) is a CA-EX-01 violation and their
    overtime is checked; 5,720 USD a month (exactly 68,640 a year) keeps the exemption."""
    st = Studio()
    under = st.person("U", jurisdiction="US-CA", city=None, exempt=True)
    at_floor = st.person("F", jurisdiction="US-CA", city=None, exempt=True)
    for p in (under, at_floor):
        st.days(p, D(2025, 8, 4), 5, 10)  # Mon–Fri, 10 h a day: 10 h at 1.5× if not exempt
    st.pay(under, "5700.00", D(2025, 8, 1), D(2025, 8, 31), basis="monthly_salary", currency="USD")
    st.pay(at_floor, "5720.00", D(2025, 8, 1), D(2025, 8, 31), basis="monthly_salary", currency="USD")
    found = st.findings(california.check)
    ex = rule(found, "CA-EX-01")
    assert ex[["person", "measured_value", "threshold", "unit"]].values.tolist() == [
        ["U", 68400.0, 68640.0, "USD/year"]
    ]
    assert rule(found, "CA-OT-01")["person"].tolist() == ["U"]
