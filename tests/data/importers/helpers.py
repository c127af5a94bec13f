"""What the importer tests share: the fixture files, writing a small CSV, counting rows, checking an import's summary
adds up."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from data.importers import ImportFailed, ImportSummary, import_file
from data.schema import Person

FIX = Path(__file__).resolve().parent / "fixtures"
ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = ROOT / "data" / "importers" / "templates"


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        for row in rows:
            w.writerow(row)
    return path


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model))


def balanced(summary: ImportSummary) -> None:
    """Every row ended imported, updated, unchanged or rejected, and the rejections add up by reason."""
    s = summary
    assert s.imported + s.updated + s.unchanged + s.rejected == s.rows_total
    assert s.rejected == sum(s.rejected_by_reason.values())


def person_id(session: Session, email: str) -> int:
    return session.scalar(select(Person.id).where(Person.email == email))


def accounts_for_every_row(engine: Engine, path: Path, fmt: str, header: list[str], rows: list[list[str]]) -> None:
    """Write ``rows`` under ``header`` as a CSV and import it: the import either fails with a message, writing
    nothing, or ends every CSV record imported, updated, unchanged or rejected (the fuzz tests' check)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    with Session(engine) as session:
        try:
            summary = import_file(session, path=path, format=fmt, create_people=True)
        except ImportFailed as exc:
            assert str(exc)
            return
    balanced(summary)
    with path.open(encoding="utf-8", newline="") as fh:
        next(fh)
        assert summary.rows_total == sum(1 for _ in csv.reader(fh))
