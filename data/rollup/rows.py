"""Rows computed in Python, written in one executemany straight to the driver."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from data.engine import raw_write


def insert_columns(
    session: Session, table: Table, names: Sequence[str], values: Sequence[list[Any]], *, ready: Sequence[str] = ()
) -> None:
    """Insert rows given column by column (``values[i]`` holds column ``names[i]``), through the column types' own
    bind processors (so SQLite stores what SQLAlchemy would) but without SQLAlchemy's per-row parameter handling.
    Columns in ``ready`` already hold what the driver takes (values as it returned them, Python floats)."""
    conn = session.connection()
    dialect = conn.dialect
    processed = []
    for name, column in zip(names, values, strict=True):
        process = None if name in ready else table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        processed.append(column if process is None else list(map(process, column)))
    marks = ", ".join(["?" if dialect.paramstyle == "qmark" else "%s"] * len(names))
    quote = dialect.identifier_preparer.quote
    sql = f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, names))}) VALUES ({marks})"
    conn.exec_driver_sql(sql, list(zip(*processed, strict=True)), execution_options=raw_write(table, "insert"))
