"""One shift: how much of it falls in the late-night window, and how long a break it needs.

Every duration is in whole seconds, as trackers record them. Times are seconds after the midnight of the shift's work
date (a shift may run past the next midnight, up to 48 h after it), so the same function serves a single shift and a
column of a million shifts. The function names are those of the minute-based law they replaced (the r2 units change
kept them so that callers did not have to be renamed); their units are seconds, in and out.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

from data.law.params import SECONDS_PER_DAY, SECONDS_PER_MINUTE, BreakRule, NightWindow

IntArray = npt.NDArray[np.int64]


def _windows(night: NightWindow) -> list[tuple[int, int]]:
    # The windows that can overlap a shift starting on day 0 and ending within 48 h: the previous evening's runs into
    # day 0's early morning, then day 0's and day 1's evenings.
    length = night.length_seconds
    return [
        (day * SECONDS_PER_DAY + night.start_second, day * SECONDS_PER_DAY + night.start_second + length)
        for day in (-1, 0, 1)
    ]


def night_minutes_of_span(start: int, end: int, night: NightWindow) -> int:
    """Seconds of [start, end) in the night window; start and end are seconds after the work date's midnight,
    0 <= start <= end <= two days."""
    total = 0
    for lo, hi in _windows(night):
        a, b = max(start, lo), min(end, hi)
        if b > a:
            total += b - a
    return total


def night_minutes_of_spans(start: npt.ArrayLike, end: npt.ArrayLike, night: NightWindow) -> IntArray:
    """:func:`night_minutes_of_span` for arrays of shifts: night seconds per shift."""
    s, e = np.asarray(start, dtype=np.int64), np.asarray(end, dtype=np.int64)
    total = np.zeros(np.broadcast(s, e).shape, dtype=np.int64)
    for lo, hi in _windows(night):
        total += np.clip(np.minimum(e, hi) - np.maximum(s, lo), 0, None)
    return total


def night_seconds(start: dt.datetime, end: dt.datetime, night: NightWindow) -> int:
    """Seconds of [start, end) — local wall-clock datetimes, any length — that fall in the night window (sub-second
    parts are dropped)."""
    total = 0.0
    day = start.date() - dt.timedelta(days=1)
    length = dt.timedelta(seconds=night.length_seconds)
    while dt.datetime.combine(day, dt.time()) < end:
        window_start = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=night.start_second)
        lo, hi = max(start, window_start), min(end, window_start + length)
        if hi > lo:
            total += (hi - lo).total_seconds()
        day += dt.timedelta(days=1)
    return int(total)


def night_minutes(start: dt.datetime, end: dt.datetime, night: NightWindow) -> int:
    """Whole minutes of [start, end) in the night window (:func:`night_seconds`, floored): for display only; the
    records and the rules count seconds."""
    return night_seconds(start, end, night) // SECONDS_PER_MINUTE


def worked_and_night_minutes(
    start: dt.datetime, end: dt.datetime, break_seconds: int, night: NightWindow
) -> tuple[int, int]:
    """(seconds worked net of the break, night seconds) of a shift. Where the break fell is not recorded, so it is
    taken as outside the night window, and night seconds never exceed the seconds worked. The caller rejects a
    break longer than the shift (worked < 0)."""
    span = int((end - start).total_seconds())
    worked = span - break_seconds
    return worked, max(0, min(night_seconds(start, end, night), worked))


def required_break_minutes(worked_seconds: npt.ArrayLike, rules: tuple[BreakRule, ...]) -> IntArray:
    """The break, in seconds, a shift of ``worked_seconds`` needs (JP LSA Art. 34: over 6 h 45 min, over 8 h 60 min);
    0 below every line. Works on a number or an array."""
    worked = np.asarray(worked_seconds, dtype=np.int64)
    need = np.zeros(worked.shape, dtype=np.int64)
    for rule in sorted(rules, key=lambda r: r.worked_over_seconds):
        need = np.where(worked > rule.worked_over_seconds, rule.break_seconds, need)
    return need


def break_too_short(
    worked_seconds: npt.ArrayLike, break_seconds: npt.ArrayLike, rules: tuple[BreakRule, ...]
) -> npt.NDArray[np.bool_]:
    """True where a shift's recorded break is shorter than :func:`required_break_minutes` (both in seconds)."""
    return np.asarray(break_seconds, dtype=np.int64) < required_break_minutes(worked_seconds, rules)


def break_screen(rules: tuple[BreakRule, ...]) -> tuple[int, int]:
    """``(worked_over, break_under)`` in seconds: a shift's break can be too short (:func:`break_too_short`) only if
    it worked more than ``worked_over`` seconds and took a break of fewer than ``break_under``. Lets a caller holding
    millions of shifts hand :func:`break_too_short` only those that may fail. ``(0, 0)`` when no break is ever
    required."""
    if not rules:
        return 0, 0
    return min(r.worked_over_seconds for r in rules), max(r.break_seconds for r in rules)
