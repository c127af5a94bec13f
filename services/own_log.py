"""The artist's own log: days an artist records for themselves, the periods they share with the managers, and the
whole log exported. Only the artist whose log it is may change or export it; a manager cannot, even to correct it.

The own log is the artist's, kept apart from the studio's ``work_log``: no rollup or finding reads it, so a write here
brings nothing derived up to date. The audit trail says who added, changed or deleted which entry and which fields,
never the hours or notes themselves: managers read the audit trail, and the hours are shown to them only for a
period the artist shared.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data import audit, tabular
from data.errors import NotFound
from data.i18n import N_
from data.identity import Identity
from data.law.params import SECONDS_PER_DAY, SECONDS_PER_HOUR, SECONDS_PER_MINUTE
from data.schema import OwnLogEntry, OwnLogShare
from services.access import require
from services.errors import PermissionDenied, ValidationError

TEXT_LIMITS = {"production": 200, "episode": 40, "cut": 40, "role": 100, "unit_kind": 20}
# Every column of an entry, in the export's order (CSV header and JSON keys).
EXPORT_COLUMNS = (
    "work_date",
    "start_at",
    "end_at",
    "hours",
    "break_minutes",
    "production",
    "episode",
    "cut",
    "role",
    "units",
    "unit_kind",
    "note",
    "origin",
)


def own_person(actor: Identity | None, person_id: int, *, to: str) -> Identity:
    """``actor`` when it is the artist whose own log ``person_id``'s is; else :class:`PermissionDenied` (a manager
    included: the own log is the artist's alone)."""
    actor = require(actor, "artist", to=to)
    if actor.person_id is None or int(actor.person_id) != int(person_id):
        raise PermissionDenied(
            N_("you may {to} only for your own record, not for person #{person_id}"), to=to, person_id=person_id
        )
    return actor


@dataclass(frozen=True)
class Day:
    """What an artist types for a day: ``work_date``; ``start`` and ``end`` (an end at or before the start is the
    next day) with ``break_minutes``, or ``hours`` (worked, net of breaks) alone; what they worked on; units
    delivered."""

    work_date: dt.date
    start: dt.time | None = None
    end: dt.time | None = None
    break_minutes: float = 0.0
    hours: float | None = None
    production: str | None = None
    episode: str | None = None
    cut: str | None = None
    role: str | None = None
    units: float | None = None
    unit_kind: str | None = None
    note: str | None = None


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _values(day: Day) -> dict[str, Any]:
    """The stored columns of ``day``, or :class:`ValidationError` saying which value to change."""
    brk = round(day.break_minutes * SECONDS_PER_MINUTE)
    if brk < 0:
        raise ValidationError(N_("a break cannot be negative"), fix=N_("enter the break in minutes, 0 or more"))
    start_at = end_at = None
    if day.start is not None or day.end is not None:
        if day.start is None or day.end is None:
            raise ValidationError(
                N_("a start time needs an end time, and an end time a start time"),
                fix=N_("enter both, or leave both empty and enter the hours"),
            )
        start_at = dt.datetime.combine(day.work_date, day.start)
        end_at = dt.datetime.combine(day.work_date, day.end)
        if end_at <= start_at:
            end_at += dt.timedelta(days=1)  # at or before the start = the next morning
        seconds = int((end_at - start_at).total_seconds()) - brk
        if seconds <= 0:
            raise ValidationError(
                N_("the break ({minutes:g} min) is as long as the time from start to end or longer"),
                fix=N_("shorten the break or check the start and end"),
                minutes=day.break_minutes,
            )
        if day.hours is not None and abs(day.hours * SECONDS_PER_HOUR - seconds) > SECONDS_PER_MINUTE:
            raise ValidationError(
                N_("{hours:g} h disagrees with the start, end and break ({worked:.2f} h)"),
                fix=N_("leave the hours empty when you enter start and end"),
                hours=day.hours,
                worked=seconds / SECONDS_PER_HOUR,
            )
    elif day.hours is None:
        raise ValidationError(
            N_("a day needs its hours, or a start and an end"), fix=N_("enter the hours, or the start and end times")
        )
    else:
        seconds = round(day.hours * SECONDS_PER_HOUR)
    if not 0 < seconds <= SECONDS_PER_DAY:
        raise ValidationError(
            N_("{hours:.2f} h is not a day's work: more than 0 and at most 24 hours"),
            fix=N_("check the hours"),
            hours=seconds / SECONDS_PER_HOUR,
        )
    if day.units is not None and day.units < 0:
        raise ValidationError(N_("units delivered cannot be negative"), fix=N_("enter 0 or more"))
    out: dict[str, Any] = {
        "work_date": day.work_date,
        "start_at": start_at,
        "end_at": end_at,
        "seconds": seconds,
        "break_seconds": brk,
        "units": day.units,
        "note": _text(day.note),
    }
    for name, limit in TEXT_LIMITS.items():
        value = _text(getattr(day, name))
        if value is not None and len(value) > limit:
            raise ValidationError(
                N_("{field} is longer than {limit} characters"), fix=N_("shorten it"), field=name, limit=limit
            )
        out[name] = value
    return out


