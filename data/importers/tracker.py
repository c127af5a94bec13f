"""What the time exports of trackers share: reading a cell under any of its names, telling a totals row from an
entry, AI tags, the identity of an entry the source gives no id, a session from its times and the tool's duration
(and the rule when they disagree), and the neutral work-log dict they all become (see
:mod:`data.importers.kinds.work_logs`).

Units differ by tool and are converted by each tool's kind, once. Times without a zone are the workplace's local
wall-clock time (setting ``timezone``); times with an offset are converted to it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from typing import Any

from data.i18n import N_
from data.importers import units as u
from data.importers.errors import RowError
from data.importers.reading import TOTAL
from data.importers.rows import SourceRow
from data.law.params import SECONDS_PER_DAY, NightWindow
from data.law.shifts import night_minutes_of_span

_NUMERIC = re.compile(r"^[\d:.,\s]+$")
_TAG_FRACTIONS: dict[str, float] = {}  # tags cell → its AI fraction (see data.importers.units.remember)
_TOTALS_LABELS: dict[tuple[str, ...], bool] = {}  # a row's first three cells → whether one labels a totals row
_AI_TAG = re.compile(r"^(ai|ai[- ]assisted|ai支援|生成ai|ai:(0?\.\d+|1(\.0+)?|0))$", re.IGNORECASE)


def cell(row: SourceRow, *names: str) -> str:
    """The first non-blank cell among the columns ``names`` ("" when all are blank or missing)."""
    for n in names:
        v = row.cells.get(n)
        if v is not None and v.strip():
            return v
    return ""


def check_totals(row: SourceRow, person_cols: tuple[str, ...]) -> None:
    """A trailing totals row (``Total``, ``合計``, no person) is reported, never imported as work."""
    firsts = tuple(islice(row.cells.values(), 3))
    first = firsts[0] if firsts else ""
    labelled = _TOTALS_LABELS.get(firsts)
    if labelled is None:  # the first cells repeat (a person's name and email): each set is tested once
        labelled = u.remember(_TOTALS_LABELS, firsts, any(TOTAL.match(v.strip()) for v in firsts))
    if labelled:
        raise RowError("totals_row", N_("a totals row, not a time entry"), column=None, value=first)
    if not any(row.cells.get(c, "").strip() for c in person_cols):
        if all(_NUMERIC.match(v) for v in row.cells.values() if v.strip()):
            raise RowError("totals_row", N_("a totals row (numbers only, no person), not a time entry"), value=first)
        raise RowError("missing_person", f"no person in {' / '.join(person_cols)}", column=person_cols[0], value="")


def ai_fraction_from_tags(tags: str) -> float:
    """Tags are how trackers flag AI help today: ``AI`` / ``ai-assisted`` = 1.0, ``ai:0.3`` = 0.3."""
    known = _TAG_FRACTIONS.get(tags)
    if known is not None:
        return known
    return u.remember(_TAG_FRACTIONS, tags, _ai_fraction(tags))


def _ai_fraction(tags: str) -> float:
    best = 0.0
    for tag in (t.strip() for t in re.split(r"[,;|]", tags)):
        m = _AI_TAG.match(tag)
        if m:
            best = max(best, float(m.group(2)) if m.group(2) else 1.0)
    return best


def work_log(**values: Any) -> dict[str, Any]:
    """The neutral work-log dict with ``values`` set and every other field at its default."""
    out = {
        "person": None,
        "email": None,
        "work_date": None,
        "start_at": None,
        "end_at": None,
        "seconds": 0,
        "break_seconds": 0,
        "night_seconds": 0,
        "production": None,
        "episode": None,
        "cut": None,
        "role": None,
        "task": None,
        "units": None,
        "unit_kind": None,
        "ai_assisted_fraction": 0.0,
        "is_statutory_holiday": False,
        "note": None,
        "key": (),
        "warnings": (),  # (code, reason, column) of what a person should check about an imported row
    }
    out.update(values)
    return out


def row_key(row: SourceRow) -> tuple[str, str]:
    """The identity of an entry whose source gives it no id: everything the row carries (every non-blank cell, by
    column, whatever the column order), so two rows are one entry only when they say the same thing. Entries that
    share a start time, a description or anything else short of every cell stay distinct."""
    parts = sorted((k, v.strip()) for k, v in row.cells.items() if v.strip())
    return ("row", hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest())


@dataclass(frozen=True)
class Session:
    """A session read from its start and end and the tool's duration: ``seconds`` worked, ``break_seconds``,
    ``night_seconds``, and ``warning`` (code, reason, column) when the duration and the times disagree."""

    start_at: dt.datetime
    end_at: dt.datetime
    seconds: int
    break_seconds: int
    night_seconds: int
    warning: tuple[str, str, str] | None = None


def session(
    day: dt.date,
    start: str,
    end: str,
    *,
    columns: tuple[str, str, str],
    end_day: dt.date | None,
    duration: int | None,
    night: NightWindow,
    breaks: bool = False,
) -> Session:
    """A session from its start and end cells and the tool's ``duration`` in seconds (None: not given); ``columns``
    name the start, end and duration columns.

    The rule when the duration and End − Start disagree: the duration is what the person tracked, so it is the time
    worked. In a tool that records breaks (``breaks``: Kimai), a duration shorter than the span is the break; in any
    other case, and for a duration longer than the span, no break is invented: the session is stored with the
    duration and a ``duration_mismatch`` warning the person importing can list. A session with no time at all
    (start = end and no duration) is rejected as ``zero_duration``."""
    scol, ecol, dcol = columns
    start_at, end_at = u.combine_start_end(day, u.clock_time(start, scol), u.clock_time(end, ecol), end_day)
    if end_at is None or end_at < start_at:
        raise RowError("bad_time", f"{ecol} is before {scol}", column=ecol, value=end)
    span = int((end_at - start_at).total_seconds())
    if span > SECONDS_PER_DAY:
        raise RowError("out_of_range", f"a session of {u.duration_text(span)} is longer than a day", column=ecol,
                       value=end)  # fmt: skip
    seconds = span if duration is None else duration
    if seconds == 0:
        raise RowError("zero_duration", "the entry has no time (its start and end are the same)", column=dcol,
                       value=end)  # fmt: skip
    if seconds > SECONDS_PER_DAY:
        raise RowError("out_of_range", f"a duration of {u.duration_text(seconds)} is longer than a day", column=dcol,
                       value=str(duration))  # fmt: skip
    brk, warning = 0, None
    if seconds < span and breaks:
        brk = span - seconds
    elif seconds != span:
        warning = (
            "duration_mismatch",
            f"{dcol} {u.duration_text(seconds)} differs from {ecol} − {scol} ({u.duration_text(span)}): the "
            f"{dcol}, what the person tracked, is stored as the time worked, with no break",
            dcol,
        )
    # Seconds after the start date's midnight: the span is at most a day, so the law's span arithmetic applies.
    first = (start_at.hour * 60 + start_at.minute) * 60 + start_at.second
    night_s = min(night_minutes_of_span(first, first + span, night), span - brk, seconds)
    return Session(start_at, end_at, seconds, brk, night_s, warning)


def detailed_report(
    row: SourceRow,
    *,
    order: str,
    duration: Callable[[SourceRow], tuple[int | None, list[tuple[str, str, str]]]],
    night: NightWindow,
) -> dict[str, Any]:
    """A row of a detailed report with Clockify's and Toggl's columns (User, Email, Start Date, Start Time, End Date,
    End Time, Duration, Description, Tags, Project, Task): dates in ``order`` (mdy, dmy or ymd); ``duration`` reads
    the reported seconds (None: not given) and any warning about the duration columns themselves. Neither tool
    records breaks (see :func:`session`); the entry's identity is the whole row (:func:`row_key`)."""
    check_totals(row, ("user", "email"))
    sd, st = cell(row, "start date"), cell(row, "start time")
    ed, et = cell(row, "end date"), cell(row, "end time")
    day = u.dmy_or_mdy_date(sd, "Start Date", order)
    end_day = u.dmy_or_mdy_date(ed, "End Date", order) if ed.strip() else None
    seconds_given, warnings = duration(row)
    if not st.strip():
        raise RowError("missing_value", N_("Start Time is required"), column="Start Time", value="")
    if not et.strip():
        if seconds_given is None:
            raise RowError("missing_value", N_("Duration or End Time is required"), column="Duration", value="")
        start_at = dt.datetime.combine(day, u.clock_time(st, "Start Time"))
        et = (start_at + dt.timedelta(seconds=seconds_given)).time().isoformat()
        end_day = (start_at + dt.timedelta(seconds=seconds_given)).date()
    s = session(day, st, et, columns=("Start Time", "End Time", "Duration"), end_day=end_day,
                duration=seconds_given, night=night)  # fmt: skip
    if s.warning:
        warnings = [*warnings, s.warning]
    tags = cell(row, "tags")
    desc = cell(row, "description").strip()
    return work_log(
        person=u.text(cell(row, "user")),
        email=u.text(cell(row, "email")),
        work_date=day,
        start_at=s.start_at,
        end_at=s.end_at,
        seconds=s.seconds,
        break_seconds=s.break_seconds,
        night_seconds=s.night_seconds,
        production=u.text(cell(row, "project")),
        task=u.text(cell(row, "task")),
        note=u.text(" — ".join(filter(None, [desc, f"tags: {tags.strip()}" if tags.strip() else ""]))),
        ai_assisted_fraction=ai_fraction_from_tags(tags),
        key=row_key(row),
        warnings=warnings,
    )
