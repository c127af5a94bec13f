"""Engines, sessions and migration on start.

``DATABASE_URL`` selects the database; unset, Endroll uses an embedded SQLite file (WAL, foreign keys on).
Every entry point calls :func:`get_engine`, which migrates the schema to the latest revision before use.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Connection,
    Delete,
    Engine,
    Select,
    TextualSelect,
    Update,
    create_engine,
    event,
    inspect,
)
from sqlalchemy.dialects.postgresql.dml import OnConflictDoUpdate as _PgUpsert
from sqlalchemy.dialects.sqlite.dml import OnConflictDoUpdate as _SqliteUpsert
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.expression import TableClause

from data import settings
from data.errors import DataError
from data.i18n import N_
from data.snapshots import NONE, STUDIO, WriteEffects

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


class DatabaseError(DataError):
    """The database cannot be reached or migrated; the message says what to check."""

    FIX = {
        "cli": "check --database-url (or DATABASE_URL) and that the database server is running",
        "page": "check DATABASE_URL (see README, Settings) and that the database server is running",
    }


def default_sqlite_url() -> str:
    """The embedded database: ENDROLL_HOME/endroll.sqlite3."""
    return f"sqlite:///{settings.home() / 'endroll.sqlite3'}"


def database_url() -> str:
    """DATABASE_URL, else the embedded SQLite database (its folder made, private to its owner)."""
    url = settings.get("database_url")
    if url:
        return url
    private_folder(settings.home())
    return default_sqlite_url()


def private_folder(path: Path) -> Path:
    """``path`` as a folder only its owner may enter (0700), made if missing; returns it."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def _private_sqlite_file(url: str) -> None:
    # The database holds pay and password hashes: create it readable by its owner only (0600). SQLite gives its
    # -wal and -shm files the database file's permissions. A database in Endroll's own folder that an older version
    # created world-readable is tightened too; a file elsewhere that already exists is the owner's business.
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    elif path.resolve().parent == settings.home().resolve():
        for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if file.exists():
                file.chmod(0o600)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the dashboard read while an import writes; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_savepoint(connection: Connection, _name: Any) -> None:
    # Python's sqlite3 module begins a transaction only before its first INSERT/UPDATE/DELETE. A SAVEPOINT issued
    # before that opens a transaction of its own, and releasing it would commit everything (a half-written
    # import). Begin the real transaction first; IMMEDIATE takes the write lock now (waiting out busy_timeout)
    # rather than failing later on a stale read snapshot when another writer got there first.
    if not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


# Write tracking. Each statement's table comes from the statement object SQLAlchemy compiled (Insert, Update and Delete
# carry ``.table``, whether Core or the ORM's flush built them); what a write to it does to the findings snapshot comes
# from the declarations of the derived data (data.snapshots.FINDINGS_SNAPSHOT, data.rollup.reads.ROLLUPS). Raw SQL
# names its table with ``execution_options=raw_write(table)``; raw SQL that does not, and that changed rows, counts as
# studio-wide.
_WROTE, _GLOBAL, _UNTRACKED, _PROBE, _WRITES, _CREDITS, _RELEASE = (
    "endroll_wrote",
    "endroll_wrote_global",
    "endroll_untracked",
    "endroll_probe",
    "endroll_writes",
    "endroll_wrote_credits",
    "endroll_wrote_release",
)
# A transaction's credit-check writes said to concern given productions only (about_productions): the scope declared
# (with the transaction it was declared in) and the productions its writes named.
_CREDIT_SCOPE, _CREDITS_SCOPED, _DUE = "endroll_credit_scope", "endroll_wrote_credits_scoped", "endroll_credit_due"
_UPSERTS = (_PgUpsert, _SqliteUpsert)  # INSERT … ON CONFLICT DO UPDATE changes rows that were there
_WRITE_TAGS = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE", "COPY", "TRUNCATE"})  # PostgreSQL command tags


@cache
def write_effects() -> WriteEffects:
    """What a write to each table does to the findings snapshot, from the declarations."""
    from data.rollup.reads import ROLLUPS  # here: data.rollup reaches the engine's neighbours at import
    from data.schema import Base
    from data.snapshots import FINDINGS_SNAPSHOT

    return WriteEffects(FINDINGS_SNAPSHOT, built_on=(ROLLUPS,), metadata=Base.metadata)


@cache
def credit_effects() -> WriteEffects:
    """What a write to each table does to the stored credit checks, from their declaration."""
    from data.schema import Base
    from data.snapshots import CREDIT_CHECKS

    return WriteEffects(CREDIT_CHECKS, built_on=(), metadata=Base.metadata)


