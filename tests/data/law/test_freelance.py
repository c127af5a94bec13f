"""The Freelance Act's due dates and commission length, and the hours that look like employment (no database)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from data.law.freelance import EmployeeLikeHours, FreelanceAct
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


def test_payment_falls_due_on_the_agreed_day_or_60_days_after_delivery_whichever_is_earlier() -> None:
    # Delivered 31 March: the Act allows 30 May. Agreed 30 April → 30 April; agreed 10 June → 30 May; none → 30 May;
    # no delivery recorded → the agreed day; neither → unknown.
    due = ACT.effective_due(
        _days("2025-04-30", "2025-06-10", "NaT", "2025-04-30", "NaT"),
        _days("2025-03-31", "2025-03-31", "2025-03-31", "NaT", "NaT"),
    )
    assert [str(d) for d in due] == ["2025-04-30", "2025-05-30", "2025-05-30", "2025-04-30", "NaT"]


def test_a_commission_of_a_month_runs_from_1_march_to_1_april() -> None:
    long = ACT.long_commission(
        _days("2025-03-01", "2025-03-01", "2025-01-31", "NaT"), _days("2025-04-01", "2025-03-31", "2025-02-28", "NaT")
    )
    assert long.tolist() == [True, False, True, False]
