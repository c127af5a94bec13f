"""Benchmark: validate every credit of the shared MADB files, and import the largest of them.

    .venv/bin/python bench/bench_credits.py [--madb DIR] [--repeat 5] [--import-only] [--database-url URL]

Validator: credits per second for the full validator with cold caches (each run starts from empty memo tables), and
for a baseline in the same process: one NFKC normalization plus one combined placeholder regex per name. Peak memory
is the Python allocation peak of one validator run (tracemalloc) and the process's maximum resident set size.
Parsing the JSON-LD (the importer's job) is timed separately and excluded from the rates.

Import (:mod:`bench_credit_import`): the largest shared file through ``import_file`` into a fresh database (a SQLite
file, or a database created on the PostgreSQL server of ``--database-url``), against a baseline in the same run:
``json.load`` of the same file plus one ``executemany`` per table of the very rows the import wrote (productions,
organizations and their aliases, person aliases, credit lines, notes), into another fresh database. Each phase runs
in its own child process: rows per second (wall-clock and per CPU second), and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import sys
import time
import tracemalloc
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_credit_import import import_bench  # noqa: E402

from analytics.credits import validator as validator_module  # noqa: E402
from analytics.credits.validator import RoleIndex, ToolDictionary, validate_credits  # noqa: E402
from data.importers import parse_credits  # noqa: E402
from data.reference import load_roles  # noqa: E402


def _shared_madb() -> Path:
    # ENDROLL_MADB_DIR, else the first shared/data/madb above the checkout (a worktree sits one folder deeper).
    if os.environ.get("ENDROLL_MADB_DIR"):
        return Path(os.environ["ENDROLL_MADB_DIR"])
    found = [p / "shared" / "data" / "madb" for p in ROOT.parents if (p / "shared" / "data" / "madb").is_dir()]
    return found[0] if found else ROOT.parent / "shared" / "data" / "madb"


DEFAULT_MADB = _shared_madb()
BASELINE = re.compile(
    r"^(AI|human|staff|スタッフ|unknown|不明|未定|TBD|ほか|他|一同)$|AI\s*\(?\+\s*human|[〓*]", re.IGNORECASE
)


def baseline(names: list[str]) -> int:
    hits = 0
    for name in names:
        if BASELINE.search(unicodedata.normalize("NFKC", name).strip()):
            hits += 1
    return hits


def cold_validate(credits: list) -> int:
    validator_module._cached_name_hits.cache_clear()
    report = validate_credits(credits, tools=ToolDictionary(), roles=RoleIndex(load_roles()))
    return len(report.findings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--madb", type=Path, default=DEFAULT_MADB)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--import-only", action="store_true", help="time the import only, not the validator")
    parser.add_argument("--database-url", help="a PostgreSQL server to import into (default: SQLite files)")
    args = parser.parse_args(argv)
    files = sorted(args.madb.glob("*.json"))
    if not files:
        print(f"error: no MADB JSON files in {args.madb}", file=sys.stderr)
        return 2
    if not args.import_only:
        validator_bench(files, args.repeat)
    largest = max(files, key=lambda p: p.stat().st_size)
    return import_bench(largest, args.database_url)


def validator_bench(files: list[Path], repeat: int) -> None:
    """Validate every credit of ``files`` ``repeat`` times with cold caches, and the baseline; print the rates."""

    t0 = time.perf_counter()
    credits = [c for path in files for c in parse_credits(path)]
    parse_s = time.perf_counter() - t0
    checked = sum(1 for c in credits if c.kind == "credit")
    defects = sum(1 for c in credits if c.kind == "defect")
    names = [c.name_as_credited for c in credits if c.kind == "credit"]

    base_times, full_times = [], []
    findings = 0
    for _ in range(repeat):
        t = time.perf_counter()
        baseline(names)
        base_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        findings = cold_validate(credits)
        full_times.append(time.perf_counter() - t)

    tracemalloc.start()
    cold_validate(credits)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    base, full = statistics.median(base_times), statistics.median(full_times)
    print(f"files: {', '.join(p.name for p in files)}")
    print(f"credits: {checked:,} (+{len(credits) - checked - defects:,} notes, {defects:,} source defects); "
          f"findings: {findings:,}")  # fmt: skip
    print(f"parse (importer, excluded): {parse_s:.2f} s")
    print(f"baseline NFKC+regex: median {base * 1000:.1f} ms over {repeat} runs = {checked / base:,.0f} credits/s")
    print(
        f"validator (cold caches): median {full * 1000:.1f} ms, best {min(full_times) * 1000:.1f} ms "
        f"= {checked / full:,.0f} credits/s (target >= 30,000/s)"
    )
    print(f"ratio validator/baseline time: {full / base:.1f}x")
    print(f"peak Python allocations during one validation: {peak / 2**20:.1f} MiB; process max RSS {rss_mib:.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())
