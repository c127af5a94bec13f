"""The bulk row writer: rows are buffered per table and written in chunks, parents first, so memory stays bounded
whatever the scale (COPY on PostgreSQL and plain ``executemany`` on SQLite for the two big tables)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from data.schema import Base

CHUNK_ROWS = 20_000
PROGRESS_EVERY_ROWS = 500_000
BULK_TABLES = ("work_log", "pay_item")

# Tables the demo writes, parents first; their IDs are assigned by the generator, not by the database.
DEMO_TABLES = (
    "organization",
    "org_alias",
    "labor_agreement",
    "service",
    "production",
    "episode",
    "cut",
    "person",
    "person_alias",
    "affiliation",
    "employment",
    "annual_leave",
    "work_log",
    "pay_item",
    "ai_usage",
    "ai_usage_post_editor",
    "credit_line",
    "account",
)


class RowWriter:
    """Buffers rows per table and writes them in chunks of :data:`CHUNK_ROWS` on ``conn``; ``counts`` holds the rows
    written per table and ``peak`` the most rows one buffer ever held."""

    def __init__(self, conn: Connection, progress: Callable[[str], None] | None = None) -> None:
        self.conn = conn
        self.pg = conn.dialect.name == "postgresql"
        self.buffers: dict[str, list[dict[str, Any]]] = {}
        self.counts: dict[str, int] = {}
        self.progress = progress
        self._reported = 0
        self.peak = 0

    def add(self, table: str, row: dict[str, Any]) -> None:
        buf = self.buffers.setdefault(table, [])
        buf.append(row)
        if len(buf) > self.peak:
            self.peak = len(buf)
        if len(buf) >= CHUNK_ROWS:
            self.flush()  # every table, parents first, so a child chunk never lands before its parents

    def flush(self) -> None:
        """Write every buffered row, parents first."""
        for name in [t for t in DEMO_TABLES if t in self.buffers]:
            rows = self.buffers.get(name)
            if not rows:
                continue
            if self.pg and name in BULK_TABLES:
                self._copy(name, rows)
            elif name in BULK_TABLES:
                self._executemany(name, rows)
            else:
                self.conn.execute(insert(Base.metadata.tables[name]), rows)
            self.counts[name] = self.counts.get(name, 0) + len(rows)
            self.buffers[name] = []
            if self.progress and name == "work_log" and self.counts[name] - self._reported >= PROGRESS_EVERY_ROWS:
                self._reported = self.counts[name]
                self.progress(f"work_log rows written: {self.counts[name]:,}")

    def _copy(self, name: str, rows: list[dict[str, Any]]) -> None:
        cols = list(rows[0])
        raw = self.conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY {name} ({', '.join(cols)}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row([r[c] for c in cols])

    def _executemany(self, name: str, rows: list[dict[str, Any]]) -> None:
        # plain executemany with the columns' own bind processors: the same stored text, far less overhead
        table = Base.metadata.tables[name]
        cols = list(rows[0])
        dialect = self.conn.dialect
        procs = [table.c[c].type._cached_bind_processor(dialect) for c in cols]
        pairs = list(zip(cols, procs, strict=True))
        data = [tuple(p(r[c]) if p else r[c] for c, p in pairs) for r in rows]
        sql = f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        self.conn.exec_driver_sql(sql, data)