@cache
def release_effects() -> WriteEffects:
    """What a write to each table does to the stored advocates' release, from its declaration (and the rollups')."""
    from data.rollup.reads import ROLLUPS
    from data.schema import Base
    from data.snapshots import RELEASE

    return WriteEffects(RELEASE, built_on=(ROLLUPS,), metadata=Base.metadata)


def raw_write(table: Any, verb: str = "insert") -> dict[str, Any]:
    """Execution options for raw SQL (``exec_driver_sql``) that writes ``table`` (a Table or its name): without them
    its writes count as studio-wide. ``verb``: ``insert``, ``update`` or ``delete`` (anything that may remove rows)."""
    return {_WRITES: (getattr(table, "name", table), verb)}


def _verb(statement: UpdateBase) -> str:
    if isinstance(statement, Delete):
        return "delete"
    if isinstance(statement, Update):
        return "update"
    if getattr(statement, "_prefixes", ()):
        return "delete"  # INSERT OR REPLACE deletes the rows it replaces
    return "update" if isinstance(getattr(statement, "_post_values_clause", None), _UPSERTS) else "insert"


def _dml_writes(compiled: Any) -> list[tuple[str, str]] | None:
    """The (table, verb) pairs a compiled statement writes (its own and its CTEs'), or None for a write whose table
    the statement does not carry."""
    statements = [compiled.statement, *(cte.element for cte in getattr(compiled, "ctes", None) or ())]
    writes = []
    for statement in statements:
        if isinstance(statement, UpdateBase):
            table = getattr(statement, "table", None)
            if not isinstance(table, TableClause):
                return None
            writes.append((table.name, _verb(statement)))
    return writes


def about_productions(session: Session, production_ids: Iterable[int]) -> None:
    """Say that what this transaction writes from now on changes the stored credit checks of ``production_ids``
    only: its commit then moves those productions' own versions on (``credit_check_due``) instead of the studio-wide
    ``credits_version``, and the background worker checks only them again. For writes that know every production
    they change (a fix of one credit line: its production, and every production of a person it links to a new
    alias); a write made before the call, raw SQL that names no table, and a database without ``credit_check_due``
    still count for every production."""
    conn = session.connection()
    scope = conn.info.get(_CREDIT_SCOPE)
    transaction = conn.get_transaction()
    productions = {int(p) for p in production_ids}
    if scope is not None and scope[0] is transaction:
        productions |= scope[1]
    conn.info[_CREDIT_SCOPE] = (transaction, productions)


def _record(conn: Connection, effect: int, credits: int, release: int, *, known: bool = True) -> None:
    if release != NONE:
        conn.info[_RELEASE] = True
    if credits != NONE:
        scope = conn.info.get(_CREDIT_SCOPE) if known else None
        # A scope declared in an earlier transaction on this pooled connection says nothing about this one.
        if scope is not None and scope[0] is conn.get_transaction():
            conn.info.setdefault(_CREDITS_SCOPED, set()).update(scope[1])
        else:
            conn.info[_CREDITS] = True
    if effect != NONE:
        conn.info[_WROTE] = True
        if effect == STUDIO:
            conn.info[_GLOBAL] = True


def _note_write(
    conn: Connection, cursor: Any, _statement: Any, _parameters: Any, context: Any, _executemany: bool
) -> None:
    conn.info.pop(_PROBE, None)
    if conn.info.get(_UNTRACKED) or (conn.info.get(_GLOBAL) and conn.info.get(_CREDITS) and conn.info.get(_RELEASE)):
        return
    declared = context.execution_options.get(_WRITES) if context is not None else None
    if declared is not None:
        _record(conn, write_effects().of(*declared), credit_effects().of(*declared), release_effects().of(*declared))
        return
    compiled = getattr(context, "compiled", None)
    if compiled is not None and isinstance(compiled.statement, (UpdateBase, Select, CompoundSelect, TextualSelect)):
        writes = _dml_writes(compiled)
        if writes is not None:
            for table, verb in writes:
                _record(conn, write_effects().of(table, verb), credit_effects().of(table, verb),
                        release_effects().of(table, verb))  # fmt: skip
            return
    # Text SQL or a statement without a table: whether it wrote anything is asked of the database afterwards.
    if conn.dialect.name == "sqlite":
        conn.info[_PROBE] = cursor.connection.total_changes
    elif hasattr(cursor, "statusmessage"):
        conn.info[_PROBE] = -1
    else:
        _record(conn, STUDIO, STUDIO, STUDIO, known=False)


