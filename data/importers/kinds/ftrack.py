"""ftrack time logs (``ftrack``): seconds, an ISO start converted from its offset to the workplace's time; the
log's ``id`` is its key when exported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from data.importers import units as u
from data.importers.kinds import work_logs
from data.importers.reading import mapped
from data.importers.registry import Format, Header, Source, register
from data.importers.rows import Item, SourceRow
from data.importers.tracker import cell, check_totals, work_log
from data.law.params import NightWindow
from data.law.shifts import night_seconds

USER_COLUMNS = ("user_id", "user", "user.username", "user name")


def parse(row: SourceRow, *, tz: ZoneInfo, night: NightWindow) -> dict[str, Any]:
    """A time-log row → a work log from its start and duration."""
    check_totals(row, USER_COLUMNS)
    start_at = u.local_datetime(cell(row, "start"), "start", tz)
    seconds = u.seconds_from_seconds(cell(row, "duration") or "0", "duration")
    end_at = start_at + dt.timedelta(seconds=seconds)
    context = cell(row, "context_id", "context", "task").strip()
    ft_id = cell(row, "id").strip()
    return work_log(
        person=cell(row, "user.username", "user name", "user", "user_id").strip(),
        email=u.text(cell(row, "user.email", "email")),
        work_date=start_at.date(),
        start_at=start_at,
        end_at=end_at if seconds else None,
        seconds=seconds,
        night_seconds=night_seconds(start_at, end_at, night),
        production=u.text(cell(row, "project")),
        task=u.text(cell(row, "name")) or u.text(context),
        note=u.text(" — ".join(filter(None, [context, cell(row, "comment").strip()]))),
        key=("ftrack", ft_id) if ft_id else ("ftrack", context, start_at.isoformat()),
    )


def read(source: Source) -> Iterator[Item]:
    """The file's rows through :func:`parse`."""
    tz, night = source.tz, source.prepared
    return mapped(source.path, lambda row: parse(row, tz=tz, night=night))


def _header(h: Header) -> bool:
    return {"start", "duration"} <= h.keys and bool(h.keys & set(USER_COLUMNS))


register(
    Format(
        name="ftrack",
        label="ftrack time logs (seconds)",
        entity="work_log",
        read=read,
        write=work_logs.write,
        order=160,
        header=_header,
        prepare=work_logs.prepare,
    )
)
