"""A timesheet the artist kept elsewhere, read into their own log: a Toggl, Clockify or Kimai export, Endroll's
work-log CSV, or a plain "date, hours, note" sheet.

The rows are parsed by the importers' own readers (:mod:`data.importers`), so a file reads here exactly as it would
into the studio's records, but they become own-log entries, never work logs: no person, production or cut is looked
up or created, and every row of the file is the artist's. Every row is accounted for as the importers do it: added,
already in the log (the same entry imported before, or twice in the file), or rejected with its line and reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from data import audit, settings
from data.i18n import N_
from data.identity import Identity
from data.importers import registry
from data.importers import units as u
from data.importers.errors import ImportFailed, RowError
from data.importers.reading import (
    csv_rows,
    first_line,
    hkey,
    is_json,
    is_xlsx,
    map_row,
    sniff_delimiter,
    sniff_encoding,
)
from data.importers.rows import Item, SourceRow
from data.law.params import SECONDS_PER_DAY
from data.schema import OwnLogEntry
from services.errors import ValidationError
from services.own_log import TEXT_LIMITS, own_person

# The registry's timesheet formats an own log reads; the trackers' task exports (Kitsu, ShotGrid, ftrack) need the
# studio's records to be read and are the studio's, not an artist's.
FORMATS = ("toggl", "clockify", "kimai", "canonical_work_logs")
HOURS_SHEET = "hours_sheet"
# The columns of the plain sheet, as its header may name them (match keys: casefolded).
SHEET_DATE = ("date", "日付", "work_date")
SHEET_HOURS = ("hours", "時間", "労働時間")
SHEET_NOTE = ("note", "メモ", "備考")


@dataclass
class OwnImport:
    """What an import did: the ``format`` read, rows ``read``, ``added``, ``already`` in the log, and ``rejected``
    as ``(line, reason)`` pairs; read = added + already + len(rejected)."""

    format: str
    read: int = 0
    added: int = 0
    already: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _sheet_header(cells: list[str]) -> bool:
    keys = {hkey(c) for c in cells}
    return bool(keys & set(SHEET_DATE)) and bool(keys & set(SHEET_HOURS)) and "start date" not in keys


def detect(path: Path) -> str:
    """The format of the file at ``path``: one of :data:`FORMATS` or :data:`HOURS_SHEET`; else
    :class:`ValidationError` naming what an own log reads."""
    if not is_xlsx(path) and not is_json(path):
        line = first_line(path, sniff_encoding(path))
        cells = line.split(sniff_delimiter(line)) if line else []
        if _sheet_header(cells) and "work_date" not in {hkey(c) for c in cells}:
            return HOURS_SHEET
    try:
        name = registry.detect(path)
    except ImportFailed:
        name = None
    if name not in FORMATS:
        raise ValidationError(
            N_("{file} is not a timesheet your own log can read"),
            fix=N_(
                "upload a Toggl, Clockify or Kimai export, Endroll's work-log CSV, or a sheet with the columns "
                "date, hours and note"
            ),
            file=path.name,
        )
    return name


def _cell(row: SourceRow, names: tuple[str, ...]) -> str:
    for name in names:
        value = row.cells.get(name)
        if value is not None and value.strip():
            return value
    return ""


def _sheet_row(row: SourceRow) -> dict[str, Any]:
    day = _cell(row, SHEET_DATE)
    if not day.strip():
        raise RowError("missing_value", N_("the date is empty"), column="date", value="")
    hours = _cell(row, SHEET_HOURS)
    if not hours.strip():
        raise RowError("missing_value", N_("the hours are empty"), column="hours", value="")
    note = _cell(row, SHEET_NOTE).strip() or None
    work_date = u.iso_date(day, "date")
    return {"work_date": work_date, "seconds": u.seconds_from_hours(hours, "hours"), "note": note,
            "key": ("row", f"{work_date}|{hours.strip()}|{note or ''}")}  # fmt: skip


def _items(session: Session, path: Path, name: str) -> Iterator[Item]:
    if name == HOURS_SHEET:
        _, rows = csv_rows(path)
        return (map_row(row, _sheet_row) for row in rows)
    fmt = registry.get(name)
    tz = ZoneInfo(settings.get("timezone", session))
    source = registry.Source(path, tz=tz, prepared=fmt.prepare(session) if fmt.prepare is not None else None)
    return fmt.read(source)


def _entry(person_id: int, name: str, value: dict[str, Any]) -> dict[str, Any]:
    """The own-log columns of a parsed row (a RowError when it cannot be one day's entry)."""
    seconds = int(value.get("seconds") or 0)
    if seconds > SECONDS_PER_DAY:
        raise RowError("out_of_range", N_("more than 24 hours in one entry"), column="hours", value=str(seconds))
    day = value["work_date"]
    kind, key = value.get("key") or ("row", repr(sorted((k, str(v)) for k, v in value.items())))
    digest = hashlib.sha256(f"{kind}\x1f{key}\x1f{day.isoformat()}".encode()).hexdigest()
    out = {
        "person_id": person_id,
        "work_date": day,
        "start_at": value.get("start_at"),
        "end_at": value.get("end_at"),
        "seconds": seconds,
        "break_seconds": int(value.get("break_seconds") or 0),
        "units": value.get("units"),
        "note": value.get("note") or value.get("task"),
        "origin": name,
        "source_key": f"{name}:{digest}",
    }
    for column, limit in TEXT_LIMITS.items():
        text = value.get(column)
        out[column] = None if text is None else str(text)[:limit]
    if out["start_at"] is not None and out["end_at"] is not None and out["end_at"] <= out["start_at"]:
        out["start_at"] = out["end_at"] = None
    return out


def import_file(
    session: Session, actor: Identity | None, *, person_id: int, path: Path, format: str | None = None
) -> OwnImport:
    """Read the timesheet at ``path`` into ``person_id``'s own log (the artist themselves only); what became of
    every row (:class:`OwnImport`). ``format``: one of :data:`FORMATS` or :data:`HOURS_SHEET` (None: detected)."""
    actor = own_person(actor, person_id, to=N_("import a timesheet into an own log"))
    name = format or detect(path)
    if name not in (*FORMATS, HOURS_SHEET):
        raise ValidationError(N_("{format} is not a timesheet format"), fix=N_("leave the format to be detected"),
                              format=name)  # fmt: skip
    report = OwnImport(format=name)
    known = set(
        session.scalars(
            select(OwnLogEntry.source_key).where(
                OwnLogEntry.person_id == person_id, OwnLogEntry.source_key.is_not(None)
            )
        )
    )
    added: list[OwnLogEntry] = []
    for item in _items(session, path, name):
        report.read += 1
        value = item.value
        try:
            if isinstance(value, RowError):
                raise value
            row = _entry(person_id, name, value)
        except RowError as exc:
            report.rejected.append((item.line, exc.reason))
            continue
        if row["source_key"] in known:
            report.already += 1
            continue
        known.add(row["source_key"])
        added.append(OwnLogEntry(**row))
        report.added += 1
    session.add_all(added)
    session.flush()
    audit.record(
        session, actor=actor.username, action="own_log.import", entity_type="person", entity_id=person_id,
        new={"file": path.name[:200], "format": name, "read": report.read, "added": report.added,
             "already": report.already, "rejected": len(report.rejected)},
    )  # fmt: skip
    return report