def _check_probe(
    conn: Connection, cursor: Any, _statement: Any, _parameters: Any, _context: Any, _executemany: bool
) -> None:
    before = conn.info.pop(_PROBE, None)
    if before is None:
        return
    if conn.dialect.name == "sqlite":
        wrote = cursor.connection.total_changes > before
    else:
        # The server's command tag says what ran; rowcount how many rows it changed (-1: not known, so counted).
        wrote = (cursor.statusmessage or "").split(" ", 1)[0].upper() in _WRITE_TAGS and cursor.rowcount != 0
    if wrote:
        _record(conn, STUDIO, STUDIO, STUDIO, known=False)


def _bump_version(conn: Connection) -> None:
    # Called just before the transaction commits, on its own DB-API connection: the new version becomes visible
    # together with the writes, and a rolled-back transaction leaves it alone.
    # stale_since: the first such write since the last complete snapshot, for the background worker and the pages'
    # "recomputing since" (data.derived); kept as it is by later writes until the worker clears it.
    # The credit checks (credits_version, credits_stale_since, revision 0027) keep a version of their own: their
    # inputs (credits, aliases, the labor records per production) differ from the findings'.
    # The credit checks of given productions (revision 0032): their own versions in credit_check_due, when every
    # credit-check write of the transaction was about them; any other makes every production's check stale.
    wrote, wrote_global = conn.info.pop(_WROTE, False), conn.info.pop(_GLOBAL, False)
    level = _STALE_COLUMN.get(conn.engine)
    wrote_credits = conn.info.pop(_CREDITS, False) and level in (_CREDITS, _DUE)
    scoped = conn.info.pop(_CREDITS_SCOPED, None)
    conn.info.pop(_CREDIT_SCOPE, None)
    if scoped and level == _CREDITS:  # no per-production versions on this database: every production, as before
        wrote_credits = True
    scoped = None if wrote_credits or level != _DUE else scoped
    # The advocates' release (release_version, revision 0034): a version of its own, without a stale marker (the
    # worker compares the stored release's version with it).
    wrote_release = conn.info.pop(_RELEASE, False) and _RELEASE_COLUMN.get(conn.engine, False)
    if wrote or wrote_credits or scoped or wrote_release:
        cursor = conn.connection.dbapi_connection.cursor()
        sets = ["version = version + 1"] if wrote else []
        if wrote_release:
            sets.append("release_version = release_version + 1")
        if wrote and wrote_global:
            sets.append("global_version = global_version + 1")
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        params: list = []
        now: Any = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        if conn.dialect.name == "sqlite":  # as SQLAlchemy's DateTime stores it (sqlite3's adapter is deprecated)
            now = now.isoformat(sep=" ")
        if wrote and _STALE_COLUMN.get(conn.engine):  # not on a database migrated below 0026 (older revisions' tests)
            sets.append(f"stale_since = COALESCE(stale_since, {mark})")
            params.append(now)
        if wrote_credits:
            sets += [
                "credits_version = credits_version + 1",
                f"credits_stale_since = COALESCE(credits_stale_since, {mark})",
            ]
            params.append(now)
        elif scoped:
            sets.append(f"credits_stale_since = COALESCE(credits_stale_since, {mark})")
            params.append(now)
        try:
            cursor.execute(f"UPDATE data_version SET {', '.join(sets)} WHERE id = 1", tuple(params))
            when = mark if conn.dialect.name == "sqlite" else f"CAST({mark} AS TIMESTAMP)"  # a bare select-list param
            for production_id in sorted(scoped or ()):
                # Through the production row: one deleted in this transaction has no checks left to mark.
                cursor.execute(
                    f"INSERT INTO credit_check_due (production_id, version, since) SELECT id, 1, {when} "
                    f"FROM production WHERE id = {mark} ON CONFLICT (production_id) DO UPDATE SET "
                    "version = credit_check_due.version + 1, since = COALESCE(credit_check_due.since, excluded.since)",
                    (now, production_id),
                )
        finally:
            cursor.close()


def _forget_writes(conn: Connection) -> None:
    for key in (_WROTE, _GLOBAL, _PROBE, _CREDITS, _CREDITS_SCOPED, _CREDIT_SCOPE, _RELEASE):
        conn.info.pop(key, None)


