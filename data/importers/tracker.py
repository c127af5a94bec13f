"""What the time exports of trackers share: reading a cell under any of its names, telling a totals row from an
entry, AI tags, the span of a session and its night seconds, and the neutral work-log dict they all become (see
:mod:`data.importers.kinds.work_logs`).

Units differ by tool and are converted by each tool's kind, once. Times without a zone are the workplace's local
wall-clock time (setting ``timezone``); times with an offset are converted to it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from data.importers import units as u
from data.importers.errors import RowError
from data.importers.reading import TOTAL
from data.importers.rows import SourceRow
from data.law.params import SECONDS_PER_DAY, NightWindow
from data.law.shifts import worked_and_night_minutes

_NUMERIC = re.compile(r"^[\d:.,\s]+$")
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
    first = next(iter(row.cells.values()), "")
    if TOTAL.match(first.strip()) or any(TOTAL.match(v.strip()) for v in list(row.cells.values())[:3]):
        raise RowError("totals_row", "a totals row, not a time entry", column=None, value=first)
    if not any(row.cells.get(c, "").strip() for c in person_cols):
        if all(_NUMERIC.match(v) for v in row.cells.values() if v.strip()):
            raise RowError("totals_row", "a totals row (numbers only, no person), not a time entry", value=first)
        raise RowError("missing_person", f"no person in {' / '.join(person_cols)}", column=person_cols[0], value="")


def ai_fraction_from_tags(tags: str) -> float:
    """Tags are how trackers flag AI help today: ``AI`` / ``ai-assisted`` = 1.0, ``ai:0.3`` = 0.3."""
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
    }
    out.update(values)
    return out


def session(
    day: dt.date,
    start: str,
    end: str,
    *,
    columns: tuple[str, str],
    end_day: dt.date | None,
    duration: int | None,
    night: NightWindow,
) -> tuple[dt.datetime, dt.datetime, int, int, int]:
    """(start, end, seconds, break, night seconds) of a session from its start and end cells (``columns`` name
    them), whose reported ``duration`` (seconds) may be shorter than its span: the difference is the break."""
    scol, ecol = columns
    start_at, end_at = u.combine_start_end(day, u.clock_time(start, scol), u.clock_time(end, ecol), end_day)
    if end_at is None or end_at < start_at:
        raise RowError("bad_time", f"{ecol} is before {scol}", column=ecol, value=end)
    span = int((end_at - start_at).total_seconds())
    if span == 0:
        raise RowError("zero_duration", f"{scol} and {ecol} are the same: no time to import", column=ecol, value=end)
    if span > SECONDS_PER_DAY:
        raise RowError(
            "out_of_range", f"session of {u.duration_text(span)} is longer than a day", column=ecol, value=end
        )
    seconds = span if duration is None else duration
    if seconds > span:
        raise RowError(
            "inconsistent_minutes",
            f"duration {u.duration_text(seconds)} is longer than the {u.duration_text(span)} session",
            column=ecol,
            value=end,
        )
    brk = span - seconds
    seconds, night_s = worked_and_night_minutes(start_at, end_at, brk, night)
    return start_at, end_at, seconds, brk, night_s


def detailed_report(
    row: SourceRow,
    *,
    order: str,
    duration: Callable[[SourceRow], int | None],
    key: str,
    night: NightWindow,
) -> dict[str, Any]:
    """A row of a detailed report with Clockify's and Toggl's columns (User, Email, Start Date, Start Time, End Date,
    End Time, Description, Tags, Project, Task): dates in ``order`` (mdy, dmy or ymd), the reported seconds read by
    ``duration`` (None: not given), ``key`` the first part of the entry's natural key."""
    check_totals(row, ("user", "email"))
    sd, st = cell(row, "start date"), cell(row, "start time")
    ed, et = cell(row, "end date"), cell(row, "end time")
    day = u.dmy_or_mdy_date(sd, "Start Date", order)
    end_day = u.dmy_or_mdy_date(ed, "End Date", order) if ed.strip() else None
    seconds_given = duration(row)
    if not st.strip():
        raise RowError("missing_value", "Start Time is required", column="Start Time", value="")
    if et.strip():
        start_at, end_at, seconds, brk, night_s = session(
            day, st, et, columns=("Start Time", "End Time"), end_day=end_day, duration=seconds_given, night=night
        )
    else:
        if seconds_given is None:
            raise RowError("missing_value", "Duration or End Time is required", column="Duration", value="")
        start_at = dt.datetime.combine(day, u.clock_time(st, "Start Time"))
        end_at = start_at + dt.timedelta(seconds=seconds_given)
        brk = 0
        seconds, night_s = worked_and_night_minutes(start_at, end_at, brk, night)
    tags = cell(row, "tags")
    desc = cell(row, "description").strip()
    return work_log(
        person=u.text(cell(row, "user")),
        email=u.text(cell(row, "email")),
        work_date=day,
        start_at=start_at,
        end_at=end_at,
        seconds=seconds,
        break_seconds=brk,
        night_seconds=night_s,
        production=u.text(cell(row, "project")),
        task=u.text(cell(row, "task")),
        note=u.text(" — ".join(filter(None, [desc, f"tags: {tags.strip()}" if tags.strip() else ""]))),
        ai_assisted_fraction=ai_fraction_from_tags(tags),
        key=(key, start_at.isoformat()),  # replaced by the entry's identity in step 2
    )
