"""One person's day as the work logs tell it: at most 24 hours of entries, and overlaps listed for a person to check.

Checked for every new or changed work log, against the entries already stored and those of the same import, before
it is written. The decisions (docs/import-formats.md):

* An entry that would take the person's work date past **24 hours** is rejected (``day_over_24h``): no one works
  more than a day in a day, so an entry is duplicated or its times are wrong, and importing it would overstate the
  hours every finding is built on.
* An entry that **overlaps** another of the same person is imported with a warning (``overlapping_entry``, naming
  the other entry). Trackers' manual entries carry placeholder start times (a day of entries all "started" at
  09:00:00, each with its own duration): rejecting overlaps would reject that real work, and the 24-hour cap already
  bounds what a double entry can add.

One overlap is an edit. A tracker with no entry ids (Toggl, Clockify, Kimai) is re-exported after someone changed an
entry's description or tags: the new row is a new entry by its identity (everything the row carries), and it has
exactly the start and end of a stored entry of the same format that the new file no longer carries. Such a row is
held until the whole file is read; then it updates the first stored entry of that interval the file did not carry
again (an audit event of the changed columns), or, when every such entry came back, it is imported as a new entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.importers import units as u
from data.importers.context import ImportContext
from data.importers.errors import RowError
from data.importers.rows import Item
from data.importers.upsert import locked_period
from data.law.params import SECONDS_PER_DAY
from data.schema import ImportBatch, WorkLog

ONE_DAY = dt.timedelta(days=1)
_WL = WorkLog.__table__
# Built once: SQLAlchemy caches its compiled form; the IN list expands at execution.
_STORED = select(
    _WL.c.person_id, _WL.c.work_date, _WL.c.id, _WL.c.start_at, _WL.c.end_at, _WL.c.seconds, _WL.c.source_key,
    _WL.c.content_hash, _WL.c.batch_id,
).where(
    _WL.c.person_id.in_(bindparam("ids", expanding=True)), _WL.c.work_date.between(bindparam("lo"), bindparam("hi"))
)  # fmt: skip
LOADED_MAX = 200_000  # entries kept in memory; past it the days read first are dropped, read again as needed
_SPANS = select(_WL.c.person_id, func.min(_WL.c.work_date), func.max(_WL.c.work_date)).group_by(_WL.c.person_id)
Pair = tuple[int, dt.date]


def over_a_day(work_date: dt.date, total: int) -> RowError:
    """The refusal of an entry that takes a person's ``work_date`` to ``total`` seconds, past 24 hours: the same
    words for an import and for an entry made by hand."""
    return RowError(
        "day_over_24h",
        f"with this entry the person's work on {work_date} adds up to {u.duration_text(total)}, more than "
        "24 hours: an entry is duplicated or its times are wrong",
        column="work_date",
        value=str(work_date),
    )


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
        self.held: list[tuple[Item, dict[str, Any], list[Entry]]] = []
        self.claimed: set[int] = set()
        self.filenames: dict[int, str] = {}
        self._yesterday: dict[dt.date, dt.date] = {}
        # Each person's first and last work date in the table: a person-day outside them has nothing stored, and
        # is not asked for (a first import of a large file would otherwise send one query per chunk for nothing).
        # Read when the first chunk is checked; widened by what this import holds when the held entries are dropped.
        self.spans: dict[int, tuple[dt.date, dt.date]] | None = None

    # -- reading what is stored ----------------------------------------------------------------------------------

    def _load(self, session: Session, pairs: set[Pair]) -> None:
        """Read the stored entries of the person-days in ``pairs`` not read yet: one query per chunk of people,
        over the dates the pairs span (the (person, date) index answers it), kept only for the pairs asked."""
        if self.spans is None:
            self.spans = {person: (lo, hi) for person, lo, hi in session.execute(_SPANS)}
        if self.size > LOADED_MAX:
            self._drop_oldest(self.spans, keep=LOADED_MAX // 2)
        missing = {p for p in pairs if p not in self.loaded}
        if not missing:
            return
        for p in missing:
            self.loaded[p] = []
        spans = self.spans
        missing = {
            (person, day) for person, day in missing if (span := spans.get(person)) and span[0] <= day <= span[1]
        }
        if not missing:
            return
        people = sorted({person for person, _ in missing})
        days = [day for _, day in missing]
        lo, hi = min(days), max(days)
        for i in range(0, len(people), 500):
            rows = session.execute(_STORED, {"ids": people[i : i + 500], "lo": lo, "hi": hi})
            for person, day, id_, start, end, seconds, key, hash_, batch in rows:
                entries = self.loaded.get((person, day))
                if entries is not None and (person, day) in missing:
                    entries.append(Entry(id_, start, end, seconds, key or f"#{id_}", hash_, batch))
                    self.size += 1

    def _drop_oldest(self, spans: dict[int, tuple[dt.date, dt.date]], *, keep: int) -> None:
        """Drop the person-days read first from memory until at most ``keep`` entries are left, folding the days
        dropped into ``spans``: this import wrote them, so they are in the table now and are read again when a
        later row meets them.

        The oldest first, not everything: files run in date order, so the days a chunk meets (its own and the
        day before) are the ones read last, and dropping them too sent every later chunk of a million-row import
        to the database for the days it had just written."""
        loaded = self.loaded
        size = self.size
        dropped = []
        for pair, entries in loaded.items():
            if size <= keep:
                break
            dropped.append(pair)
            size -= len(entries)
        for pair in dropped:
            if loaded.pop(pair):
                person, day = pair
                span = spans.get(person)
                if span is None:
                    spans[person] = (day, day)
                elif not span[0] <= day <= span[1]:
                    spans[person] = (min(span[0], day), max(span[1], day))
        self.size = size

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

    def _pairs(self, rec: dict[str, Any]) -> list[Pair]:
        """The person-days an entry can meet: its own, the day before (whose session may run past midnight), and
        the days its end runs into."""
        person, day = rec["person_id"], rec["work_date"]
        before = self._yesterday.get(day)
        if before is None:
            before = self._yesterday[day] = day - ONE_DAY
        pairs = [(person, day), (person, before)]
        end = rec["end_at"]
        if end is not None and end.date() > day:
            d = day + ONE_DAY
            while d <= end.date():
                pairs.append((person, d))
                d += ONE_DAY
        return pairs

    def chunk(self, session: Session, buf: list[tuple[Item, dict[str, Any]]]) -> list[tuple[Item, dict[str, Any]]]:
        """The rows of ``buf`` to write now (the others are rejected here, or held as possible edits for
        :meth:`finish`), with the ones written remembered for the rows after them.

        The hot path of every timesheet import: one pass with local names and plain loops (no generator per row),
        the common row (nothing stored on its day, no overlap) costing a few dictionary and list operations."""
        # _pairs inline for the common entry, one that ends on its own work date.
        yesterday, pairs_of = self._yesterday, self._pairs
        arounds: list[list[Pair]] = []
        add = arounds.append
        wanted: set[Pair] = set()
        want = wanted.update
        for _, rec in buf:
            day, end = rec["work_date"], rec["end_at"]
            if end is not None and end.date() > day:
                around = pairs_of(rec)
            else:
                before = yesterday.get(day)
                if before is None:
                    before = yesterday[day] = day - ONE_DAY
                person = rec["person_id"]
                around = [(person, day), (person, before)]
            add(around)
            want(around)
        self._load(session, wanted)
        loaded, prefix, seen = self.loaded, self.row_prefix, self.seen_row_keys
        batch_id, limit = self.ctx.batch.id, SECONDS_PER_DAY
        out = []
        append = out.append
        size = self.size
        for (item, rec), around in zip(buf, arounds, strict=True):
            key = rec["source_key"]
            no_id = key.startswith(prefix)
            if no_id:
                seen.add(key)
            day = loaded[around[0]]
            same = None
            total = seconds = rec["seconds"]
            stored = False
            for e in day:
                if e.key == key:
                    same = e
                else:
                    total += e.seconds
                    if e.id is not None:
                        stored = True
            if same is not None and same.hash == rec["content_hash"]:
                append((item, rec))  # the same entry, unchanged (or repeated in the file): the writer says so
                continue
            if total > limit and not self._fits(item, rec, day, key):
                continue
            start, end = rec["start_at"], rec["end_at"]
            if start is not None and end is not None:
                if stored and same is None and no_id:
                    edits = self._same_interval(rec)
                    if edits:
                        self.held.append((item, rec, edits))
                        continue
                clash = False
                for pair in around:
                    for e in loaded.get(pair, ()):
                        e_start, e_end = e.start, e.end
                        if (e_start is not None and e_end is not None and e_start < end and start < e_end
                                and e.key != key):  # fmt: skip
                            clash = True
                            break
                    if clash:
                        self._warn_overlap(session, item, rec, key, around)
                        break
            if same is not None:
                day.remove(same)
                size -= 1
            day.append(Entry(None, start, end, seconds, key, rec["content_hash"], batch_id, item.line))
            size += 1
            append((item, rec))
        self.size = size
        return out

    def _fits(self, item: Item, rec: dict[str, Any], day: list[Entry], key: str, *, also: int = 0) -> bool:
        total = rec["seconds"] + also + sum(e.seconds for e in day if e.key != key)
        if total <= SECONDS_PER_DAY:
            return True
        self.ctx.reject(item.line, item.raw, over_a_day(rec["work_date"], total))
        return False

    def _remember(self, day: list[Entry], same: Entry | None, item: Item, rec: dict[str, Any]) -> None:
        if same is not None:
            day.remove(same)
            self.size -= 1
        day.append(Entry(None, rec["start_at"], rec["end_at"], rec["seconds"], rec["source_key"], rec["content_hash"],
                         self.ctx.batch.id, item.line))  # fmt: skip
        self.size += 1

    def _overlaps(self, rec: dict[str, Any], key: str, around: list[Pair]) -> list[Entry]:
        start, end = rec["start_at"], rec["end_at"]
        loaded = self.loaded
        return [
            e
            for pair in around
            for e in loaded.get(pair, ())
            if e.end is not None and e.start is not None and e.start < end and start < e.end and e.key != key
        ]

    def _same_interval(self, rec: dict[str, Any]) -> list[Entry]:
        """Stored entries of this format with no id whose start and end are the row's: what the row may edit."""
        return [
            e
            for e in self.loaded.get((rec["person_id"], rec["work_date"]), ())
            if e.id is not None
            and e.batch_id != self.ctx.batch.id
            and e.key.startswith(self.row_prefix)
            and (e.start, e.end) == (rec["start_at"], rec["end_at"])
        ]

    def _warn_overlap(self, session: Session, item: Item, rec: dict[str, Any], key: str, around: list[Pair]) -> None:
        clash = self._overlaps(rec, key, around)
        if not clash:
            return
        reason = (
            f"overlaps {self._describe(session, clash[0])}"
            + (f" and {len(clash) - 1} more" if len(clash) > 1 else "")
            + ": both are imported; check that the same time was not logged twice"
        )
        warnings = item.value.setdefault("warnings", [])
        if isinstance(warnings, tuple):
            item.value["warnings"] = warnings = list(warnings)
        warnings.append(("overlapping_entry", reason, "start"))

    # -- edits, once the whole file is read ----------------------------------------------------------------------

    def finish(self, session: Session, *, locked: Any, insert_row: Any) -> None:
        """Decide each held row (see the module docstring): an edit of the first stored entry of its interval that
        the file did not carry again (updated, with an audit event), else a new entry with an overlap warning
        (``insert_row(item, rec)``, which returns whether the row went in). ``locked(start, end, person_id)`` is the
        keyed writer's lock check (closed pay periods, the person's signed-off months)."""
        t = WorkLog.__table__
        for item, rec, edits in self.held:
            target = next((e for e in edits if e.key not in self.seen_row_keys and e.id not in self.claimed), None)
            # Loaded again before the day is taken: past LOADED_MAX the chunks may have dropped it, and checking
            # against an empty day would let an entry past the 24-hour cap.
            around = self._pairs(rec)
            self._load(session, set(around))
            day = self.loaded[around[0]]
            if target is None:
                if self._fits(item, rec, day, rec["source_key"]):
                    self._warn_overlap(session, item, rec, rec["source_key"], around)  # before: written() records it
                    if insert_row(item, rec):
                        self._remember(day, None, item, rec)
                continue
            self.claimed.add(target.id)  # type: ignore[arg-type]
            old = session.execute(select(t).where(t.c.id == target.id)).mappings().one()
            lock = locked(old["work_date"], old["work_date"], old["person_id"]) or locked(
                rec["work_date"], rec["work_date"], rec["person_id"]
            )
            if lock and lock.person_id is not None:
                self.ctx.reject(item.line, item.raw, locked_period(lock, entity=self.entity, start=rec["work_date"]))
                continue
            if lock:
                self.ctx.reject(item.line, item.raw, RowError(
                    "pay_period_locked", f"the pay period {lock[0]}–{lock[1]} is locked; unlock it to change its "
                    "entries", value=str(rec["work_date"]),
                ))  # fmt: skip
                continue
            if not self._fits(item, rec, [e for e in day if e.id != target.id], rec["source_key"]):
                continue
            changed = {c: old[c] for c in self.columns if old[c] != rec[c]}
            try:
                with session.begin_nested():
                    session.execute(
                        update(t)
                        .where(t.c.id == target.id)
                        .values(**{c: rec[c] for c in self.columns}, source_key=rec["source_key"],
                                content_hash=rec["content_hash"], batch_id=self.ctx.batch.id)
                    )  # fmt: skip
            except IntegrityError:
                self.ctx.reject(item.line, item.raw, RowError(
                    "duplicate_row", "the same entry as another row of this file (every cell the same)",
                ))  # fmt: skip
                continue
            day[:] = [e for e in day if e.id != target.id]
            self._remember(day, None, item, rec)
            if changed:
                self.ctx.audit(f"import.update.{self.entity}", self.entity, target.id, changed,
                               {c: rec[c] for c in changed})  # fmt: skip
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
