"""Durations, dates, times and numbers as trackers write them, turned into whole seconds and local wall-clock times.

Every parser raises :class:`RowError` naming the column and the value, so a bad cell becomes a rejected row (a
non-finite number, an absurd duration, a date outside the years a setting allows included: nothing here can raise
anything else). The night seconds of a session are the law's arithmetic (:mod:`data.law.shifts`) over the window the
caller read from the rule parameters; only the checks of the cells are here.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import math
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from data.importers.errors import RowError
from data.law.params import NightWindow
from data.law.shifts import worked_and_night_minutes

# The years a date in a file may fall in (import_file(years=...), --years): outside them a date is a typo
# (1900-01-01, 9999-12-31), and far ones would overflow the arithmetic of a session crossing midnight.
YEARS_DEFAULT = (2000, 2100)
_years: contextvars.ContextVar[tuple[int, int]] = contextvars.ContextVar("import_years", default=YEARS_DEFAULT)
MAX_DURATION_SECONDS = 7 * 86400  # no tracker cell holds a longer duration: past this it is a typo or an attack
_HMS = re.compile(r"^(-?)(\d+):([0-5]?\d)(?::([0-5]?\d))?$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?$")
# Exports repeat the same dates, times and durations on many rows: the parsers below remember what each distinct
# cell parsed to (immutable values), so it is parsed once. Only successes are remembered; a bad cell is parsed, and
# refused with its own column's words, every time.
MEMO_MAX = 20_000  # distinct cells remembered per parser (a few MB at most), then forgotten all at once


def remember(memo: dict[Any, Any], key: Any, value: Any) -> Any:
    """Store ``value`` under ``key`` in a parser's ``memo`` (emptied when it reaches :data:`MEMO_MAX`); returns
    ``value``."""
    if len(memo) >= MEMO_MAX:
        memo.clear()
    memo[key] = value
    return value


_HMS_SECONDS: dict[str, int] = {}
_DATES: dict[tuple[str, str, tuple[int, int]], dt.date] = {}
_CLOCK_TIMES: dict[str, dt.time] = {}


def blank(value: str | None) -> bool:
    """True for a missing, empty or dash-only cell."""
    return value is None or not value.strip() or value.strip() in {"-", "—"}


def text(value: str | None) -> str | None:
    """The cell stripped, or None when blank."""
    return None if value is None or not value.strip() else value.strip()


def number(value: str, column: str) -> float:
    """The cell as a float (thousands commas allowed); ``nan`` and ``inf`` come through for the caller's range check
    to reject (:func:`finite_number` rejects them itself)."""
    v = value.strip().replace(",", "").replace("\u00a0", "")
    try:
        return float(v)
    except ValueError:
        raise RowError("bad_number", f"{column} must be a number, got {value!r}", column=column, value=value) from None


def finite_number(value: str, column: str) -> float:
    """:func:`number`, with ``nan`` and ``inf`` rejected (``bad_number``) like any other word."""
    f = number(value, column)
    if not math.isfinite(f):
        raise RowError("bad_number", f"{column} must be a finite number, got {value!r}", column=column, value=value)
    return f


def decimal(value: str, column: str) -> Decimal:
    """The cell as a finite Decimal amount (currency signs and thousands commas allowed)."""
    v = value.strip().replace(",", "").replace("¥", "").replace("￥", "").replace("$", "")
    try:
        d = Decimal(v)
    except InvalidOperation:
        raise RowError("bad_amount", f"{column} must be an amount, got {value!r}", column=column, value=value) from None
    if not d.is_finite():
        raise RowError("bad_amount", f"{column} must be a finite amount, got {value!r}", column=column, value=value)
    return d


def integer(value: str, column: str) -> int:
    """The cell as a whole number."""
    f = finite_number(value, column)
    if f != int(f):
        raise RowError("bad_number", f"{column} must be a whole number, got {value!r}", column=column, value=value)
    return int(f)


def boolean(value: str | None, column: str) -> bool:
    """A yes/no cell (yes/no, true/false, 1/0, はい/いいえ, ja/nein …); blank is False."""
    if blank(value):
        return False
    v = value.strip().casefold()
    if v in {"1", "true", "yes", "y", "x", "はい", "ja", "wahr", "○"}:
        return True
    if v in {"0", "false", "no", "n", "いいえ", "nein", "falsch"}:
        return False
    raise RowError("bad_boolean", f"{column} must be yes/no, got {value!r}", column=column, value=value)


def _whole_seconds(seconds: float, value: str, column: str) -> int:
    """``seconds`` to the nearest whole second; a duration longer than any stored one (a week) is out of range, so
    an absurd cell (``1e300``) is a rejected row rather than an overflow."""
    if seconds < 0:
        raise RowError("bad_duration", f"{column} must not be negative, got {value!r}", column=column, value=value)
    if seconds > MAX_DURATION_SECONDS:
        raise RowError("out_of_range", f"{column} {value!r} is longer than a week", column=column, value=value)
    return round(seconds)


def seconds_from_hms(value: str, column: str) -> int:
    """``h:mm`` or ``HH:MM:SS`` → whole seconds."""
    known = _HMS_SECONDS.get(value)
    if known is not None:
        return known
    return remember(_HMS_SECONDS, value, _seconds_from_hms(value, column))


def _seconds_from_hms(value: str, column: str) -> int:
    m = _HMS.match(value.strip())
    if not m or m.group(1):
        raise RowError("bad_duration", f"{column} must be h:mm or hh:mm:ss, got {value!r}", column=column, value=value)
    seconds = int(m.group(2)) * 3600 + int(m.group(3)) * 60 + int(m.group(4) or 0)
    return _whole_seconds(seconds, value, column)


def seconds_from_hours(value: str, column: str) -> int:
    """Decimal hours (``7.5``, ``7,5``) or ``h:mm`` → whole seconds (rounded to the nearest second: decimal hours
    written to two places are only exact to 36 seconds)."""
    v = value.strip()
    if ":" in v:
        return seconds_from_hms(v, column)
    hours = finite_number(v.replace(",", ".") if v.count(",") == 1 and "." not in v else v, column)
    return _whole_seconds(hours * 3600, value, column)


def seconds_from_minutes(value: str, column: str) -> int:
    """Minutes (a number, decimals allowed, not negative) → whole seconds."""
    return _whole_seconds(finite_number(value, column) * 60, value, column)


def seconds_from_seconds(value: str, column: str) -> int:
    """Seconds (a number, not negative) → whole seconds."""
    return _whole_seconds(finite_number(value, column), value, column)


@contextlib.contextmanager
def accepting_years(first: int, last: int) -> Iterator[None]:
    """Within the block, dates are accepted from the year ``first`` to the year ``last`` (both included)."""
    token = _years.set((first, last))
    try:
        yield
    finally:
        _years.reset(token)


def years() -> tuple[int, int]:
    """The first and last year imports accept now (:func:`accepting_years`)."""
    return _years.get()


def in_years(day: dt.date, column: str, value: str) -> dt.date:
    """``day``, or :class:`RowError` ``out_of_range`` when its year is outside the years imports accept."""
    first, last = _years.get()
    if not first <= day.year <= last:
        raise RowError(
            "out_of_range",
            f"{column} {value.strip()!r} is outside the years {first}–{last} that imports accept",
            column=column,
            value=value,
        )
    return day


def iso_date(value: str, column: str) -> dt.date:
    """A date written ISO (a datetime's date part too), y/m/d, y.m.d or 年月日, in the years imports accept."""
    v = value.strip()
    try:
        return in_years(dt.date.fromisoformat(v[:10] if len(v) > 10 and v[10] in "T " else v), column, value)
    except ValueError:
        pass
    for fmt in ("%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return in_years(dt.datetime.strptime(v, fmt).date(), column, value)
        except ValueError:
            continue
    raise RowError("bad_date", f"{column} must be a date like 2025-04-01, got {value!r}", column=column, value=value)


def dmy_or_mdy_date(value: str, column: str, order: str) -> dt.date:
    """A date in a locale order: ``order`` is "mdy", "dmy" or "ymd" (ISO and slashed y/m/d always accepted)."""
    key = (value, order, _years.get())
    known = _DATES.get(key)
    if known is not None:
        return known
    return remember(_DATES, key, _dmy_or_mdy_date(value, column, order))


def _dmy_or_mdy_date(value: str, column: str, order: str) -> dt.date:
    v = value.strip()
    if re.match(r"^\d{4}[-/.]", v):
        return iso_date(v, column)
    parts = re.split(r"[/.\-]", v)
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise RowError("bad_date", f"{column} must be a date, got {value!r}", column=column, value=value)
    a, b, c = (int(p) for p in parts)
    month, day = (a, b) if order == "mdy" else (b, a)
    year = c + 2000 if c < 100 else c
    try:
        return in_years(dt.date(year, month, day), column, value)
    except ValueError:
        raise RowError(
            "bad_date", f"{column}: {value!r} is not a valid {order.upper()} date", column=column, value=value
        ) from None


def clock_time(value: str, column: str) -> dt.time:
    """``09:00``, ``9:00:00``, ``09:00:00 AM``, ``9:00 p.m.`` → time."""
    known = _CLOCK_TIMES.get(value)
    if known is not None:
        return known
    return remember(_CLOCK_TIMES, value, _clock_time(value, column))


def _clock_time(value: str, column: str) -> dt.time:
    m = _TIME.match(value.strip())
    if not m:
        raise RowError("bad_time", f"{column} must be a time like 09:30, got {value!r}", column=column, value=value)
    hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    ampm = (m.group(4) or "").replace(".", "").casefold()
    if ampm:
        if not 1 <= hour <= 12:
            raise RowError("bad_time", f"{column}: {value!r} is not a 12-hour time", column=column, value=value)
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise RowError("bad_time", f"{column}: {value!r} is not a time of day", column=column, value=value)
    return dt.time(hour, minute, second)


def clock_hm(value: str) -> tuple[int, int] | None:
    """(hour, minute) of an exact ``HH:MM`` / ``H:MM`` cell, or None: the caller then takes :func:`clock_time`."""
    n = len(value)
    if (n == 5 and value[2] == ":") or (n == 4 and value[1] == ":"):
        h, m = value[: n - 3], value[n - 2 :]
        if value.isascii() and h.isdigit() and m.isdigit():
            hour, minute = int(h), int(m)
            if hour <= 23 and minute <= 59:
                return hour, minute
    return None


def local_datetime(value: str, column: str, tz: ZoneInfo) -> dt.datetime:
    """An ISO datetime; one with an offset is converted to the workplace time zone ``tz``, naive is taken as local."""
    v = value.strip().replace("Z", "+00:00")
    try:
        parsed = dt.datetime.fromisoformat(v)
    except ValueError:
        raise RowError(
            "bad_datetime",
            f"{column} must be a date and time like 2025-04-01T09:30, got {value!r}",
            column=column,
            value=value,
        ) from None
    in_years(parsed.date(), column, value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(tz).replace(tzinfo=None)
    return parsed.replace(microsecond=0)


def session_seconds(
    start: dt.datetime, end: dt.datetime, *, break_seconds: int, column: str, night: NightWindow, cell: str = ""
) -> tuple[int, int]:
    """(seconds worked net of breaks, night seconds) of a session (:func:`data.law.shifts.worked_and_night_minutes`:
    the break is taken as outside the night window, night time never exceeds time worked). A break longer than the
    session is a RowError on ``column`` quoting ``cell``, the break as written."""
    worked, night_seconds = worked_and_night_minutes(start, end, break_seconds, night)
    if worked < 0:
        raise RowError(
            "bad_break",
            f"break of {duration_text(break_seconds)} is longer than the {duration_text(worked + break_seconds)} "
            "session",
            column=column,
            value=cell,
        )
    return worked, night_seconds


def duration_text(seconds: int) -> str:
    """A duration for a message: ``300 min``, or ``300 min 34 s`` when it has seconds."""
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def combine_start_end(
    day: dt.date, start: dt.time, end: dt.time | None, end_day: dt.date | None = None
) -> tuple[dt.datetime, dt.datetime | None]:
    """Local start and end datetimes, to the second; an end at or before the start on the same day means the next
    day."""
    start_at = dt.datetime.combine(day, start)
    if end is None:
        return start_at, None
    end_at = dt.datetime.combine(end_day or day, end)
    if end_day is None and end_at <= start_at:
        end_at += dt.timedelta(days=1)
    return start_at, end_at
