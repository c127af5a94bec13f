"""Kitsu exports: the time-spent list (``kitsu_time_spent``: ``;``-separated, minutes) and the timesheet grid at
day detail (``kitsu_timesheet``: a person per row, hours per day column). Both become work logs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from data.importers import units as u
from data.importers.errors import ImportFailed, RowError
from data.importers.kinds import work_logs
from data.importers.reading import TOTAL, csv_rows, hkey, mapped
from data.importers.registry import Format, Header, Source, register
from data.importers.rows import Item, SourceRow
from data.importers.tracker import cell, check_totals, work_log

_GRID_UNIT = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{1,2})$")


def parse_time_spent(row: SourceRow) -> dict[str, Any]:
    """A time-spent row → a work log; a Shot entity ``EP03 / SQ01 / SH042`` gives its episode and cut."""
    check_totals(row, ("person",))
    day = u.iso_date(cell(row, "date"), "Date")
    seconds = u.seconds_from_minutes(cell(row, "time spent") or "0", "Time spent")
    etype, entity, task = cell(row, "entity type name").strip(), cell(row, "entity").strip(), cell(row, "task type")
    episode = cut = None
    if etype.casefold() == "shot" and entity:
        parts = [p for p in re.split(r"\s*/\s*", entity) if p]
        cut = parts[-1]
        episode = parts[0] if len(parts) >= 3 else None
    return work_log(
        person=cell(row, "person").strip(),
        work_date=day,
        seconds=seconds,
        production=u.text(cell(row, "project")),
        episode=episode,
        cut=cut,
        task=u.text(task),
        note=f"{etype}: {entity}" if entity else None,
        key=("kitsu", etype, entity, task.strip()),  # Kitsu keeps one TimeSpent per person, task and day
    )


def read_time_spent(source: Source) -> Iterator[Item]:
    """The file's rows through :func:`parse_time_spent`."""
    return mapped(source.path, parse_time_spent)


def grid_period(path: Path, header: list[str]) -> tuple[int, int] | None:
    """Year and month for a day-level grid whose columns are day numbers (taken from the file name); None when the
    columns are dates."""
    if all(re.match(r"^\d{4}-\d{2}-\d{2}$", hkey(h)) for h in header[1:] if hkey(h)):
        return None
    m = re.search(r"(\d{4})[-_]?(\d{2})", path.name)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ImportFailed(
            "{file}: a Kitsu timesheet grid with day-number columns needs the month in the file name; week and month "
            "detail levels cannot be imported as daily logs",
            fix="rename the file to name its month (e.g. kitsu_timesheet_2025-04.csv) and import it again",
            file=path.name,
        )
    return int(m.group(1)), int(m.group(2))


def grid_entries(
    row: SourceRow, header_keys: list[str], period: tuple[int, int] | None
) -> Iterator[dict[str, Any] | RowError]:
    """One work log per non-empty day cell (hours → seconds); errors per cell."""
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
            seconds = u.seconds_from_hours(value, key)
            yield work_log(person=person, work_date=day, seconds=seconds, task=None, key=("kitsu_grid",))
        except ValueError:
            yield RowError("bad_date", f"column {key!r} is not a day of {period}", column=key, value=value)
        except RowError as exc:
            yield exc
    if not found:
        yield RowError("empty_row", "no time in any column", column=None, value=person)


def read_grid(source: Source) -> Iterator[Item]:
    """A grid row is as many Items as it has non-empty day cells (an all-empty row one ``empty_row``)."""
    header, rows = csv_rows(source.path)
    keys = [hkey(h) for h in header]
    period = grid_period(source.path, header)
    for row in rows:
        if not row.cells:
            yield Item(row.line, row.raw, RowError("blank_line", "blank line", value=""))
            continue
        for entry in grid_entries(row, keys, period):
            yield Item(row.line, row.raw, entry)


def _time_spent_header(h: Header) -> bool:
    return {"project", "person", "entity", "task type", "date", "time spent"} <= h.keys


def _grid_header(h: Header) -> bool:
    return h.first == "person" and len(h.cells) > 1 and all(_GRID_UNIT.match(hkey(x)) for x in h.cells[1:] if hkey(x))


register(
    Format(
        name="kitsu_time_spent",
        label="Kitsu time-spent export (;, minutes)",
        entity="work_log",
        read=read_time_spent,
        write=work_logs.write,
        order=110,
        header=_time_spent_header,
        prepare=work_logs.prepare,
    )
)
register(
    Format(
        name="kitsu_timesheet",
        label="Kitsu timesheet grid, day detail (;, hours)",
        entity="work_log",
        read=read_grid,
        write=work_logs.write,
        order=120,
        header=_grid_header,
        prepare=work_logs.prepare,
    )
)
