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
class PaymentTerm:
    """A statutory payment term of ``days`` "counted from the day the work was received" (給付を受領した日から起算して):
    the day of receipt is day 1 (初日算入), so the latest lawful due date is receipt + ``days`` − 1 (delivered
    2025-07-10, 60 days → 2025-09-07). A due date not agreed is deemed to be the day of receipt; one agreed beyond the
    term is deemed to be its last day (Freelance Act Art. 4(2); the 取適法 counts its 60 days the same way), and
    lateness is judged against the deemed date."""

    days: int

    def latest_due(self, delivered: npt.ArrayLike) -> DayArray:
        """The last lawful due date for work received on ``delivered`` (NaT stays NaT)."""
        return np.asarray(delivered, dtype="datetime64[D]") + np.timedelta64(self.days - 1, "D")

    def day_number(self, due: npt.ArrayLike, delivered: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Which day of the term a due date falls on, the day of receipt being day 1 (NaN where either is unknown)."""
        gap = np.asarray(due, dtype="datetime64[D]") - np.asarray(delivered, dtype="datetime64[D]")
        days = gap.astype("timedelta64[D]").astype(np.float64)
        return np.where(np.isnat(gap), np.nan, days + 1)

    def deemed_due(self, due: npt.ArrayLike, delivered: npt.ArrayLike) -> DayArray:
        """The day payment falls due: the agreed date when it is within the term; its last day when the agreed date
        is beyond it; the day of receipt when none was agreed (Art. 4(2)). Without a delivery date, the agreed date
        (NaT when neither is known)."""
        due = np.asarray(due, dtype="datetime64[D]")
        received = np.asarray(delivered, dtype="datetime64[D]")
        latest = self.latest_due(received)
        capped = np.where(~np.isnat(due) & (due > latest), latest, due)
        deemed = np.where(np.isnat(due), received, capped)
        return np.where(np.isnat(received), due, deemed)


@dataclass(frozen=True)
class FreelanceAct:
    """``in_force``: the first commission date the Act covers; ``payment``: payment due within a term counted from
    receiving the work (Art. 4, :class:`PaymentTerm`); ``long_commission_months``: commissions at least this long
    (commission to delivery) may not have their fee reduced or be redone for free (Art. 5);
    ``client_must_have_employees``: a client without employees is not bound (Art. 2(6))."""

    in_force: dt.date
    payment: PaymentTerm
    long_commission_months: int
    client_must_have_employees: bool

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> FreelanceAct:
        return cls(
            in_force=dt.date.fromisoformat(str(value(values, "freelance_act.in_force"))),
            payment=PaymentTerm(int(value(values, "freelance_act.pay_due_within_days_of_receipt"))),
            long_commission_months=int(value(values, "freelance_act.prohibited_acts_if_commission_months_ge")),
            client_must_have_employees=bool(value(values, "freelance_act.client_must_have_employees")),
        )

    @property
    def pay_due_days(self) -> int:
        """The term's length in days (the day of receipt is the first)."""
        return self.payment.days

    def long_commission(self, commissioned: npt.ArrayLike, delivered: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """True where both dates are known and the work was delivered ``long_commission_months`` or more after it
        was commissioned."""
        start = np.asarray(commissioned, dtype="datetime64[D]")
        end = np.asarray(delivered, dtype="datetime64[D]")
        known = ~np.isnat(start) & ~np.isnat(end)
        return known & (end >= add_months(start, self.long_commission_months))


@dataclass(frozen=True)
class SubcontractAct:
    """The 取適法 (the Subcontract Act as amended, from ``in_force``): company-to-company commissions paid within a
    term counted as the Freelance Act's (:class:`PaymentTerm`). Endroll holds no company-to-company commissions yet
    (JP-SUB-01 is not implemented); the counting is here so that it is written once."""

    in_force: dt.date
    payment: PaymentTerm

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> SubcontractAct:
        return cls(
            in_force=dt.date.fromisoformat(str(value(values, "toriteki_ho_subcontract.in_force"))),
            payment=PaymentTerm(int(value(values, "toriteki_ho_subcontract.pay_due_within_days"))),
        )


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
