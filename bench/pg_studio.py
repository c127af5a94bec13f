"""The demo studio on a throwaway PostgreSQL cluster, and the benchmarks run against it (issue 22).

    python bench/pg_studio.py --scale 1 [--bench analytics,pages,concurrency] [--keep DIR]
    python bench/pg_studio.py --scale 119 --bench analytics,pages   # 5,033,959 work logs

Starts a cluster of its own with ``scripts/pg.sh`` (its own data folder and a free port, as tests/conftest.py does),
loads the demo studio into it (``python -m data.demo --seed 42 --scale N --demo-passwords``: the benchmarks sign in
with the well-known passwords), prints the build time and rate in work-log rows per second, then runs each
benchmark named by ``--bench`` with ``--database-url`` pointing at the cluster:

* ``analytics`` — bench/bench_analytics.py (ours, naive pandas, DuckDB from a copy of the same PostgreSQL tables);
* ``pages`` — bench/bench_pages.py (cold and warm per page, first visit after a studio-wide write);
* ``concurrency`` — bench/bench_concurrency.py (10 sessions; it imports one small file, so it runs last).

The cluster is stopped and its folder removed at the end, on an error, on Ctrl-C and on SIGTERM. ``--keep DIR``
keeps the cluster's folder (stopped) for a later ``--reuse DIR``, which starts it again and skips the build.
Each benchmark's output goes to the terminal and, with ``--out DIR``, to ``DIR/<bench>-pg-<scale>.txt``.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHES = {
    "analytics": ["bench/bench_analytics.py"],
    "pages": ["bench/bench_pages.py"],
    "concurrency": ["bench/bench_concurrency.py"],
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _interrupt(signum: int, frame: object) -> None:
    # SIGTERM (timeout, a closed terminal) would end the process past the finally that stops the cluster.
    raise KeyboardInterrupt


def start_cluster(folder: Path) -> str:
    """Start (or restart) the cluster in ``folder``; its SQLAlchemy URL."""
    out = subprocess.run(["bash", str(ROOT / "scripts" / "pg.sh"), "start", str(folder), str(_free_port())],
                         capture_output=True, text=True, timeout=180)  # fmt: skip
    if out.returncode != 0:
        raise RuntimeError(f"scripts/pg.sh start failed ({out.returncode}): {out.stderr[-800:]}")
    return out.stdout.strip().splitlines()[-1]


def stop_cluster(folder: Path) -> None:
    subprocess.run(["bash", str(ROOT / "scripts" / "pg.sh"), "stop", str(folder)], capture_output=True, timeout=120)


def build(url: str, scale: float, seed: int) -> None:
    """Load the demo studio into the cluster's empty database and print the rate (work-log rows per second)."""
    from sqlalchemy import create_engine, func, select, text

    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "data.demo", "--seed", str(seed), "--scale", str(scale), "--database-url",
                    url, "--demo-passwords"], cwd=ROOT, check=True)  # fmt: skip
    seconds = time.perf_counter() - start
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT count(*) FROM work_log")).scalar_one()
        size = conn.execute(select(func.pg_database_size(func.current_database()))).scalar_one()
    engine.dispose()
    print(f"built the demo studio at scale {scale:g} on PostgreSQL in {seconds:.1f} s: {rows:,} work logs, "
          f"{rows / seconds:,.0f} rows/s; database {size / 2**20:,.0f} MiB", flush=True)  # fmt: skip


def run_bench(name: str, url: str, extra: list[str], out: Path | None, scale: float) -> int:
    command = [sys.executable, *BENCHES[name], "--database-url", url, *extra]
    print(f"\n$ {' '.join(command)}", flush=True)
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    for line in proc.stdout:
        if "missing ScriptRunContext" in line:  # AppTest's noise, one line per thread
            continue
        lines.append(line)
        print(line, end="", flush=True)
    code = proc.wait()
    took = time.perf_counter() - start
    print(f"({name}: exit {code}, {took:.0f} s)", flush=True)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"{name}-pg-scale{scale:g}.txt"
        path.write_text(f"$ {' '.join(['python', *command[1:]])}\n" + "".join(lines) + f"(exit {code}, {took:.0f} s)\n")
        print(f"written: {path}")
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="demo scale (1 ≈ 57k work logs, 119 ≈ 5M)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--bench", default="analytics,pages,concurrency", help="benchmarks to run, in order ('' none)")
    parser.add_argument("--analytics-args", default="--repeat 3", help="extra arguments for bench_analytics.py")
    parser.add_argument("--pages-args", default="", help="extra arguments for bench_pages.py")
    parser.add_argument("--concurrency-args", default="", help="extra arguments for bench_concurrency.py")
    parser.add_argument("--out", type=Path, help="also write each benchmark's output to this folder")
    parser.add_argument("--keep", type=Path, help="keep the cluster's folder here (stopped) instead of removing it")
    parser.add_argument("--reuse", type=Path, help="start the cluster kept in this folder; no build")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    names = [n for n in args.bench.split(",") if n]
    unknown = set(names) - set(BENCHES)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}; known: {', '.join(BENCHES)}")
    folder = args.reuse or args.keep or Path(tempfile.mkdtemp(prefix="endroll-pg-bench-"))
    failures = 0
    try:
        url = start_cluster(folder)
        print(f"PostgreSQL cluster in {folder}: {url}", flush=True)
        if not args.reuse:
            build(url, args.scale, args.seed)
        for name in names:
            extra = getattr(args, f"{name}_args").split()
            failures += run_bench(name, url, extra, args.out, args.scale) != 0
    finally:
        stop_cluster(folder)
        if not (args.keep or args.reuse):
            shutil.rmtree(folder, ignore_errors=True)
        print(f"PostgreSQL cluster stopped{'' if args.keep or args.reuse else ' and removed'}: {folder}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
