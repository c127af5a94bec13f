"""The Freelance Act's due dates and commission length, and the hours that look like employment (no database)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from data.law.freelance import EmployeeLikeHours, FreelanceAct, SubcontractAct
from data.reference import seed_values

ACT = FreelanceAct.from_values(seed_values("JP"))


def _days(*days: str) -> np.ndarray:
    return np.array(days, dtype="datetime64[D]")


def test_seeded_act() -> None:
    assert (ACT.in_force, ACT.pay_due_days, ACT.long_commission_months) == (dt.date(2024, 11, 1), 60, 1)
    assert ACT.client_must_have_employees
    assert EmployeeLikeHours.from_values(seed_values("JP"), "freelance_act.classification_risk") == EmployeeLikeHours(
        140, 3
    )
    assert EmployeeLikeHours.from_values(seed_values("US-CA"), "contractor_risk") == EmployeeLikeHours(140, 3)


def test_the_60_days_count_the_delivery_day_as_the_first() -> None:
    # Delivered 2025-07-10 (shared facts §11): day 1 is 10 July, so day 60 is 10 July + 59 = 7 September.
    term = ACT.payment
    assert term.days == 60
    assert str(term.latest_due(_days("2025-07-10"))[0]) == "2025-09-07"
    days = term.day_number(_days("2025-09-06", "2025-09-07", "2025-09-08", "NaT"), _days(*["2025-07-10"] * 4))
    assert days[:3].tolist() == [59.0, 60.0, 61.0] and np.isnan(days[3])


def test_the_deemed_due_date() -> None:
    # Art. 4(2): an agreed date within the 60 days stands; one beyond is deemed the 60th day (7 September); none is
    # deemed the delivery day itself. Without a delivery date, the agreed date; neither: unknown.
    due = ACT.payment.deemed_due(
        _days("2025-09-06", "2025-09-07", "2025-09-08", "NaT", "2025-09-30", "NaT"),
        _days("2025-07-10", "2025-07-10", "2025-07-10", "2025-07-10", "NaT", "NaT"),
    )
    assert [str(d) for d in due] == ["2025-09-06", "2025-09-07", "2025-09-07", "2025-07-10", "2025-09-30", "NaT"]


def test_the_subcontract_act_counts_its_60_days_the_same_way() -> None:
    act = SubcontractAct.from_values(seed_values("JP"))
    assert act.in_force == dt.date(2026, 1, 1)
    assert str(act.payment.deemed_due(_days("2026-04-10"), _days("2026-02-01"))[0]) == "2026-04-01"  # 1 Feb + 59


def test_a_commission_of_a_month_runs_from_1_march_to_1_april() -> None:
    long = ACT.long_commission(
        _days("2025-03-01", "2025-03-01", "2025-01-31", "NaT"), _days("2025-04-01", "2025-03-31", "2025-02-28", "NaT")
    )
    assert long.tolist() == [True, False, True, False]
