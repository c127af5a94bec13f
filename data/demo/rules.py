"""The law the demo studio's records follow, read from the database being written (the rule_parameter table).

The demo has no legal constant of its own: breaks, the night window, overtime lines, premiums, California's lines,
meal period and rates, the Freelance Act's payment deadline, annual leave and discretionary-work consent all come
from :func:`data.reference.rule_values`, and the arithmetic from :mod:`data.law`. Parameters are read as in force
on the studio's first day; the seeded ones have not changed since 2019.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from data.law.params import SECONDS_PER_MINUTE, CaOvertime, JpHours, hours_to_seconds, minutes_to_seconds, value
from data.law.shifts import required_break_minutes
from data.law.wages import JpPremiums
from data.reference import rule_values


@dataclass(frozen=True)
class Rules:
    """The parameters the generator follows (see the module docstring)."""

    jp_hours: JpHours
    studio_week_start: str  # the studio's week, for overtime: Japan's default week, which the LA unit keeps too
    jp_premiums: JpPremiums
    ca_overtime: CaOvertime
    ca_time_and_half_premium: float  # on top of straight time, as a fraction of the regular rate (0.5)
    ca_double_premium: float  # (1.0)
    ca_meal_after_seconds: int  # a work period longer than this needs a meal period (Labor Code §512)
    ca_meal_seconds: int
    freelance_pay_due_days: int  # the Freelance Act's payment term in days, the day of delivery being day 1
    leave_first_grant_months: int  # LSA Art. 39: the first grant, this many months after hire
    leave_schedule: tuple[int, ...]  # days granted at the first grant and each year after
    consent_required_from: dt.date  # discretionary work (professional type) needs written consent from then
    breaks_by_minutes: tuple[int, ...]  # the break, in whole minutes, a day of n whole minutes worked needs

    @property
    def first_break_over_seconds(self) -> int:
        """The shortest day that needs a break is longer than this."""
        return min(rule.worked_over_seconds for rule in self.jp_hours.breaks)

    def required_break(self, worked_minutes: int) -> int:
        """:func:`data.law.shifts.required_break_minutes` of a day's ``worked_minutes``, in whole minutes: the
        generator draws whole minutes (looked up: it is asked for every day of every person)."""
        return self.breaks_by_minutes[worked_minutes]


def read_rules(session: Session, *, on: dt.date) -> Rules:
    """The :class:`Rules` in force on ``on``, from the rule_parameter table of ``session``'s database."""
    jp = rule_values(session, "JP", on)
    ca = rule_values(session, "US-CA", on)
    hours = JpHours.from_values(jp)
    whole_minutes = np.arange(24 * 60 + 1) * SECONDS_PER_MINUTE  # every whole-minute day, in seconds
    return Rules(
        jp_hours=hours,
        studio_week_start=hours.week_start_default,
        jp_premiums=JpPremiums.from_values(jp),
        ca_overtime=CaOvertime.from_values(ca),
        ca_time_and_half_premium=_ca_rate(ca, 0) - 1.0,
        ca_double_premium=_ca_rate(ca, 1) - 1.0,
        ca_meal_after_seconds=hours_to_seconds(value(ca, "meal.first_start_before_end_of_h")),
        ca_meal_seconds=minutes_to_seconds(value(ca, "meal.length_min")),
        freelance_pay_due_days=int(value(jp, "freelance_act.pay_due_within_days_of_receipt")),
        leave_first_grant_months=int(value(jp, "annual_leave.first_grant_after_months")),
        leave_schedule=tuple(int(days) for days in value(jp, "annual_leave.days_schedule")),
        consent_required_from=dt.date.fromisoformat(str(value(jp, "discretionary_work.consent_required_from"))),
        breaks_by_minutes=tuple(
            int(b) // SECONDS_PER_MINUTE for b in required_break_minutes(whole_minutes, hours.breaks)
        ),
    )


def _ca_rate(values: Mapping[str, Any], line: int) -> float:
    """The pay rate (1.5, 2.0) of California's ``line``-th daily overtime line, lowest first."""
    lines = sorted(value(values, "overtime.daily"), key=lambda r: float(r["over_h"]))
    return float(lines[line]["rate"])