# Which of data_version's markers each engine's database has, read after every migration: False (below revision
# 0026), True (stale_since), _CREDITS (credits_version and credits_stale_since too, revision 0027) or _DUE (and the
# per-production versions of credit_check_due, revision 0032).
_STALE_COLUMN: weakref.WeakKeyDictionary[Engine, bool | str] = weakref.WeakKeyDictionary()
# Whether each engine's database has data_version.release_version (revision 0034).
_RELEASE_COLUMN: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def _note_columns(engine: Engine) -> None:
    found = inspect(engine)
    columns = {c["name"] for c in found.get_columns("data_version")} if found.has_table("data_version") else set()
    level: bool | str = (_CREDITS if "credits_version" in columns else True) if "stale_since" in columns else False
    if level == _CREDITS and found.has_table("credit_check_due"):
        level = _DUE
    _STALE_COLUMN[engine] = level
    _RELEASE_COLUMN[engine] = "release_version" in columns


def track_writes(engine: Engine) -> None:
    """Move ``data_version`` on in every transaction that wrote to a table the findings snapshot depends on, and
    ``global_version`` too when the write was not about given people (see :class:`data.schema.DataVersion` and
    :class:`data.snapshots.WriteEffects`). Only once the table exists: a database still being migrated to it has
    nothing to invalidate."""
    _note_columns(engine)
    if event.contains(engine, "commit", _bump_version) or not inspect(engine).has_table("data_version"):
        return
    event.listen(engine, "before_cursor_execute", _note_write)
    event.listen(engine, "after_cursor_execute", _check_probe)
    event.listen(engine, "commit", _bump_version)
    event.listen(engine, "rollback", _forget_writes)


def make_engine(url: str | None = None, *, migrate: bool = True) -> Engine:
    """A new engine for ``url`` (default: the configured database), migrated to the latest schema."""
    url = url or database_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    kwargs: dict = {"future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "savepoint", _sqlite_savepoint)
    if migrate:
        upgrade(engine)
    track_writes(engine)
    return engine


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url``, created and migrated once."""
    key = url or database_url()
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = make_engine(key)
        return engine


def dispose_all() -> None:
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def alembic_config(engine: Engine) -> Any:
    """An Alembic configuration (``alembic.config.Config``) that migrates ``engine``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def _migrate(engine: Engine, direction: str, revision: str) -> None:
    from alembic import command

    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                # A batch migration rebuilds a table (copy, drop, rename). With foreign keys on, dropping it fires the
                # ON DELETE actions of the rows pointing at it (every rollup_person_day.employment_id set to NULL).
                # SQLite changes this pragma only outside a transaction, hence before it begins.
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            try:
                with connection.begin():
                    # A migration may drop or not yet have data_version; the snapshot's key covers schema changes.
                    connection.info[_UNTRACKED] = True
                    cfg = alembic_config(engine)
                    cfg.attributes["connection"] = connection
                    before = _revision(connection)
                    getattr(command, direction)(cfg, revision)
                    # Checked only when something ran: the check reads every table (a start at head runs nothing).
                    moved = _revision(connection) != before
                    if sqlite and moved and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").all()):
                        raise DatabaseError(
                            N_("the migration left rows whose foreign keys point nowhere: {rows}"), rows=broken[:5]
                        )
            finally:
                connection.info.pop(_UNTRACKED, None)
                _STALE_COLUMN.pop(engine, None)  # read again below, once the migration is committed
                if sqlite:
                    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                    connection.commit()
        _note_columns(engine)
    except Exception as exc:  # re-raised with the URL the user must check
        safe_url = engine.url.render_as_string(hide_password=True)
        raise DatabaseError(
            N_("could not migrate the database at {url}: {error}"), fix=DatabaseError.FIX, url=safe_url, error=exc
        ) from exc


def _revision(connection: Connection) -> str | None:
    from alembic.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Migrate down to ``revision`` (``base``: an empty database)."""
    _migrate(engine, "downgrade", revision)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate to ``revision``; then make sure the reference data (roles, minimum wages, rule parameters) is there,
    as the seed files have it."""
    _migrate(engine, "upgrade", revision)
    if revision == "head":
        from data.reference import ensure_reference_data

        # Tracked: a seed file that changed a rule parameter must make the findings snapshot stale.
        track_writes(engine)
        with session_scope(engine) as session:
            ensure_reference_data(session)


def is_empty(engine: Engine) -> bool:
    """True when the database holds no studio data yet (reference tables do not count)."""
    from sqlalchemy import select

    from data.schema import Person

    if not inspect(engine).has_table("person"):
        return True
    with Session(engine) as session:
        return session.execute(select(Person.id).limit(1)).first() is None


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error."""
    factory = sessionmaker(bind=engine or get_engine(), expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
