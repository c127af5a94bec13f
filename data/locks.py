"""Short lock waits for writes that may be skipped when the database is busy."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


@contextmanager
def brief_wait(session: Session, milliseconds: int) -> Iterator[None]:
    """Wait at most ``milliseconds`` for a lock in the statements inside (instead of the engine's 30 s), for writes
    that may be skipped when the database is busy: a sign-in's last-login time, or a page's copy of the findings it
    computed, during a long import. On PostgreSQL the limit lasts to the end of the transaction (SET LOCAL)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        dbapi = connection.connection.dbapi_connection
        old = dbapi.execute("PRAGMA busy_timeout").fetchone()[0]
        dbapi.execute(f"PRAGMA busy_timeout={int(milliseconds)}")
        try:
            yield
        finally:
            dbapi.execute(f"PRAGMA busy_timeout={int(old)}")
    else:
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = {int(milliseconds)}")
        yield
