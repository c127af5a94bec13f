"""Freelancers: the Freelance Act (JP-FL-01…03) and classification risk (JP-FL-05, CA-IC-01), hand-worked, on
frames. Which pay items the Act covers (its date in force, clients without employees) is a query, checked on both
databases in ``test_records.py``."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics.findings import classification, freelance_act
from analytics.freelance import judge
from tests.analytics.findings.studio import LAW, Studio, rule
from tests.analytics.findings.worked import commission, fees_and_retakes, terms_and_due_dates

D = dt.date


def test_freelancer_paid_on_day_61() -> None:
    """Delivered 31 March: day 1 is 31 March, day 60 is 29 May (31 March + 59). F's due date is day 60 and F is paid
    on day 61 (30 May): a day late. G is paid on day 60: on time."""
    st = Studio()
    f = st.person("F", employment_type="freelancer")
    on_time = st.person("G", employment_type="freelancer")
    delivered = D(2025, 3, 31)
    day_60, day_61 = delivered + dt.timedelta(days=59), delivered + dt.timedelta(days=60)
    commission(st, f, terms_issued_date=D(2025, 3, 1), delivery_date=delivered, due_date=day_60, paid_date=day_61)
    commission(st, on_time, terms_issued_date=D(2025, 3, 1), delivery_date=delivered, due_date=day_60,
               paid_date=day_60)  # fmt: skip
    found = rule(st.findings(freelance_act.check), "JP-FL-02")
    assert found[["person", "measured_value", "period_start", "period_end"]].values.tolist() == [
        ["F", 1.0, D(2025, 5, 29), D(2025, 5, 30)]
    ]


@pytest.mark.parametrize(("due_day", "too_late"), [(59, False), (60, False), (61, True)])
def test_a_due_date_on_day_59_60_or_61(due_day: int, too_late: bool) -> None:
    """Delivered 10 July 2025 (day 1). Day 59 is 6 September, day 60 is 7 September (10 July + 59), day 61 is
    8 September: only day 61 is beyond the Act's 60 days, and is deemed to be day 60; paid on the agreed date, day 61
    is then paid a day late."""
    st = Studio()
    f = st.person("F", employment_type="freelancer")
    delivered = D(2025, 7, 10)
    due = delivered + dt.timedelta(days=due_day - 1)
    commission(st, f, terms_issued_date=D(2025, 3, 1), delivery_date=delivered, due_date=due, paid_date=due)
    table = judge(st.records().commissions, act=LAW.freelance, today=D(2025, 12, 1))
    assert table[["due_day_number", "due_too_late"]].values.tolist() == [[float(due_day), too_late]]
    assert table["deemed_due_date"].dt.date.tolist() == [min(due, D(2025, 9, 7))]
    found = rule(st.findings(freelance_act.check, today=D(2025, 12, 1)), "JP-FL-02")
    if not too_late:
        assert found.empty
        return
    assert found[["measured_value", "threshold", "period_start", "period_end"]].values.tolist() == [
        [61.0, 60.0, D(2025, 7, 10), D(2025, 9, 8)],  # day 61 of at most 60
        [1.0, 0.0, D(2025, 9, 7), D(2025, 9, 8)],  # paid on 8 September, a day after the deemed 7 September
    ]
    assert "day 61 counting the delivery on 2025-07-10 as day 1" in found.loc[0, "explanation"]
    assert "so it was due by 2025-09-07" in found.loc[0, "explanation"]


def test_with_no_due_date_payment_was_due_on_the_delivery_day() -> None:
    """Art. 4(2): no due date agreed, so the due date is the delivery day (10 July): paid on 20 July, 10 days late."""
    st = Studio()
    f = st.person("F", employment_type="freelancer")
    commission(st, f, terms_issued_date=D(2025, 3, 1), delivery_date=D(2025, 7, 10), paid_date=D(2025, 7, 20))
    found = rule(st.findings(freelance_act.check, today=D(2025, 12, 1)), "JP-FL-02")
    assert found[["measured_value", "threshold", "period_start", "period_end"]].values.tolist() == [
        [0.0, 60.0, D(2025, 7, 10), D(2025, 7, 10)],  # no due date set
        [10.0, 0.0, D(2025, 7, 10), D(2025, 7, 20)],  # paid 10 days after the deemed due date
    ]
    assert "without one payment was due on the delivery day itself (Art. 4(2))" in found.loc[0, "explanation"]
    assert "by 2025-09-07 at the latest" in found.loc[0, "explanation"]


def test_freelance_due_date_missing_or_too_late_and_terms() -> None:
    st = Studio()
    terms_and_due_dates(st)
    table = judge(st.records().commissions, act=LAW.freelance, today=D(2025, 4, 10))
    assert table["terms_late"].tolist() == [True, False, False]
    assert table["terms_missing"].tolist() == [False, True, False]
    assert table["due_too_late"].tolist() == [False, False, True]
    found = st.findings(freelance_act.check)
    fl01 = rule(found, "JP-FL-01")
    assert fl01[["person", "measured_value"]].values.tolist() == [["L", 1.0], ["N", 0.0]]
    fl02 = rule(found, "JP-FL-02")
    # U: due 61 days after delivery (too late), and paid on day 61, a day after the legal due date.
    assert sorted(fl02["person"]) == ["U", "U"]
    assert "the Freelance Act (Art. 4) allows at most 60" in fl02["explanation"].iloc[0]


def test_freelance_fee_reduced_or_retakes_unpaid_on_commissions_of_a_month() -> None:
    """JP-FL-03 judges commissions of one month or more (commission to delivery): 1 March → 1 April is one, 1 March
    → 31 March is not."""
    st = Studio()
    fees_and_retakes(st)
    table = judge(st.records().commissions, act=LAW.freelance, today=D(2025, 5, 10)).set_index("person_id")
    assert table["long_commission"].tolist() == [True, False, True, True, True]
    assert table["reduction_amount"].tolist() == [5000.0, 5000.0, 0.0, 0.0, 0.0]
    found = rule(st.findings(freelance_act.check), "JP-FL-03").sort_values(["person", "unit"])
    assert found[["person", "severity", "measured_value", "threshold", "unit"]].values.tolist() == [
        ["R", "violation", 40000.0, 45000.0, "JPY"],
        ["T", "violation", 2.0, 0.0, "retakes"],
    ]
    assert "5,000 JPY less than the 45,000 agreed" in found["explanation"].iloc[0]
    assert "unless the freelancer was at fault" in found["explanation"].iloc[0]


def test_an_unpaid_commission_falls_late_with_the_calendar() -> None:
    """Delivered 31 March with no due date, never paid: the due date is deemed to be the delivery day (Art. 4(2)), so
    on 31 March it is not late yet, on 1 April it is."""
    st = Studio()
    f = st.person("F", employment_type="freelancer")
    commission(st, f, terms_issued_date=D(2025, 3, 1), delivery_date=D(2025, 3, 31))
    on_time = rule(st.findings(freelance_act.check, today=D(2025, 3, 31)), "JP-FL-02")
    assert on_time[["measured_value", "threshold"]].values.tolist() == [[0.0, 60.0]]  # only the missing due date
    assert "requires one within 60 days of receipt" in on_time.loc[0, "explanation"]
    late = rule(st.findings(freelance_act.check, today=D(2025, 4, 1)), "JP-FL-02")
    assert len(late) == 2
    assert late[["period_start", "period_end"]].values.tolist()[-1] == [D(2025, 3, 31), D(2025, 4, 1)]
    assert "still unpaid after its due date 2025-03-31" in late["explanation"].iloc[-1]


@pytest.mark.parametrize(("hours", "months", "flagged"), [(140, 3, 1), (139, 3, 0), (140, 2, 0)])
def test_fl05_freelancer_on_full_time_hours(hours: float, months: int, flagged: int) -> None:
    st = Studio()
    f = st.person("F", employment_type="freelancer")
    for month in range(1, months + 1):
        st.days(f, D(2025, month, 1), 20, hours / 20)
        st.pay(f, 300_000, D(2025, month, 1), D(2025, month, 28), basis="per_cut")
    found = rule(st.findings(classification.check), "JP-FL-05")
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


def test_fl05_freelancer_paid_for_time_and_each_calendar_year_apart() -> None:
    st = Studio()
    f = st.person("F", employment_type="freelancer")
    employee = st.person("E")
    for p in (f, employee):
        st.days(p, D(2024, 12, 2), 5, 6)
        st.days(p, D(2025, 1, 6), 5, 6)
        st.pay(p, 30_000, D(2024, 12, 1), D(2024, 12, 31), basis="hourly")
    st.pay(f, 30_000, D(2025, 1, 1), D(2025, 1, 31), basis="per_sheet")
    found = rule(st.findings(classification.check), "JP-FL-05")
    assert found[["person", "period_start", "period_end", "measured_value"]].values.tolist() == [
        ["F", D(2024, 12, 1), D(2024, 12, 31), 1.0]  # 2025: paid by the sheet, few hours: nothing to flag
    ]
    assert "paid by the hour or month" in found.loc[0, "explanation"]


def test_ca_ic01_animation_for_an_animation_studio_fails_prong_b() -> None:
    st = Studio()  # kind animation_studio
    c = st.person("C", employment_type="freelancer", jurisdiction="US-CA", city="Los Angeles")
    st.days(c, D(2025, 3, 3), 5, 8)
    st.pay(c, "2000.00", D(2025, 3, 1), D(2025, 3, 31), basis="per_episode", currency="USD")
    other = Studio(name="Some broadcaster", alongside=st)
    other.org.kind = "broadcaster"
    d = other.person("D", employment_type="freelancer", jurisdiction="US-CA", city="Los Angeles")
    other.days(d, D(2025, 3, 3), 5, 8)
    other.pay(d, "2000.00", D(2025, 3, 1), D(2025, 3, 31), basis="per_episode", currency="USD")
    found = st.findings(classification.check)
    flagged = rule(found, "CA-IC-01")
    assert flagged[["person", "severity", "measured_value"]].values.tolist() == [["C", "advocacy_flag", 1.0]]
    assert "prong B" in flagged.loc[0, "explanation"]
    assert rule(found, "JP-FL-05").empty  # a Japanese rule: not for a Californian contract
