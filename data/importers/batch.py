"""One import = one transaction: rows in, every row accounted for, nothing written twice.

Each row ends imported, updated, unchanged or rejected (a RejectedRow with line, column, value, reason and the
raw text). Re-imports are idempotent through ``source_key`` (the source's own id, readable, or else a hash of its
natural key with the resolved person and date; see :func:`_keys`) and ``content_hash`` (of the row's text and what it
resolved to); a changed row updates the stored one and writes an AuditEvent with the old and new values. Imports are serialized per database (a PostgreSQL advisory lock; SQLite's single writer), so two
overlapping imports running at once cannot both insert the same entry.

Employment contracts and labor agreements have no source key: they are few, and their natural key (person,
employer, start date; organization, start date) is matched against the stored rows instead. The annual leave ledger
is matched the same way on (person, kind, date); its rows also carry that key as their ``source_key``.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import hashlib
import io
import operator
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from data import rollup, settings
from data.credit_records import ParsedCredit
from data.engine import raw_write
from data.importers import canonical, madb
from data.importers.credit_text import classify_parenthetical, looks_like_org, parse_roll_lines, strip_brackets
from data.importers.formats import FORMATS, count_lines, detect, text_lines
from data.importers.items import Item, mapped, work_items
from data.importers.people import PersonMatcher
from data.importers.places import Places
from data.importers.rows import ImportFailed, ImportSummary, Rejection, RowError
from data.names import org_key, person_key
from data.reference import role_key
from data.schema import (
    AiUsage,
    AnnualLeave,
    AuditEvent,
    CreditLine,
    CreditNote,
    Cut,
    Employment,
    Episode,
    ImportBatch,
    LaborAgreement,
    OrgAlias,
    Organization,
    PayItem,
    PayPeriodLock,
    Person,
    PersonAlias,
    Production,
    RejectedRow,
    Role,
    RoleVariant,
    Service,
    WorkLog,
    utcnow,
)

CHUNK = 2000
REFS_CACHE_MAX = 200_000
ADVISORY_LOCK_KEY = 0x456E64726F6C6C  # "Endroll": one importer at a time per database
SQLITE_IMPORT_CACHE_KIB = 65536  # page cache of the importing connection (SQLite's default is 2 MB)
Progress = Callable[[int, int | None], None]

WORK_COLUMNS = (
    "person_id",
    "production_id",
    "episode_id",
    "cut_id",
    "role_id",
    "task",
    "work_date",
    "start_at",
    "end_at",
    "minutes",
    "break_minutes",
    "night_minutes",
    "is_statutory_holiday",
    "units",
    "unit_kind",
    "ai_assisted_fraction",
    "note",
)
PAY_COLUMNS = (
    "person_id",
    "production_id",
    "episode_id",
    "cut_id",
    "role_id",
    "basis",
    "units",
    "unit_rate",
    "amount",
    "currency",
    "period_start",
    "period_end",
    "commission_date",
    "terms_issued_date",
    "delivery_date",
    "due_date",
    "paid_date",
    "agreed_amount",
    "retake_count",
    "retake_paid_amount",
    "note",
)
AI_COLUMNS = (
    "asset_path",
    "asset_sha256",
    "service_id",
    "operator_id",
    "stage",
    "digital_source_type",
    "production_id",
    "episode_id",
    "cut_id",
    "role_id",
    "prompt",
    "seed",
    "manifest_ref",
    "created_at",
)


def _digest(parts: Iterable[Any], size: int = 20) -> str:
    return hashlib.blake2b(repr(tuple(parts)).encode("utf-8"), digest_size=size).hexdigest()


NATURAL_KEY_MAX = 150  # longer source ids are hashed so the key fits work_log.source_key (200)


def _natural_key(fmt: str, key: tuple[Any, ...]) -> str | None:
    """The source's own id, readable, when it has one: ``canonical_work_logs:id:W-1042``. Ids a tracker hands out
    tend to increase, so these keys land near each other in the unique index (a hash would scatter them over it,
    and at a million rows that random access is most of an import's insert time)."""
    if len(key) == 2 and key[0] == "id" and len(key[1]) <= NATURAL_KEY_MAX:
        return f"{fmt[:40]}:id:{key[1]}"
    return None


def _content_hash(raw: str, person_id: int, refs: dict[str, Any], tz_name: str) -> str:
    """What the row said: its source text plus everything it was resolved against (person, production, episode,
    cut, role, time zone). Equal hashes mean equal stored values; a different hash only means *look*: the writer
    then compares the stored columns, so a re-export that merely reformats a cell is still "unchanged"."""
    ids = f"{person_id}|{refs['production_id']}|{refs['episode_id']}|{refs['cut_id']}|{refs['role_id']}|{tz_name}"
    return hashlib.blake2b(f"{raw}\x1f{ids}".encode(), digest_size=16).hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


class Context:
    """Caches and counters of one import, inside its transaction."""

    def __init__(
        self,
        session: Session,
        batch: ImportBatch,
        summary: ImportSummary,
        *,
        fmt: str,
        production: str | None,
        create_people: bool,
        actor: str,
        progress: Progress | None,
        total_hint: int | None,
    ) -> None:
        self.session = session
        self.batch = batch
        self.summary = summary
        self.fmt = fmt
        self.production_override = production
        self.actor = actor
        self.progress = progress
        self.total_hint = total_hint
        self.tz = ZoneInfo(settings.get("timezone", session))
        self.tz_name = str(self.tz)
        self.matcher = PersonMatcher(
            session, batch_id=batch.id, create_people=create_people, source=f"import:{batch.filename}"
        )
        self.productions: dict[str, int | None] = {}
        self.episodes: dict[tuple[int, str], int] = {}
        self.cuts: dict[tuple[int, str], int] = {}
        self.roles: dict[str, tuple[int, bool] | None] = {}
        self.refs: dict[tuple[Any, ...], dict[str, Any] | RowError] = {}
        self.insert_first = True  # see _insert_new
        # Entries imported before migration 0006 carry a hashed source id as their key: while such batches of
        # this format exist, each chunk first renames the old keys it matches (see _adopt_legacy_keys).
        self.legacy_keys: dict[str, str] | None = (
            {}
            if session.scalar(
                select(ImportBatch.id).where(ImportBatch.format == fmt, ImportBatch.key_scheme == 1).limit(1)
            )
            else None
        )
        self.roles_by_code = {c: (i, p) for i, c, p in session.execute(select(Role.id, Role.code, Role.person_only))}
        self.locks = [
            (lo, hi) for lo, hi in session.execute(select(PayPeriodLock.period_start, PayPeriodLock.period_end))
        ]
        self.rejections: list[dict[str, Any]] = []
        self.audits: list[dict[str, Any]] = []
        self.touched_people: set[int] = set()
        self.touched_from: dt.date | None = None
        self.touched_to: dt.date | None = None
        self._last_progress = 0

    # -- accounting ------------------------------------------------------------------------------------------

    def row(self) -> None:
        self.summary.rows_total += 1
        if self.progress and self.summary.rows_total - self._last_progress >= CHUNK:
            self._last_progress = self.summary.rows_total
            self.progress(self.summary.rows_total, self.total_hint)

    def reject(self, line: int, raw: str | None, err: RowError) -> None:
        rej = Rejection(line=line, code=err.code, reason=err.reason, column=err.column, value=err.value, raw=raw)
        self.summary.reject(rej)
        self.rejections.append(rej.as_row(self.batch.id))
        if len(self.rejections) >= CHUNK:
            self.flush_side_rows()

    def audit(
        self, action: str, entity: str, entity_id: Any, old: dict[str, Any] | None, new: dict[str, Any] | None
    ) -> None:
        self.audits.append(
            {
                "at": utcnow(),
                "actor": self.actor[:200],
                "action": action,
                "entity_type": entity,
                "entity_id": None if entity_id is None else str(entity_id),
                "old_values": None if old is None else {k: _jsonable(v) for k, v in old.items()},
                "new_values": None if new is None else {k: _jsonable(v) for k, v in new.items()},
            }
        )

    def flush_side_rows(self) -> None:
        if self.rejections:
            self.session.execute(insert(RejectedRow.__table__), self.rejections)
            self.rejections = []
        if self.audits:
            self.session.execute(insert(AuditEvent.__table__), self.audits)
            self.audits = []

    def touch(self, person_id: int, start: dt.date, end: dt.date) -> None:
        self.touched_people.add(person_id)
        self.touched_from = start if self.touched_from is None else min(self.touched_from, start)
        self.touched_to = end if self.touched_to is None else max(self.touched_to, end)

    def locked(self, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
        for lo, hi in self.locks:
            if start <= hi and end >= lo:
                return lo, hi
        return None

    # -- reference lookups -----------------------------------------------------------------------------------

    def production_id(
        self, title: str | None, *, create: bool = False, kind: str = "tv", external_ref: str | None = None
    ) -> int | None:
        title = self.production_override or title
        if not title:
            return None
        if title in self.productions and self.productions[title] is not None:
            return self.productions[title]
        pid = self.session.scalar(select(Production.id).where(Production.title == title))
        if pid is None and (create or title == self.production_override):
            pid = self.session.execute(
                insert(Production)
                .values(title=title[:300], kind=kind, external_ref=external_ref)
                .returning(Production.id)
            ).scalar_one()
            self.summary.count("productions_created")
        if pid is None:
            raise RowError(
                "unknown_production",
                f"production {title!r} is not in the database; create it or pass --production",
                column="production",
                value=title,
            )
        self.productions[title] = pid
        return pid

    def episode_id(self, production_id: int | None, label: str | None) -> int | None:
        if production_id is None or not label:
            return None
        key = (production_id, label[:40])
        if key not in self.episodes:
            eid = self.session.scalar(
                select(Episode.id).where(Episode.production_id == production_id, Episode.label == key[1])
            )
            if eid is None:
                number = int(label) if label.isdigit() else None
                eid = self.session.execute(
                    insert(Episode)
                    .values(production_id=production_id, label=key[1], number=number)
                    .returning(Episode.id)
                ).scalar_one()
                self.summary.count("episodes_created")
            self.episodes[key] = eid
        return self.episodes[key]

    def cut_id(self, episode_id: int | None, number: str | None) -> int | None:
        if episode_id is None or not number:
            return None
        key = (episode_id, number[:20])
        if key not in self.cuts:
            cid = self.session.scalar(select(Cut.id).where(Cut.episode_id == episode_id, Cut.cut_number == key[1]))
            if cid is None:
                cid = self.session.execute(
                    insert(Cut).values(episode_id=episode_id, cut_number=key[1]).returning(Cut.id)
                ).scalar_one()
                self.summary.count("cuts_created")
            self.cuts[key] = cid
        return self.cuts[key]

    def role(self, text_: str | None, *, strict: bool = True) -> tuple[int, bool] | None:
        if not text_:
            return None
        key = role_key(text_)
        if key not in self.roles:
            row = self.session.execute(
                select(Role.id, Role.person_only)
                .join(RoleVariant, RoleVariant.role_id == Role.id)
                .where(RoleVariant.match_key == key)
            ).first()
            self.roles[key] = (row[0], row[1]) if row else None
        if self.roles[key] is None and strict:
            raise RowError(
                "unknown_role",
                f"role {text_!r} is not in the role taxonomy (data/seed/roles.csv)",
                column="role",
                value=text_,
            )
        return self.roles[key]

    def resolve_refs(self, item: dict[str, Any]) -> dict[str, Any]:
        """Production, episode, cut and role ids; remembered per distinct combination (files repeat them)."""
        key = (item.get("production"), item.get("episode"), item.get("cut"), item.get("role"))
        refs = self.refs.get(key)
        if refs is None:
            if len(self.refs) > REFS_CACHE_MAX:
                self.refs.clear()
            try:
                refs = self.refs[key] = self._resolve_refs(item)
            except RowError as exc:
                self.refs[key] = exc
                raise
        if isinstance(refs, RowError):  # a fresh exception: re-raising one object would grow its traceback
            raise RowError(refs.code, refs.reason, column=refs.column, value=refs.value)
        return refs

    def _resolve_refs(self, item: dict[str, Any]) -> dict[str, Any]:
        pid = self.production_id(item.get("production"))
        eid = self.episode_id(pid, item.get("episode"))
        role = self.role(item.get("role"))
        return {
            "production_id": pid,
            "episode_id": eid,
            "cut_id": self.cut_id(eid, item.get("cut")),
            "role_id": role[0] if role else None,
        }


# ---------------------------------------------------------------------------------------------------------------
# Writers: work logs and pay items (bulk, keyed), AI usage and people (row by row), credits


def _write_keyed(
    ctx: Context,
    items: Iterable[Item],
    *,
    table: Any,
    columns: tuple[str, ...],
    entity: str,
    resolve: Callable[[Item], dict[str, Any]],
    period: Callable[[dict[str, Any]], tuple[dt.date, dt.date]],
) -> None:
    buf: list[tuple[Item, dict[str, Any]]] = []
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
            _flush_keyed(ctx, buf, table=table, columns=columns, entity=entity, period=period)
            buf = []
    if buf:
        _flush_keyed(ctx, buf, table=table, columns=columns, entity=entity, period=period)
    ctx.flush_side_rows()


def _flush_keyed(
    ctx: Context,
    buf: list[tuple[Item, dict[str, Any]]],
    *,
    table: Any,
    columns: tuple[str, ...],
    entity: str,
    period: Callable[[dict[str, Any]], tuple[dt.date, dt.date]],
) -> None:
    s = ctx.session
    t = table.__table__
    if ctx.legacy_keys:
        _adopt_legacy_keys(ctx, t)
    if ctx.insert_first and _insert_new(ctx, buf, t, period):
        return
    keys = list({rec["source_key"] for _, rec in buf})
    # One narrow query per 1,000 keys (the unique index answers it); whole rows only for the rows that changed.
    existing: dict[str, Any] = {}
    for i in range(0, len(keys), 1000):
        q = select(t.c.source_key, t.c.id, t.c.content_hash, t.c.batch_id).where(t.c.source_key.in_(keys[i : i + 1000]))
        for key, id_, content_hash, batch_id in s.execute(q):
            existing[key] = (id_, content_hash, batch_id)
    ctx.insert_first = not existing  # a chunk of only new rows: try the plain insert on the next one again
    seen: dict[str, int] = {}
    inserts: list[tuple[Item, dict[str, Any]]] = []
    for item, rec in buf:
        key = rec["source_key"]
        old = existing.get(key)
        if key in seen or (old is not None and old[2] == ctx.batch.id):
            where = f"line {seen[key]}" if key in seen else "an earlier row of this file"
            ctx.reject(item.line, item.raw, RowError("duplicate_row", f"same entry as {where} (same natural key)"))
            continue
        seen[key] = item.line
        if old is not None and old[1] == rec["content_hash"]:
            ctx.summary.unchanged += 1
            continue
        lo, hi = period(rec)
        if old is not None:
            old = s.execute(select(t).where(t.c.id == old[0])).mappings().one()
        lock = (ctx.locked(lo, hi) or (ctx.locked(*period(old)) if old is not None else None)) if ctx.locks else None
        if lock:
            ctx.reject(
                item.line,
                item.raw,
                RowError(
                    "pay_period_locked",
                    f"the pay period {lock[0]}–{lock[1]} is locked; unlock it to change its "
                    f"{entity.replace('_', ' ')}s",
                    column=None,
                    value=str(lo),
                ),
            )
            continue
        if old is None:
            inserts.append((item, rec))
            continue
        changed_old = {c: old[c] for c in columns if old[c] != rec[c]}
        if not changed_old:  # reformatted, not changed: remember the new text so the next import skips the compare
            s.execute(update(t).where(t.c.id == old["id"]).values(content_hash=rec["content_hash"]))
            ctx.summary.unchanged += 1
            continue
        changed_new = {c: rec[c] for c in changed_old}
        s.execute(
            update(t)
            .where(t.c.id == old["id"])
            .values(**{c: rec[c] for c in columns}, content_hash=rec["content_hash"], batch_id=ctx.batch.id)
        )
        ctx.audit(f"import.update.{entity}", entity, old["id"], changed_old, changed_new)
        ctx.summary.updated += 1
        ctx.touch(old["person_id"], *period(old))
        ctx.touch(rec["person_id"], lo, hi)
    if inserts:
        rows = [{**rec, "batch_id": ctx.batch.id} for _, rec in inserts]
        try:
            with s.begin_nested():
                _bulk_insert(s, t, rows)
            ok = inserts
        except IntegrityError:
            ok = []
            for item, rec in inserts:  # find the offending rows; the rest go in
                try:
                    with s.begin_nested():
                        s.execute(insert(t), [{**rec, "batch_id": ctx.batch.id}])
                    ok.append((item, rec))
                except IntegrityError as exc:
                    ctx.reject(
                        item.line,
                        item.raw,
                        RowError("database_constraint", f"the database refused the row: {exc.orig}"),
                    )
        _count_inserted(ctx, [rec for _, rec in ok], period)


def _adopt_legacy_keys(ctx: Context, t: Any) -> None:
    """Give entries stored under a pre-0006 hashed key the readable key this import computes for them, so the
    chunk then finds them as existing entries instead of inserting them again."""
    pairs, ctx.legacy_keys = ctx.legacy_keys, {}
    keys = list(pairs)
    for i in range(0, len(keys), 1000):
        found = ctx.session.execute(select(t.c.id, t.c.source_key).where(t.c.source_key.in_(keys[i : i + 1000])))
        for id_, old in found.all():
            ctx.session.execute(update(t).where(t.c.id == id_).values(source_key=pairs[old]))


class _NotAllNew(Exception):
    """Raised inside the savepoint of :func:`_insert_new` to roll it back."""


def _insert_new(
    ctx: Context,
    buf: list[tuple[Item, dict[str, Any]]],
    table: Any,
    period: Callable[[dict[str, Any]], tuple[dt.date, dt.date]],
) -> bool:
    """The first import of new rows, without a lookup per key: one ``INSERT … ON CONFLICT (source_key) DO NOTHING``
    of the whole chunk in a savepoint. Only when the database inserted every row is the chunk done; if it skipped
    one (the entry exists) or refused one, the savepoint is rolled back and the caller compares row by row, so no
    row is ever counted without its natural key and content hash having been checked. Locked periods and in-file
    duplicates always take the comparing path."""
    if ctx.locks:
        return False
    rows = [rec for _, rec in buf]
    if len({rec["source_key"] for rec in rows}) != len(rows):
        return False
    for rec in rows:
        rec["batch_id"] = ctx.batch.id
    try:
        with ctx.session.begin_nested():
            if _bulk_insert(ctx.session, table, rows, skip_existing=True) != len(rows):
                raise _NotAllNew
    except (_NotAllNew, IntegrityError):
        ctx.insert_first = False
        return False
    _count_inserted(ctx, rows, period)
    return True


def _count_inserted(
    ctx: Context, rows: list[dict[str, Any]], period: Callable[[dict[str, Any]], tuple[dt.date, dt.date]]
) -> None:
    if rows:
        starts, ends = zip(*map(period, rows), strict=True)
        ctx.touched_people.update(map(operator.itemgetter("person_id"), rows))
        ctx.touch(rows[0]["person_id"], min(starts), max(ends))
    ctx.summary.imported += len(rows)


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


def _bulk_insert(session: Session, table: Any, rows: list[dict[str, Any]], *, skip_existing: bool = False) -> int:
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
        get_plain, get_processed = _row_getter(plain), _row_getter([c for c, _ in processed])
        memos = [_Converted(p) for _, p in processed]
        lookup = dict.__getitem__  # honours _Converted.__missing__, without a Python call per value
        params = [get_plain(r) + tuple(map(lookup, memos, get_processed(r))) for r in rows]
    # Named, so the engine counts these rows as about their people (data.engine.raw_write).
    return conn.exec_driver_sql(sql, params, execution_options=raw_write(table)).rowcount


def _keys(
    ctx: Context,
    rec: dict[str, Any],
    item: Item,
    key: tuple[Any, ...],
    person_id: int,
    refs: dict[str, Any],
    dates: tuple[str, ...],
) -> None:
    """``source_key`` (the source's id, readable, else a hash of the natural key with the resolved person, dates and
    references) and ``content_hash`` of a resolved record; notes the pre-0006 key while old batches exist."""
    fmt = ctx.fmt
    rec["source_key"] = _natural_key(fmt, key) or (
        f"{fmt[:40]}:"
        + _digest(
            (fmt, person_id, *dates, refs["production_id"], refs["episode_id"], refs["cut_id"], refs["role_id"], *key)
        )
    )
    rec["content_hash"] = _content_hash(item.raw, person_id, refs, ctx.tz_name)
    if ctx.legacy_keys is not None and key[0] == "id":
        ctx.legacy_keys[f"{fmt[:40]}:{_digest((fmt, *key))}"] = rec["source_key"]


def _work_resolver(ctx: Context) -> Callable[[Item], dict[str, Any]]:

    def resolve(item: Item) -> dict[str, Any]:
        v = item.value
        if not 0 <= v["minutes"] <= 1440:
            raise RowError(
                "out_of_range",
                f"{v['minutes']} minutes is not within one day (0–1440)",
                column="minutes",
                value=str(v["minutes"]),
            )
        person_id = ctx.matcher.match(v["person"], v["email"], line=item.line, raw=item.raw)
        refs = ctx.resolve_refs(v)
        rec = {
            "person_id": person_id,
            **refs,
            "task": (v["task"] or None) and v["task"][:200],
            "work_date": v["work_date"],
            "start_at": v["start_at"],
            "end_at": v["end_at"],
            "minutes": v["minutes"],
            "break_minutes": v["break_minutes"],
            "night_minutes": v["night_minutes"],
            "is_statutory_holiday": v["is_statutory_holiday"],
            "units": v["units"],
            "unit_kind": v["unit_kind"],
            "ai_assisted_fraction": v["ai_assisted_fraction"],
            "note": v["note"],
        }
        _keys(ctx, rec, item, v["key"], person_id, refs, (v["work_date"].isoformat(),))
        return rec

    return resolve


def _pay_resolver(ctx: Context) -> Callable[[Item], dict[str, Any]]:
    def resolve(item: Item) -> dict[str, Any]:
        v = item.value
        person_id = ctx.matcher.match(v["person"], v["email"], line=item.line, raw=item.raw)
        refs = ctx.resolve_refs(v)
        rec = {c: v.get(c) for c in PAY_COLUMNS if c in v}
        rec.update(person_id=person_id, **refs)
        _keys(ctx, rec, item, v["key"], person_id, refs, (v["period_start"].isoformat(), v["period_end"].isoformat()))
        return rec

    return resolve


def write_work_logs(ctx: Context, items: Iterable[Item]) -> None:
    _write_keyed(
        ctx,
        items,
        table=WorkLog,
        columns=WORK_COLUMNS,
        entity="work_log",
        resolve=_work_resolver(ctx),
        period=operator.itemgetter("work_date", "work_date"),
    )


def write_pay_items(ctx: Context, items: Iterable[Item]) -> None:
    _write_keyed(
        ctx,
        items,
        table=PayItem,
        columns=PAY_COLUMNS,
        entity="pay_item",
        resolve=_pay_resolver(ctx),
        period=operator.itemgetter("period_start", "period_end"),
    )


def write_ai_usage(ctx: Context, items: Iterable[Item]) -> None:
    s = ctx.session
    services: dict[tuple[str, str], int] = {}
    for item in items:
        ctx.row()
        v = item.value
        if isinstance(v, RowError):
            ctx.reject(item.line, item.raw, v)
            continue
        try:
            operator = ctx.matcher.match(v["person"], v["email"], line=item.line, raw=item.raw)
            refs = ctx.resolve_refs(v)
        except RowError as exc:
            ctx.reject(item.line, item.raw, exc)
            continue
        skey = (v["tool"][:200], v["tool_version"][:100])
        if skey not in services:
            sid = s.scalar(select(Service.id).where(Service.name == skey[0], Service.version == skey[1]))
            if sid is None:
                sid = s.execute(
                    insert(Service)
                    .values(
                        name=skey[0],
                        version=skey[1],
                        kind=v["tool_kind"],
                        match_key=person_key(skey[0]) or skey[0].casefold(),
                    )
                    .returning(Service.id)
                ).scalar_one()
                ctx.summary.count("services_created")
            services[skey] = sid
        rec = {
            "asset_path": v["asset_path"][:1000],
            "asset_sha256": v["asset_sha256"],
            "service_id": services[skey],
            "operator_id": operator,
            "stage": v["stage"],
            "digital_source_type": v["digital_source_type"],
            **refs,
            "prompt": v["prompt"],
            "seed": v["seed"],
            "manifest_ref": v["manifest_ref"],
            "created_at": v["created_at"] or dt.datetime.combine(dt.date.today(), dt.time()),
        }
        key = v["key"]
        source_key = f"{ctx.fmt[:40]}:{_digest((ctx.fmt, *key) if key[:1] == ('id',) else (ctx.fmt, operator, *key))}"
        t = AiUsage.__table__
        old = s.execute(select(t).where(t.c.source_key == source_key)).mappings().first()
        if old is None:
            s.execute(insert(t).values(**rec, source_key=source_key, batch_id=ctx.batch.id))
            ctx.summary.imported += 1
        elif old["batch_id"] == ctx.batch.id:
            ctx.reject(item.line, item.raw, RowError("duplicate_row", "same entry as an earlier row of this file"))
        else:
            if v["created_at"] is None:
                rec["created_at"] = old["created_at"]  # the default is the import day; keep the first one
            changed = {c: old[c] for c in AI_COLUMNS if old[c] != rec[c]}
            if not changed:
                ctx.summary.unchanged += 1
                continue
            s.execute(update(t).where(t.c.id == old["id"]).values(**rec, batch_id=ctx.batch.id))
            ctx.audit("import.update.ai_usage", "ai_usage", old["id"], changed, {c: rec[c] for c in changed})
            ctx.summary.updated += 1
    ctx.flush_side_rows()


PERSON_FIELDS = (
    "display_name",
    "email",
    "family_name",
    "given_name",
    "family_kana",
    "given_kana",
    "family_romaji",
    "given_romaji",
    "pen_name",
    "visibility",
    "country",
)


def write_people(ctx: Context, items: Iterable[Item]) -> None:
    s = ctx.session
    for item in items:
        ctx.row()
        v = item.value
        if isinstance(v, RowError):
            ctx.reject(item.line, item.raw, v)
            continue
        if not person_key(v["display_name"]):
            ctx.reject(
                item.line,
                item.raw,
                RowError("bad_name", "display_name has no letters", column="display_name", value=v["display_name"]),
            )
            continue
        ids = ctx.matcher.candidates(v["display_name"], v["email"])
        if v["email"] and v["email"] in ctx.matcher.by_email:
            ids = [ctx.matcher.by_email[v["email"]]]
        if len(ids) > 1:
            ctx.matcher._review(v["display_name"], v["email"], ids, item.line, item.raw, "ambiguous_person", "")
            ctx.reject(
                item.line,
                item.raw,
                RowError(
                    "ambiguous_person",
                    f"{v['display_name']!r} matches {len(ids)} people; resolve it in the review queue",
                    column="display_name",
                    value=v["display_name"],
                ),
            )
            continue
        names = [v["display_name"], *v["aliases"]]
        if not ids:
            fields = {f: v[f] for f in PERSON_FIELDS}
            try:
                with s.begin_nested():
                    person = Person(**fields)
                    s.add(person)
                    s.flush()
            except IntegrityError as exc:
                ctx.reject(item.line, item.raw, RowError("database_constraint", f"the database refused it: {exc.orig}"))
                continue
            pid = person.id
            ctx.summary.imported += 1
            changed = True
        else:
            pid = ids[0]
            person = s.get(Person, pid)
            old = {f: getattr(person, f) for f in PERSON_FIELDS if v[f] is not None and getattr(person, f) != v[f]}
            if old:
                for f in old:
                    setattr(person, f, v[f])
                ctx.audit("import.update.person", "person", pid, old, {f: v[f] for f in old})
            changed = bool(old)
        have = set(s.scalars(select(PersonAlias.text).where(PersonAlias.person_id == pid)))
        for n in names:
            if n and n[:200] not in have and person_key(n):
                s.add(
                    PersonAlias(
                        person_id=pid,
                        text=n[:200],
                        kind="real_name" if n == names[0] else "pen_name",
                        match_key=person_key(n),
                        source=f"import:{ctx.batch.filename}"[:100],
                    )
                )
                have.add(n[:200])
                changed = True
        s.flush()
        if ids:
            if changed:
                ctx.summary.updated += 1
            else:
                ctx.summary.unchanged += 1
        ctx.matcher.add(pid, v["email"], names)
    ctx.flush_side_rows()


# ---------------------------------------------------------------------------------------------------------------
# Employment contracts and Article 36 labor agreements (few rows, each matched on its natural key)

EMPLOYMENT_COLUMNS = (
    "employment_type",
    "jurisdiction",
    "prefecture",
    "city",
    "end_date",
    "scheduled_monthly_hours",
    "is_exempt",
    "discretionary_work",
    "discretionary_consent_date",
    "piece_rate_guarantee_per_hour",
    "department",
)
AGREEMENT_COLUMNS = ("has_36_agreement", "special_clause", "variable_hours_1y", "valid_to")
Audit = tuple[str, str, Any, dict[str, Any], dict[str, Any]]  # Context.audit's arguments


class Employers:
    """The organizations an employment or labor-agreement file names, matched by the match key
    (:func:`data.names.org_key`) of their aliases and names. Two organizations under one key are never chosen
    between: the row is rejected. A name that matches none is created the way the credit importer creates an
    organization it meets for the first time: kind ``other``, the name as its alias, counted in
    ``details["organizations_created"]``."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.by_key: dict[str, set[int]] = defaultdict(set)
        self.names: dict[int, str] = {}
        self.created: set[int] = set()
        s = ctx.session
        for oid, key in s.execute(select(OrgAlias.organization_id, OrgAlias.match_key)):
            self.by_key[key].add(oid)
        for oid, name in s.execute(select(Organization.id, Organization.name)):
            self.names[oid] = name
            if key := self.key(name):
                self.by_key[key].add(oid)

    @staticmethod
    def key(text_: str) -> str:
        return org_key(text_) or person_key(text_)

    def id(self, text_: str, column: str) -> int:
        key = self.key(text_)
        if not key:
            raise RowError("bad_name", f"{column} has no letters", column=column, value=text_)
        ids = self.by_key.get(key, set())
        if len(ids) > 1:
            names = ", ".join(f"{self.names.get(i, '?')} (id {i})" for i in sorted(ids))
            raise RowError(
                "ambiguous_organization",
                f"{text_!r} matches {len(ids)} organizations: {names}; merge them or give them distinct aliases",
                column=column,
                value=text_,
            )
        if ids:
            return next(iter(ids))
        s = self.ctx.session
        try:
            with s.begin_nested():
                oid = s.execute(
                    insert(Organization).values(name=text_, kind="other").returning(Organization.id)
                ).scalar_one()
                s.execute(insert(OrgAlias).values(organization_id=oid, text=text_, match_key=key))
        except (IntegrityError, DataError) as exc:
            raise RowError(
                "database_constraint", f"the database refused the new organization: {exc.orig}", column=column
            ) from None
        self.by_key[key].add(oid)
        self.names[oid] = text_
        self.created.add(oid)
        self.ctx.summary.count("organizations_created")
        return oid


def write_employments(ctx: Context, items: Iterable[Item]) -> None:
    """Contracts matched on (person, employer, start_date): new ones inserted, changed ones updated with an audit
    event, the same ones left alone. The people whose contracts were written go into ``ctx.touched_people`` with no
    dates, so the import's rollup refresh resolves the employment and minimum wage of every day of theirs (a
    contract may change any of them) and names them for the findings snapshot."""
    t = Employment.__table__
    employers = Employers(ctx)
    stored = _stored_by(ctx, t, ("person_id", "employer_id", "start_date"))
    seen: dict[tuple[Any, ...], int] = {}
    for item, v in _parsed(ctx, items):
        try:
            person_id = ctx.matcher.match(v["person"], v["email"], line=item.line, raw=item.raw)
            employer_id = employers.id(v["employer"], "employer")
        except RowError as exc:
            ctx.reject(item.line, item.raw, exc)
            continue
        key = (person_id, employer_id, v["start_date"])
        rec = {c: v[c] for c in EMPLOYMENT_COLUMNS}
        outcome = _write_natural(
            ctx,
            item,
            t,
            key,
            rec,
            natural={"person_id": person_id, "employer_id": employer_id, "start_date": v["start_date"]},
            seen=seen,
            stored=stored,
            entity="employment",
            what="contract (same person, employer and start_date)",
        )
        if outcome in ("imported", "updated"):
            ctx.touched_people.add(person_id)
    ctx.flush_side_rows()


def write_labor_agreements(ctx: Context, items: Iterable[Item]) -> None:
    """Agreements matched on (organization, valid_from), like contracts; a row's employee_count, when given, sets
    its organization's (audited). Rollups do not read agreements or employee counts: the write moves the data
    version on, and the findings are computed again."""
    t = LaborAgreement.__table__
    employers = Employers(ctx)
    stored = _stored_by(ctx, t, ("organization_id", "valid_from"))
    seen: dict[tuple[Any, ...], int] = {}
    counts: dict[int, tuple[int, int]] = {}  # organization → (employee_count, line) as this file gives it
    for item, v in _parsed(ctx, items):
        try:
            org_id = employers.id(v["organization"], "organization")
        except RowError as exc:
            ctx.reject(item.line, item.raw, exc)
            continue
        count = v["employee_count"]
        given = counts.get(org_id)
        if count is not None and given is not None and given[0] != count:
            # Applying both would flip the count on every re-import of the file.
            ctx.reject(
                item.line,
                item.raw,
                RowError(
                    "conflicting_value",
                    f"employee_count {count} disagrees with line {given[1]} ({given[0]}) for the same organization, "
                    "which has one employee count",
                    column="employee_count",
                    value=str(count),
                ),
            )
            continue
        outcome = _write_natural(
            ctx,
            item,
            t,
            (org_id, v["valid_from"]),
            {c: v[c] for c in AGREEMENT_COLUMNS},
            natural={"organization_id": org_id, "valid_from": v["valid_from"]},
            seen=seen,
            stored=stored,
            entity="labor_agreement",
            what="agreement (same organization and valid_from)",
            also=None
            if count is None
            else functools.partial(_set_employee_count, ctx, org_id, count, new=org_id in employers.created),
        )
        if count is not None and outcome != "rejected":
            counts.setdefault(org_id, (count, item.line))
    ctx.flush_side_rows()


LEAVE_COLUMNS = ("days", "note")


def write_annual_leave(ctx: Context, items: Iterable[Item]) -> None:
    """Leave-ledger rows matched on (person, kind, on_date), like contracts: new ones inserted, changed days or notes
    updated with an audit event, the same ones left alone. Rows inserted by an import also carry that key as their
    ``source_key`` (so the unique index refuses a second copy) and the batch that last wrote them.

    The rollups do not read the ledger, so nothing is refreshed, and no one is named in ``finding_stale_person``:
    JP-LEAVE-01 judges everyone's ledger up to the studio's latest entry, so one person's entry can change anyone's
    findings. ``annual_leave`` is therefore not in ``data.engine.PERSON_TABLES``: a write to it moves the global
    data version on, and the next request computes the whole studio's findings again. An import that changes no
    entry writes nothing to the table and leaves the stored findings valid."""
    t = AnnualLeave.__table__
    stored = _stored_by(ctx, t, ("person_id", "kind", "on_date"))
    seen: dict[tuple[Any, ...], int] = {}
    for item, v in _parsed(ctx, items):
        try:
            person_id = ctx.matcher.match(v["person"], v["email"], line=item.line, raw=item.raw)
        except RowError as exc:
            ctx.reject(item.line, item.raw, exc)
            continue
        key = (person_id, v["kind"], v["on_date"])
        rec = {c: v[c] for c in LEAVE_COLUMNS}
        _write_natural(
            ctx,
            item,
            t,
            key,
            rec,
            natural={
                "person_id": person_id,
                "kind": v["kind"],
                "on_date": v["on_date"],
                "source_key": f"{ctx.fmt[:40]}:{person_id}:{v['kind']}:{v['on_date'].isoformat()}",
            },
            seen=seen,
            stored=stored,
            entity="annual_leave",
            what="leave entry (same person, kind and on_date; leave taken is one row a day, half days added up)",
            stamp={"batch_id": ctx.batch.id, "content_hash": _digest((*key, *rec.values()), 16)},
        )
    ctx.flush_side_rows()


def _set_employee_count(ctx: Context, org_id: int, count: int, *, new: bool) -> Audit | None:
    """Set an organization's employee count; the audit event to record when it changed. An organization created by
    this import gets its first count unaudited, as every new row is."""
    s = ctx.session
    old = s.scalar(select(Organization.employee_count).where(Organization.id == org_id))
    if old == count:
        return None
    s.execute(update(Organization).where(Organization.id == org_id).values(employee_count=count))
    if new and old is None:
        return None
    return ("import.update.organization", "organization", org_id, {"employee_count": old}, {"employee_count": count})


def _stored_by(ctx: Context, t: Any, key: tuple[str, ...]) -> dict[tuple[Any, ...], list[Any]]:
    """The rows of ``t`` by their natural key ``key`` (lists: the table does not enforce the key, so rows entered
    outside the importer can share one, which :func:`_write_natural` reports)."""
    stored: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for row in ctx.session.execute(select(t)).mappings():
        stored[tuple(row[c] for c in key)].append(row)
    return stored


def _parsed(ctx: Context, items: Iterable[Item]) -> Iterator[tuple[Item, dict[str, Any]]]:
    """Each row, counted; the ones the parser turned into a RowError are rejected here, the others yielded with
    their values."""
    for item in items:
        ctx.row()
        if isinstance(item.value, RowError):
            ctx.reject(item.line, item.raw, item.value)
            continue
        yield item, item.value


def _write_natural(
    ctx: Context,
    item: Item,
    t: Any,
    key: tuple[Any, ...],
    rec: dict[str, Any],
    *,
    natural: dict[str, Any],
    seen: dict[tuple[Any, ...], int],
    stored: dict[tuple[Any, ...], list[Any]],
    entity: str,
    what: str,
    also: Callable[[], Audit | None] | None = None,
    stamp: dict[str, Any] | None = None,
) -> str:
    """One row of a table without a source key, matched on its natural key ``key`` (the columns ``natural``) among
    the ``stored`` rows: inserted when new, its ``rec`` columns updated (with an audit event) when they differ, left
    alone when not. ``also`` is a further write of the same row (an organization's employee count), done in the same
    savepoint. ``stamp`` holds bookkeeping columns (the batch that wrote the row, a hash of its values) written with
    an insert or an update, never compared or audited: an unchanged row keeps its old ones. A row the database
    refuses is rolled back alone and rejected. Returns imported, updated, unchanged or rejected."""
    s = ctx.session
    if key in seen:
        ctx.reject(item.line, item.raw, RowError("duplicate_row", f"same {what} as line {seen[key]}"))
        return "rejected"
    seen[key] = item.line
    olds = stored.get(key, [])
    if len(olds) > 1:
        ids = ", ".join(str(o["id"]) for o in olds)
        ctx.reject(
            item.line,
            item.raw,
            RowError(
                "ambiguous_row",
                f"{len(olds)} stored {entity.replace('_', ' ')}s (ids {ids}) have the same natural key as this row; "
                "delete the extra ones, then import again",
            ),
        )
        return "rejected"
    old = olds[0] if olds else None
    changed = {} if old is None else {c: old[c] for c in rec if old[c] != rec[c]}
    stamp = stamp or {}
    extra: Audit | None = None
    try:
        with s.begin_nested():
            if old is None:
                new_id = s.execute(insert(t).values(**natural, **rec, **stamp).returning(t.c.id)).scalar_one()
            elif changed:
                s.execute(update(t).where(t.c.id == old["id"]).values(**{c: rec[c] for c in changed}, **stamp))
            if also is not None:
                extra = also()
    except (IntegrityError, DataError) as exc:
        ctx.reject(item.line, item.raw, RowError("database_constraint", f"the database refused the row: {exc.orig}"))
        return "rejected"
    if extra is not None:
        ctx.audit(*extra)
    if old is None:
        stored[key] = [{**natural, **rec, "id": new_id}]
        ctx.summary.imported += 1
        return "imported"
    if changed:
        ctx.audit(f"import.update.{entity}", entity, old["id"], changed, {c: rec[c] for c in changed})
        stored[key] = [{**old, **rec}]
    if changed or extra is not None:
        ctx.summary.updated += 1
        return "updated"
    ctx.summary.unchanged += 1
    return "unchanged"


class CreditWriter:
    """Credits and notes into CreditLine / CreditNote, names into person or organization aliases."""

    def __init__(self, ctx: Context, source_kind: str) -> None:
        self.ctx = ctx
        self.s = ctx.session
        self.person_aliases: dict[str, tuple[list[tuple[int, int | None, str]]]] = {}
        self.org_alias_ids: dict[str, int | None] = {}
        self.hashes: dict[int, set[str]] = {}
        self.pending: list[dict[str, Any]] = []
        self.batch_hashes: set[str] = set()
        self.batch_notes: set[int] = set()

    def _seen(self, pc: ParsedCredit, in_this_file: bool) -> None:
        if in_this_file:
            # The source repeats an entry verbatim; the first copy is stored, this one is reported.
            raise RowError(
                "duplicate_row", "the same entry appears earlier in this file", column="name", value=pc.name_as_credited
            )
        self.ctx.summary.unchanged += 1

    # entities

    def _org_by_key(self, key: str) -> int | None:
        if key not in self.org_alias_ids:
            self.org_alias_ids[key] = self.s.scalar(select(OrgAlias.id).where(OrgAlias.match_key == key).limit(1))
        return self.org_alias_ids[key]

    def org_alias(self, text_: str) -> int:
        key = org_key(text_) or person_key(text_)
        aid = self._org_by_key(key)
        if aid is None:
            name = text_.replace("[ロゴ]", "").strip()[:200] or text_[:200]
            oid = self.s.scalar(select(Organization.id).where(Organization.name == name))
            if oid is None:
                oid = self.s.execute(
                    insert(Organization).values(name=name, kind="other").returning(Organization.id)
                ).scalar_one()
                self.ctx.summary.count("organizations_created")
            aid = self.s.execute(
                insert(OrgAlias).values(organization_id=oid, text=text_[:200], match_key=key).returning(OrgAlias.id)
            ).scalar_one()
            self.org_alias_ids[key] = aid
        return aid

    def org_id(self, text_: str) -> int:
        aid = self.org_alias(text_)
        return self.s.scalar(select(OrgAlias.organization_id).where(OrgAlias.id == aid))

    def person_alias(self, text_: str) -> int:
        key = person_key(text_)
        if key not in self.person_aliases:
            rows = self.s.execute(
                select(PersonAlias.id, PersonAlias.person_id, PersonAlias.text).where(PersonAlias.match_key == key)
            ).all()
            self.person_aliases[key] = [tuple(r) for r in rows]
        rows = self.person_aliases[key]
        people = {pid for _, pid, _ in rows if pid is not None}
        # Link only on an unambiguous match; otherwise the name stays an unlinked alias for a human to resolve.
        owner = next(iter(people)) if len(people) == 1 else None
        for aid, pid, t in rows:
            if pid == owner and t == text_[:200]:
                return aid
        aid = self.s.execute(
            insert(PersonAlias)
            .values(
                person_id=owner,
                text=text_[:200],
                kind="real_name" if owner is None else "variant_spelling",
                match_key=key,
                public=True,
                source=f"import:{self.ctx.batch.filename}"[:100],
            )
            .returning(PersonAlias.id)
        ).scalar_one()
        rows.append((aid, owner, text_[:200]))
        self.ctx.summary.count("person_aliases_linked" if owner else "person_aliases_unlinked")
        return aid

    # rows

    def production(self, pc: ParsedCredit, info: madb.MadbRecord | None) -> int:
        if info is not None:
            pid = self.ctx.productions.get(f"madb:{info.ref}")
            if pid is None:
                pid = self.s.scalar(select(Production.id).where(Production.external_ref == info.ref))
                if pid is None:
                    title = info.title[:300]
                    if self.s.scalar(select(Production.id).where(Production.title == title)) is not None:
                        title = f"{info.title} [MADB {info.ref}]"[:300]
                    start = None
                    try:
                        start = dt.date.fromisoformat(info.start_date) if info.start_date else None
                    except ValueError:
                        start = None
                    pid = self.s.execute(
                        insert(Production)
                        .values(title=title, kind=info.kind, external_ref=info.ref, start_date=start)
                        .returning(Production.id)
                    ).scalar_one()
                    self.ctx.summary.count("productions_created")
                self.ctx.productions[f"madb:{info.ref}"] = pid
            return pid
        return self.ctx.production_id(pc.production, create=True)

    def write(self, item: Item, info: madb.MadbRecord | None = None) -> None:
        ctx = self.ctx
        ctx.row()
        pc = item.value
        if isinstance(pc, RowError):
            ctx.reject(item.line, item.raw, pc)
            return
        raw = item.raw or f"[{pc.role_as_credited}]{pc.name_as_credited}{pc.parenthetical or ''}"
        try:
            pid = self.production(pc, info)
            if pc.kind == "note":
                self._note(pid, pc)
                return
            if not pc.name_as_credited.strip() or not person_key(pc.name_as_credited):
                raise RowError(
                    "empty_name",
                    f"role {pc.role_as_credited!r} has no name under it",
                    column="name",
                    value=pc.name_as_credited,
                )
            self._credit(pid, pc, raw)
        except RowError as exc:
            ctx.reject(item.line, raw, exc)

    def _note(self, production_id: int, pc: ParsedCredit) -> None:
        t = CreditNote.__table__
        exists = self.s.scalar(
            select(t.c.id)
            .where(
                t.c.production_id == production_id,
                t.c.kind == pc.role_as_credited[:60],
                t.c.text == pc.name_as_credited,
                t.c.source_ref == pc.source_ref,
            )
            .limit(1)
        )
        if exists:
            self._seen(pc, exists in self.batch_notes)
            return
        nid = self.s.execute(
            insert(t)
            .values(
                production_id=production_id,
                kind=pc.role_as_credited[:60] or "note",
                text=pc.name_as_credited,
                source=pc.source,
                source_ref=pc.source_ref,
                batch_id=self.ctx.batch.id,
            )
            .returning(t.c.id)
        ).scalar_one()
        self.batch_notes.add(nid)
        self.ctx.summary.imported += 1
        self.ctx.summary.count("notes")

    def _credit(self, production_id: int, pc: ParsedCredit, raw: str) -> None:
        ctx = self.ctx
        if production_id not in self.hashes:
            self.hashes[production_id] = set(
                self.s.scalars(select(CreditLine.content_hash).where(CreditLine.production_id == production_id))
            )
        h = _digest(
            (
                production_id,
                pc.source,
                pc.source_ref,
                pc.block,
                pc.line_order,
                pc.position_in_line,
                pc.role_as_credited,
                pc.name_as_credited,
                pc.episode_scope,
                pc.parenthetical,
                pc.is_logo,
            ),
            32,
        )
        if h in self.hashes[production_id]:
            self._seen(pc, h in self.batch_hashes)
            return
        role = ctx.roles_by_code.get(pc.role_code) if pc.role_code else None
        is_org = (
            pc.is_organization
            or pc.is_logo
            or (pc.is_organization is None and self._org_by_key(org_key(pc.name_as_credited) or "\x00") is not None)
        )
        if is_org is None:
            is_org = looks_like_org(pc.name_as_credited)
        notes = [pc.note] if pc.note else []
        via_org = None
        if pc.parenthetical:
            kind = pc.parenthetical_kind or classify_parenthetical(pc.parenthetical)
            notes.append(f"parenthetical ({kind}): {pc.parenthetical}")
            if kind == "affiliation":
                via_org = self.org_id(strip_brackets(pc.parenthetical))
        line = {
            "production_id": production_id,
            "episode_scope": (pc.episode_scope or None) and pc.episode_scope[:100],
            "episode_from": pc.episode_from,
            "episode_to": pc.episode_to,
            "role_as_credited": pc.role_as_credited[:200],
            "role_id": role[0] if role else None,
            "role_person_only": role[1] if role else None,
            "name_as_credited": pc.name_as_credited[:300],
            "person_alias_id": None,
            "org_alias_id": None,
            "via_org_id": via_org,
            "individuals_uncredited": False,
            "uncredited_reason": None,
            "block": pc.block,
            "line_order": pc.line_order,
            "position_in_line": pc.position_in_line,
            "source": pc.source,
            "source_ref": pc.source_ref,
            "source_line_id": (pc.source_line_id or None) and pc.source_line_id[:100],
            "note": "; ".join(notes) or None,
            "batch_id": ctx.batch.id,
            "content_hash": h,
        }
        if is_org:
            line["org_alias_id"] = self.org_alias(pc.name_as_credited)
            if role and role[1]:
                # Stored as published; the credit validator reports the missing individual names.
                line["individuals_uncredited"] = True
                line["uncredited_reason"] = "an organization is credited in a person-only role (as published)"
            ctx.summary.count("credits_to_organizations")
        else:
            line["person_alias_id"] = self.person_alias(pc.name_as_credited)
        self.pending.append(line)
        self.hashes[production_id].add(h)
        self.batch_hashes.add(h)
        ctx.summary.imported += 1
        ctx.summary.count("credit_lines")
        if len(self.pending) >= 1000:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.s.execute(insert(CreditLine.__table__), self.pending)
            self.pending = []
        self.ctx.flush_side_rows()


def credit_items(path: Path, fmt: str, production: str | None) -> Iterator[tuple[Item, madb.MadbRecord | None]]:
    if fmt == "madb":
        records, _ = madb.load(path)
        for rec in records:
            for pc in madb.record_credits(rec):
                raw = f"{rec.ref} [{pc.role_as_credited}]{pc.name_as_credited}{pc.parenthetical or ''}"
                yield Item(pc.line, raw, pc), rec
    elif fmt == "credit_text":
        title = production or path.stem
        for pc in parse_roll_lines(text_lines(path), production=title, source_ref=path.name):
            yield Item(pc.line, f"{pc.role_as_credited}: {pc.name_as_credited}", pc), None
    elif fmt == "canonical_credits":
        order = 0
        for item in mapped(path, lambda r: r):
            if isinstance(item.value, RowError):
                yield item, None
                continue
            order += 1
            try:
                parts = canonical.credit(item.value, production=production, order=order, source_ref=path.name)
            except RowError as exc:
                yield Item(item.line, item.raw, exc), None
                continue
            for pc in parts:  # a combined role: one credit (and one counted row) per role
                yield Item(item.line, item.raw, pc), None
    else:
        raise ImportFailed(f"{path.name}: format {fmt} does not hold credits")


def write_credits(ctx: Context, path: Path) -> None:
    w = CreditWriter(ctx, ctx.fmt)
    records: set[str] = set()
    for item, rec in credit_items(path, ctx.fmt, ctx.production_override):
        if rec is not None:
            records.add(rec.ref)
        w.write(item, rec)
    w.flush()
    if ctx.fmt == "madb":
        ctx.summary.details["records_with_credits"] = len(records)


# ---------------------------------------------------------------------------------------------------------------
# The entry point


def _begin(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        raise ImportFailed("the session has unsaved changes; commit or discard them before importing")
    session.rollback()  # start from a fresh transaction: an import owns its transaction
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY})


def _widen_sqlite_cache(session: Session) -> Callable[[], None]:
    """Give the importing SQLite connection a 64 MB page cache for the import and return the undo.

    Every new row goes into the unique ``source_key`` index and three others, in no particular order (rows without
    a source id have hashed keys); with SQLite's default 2 MB cache many of those inserts re-read index pages.
    The setting belongs to the connection, so it is put back when the import ends (the connection returns to a
    pool that other sessions share)."""
    if session.get_bind().dialect.name != "sqlite":
        return lambda: None
    dbapi = session.connection().connection.dbapi_connection
    old = dbapi.execute("PRAGMA cache_size").fetchone()[0]
    dbapi.execute(f"PRAGMA cache_size=-{SQLITE_IMPORT_CACHE_KIB}")

    def undo() -> None:
        with contextlib.suppress(sqlite3.Error):  # a closed connection has no cache to shrink
            dbapi.execute(f"PRAGMA cache_size={int(old)}")

    return undo


def import_file(
    path: str | Path,
    *,
    session: Session,
    format: str | None = None,  # noqa: A002 - the documented keyword
    production: str | None = None,
    dry_run: bool = False,
    create_people: bool = False,
    actor: str = "cli",
    progress: Progress | None = None,
) -> ImportSummary:
    """Import one file in one transaction and return what happened to every row.

    The function owns the session's transaction: it commits on success, rolls back on a dry run or on any error
    (then records a failed ImportBatch and raises :class:`ImportFailed`). ``progress(rows_done, rows_expected)``
    is called every few thousand rows; ``rows_expected`` is an estimate from the file's line count (or None).
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file")
    fmt = format or detect(path)
    if fmt not in FORMATS:
        raise ImportFailed(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    kind = FORMATS[fmt].kind
    summary = ImportSummary(format=fmt, filename=path.name, dry_run=dry_run)
    if fmt == "credit_text" and not production:
        raise ImportFailed(f"{path.name}: credit-roll text names no production; pass --production TITLE")
    total_hint = None if fmt == "madb" or path.suffix.lower() == ".xlsx" else max(count_lines(path) - 1, 0)
    _begin(session)
    restore_cache = _widen_sqlite_cache(session)
    try:
        return _import(
            path,
            session=session,
            fmt=fmt,
            kind=kind,
            summary=summary,
            production=production,
            dry_run=dry_run,
            create_people=create_people,
            actor=actor,
            progress=progress,
            total_hint=total_hint,
        )
    finally:
        restore_cache()


def _import(
    path: Path,
    *,
    session: Session,
    fmt: str,
    kind: str,
    summary: ImportSummary,
    production: str | None,
    dry_run: bool,
    create_people: bool,
    actor: str,
    progress: Progress | None,
    total_hint: int | None,
) -> ImportSummary:
    try:
        batch = ImportBatch(
            filename=path.name[:500], format=fmt, file_sha256=_file_sha256(path), status="running", actor=actor[:200]
        )
        session.add(batch)
        session.flush()
        ctx = Context(
            session,
            batch,
            summary,
            fmt=fmt,
            production=production,
            create_people=create_people,
            actor=actor,
            progress=progress,
            total_hint=total_hint,
        )
        if production:
            batch.production_id = ctx.production_id(production)
        if kind == "work_log":
            write_work_logs(ctx, work_items(path, fmt, ctx.tz, summary))
        elif kind == "pay_item":
            write_pay_items(ctx, mapped(path, canonical.pay_item))
        elif kind == "ai_usage":
            write_ai_usage(ctx, mapped(path, lambda r: canonical.ai_usage(r, ctx.tz)))
        elif kind == "person":
            write_people(ctx, mapped(path, canonical.person))
        elif kind == "employment":
            places = Places.of(session)
            write_employments(ctx, mapped(path, lambda r: canonical.employment(r, places)))
        elif kind == "labor_agreement":
            write_labor_agreements(ctx, mapped(path, canonical.labor_agreement))
        elif kind == "annual_leave":
            write_annual_leave(ctx, mapped(path, canonical.annual_leave))
        else:
            write_credits(ctx, path)
        if ctx.touched_people:
            # Employment imports touch people without dates (None, None): their whole history is refreshed.
            rollup.refresh(session, person_ids=sorted(ctx.touched_people), start=ctx.touched_from, end=ctx.touched_to)
        summary.review_queue = ctx.matcher.reviews
        if ctx.matcher.created:
            summary.details["people_created"] = ctx.matcher.created
        if not summary.balanced:
            raise ImportFailed(f"{path.name}: internal accounting error, {summary}")  # never commit a lost row
        batch.status = "dry_run" if dry_run else "committed"
        batch.finished_at = utcnow()
        batch.rows_total, batch.rows_imported, batch.rows_updated = (
            summary.rows_total,
            summary.imported,
            summary.updated,
        )
        batch.rows_unchanged, batch.rows_rejected = summary.unchanged, summary.rejected
        batch.summary = {
            "rejected_by_reason": summary.rejected_by_reason,
            "details": summary.details,
            "review_queue": summary.review_queue,
        }
        session.add(
            AuditEvent(
                actor=actor[:200],
                action="import",
                entity_type="import_batch",
                entity_id=str(batch.id),
                new_values={"file": path.name, "format": fmt, "rows": summary.rows_total},
            )
        )
        if dry_run:
            session.rollback()
        else:
            session.commit()
            summary.batch_id = batch.id
    except ImportFailed as exc:
        session.rollback()
        _record_failure(session, path, fmt, actor, str(exc))
        raise
    except (SQLAlchemyError, OSError, ValueError, RowError) as exc:
        session.rollback()
        hint = " (the database is busy or unreachable)" if isinstance(exc, OperationalError) else ""
        msg = f"{path.name}: import failed{hint}, nothing was written: {exc}"
        _record_failure(session, path, fmt, actor, msg)
        raise ImportFailed(msg) from exc
    except BaseException:
        session.rollback()
        raise
    if progress:
        progress(summary.rows_total, summary.rows_total)
    return summary


def _record_failure(session: Session, path: Path, fmt: str, actor: str, message: str) -> None:
    try:
        session.add(
            ImportBatch(
                filename=path.name[:500],
                format=fmt,
                file_sha256=_file_sha256(path),
                status="failed",
                actor=actor[:200],
                finished_at=utcnow(),
                summary={"error": message[:2000]},
            )
        )
        session.commit()
    except SQLAlchemyError:
        session.rollback()  # the failure itself is reported by the exception; a missing log row is secondary


def rejected_rows_csv(session: Session, batch_id: int) -> bytes:
    """The rejected rows of a batch as CSV (UTF-8 with BOM, so spreadsheet apps read the Japanese text)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["line", "column", "value", "reason_code", "reason", "raw"])
    q = (
        select(
            RejectedRow.line,
            RejectedRow.column,
            RejectedRow.value,
            RejectedRow.reason_code,
            RejectedRow.reason,
            RejectedRow.raw,
        )
        .where(RejectedRow.batch_id == batch_id)
        .order_by(RejectedRow.line, RejectedRow.id)
    )
    for row in session.execute(q):
        w.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def parse_credits(
    path: str | Path,
    format: str | None = None,
    *,  # noqa: A002
    production: str | None = None,
) -> Iterator[ParsedCredit]:
    """Every credit and note in a credit file (MADB JSON-LD, credit-roll text, canonical credits CSV/XLSX).

    Nothing is written. Rows that cannot be read at all (a blank line, a malformed canonical row) are skipped here;
    :func:`import_file` reports them as rejected rows.
    """
    path = Path(path)
    fmt = format or detect(path)
    if FORMATS.get(fmt) is None or FORMATS[fmt].kind != "credit":
        raise ImportFailed(f"{path.name}: format {fmt} does not hold credits")
    for item, _rec in credit_items(path, fmt, production):
        if isinstance(item.value, ParsedCredit):
            yield item.value
