"""Benchmark: validate every credit of the shared MADB files.

    .venv/bin/python bench/bench_credits.py [--madb DIR] [--repeat 5]

Prints credits per second for the full validator with cold caches (each run starts from empty memo tables), and for a
baseline in the same process: one NFKC normalization plus one combined placeholder regex per name. Peak memory is the
Python allocation peak of one validator run (tracemalloc) and the process's maximum resident set size.
Parsing the JSON-LD (the importer's job) is timed separately and excluded from the rates.
"""

from __future__ import annotations

import argparse
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

from analytics.credits import validator as validator_module  # noqa: E402
from analytics.credits.validator import RoleIndex, ToolDictionary, validate_credits  # noqa: E402
from data.importers import parse_credits  # noqa: E402
from data.reference import load_roles  # noqa: E402

DEFAULT_MADB = ROOT.parent / "shared" / "data" / "madb"
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
    args = parser.parse_args(argv)
    files = sorted(args.madb.glob("*.json"))
    if not files:
        print(f"error: no MADB JSON files in {args.madb}", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    credits = [c for path in files for c in parse_credits(path)]
    parse_s = time.perf_counter() - t0
    checked = sum(1 for c in credits if c.kind == "credit")
    names = [c.name_as_credited for c in credits if c.kind == "credit"]

    base_times, full_times = [], []
    findings = 0
    for _ in range(args.repeat):
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
    print(f"credits: {checked:,} (+{len(credits) - checked:,} notes); findings: {findings:,}")
    print(f"parse (importer, excluded): {parse_s:.2f} s")
    print(f"baseline NFKC+regex: median {base * 1000:.1f} ms over {args.repeat} runs = {checked / base:,.0f} credits/s")
    print(
        f"validator (cold caches): median {full * 1000:.1f} ms, best {min(full_times) * 1000:.1f} ms "
        f"= {checked / full:,.0f} credits/s (target >= 30,000/s)"
    )
    print(f"ratio validator/baseline time: {full / base:.1f}x")
    print(f"peak Python allocations during one validation: {peak / 2**20:.1f} MiB; process max RSS {rss_mib:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
