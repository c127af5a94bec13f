"""Typed groups of the parameters the labor arithmetic takes, built from the rule_parameter table's values.

The table holds one row per jurisdiction, key and effective date (seeded from ``data/seed/jurisdictions.json``);
:func:`data.reference.rule_values` reads the rows in force on a day as a flat ``{key: value}`` mapping, and the
``from_values`` constructors here turn it into typed values. A missing key is an error, never a default: a legal
constant that silently fell back to a literal would be a second copy of the law.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from data.errors import DataError

# Durations are whole seconds everywhere (work logs, rollups, the law's arithmetic): trackers record seconds, and a
# 34-second entry or a 16:45:10–16:46:02 session is kept as it was logged, never rounded to a minute.
SECONDS_PER_MINUTE = 60
SECONDS_PER_HOUR = 60 * SECONDS_PER_MINUTE
SECONDS_PER_DAY = 24 * SECONDS_PER_HOUR
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


class ParameterError(DataError):
    """A rule parameter is missing or malformed in the rule_parameter table."""


def value(values: Mapping[str, Any], key: str) -> Any:
    """``values[key]``, or an error naming the key and where to set it."""
    try:
        return values[key]
    except KeyError:
        raise ParameterError(
            "the rule parameter {key!r} is missing",
            fix="add it to data/seed/jurisdictions.json (or a rule_parameter row) and restart",
            key=key,
        ) from None


def hours_to_seconds(hours: Any) -> int:
    """Hours as the statutes and parameters write them (``8``, ``6.75``) → whole seconds."""
    return round(float(hours) * SECONDS_PER_HOUR)


def minutes_to_seconds(minutes: Any) -> int:
    """Minutes as the parameters write them (a break of ``45`` min) → whole seconds."""
    return round(float(minutes) * SECONDS_PER_MINUTE)


def clock_seconds(text: str) -> int:
    """``"22:00"`` → 79200: seconds after midnight (``"22:00:30"`` → 79230)."""
    hour, _, rest = str(text).partition(":")
    minute, _, second = rest.partition(":")
    return int(hour) * SECONDS_PER_HOUR + int(minute or 0) * SECONDS_PER_MINUTE + int(second or 0)


@dataclass(frozen=True)
class BreakRule:
    """A shift of more than ``worked_over_seconds`` worked needs at least ``break_seconds`` of break."""

    worked_over_seconds: int
    break_seconds: int


@dataclass(frozen=True)
class NightWindow:
    """The late-night window, as seconds after midnight: it starts one evening and ends the next morning."""

    start_second: int
    end_second: int

    @property
    def length_seconds(self) -> int:
        """How long the window is, in seconds (22:00–05:00: 25,200)."""
        return (self.end_second - self.start_second) % SECONDS_PER_DAY

    @property
    def label(self) -> str:
        """``22:00–05:00``."""

        def hm(s: int) -> str:
            return f"{s // SECONDS_PER_HOUR:02d}:{s % SECONDS_PER_HOUR // SECONDS_PER_MINUTE:02d}"

        return f"{hm(self.start_second)}–{hm(self.end_second)}"


@dataclass(frozen=True)
class JpHours:
    """Japan's statutory working hours (LSA Art. 32, 34, 37(4)): the daily and weekly limits, breaks, the night;
    every duration in seconds."""

    daily_limit_seconds: int
    weekly_limit_seconds: int
    breaks: tuple[BreakRule, ...]
    night: NightWindow
    week_start_default: str

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> JpHours:
        rules = [
            BreakRule(hours_to_seconds(r["shift_over_h"]), minutes_to_seconds(r["min_break_min"]))
            for r in value(values, "hours.breaks")
        ]
        week_start = str(value(values, "hours.week_start_default")).upper()
        if week_start not in WEEKDAYS:
            raise ParameterError("hours.week_start_default is {v!r}, not one of {days}", v=week_start, days=WEEKDAYS)
        return cls(
            daily_limit_seconds=hours_to_seconds(value(values, "hours.daily_limit_h")),
            weekly_limit_seconds=hours_to_seconds(value(values, "hours.weekly_limit_h")),
            breaks=tuple(sorted(rules, key=lambda r: r.worked_over_seconds)),
            night=NightWindow(
                clock_seconds(value(values, "premiums.late_night.start")),
                clock_seconds(value(values, "premiums.late_night.end")),
            ),
            week_start_default=week_start,
        )


@dataclass(frozen=True)
class CaOvertime:
    """California's overtime thresholds (Labor Code §510): daily 1.5× and 2× lines, the weekly line, the seventh
    consecutive day of a workweek (its first hours at 1.5×, the rest at 2×). Hours, as the statute writes them."""

    daily_time_and_half_over_h: float
    daily_double_over_h: float
    weekly_over_h: float
    seventh_day_first_h: float

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> CaOvertime:
        daily = sorted(value(values, "overtime.daily"), key=lambda r: float(r["over_h"]))
        weekly = value(values, "overtime.weekly")
        if len(daily) != 2 or len(weekly) != 1:
            raise ParameterError("overtime.daily needs two lines (1.5× and 2×) and overtime.weekly one")
        return cls(
            daily_time_and_half_over_h=float(daily[0]["over_h"]),
            daily_double_over_h=float(daily[1]["over_h"]),
            weekly_over_h=float(weekly[0]["over_h"]),
            seventh_day_first_h=float(value(values, "overtime.seventh_consecutive_day.first_h")),
        )
