"""Engines, sessions and migration on start.

``DATABASE_URL`` selects the database; unset, Endroll uses an embedded SQLite file (WAL, foreign keys on).
Every entry point calls :func:`get_engine`, which migrates the schema to the latest revision before use.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from data import settings
from data.errors import DataError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


class DatabaseError(DataError):
    """The database cannot be reached or migrated; the message says what to check."""


def database_url() -> str:
    url = settings.get("database_url")
    if url:
        return url
    home = settings.home()
    home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{home / 'endroll.sqlite3'}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API connection
    cursor = dbapi_connection.cursor()
    # WAL lets the dashboard read while an import writes; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_savepoint(connection, _name) -> None:  # noqa: ANN001 - SQLAlchemy Connection
    # Python's sqlite3 module begins a transaction only before its first INSERT/UPDATE/DELETE. A SAVEPOINT issued
    # before that opens a transaction of its own, and releasing it would commit everything (a half-written
    # import). Begin the real transaction first; IMMEDIATE takes the write lock now (waiting out busy_timeout)
    # rather than failing later on a stale read snapshot when another writer got there first.
    if not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


# Statements that change data: the verb and the table they name. Writes that cannot change an analysis do not count:
# the derived tables themselves (or storing a snapshot would make it stale), sign-ins and the audit trail (or every
# sign-in would throw away the studio's findings).
_WRITE = re.compile(
    r'\s*(INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE
)
_CTE_WRITE = re.compile(r"\s*WITH\b.*\b(INSERT|UPDATE|DELETE)\b", re.IGNORECASE | re.DOTALL)
UNVERSIONED_TABLES = frozenset(
    {
        "data_version",
        "finding_snapshot",
        "finding_stale_person",
        "alembic_version",
        "account",
        "audit_event",
        "correction_request",
    }
)
# Writes about given people: every write to work logs, pay items or employments refreshes the rollups of the people
# concerned in the same transaction (the rollups resolve each day's contract), and the refresh names them in
# finding_stale_person. Not the leave ledger: JP-LEAVE-01 judges everyone's ledger up to its latest entry, so one
# person's new entry can change anyone's findings.
PERSON_TABLES = frozenset({"work_log", "pay_item", "employment", "import_batch", "rejected_row"})
# Tables the findings never read, directly or through a rollup refresh (a test traces the engine's queries to keep
# this true): adding or changing their rows cannot change a finding. Deleting can (a production's work logs go with
# it, ON DELETE CASCADE), so a DELETE still counts as a write that is not about given people.
NOT_READ_BY_FINDINGS = frozenset(
    {
        "production",
        "episode",
        "cut",
        "person_alias",
        "org_alias",
        "affiliation",
        "credit_line",
        "credit_note",
        "credit_claim",
        "entity_call",
        "ai_usage",
        "ai_usage_post_editor",
        "service",
        "person_match_review",
        "pay_period_lock",
        "role_variant",
        "setting",
        "person",  # only its display name, added when findings are selected, never stored with them
    }
)
# Tables the findings read, but where a new row changes nothing by itself: a new organization has no contracts or
# agreements yet (the writes that add them count on their own). Importers create organizations as they meet them.
NEW_ROWS_CHANGE_NO_FINDING = frozenset({"organization"})


def _note_write(conn, _cursor, statement, _parameters, _context, _executemany) -> None:  # noqa: ANN001
    if conn.info.get("endroll_wrote_global") or conn.info.get("endroll_untracked"):
        return
    write = _WRITE.match(statement)
    if write:
        verb, table = " ".join(write.group(1).upper().split()), write.group(2).lower()
        if table in UNVERSIONED_TABLES:
            return
        removes = verb.startswith("DELETE") or "REPLACE" in verb  # rows go, and ON DELETE actions with them
        if not removes and table in NOT_READ_BY_FINDINGS:
            return
        if verb.startswith("INSERT") and not removes and table in NEW_ROWS_CHANGE_NO_FINDING:
            return
        conn.info["endroll_wrote"] = True
        if table not in PERSON_TABLES and not table.startswith("rollup_"):
            conn.info["endroll_wrote_global"] = True
    elif _CTE_WRITE.match(statement):
        conn.info["endroll_wrote"] = conn.info["endroll_wrote_global"] = True


def _bump_version(conn) -> None:  # noqa: ANN001 - SQLAlchemy Connection
    # Called just before the transaction commits, on its own DB-API connection: the new version becomes visible
    # together with the writes, and a rolled-back transaction leaves it alone.
    wrote, wrote_global = conn.info.pop("endroll_wrote", False), conn.info.pop("endroll_wrote_global", False)
    if wrote:
        cursor = conn.connection.dbapi_connection.cursor()
        more = ", global_version = global_version + 1" if wrote_global else ""
        try:
            cursor.execute(f"UPDATE data_version SET version = version + 1{more} WHERE id = 1")
        finally:
            cursor.close()


def _forget_writes(conn) -> None:  # noqa: ANN001 - SQLAlchemy Connection
    conn.info.pop("endroll_wrote", None)
    conn.info.pop("endroll_wrote_global", None)


def track_writes(engine: Engine) -> None:
    """Move ``data_version`` on in every transaction that wrote anything (see :class:`data.schema.DataVersion`).
    Only once the table exists: a database still being migrated to it has nothing to invalidate."""
    if event.contains(engine, "commit", _bump_version) or not inspect(engine).has_table("data_version"):
        return
    event.listen(engine, "before_cursor_execute", _note_write)
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


def alembic_config(engine: Engine):  # noqa: ANN201 - alembic.config.Config
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
                    connection.info["endroll_untracked"] = True
                    cfg = alembic_config(engine)
                    cfg.attributes["connection"] = connection
                    before = _revision(connection)
                    getattr(command, direction)(cfg, revision)
                    # Checked only when something ran: the check reads every table (a start at head runs nothing).
                    moved = _revision(connection) != before
                    if sqlite and moved and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").all()):
                        raise DatabaseError(f"the migration left rows whose foreign keys point nowhere: {broken[:5]}")
            finally:
                connection.info.pop("endroll_untracked", None)
                if sqlite:
                    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                    connection.commit()
    except Exception as exc:  # noqa: BLE001 - re-raised with the URL the user must check
        safe_url = engine.url.render_as_string(hide_password=True)
        raise DatabaseError(f"could not migrate the database at {safe_url}: {exc}") from exc


def _revision(connection) -> str | None:  # noqa: ANN001 - SQLAlchemy Connection
    from alembic.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Migrate down to ``revision`` (``base``: an empty database)."""
    _migrate(engine, "downgrade", revision)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate to ``revision``; then make sure the reference data (roles, minimum wages, rule parameters) is there."""
    _migrate(engine, "upgrade", revision)
    if revision == "head":
        from data.reference import ensure_reference_data

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
