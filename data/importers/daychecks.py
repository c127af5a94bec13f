"""One person's day as the work logs tell it: no two entries overlap, and together they hold at most 24 hours.

Checked for every new or changed work log, against the entries already stored and those of the same import, before
it is written. The decision (docs/import-formats.md): an entry that overlaps another of the same person is
**rejected** (``overlapping_entry``), naming the entry it overlaps; an entry that would take the person's work date
past 24 hours is rejected (``day_over_24h``). A person cannot work two entries at once; importing both would
overstate the hours worked, and every finding built on them.

One overlap is not a conflict but an edit. A tracker with no entry ids (Toggl, Clockify, Kimai) is re-exported after
someone changed an entry's description or tags: the new row is a new entry by its identity (everything the row
carries), and it has exactly the interval of a stored entry of the same format that the new file no longer
carries. Such a row is held until the whole file is read; if the stored entry's identity did not come back in the
file, the stored entry is updated to the row (an audit event of the changed columns), else the row is rejected as an
overlap like any other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.importers import units as u
from data.importers.context import ImportContext
from data.importers.errors import RowError
from data.importers.rows import Item
from data.law.params import SECONDS_PER_DAY
from data.schema import ImportBatch, WorkLog

ONE_DAY = dt.timedelta(days=1)
LOADED_MAX = 200_000  # entries kept in memory; past it they are read again from the database as needed
Pair = tuple[int, dt.date]


@dataclass(slots=True)
class Entry:
    """A work log as the checks see it: stored (``id``) or accepted earlier in this import (``line``)."""

    id: int | None
    start: dt.datetime | None
    end: dt.datetime | None
    seconds: int
    key: str
    hash: str | None
    batch_id: int | None
    line: int | None = None


class DayChecks:
    """The checks of one work-log import: :meth:`chunk` before each chunk is written, :meth:`finish` at the end."""

    def __init__(self, session: Session, *, ctx: ImportContext, stored_columns: tuple[str, ...], entity: str) -> None:
        self.ctx = ctx
        self.columns = stored_columns
        self.entity = entity
        self.row_prefix = f"{ctx.fmt[:40]}:row:"
        self.loaded: dict[Pair, list[Entry]] = {}
        self.size = 0
        self.seen_row_keys: set[str] = set()
        self.held: list[tuple[Item, dict[str, Any], Entry]] = []
        self.claimed: set[int] = set()
        self.filenames: dict[int, str] = {}

    # -- reading what is stored ----------------------------------------------------------------------------------

    def _load(self, session: Session, pairs: set[Pair]) -> None:
        if self.size > LOADED_MAX:
            self.loaded.clear()
            self.size = 0
        missing = sorted(p for p in pairs if p not in self.loaded)
        for p in missing:
            self.loaded[p] = []
        wl = WorkLog.__table__
        for i in range(0, len(missing), 500):
            by_person: dict[int, list[dt.date]] = {}
            for person, day in missing[i : i + 500]:
                by_person.setdefault(person, []).append(day)
            where = or_(*(and_(wl.c.person_id == p, wl.c.work_date.in_(days)) for p, days in by_person.items()))
            q = select(
                wl.c.person_id, wl.c.work_date, wl.c.id, wl.c.start_at, wl.c.end_at, wl.c.seconds, wl.c.source_key,
                wl.c.content_hash, wl.c.batch_id,
            ).where(where)  # fmt: skip
            for person, day, id_, start, end, seconds, key, hash_, batch in session.execute(q):
                self.loaded[person, day].append(Entry(id_, start, end, seconds, key or f"#{id_}", hash_, batch))
                self.size += 1

    def _filename(self, session: Session, batch_id: int | None) -> str:
        if batch_id is None:
            return "an earlier entry"
        if batch_id not in self.filenames:
            name = session.scalar(select(ImportBatch.filename).where(ImportBatch.id == batch_id))
            self.filenames[batch_id] = name or "an earlier import"
        return self.filenames[batch_id]

    def _describe(self, session: Session, e: Entry) -> str:
        span = f"{e.start:%Y-%m-%d %H:%M:%S}–{e.end:%H:%M:%S}" if e.start and e.end else u.duration_text(e.seconds)
        if e.batch_id == self.ctx.batch.id and e.line is not None:
            return f"line {e.line} of this file ({span})"
        return f"the entry {span} imported from {self._filename(session, e.batch_id)}"

    # -- the checks ----------------------------------------------------------------------------------------------

    @staticmethod
    def _pairs(rec: dict[str, Any]) -> list[Pair]:
        person, day = rec["person_id"], rec["work_date"]
        pairs = [(person, day), (person, day - ONE_DAY)]  # yesterday's session may run past midnight
        end = rec["end_at"]
        if end is not None:
            d = day + ONE_DAY
            while d <= end.date():
                pairs.append((person, d))
                d += ONE_DAY
        return pairs

    def chunk(self, session: Session, buf: list[tuple[Item, dict[str, Any]]]) -> list[tuple[Item, dict[str, Any]]]:
        """The rows of ``buf`` that pass (the others are rejected here, or held as edits for :meth:`finish`), with
        the ones that pass remembered for the rows after them."""
        need: set[Pair] = set()
        for _, rec in buf:
            need.update(self._pairs(rec))
        self._load(session, need)
        out = []
        for item, rec in buf:
            key = rec["source_key"]
            if key.startswith(self.row_prefix):
                self.seen_row_keys.add(key)
            pair = (rec["person_id"], rec["work_date"])
            day = self.loaded[pair]
            same = next((e for e in day if e.key == key), None)
            if same is not None and same.hash == rec["content_hash"]:
                out.append((item, rec))  # the same entry, unchanged (or repeated in the file): the writer says so
                continue
            total = rec["seconds"] + sum(e.seconds for e in day if e.key != key)
            if total > SECONDS_PER_DAY:
                self.ctx.reject(item.line, item.raw, RowError(
                    "day_over_24h",
                    f"with this entry the person's work on {rec['work_date']} adds up to {u.duration_text(total)}, "
                    "more than 24 hours; an entry is duplicated or its times are wrong",
                    column="work_date", value=str(rec["work_date"]),
                ))  # fmt: skip
                continue
            clash = self._overlap(rec, key) if rec["start_at"] is not None and rec["end_at"] is not None else None
            if clash is not None:
                if self._is_edit(rec, key, clash):
                    self.claimed.add(clash.id)  # type: ignore[arg-type]
                    self.held.append((item, rec, clash))
                    continue
                self._reject_overlap(session, item, clash)
                continue
            if same is not None:
                day.remove(same)
                self.size -= 1
            day.append(Entry(None, rec["start_at"], rec["end_at"], rec["seconds"], key, rec["content_hash"],
                             self.ctx.batch.id, item.line))  # fmt: skip
            self.size += 1
            out.append((item, rec))
        return out

    def _overlap(self, rec: dict[str, Any], key: str) -> Entry | None:
        start, end = rec["start_at"], rec["end_at"]
        for pair in self._pairs(rec):
            for e in self.loaded.get(pair, ()):
                if e.key != key and e.start is not None and e.end is not None and e.start < end and start < e.end:
                    return e
        return None

    def _is_edit(self, rec: dict[str, Any], key: str, e: Entry) -> bool:
        return (
            e.id is not None
            and e.batch_id != self.ctx.batch.id
            and e.id not in self.claimed
            and key.startswith(self.row_prefix)
            and e.key.startswith(self.row_prefix)
            and (e.start, e.end) == (rec["start_at"], rec["end_at"])
        )

    def _reject_overlap(self, session: Session, item: Item, e: Entry) -> None:
        self.ctx.reject(item.line, item.raw, RowError(
            "overlapping_entry",
            f"overlaps {self._describe(session, e)}: one person cannot work two entries at once; correct the times "
            "in the tracker (or delete the other entry) and import again",
            column="start", value=item.raw[:200],
        ))  # fmt: skip

    # -- edits, once the whole file is read ----------------------------------------------------------------------

    def finish(self, session: Session, *, locked: Any) -> None:
        """Decide each held row: an edit of the stored entry it matches when the file no longer carries that
        entry (updated, with an audit event), else an overlap (rejected). ``locked(start, end)`` is the pay-period
        lock check of the keyed writer."""
        t = WorkLog.__table__
        for item, rec, e in self.held:
            if e.key in self.seen_row_keys:
                self._reject_overlap(session, item, e)
                continue
            old = session.execute(select(t).where(t.c.id == e.id)).mappings().one_or_none()
            if old is None:  # deleted by an edit of this import: the row is new after all
                self._reject_overlap(session, item, e)
                continue
            lock = locked(old["work_date"], old["work_date"]) or locked(rec["work_date"], rec["work_date"])
            if lock:
                self.ctx.reject(item.line, item.raw, RowError(
                    "pay_period_locked", f"the pay period {lock[0]}–{lock[1]} is locked; unlock it to change its "
                    "entries", value=str(rec["work_date"]),
                ))  # fmt: skip
                continue
            others = session.scalar(
                select(_sum(t.c.seconds)).where(
                    t.c.person_id == rec["person_id"], t.c.work_date == rec["work_date"], t.c.id != e.id
                )
            )
            if (others or 0) + rec["seconds"] > SECONDS_PER_DAY:
                self.ctx.reject(item.line, item.raw, RowError(
                    "day_over_24h", f"with this entry the person's work on {rec['work_date']} adds up to more than "
                    "24 hours", column="work_date", value=str(rec["work_date"]),
                ))  # fmt: skip
                continue
            changed = {c: old[c] for c in self.columns if old[c] != rec[c]}
            try:
                with session.begin_nested():
                    session.execute(
                        update(t)
                        .where(t.c.id == e.id)
                        .values(**{c: rec[c] for c in self.columns}, source_key=rec["source_key"],
                                content_hash=rec["content_hash"], batch_id=self.ctx.batch.id)
                    )  # fmt: skip
            except IntegrityError:
                self.ctx.reject(item.line, item.raw, RowError(
                    "duplicate_row", "the same entry as another row of this file (every cell the same)",
                ))  # fmt: skip
                continue
            if changed:
                self.ctx.audit(f"import.update.{self.entity}", self.entity, e.id, changed, {c: rec[c] for c in changed})
                self.ctx.summary.updated += 1
            else:
                self.ctx.summary.unchanged += 1
            self.ctx.touch(old["person_id"], old["work_date"], old["work_date"])
            self.ctx.touch(rec["person_id"], rec["work_date"], rec["work_date"])
            self.ctx.written(item, "updated" if changed else "unchanged")
        self.held = []

    def forget(self, rows: Iterable[tuple[Item, dict[str, Any]]]) -> None:
        """Drop rows the writer rejected after the checks passed them (a locked period, a refused insert)."""
        for item, rec in rows:
            day = self.loaded.get((rec["person_id"], rec["work_date"]))
            if day:
                kept = [e for e in day if not (e.line == item.line and e.key == rec["source_key"])]
                self.size -= len(day) - len(kept)
                day[:] = kept


def _sum(column: Any) -> Any:
    from sqlalchemy import func

    return func.sum(column)
