"""The names imports could not match to exactly one person, as plain rows: a timesheet's unknown or ambiguous name
(``person_match_review``, with the import it came from and the rows it refused), one review item per name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.names import person_key
from data.schema import ImportBatch, PersonMatchReview, RejectedRow

# The refusals a name's rows get while it waits for review (data/importers/matching.py).
NAME_CODES = ("unknown_person", "ambiguous_person", "person_conflict")
TIMESHEET_COLUMNS = ("review_id", "name", "email", "candidates", "batch_id", "filename", "format", "rows",
                     "created_at")  # fmt: skip


def timesheet_names(session: Session, *, review_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Open reviews (all, or ``review_ids``), one mapping per name and email (the oldest review of it stands for
    the later imports that queued it again) with :data:`TIMESHEET_COLUMNS`: ``candidates`` the ids it could be,
    ``rows`` how many rows of its imports were refused for it; oldest first."""
    query = (
        select(PersonMatchReview.id, PersonMatchReview.name, PersonMatchReview.email, PersonMatchReview.candidate_ids,
               PersonMatchReview.batch_id, ImportBatch.filename, ImportBatch.format, PersonMatchReview.created_at)
        .outerjoin(ImportBatch, ImportBatch.id == PersonMatchReview.batch_id)
        .where(PersonMatchReview.status == "open")
        .order_by(PersonMatchReview.id)
    )  # fmt: skip
    if review_ids is not None:
        query = query.where(PersonMatchReview.id.in_(review_ids))
    refused = {
        f"{batch}:{value}": int(n)
        for batch, value, n in session.execute(
            select(RejectedRow.batch_id, RejectedRow.value, func.count())
            .where(RejectedRow.reason_code.in_(NAME_CODES))
            .group_by(RejectedRow.batch_id, RejectedRow.value)
        )
    }
    out: dict[tuple[str, str | None], dict[str, Any]] = {}
    for rid, name, email, candidates, batch, filename, fmt, created in session.execute(query):
        rows = refused.get(f"{batch}:{name}", 0) + (refused.get(f"{batch}:{email}", 0) if email else 0)
        key = (person_key(name) or name, email)
        if key in out:
            out[key]["rows"] += rows
            continue
        ids = sorted((candidates or {}).get("ids") or [])
        out[key] = dict(zip(TIMESHEET_COLUMNS, (rid, name, email, ids, batch, filename, fmt, rows, created),
                            strict=True))  # fmt: skip
    return list(out.values())


def refused_rows(session: Session, *, batch_ids: list[int], texts: list[str]) -> int:
    """How many rows of ``batch_ids`` were refused for one of ``texts`` (a name or an email) not matching anyone."""
    if not batch_ids or not texts:
        return 0
    return int(session.scalar(
        select(func.count()).select_from(RejectedRow).where(
            RejectedRow.batch_id.in_(batch_ids), RejectedRow.reason_code.in_(NAME_CODES), RejectedRow.value.in_(texts)
        )
    ) or 0)  # fmt: skip
