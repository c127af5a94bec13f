"""``python -m data.importers FILE [--format NAME] [--production NAME] [--dry-run] [--create-people]``

Exit codes: 0 the import ran (rejected rows are reported, not fatal); 1 a fatal error, nothing was written;
2 bad command-line arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from data.cli import quiet_pipes
from data.importers import FORMATS, ImportFailed, import_file


@quiet_pipes
def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit code (0 ran, 1 fatal error, 2 bad arguments)."""
    parser = argparse.ArgumentParser(prog="python -m data.importers", description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, nargs="?", help="the file to import")
    parser.add_argument("--format", choices=sorted(FORMATS), help="skip detection from the header")
    parser.add_argument("--production", help="production title for rows that name none (created if new)")
    parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
    parser.add_argument("--create-people", action="store_true", help="create unknown people instead of queueing")
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: DATABASE_URL or the embedded SQLite)")
    parser.add_argument(
        "--note",
        "--actor",
        dest="note",
        help="a note for the audit log (the log names the shell user who ran the import; this text is kept as a "
        "note, never as who did it)",
    )
    parser.add_argument("--write-templates", type=Path, metavar="DIR", help="write the canonical templates and exit")
    args = parser.parse_args(argv)
    if args.write_templates:
        from data.importers.registry import write_templates

        for p in write_templates(args.write_templates):
            print(p)
        return 0
    if args.file is None:
        parser.error("FILE is required")

    from data.engine import DatabaseError, make_engine, session_scope
    from services.access import command_line_actor

    try:
        engine = make_engine(args.database_url)
    except DatabaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        with session_scope(engine) as session:
            summary = import_file(
                session,
                path=args.file,
                format=args.format,
                production=args.production,
                dry_run=args.dry_run,
                create_people=args.create_people,
                actor=command_line_actor().username,
                note=args.note,
            )
    except ImportFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(summary.as_text())
    if summary.rejected and summary.batch_id is not None:
        print(f"  rejected rows: see import batch {summary.batch_id} (rejected_rows_csv) or the dashboard")
    return 0


if __name__ == "__main__":
    sys.exit(main())
