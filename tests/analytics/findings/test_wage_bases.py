"""Minimum-wage and premium bases by pay basis, worked by hand (Tokyo, November 2025: ¥1,226 an hour): monthly
salaries ÷ scheduled hours (above and below the line), daily pay ÷ a day's scheduled hours, allowances left out as
the law leaves them out, the overtime premium on the same base, and a salary without a recorded schedule. On frames
and on both databases (the rollups compute the bases)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from analytics.findings import evaluate
from analytics.pay import effective_pay
from analytics.scope import Scope
from data.law.wages import MonthPay, wage_bases
from tests.analytics import builders
from tests.analytics.findings import studio as frames
from tests.analytics.findings.studio import weekdays

D = dt.date
TODAY = D(2026, 1, 15)
NOV = (D(2025, 11, 1), D(2025, 11, 30))


def _studio(st: Any) -> dict[str, Any]:
    st.agreement(special=True)
    days = weekdays(2025, 11)  # 20 weekdays
    people = {}
    # A: ¥230,000 a month for 160 scheduled hours, 200 h worked (20 days × 10 h), overtime paid in full.
    # Base 230,000 ÷ 160 = ¥1,437.5/h ≥ ¥1,226 (÷ 200 h worked it would be ¥1,150: not the law's divisor).
    people["A"] = a = st.person("A", monthly_hours=160)
    for day in days:
        st.work(a, day, 10)
    st.pay(a, 230_000, *NOV, basis="monthly_salary")
    st.pay(a, round(1.25 * 1437.5 * 40), *NOV, basis="ot_premium")  # 40 h of overtime at 125 %: ¥71,875
    # B: ¥190,000 for 160 scheduled hours; 19 days × 8 h = 152 h worked and a day of paid leave.
    # Base 190,000 ÷ 160 = ¥1,187.5/h < ¥1,226 (÷ 152 h worked it would be ¥1,250).
    people["B"] = b = st.person("B", monthly_hours=160)
    for day in days[:19]:
        st.work(b, day, 8)
    st.pay(b, 190_000, *NOV, basis="monthly_salary")
    # C: ¥10,000 a day for 20 days, 7.5 scheduled hours a day, 9 h worked each: 10,000 ÷ 7.5 = ¥1,333.3/h.
    # D: ¥9,600 a day, 8 scheduled hours: 9,600 ÷ 8 = ¥1,200/h < ¥1,226.
    for name, day_rate, day_h in (("C", 10_000, 7.5), ("D", 9_600, 8.0)):
        people[name] = p = st.person(name, daily_hours=day_h)
        for day in days:
            st.work(p, day, 9)
        st.pay(p, day_rate * 20, *NOV, basis="daily", units=20)
        st.pay(p, round(0.25 * day_rate / day_h * 20 + day_rate / day_h * 20), *NOV, basis="ot_premium")  # 20 h OT
    # E: ¥180,000 + commuting ¥20,000 + family ¥10,000 + a job allowance ¥15,000, 160 scheduled hours, 160 worked.
    # Commuting and family allowances do not count: (180,000 + 15,000) ÷ 160 = ¥1,218.75 < ¥1,226.
    people["E"] = e = st.person("E", monthly_hours=160)
    for day in days:
        st.work(e, day, 8)
    st.pay(e, 180_000, *NOV, basis="monthly_salary")
    for kind, amount in (("commuting", 20_000), ("family", 10_000), ("job", 15_000)):
        st.pay(e, amount, *NOV, basis="allowance", allowance_kind=kind)
    # F: ¥240,000 + perfect attendance ¥16,000, 160 scheduled hours; 20 days × 9 h = 180 h, 20 h of overtime.
    # Minimum-wage base 240,000 ÷ 160 = ¥1,500 (perfect attendance left out); premium base (240,000 + 16,000) ÷ 160
    # = ¥1,600 (it counts there). The salary covers the schedule only: each overtime hour is owed ¥1,600 and 25 %:
    # 1.25 × 1,600 × 20 = ¥40,000. Paid ¥32,000 (the hours at 1.0 only).
    people["F"] = f = st.person("F", monthly_hours=160)
    for day in days:
        st.work(f, day, 9)
    st.pay(f, 240_000, *NOV, basis="monthly_salary")
    st.pay(f, 16_000, *NOV, basis="allowance", allowance_kind="perfect_attendance")
    st.pay(f, 32_000, *NOV, basis="ot_premium")
    # G: ¥200,000 with no schedule recorded, 20 days × 10 h. The statutory most, 40 × 365 ÷ 7 ÷ 12 = 173.8 h a month,
    # stands in: 200,000 ÷ 173.81 = ¥1,150.68/h < ¥1,226, the lowest the pay can come to: a warning, not a violation.
    people["G"] = g = st.person("G")
    for day in days:
        st.work(g, day, 10)
    st.pay(g, 200_000, *NOV, basis="monthly_salary")
    st.pay(g, round(1.25 * 1150.7 * 40), *NOV, basis="ot_premium")
    return people


def _check(found: pd.DataFrame, names: dict[int, str]) -> None:
    found = found.assign(who=found["person_id"].map(names))
    mw = found[found["rule_id"] == "JP-MW-01"].set_index("who")
    assert sorted(mw.index) == ["B", "D", "E", "G"]
    assert mw.loc["B", ["severity", "measured_value", "threshold"]].tolist() == ["violation", 1187.5, 1226.0]
    assert mw.loc["D", ["severity", "measured_value"]].tolist() == ["violation", 1200.0]
    assert mw.loc["E", ["severity", "measured_value"]].tolist() == ["violation", 1218.75]
    assert mw.loc["G", ["severity", "measured_value"]].tolist() == ["warning", 1150.68]
    assert (
        "The contract records no scheduled hours, so the statutory most (173.8 h a month, 8 h a day)"
        in (mw.loc["G", "explanation"])
    )
    pay01 = found[found["rule_id"] == "JP-PAY-01"].set_index("who")
    assert list(pay01.index) == ["F"]
    assert pay01.loc["F", ["measured_value", "threshold"]].tolist() == [32000.0, 40000.0]
    assert (
        "at a base rate of 1,600 JPY/h needs at least 40,000 JPY: the premium, and the hours themselves at "
        in (pay01.loc["F", "explanation"])
    )


def test_on_frames() -> None:
    st = frames.Studio()
    people = _studio(st)
    _check(st.findings(today=TODAY), {p.id: n for n, p in people.items()})


def test_on_the_database(session: Session) -> None:
    st = builders.Studio(session)
    people = _studio(st)
    st.commit()
    names = {p.id: n for n, p in people.items()}
    _check(evaluate(session, today=TODAY), names)
    pay = effective_pay(session, scope=Scope()).assign(who=lambda df: df["person_id"].map(names)).set_index("who")
    assert pay.loc["A", "base_pay_per_hour"] == pytest.approx(1437.5)
    assert pay.loc["C", "base_pay_per_hour"] == pytest.approx(10_000 / 7.5)
    assert pay.loc[["A", "C"], "below_mw"].tolist() == [False, False]
    assert pay.loc["F", ["base_pay_per_hour", "premium_base_per_hour", "scheduled_base_per_hour"]].tolist() == [
        1500.0, 1600.0, 1600.0
    ]  # fmt: skip
    # The shortfall the Pay page shows, on the same base: B, 152 h × (1,226 − 1,187.5) = ¥5,852.
    assert pay.loc["B", "mw_shortfall_amount"] == pytest.approx(152 * (1226 - 1187.5))


def test_mixed_pay_is_the_sum_of_its_parts() -> None:
    """¥50,000 salary (80 scheduled hours), ¥40,000 by the hour and ¥30,000 by the piece for 100 h worked, and
    ¥20,000 for 2 days at 8 h: 50,000 ÷ 80 + (40,000 + 30,000) ÷ 100 + 20,000 ÷ (2 × 8) = 625 + 700 + 1,250."""
    pay = MonthPay(*([x] for x in (100.0, 12.0, 40_000.0, 30_000.0, 20_000.0, 2.0, 50_000.0, 0.0, 0.0, 80.0, 1.0, 8.0)))
    found = wage_bases(pay, default_month_h=173.8, default_day_h=8.0)
    assert (found.minimum_wage[0], found.scheduled[0], bool(found.assumed[0])) == (2575.0, 1875.0, False)


def test_a_salary_for_part_of_a_month_is_divided_by_that_part_of_the_schedule() -> None:
    """Hired on 16 November 2025: ¥95,000 for the 15 of 30 days, 160 scheduled hours a month. 95,000 ÷ (160 × 15/30)
    = ¥1,187.5/h; without a schedule, the statutory 173.81 h × 15/30 = 86.905 h: 95,000 ÷ 86.905 = ¥1,093.1/h."""
    known = MonthPay(*([x] for x in (80.0, 10.0, 0.0, 0.0, 0.0, float("nan"), 95_000.0, 0.0, 0.0, 160.0, 0.5, 8.0)))
    unknown = MonthPay(*([x] for x in (80.0, 10.0, 0.0, 0.0, 0.0, float("nan"), 95_000.0, 0.0, 0.0, float("nan"), 0.5,
                                       float("nan"))))  # fmt: skip
    assert wage_bases(known, default_month_h=173.81, default_day_h=8.0).minimum_wage[0] == pytest.approx(1187.5)
    found = wage_bases(unknown, default_month_h=173.81, default_day_h=8.0)
    assert (round(found.minimum_wage[0], 1), bool(found.assumed[0])) == (1093.1, True)
