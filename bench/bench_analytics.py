"""Benchmark the dashboard analytics against the naive approach and DuckDB, in one process, on the same data.

    python -m data.demo --seed 42 --scale 119 --database-url sqlite:////tmp/endroll-bench/demo5m.sqlite3
    python bench/bench_analytics.py --database-url sqlite:////tmp/endroll-bench/demo5m.sqlite3

For each dashboard query it times (median of ``--repeat`` runs, after one warm-up; the naive and DuckDB versions are
in bench/analytics_references.py):

* **ours** — the ``analytics`` function, reading the rollup tables that ``data.rollup.refresh`` keeps current;
* **naive** — read the raw rows it needs into pandas (``pd.read_sql``) and group there (one run: it is slow);
* **duckdb** — the same result computed in SQL from an in-memory DuckDB copy of the raw tables (the near-limit
  reference; the copy's load time is printed but not counted). "The same result": effective pay resolves each day's
  employment and workplace minimum wage as the rollups do, the advocate aggregates compute every statistic ours
  returns; tests/bench/test_references.py checks those three equal to ours on the demo studio. ``--duckdb-threads 1`` compares core for core. Ours and DuckDB then run alternately, query by query (median of
  ``--repeat`` each), so both sides of a ratio see the same load on a shared machine; those are the figures in the
  final table (the first "ours" pass warms caches and measures peak RSS before DuckDB's copy is in memory).

Then it prints ``naive ÷ ours`` (target ≥ 10) and ``ours ÷ duckdb`` (target ≤ 3), and the process's peak RSS after
the ``ours`` phase (target < 1 GiB; the naive and DuckDB phases run after it and are reported separately).

Between the two it times the compliance findings (``analytics.findings``) evaluated live for the whole studio, one
production, the last quarter and one person, once each; then the stored snapshot the pages read
(``analytics.findings.snapshot``): dropped, computed and stored, then read back and selected for the same three
scopes, each with its ratio to the live evaluation; and the peak RSS after them. There is no naive or DuckDB twin of
the rule engine. (Dropping and storing the snapshot are the only writes the benchmark makes.)
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import analytics_references as ref  # noqa: E402
from analytics_references import DUCK, load_duckdb  # noqa: E402
from sqlalchemy import delete, func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from analytics import ai_share, anonymized, cost, findings, overtime, pay, workload  # noqa: E402
from analytics.findings import snapshot  # noqa: E402
from analytics.queries.workload import weekly_hours  # noqa: E402
from analytics.scope import Scope  # noqa: E402
from data.engine import make_engine  # noqa: E402
from data.periods import add_months, py_month_start  # noqa: E402
from data.schema import FindingSnapshot, Production, RollupPersonDay, WorkLog  # noqa: E402

STUDIO = Scope()  # everyone, all time


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    fn()  # warm-up: page cache, statement cache
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def build(url: str, scale: float, seed: int) -> None:
    """Load the demo at ``scale`` into an empty database (the same as ``python -m data.demo``)."""
    from data.demo import load_demo

    engine = make_engine(url)
    t = time.perf_counter()
    summary = load_demo(engine, seed=seed, scale=scale, progress=lambda m: print(m, flush=True))
    print(f"demo loaded in {time.perf_counter() - t:.0f} s: {summary}")
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", required=True, help="a demo database, SQLite or PostgreSQL (python -m data.demo)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument(
        "--duckdb-threads",
        type=int,
        help="DuckDB worker threads (default: DuckDB's own, one per core); 1 compares core for core with SQLite",
    )
    parser.add_argument("--build-scale", type=float, help="first load the demo at this scale into the (empty) database")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.build_scale:
        build(args.database_url, args.build_scale, args.seed)
    engine = make_engine(args.database_url)
    with Session(engine) as session:
        rows = session.scalar(select(func.count()).select_from(WorkLog))
        first_production_id = session.scalar(select(Production.id).order_by(Production.id))
    first_scope = Scope(productions=(first_production_id,))
    print(f"work_log rows: {rows:,}   database: {engine.url.render_as_string(hide_password=True)}")

    # Every query the dashboard pages run through analytics/dashboard.py and advocate_view.py at studio scale
    # (weekly hours: the Workload heatmap before it keeps the top people; cost per cut: no page yet).
    ours: dict[str, Callable[[Session], object]] = {
        "workload by month × production": lambda s: workload.workload(s, scope=STUDIO, by=("month", "production")),
        "workload by month × department": lambda s: workload.workload(s, scope=STUDIO, by=("month", "department")),
        "effective pay per person-month": lambda s: pay.effective_pay(s, scope=STUDIO),
        "JP overtime per person-month": lambda s: overtime.jp_overtime_monthly(s, scope=STUDIO),
        "AI share by production × month": lambda s: ai_share.ai_share(s, scope=STUDIO, by=("production", "month")),
        "cost per episode": lambda s: cost.cost_per_episode(s, scope=STUDIO),
        "advocate hours by department": lambda s: anonymized.hours_distribution(s, scope=STUDIO, by="department"),
        "AI share by department": lambda s: ai_share.ai_share(s, scope=STUDIO, by=("department",)),
        "AI cut share per episode": lambda s: ai_share.cut_share(s, scope=STUDIO),
        "AI adoption effect": lambda s: ai_share.adoption_effect(s, scope=STUDIO),
        "advocate pay by role": lambda s: anonymized.pay_distribution(s, scope=STUDIO, by="role"),
        "weekly hours per person": lambda s: weekly_hours(s, scope=STUDIO),
        "cost per cut (one production)": lambda s: cost.cost_per_cut(s, scope=first_scope),
    }
    naive = {
        "workload by month × production": ref.naive_workload_production,
        "workload by month × department": ref.naive_workload_department,
        "effective pay per person-month": ref.naive_effective_pay,
        "JP overtime per person-month": ref.naive_overtime,
        "AI share by production × month": ref.naive_ai_share,
        "cost per episode": ref.naive_cost_episode,
        "advocate hours by department": ref.naive_hours_distribution,
        "AI share by department": ref.naive_ai_share_department,
        "AI cut share per episode": ref.naive_cut_share,
        "AI adoption effect": ref.naive_adoption,
        "advocate pay by role": ref.naive_pay_distribution,
        "weekly hours per person": ref.naive_weekly_hours,
        "cost per cut (one production)": lambda e: ref.naive_cost_per_cut(e, first_production_id),
    }
    results: dict[str, dict[str, float]] = {}
    with Session(engine) as session:
        for name, fn in ours.items():
            seconds, _ = timed(lambda fn=fn: fn(session), args.repeat)
            results[name] = {"ours": seconds}
            print(f"ours  {name:34} {seconds:9.4f} s", flush=True)
    ours_rss = peak_rss_mib()

    # The compliance engine has no naive or DuckDB twin (it is dozens of rules, not one aggregation). Its baseline is
    # itself: each scope evaluated live, then the same scope selected from the stored snapshot the pages read.
    with Session(engine) as session:
        first_person = session.scalar(select(func.min(RollupPersonDay.person_id)))
        last_day = session.scalar(select(func.max(RollupPersonDay.work_date)))
        quarter = (add_months(py_month_start(last_day), -2), last_day)
        scopes = {
            "whole studio": STUDIO,
            "one production": first_scope,
            f"one quarter ({quarter[0]}..{quarter[1]})": Scope(start=quarter[0], end=quarter[1]),
        }
        live = {}
        for label, scope in [*scopes.items(), ("one person (an artist's record)", Scope(people=[first_person]))]:
            t = time.perf_counter()
            found = findings.findings(session, scope=scope)
            live[label] = time.perf_counter() - t
            print(f"findings  live: {label:45} {live[label]:8.2f} s  {len(found):>9,} findings", flush=True)
            del found
        # The first call after the snapshot is dropped computes and stores it; later calls read it back and select.
        session.execute(delete(FindingSnapshot))
        session.commit()
        t = time.perf_counter()
        found = snapshot.studio_findings(session, scope=STUDIO)
        session.commit()
        print(f"findings  snapshot computed and stored {time.perf_counter() - t:27.2f} s  {len(found):>9,} findings")
        del found
        for label, scope in scopes.items():
            t = time.perf_counter()
            found = snapshot.studio_findings(session, scope=scope)
            session.commit()
            took = time.perf_counter() - t
            print(
                f"findings  snapshot: {label:41} {took:8.2f} s  {len(found):>9,} findings  "
                f"(live ÷ snapshot: {live[label] / took:.0f}×, same run)",
                flush=True,
            )
            del found
    findings_rss = peak_rss_mib()

    # DuckDB copies the same raw tables from either database (a SQLite file directly, PostgreSQL via its engine).
    t = time.perf_counter()
    duck = load_duckdb(engine.url.database if engine.dialect.name == "sqlite" else engine)
    if args.duckdb_threads:
        duck.execute(f"SET threads = {int(args.duckdb_threads)}")
    threads = duck.execute("SELECT current_setting('threads')").fetchone()[0]
    print(f"DuckDB threads: {threads}")
    print(f"DuckDB in-memory copy loaded in {time.perf_counter() - t:.1f} s (not counted)")
    # The machine is shared: ours and DuckDB run alternately, query by query, so each pair sees the same load.
    with Session(engine) as session:
        for name, sql in DUCK.items():
            params = {"production": first_production_id} if "$production" in sql else None
            pair: dict[str, list[float]] = {"ours": [], "duckdb": []}
            for _ in range(args.repeat):
                for side, fn in (
                    ("ours", lambda fn=ours[name]: fn(session)),
                    # .df(): a DataFrame, as the analytics functions return.
                    ("duckdb", lambda sql=sql, p=params: duck.execute(sql, p).df()),
                ):
                    t = time.perf_counter()
                    fn()
                    pair[side].append(time.perf_counter() - t)
            results[name]["ours"] = statistics.median(pair["ours"])
            results[name]["duckdb"] = statistics.median(pair["duckdb"])
            print(
                f"pair  {name:34} ours {results[name]['ours']:9.4f} s   duckdb {results[name]['duckdb']:9.4f} s",
                flush=True,
            )
    duck.close()
    if not args.skip_naive:
        for name, fn in naive.items():
            t = time.perf_counter()
            fn(engine)
            results[name]["naive"] = time.perf_counter() - t
            print(f"naive {name:34} {results[name]['naive']:9.3f} s", flush=True)

    print(f"\n{'query':34} {'ours s':>9} {'naive s':>9} {'duckdb s':>9} {'naive/ours':>11} {'ours/duckdb':>12}")
    for name, r in results.items():
        o, n, d = r["ours"], r.get("naive"), r.get("duckdb")
        print(
            f"{name:34} {o:9.4f} {n if n is not None else float('nan'):9.3f} "
            f"{d if d is not None else float('nan'):9.4f} "
            f"{(n / o) if n else float('nan'):11.1f} {(o / d) if d else float('nan'):12.2f}"
        )
    print(
        f"\npeak RSS after the 'ours' phase: {ours_rss:.0f} MiB; after the findings: {findings_rss:.0f} MiB; "
        f"whole process: {peak_rss_mib():.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
