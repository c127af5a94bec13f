"""Annual paid leave (年次有給休暇, LSA Art. 39): the statutory grants and the days an employer must see taken.

An employee earns a first grant a number of months after starting, then one a year, of the days in the schedule
(the last repeating). Part-time employees below a number of hours a week get proportional grants, which depend on
days worked a week. Since a set date, whoever is granted at least a number of days must take a minimum of them within
the year of the grant (Art. 39(7)); leave taken by the hour does not count towards it (MHLW guidance), half days
do. Each number is a rule parameter (``annual_leave.*``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from data.errors import N_
from data.law.calendar import add_months
from data.law.params import ParameterError, value

DayArray = npt.NDArray[np.datetime64]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
MONTHS_PER_YEAR = 12
DAYS_PER_YEAR = 365


@dataclass(frozen=True)
class AnnualLeave:
    """``first_grant_after_months``: the first grant's delay from the start of service; ``days_schedule``: the days
    of each grant (first, second, …; the last repeats); ``attendance_min``: the attendance a grant needs (assumed met:
    absences are not recorded); ``mandatory_take_days`` of a grant of ``mandatory_if_granted_days`` or more must be
    taken within its year, for grants from ``mandatory_from``; ``full_grants_from_h_per_week``: contracts with fewer
    weekly hours get proportional grants (Art. 39(3))."""

    first_grant_after_months: int
    days_schedule: tuple[float, ...]
    attendance_min: float
    mandatory_take_days: float
    mandatory_if_granted_days: float
    mandatory_from: dt.date
    full_grants_from_h_per_week: float

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> AnnualLeave:
        schedule = tuple(float(d) for d in value(values, "annual_leave.days_schedule"))
        if not schedule:
            raise ParameterError(N_("annual_leave.days_schedule needs at least one grant"))
        return cls(
            first_grant_after_months=int(value(values, "annual_leave.first_grant_after_months")),
            days_schedule=schedule,
            attendance_min=float(value(values, "annual_leave.attendance_min")),
            mandatory_take_days=float(value(values, "annual_leave.mandatory_take_days")),
            mandatory_if_granted_days=float(value(values, "annual_leave.mandatory_if_granted_days_ge")),
            mandatory_from=dt.date.fromisoformat(str(value(values, "annual_leave.mandatory_from"))),
            full_grants_from_h_per_week=float(value(values, "annual_leave.full_grants_from_h_per_week")),
        )

    def months_of_service(self, k: int) -> int:
        """The service, in months, that grant number ``k`` (0 for the first) falls due after."""
        return self.first_grant_after_months + MONTHS_PER_YEAR * k

    def service_label(self, k: int) -> str:
        """Grant ``k``'s service as a sentence reads it: ``1 year(s) 6 month(s)``."""
        years, rest = divmod(self.months_of_service(k), MONTHS_PER_YEAR)
        return f"{years} year(s) {rest} month(s)" if rest else f"{years} year(s)"


@dataclass(frozen=True)
class StatutoryGrants:
    """One entry per grant: ``service`` (which service it belongs to), ``k`` (0 for the first), ``due`` (the day it
    falls due), ``days`` (the statutory days), ``previous`` (the previous grant's date; the day before service began
    for the first), ``year_end`` (the day before the next grant). Arrays of equal length."""

    service: IntArray
    k: IntArray
    due: DayArray
    days: FloatArray
    previous: DayArray
    year_end: DayArray


def statutory_grants(start: npt.ArrayLike, last: npt.ArrayLike, rules: AnnualLeave) -> StatutoryGrants:
    """The grants each service (continuous employment from ``start``) earned by ``last`` (its end, or the day the
    records are judged to), in service then date order."""
    start = np.asarray(start, dtype="datetime64[D]")
    last = np.asarray(last, dtype="datetime64[D]")
    years = np.maximum((last - start).astype(np.int64) // DAYS_PER_YEAR + 1, 0)  # an upper bound on the grants earned
    service = np.repeat(np.arange(len(start)), years)
    k = np.arange(len(service)) - np.repeat(np.cumsum(years) - years, years)
    first = rules.first_grant_after_months
    due = add_months(start[service], first + MONTHS_PER_YEAR * k)
    keep = due <= last[service]
    service, k, due = service[keep], k[keep], due[keep]
    began = start[service]
    schedule = np.asarray(rules.days_schedule, dtype=float)
    return StatutoryGrants(
        service=service,
        k=k,
        due=due,
        days=schedule[np.minimum(k, len(schedule) - 1)],
        previous=np.where(k == 0, began - 1, add_months(began, first + MONTHS_PER_YEAR * (k - 1))),
        year_end=add_months(began, first + MONTHS_PER_YEAR * (k + 1)) - 1,
    )


def counts_towards_mandatory(days: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """True for leave taken in whole or half days; leave by the hour (any other fraction) does not count towards the
    days that must be taken."""
    return np.abs(np.mod(np.asarray(days, dtype=float) * 2, 1)) < 1e-9
