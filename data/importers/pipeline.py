"""One import = one transaction: rows in, every row accounted for, nothing written twice.

The machinery around a format (:class:`data.importers.registry.Format`): find the format, open the import batch,
read the reference data the format asks for once (``prepare``), hand its rows (``read``) to its writer (``write``),
drop what it created for rows it did not write (:mod:`data.importers.cleanup`), remember the project names mapped
onto productions, refresh the rollups of what changed, check that every row ended imported, updated, unchanged or
rejected, and commit, or roll back and record the failure. It knows no format by name.

Each row ends imported, updated, unchanged or rejected (a RejectedRow with line, column, value, reason and the raw
text). Imports are serialized per database (a PostgreSQL advisory lock; SQLite's single writer), so two overlapping
imports running at once cannot both insert the same entry.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from data import rollup, settings, tabular
from data.errors import DataError
from data.i18n import N_
from data.importers import encodings
from data.importers import units as u
from data.importers.cleanup import discard_unused
from data.importers.context import ImportContext, Progress
from data.importers.errors import ImportFailed, UnknownFormat
from data.importers.reading import count_lines, is_xlsx
from data.importers.registry import Format, Source, detect, get
from data.importers.report import ImportSummary
from data.schema import AuditEvent, ImportBatch, ImportWarning, RejectedRow, utcnow

ADVISORY_LOCK_KEY = 0x456E64726F6C6C  # "Endroll": one importer at a time per database
SQLITE_IMPORT_CACHE_KIB = 65536  # page cache of the importing connection (SQLite's default is 2 MB)
IMPORT_GC_THRESHOLD = 500_000  # allocations between the collector's youngest-generation passes during an import
PRODUCTION_FIX = {
    "cli": N_("pass --production TITLE"),
    "page": N_("type the production's title in Production, next to Format, and import again"),
}


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _begin(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        raise ImportFailed(
            N_("the session has unsaved changes"),
            fix=N_("commit or discard them before importing"),
        )
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


_gc_lock = threading.Lock()
_gc_state: dict[str, Any] = {"imports": 0, "threshold": None}


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while an import runs, and put its setting back after.

    An import allocates a few objects per row and keeps many of them for a while (the day checks' entries, the
    memos of parsed cells): with the default threshold of 700 the collector walks them again and again, a quarter
    of a large import's CPU time. Each pass walks what is alive among the young objects, mostly the chunk being
    written (rows' dicts and tuples), whatever the threshold, so passes every 500,000 allocations (a few chunks
    apart) instead of every 50,000 (about one a chunk) cost far less: at 200,000 rows the collector's time fell
    from 0.55 s to 0.3 s. Reference counting still frees almost everything at once; only cycles wait a
    little longer, and collection never stops. The threshold is the process's: imports running at once (the
    app's threads) count themselves, and the last one to end puts back the setting found by the first."""
    with _gc_lock:
        if _gc_state["imports"] == 0:
            _gc_state["threshold"] = gc.get_threshold()
            old = _gc_state["threshold"]
            gc.set_threshold(max(old[0], IMPORT_GC_THRESHOLD), *old[1:])
        _gc_state["imports"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["imports"] -= 1
            if _gc_state["imports"] == 0:
                gc.set_threshold(*_gc_state["threshold"])


def import_file(
    session: Session,
    *,
    path: str | Path,
    format: str | None = None,
    production: str | None = None,
    dry_run: bool = False,
    create_people: bool = False,
    actor: str = "cli",
    progress: Progress | None = None,
    encoding: str | None = None,
    project_map: dict[str, str | int | None] | None = None,
    create_productions: bool = False,
    years: tuple[int, int] = u.YEARS_DEFAULT,
    bots: dict[str, str | None] | None = None,
    note: str | None = None,
) -> ImportSummary:
    """Import one file in one transaction and return what happened to every row.

    ``format`` names the format (default: detected from the header); ``production`` is the production every row goes
    to (created if new and a row is imported). ``project_map`` maps a file's project names to productions (a
    title, created if new, or a production's id; ``None``: leave the project out), ``create_productions`` creates a production for every other unknown project
    (see :class:`data.importers.lookups.References`). ``encoding`` names the file's text encoding (default: detected
    on the whole file); ``years`` are the first and last year a date may fall in; ``bots`` names AI agents whose
    logged time is AI usage, each with the person who ran it (None: unknown; see :class:`data.importers.kinds.kitsu.Bots`). The function owns the session's
    transaction: it commits on success, rolls back on a dry run or on any error (then records a failed ImportBatch
    and raises :class:`ImportFailed`). ``progress(rows_done, rows_expected)`` is called every few thousand rows;
    ``rows_expected`` is an estimate from the file's line count (or None). ``actor`` is who runs it as the caller
    established it (an account, or ``cli:<shell user>``); ``note`` is free text from whoever ran it, kept with the
    batch and its audit event as a note, never as the actor.
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFailed(N_("{file}: no such file"), fix=N_("check the file's path"), file=str(path))
    if years[0] > years[1]:
        raise ImportFailed(N_("the years {first}–{last} are in the wrong order"), fix=N_("give the first year first"),
                           first=years[0], last=years[1])  # fmt: skip
    with encodings.using(path, encoding), u.accepting_years(*years), _fewer_collections():
        return _import_file(
            session,
            path=path,
            format=format,
            production=production,
            dry_run=dry_run,
            create_people=create_people,
            actor=actor,
            progress=progress,
            project_map=project_map,
            create_productions=create_productions,
            bots=bots,
            note=note,
        )


def _import_file(
    session: Session,
    *,
    path: Path,
    format: str | None,
    production: str | None,
    dry_run: bool,
    create_people: bool,
    actor: str,
    progress: Progress | None,
    project_map: dict[str, str | int | None] | None,
    create_productions: bool,
    bots: dict[str, str | None] | None,
    note: str | None,
) -> ImportSummary:
    try:
        fmt = get(format or detect(path))
        if not format and not is_xlsx(path) and "json" not in fmt.files:
            encodings.encoding_of(path)  # the whole file decodes, or the import fails before a row is written
    except UnknownFormat:
        raise
    except ImportFailed as exc:
        # A file that cannot be read as text at all is a failed import, recorded like one that fails later.
        _begin(session)
        _record_failure(session, path=path, fmt=(format or "unknown")[:40], actor=actor, message=str(exc))
        raise
    if fmt.needs_production and not production:
        raise ImportFailed(
            N_("{file}: {label} names no production"), fix=PRODUCTION_FIX, file=path.name, label=fmt.label.lower()
        )
    summary = ImportSummary(format=fmt.name, filename=path.name, dry_run=dry_run)
    lines_are_rows = "json" not in fmt.files and not is_xlsx(path)
    total_hint = max(count_lines(path) - 1, 0) if lines_are_rows else None
    _begin(session)
    restore_cache = _widen_sqlite_cache(session)
    try:
        return _import(
            session,
            path=path,
            fmt=fmt,
            summary=summary,
            production=production,
            dry_run=dry_run,
            create_people=create_people,
            actor=actor,
            progress=progress,
            total_hint=total_hint,
            note=note,
            project_map=project_map,
            create_productions=create_productions,
            bots=bots,
        )
    finally:
        restore_cache()


def _import(
    session: Session,
    *,
    path: Path,
    fmt: Format,
    summary: ImportSummary,
    production: str | None,
    dry_run: bool,
    create_people: bool,
    actor: str,
    progress: Progress | None,
    total_hint: int | None,
    note: str | None = None,
    project_map: dict[str, str | int | None] | None,
    create_productions: bool,
    bots: dict[str, str | None] | None,
) -> ImportSummary:
    try:
        batch = ImportBatch(
            filename=path.name[:500],
            format=fmt.name,
            file_sha256=_file_sha256(path),
            status="running",
            actor=actor[:200],
        )
        session.add(batch)
        session.flush()
        tz = ZoneInfo(settings.get("timezone", session))
        ctx = ImportContext(
            session,
            batch=batch,
            summary=summary,
            fmt=fmt.name,
            tz=tz,
            production=production,
            create_people=create_people,
            actor=actor,
            progress=progress,
            total_hint=total_hint,
            project_map=project_map,
            create_productions=create_productions,
            bots=bots,
        )
        if production:
            batch.production_id = ctx.refs.production_id(production)
        source = Source(
            path,
            tz=tz,
            production=production,
            prepared=fmt.prepare(session) if fmt.prepare is not None else None,
            details=summary.details,
        )
        fmt.write(session, ctx=ctx, items=fmt.read(source))
        discard_unused(session, ctx=ctx)
        ctx.refs.remember_aliases(batch_id=batch.id)
        ctx.flush_side_rows()
        if ctx.touched_people:
            # Employment imports touch people without dates (None, None): their whole history is refreshed.
            rollup.refresh(session, person_ids=sorted(ctx.touched_people), start=ctx.touched_from, end=ctx.touched_to)
        summary.review_queue = ctx.matcher.reviews
        if ctx.matcher.created:
            summary.details["people_created"] = ctx.matcher.created
        if not summary.balanced:  # never commit a lost row
            raise ImportFailed(N_("{file}: internal accounting error, {summary}"), file=path.name, summary=str(summary))
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
            "warnings_by_reason": summary.warnings_by_reason,
            "details": summary.details,
            "review_queue": summary.review_queue,
            **({"note": note[:500]} if note else {}),
            "unknown_projects": dict(sorted(summary.unknown_projects.items())[:500]),
        }
        session.add(
            AuditEvent(
                actor=actor[:200],
                action="import",
                entity_type="import_batch",
                entity_id=str(batch.id),
                new_values={
                    "file": path.name,
                    "format": fmt.name,
                    "rows": summary.rows_total,
                    **({"note": note[:500]} if note else {}),
                },
            )
        )
        if dry_run:
            session.rollback()
        else:
            session.commit()
            summary.batch_id = batch.id
    except ImportFailed as exc:
        session.rollback()
        _record_failure(session, path=path, fmt=fmt.name, actor=actor, message=str(exc))
        raise
    except (SQLAlchemyError, OSError, ValueError, ArithmeticError, DataError) as exc:
        # What a hostile or broken file can still raise past the row checks (a number too large for the database,
        # a stream that ends mid-record) is recorded as a failed batch and reported in words; any other exception
        # is a bug and is raised as one.
        session.rollback()
        failed = ImportFailed.of(exc, file=path.name)
        _record_failure(session, path=path, fmt=fmt.name, actor=actor, message=str(failed))
        raise failed from exc
    except BaseException:
        session.rollback()
        raise
    if progress:
        progress(summary.rows_total, summary.rows_total)
    return summary


def _record_failure(session: Session, *, path: Path, fmt: str, actor: str, message: str) -> None:
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


def warnings_csv(session: Session, *, batch_id: int) -> bytes:
    """The warnings of a batch (rows imported by a documented rule a person should check) as CSV, UTF-8 with BOM:
    columns line, column, value, reason_code, reason, raw, in file order."""
    return _rows_csv(session, table=ImportWarning, batch_id=batch_id)


def rejected_rows_csv(session: Session, *, batch_id: int) -> bytes:
    """The rejected rows of a batch as CSV (UTF-8 with BOM, so spreadsheet apps read the Japanese text): columns
    line, column, value, reason_code, reason, raw, in file order."""
    return _rows_csv(session, table=RejectedRow, batch_id=batch_id)


def _rows_csv(session: Session, *, table: type[RejectedRow] | type[ImportWarning], batch_id: int) -> bytes:
    q = (
        select(table.line, table.column, table.value, table.reason_code, table.reason, table.raw)
        .where(table.batch_id == batch_id)
        .order_by(table.line, table.id)
    )
    header = ["line", "column", "value", "reason_code", "reason", "raw"]
    return (tabular.UTF8_BOM + tabular.csv_text(header, session.execute(q))).encode("utf-8")
