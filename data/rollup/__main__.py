"""``python -m data.rollup --database-url URL``: rebuild every rollup table (after editing employments, minimum wages
or rule parameters outside Endroll)."""

from __future__ import annotations

import argparse

from data.cli import quiet_pipes
from data.engine import make_engine, session_scope
from data.rollup.rebuild import refresh


@quiet_pipes
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.rollup", description="Rebuild every rollup table.")
    parser.add_argument("--database-url", help="default: DATABASE_URL or the embedded SQLite file")
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url)
    with session_scope(engine) as session:
        refresh(session)
    print("rollups rebuilt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
