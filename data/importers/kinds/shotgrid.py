"""ShotGrid / Flow Production Tracking time logs (``shotgrid``): minutes (or ``h:mm``), display names or field
codes as headers; the log's ``Id`` is its key when exported."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from data.importers import units as u
from data.importers.kinds import work_logs
from data.importers.reading import mapped
from data.importers.registry import Format, Header, Source, register
from data.importers.rows import Item, SourceRow
from data.importers.tracker import ai_fraction_from_tags, cell, check_totals, work_log


def parse(row: SourceRow) -> dict[str, Any]:
    """A time-log row → a work log (no start or end: a duration on a date)."""
    check_totals(row, ("user", "person", "artist"))
    day = u.iso_date(cell(row, "date"), "date")
    raw = cell(row, "duration")
    seconds = u.seconds_from_hms(raw, "duration") if ":" in raw else u.seconds_from_minutes(raw or "0", "duration")
    entity = cell(row, "entity", "link", "task").strip()
    sg_id = cell(row, "id").strip()
    return work_log(
        person=cell(row, "user", "person", "artist").strip(),
        work_date=day,
        seconds=seconds,
        production=u.text(cell(row, "project")),
        task=u.text(cell(row, "step", "pipeline step")) or u.text(entity),
        note=u.text(" — ".join(filter(None, [entity, cell(row, "description").strip()]))),
        ai_assisted_fraction=ai_fraction_from_tags(cell(row, "tags", "sg_tags")),
        key=("sg", sg_id) if sg_id else ("sg", entity, cell(row, "description").strip()),
    )


def read(source: Source) -> Iterator[Item]:
    """The file's rows through :func:`parse`."""
    return mapped(source.path, parse)


def _header(h: Header) -> bool:
    k = h.keys
    return (
        {"date", "duration"} <= k
        and bool(k & {"user", "person", "artist"})
        and bool(k & {"entity", "link", "task", "project"})
    )


register(
    Format(
        name="shotgrid",
        label="ShotGrid / Flow Production Tracking time logs (minutes)",
        entity="work_log",
        read=read,
        write=work_logs.write,
        order=170,
        header=_header,
        prepare=work_logs.prepare,
    )
)
