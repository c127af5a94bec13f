"""Keyed writes: rows with a ``source_key`` and a ``content_hash``, written in chunks, nothing twice.

Each row's ``source_key`` is the source's own id, readable, or else a hash of its natural key with the resolved
person, dates and references (:meth:`Keyed.keys`): the key a format says identifies an entry, or, for a source with
no ids, everything the row carries (``<format>:row:<hash>``); its ``content_hash`` is of the row's text and what it
resolved to. A
chunk of only new rows goes in with one insert; a chunk holding any stored row is compared row by row: unchanged
rows are left alone, changed ones updated with an audit event of the old and new values. A row whose dates fall in a
locked pay period is rejected. The table and its columns, the resolver of a row and its period are the caller's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.engine import raw_write
from data.i18n import N_
from data.importers.context import CHUNK, ImportContext
from data.importers.errors import RowError
from data.importers.rows import Item
from data.schema import ImportBatch, MonthSignOff, PayPeriodLock

NATURAL_KEY_MAX = 150  # longer source ids are hashed so the key fits source_key (200)
_blake2b = hashlib.blake2b
Period = Callable[[dict[str, Any]], tuple[dt.date, dt.date]]
Check = Callable[[Session, list[tuple[Item, dict[str, Any]]]], list[tuple[Item, dict[str, Any]]]]


def digest(parts: Iterable[Any], size: int = 20) -> str:
    """A hex blake2b of the ``repr`` of ``parts``: the hashed half of source keys."""
    return hashlib.blake2b(repr(tuple(parts)).encode("utf-8"), digest_size=size).hexdigest()


class Lock(NamedTuple):
    """A locked period: a closed pay period (``person_id`` None, everyone's records), or a month one person signed
    off and a manager approved (that person's records only)."""

    start: dt.date
    end: dt.date
    person_id: int | None = None


def locked_period(lock: tuple[dt.date, dt.date], *, entity: str, start: dt.date) -> RowError:
    """The refusal of a row of ``entity`` starting ``start`` that falls in the locked pay period ``lock``: the same
    words for an import and for an entry made by hand."""
    if getattr(lock, "person_id", None) is not None:
        return RowError(
            "month_signed_off",
            N_(
                "the person signed off this month and a manager approved it; a manager reopens it on the Person page "
                "to change it"
            ),
            column=None,
            value=str(start),
        )
    return RowError(
        "pay_period_locked",
        f"the pay period {lock[0]}–{lock[1]} is locked; unlock it to change its {entity.replace('_', ' ')}s",
        column=None,
        value=str(start),
    )


class Keyed:
    """What a keyed write remembers from chunk to chunk: stored pre-0006 keys to rename, the locked pay periods, and
    whether the next chunk is tried as a plain insert; and how a record's keys are made (:meth:`keys`)."""

    def __init__(self, session: Session, *, ctx: ImportContext) -> None:
        self.fmt = ctx.fmt
        self.prefix = f"{ctx.fmt[:40]}:"
        self.tz_name = ctx.tz_name
        self.insert_first = True  # see _insert_new
        # Entries imported before migration 0006 carry a hashed source id as their key: while such batches of
        # this format exist, each chunk first renames the old keys it matches (see _adopt_legacy_keys).
        self.legacy_keys: dict[str, str] | None = (
            {}
            if session.scalar(
                select(ImportBatch.id).where(ImportBatch.format == ctx.fmt, ImportBatch.key_scheme == 1).limit(1)
            )
            else None
        )
        self.locks = [
            Lock(lo, hi) for lo, hi in session.execute(select(PayPeriodLock.period_start, PayPeriodLock.period_end))
        ]
        signed = select(MonthSignOff.month_start, MonthSignOff.month_end, MonthSignOff.person_id).where(
            MonthSignOff.status == "approved"
        )
        self.locks += [Lock(lo, hi, person_id) for lo, hi, person_id in session.execute(signed)]
        # Told of a resolved row the writer rejected after the chunk's checks passed it (a lock, a refused insert).
        self.dropped: Callable[[Item, dict[str, Any]], None] = lambda item, rec: None

    def locked(self, start: dt.date, end: dt.date, person_id: int | None = None) -> Lock | None:
        """The locked pay period, or ``person_id``'s signed-off month, that overlaps ``start``–``end``, if any."""
        for lock in self.locks:
            if start <= lock.end and end >= lock.start and (lock.person_id is None or lock.person_id == person_id):
                return lock
        return None

    def resolved_ids(self, person_id: int, refs: dict[str, Any]) -> str:
        """What a row was resolved against (person, production, episode, cut, role, time zone), as it goes into the
        row's content hash."""
        return f"{person_id}|{refs['production_id']}|{refs['episode_id']}|{refs['cut_id']}|{refs['role_id']}|{self.tz_name}"

    def keys(
        self,
        rec: dict[str, Any],
        item: Item,
        key: tuple[Any, ...],
        person_id: int,
        refs: dict[str, Any],
        dates: tuple[str | dt.date, ...],
        ids: str | None = None,
    ) -> None:
        """Set ``source_key`` (the source's id, readable, else a hash of the natural key ``key`` with the resolved
        person, ``dates`` and references) and ``content_hash`` of a resolved record ``rec``; notes the pre-0006 key
        while old batches exist. ``dates`` are ISO text or dates (made ISO text only when the key is hashed, so a
        row with an id pays nothing for them). ``ids`` is :meth:`resolved_ids` of the person and references when
        the caller kept it. Positional: it runs once per row."""
        # Inline, as this runs once per row of every keyed import. A source id is kept readable: ids a tracker
        # hands out tend to increase, so these keys land near each other in the unique index (a hash would scatter
        # them over it, and at a million rows that random access is most of an import's insert time). The content
        # hash is of the row's text and everything it was resolved against (person, production, episode, cut,
        # role, time zone): equal hashes mean equal stored values; a different hash only means *look*, and the
        # writer then compares the stored columns, so a re-export that merely reformats a cell is still unchanged.
        fmt = self.fmt
        kind = key[0]
        if kind == "id" and len(key) == 2 and len(key[1]) <= NATURAL_KEY_MAX:
            rec["source_key"] = f"{self.prefix}id:{key[1]}"
        else:
            pid, eid, cid, rid = refs["production_id"], refs["episode_id"], refs["cut_id"], refs["role_id"]
            iso = [d if isinstance(d, str) else d.isoformat() for d in dates]
            rec["source_key"] = (self.prefix + "row:" if kind == "row" else self.prefix) + digest(
                (fmt, person_id, *iso, pid, eid, cid, rid, *key)
            )
        if ids is None:
            ids = self.resolved_ids(person_id, refs)
        rec["content_hash"] = _blake2b(f"{item.raw}\x1f{ids}".encode(), digest_size=16).hexdigest()
        if self.legacy_keys is not None and key[0] == "id":
            self.legacy_keys[f"{fmt[:40]}:{digest((fmt, *key))}"] = rec["source_key"]


def write_keyed(
    session: Session,
    *,
    ctx: ImportContext,
    keyed: Keyed,
    items: Iterable[Item],
    table: Any,
    columns: tuple[str, ...],
    entity: str,
    resolve: Callable[[Item], dict[str, Any]],
    period: Period,
    check: Check | None = None,
) -> None:
    """Write ``items`` into ``table`` in chunks: ``resolve`` turns a parsed row into the record to store (its
    ``columns``, ``person_id``, ``source_key`` and ``content_hash``, see :meth:`Keyed.keys`), ``period`` gives a
    record's first and last day (for locks and the rollup refresh); ``entity`` names it in audit events and reasons.
    ``check(session, chunk)`` returns the rows of a chunk that may be written (rejecting or holding the others).
    Every row written, updated or found unchanged is reported to ``ctx.written``."""
    buf: list[tuple[Item, dict[str, Any]]] = []
    flush = dict(ctx=ctx, keyed=keyed, table=table, columns=columns, entity=entity, period=period)

    def write(rows: list[tuple[Item, dict[str, Any]]]) -> None:
        rows = check(session, rows) if check is not None else rows
        if rows:
            _flush_keyed(session, buf=rows, **flush)

    for item in items:
        ctx.row()
        if isinstance(item.value, RowError):
            ctx.reject(item.line, item.raw, item.value)
            continue
        try:
            rec = resolve(item)
        except RowError as exc:
            ctx.reject(item.line, item.raw, exc)
            continue
        buf.append((item, rec))
        if len(buf) >= CHUNK:
            write(buf)
            buf = []
    if buf:
        write(buf)
    ctx.flush_side_rows()


def _flush_keyed(
    session: Session,
    *,
    ctx: ImportContext,
    keyed: Keyed,
    buf: list[tuple[Item, dict[str, Any]]],
    table: Any,
    columns: tuple[str, ...],
    entity: str,
    period: Period,
) -> None:
    s = session
    t = table.__table__
    if keyed.legacy_keys:
        _adopt_legacy_keys(s, keyed=keyed, table=t)
    if keyed.insert_first and _insert_new(s, ctx=ctx, keyed=keyed, buf=buf, table=t, period=period):
        return
    keys_ = list({rec["source_key"] for _, rec in buf})
    # One narrow query per 1,000 keys (the unique index answers it); whole rows only for the rows that changed.
    existing: dict[str, Any] = {}
    for i in range(0, len(keys_), 1000):
        q = select(t.c.source_key, t.c.id, t.c.content_hash, t.c.batch_id).where(
            t.c.source_key.in_(keys_[i : i + 1000])
        )
        for key, id_, content_hash, batch_id in s.execute(q):
            existing[key] = (id_, content_hash, batch_id)
    keyed.insert_first = not existing  # a chunk of only new rows: try the plain insert on the next one again
    seen: dict[str, int] = {}
    inserts: list[tuple[Item, dict[str, Any]]] = []
    batch_id = ctx.batch.id  # an ORM attribute: read once, not once per row
    for item, rec in buf:
        key = rec["source_key"]
        old = existing.get(key)
        if key in seen or (old is not None and old[2] == batch_id):
            where = f"line {seen[key]}" if key in seen else "an earlier row of this file"
            ctx.reject(
                item.line,
                item.raw,
                RowError("duplicate_row", f"the same entry as {where}: the same id, or every cell the same"),
            )
            continue
        seen[key] = item.line
        if old is not None and old[1] == rec["content_hash"]:
            ctx.summary.unchanged += 1
            ctx.written(item, "unchanged")
            continue
        lo, hi = period(rec)
        if old is not None:
            old = s.execute(select(t).where(t.c.id == old[0])).mappings().one()
        lock = (
            (
                keyed.locked(lo, hi, rec["person_id"])
                or (keyed.locked(*period(old), old["person_id"]) if old is not None else None)
            )
            if keyed.locks
            else None
        )
        if lock:
            keyed.dropped(item, rec)
            ctx.reject(item.line, item.raw, locked_period(lock, entity=entity, start=lo))
            continue
        if old is None:
            inserts.append((item, rec))
            continue
        changed_old = {c: old[c] for c in columns if old[c] != rec[c]}
        if not changed_old:  # reformatted, not changed: remember the new text so the next import skips the compare
            s.execute(update(t).where(t.c.id == old["id"]).values(content_hash=rec["content_hash"]))
            ctx.summary.unchanged += 1
            ctx.written(item, "unchanged")
            continue
        changed_new = {c: rec[c] for c in changed_old}
        s.execute(
            update(t)
            .where(t.c.id == old["id"])
            .values(**{c: rec[c] for c in columns}, content_hash=rec["content_hash"], batch_id=ctx.batch.id)
        )
        ctx.audit(f"import.update.{entity}", entity, old["id"], changed_old, changed_new)
        ctx.summary.updated += 1
        ctx.written(item, "updated")
        ctx.touch(old["person_id"], *period(old))
        ctx.touch(rec["person_id"], lo, hi)
    if inserts:
        rows = [{**rec, "batch_id": batch_id} for _, rec in inserts]
        try:
            with s.begin_nested():
                bulk_insert(s, table=t, rows=rows)
            ok = inserts
        except IntegrityError:
            ok = []
            for item, rec in inserts:  # find the offending rows; the rest go in
                try:
                    with s.begin_nested():
                        s.execute(insert(t), [{**rec, "batch_id": ctx.batch.id}])
                    ok.append((item, rec))
                except IntegrityError as exc:
                    keyed.dropped(item, rec)
                    ctx.reject(
                        item.line,
                        item.raw,
                        RowError("database_constraint", f"the database refused the row: {exc.orig}"),
                    )
        _count_inserted(ctx, ok, period)


def _adopt_legacy_keys(session: Session, *, keyed: Keyed, table: Any) -> None:
    """Give entries stored under a pre-0006 hashed key the readable key this import computes for them, so the
    chunk then finds them as existing entries instead of inserting them again."""
    pairs, keyed.legacy_keys = keyed.legacy_keys, {}
    old_keys = list(pairs)
    for i in range(0, len(old_keys), 1000):
        found = session.execute(
            select(table.c.id, table.c.source_key).where(table.c.source_key.in_(old_keys[i : i + 1000]))
        )
        for id_, old in found.all():
            session.execute(update(table).where(table.c.id == id_).values(source_key=pairs[old]))


class _NotAllNew(Exception):
    """Raised inside the savepoint of :func:`_insert_new` to roll it back."""


def _insert_new(
    session: Session,
    *,
    ctx: ImportContext,
    keyed: Keyed,
    buf: list[tuple[Item, dict[str, Any]]],
    table: Any,
    period: Period,
) -> bool:
    """The first import of new rows, without a lookup per key: one ``INSERT … ON CONFLICT (source_key) DO NOTHING``
    of the whole chunk in a savepoint. Only when the database inserted every row is the chunk done; if it skipped
    one (the entry exists) or refused one, the savepoint is rolled back and the caller compares row by row, so no
    row is ever counted without its natural key and content hash having been checked. Locked periods and in-file
    duplicates always take the comparing path."""
    if keyed.locks:
        return False
    rows = [rec for _, rec in buf]
    if len({rec["source_key"] for rec in rows}) != len(rows):
        return False
    batch_id = ctx.batch.id  # an ORM attribute: read once, not once per row
    for rec in rows:
        rec["batch_id"] = batch_id
    if session.get_bind().dialect.name == "sqlite":
        inserted_all = _insert_all_or_undo(session, table=table, rows=rows)
    else:
        try:
            with session.begin_nested():
                if bulk_insert(session, table=table, rows=rows, skip_existing=True) != len(rows):
                    raise _NotAllNew
            inserted_all = True
        except (_NotAllNew, IntegrityError):
            inserted_all = False
    if not inserted_all:
        keyed.insert_first = False
        return False
    _count_inserted(ctx, buf, period)
    return True


def _insert_all_or_undo(session: Session, *, table: Any, rows: list[dict[str, Any]]) -> bool:
    """SQLite: insert ``rows`` (skipping existing keys) and return True when every one went in; else delete what
    this insert added and return False, leaving the table as it was.

    What a savepoint would do, without one: inside a savepoint SQLite copies every page the chunk first changes
    into a sub-journal, a fifth of a large import's insert time. Only this transaction writes (SQLite has one
    writer, and the import holds it), and new rows get ids above the largest one, so the rows above the largest
    id read before the insert are exactly the ones it added; a refused row stops the insert with the ones before
    it in place, and those are removed the same way."""
    last = session.scalar(select(func.max(table.c.id))) or 0
    try:
        if bulk_insert(session, table=table, rows=rows, skip_existing=True) == len(rows):
            return True
    except IntegrityError:
        pass
    session.execute(delete(table).where(table.c.id > last))
    return False


def _count_inserted(ctx: ImportContext, inserted: list[tuple[Item, dict[str, Any]]], period: Period) -> None:
    rows = [rec for _, rec in inserted]
    if rows:
        starts, ends = zip(*map(period, rows), strict=True)
        ctx.touched_people.update(map(operator.itemgetter("person_id"), rows))
        ctx.touch(rows[0]["person_id"], min(starts), max(ends))
    ctx.summary.imported += len(rows)
    if ctx.on_written is not None and inserted:
        ctx.on_written([item for item, _ in inserted], "imported")


class _Converted(dict):
    """A bind processor's results by input value, computed on first use (dates and flags repeat across rows)."""

    def __init__(self, processor: Callable[[Any], Any]) -> None:
        super().__init__({None: None})
        self.processor = processor

    def __missing__(self, value: Any) -> Any:
        out = self[value] = self.processor(value)
        return out


def _row_getter(cols: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    if len(cols) == 1:
        return lambda r: (r[cols[0]],)
    return operator.itemgetter(*cols) if cols else lambda r: ()


def bulk_insert(session: Session, *, table: Any, rows: list[dict[str, Any]], skip_existing: bool = False) -> int:
    """executemany straight to the driver: the statement is compiled once, values go through the column types'
    own bind processors (so SQLite stores dates exactly as SQLAlchemy would) and nothing else. Returns the number of
    rows inserted; with ``skip_existing`` a row whose source_key exists is skipped (not counted) instead of failing.

    Values of columns with a bind processor (dates, flags) go through a memo of that processor's results: files
    repeat the same few hundred dates."""
    conn = session.connection()
    dialect = conn.dialect
    cols = list(rows[0])
    cache = getattr(table, "_endroll_insert", {})
    key = (dialect.name, tuple(cols), skip_existing)
    if key not in cache:
        procs = [table.c[c].type._cached_bind_processor(dialect) for c in cols]
        # Columns without a bind processor first: their values go straight into the parameter tuple.
        order = [c for c, p in zip(cols, procs, strict=True) if p is None]
        order += [c for c, p in zip(cols, procs, strict=True) if p is not None]
        names = ", ".join(dialect.identifier_preparer.quote(c) for c in order)
        marks = ", ".join("?" if dialect.paramstyle == "qmark" else "%s" for _ in order)
        sql = f"INSERT INTO {dialect.identifier_preparer.quote(table.name)} ({names}) VALUES ({marks})"
        if skip_existing:
            sql += " ON CONFLICT (source_key) DO NOTHING"
        cache[key] = (sql, procs)
        table._endroll_insert = cache
    sql, procs = cache[key]
    plain = [c for c, p in zip(cols, procs, strict=True) if p is None]
    processed = [(c, p) for c, p in zip(cols, procs, strict=True) if p is not None]
    if not processed:
        params = list(map(_row_getter(plain), rows))
    else:
        # Column by column through each memo (C-level maps, no Python call per value), then joined to the plain
        # part of each row: half the cost of converting row by row.
        converted = [map(_Converted(p).__getitem__, map(operator.itemgetter(c), rows)) for c, p in processed]
        params = [a + b for a, b in zip(map(_row_getter(plain), rows), zip(*converted, strict=True), strict=True)]
    # Named, so the engine counts these rows as about their people (data.engine.raw_write).
    return conn.exec_driver_sql(sql, params, execution_options=raw_write(table)).rowcount
