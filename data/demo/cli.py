"""``python -m data.demo``: load the demo studio into a database from the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from data import settings
from data.demo.errors import DemoError
from data.demo.load import load_demo
from data.demo.presets import PRESETS, STUDIO
from data.engine import is_empty, make_engine

DESCRIPTION = "The demo studio: one deterministic generator for the demo, the tests and the benchmarks."


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 loaded or skipped, 2 refused)."""
    parser = argparse.ArgumentParser(prog="python -m data.demo", description=DESCRIPTION)
    parser.add_argument(
        "--seed", type=int, default=settings.get("demo_seed"), help="random seed (default: %(default)s)"
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiplies the piece-work crews; 1.0 ≈ 57k work logs, 119 ≈ 5M (default: %(default)s)",
    )
    parser.add_argument(
        "--preset",
        choices=sorted(PRESETS),
        default=STUDIO.name,
        help="the full demo studio, or the small fixture studio the unit tests load (default: %(default)s)",
    )
    parser.add_argument("--database-url", default=None, help="database URL (default: DATABASE_URL or the SQLite file)")
    parser.add_argument(
        "--if-empty",
        action="store_true",
        help="load only when the database holds no studio data and ENDROLL_DEMO_ON_EMPTY is true (the start command)",
    )
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url)
    if args.if_empty and not settings.get("demo_on_empty"):
        print("ENDROLL_DEMO_ON_EMPTY is false; the demo was not loaded.")
        return 0
    if args.if_empty and not is_empty(engine):
        print("The database already holds studio data; the demo was not loaded.")
        return 0

    def report(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        summary = load_demo(engine, seed=args.seed, scale=args.scale, preset=PRESETS[args.preset], progress=report)
    except DemoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Loaded the demo studio into {engine.url.render_as_string(hide_password=True)}")
    print("\n".join(summary.lines()))
    print("Accounts: manager / manager-demo, advocate / advocate-demo, artist / artist-demo")
    return 0
