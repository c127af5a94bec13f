"""The annual-leave schedule and the days that count towards the days to be taken (no database)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from data.law.leave import AnnualLeave, counts_towards_mandatory, statutory_grants
from data.reference import seed_values

LEAVE = AnnualLeave.from_values(seed_values("JP"))


def test_seeded_schedule() -> None:
    assert LEAVE.first_grant_after_months == 6
    assert LEAVE.days_schedule == (10, 11, 12, 14, 16, 18, 20)
    assert (LEAVE.mandatory_take_days, LEAVE.mandatory_if_granted_days) == (5, 10)
    assert LEAVE.mandatory_from == dt.date(2019, 4, 1)
    assert LEAVE.full_grants_from_h_per_week == 30
    assert [LEAVE.service_label(k) for k in (0, 1, 2)] == ["0 year(s) 6 month(s)", "1 year(s) 6 month(s)",
                                                          "2 year(s) 6 month(s)"]  # fmt: skip


def test_statutory_grants_of_a_service() -> None:
    # Hired 2017-04-01, judged to 2021-03-31: grants on 1 October 2017–2020 of 10, 11, 12, 14 days; each year ends
    # the day before the next grant. A second service from 2024-08-31 earns its first on 2025-02-28 (a short month).
    grants = statutory_grants(
        np.array(["2017-04-01", "2024-08-31"], dtype="datetime64[D]"),
        np.array(["2021-03-31", "2025-03-01"], dtype="datetime64[D]"),
        LEAVE,
    )
    assert grants.service.tolist() == [0, 0, 0, 0, 1]
    assert grants.k.tolist() == [0, 1, 2, 3, 0]
    assert [str(d) for d in grants.due] == ["2017-10-01", "2018-10-01", "2019-10-01", "2020-10-01", "2025-02-28"]
    assert grants.days.tolist() == [10, 11, 12, 14, 10]
    assert [str(d) for d in grants.previous] == ["2017-03-31", "2017-10-01", "2018-10-01", "2019-10-01", "2024-08-30"]
    assert [str(d) for d in grants.year_end][:2] == ["2018-09-30", "2019-09-30"]


def test_the_schedule_stops_rising_after_its_last_step() -> None:
    grants = statutory_grants(np.array(["2000-04-01"], dtype="datetime64[D]"),
                              np.array(["2010-12-31"], dtype="datetime64[D]"), LEAVE)  # fmt: skip
    # Grants on 1 October 2000 … 2010: eleven, the seventh and later of 20 days.
    assert grants.days.tolist() == [10, 11, 12, 14, 16, 18, 20, 20, 20, 20, 20]


def test_whole_and_half_days_count_leave_by_the_hour_does_not() -> None:
    assert counts_towards_mandatory([1, 0.5, 0.25, 1.5, 2]).tolist() == [True, True, False, True, True]
