"""One shift: how much of it falls in the late-night window, and how long a break it needs.

Times are minutes after the midnight of the shift's work date (a shift may run past the next midnight, up to 48 h
after it), so the same function serves a single shift and a column of a million shifts.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

from data.law.params import MINUTES_PER_DAY, BreakRule, NightWindow

IntArray = npt.NDArray[np.int64]


def _windows(night: NightWindow) -> list[tuple[int, int]]:
    # The windows that can overlap a shift starting on day 0 and ending within 48 h: the previous evening's runs into
    # day 0's early morning, then day 0's and day 1's evenings.
    length = night.length_minutes
    return [
        (day * MINUTES_PER_DAY + night.start_minute, day * MINUTES_PER_DAY + night.start_minute + length)
        for day in (-1, 0, 1)
    ]


def night_minutes_of_span(start: int, end: int, night: NightWindow) -> int:
    """Minutes of [start, end) in the night window; start and end are minutes after the work date's midnight,
    0 <= start <= end <= two days."""
    total = 0
    for lo, hi in _windows(night):
        a, b = max(start, lo), min(end, hi)
        if b > a:
            total += b - a
    return total


def night_minutes_of_spans(start: npt.ArrayLike, end: npt.ArrayLike, night: NightWindow) -> IntArray:
    """:func:`night_minutes_of_span` for arrays of shifts."""
    s, e = np.asarray(start, dtype=np.int64), np.asarray(end, dtype=np.int64)
    total = np.zeros(np.broadcast(s, e).shape, dtype=np.int64)
    for lo, hi in _windows(night):
        total += np.clip(np.minimum(e, hi) - np.maximum(s, lo), 0, None)
    return total


def night_seconds(start: dt.datetime, end: dt.datetime, night: NightWindow) -> int:
    """Seconds of [start, end) — local wall-clock datetimes, any length — that fall in the night window."""
    total = 0.0
    day = start.date() - dt.timedelta(days=1)
    length = dt.timedelta(minutes=night.length_minutes)
    while dt.datetime.combine(day, dt.time()) < end:
        window_start = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=night.start_minute)
        lo, hi = max(start, window_start), min(end, window_start + length)
        if hi > lo:
            total += (hi - lo).total_seconds()
        day += dt.timedelta(days=1)
    return int(total)


def night_minutes(start: dt.datetime, end: dt.datetime, night: NightWindow) -> int:
    """Whole minutes of [start, end) in the night window (:func:`night_seconds`, floored)."""
    return night_seconds(start, end, night) // 60


def worked_and_night_minutes(
    start: dt.datetime, end: dt.datetime, break_minutes: int, night: NightWindow
) -> tuple[int, int]:
    """(minutes worked net of the break, night minutes) of a shift. Where the break fell is not recorded, so it is
    taken as outside the night window, and night minutes never exceed the minutes worked. The caller rejects a
    break longer than the shift (worked < 0)."""
    span = int((end - start).total_seconds() // 60)
    worked = span - break_minutes
    return worked, max(0, min(night_minutes(start, end, night), worked))


def required_break_minutes(worked_minutes: npt.ArrayLike, rules: tuple[BreakRule, ...]) -> IntArray:
    """The break a shift of ``worked_minutes`` needs (JP LSA Art. 34: over 6 h 45 min, over 8 h 60 min); 0 below
    every line. Works on a number or an array."""
    worked = np.asarray(worked_minutes, dtype=np.int64)
    need = np.zeros(worked.shape, dtype=np.int64)
    for rule in sorted(rules, key=lambda r: r.worked_over_minutes):
        need = np.where(worked > rule.worked_over_minutes, rule.break_minutes, need)
    return need


def break_too_short(
    worked_minutes: npt.ArrayLike, break_minutes: npt.ArrayLike, rules: tuple[BreakRule, ...]
) -> npt.NDArray[np.bool_]:
    """True where a shift's recorded break is shorter than :func:`required_break_minutes`."""
    return np.asarray(break_minutes, dtype=np.int64) < required_break_minutes(worked_minutes, rules)


def break_screen(rules: tuple[BreakRule, ...]) -> tuple[int, int]:
    """``(worked_over, break_under)``: a shift's break can be too short (:func:`break_too_short`) only if it worked
    more than ``worked_over`` minutes and took a break of fewer than ``break_under``. Lets a caller holding millions
    of shifts hand :func:`break_too_short` only those that may fail. ``(0, 0)`` when no break is ever required."""
    if not rules:
        return 0, 0
    return min(r.worked_over_minutes for r in rules), max(r.break_minutes for r in rules)
