"""Import throughput and memory: a canonical work-log CSV through the full importer vs a no-validation baseline.

    .venv/bin/python bench/bench_import.py [--rows 1000000] [--database-url URL]

Baseline (same run, same kind of database, fresh file): ``pandas.read_csv`` of the whole file, then one
``executemany`` insert of the same rows into work_log, with no validation, matching, dedupe or audit.
Peak memory is the process's peak RSS growth during each phase (each phase runs in its own child process).
Both wall-clock and CPU seconds (user + system of the phase's process) are printed: on a shared, loaded machine the
CPU ratio is the steadier one. With SQLite the database work runs in the process, so CPU time covers it; with
``--database-url`` pointing at a server, only the wall-clock ratio includes the server's work.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("email,work_date,start_time,end_time,break_minutes,production,episode,role,task,units,external_id\n")
        for i in range(rows):
            p = i % 50
            day = 1 + (i // 50) % 28
            month = 1 + (i // 1400) % 12
            fh.write(
                f"artist{p}@example.jp,2025-{month:02d}-{day:02d},{9 + i % 3:02d}:00,{19 + i % 4:02d}:30,60,"
                f"星の庭,{1 + i % 12},原画,Key animation,{i % 5},W{i}\n"
            )


def _setup(url: str) -> None:
    from sqlalchemy.orm import Session

    from data.engine import make_engine
    from data.schema import Person, Production

    engine = make_engine(url)
    with Session(engine) as s:
        s.add(Production(title="星の庭", kind="tv"))
        s.add_all(Person(display_name=f"Artist {p}", email=f"artist{p}@example.jp") for p in range(50))
        s.commit()
    engine.dispose()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _importer(url: str, path: str, out: mp.Queue) -> None:
    from sqlalchemy.orm import Session

    from data.engine import make_engine
    from data.importers import import_file

    engine = make_engine(url)
    base = _rss_mb()
    t, c = time.perf_counter(), time.process_time()
    with Session(engine) as s:
        summary = import_file(s, path=path)
    out.put(
        (
            time.perf_counter() - t,
            _rss_mb() - base,
            _rss_mb(),
            summary.imported,
            summary.rejected,
            time.process_time() - c,
        )
    )


def _baseline(url: str, path: str, out: mp.Queue) -> None:
    import pandas as pd
    from sqlalchemy import insert, select

    from data.engine import make_engine
    from data.schema import Person, WorkLog

    engine = make_engine(url)
    base = _rss_mb()
    t, c = time.perf_counter(), time.process_time()
    df = pd.read_csv(path, dtype=str)
    with engine.begin() as conn:
        ids = dict(conn.execute(select(Person.email, Person.id)).all())
        df["person_id"] = df["email"].map(ids)
        df["work_date"] = pd.to_datetime(df["work_date"]).dt.date
        df["minutes"] = 540
        rows = (
            df[["person_id", "work_date", "minutes", "task", "external_id"]]
            .rename(columns={"external_id": "source_key"})
            .to_dict("records")
        )
        conn.execute(insert(WorkLog.__table__), rows)
    out.put((time.perf_counter() - t, _rss_mb() - base, _rss_mb(), len(rows), 0, time.process_time() - c))


def run(phase: Callable[[str, str, mp.Queue], None], url: str, path: Path) -> tuple:
    q: mp.Queue = mp.Queue()
    p = mp.get_context("fork").Process(target=phase, args=(url, str(path), q))
    p.start()
    result = q.get()
    p.join()
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--database-url", help="default: fresh SQLite files in a temp dir")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "work_logs.csv"
        write_csv(path, args.rows)
        print(f"{args.rows:,} rows, {path.stat().st_size / 1e6:.0f} MB CSV")
        urls = (
            [args.database_url] * 2
            if args.database_url
            else [f"sqlite:///{tmp}/base.sqlite3", f"sqlite:///{tmp}/imp.sqlite3"]
        )
        if args.database_url:
            print("note: both phases share one database; the importer runs second on an emptied work_log")
        _setup(urls[0])
        bt, bmem, bpeak, bn, _, bcpu = run(_baseline, urls[0], path)
        if args.database_url:
            from sqlalchemy import delete

            from data.engine import make_engine
            from data.schema import WorkLog

            e = make_engine(urls[0])
            with e.begin() as c:
                c.execute(delete(WorkLog))
            e.dispose()
        else:
            _setup(urls[1])
        it, imem, ipeak, inn, irej, icpu = run(_importer, urls[1], path)
        print(
            f"baseline  pandas.read_csv + executemany: {bn / bt:>9,.0f} rows/s  {bt:6.1f} s wall  {bcpu:6.1f} s CPU  "
            f"peak RSS +{bmem:.0f} MB (process {bpeak:.0f} MB)"
        )
        print(
            f"importer  full validation:               {inn / it:>9,.0f} rows/s  {it:6.1f} s wall  {icpu:6.1f} s CPU  "
            f"peak RSS +{imem:.0f} MB (process {ipeak:.0f} MB)  imported {inn:,} rejected {irej:,}"
        )
        print(
            f"ratio importer/baseline throughput: {(inn / it) / (bn / bt):.2f}x wall-clock, "
            f"{(inn / icpu) / (bn / bcpu):.2f}x per CPU second  (target >= 0.5x, memory < 500 MB)"
        )


if __name__ == "__main__":
    main()
