"""What the stored findings snapshot must match besides the data version: the schema revision and the reference
tables seeded at start-up, which change without going through an application write."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from data.schema import MinimumWage, Role, RuleParameter


def reference_marks(session: Session) -> list[str]:
    """One line per thing a snapshot was computed from outside the data version: the Alembic revision (migrations
    run untracked, so it stands for what they changed), then ``table:rows:largest id`` of each reference table."""
    marks = [str(session.scalar(text("SELECT version_num FROM alembic_version")))]
    for table in (RuleParameter, MinimumWage, Role):
        count, last = session.execute(select(func.count(), func.max(table.id)).select_from(table)).one()
        marks.append(f"{table.__tablename__}:{count}:{last}")
    return marks
