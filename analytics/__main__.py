"""Command line: ``python -m analytics findings [--production NAME]… [--department NAME]… [--from DATE] [--to DATE]
[--format csv|json]``.

The flags build the same :class:`~analytics.scope.Scope` the dashboard's sidebar builds: several productions or
departments mean any of them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from data import tabular
from data.cli import quiet_pipes
from data.errors import EndrollError


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-10-31") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description="Endroll labor analytics.")
    commands = parser.add_subparsers(dest="command", required=True)
    cmd = commands.add_parser("findings", help="print every compliance finding (violations, advocacy flags, warnings)")
    cmd.add_argument(
        "--production",
        action="append",
        default=[],
        help="title (or id) of a production: only the people who worked on it (repeat for several: any of them)",
    )
    cmd.add_argument(
        "--department",
        action="append",
        default=[],
        help="a department (e.g. animation): only the people who worked in its roles (repeat for several)",
    )
    cmd.add_argument(
        "--from",
        dest="start",
        type=_date,
        help="first date of the period (YYYY-MM-DD); rules still see all of the work before it",
    )
    cmd.add_argument(
        "--to", dest="end", type=_date, help="last date of the period: findings whose period overlaps it are printed"
    )
    cmd.add_argument("--format", choices=("csv", "json"), default="csv")
    cmd.add_argument("--database-url", help="default: DATABASE_URL or the embedded SQLite file")
    return parser


@quiet_pipes
def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from analytics.findings.context import TEXT_COLUMNS
    from analytics.findings.snapshot import studio_findings
    from analytics.findings.text import render
    from analytics.queries.productions import departments, production_ids
    from analytics.reference import minimum_wage_staleness, staleness_notes
    from analytics.scope import Scope
    from data.engine import DatabaseError, make_engine, session_scope

    try:
        scope = Scope(start=args.start, end=args.end)
        engine = make_engine(args.database_url)
        with session_scope(engine) as session:
            scope = scope.replace(
                productions=production_ids(session, args.production), departments=departments(session, args.department)
            )
            # The stored snapshot when current; else computed, and stored for the next run.
            df = studio_findings(session, scope=scope)
            # Minimum wages that judged this work while they may be out of date: said on stderr, beside the table.
            for message, params in staleness_notes(minimum_wage_staleness(session, scope=scope)):
                print(f"warning: {render(message, params)}", file=sys.stderr)
    except (EndrollError, DatabaseError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    # The stable English explanation and the sources; the template and its parameters are for the pages' languages.
    df = df.drop(columns=list(TEXT_COLUMNS))
    if args.format == "json":
        records = [
            {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}
            for row in df.astype(object).where(df.notna(), None).to_dict(orient="records")
        ]
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        tabular.write_frame_csv(df, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
