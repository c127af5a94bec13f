"""Clockify detailed reports (``clockify``): 12 h (``09:00:00 AM``) or 24 h times, dates in the user's profile
order, settled by the first unambiguous date in the file (all ambiguous: MM/DD, Clockify's default; reported in the
summary's details)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from data.importers import units as u
from data.importers.kinds import work_logs
from data.importers.reading import csv_rows, mapped
from data.importers.registry import Format, Header, Source, register
from data.importers.rows import Item, SourceRow
from data.importers.tracker import cell, detailed_report

DATE_ORDER_SCAN_ROWS = 100_000  # rows read to settle the date order before the default is taken


def date_order(path: Path) -> str:
    """``dmy`` or ``mdy``: the order of the file's dates, from the first one that settles it."""
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
        if n > DATE_ORDER_SCAN_ROWS:
            break
    return "mdy"  # Clockify's default profile format; every date in the file was ambiguous


def duration(row: SourceRow) -> int | None:
    """The reported seconds: Duration (decimal) hours, else Duration (h) as h:mm:ss; None when neither is given."""
    dec = cell(row, "duration (decimal)")
    if dec.strip():
        return u.seconds_from_hours(dec, "Duration (decimal)")
    hms = cell(row, "duration (h)")
    return u.seconds_from_hms(hms, "Duration (h)") if hms else None


def read(source: Source) -> Iterator[Item]:
    """The file's rows, dates read in the file's order (counted as ``date_order_<order>`` in the details)."""
    order = date_order(source.path)
    source.details[f"date_order_{order}"] = 1
    night = source.prepared
    return mapped(
        source.path, lambda row: detailed_report(row, order=order, duration=duration, key="clockify", night=night)
    )


def _header(h: Header) -> bool:
    return {"start date", "start time"} <= h.keys and ("duration (h)" in h.keys or "duration (decimal)" in h.keys)


register(
    Format(
        name="clockify",
        label="Clockify detailed report",
        entity="work_log",
        read=read,
        write=work_logs.write,
        order=130,
        header=_header,
        prepare=work_logs.prepare,
    )
)
