"""``python -m data.demo``: load the demo studio into a database from the command line.

Where: the embedded SQLite database (ENDROLL_HOME/endroll.sqlite3), or the database ``--database-url`` names. The
``DATABASE_URL`` of the environment — a real deployment's database — is used only with ``--use-database-url``, so a
start command run against production never fills it with a demo whose accounts someone knows; ``--if-empty`` (the
start command) never uses it at all. Passwords are generated at load time and printed once, unless
``--demo-passwords`` asks for the well-known ``<username>-demo`` ones (screenshots, tests).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import MetaData
from sqlalchemy.engine import make_url

from data import settings
from data.cli import quiet_pipes
from data.demo.accounts import generated_passwords, set_passwords, well_known_passwords
from data.demo.errors import DemoError
from data.demo.load import load_demo
from data.demo.presets import PRESETS, STUDIO
from data.engine import DatabaseError, default_sqlite_url, dispose_all, is_empty, make_engine, upgrade

DESCRIPTION = "The demo studio: one deterministic generator for the demo, the tests and the benchmarks."


def _parser() -> argparse.ArgumentParser:
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
    parser.add_argument(
        "--database-url",
        default=None,
        help="load into this database (default: the embedded SQLite file; DATABASE_URL only with --use-database-url)",
    )
    parser.add_argument(
        "--use-database-url",
        action="store_true",
        help="load into the database of the DATABASE_URL environment variable (never done without this flag)",
    )
    parser.add_argument(
        "--if-empty",
        action="store_true",
        help="load only when the database holds no studio data and ENDROLL_DEMO_ON_EMPTY is true, and never into "
        "DATABASE_URL (the start command)",
    )
    parser.add_argument(
        "--demo-passwords",
        action="store_true",
        help="give the accounts the well-known passwords <username>-demo (screenshots, tests) instead of new "
        "random ones printed once",
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help="empty the embedded SQLite database first (every record in it is lost), then load the demo",
    )
    parser.add_argument("--force", action="store_true", help="with --reset: also empty a database given by URL")
    return parser


def _target(args: argparse.Namespace, parser: argparse.ArgumentParser) -> tuple[str, bool]:
    """The URL to load into, and whether it is the embedded default."""
    if args.database_url:
        return args.database_url, args.database_url == default_sqlite_url()
    if os.environ.get("DATABASE_URL"):
        if args.if_empty:
            return "", False
        if not args.use_database_url:
            parser.exit(2, "error: DATABASE_URL is set; the demo goes there only with --use-database-url "
                           "(or pass --database-url URL)\n")  # fmt: skip
        return os.environ["DATABASE_URL"], False
    return default_sqlite_url(), True


def _reset(url: str, embedded: bool) -> None:
    if embedded:
        dispose_all()
        path = Path(make_url(url).database or "")
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        return
    engine = make_engine(url)
    # Every table dropped, not the migrations run down: a downgrade refuses to lose rows an older schema cannot hold.
    tables = MetaData()
    tables.reflect(engine)
    tables.drop_all(engine)
    upgrade(engine)
    engine.dispose()


@quiet_pipes
def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 loaded or skipped, 2 refused)."""
    parser = _parser()
    args = parser.parse_args(argv)
    url, embedded = _target(args, parser)
    if args.if_empty and not url:
        print("DATABASE_URL is set: the demo studio is loaded only into the embedded SQLite database; not loaded.")
        return 0
    if args.if_empty and not settings.get("demo_on_empty"):
        print("ENDROLL_DEMO_ON_EMPTY is false; the demo was not loaded.")
        return 0
    if args.reset:
        if not embedded and not args.force:
            print("error: --reset empties only the embedded SQLite database; pass --force to empty "
                  f"{make_url(url).render_as_string(hide_password=True)}", file=sys.stderr)  # fmt: skip
            return 2
        _reset(url, embedded)
    try:
        engine = make_engine(url)
    except DatabaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
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
    passwords = well_known_passwords() if args.demo_passwords else generated_passwords()
    if not args.demo_passwords:
        set_passwords(engine, passwords)
    print(f"Loaded the demo studio into {engine.url.render_as_string(hide_password=True)}")
    print("\n".join(summary.lines()))
    if args.demo_passwords:
        print("Accounts (the well-known demo passwords: never use this database for real records):")
    else:
        print("Accounts (passwords generated now and shown only this once; "
              "change one with `python -m data.accounts set-password --username NAME`):")  # fmt: skip
    for username, password in passwords.items():
        print(f"  {username} / {password}")
    return 0
