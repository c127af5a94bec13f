"""Command line: check credits, print a production's end roll, export an artist's credit record.

    python -m analytics.credits check PRODUCTION_OR_FILE [--format text|csv|json] [--database-url URL]
    python -m analytics.credits roll PRODUCTION [--format text|csv|json|pdf] [--lang ja|en] [--output FILE]
    python -m analytics.credits record PERSON_ID [--format csv|json|pdf] [--lang ja|en] [--output FILE]

``check`` exits 1 when an ERROR exists, 0 otherwise, and 2 when the input cannot be read. ``--lang`` is the language
of the text and PDF exports (the CSV and JSON carry both languages). A PDF that would need a character no installed
font has is refused, naming it (exit status 2).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from contextlib import AbstractContextManager
from pathlib import Path

from sqlalchemy.orm import Session

from analytics.credits.model import ToolDictionary, ValidationReport
from analytics.credits.validator import validate_credits
from data.errors import EndrollError
from data.i18n import LANGUAGES

COLUMNS = ("line", "severity", "rule", "role", "name", "message", "production", "source_ref", "credit_line_id")


def check_file(path: Path, *, session: Session | None = None) -> ValidationReport:
    """Validate every credit in a credit file the importer reads (MADB JSON-LD, credit-roll text, canonical CSV/XLSX);
    with a session, the database's AI tools and vendors join the built-in dictionary."""
    from data.importers import parse_credits

    tools = ToolDictionary.from_session(session) if session is not None else ToolDictionary()
    return validate_credits(parse_credits(path), tools=tools)


def format_report(report: ValidationReport, fmt: str) -> str:
    rows = [{c: f.as_dict()[c] for c in COLUMNS} for f in report.findings]
    if fmt == "json":
        return json.dumps(
            {
                "credits_checked": report.credits_checked,
                "notes_skipped": report.notes_skipped,
                "has_errors": report.has_errors,
                "counts": report.counts(),
                "findings": rows,
            },
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    out = []
    for f in report.findings:
        where = f"{f.source_ref}:" if f.source_ref else ""
        out.append(
            f"{where}{f.line if f.line is not None else '-'}\t{f.severity}\t{f.rule}\t{f.role}\t{f.name}\t{f.message}"
        )
    errors = sum(1 for f in report.findings if str(f.severity) == "ERROR")
    warns = sum(1 for f in report.findings if str(f.severity) == "WARN")
    out.append(
        f"{report.credits_checked} credits checked: {errors} ERROR, {warns} WARN, "
        f"{len(report.findings) - errors - warns} INFO"
    )
    return "\n".join(out)


def _session(url: str | None) -> AbstractContextManager[Session]:
    from data.engine import get_engine, session_scope

    return session_scope(get_engine(url))


def _write(data: bytes | str, output: str | None) -> None:
    if output:
        Path(output).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    elif isinstance(data, bytes):
        sys.stdout.buffer.write(data)
    else:
        sys.stdout.write(data if data.endswith("\n") else data + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics.credits", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate a stored production or a credit file")
    check.add_argument("target", help="production id, title or external reference; or a path to a credit file")
    check.add_argument("--format", choices=("text", "csv", "json"), default="text")
    check.add_argument("--database-url", help="database to read (default: DATABASE_URL or the embedded SQLite)")
    roll = sub.add_parser("roll", help="export a production's end roll")
    roll.add_argument("production")
    roll.add_argument("--format", choices=("text", "csv", "json", "pdf"), default="text")
    roll.add_argument("--lang", choices=LANGUAGES, default="ja", help="language of the text and PDF roll")
    roll.add_argument("--output", "-o", help="file to write (default: standard output)")
    roll.add_argument("--database-url")
    record = sub.add_parser("record", help="export a person's credit record across productions")
    record.add_argument("person_id", type=int)
    record.add_argument("--format", choices=("csv", "json", "pdf"), default="csv")
    record.add_argument("--lang", choices=LANGUAGES, default="ja", help="language of the PDF record")
    record.add_argument("--output", "-o")
    record.add_argument("--database-url")
    args = parser.parse_args(argv)

    try:
        if args.command == "check":
            path = Path(args.target)
            if path.is_file():
                if args.database_url:
                    with _session(args.database_url) as session:
                        report = check_file(path, session=session)
                else:
                    report = check_file(path)
            else:
                from analytics.credits.crosscheck import check_production

                with _session(args.database_url) as session:
                    report = check_production(session, production=args.target)
            print(format_report(report, args.format))
            return 1 if report.has_errors else 0
        if args.command == "roll":
            from analytics.credits.endroll import build_end_roll, export_roll

            with _session(args.database_url) as session:
                end_roll = build_end_roll(session, production=args.production)
            data = export_roll(end_roll, args.format, args.lang)
            _write(data if args.format == "pdf" else data.decode("utf-8-sig"), args.output)
            if end_roll.is_draft:
                print(f"DRAFT: {end_roll.draft_reason()}", file=sys.stderr)
            return 0
        from analytics.credits.record import export_record

        with _session(args.database_url) as session:
            data = export_record(session, person_id=args.person_id, fmt=args.format, lang=args.lang)
        _write(data if args.format == "pdf" else data.decode("utf-8-sig"), args.output)
        return 0
    except (EndrollError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (LookupError, ValueError, RuntimeError) as exc:
        # The importers' and the engine's errors until they derive from EndrollError too (issue 13).
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
