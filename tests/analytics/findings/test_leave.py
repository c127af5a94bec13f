"""JP-LEAVE-01: annual paid leave granted and taken, judged on the leave ledger, with hand-worked boundaries, on
frames. Contracts here have ended, so the grants they earned do not depend on today's date."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics.findings import leave
from tests.analytics.findings.studio import Person, Studio

D = dt.date


def leave_findings(st: Studio) -> pd.DataFrame:
    found = st.findings(leave.check)
    return found[found["rule_id"] == "JP-LEAVE-01"].reset_index(drop=True)


def _work(st: Studio, person: Person) -> None:
    st.days(person, D(2022, 4, 4), 3, 8)  # some work on record; the rule reads the contract and the ledger


@pytest.mark.parametrize(("taken", "hourly", "flagged"), [(5.0, 0, 0), (4.5, 0, 1), (4.5, 0.5, 1)])
def test_five_days_must_be_taken_in_a_grant_year_of_ten_days(taken: float, hourly: float, flagged: int) -> None:
    """Hired 2021-04-01, left 2023-03-31: grants of 10 days on 2021-10-01 and 11 on 2022-10-01. The first grant year
    (to 2022-09-30) is complete and judged; the second ended with the contract, so it is not. Leave by the hour
    (two entries of 2 h, a quarter day each, here) does not count towards the five days."""
    st = Studio()
    a = st.person("A", since=D(2021, 4, 1), until=D(2023, 3, 31))
    _work(st, a)
    st.leave(a, "grant", D(2021, 10, 1), 10)
    st.leave(a, "grant", D(2022, 10, 1), 11)
    day = D(2022, 1, 10)
    for i in range(int(taken)):
        st.leave(a, "taken", day + dt.timedelta(days=i), 1)
    if taken % 1:
        st.leave(a, "taken", D(2022, 9, 30), 0.5)  # the year's last day still counts
    for i in range(int(hourly * 4)):
        st.leave(a, "taken", D(2022, 3, 1) + dt.timedelta(days=i), 0.25)
    st.leave(a, "taken", D(2022, 10, 3), 1)  # the next grant year: does not count for the first
    found = leave_findings(st)
    assert len(found) == flagged
    if flagged:
        assert found.loc[0, ["severity", "period_start", "period_end", "measured_value", "threshold"]].tolist() == [
            "violation",
            D(2021, 10, 1),
            D(2022, 9, 30),
            4.5,
            5.0,
        ]
        assert "the employer must see at least 5 taken" in found.loc[0, "explanation"]


@pytest.mark.parametrize(("granted", "flagged"), [(11, 0), (10.5, 1)])
def test_a_grant_below_the_statutory_schedule(granted: float, flagged: int) -> None:
    st = Studio()
    a = st.person("A", since=D(2021, 4, 1), until=D(2023, 3, 31))
    _work(st, a)
    st.leave(a, "grant", D(2021, 10, 1), 10)
    for i in range(5):
        st.leave(a, "taken", D(2022, 2, 1) + dt.timedelta(days=i), 1)
    st.leave(a, "grant", D(2022, 10, 1), granted)  # 1 year 6 months of service: 11 days
    found = leave_findings(st)
    assert len(found) == flagged
    if flagged:
        row = found.loc[0]
        assert [row["period_start"], row["measured_value"], row["threshold"], row["unit"]] == [
            D(2022, 10, 1),
            10.5,
            11.0,
            "days",
        ]
        assert "1 year(s) 6 month(s)" in row["explanation"]


def test_an_early_uniform_grant_date_counts_and_a_missing_grant_does_not() -> None:
    """Granting everyone on 1 April, earlier than the statutory 1 October, is lawful; granting nothing is not."""
    st = Studio()
    early = st.person("E", since=D(2021, 4, 1), until=D(2022, 9, 30))
    late = st.person("L", since=D(2021, 4, 1), until=D(2022, 9, 30))
    for p in (early, late):
        _work(st, p)
    st.leave(early, "grant", D(2021, 4, 1), 10)
    for i in range(5):
        st.leave(early, "taken", D(2021, 12, 1) + dt.timedelta(days=i), 1)
    st.leave(late, "taken", D(2021, 12, 1), 1)  # a ledger, but no grant in it
    found = leave_findings(st)
    assert found[["person", "period_start", "measured_value", "threshold"]].values.tolist() == [
        ["L", D(2021, 10, 1), 0.0, 10.0]
    ]


def test_no_ledger_at_all_is_one_warning_and_short_part_time_is_not_judged_on_the_schedule() -> None:
    st = Studio()
    none = st.person("N", since=D(2020, 4, 1), until=D(2022, 3, 31))
    part = st.person("P", employment_type="employee_parttime", monthly_hours=80, since=D(2021, 4, 1),
                     until=D(2022, 9, 30))  # fmt: skip
    freelancer = st.person("F", employment_type="freelancer", since=D(2020, 4, 1))
    for p in (none, part, freelancer):
        _work(st, p)
    st.leave(part, "grant", D(2021, 10, 1), 5)  # a proportional grant: lawful for about 3 days a week
    found = leave_findings(st)
    assert found[
        ["person", "severity", "period_start", "period_end", "measured_value", "threshold", "unit"]
    ].values.tolist() == [["N", "warning", D(2020, 10, 1), D(2021, 10, 1), 0.0, 2.0, "grants"]]


def test_years_before_the_ledger_begins_and_before_april_2019_are_not_judged() -> None:
    """Hired 2017-04-01, left 2021-03-31: grants due 2017-10-01 (10), 2018-10-01 (11), 2019-10-01 (12),
    2020-10-01 (14). A's ledger starts in 2019; B's in 2017, with nothing taken before the five-day rule began."""
    st = Studio()
    a = st.person("A", since=D(2017, 4, 1), until=D(2021, 3, 31))
    b = st.person("B", since=D(2017, 4, 1), until=D(2021, 3, 31))
    for p in (a, b):
        _work(st, p)
        st.leave(p, "grant", D(2019, 10, 1), 12)
        for i in range(5):
            st.leave(p, "taken", D(2020, 1, 6) + dt.timedelta(days=i), 1)
        st.leave(p, "grant", D(2020, 10, 1), 14)
    st.leave(b, "grant", D(2017, 10, 1), 10)
    st.leave(b, "grant", D(2018, 10, 1), 11)  # its year (to 2019-09-30) began before 2019-04-01
    assert leave_findings(st).empty


def test_the_ledger_is_judged_as_far_as_it_has_been_kept() -> None:
    """Still employed, but the ledger's latest entry (anyone's) is 2022-09-29: the grant year ending the next day is
    not judged, nor the grants due after it; an entry on 2022-09-30 brings that year in."""
    st = Studio()
    a = st.person("A", since=D(2021, 4, 1))
    _work(st, a)
    st.leave(a, "grant", D(2021, 10, 1), 10)
    st.leave(a, "taken", D(2022, 9, 29), 1)
    assert leave_findings(st).empty
    other = st.person("B", since=D(2022, 6, 1))  # a new hire, no grant due yet, given a day in advance
    st.leave(other, "taken", D(2022, 9, 30), 1)
    found = leave_findings(st)
    assert found[["person", "period_end", "measured_value"]].values.tolist() == [["A", D(2022, 9, 30), 1.0]]
