"""Stored credit lines as the shared credit shape, so the validator checks a production like it checks a file."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from analytics.credits.model import StoredCredit
from analytics.queries.credits import credit_line_rows, find_production
from data.credit_records import ParsedCredit

__all__ = ["as_stored", "find_production", "stored_credits"]


def stored_credits(session: Session, *, production_id: int) -> list[StoredCredit]:
    """The production's credit lines in roll order (block, line_order, position_in_line), as StoredCredit.

    ``credit.line`` is the 1-based position in that order, the number the findings and the roll show.
    """
    return as_stored(credit_line_rows(session, production_id))


def as_stored(rows: Iterable[Any]) -> list[StoredCredit]:
    """``rows`` (:func:`analytics.queries.credits.credit_line_rows`, in roll order) as StoredCredit, numbered."""
    out: list[StoredCredit] = []
    for number, row in enumerate(rows, start=1):
        credit = ParsedCredit(
            line=number,
            production=row["production"],
            role_as_credited=row["role_as_credited"],
            name_as_credited=row["name_as_credited"],
            role_code=row["role_code"],
            block=row["block"],
            line_order=row["line_order"],
            position_in_line=row["position_in_line"],
            episode_scope=row["episode_scope"],
            episode_from=row["episode_from"],
            episode_to=row["episode_to"],
            is_organization=row["org_alias_id"] is not None,
            source=row["source"],
            source_ref=row["source_ref"],
            source_line_id=row["source_line_id"],
            note=row["note"],
        )
        out.append(
            StoredCredit(
                credit=credit,
                credit_line_id=row["id"],
                person_id=row["person_id"],
                person_alias_id=row["person_alias_id"],
                org_alias_id=row["org_alias_id"],
                individuals_uncredited=bool(row["individuals_uncredited"]),
                uncredited_reason=row["uncredited_reason"],
            )
        )
    return out
