"""What the canonical-import tests share: writing a small CSV, counting rows, checking an import's summary adds up."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.schema import Person


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        for row in rows:
            w.writerow(row)
    return path


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model))


def balanced(summary) -> None:  # noqa: ANN001 - data.importers.ImportSummary
    """Every row ended imported, updated, unchanged or rejected, and the rejections add up by reason."""
    s = summary
    assert s.imported + s.updated + s.unchanged + s.rejected == s.rows_total
    assert s.rejected == sum(s.rejected_by_reason.values())


def person_id(session: Session, email: str) -> int:
    return session.scalar(select(Person.id).where(Person.email == email))
