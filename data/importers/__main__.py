"""``python -m data.importers FILE [--format NAME] [--production TITLE | --map PROJECT=TITLE … | --create-productions]
[--encoding NAME] [--years FIRST-LAST] [--dry-run] [--create-people]``

Exit codes: 0 the import ran (rejected rows are reported, not fatal); 1 a fatal error, nothing was written;
2 bad command-line arguments.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from data.cli import quiet_pipes
from data.importers import FORMATS, ImportFailed, import_file


def _mapping(text: str) -> tuple[str, str]:
    name, sep, title = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: write it as PROJECT=TITLE (the project as the file names it)")
    return name.strip(), title.strip()


def _years(text: str) -> tuple[int, int]:
    first, sep, last = text.partition("-")
    if not sep or not first.strip().isdigit() or not last.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{text!r}: write the years as FIRST-LAST, e.g. 2000-2100")
    return int(first), int(last)


@quiet_pipes
def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit code (0 ran, 1 fatal error, 2 bad arguments)."""
    parser = argparse.ArgumentParser(prog="python -m data.importers", description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, nargs="?", help="the file to import")
    parser.add_argument("--format", choices=sorted(FORMATS), help="skip detection from the header")
    parser.add_argument("--production", help="every row goes to this production (created if new)")
    parser.add_argument(
        "--map",
        type=_mapping,
        action="append",
        default=[],
        metavar="PROJECT=TITLE",
        help="the file's project PROJECT is the production TITLE (created if new; remembered); repeat for several; "
        "PROJECT= (no title) leaves the project out",
    )
    parser.add_argument(
        "--create-productions", action="store_true", help="create a production for every other unknown project"
    )
    parser.add_argument("--encoding", help="the file's text encoding (default: detected: UTF-8, UTF-16 or CP932)")
    parser.add_argument(
        "--bot",
        action="append",
        default=[],
        metavar="NAME[=OPERATOR]",
        help="NAME is an AI agent: its logged time is AI usage run by OPERATOR (a person's name or email), never "
        "a person's hours; repeat for several",
    )
    parser.add_argument(
        "--years",
        type=_years,
        default=None,
        metavar="FIRST-LAST",
        help="the years a date may fall in (default 2000-2100); other dates are rejected rows",
    )
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
                encoding=args.encoding,
                project_map={name: title or None for name, title in args.map},
                create_productions=args.create_productions,
                bots={n.strip(): (o.strip() or None) for n, _, o in (b.partition("=") for b in args.bot)},
                **({"years": args.years} if args.years else {}),
            )
    except ImportFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(summary.as_text())
    if summary.rejected and summary.batch_id is not None:
        print(f"  rejected rows: see import batch {summary.batch_id} (rejected_rows_csv) or the dashboard")
    if summary.warned and summary.batch_id is not None:
        print(f"  warnings: see import batch {summary.batch_id} (warnings_csv) or the dashboard")
    if summary.unknown_projects:
        names = sorted(summary.unknown_projects, key=lambda n: (-summary.unknown_projects[n], n))
        print("  to import their rows, map each project to a production, or create them, and import again:")
        print("    " + " ".join(f"--map {shlex.quote(f'{n}=TITLE')}" for n in names[:5]) + " … or --create-productions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
