"""Where a studio-wide findings refresh spends its time: CPU seconds per read, per rule, in the sentences and in
putting the table together and storing it, for one refresh in this process (``process_time`` around each part; the
sentences are also inside their rules' time).

    cp /tmp/endroll-bench/demo5m.sqlite3 /tmp/copy.sqlite3      # it writes: never run it on a shared studio
    python bench/findings_phases.py --database-url sqlite:////tmp/copy.sqlite3 [--code /tmp/endroll-before]

``--code`` times another checkout's engine (as ``bench_findings_refresh.py --baseline``). CPU seconds, because on a
shared machine the wall clock mostly measures the others; compare two engines only within one quiet period.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
READS = ("jp_months", "effective_pay", "person_days", "weekly_hours", "roles", "premiums", "nights", "salaries",
         "time_pay", "_ca_days", "leave", "minimum_wages", "employments_of", "agreements", "employers",
         "commissions_of")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a copy of a studio: the run replaces its snapshot")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose engine is timed")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(), help="the day judged on")
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))

    from sqlalchemy import delete
    from sqlalchemy.orm import Session, configure_mappers

    import analytics.findings as findings
    import analytics.findings.snapshot as snapshot
    import analytics.findings.text as text
    import analytics.queries.findings as queries
    from data.engine import make_engine
    from data.schema import FindingSnapshot

    spent: collections.Counter[str] = collections.Counter()

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def run(*a: Any, **k: Any) -> Any:
            start = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                spent[name] += time.process_time() - start

        return run

    for name in READS:
        if hasattr(queries, name):
            setattr(queries, name, timed(f"read {name}", getattr(queries, name)))
    for rules in (findings.RULES, findings.LATE_RULES):
        rules[:] = [timed(f"rule {r.__module__.rsplit('.', 1)[-1]}.{r.__name__}", r) for r in rules]
    text.Sentences.columns = timed("  (sentences, inside the rules above)", text.Sentences.columns)
    findings._table = timed("the table put together", findings._table)
    snapshot._parquet = timed("the Parquet file", snapshot._parquet)
    snapshot.store_findings = timed("stored", snapshot.store_findings)

    engine = make_engine(args.database_url)
    configure_mappers()  # once per process, as in the worker: not timed
    with Session(engine) as session:
        session.execute(delete(FindingSnapshot))  # a studio-wide change: nothing stored to build on
        session.commit()
    with Session(engine) as session:
        wall, cpu = time.perf_counter(), time.process_time()
        refreshed = snapshot.refresh_findings(session, today=args.today)
        session.commit()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"engine: {args.code}; refresh {wall:.2f} s wall, {cpu:.2f} s CPU, {refreshed.findings:,} findings")
    for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"{seconds:7.2f} s CPU  {100 * seconds / cpu:5.1f} %  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
