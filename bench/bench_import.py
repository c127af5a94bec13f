"""Import throughput and memory: timesheet files through the full importer vs a no-validation baseline.

    .venv/bin/python bench/bench_import.py [--rows 1000000] [--toggl-rows 200000] [--database-url URL]

Two lines, each with its own baseline and ratio: Endroll's canonical work-log CSV (``--rows``) and a Toggl Track
detailed report (``--toggl-rows``, 0 to skip). The files are real-shaped and lawful: 500 people, one row per
session, at most two sessions a day each (the importer rejects a person-day of more than 24 hours, so a file of
impossible days would measure rejection, not import); the Toggl file has 30 % of its entries starting at the same
second as another entry of the day, durations to the second.

Baseline (same run, same kind of database, fresh file): ``pandas.read_csv`` of the whole file, then one
``executemany`` insert of the same rows into work_log, with no validation, matching, dedupe or audit. Peak memory is
the process's peak RSS growth during each phase (each phase runs in its own child process). Both wall-clock and CPU
seconds (user + system of the phase's process) are printed: on a shared, loaded machine the CPU ratio is the steadier
one. With SQLite the database work runs in the process, so CPU time covers it; with ``--database-url`` pointing at a
server, only the wall-clock ratio includes the server's work.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from data.demo.exports import toggl_report  # noqa: E402

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

PEOPLE = 500
FIRST_DAY = dt.date(2022, 1, 3)


def write_canonical(path: Path, rows: int) -> None:
    """Day by day, each person's morning and afternoon session (start/end, a break in the afternoon), with ids."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write("email,work_date,start_time,end_time,break_minutes,production,episode,role,task,units,external_id\n")
        for i in range(rows):
            session, person_day = i % 2, i // 2
            p, day = person_day % PEOPLE, FIRST_DAY + dt.timedelta(days=person_day // PEOPLE)
            times = ("09:00", f"12:{15 + i % 4 * 5:02d}", "0") if session == 0 else ("13:30", f"{18 + i % 3}:30", "15")
            fh.write(
                f"artist{p}@example.jp,{day.isoformat()},{times[0]},{times[1]},{times[2]},星の庭,{1 + i % 12},原画,"
                f"Key animation,{i % 5},W{i}\n"
            )


def write_toggl(path: Path, rows: int, *, shared: float = 0.3, seed: int = 11) -> None:
    """A Toggl Track detailed report (:func:`data.demo.exports.toggl_report`, the generator the importers' tests
    read): eight entries a working day per person, ``shared`` of all entries starting at the same second as the entry
    before (never a day's first), durations to the second."""
    toggl_report(path, rows, people=PEOPLE, shared=shared, seed=seed, first=FIRST_DAY)


def seed(session: Session) -> None:
    """The production and the people both files name (not committed)."""
    from data.schema import Person, Production

    session.add(Production(title="星の庭", kind="tv"))
    session.add_all(Person(display_name=f"Artist {p}", email=f"artist{p}@example.jp") for p in range(PEOPLE))


def _setup(url: str) -> None:
    from sqlalchemy.orm import Session

    from data.engine import make_engine

    engine = make_engine(url)
    with Session(engine) as s:
        seed(s)
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
    df = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    toggl = "Start date" in df.columns
    with engine.begin() as conn:
        ids = dict(conn.execute(select(Person.email, Person.id)).all())
        df["person_id"] = df["email" if not toggl else "Email"].map(ids)
        df["work_date"] = pd.to_datetime(df["work_date" if not toggl else "Start date"]).dt.date
        df["seconds"] = 9 * 3600
        df["task"] = df["task"] if not toggl else df["Description"]
        df["source_key"] = df["external_id"] if not toggl else df.index.astype(str)
        rows = df[["person_id", "work_date", "seconds", "task", "source_key"]].to_dict("records")
        conn.execute(insert(WorkLog.__table__), rows)
    out.put((time.perf_counter() - t, _rss_mb() - base, _rss_mb(), len(rows), 0, time.process_time() - c))


def run(phase: Callable[[str, str, mp.Queue], None], url: str, path: Path) -> tuple:
    q: mp.Queue = mp.Queue()
    p = mp.get_context("fork").Process(target=phase, args=(url, str(path), q))
    p.start()
    result = q.get()
    p.join()
    return result


def compare(label: str, path: Path, tmp: str, database_url: str | None) -> None:
    """Baseline and importer on ``path``, each on a fresh database; prints both and the ratios."""
    urls = [database_url] * 2 if database_url else [f"sqlite:///{tmp}/{label}-base.sqlite3",
                                                     f"sqlite:///{tmp}/{label}-imp.sqlite3"]  # fmt: skip
    _setup(urls[0])
    bt, bmem, bpeak, bn, _, bcpu = run(_baseline, urls[0], path)
    if database_url:
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
    print(f"[{label}] {bn:,} rows, {path.stat().st_size / 1e6:.0f} MB")
    print(
        f"  baseline  pandas.read_csv + executemany: {bn / bt:>9,.0f} rows/s  {bt:6.1f} s wall  {bcpu:6.1f} s CPU  "
        f"peak RSS +{bmem:.0f} MB (process {bpeak:.0f} MB)"
    )
    print(
        f"  importer  full validation:               {inn / it:>9,.0f} rows/s  {it:6.1f} s wall  {icpu:6.1f} s CPU  "
        f"peak RSS +{imem:.0f} MB (process {ipeak:.0f} MB)  imported {inn:,} rejected {irej:,}"
    )
    print(
        f"  ratio importer/baseline throughput: {(inn / it) / (bn / bt):.2f}x wall-clock, "
        f"{(inn / icpu) / (bn / bcpu):.2f}x per CPU second  (target >= 0.5x, memory < 500 MB)"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows of the canonical work-log file (0: skip)")
    ap.add_argument("--toggl-rows", type=int, default=200_000, help="rows of the Toggl detailed report (0: skip)")
    ap.add_argument("--database-url", help="default: fresh SQLite files in a temp dir")
    args = ap.parse_args()
    if args.database_url:
        print("note: both phases share one database; the importer runs second on an emptied work_log")
    with tempfile.TemporaryDirectory() as tmp:
        if args.rows:
            path = Path(tmp) / "work_logs.csv"
            write_canonical(path, args.rows)
            compare("canonical", path, tmp, args.database_url)
            path.unlink()
        if args.toggl_rows:
            path = Path(tmp) / "toggl_detailed.csv"
            write_toggl(path, args.toggl_rows)
            compare("toggl", path, tmp, args.database_url)


if __name__ == "__main__":
    main()
