"""Time the studio-wide findings refresh — what the background worker does after a write that can change everyone's
findings (an Article 36 agreement, a leave ledger, a rule parameter, a deletion): compute every finding and store
the snapshot — with this checkout's engine and, in the same run, an older checkout's (``--baseline``).

    cp /tmp/endroll-bench/demo5m.sqlite3 /tmp/copy.sqlite3      # it writes: never run it on a shared studio
    git worktree add /tmp/endroll-before <commit>               # or any checkout of the engine to compare with
    python bench/bench_findings_refresh.py --database-url sqlite:////tmp/copy.sqlite3 --baseline /tmp/endroll-before

Each round drops the stored snapshot and calls ``analytics.findings.snapshot.refresh_findings`` in a fresh process
(no warm caches, peak RSS of that refresh alone), the two engines alternately so both see the same load on a shared
machine. It prints wall and CPU seconds and peak RSS per run, the medians, and whether the two engines stored the
same findings (the stored Parquet files read back and compared, every column).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(code: Path, url: str, today: dt.date, out: Path) -> None:
    """One refresh with the engine in ``code``; prints its figures as JSON, writes the stored findings to ``out``."""
    sys.path.insert(0, str(code))
    import resource

    from sqlalchemy import delete
    from sqlalchemy.orm import Session, configure_mappers

    from analytics.findings.snapshot import refresh_findings
    from data.derived import newest_findings
    from data.engine import make_engine
    from data.schema import FindingSnapshot

    engine = make_engine(url)
    configure_mappers()  # once per process, as in the worker that runs for the app's lifetime: not timed
    with Session(engine) as session:
        session.execute(delete(FindingSnapshot))  # a studio-wide change: nothing stored to build on
        session.commit()
    with Session(engine) as session:
        wall, cpu = time.perf_counter(), time.process_time()
        refreshed = refresh_findings(session, today=today)
        session.commit()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with Session(engine) as session:
        stored = newest_findings(session)
        assert stored is not None, "nothing was stored"
        out.write_bytes(stored[1])
    print(
        json.dumps({"wall": wall, "cpu": cpu, "findings": refreshed.findings, "rss": rss, "stored": refreshed.stored})
    )


def run(code: Path, url: str, today: dt.date, out: Path) -> dict[str, float]:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            str(code),
            "--database-url",
            url,
            "--today",
            str(today),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a copy of a studio: the runs replace its snapshot")
    parser.add_argument("--baseline", type=Path, help="a checkout of an older engine to time in the same run")
    parser.add_argument("--rounds", type=int, default=1, help="refreshes per engine (alternating)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(), help="the day judged on")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.database_url, args.today, args.out)
        return 0

    import pandas as pd

    engines = {"this checkout": ROOT} | ({"baseline": args.baseline.resolve()} if args.baseline else {})
    print(
        f"studio: {args.database_url}; judged on {args.today}; engines: "
        + ", ".join(f"{k} = {v}" for k, v in engines.items())
    )
    figures: dict[str, list[dict[str, float]]] = {name: [] for name in engines}
    with tempfile.TemporaryDirectory() as folder:
        files = {name: Path(folder) / f"{i}.parquet" for i, name in enumerate(engines)}
        for r in range(args.rounds):
            for name, code in engines.items() if r % 2 == 0 else reversed(engines.items()):
                f = run(code, args.database_url, args.today, files[name])
                figures[name].append(f)
                print(
                    f"round {r + 1}  {name:14} refresh (compute + store) {f['wall']:7.2f} s wall  {f['cpu']:7.2f} s CPU  "
                    f"{f['findings']:>9,} findings  peak RSS {f['rss']:5.0f} MiB  stored: {f['stored']}",
                    flush=True,
                )
        for name, runs in figures.items():
            print(
                f"median  {name:14} {statistics.median(x['wall'] for x in runs):7.2f} s wall  "
                f"{statistics.median(x['cpu'] for x in runs):7.2f} s CPU   "
                f"(fastest: {min(x['wall'] for x in runs):.2f} s wall, {min(x['cpu'] for x in runs):.2f} s CPU)"
            )
        if args.baseline:
            ours, theirs = (pd.read_parquet(files[name]) for name in engines)
            same = ours.equals(theirs)
            ratio = statistics.median(x["wall"] for x in figures["baseline"]) / statistics.median(
                x["wall"] for x in figures["this checkout"]
            )
            print(f"same findings stored by both engines: {same} ({len(ours):,} and {len(theirs):,} rows)")
            cpu = statistics.median(x["cpu"] for x in figures["baseline"]) / statistics.median(
                x["cpu"] for x in figures["this checkout"]
            )
            # On a busy shared machine the wall clock mostly measures the others; CPU seconds measure the engine.
            print(f"baseline ÷ this checkout (same run): {ratio:.2f}× wall, {cpu:.2f}× CPU")
            return 0 if same else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
