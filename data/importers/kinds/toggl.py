"""Toggl Track detailed reports (``toggl``): the columns of Clockify's (:func:`data.importers.tracker.detailed_report`),
ISO dates and ``HH:MM:SS`` durations, often with a UTF-8 BOM."""

from __future__ import annotations

from collections.abc import Iterator

from data.importers import units as u
from data.importers.kinds import work_logs
from data.importers.reading import mapped
from data.importers.registry import Format, Header, Source, register
from data.importers.rows import Item, SourceRow
from data.importers.tracker import cell, detailed_report


def duration(row: SourceRow) -> int | None:
    """The reported seconds: Duration as HH:MM:SS; None when not given."""
    d = cell(row, "duration")
    return u.seconds_from_hms(d, "Duration") if d.strip() else None


def read(source: Source) -> Iterator[Item]:
    """The file's rows through :func:`data.importers.tracker.detailed_report`."""
    night = source.prepared
    return mapped(
        source.path, lambda row: detailed_report(row, order="ymd", duration=duration, key="toggl", night=night)
    )


def _header(h: Header) -> bool:
    return {"start date", "start time", "duration"} <= h.keys and ("email" in h.keys or "user" in h.keys)


register(
    Format(
        name="toggl",
        label="Toggl Track detailed report",
        entity="work_log",
        read=read,
        write=work_logs.write,
        order=140,
        header=_header,
        prepare=work_logs.prepare,
    )
)
