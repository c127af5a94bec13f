"""The overwork lines: when hours put health at risk, whatever the contract says.

They are indicators, not limits an employer breaks (those are in :mod:`data.law.agreement`): the MHLW criteria for
recognising cerebrovascular and heart disease as work-related (過労死ライン: a month of overtime plus holiday work at
or over one line, or an average over 2–6 months at or over another; risk starts to rise beyond a lower line), the
MHLW criteria for work-related mental disorders (a "special event" of very long hours in a month or in three weeks, a
"strong" load of long months in a row), two weeks or more without a day off, the WHO/ILO's weekly line, and the days
off LSA Art. 35 requires of an employer (one a week, or a number in every four weeks). Each is a rule parameter
(``overwork_indicators.*``, ``hours.statutory_days_off.*``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from data.law.agreement import span_label
from data.law.params import value

# The mental-disorder criteria name their spans in their keys: "each of 2 (3) consecutive months", "3 weeks".
STRONG_LOAD_KEYS = (
    (2, "overwork_indicators.mental_strong_2_consecutive_months_each_h"),
    (3, "overwork_indicators.mental_strong_3_consecutive_months_each_h"),
)
SPECIAL_EVENT_WEEKS = 3


@dataclass(frozen=True)
class OverworkLines:
    """The overwork lines in hours (per month unless named otherwise), days and weeks.

    ``caution_month_h``: overtime plus holiday work beyond which health risk starts to rise; ``month_h``: the
    single-month karoshi line; ``average_h`` over ``average_windows`` consecutive months: the multi-month one;
    ``week_h``: hours worked in a week (WHO/ILO); ``streak_days``: consecutive working days; ``mental_month_h`` and
    ``mental_weeks_h`` (over ``SPECIAL_EVENT_WEEKS`` weeks, hours beyond the weekly limit): special events;
    ``strong_loads``: (months in a row, hours in each); ``days_off_per_week``, ``days_off_per_window`` in
    ``window_days``: LSA Art. 35."""

    caution_month_h: float
    month_h: float
    average_h: float
    average_windows: tuple[int, ...]
    week_h: float
    streak_days: int
    mental_month_h: float
    mental_weeks_h: float
    strong_loads: tuple[tuple[int, float], ...]
    days_off_per_week: int
    days_off_per_window: int
    window_days: int

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> OverworkLines:
        def line(key: str) -> float:
            return float(value(values, f"overwork_indicators.{key}"))

        return cls(
            caution_month_h=line("ot_month_caution_h"),
            month_h=line("karoshi_single_month_h"),
            average_h=line("karoshi_avg_2_6_months_h"),
            # The karoshi criteria average over the same windows as Art. 36(6)(iii).
            average_windows=tuple(sorted(int(n) for n in value(values, "ot_agreement_36.absolute.avg_windows_months"))),
            week_h=line("who_ilo_weekly_h"),
            streak_days=int(line("consecutive_work_days_flag")),
            mental_month_h=line("mental_special_event_month_h"),
            mental_weeks_h=line("mental_special_event_3weeks_h"),
            strong_loads=tuple((n, float(value(values, key))) for n, key in STRONG_LOAD_KEYS),
            days_off_per_week=int(value(values, "hours.statutory_days_off.per_week")),
            days_off_per_window=int(value(values, "hours.statutory_days_off.or_per_4_weeks")),
            window_days=int(value(values, "hours.statutory_days_off.window_days")),
        )

    @property
    def windows_label(self) -> str:
        """The averaging windows as the criteria read them: ``2–6``."""
        return span_label(self.average_windows)

    @property
    def window_weeks(self) -> int:
        """The days-off window in weeks (for the sentence: "in 4 weeks")."""
        return self.window_days // 7