def add_day(session: Session, actor: Identity | None, *, person_id: int, day: Day) -> OwnLogEntry:
    """Add ``day`` to ``person_id``'s own log (the artist themselves only); the flushed entry."""
    actor = own_person(actor, person_id, to=N_("add a day to an own log"))
    entry = OwnLogEntry(person_id=person_id, origin="typed", **_values(day))
    session.add(entry)
    session.flush()
    audit.record(
        session, actor=actor.username, action="own_log.add", entity_type="own_log_entry", entity_id=entry.id,
        new={"person_id": person_id},
    )  # fmt: skip
    return entry


def _entry(session: Session, actor: Identity | None, entry_id: int, *, to: str) -> tuple[Identity, OwnLogEntry]:
    require(actor, "artist", to=to)  # before any read: a refused role learns nothing
    entry = session.get(OwnLogEntry, entry_id)
    # A missing entry and somebody else's read the same, so nobody learns which ids exist in others' logs.
    if entry is None or actor is None or actor.person_id is None or int(actor.person_id) != entry.person_id:
        require(actor, "artist", to=to)
        raise NotFound(
            N_("your own log has no entry #{entry_id}"), fix={"page": N_("pick one from your own log")},
            entry_id=entry_id,
        )  # fmt: skip
    return own_person(actor, entry.person_id, to=to), entry


def edit_day(session: Session, actor: Identity | None, *, entry_id: int, day: Day) -> OwnLogEntry:
    """Replace entry ``entry_id`` of the actor's own log with ``day``; the entry."""
    actor, entry = _entry(session, actor, entry_id, to=N_("change a day of an own log"))
    values = _values(day)
    changed = sorted(k for k, v in values.items() if getattr(entry, k) != v)
    for name, value in values.items():
        setattr(entry, name, value)
    session.flush()
    audit.record(
        session, actor=actor.username, action="own_log.edit", entity_type="own_log_entry", entity_id=entry.id,
        new={"person_id": entry.person_id, "fields": changed},
    )  # fmt: skip
    return entry


def delete_day(session: Session, actor: Identity | None, *, entry_id: int) -> None:
    """Delete entry ``entry_id`` of the actor's own log."""
    actor, entry = _entry(session, actor, entry_id, to=N_("delete a day of an own log"))
    audit.record(
        session, actor=actor.username, action="own_log.delete", entity_type="own_log_entry", entity_id=entry.id,
        old={"person_id": entry.person_id},
    )  # fmt: skip
    session.delete(entry)
    session.flush()


