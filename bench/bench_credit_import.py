"""The import half of bench/bench_credits.py: one MADB file through the importer, against plain JSON parsing and one
executemany per table of the same rows, each in its own child process (see that script's docstring)."""

from __future__ import annotations

import json
import multiprocessing as mp
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TABLES = ("production", "organization", "org_alias", "person_alias", "credit_line", "credit_note")
TARGET_ROWS_PER_S = 10_000
MEMORY_LIMIT_MB = 500


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _import(url: str, path: str, out: mp.Queue) -> None:
    from sqlalchemy.orm import Session

    from data.engine import make_engine
    from data.importers import import_file

    engine = make_engine(url)
    t, c = time.perf_counter(), time.process_time()
    with Session(engine) as session:
        summary = import_file(session, path=path, actor="bench")
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    engine.dispose()
    out.put((wall, cpu, summary.rows_total, summary.details.get("credit_lines", 0), _rss_mb()))


def _rows(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row the import wrote, table by table (ids included), for the baseline to insert again."""
    from sqlalchemy import select

    from data.engine import make_engine
    from data.schema import Base

    engine = make_engine(url)
    with engine.connect() as conn:
        rows = {t: [dict(r) for r in conn.execute(select(Base.metadata.tables[t])).mappings()] for t in TABLES}
    engine.dispose()
    for row in rows["credit_line"]:
        row["batch_id"] = None  # the baseline writes no import batch
    for row in rows["credit_note"]:
        row["batch_id"] = None
    return rows


def _baseline(url: str, path: str, rows: dict[str, list[dict[str, Any]]], out: mp.Queue) -> None:
    from sqlalchemy import insert

    from data.engine import make_engine
    from data.schema import Base

    engine = make_engine(url)
    t, c = time.perf_counter(), time.process_time()
    with open(path, encoding="utf-8") as fh:
        json.load(fh)
    with engine.begin() as conn:
        for name in TABLES:
            if rows[name]:
                conn.execute(insert(Base.metadata.tables[name]), rows[name])
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    engine.dispose()
    out.put((wall, cpu, sum(len(v) for v in rows.values()), _rss_mb()))


def _child(target: Callable[..., None], *args: Any) -> tuple:
    q: mp.Queue = mp.Queue()
    p = mp.get_context("fork").Process(target=target, args=(*args, q))
    p.start()
    result = q.get()
    p.join()
    return result


def _databases(server: str | None, tmp: str) -> tuple[list[str], Callable[[], None]]:
    """Two fresh empty databases (SQLite files, or new databases on the PostgreSQL server) and their clean-up."""
    if not server:
        return [f"sqlite:///{tmp}/import.sqlite3", f"sqlite:///{tmp}/baseline.sqlite3"], lambda: None
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(make_url(server).set(database="postgres"), isolation_level="AUTOCOMMIT")
    names = ["endroll_bench_import", "endroll_bench_baseline"]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    urls = [make_url(server).set(database=n).render_as_string(hide_password=False) for n in names]
    return urls, drop


def import_bench(path: Path, server: str | None) -> int:
    """Import ``path`` into a fresh database and time it against the baseline; print the figures. 0."""
    from data.engine import make_engine

    with tempfile.TemporaryDirectory() as tmp:
        (imp_url, base_url), drop = _databases(server, tmp)
        try:
            for url in (imp_url, base_url):
                make_engine(url).dispose()  # migrations and reference data, outside the timings
            it, icpu, rows, lines, irss = _child(_import, imp_url, str(path))
            written = _rows(imp_url)
            bt, bcpu, brows, brss = _child(_baseline, base_url, str(path), written)
        finally:
            drop()
    kind = "PostgreSQL" if server else "SQLite"
    print(f"import of {path.name} ({path.stat().st_size / 1e6:.1f} MB) into {kind}: {rows:,} rows "
          f"({lines:,} credit lines), {brows:,} rows written")  # fmt: skip
    print(f"baseline  json.load + executemany of the same rows: {brows / bt:>8,.0f} rows/s written  {bt:5.2f} s wall "
          f"{bcpu:5.2f} s CPU  peak RSS {brss:.0f} MB")  # fmt: skip
    print(f"importer  parse, call, match, dedupe, write:        {rows / it:>8,.0f} credit rows/s  {it:5.2f} s wall "
          f"{icpu:5.2f} s CPU ({rows / icpu:,.0f} rows per CPU second)  peak RSS {irss:.0f} MB")  # fmt: skip
    print(f"ratio importer/baseline time: {it / bt:.1f}x wall-clock, {icpu / bcpu:.1f}x CPU "
          f"(target >= {TARGET_ROWS_PER_S:,} credit rows/s, peak memory < {MEMORY_LIMIT_MB} MB)")  # fmt: skip
    return 0
