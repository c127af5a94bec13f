"""Time exports of the trackers studios use, each mapped onto the neutral work-log dict.

Units differ by tool and are converted here, once: Kitsu minutes (grid: hours), ShotGrid minutes, ftrack
seconds, Kimai ``h:mm`` or decimal hours, Clockify ``h:mm:ss`` / decimal hours, Toggl ``HH:MM:SS``. Times without
a zone are the workplace's local wall-clock time (setting ``timezone``); times with an offset are converted to it.

The neutral dict: person, email, work_date, start_at, end_at, minutes (net of breaks), break_minutes,
night_minutes, production, episode, cut, role, task, units, unit_kind, ai_assisted_fraction,
is_statutory_holiday, note, and ``key`` — the source's natural key for the entry: ``("id", value)`` is kept readable
in ``work_log.source_key``; any other key is hashed with the resolved person and date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from data.importers import units as u
from data.importers.formats import KIMAI_HEADERS, csv_rows, hkey
from data.importers.rows import ImportFailed, RowError, SourceRow

TOTAL = re.compile(r"^(total|totals|grand total|合計|総計|gesamt|summe|insgesamt|sum)\b", re.IGNORECASE)
_NUMERIC = re.compile(r"^[\d:.,\s]+$")
_AI_TAG = re.compile(r"^(ai|ai[- ]assisted|ai支援|生成ai|ai:(0?\.\d+|1(\.0+)?|0))$", re.IGNORECASE)


def _get(row: SourceRow, *names: str) -> str:
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


def _base(**kw: Any) -> dict[str, Any]:
    out = {
        "person": None,
        "email": None,
        "work_date": None,
        "start_at": None,
        "end_at": None,
        "minutes": 0,
        "break_minutes": 0,
        "night_minutes": 0,
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
    out.update(kw)
    return out


def _session(
    day: dt.date, start: str, end: str, scol: str, ecol: str, end_day: dt.date | None, duration: int | None
) -> tuple[dt.datetime, dt.datetime, int, int, int]:
    """(start, end, minutes, break, night) for a session whose reported duration may be shorter than its span."""
    start_at, end_at = u.combine_start_end(day, u.clock_time(start, scol), u.clock_time(end, ecol), end_day)
    if end_at is None or end_at <= start_at:
        raise RowError("bad_time", f"{ecol} is not after {scol}", column=ecol, value=end)
    span = int((end_at - start_at).total_seconds() // 60)
    if span > 1440:
        raise RowError("out_of_range", f"session of {span} min is longer than a day", column=ecol, value=end)
    minutes = span if duration is None else duration
    if minutes > span + 1:
        raise RowError(
            "inconsistent_minutes",
            f"duration {minutes} min is longer than the {span} min session",
            column=ecol,
            value=end,
        )
    minutes = min(minutes, span)
    brk = span - minutes
    return start_at, end_at, minutes, brk, min(u.night_minutes(start_at, end_at), minutes)


# ---------------------------------------------------------------------------------------------------------------


def kitsu_time_spent(row: SourceRow, tz: ZoneInfo) -> dict[str, Any]:
    check_totals(row, ("person",))
    day = u.iso_date(_get(row, "date"), "Date")
    minutes = u.minutes_from_minutes(_get(row, "time spent") or "0", "Time spent")
    etype, entity, task = _get(row, "entity type name").strip(), _get(row, "entity").strip(), _get(row, "task type")
    episode = cut = None
    if etype.casefold() == "shot" and entity:
        parts = [p for p in re.split(r"\s*/\s*", entity) if p]
        cut = parts[-1]
        episode = parts[0] if len(parts) >= 3 else None
    return _base(
        person=_get(row, "person").strip(),
        work_date=day,
        minutes=minutes,
        production=u.text(_get(row, "project")),
        episode=episode,
        cut=cut,
        task=u.text(task),
        note=f"{etype}: {entity}" if entity else None,
        key=("kitsu", etype, entity, task.strip()),  # Kitsu keeps one TimeSpent per person, task and day
    )


def shotgrid(row: SourceRow, tz: ZoneInfo) -> dict[str, Any]:
    check_totals(row, ("user", "person", "artist"))
    day = u.iso_date(_get(row, "date"), "date")
    raw = _get(row, "duration")
    minutes = u.minutes_from_hms(raw, "duration") if ":" in raw else u.minutes_from_minutes(raw or "0", "duration")
    entity = _get(row, "entity", "link", "task").strip()
    sg_id = _get(row, "id").strip()
    return _base(
        person=_get(row, "user", "person", "artist").strip(),
        work_date=day,
        minutes=minutes,
        production=u.text(_get(row, "project")),
        task=u.text(_get(row, "step", "pipeline step")) or u.text(entity),
        note=u.text(" — ".join(filter(None, [entity, _get(row, "description").strip()]))),
        ai_assisted_fraction=ai_fraction_from_tags(_get(row, "tags", "sg_tags")),
        key=("sg", sg_id) if sg_id else ("sg", entity, _get(row, "description").strip()),
    )


def ftrack(row: SourceRow, tz: ZoneInfo) -> dict[str, Any]:
    check_totals(row, ("user_id", "user", "user.username", "user name"))
    start_at = u.local_datetime(_get(row, "start"), "start", tz)
    minutes = u.minutes_from_seconds(_get(row, "duration") or "0", "duration")
    end_at = start_at + dt.timedelta(minutes=minutes)
    context = _get(row, "context_id", "context", "task").strip()
    ft_id = _get(row, "id").strip()
    return _base(
        person=_get(row, "user.username", "user name", "user", "user_id").strip(),
        email=u.text(_get(row, "user.email", "email")),
        work_date=start_at.date(),
        start_at=start_at,
        end_at=end_at if minutes else None,
        minutes=minutes,
        night_minutes=u.night_minutes(start_at, end_at),
        production=u.text(_get(row, "project")),
        task=u.text(_get(row, "name")) or u.text(context),
        note=u.text(" — ".join(filter(None, [context, _get(row, "comment").strip()]))),
        key=("ftrack", ft_id) if ft_id else ("ftrack", context, start_at.isoformat()),
    )


def _kimai_col(row: SourceRow, key: str) -> tuple[str, str]:
    for label in KIMAI_HEADERS[key]:
        if row.cells.get(label, "").strip():
            return label, row.cells[label]
    return KIMAI_HEADERS[key][0], ""


def _locale_date(value: str, column: str) -> dt.date:
    v = value.strip()
    if "." in v and not re.match(r"^\d{4}", v):
        return u.dmy_or_mdy_date(v, column, "dmy")
    if "/" in v and not re.match(r"^\d{4}", v):
        first = int(v.split("/")[0]) if v.split("/")[0].isdigit() else 0
        return u.dmy_or_mdy_date(v, column, "dmy" if first > 12 else "mdy")
    return u.iso_date(v, column)


def kimai(row: SourceRow, tz: ZoneInfo) -> dict[str, Any]:
    user_cols = KIMAI_HEADERS["user"] + KIMAI_HEADERS["name"] + KIMAI_HEADERS["email"]
    check_totals(row, user_cols)
    dcol, dval = _kimai_col(row, "date")
    day = _locale_date(dval, dcol)
    fcol, fval = _kimai_col(row, "from")
    tcol, tval = _kimai_col(row, "to")
    ucol, dur = _kimai_col(row, "duration")
    duration = u.minutes_from_hours(dur, ucol) if dur.strip() else None
    start_at = end_at = None
    brk = night = 0
    if fval.strip() and tval.strip():
        fval = fval.strip().split(" ")[-1] if " " in fval.strip() else fval
        tval = tval.strip().split(" ")[-1] if " " in tval.strip() else tval
        start_at, end_at, minutes, brk, night = _session(day, fval, tval, fcol, tcol, None, duration)
    elif duration is not None:
        minutes = duration
    else:
        raise RowError("missing_value", "Duration, or From and To, is required", column=ucol, value="")
    tags = _kimai_col(row, "tags")[1]
    desc = _kimai_col(row, "description")[1].strip()
    return _base(
        person=(_kimai_col(row, "name")[1] or _kimai_col(row, "user")[1]).strip() or None,
        email=u.text(_kimai_col(row, "email")[1]),
        work_date=day,
        start_at=start_at,
        end_at=end_at,
        minutes=minutes,
        break_minutes=brk,
        night_minutes=night,
        production=u.text(_kimai_col(row, "project")[1]),
        task=u.text(_kimai_col(row, "activity")[1]),
        note=u.text(" — ".join(filter(None, [desc, f"tags: {tags.strip()}" if tags.strip() else ""]))),
        ai_assisted_fraction=ai_fraction_from_tags(tags),
        key=("kimai", start_at.isoformat() if start_at else day.isoformat(), "" if start_at else desc),
    )


def _clockify_like(row: SourceRow, order: str, tool: str) -> dict[str, Any]:
    check_totals(row, ("user", "email"))
    sd, st = _get(row, "start date"), _get(row, "start time")
    ed, et = _get(row, "end date"), _get(row, "end time")
    day = u.dmy_or_mdy_date(sd, "Start Date", order)
    end_day = u.dmy_or_mdy_date(ed, "End Date", order) if ed.strip() else None
    if tool == "clockify":
        dec = _get(row, "duration (decimal)")
        duration = (
            u.minutes_from_hours(dec, "Duration (decimal)")
            if dec.strip()
            else (u.minutes_from_hms(_get(row, "duration (h)"), "Duration (h)") if _get(row, "duration (h)") else None)
        )
    else:
        d = _get(row, "duration")
        duration = u.minutes_from_hms(d, "Duration") if d.strip() else None
    if not st.strip():
        raise RowError("missing_value", "Start Time is required", column="Start Time", value="")
    if et.strip():
        start_at, end_at, minutes, brk, night = _session(day, st, et, "Start Time", "End Time", end_day, duration)
    else:
        if duration is None:
            raise RowError("missing_value", "Duration or End Time is required", column="Duration", value="")
        start_at = dt.datetime.combine(day, u.clock_time(st, "Start Time"))
        end_at = start_at + dt.timedelta(minutes=duration)
        minutes, brk, night = duration, 0, min(u.night_minutes(start_at, end_at), duration)
    tags = _get(row, "tags")
    desc = _get(row, "description").strip()
    return _base(
        person=u.text(_get(row, "user")),
        email=u.text(_get(row, "email")),
        work_date=day,
        start_at=start_at,
        end_at=end_at,
        minutes=minutes,
        break_minutes=brk,
        night_minutes=night,
        production=u.text(_get(row, "project")),
        task=u.text(_get(row, "task")),
        note=u.text(" — ".join(filter(None, [desc, f"tags: {tags.strip()}" if tags.strip() else ""]))),
        ai_assisted_fraction=ai_fraction_from_tags(tags),
        key=(tool, start_at.isoformat()),  # one person cannot start two entries in the same minute
    )


def clockify_date_order(path: Path) -> str:
    """Clockify writes dates in the user's profile order; find the first date that settles MDY vs DMY."""
    _, rows = csv_rows(path)
    for n, row in enumerate(rows):
        for col in ("start date", "end date"):
            parts = re.split(r"[/.\-]", row.cells.get(col, "").strip())
            if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[0]) <= 2:
                a, b = int(parts[0]), int(parts[1])
                if a > 12 >= b:
                    return "dmy"
                if b > 12 >= a:
                    return "mdy"
        if n > 100_000:
            break
    return "mdy"  # Clockify's default profile format; every date in the file was ambiguous


