"""Engines, sessions and migration on start.

``DATABASE_URL`` selects the database; unset, Endroll uses an embedded SQLite file (WAL, foreign keys on).
Every entry point calls :func:`get_engine`, which migrates the schema to the latest revision before use.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from data import settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


class DatabaseError(RuntimeError):
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
        with engine.begin() as connection:
            cfg = alembic_config(engine)
            cfg.attributes["connection"] = connection
            getattr(command, direction)(cfg, revision)
    except Exception as exc:  # noqa: BLE001 - re-raised with the URL the user must check
        safe_url = engine.url.render_as_string(hide_password=True)
        raise DatabaseError(f"could not migrate the database at {safe_url}: {exc}") from exc


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