def share_period(
    session: Session, actor: Identity | None, *, person_id: int, start: dt.date, end: dt.date
) -> OwnLogShare:
    """Show ``start``–``end`` (both included) of ``person_id``'s own log to the managers; the share (the one already
    made for that period, if any)."""
    actor = own_person(actor, person_id, to=N_("share a period of an own log"))
    if end < start:
        raise ValidationError(
            N_("the period ends ({end}) before it starts ({start})"), fix=N_("pick an end on or after the start"),
            start=start, end=end,
        )  # fmt: skip
    found = session.scalar(
        select(OwnLogShare).where(
            OwnLogShare.person_id == person_id, OwnLogShare.period_start == start, OwnLogShare.period_end == end
        )
    )
    if found is not None:
        return found
    share = OwnLogShare(person_id=person_id, period_start=start, period_end=end)
    session.add(share)
    session.flush()
    audit.record(
        session, actor=actor.username, action="own_log.share", entity_type="own_log_share", entity_id=share.id,
        new={"person_id": person_id, "period_start": start.isoformat(), "period_end": end.isoformat()},
    )  # fmt: skip
    return share


def unshare_period(session: Session, actor: Identity | None, *, share_id: int) -> None:
    """Stop showing the shared period ``share_id`` to the managers (the artist's own share only)."""
    require(actor, "artist", to=N_("stop sharing a period of an own log"))
    share = session.get(OwnLogShare, share_id)
    if share is None or actor is None or actor.person_id is None or int(actor.person_id) != share.person_id:
        require(actor, "artist", to=N_("stop sharing a period of an own log"))
        raise NotFound(N_("you have shared no period #{share_id}"), share_id=share_id)
    actor = own_person(actor, share.person_id, to=N_("stop sharing a period of an own log"))
    audit.record(
        session, actor=actor.username, action="own_log.unshare", entity_type="own_log_share", entity_id=share.id,
        old={"person_id": share.person_id, "period_start": share.period_start.isoformat(),
             "period_end": share.period_end.isoformat()},
    )  # fmt: skip
    session.delete(share)
    session.flush()


def _records(session: Session, person_id: int) -> list[dict[str, Any]]:
    entries = session.scalars(
        select(OwnLogEntry)
        .where(OwnLogEntry.person_id == person_id)
        .order_by(OwnLogEntry.work_date, OwnLogEntry.start_at, OwnLogEntry.id)
    )
    return [
        {
            "work_date": e.work_date.isoformat(),
            "start_at": None if e.start_at is None else e.start_at.isoformat(timespec="minutes"),
            "end_at": None if e.end_at is None else e.end_at.isoformat(timespec="minutes"),
            "hours": round(e.seconds / SECONDS_PER_HOUR, 4),
            "break_minutes": round(e.break_seconds / SECONDS_PER_MINUTE, 2),
            "production": e.production,
            "episode": e.episode,
            "cut": e.cut,
            "role": e.role,
            "units": e.units,
            "unit_kind": e.unit_kind,
            "note": e.note,
            "origin": e.origin,
        }
        for e in entries
    ]


def export_csv(session: Session, actor: Identity | None, *, person_id: int) -> str:
    """The whole own log of ``person_id`` (the artist themselves only) as CSV text, one entry a row in date order,
    the columns of :data:`EXPORT_COLUMNS` (hours and break minutes as decimals; cells neutralized)."""
    own_person(actor, person_id, to=N_("export an own log"))
    return tabular.csv_records(EXPORT_COLUMNS, _records(session, person_id))


def export_json(session: Session, actor: Identity | None, *, person_id: int) -> str:
    """The whole own log of ``person_id`` (the artist themselves only) as JSON text: ``{"entries": [...], "shared":
    [{"period_start", "period_end"}]}``, entries with the keys of :data:`EXPORT_COLUMNS`."""
    own_person(actor, person_id, to=N_("export an own log"))
    shares = session.scalars(
        select(OwnLogShare).where(OwnLogShare.person_id == person_id).order_by(OwnLogShare.period_start)
    )
    shared = [{"period_start": s.period_start.isoformat(), "period_end": s.period_end.isoformat()} for s in shares]
    return json.dumps({"entries": _records(session, person_id), "shared": shared}, ensure_ascii=False, indent=1)
