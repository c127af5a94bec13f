"""Night time and required breaks of single shifts, worked by hand (no database). Durations are seconds."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from data.law.params import JpHours
from data.law.shifts import (
    break_screen,
    break_too_short,
    night_minutes,
    night_minutes_of_span,
    night_minutes_of_spans,
    night_seconds,
    required_break_minutes,
    worked_and_night_minutes,
)
from data.reference import seed_values

JP = JpHours.from_values(seed_values("JP"))
M = 60  # seconds in a minute: the hand-worked examples below are in minutes, times M


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2025, 4, day, hour, minute, second)


def test_the_seeded_night_is_22_to_5() -> None:
    assert (JP.night.start_second, JP.night.end_second, JP.night.length_seconds) == (1320 * M, 300 * M, 420 * M)
    assert JP.night.label == "22:00–05:00"


@pytest.mark.parametrize(
    ("start", "end", "night"),
    [
        (at(1, 9), at(1, 18), 0),  # a day shift
        (at(1, 20), at(2, 2), 240),  # 22:00–02:00
        (at(1, 3), at(1, 7), 120),  # 03:00–05:00 belongs to the previous evening's window
        (at(1, 21, 30), at(2, 6), 420),  # the whole window, 7 h
        (at(1, 22), at(3, 5), 840),  # two nights
        (at(1, 23, 59, 30), at(2, 0, 0, 30), 1),  # seconds: 60 s in the window
    ],
)
def test_night_minutes(start: dt.datetime, end: dt.datetime, night: int) -> None:
    assert night_minutes(start, end, JP.night) == night
    assert night_seconds(start, end, JP.night) == night * M


def test_night_seconds_keep_seconds() -> None:
    assert night_seconds(at(1, 21, 59, 26), at(1, 22, 0, 0), JP.night) == 0
    assert night_seconds(at(1, 21, 59, 26), at(1, 22, 0, 34), JP.night) == 34
    assert night_seconds(at(2, 4, 59, 30), at(2, 5, 0, 10), JP.night) == 30


@pytest.mark.parametrize("unit", [M, 1])  # whole minutes (as stored before seconds were kept) and seconds
def test_span_and_arrays_agree_with_datetimes(unit: int) -> None:
    rng = np.random.default_rng(1)
    starts = rng.integers(0, 86400 // unit, 500) * unit
    ends = starts + rng.integers(0, 86400 // unit, 500) * unit
    by_array = night_minutes_of_spans(starts, ends, JP.night)
    midnight = dt.datetime(2025, 4, 1)
    for s, e, n in zip(starts.tolist(), ends.tolist(), by_array.tolist(), strict=True):
        expected = night_seconds(midnight + dt.timedelta(seconds=s), midnight + dt.timedelta(seconds=e), JP.night)
        assert night_minutes_of_span(s, e, JP.night) == n == expected
        assert night_minutes(midnight + dt.timedelta(seconds=s), midnight + dt.timedelta(seconds=e), JP.night) == (
            n // M
        )


def test_worked_and_night_minutes_cap_night_by_worked() -> None:
    # 22:00–02:00 with a 60 min break: 180 min worked; the break is taken as outside the night, so night = 180.
    assert worked_and_night_minutes(at(1, 22), at(2, 2), 60 * M, JP.night) == (180 * M, 180 * M)
    assert worked_and_night_minutes(at(1, 9), at(1, 18), 60 * M, JP.night) == (480 * M, 0)
    # 16:45–16:46 is 60 s worked, no break; 12:01:08–12:01:42 is 34 s; 21:59:50–22:00:20 has 20 s of night.
    assert worked_and_night_minutes(at(1, 16, 45), at(1, 16, 46), 0, JP.night) == (60, 0)
    assert worked_and_night_minutes(at(1, 12, 1, 8), at(1, 12, 1, 42), 0, JP.night) == (34, 0)
    assert worked_and_night_minutes(at(1, 21, 59, 50), at(1, 22, 0, 20), 0, JP.night) == (30, 20)


def test_required_break_follows_article_34() -> None:
    # over 6 h worked: 45 min; over 8 h: 60 min; exactly 6 h or 8 h: the lower line.
    worked = np.array([300, 360, 361, 480, 481]) * M
    assert required_break_minutes(worked, JP.breaks).tolist() == [0, 0, 45 * M, 45 * M, 60 * M]
    took = np.array([0, 0, 44, 45, 59]) * M
    assert break_too_short(worked, took, JP.breaks).tolist() == [False, False, True, False, True]
    assert int(required_break_minutes(481 * M, JP.breaks)) == 60 * M
    # One second over 6 h needs the 45 min break; one second short of it is too short.
    assert int(required_break_minutes(6 * 3600 + 1, JP.breaks)) == 45 * M
    assert break_too_short([6 * 3600 + 1] * 2, [45 * M - 1, 45 * M], JP.breaks).tolist() == [True, False]


def test_break_screen_lets_through_every_shift_that_can_fail() -> None:
    worked_over, break_under = break_screen(JP.breaks)
    assert (worked_over, break_under) == (6 * 60 * M, 60 * M)
    worked, took = np.meshgrid(np.arange(0, 16 * 60 * M, 7), np.arange(0, 90 * M, 11))
    short = break_too_short(worked.ravel(), took.ravel(), JP.breaks)
    screened = (worked.ravel() > worked_over) & (took.ravel() < break_under)
    assert short.any() and not (short & ~screened).any()
    assert break_screen(()) == (0, 0)