def kitsu_grid_period(path: Path, header: list[str]) -> tuple[int, int] | None:
    """Year and month for a day-level grid whose columns are day numbers (taken from the file name)."""
    if all(re.match(r"^\d{4}-\d{2}-\d{2}$", hkey(h)) for h in header[1:] if hkey(h)):
        return None
    m = re.search(r"(\d{4})[-_]?(\d{2})", path.name)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ImportFailed(
            f"{path.name}: a Kitsu timesheet grid with day-number columns needs the month in the file name "
            "(e.g. kitsu_timesheet_2025-04.csv); week and month detail levels cannot be imported as daily logs"
        )
    return int(m.group(1)), int(m.group(2))


def kitsu_grid_entries(
    row: SourceRow, header_keys: list[str], period: tuple[int, int] | None
) -> Iterator[dict[str, Any] | RowError]:
    """One work log per non-empty day cell (hours → minutes); errors per cell."""
    person = row.cells.get("person", "").strip()
    if TOTAL.match(person):
        yield RowError("totals_row", "a totals row, not a person", column="Person", value=person)
        return
    found = False
    for key in header_keys[1:]:
        value = row.cells.get(key, "").strip()
        if u.blank(value):
            continue
        found = True
        try:
            if not person:
                raise RowError("missing_person", "no person in Person", column="Person", value="")
            day = dt.date.fromisoformat(key) if period is None else dt.date(period[0], period[1], int(key))
            minutes = u.minutes_from_hours(value, key)
            yield _base(person=person, work_date=day, minutes=minutes, task=None, key=("kitsu_grid",))
        except ValueError:
            yield RowError("bad_date", f"column {key!r} is not a day of {period}", column=key, value=value)
        except RowError as exc:
            yield exc
    if not found:
        yield RowError("empty_row", "no time in any column", column=None, value=person)


MAPPERS: dict[str, Callable[[SourceRow, ZoneInfo], dict[str, Any]]] = {
    "kitsu_time_spent": kitsu_time_spent,
    "shotgrid": shotgrid,
    "ftrack": ftrack,
    "kimai": kimai,
}
