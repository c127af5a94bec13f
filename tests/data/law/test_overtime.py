"""Japanese and Californian overtime, worked by hand (no database). Durations are seconds; ``M`` is a minute."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.law.overtime import ca_week, jp_overtime
from data.law.params import CaOvertime, JpHours
from data.reference import seed_values

JP = JpHours.from_values(seed_values("JP"))
CA = CaOvertime.from_values(seed_values("US-CA"))
M = 60  # seconds in a minute: the hand-worked examples below are in minutes, times M


def test_seeded_limits() -> None:
    assert (JP.daily_limit_seconds, JP.weekly_limit_seconds, JP.week_start_default) == (480 * M, 2400 * M, "SUN")
    assert (CA.daily_time_and_half_over_h, CA.daily_double_over_h, CA.weekly_over_h, CA.seventh_day_first_h) == (
        8,
        12,
        40,
        8,
    )


def test_jp_daily_and_weekly_overtime_count_each_minute_once() -> None:
    # One week, six days of 9 h: each day 60 min daily OT, 480 straight. Running straight: 480, 960, …, 2880.
    # The limit 2400 is passed on day 6 (running 2880, before it 2400): 480 min of weekly OT arise that day.
    ot = jp_overtime([540 * M] * 6, [0] * 6, [1] * 6, JP)
    assert ot.daily.tolist() == [60 * M] * 6
    assert ot.weekly.tolist() == [0, 0, 0, 0, 0, 480 * M]
    assert int(ot.total.sum()) == (6 * 540 - 2400) * M  # every minute beyond 40 h, once


def test_jp_weekly_overtime_restarts_each_week_and_skips_holiday_work() -> None:
    # Week A: five 8 h days then 8 h on the statutory day off (holiday work, not overtime): no weekly OT.
    # Week B: six 8 h days: the sixth day's 480 min are weekly OT.
    seconds = [480 * M] * 6 + [480 * M] * 6
    holiday = [0] * 5 + [480 * M] + [0] * 6
    week = [1] * 6 + [2] * 6
    ot = jp_overtime(seconds, holiday, week, JP)
    assert ot.daily.sum() == 0
    assert ot.weekly.tolist() == [0] * 6 + [0, 0, 0, 0, 0, 480 * M]


def test_jp_weekly_overtime_partly_on_the_crossing_day() -> None:
    # 7 h × 5 = 2100 straight; day 6 of 7 h: running 2520 → 120 min weekly OT that day.
    ot = jp_overtime([420 * M] * 6, [0] * 6, [5] * 6, JP)
    assert ot.weekly.tolist() == [0, 0, 0, 0, 0, 120 * M]


def test_jp_overtime_counts_seconds() -> None:
    # 8 h 00 min 34 s on one day: 34 s of daily overtime, not 0 and not a whole minute. A week of 40 h and 1 s
    # of straight time: the last second is weekly overtime.
    ot = jp_overtime([8 * 3600 + 34], [0], [1], JP)
    assert (ot.daily.tolist(), ot.weekly.tolist()) == ([34], [0])
    ot = jp_overtime([8 * 3600] * 4 + [8 * 3600 - 1, 2], [0] * 6, [1] * 6, JP)
    assert ot.weekly.tolist() == [0, 0, 0, 0, 0, 1]


def test_jp_empty() -> None:
    assert jp_overtime([], [], [], JP).total.tolist() == []


@pytest.mark.parametrize(
    ("hours", "straight", "ot15", "ot2", "seventh"),
    [
        ([8, 8, 8, 8, 8], 40, 0, 0, False),
        ([13, 8, 8, 8, 8], 40, 4, 1, False),  # 13 h: 8 straight, 4 at 1.5×, 1 at 2×
        ([8, 8, 8, 8, 8, 6], 40, 6, 0, False),  # weekly line re-prices straight time only
        ([8, 8, 8, 8, 8, 8, 10], 40, 8 + 8, 2, True),  # 7th day: first 8 h at 1.5×, rest at 2×
    ],
)
def test_ca_week(hours: list[float], straight: float, ot15: float, ot2: float, seventh: bool) -> None:
    week = ca_week(hours, CA)
    assert (week.straight, week.time_and_half, week.double, week.seventh_day) == (straight, ot15, ot2, seventh)
    assert week.hours == sum(hours) == week.straight + week.time_and_half + week.double


def _jp_by_hand(days: list[tuple[int, int, int]], unit: int = M) -> list[tuple[int, int]]:
    """(daily, weekly) overtime in seconds of each (week, duration, holiday duration) day, durations counted in
    ``unit`` seconds, the statute read literally: a day's non-holiday time beyond 8 h is daily overtime; the rest
    counts towards the week, and the units that carry the week's count past 40 h are weekly overtime, on the day
    they are worked."""
    out, counted, week_of_count = [], 0, None
    for week, duration, holiday in days:
        if week != week_of_count:
            counted, week_of_count = 0, week
        regular = duration - holiday
        daily = max(0, regular - 8 * 3600 // unit)
        weekly = 0
        for _ in range(regular - daily):  # unit by unit
            counted += 1
            if counted > 40 * 3600 // unit:
                weekly += 1
        out.append((daily * unit, weekly * unit))
    return out


@st.composite
def _weeks_of_days(draw: st.DrawFn) -> list[tuple[int, int, int]]:
    days = []
    for week in range(draw(st.integers(0, 4))):
        for _ in range(draw(st.integers(1, 7))):
            minutes = draw(st.integers(0, 18 * 60))
            holiday = draw(st.sampled_from([0, 0, 0, minutes]))  # a day is a statutory day off, or not
            days.append((week, minutes, holiday))
    return days


@settings(max_examples=300, deadline=None)
@given(_weeks_of_days())
def test_jp_overtime_matches_the_statute_read_minute_by_minute(days: list[tuple[int, int, int]]) -> None:
    # Whole-minute days (the records before durations were kept to the second): the same overtime as before, × 60.
    assert (JP.daily_limit_seconds, JP.weekly_limit_seconds) == (8 * 3600, 40 * 3600)
    week, minutes, holiday = ([d[i] for d in days] for i in range(3))
    ot = jp_overtime([m * M for m in minutes], [h * M for h in holiday], week, JP)
    assert list(zip(ot.daily.tolist(), ot.weekly.tolist(), strict=True)) == _jp_by_hand(days)


@st.composite
def _weeks_of_second_days(draw: st.DrawFn) -> list[tuple[int, int, int]]:
    days = []
    for week in range(draw(st.integers(0, 2))):
        for _ in range(draw(st.integers(1, 6))):
            seconds = draw(st.integers(0, 12 * 3600))
            days.append((week, seconds, draw(st.sampled_from([0, 0, 0, seconds]))))
    return days


@settings(max_examples=40, deadline=None)
@given(_weeks_of_second_days())
def test_jp_overtime_matches_the_statute_read_second_by_second(days: list[tuple[int, int, int]]) -> None:
    week, seconds, holiday = ([d[i] for d in days] for i in range(3))
    ot = jp_overtime(seconds, holiday, week, JP)
    assert list(zip(ot.daily.tolist(), ot.weekly.tolist(), strict=True)) == _jp_by_hand(days, unit=1)
