"""Freelancers: the Freelance Act's terms of payment (フリーランス・事業者間取引適正化等法, from its date in force), and
the hours that make a freelance contract look like employment.

The Act requires written terms immediately on commission (Art. 3) and payment within a number of days of receiving
the work (Art. 4: the agreed due date, but never later than that); for commissions lasting at least a number of
months it forbids reducing the fee or making the freelancer redo work for free, unless the freelancer was at fault
(Art. 5). Whether a freelancer is in fact a worker (労働者; California: an employee under the ABC test) the records
cannot settle, but a full-time schedule for several months is a sign of it. Each number is a rule parameter
(``freelance_act.*``, ``contractor_risk.*``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from data.law.calendar import add_months
from data.law.params import value

DayArray = npt.NDArray[np.datetime64]


@dataclass(frozen=True)
class FreelanceAct:
    """``in_force``: the first commission date the Act covers; ``pay_due_days``: payment due at most this many days
    after receiving the work (Art. 4); ``long_commission_months``: commissions at least this long (commission to
    delivery) may not have their fee reduced or be redone for free (Art. 5); ``client_must_have_employees``: a client
    without employees is not bound (Art. 2(6))."""

    in_force: dt.date
    pay_due_days: int
    long_commission_months: int
    client_must_have_employees: bool

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> FreelanceAct:
        return cls(
            in_force=dt.date.fromisoformat(str(value(values, "freelance_act.in_force"))),
            pay_due_days=int(value(values, "freelance_act.pay_due_within_days_of_receipt")),
            long_commission_months=int(value(values, "freelance_act.prohibited_acts_if_commission_months_ge")),
            client_must_have_employees=bool(value(values, "freelance_act.client_must_have_employees")),
        )

    def effective_due(self, due: npt.ArrayLike, delivered: npt.ArrayLike) -> DayArray:
        """The day payment falls due: the agreed due date, or the last day the Act allows after delivery when that
        is earlier or no date was agreed (NaT when neither is known)."""
        due = np.asarray(due, dtype="datetime64[D]")
        legal = np.asarray(delivered, dtype="datetime64[D]") + np.timedelta64(self.pay_due_days, "D")
        return np.where(np.isnat(legal) | (~np.isnat(due) & (due < legal)), due, legal)

    def long_commission(self, commissioned: npt.ArrayLike, delivered: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """True where both dates are known and the work was delivered ``long_commission_months`` or more after it
        was commissioned."""
        start = np.asarray(commissioned, dtype="datetime64[D]")
        end = np.asarray(delivered, dtype="datetime64[D]")
        known = ~np.isnat(start) & ~np.isnat(end)
        return known & (end >= add_months(start, self.long_commission_months))


@dataclass(frozen=True)
class EmployeeLikeHours:
    """A freelancer logging ``month_h`` hours or more in at least ``months_min`` months of a year keeps a full-time
    employee's schedule (``freelance_act.classification_risk.*`` in Japan, ``contractor_risk.*`` in California)."""

    month_h: float
    months_min: int

    @classmethod
    def from_values(cls, values: Mapping[str, Any], prefix: str) -> EmployeeLikeHours:
        return cls(
            month_h=float(value(values, f"{prefix}.employee_like_month_h")),
            months_min=int(value(values, f"{prefix}.employee_like_months_min")),
        )
