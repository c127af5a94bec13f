"""The stored credit checks (validation and labor cross-check per production, ``analytics.credits.checks``): their
version, when they went stale, and the rows themselves.

``data_version.credits_version`` moves on with every committed write the checks depend on
(:data:`data.snapshots.CREDIT_CHECKS`, ``data.engine``), and ``credits_stale_since`` records the first such write
since the checks were last all current; the background worker clears it once every production's check is stored at
the version it read. A production's check is current when it was stored at the current version with the current
code (``key``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, union, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from data.schema import (
    CreditCheck,
    CreditCheckDue,
    CreditCheckFinding,
    CreditLine,
    DataVersion,
    PayItem,
    PersonAlias,
    Production,
    WorkLog,
    utcnow,
)

log = logging.getLogger(__name__)

# The columns of a stored finding, in the validator's Finding order (analytics.credits.model.Finding).
FINDING_COLUMNS = ("rule", "severity", "message", "line", "role", "name", "production", "source_ref",
                   "credit_line_id", "person_id")  # fmt: skip


@dataclass(frozen=True)
class CheckMark:
    """What is known of a production's stored check without reading its findings (``computed_at`` naive UTC)."""

    production_id: int
    credits_version: int
    key: str
    computed_at: dt.datetime
    credits_checked: int
    findings: int
    errors: int
    production_version: int = 0


_MARK = (
    CreditCheck.production_id,
    CreditCheck.credits_version,
    CreditCheck.key,
    CreditCheck.computed_at,
    CreditCheck.credits_checked,
    CreditCheck.findings,
    CreditCheck.errors,
    CreditCheck.production_version,
)


def credits_version(session: Session) -> int:
    """The credits version now (0 before any write the checks depend on)."""
    found = session.execute(select(DataVersion.credits_version).where(DataVersion.id == 1)).scalar_one_or_none()
    return int(found or 0)


def due_versions(session: Session) -> dict[int, int]:
    """Each production's own credits version (``credit_check_due``; a production without a row: 0), by id."""
    return {int(p): int(v) for p, v in session.execute(select(CreditCheckDue.production_id, CreditCheckDue.version))}


def due_version(session: Session, *, production_id: int) -> int:
    """One production's own credits version (0 before any write that named it)."""
    found = session.execute(
        select(CreditCheckDue.version).where(CreditCheckDue.production_id == production_id)
    ).scalar_one_or_none()
    return int(found or 0)


def due_state(session: Session, *, production_id: int) -> tuple[int, dt.datetime | None]:
    """One production's own credits version and since when a write that named it has waited for its check (naive
    UTC; None: none) — (0, None) before any such write."""
    row = session.execute(
        select(CreditCheckDue.version, CreditCheckDue.since).where(CreditCheckDue.production_id == production_id)
    ).first()
    return (0, None) if row is None else (int(row[0]), row[1])


def productions_of_people(session: Session, person_ids: Iterable[int]) -> set[int]:
    """The productions whose credit check reads ``person_ids``' names: those they logged work or were paid on, and
    those that credit them (through any of their aliases)."""
    ids = sorted({int(p) for p in person_ids})
    if not ids:
        return set()
    query = union(
        select(WorkLog.production_id).where(WorkLog.person_id.in_(ids)).distinct(),
        select(PayItem.production_id).where(PayItem.person_id.in_(ids), PayItem.production_id.is_not(None)),
        select(CreditLine.production_id).join(PersonAlias, PersonAlias.id == CreditLine.person_alias_id)
        .where(PersonAlias.person_id.in_(ids)),
    )  # fmt: skip
    return {int(p) for p in session.scalars(query) if p is not None}


def production_ids(session: Session) -> list[int]:
    """Every production's id, in id order."""
    return [int(p) for p in session.scalars(select(Production.id).order_by(Production.id))]


def check_marks(session: Session) -> dict[int, CheckMark]:
    """Every stored check's mark, by production id."""
    return {int(row[0]): CheckMark(*row) for row in session.execute(select(*_MARK))}


def check_mark(session: Session, *, production_id: int) -> CheckMark | None:
    """The stored check's mark of one production, or None when it was never computed."""
    row = session.execute(select(*_MARK).where(CreditCheck.production_id == production_id)).first()
    return None if row is None else CheckMark(*row)


def stored_check(session: Session, *, production_id: int) -> tuple[CheckMark, list[dict[str, Any]]] | None:
    """One production's stored check: its mark and its findings in order (mappings of :data:`FINDING_COLUMNS`),
    read in one transaction; None when it was never computed."""
    mark = check_mark(session, production_id=production_id)
    if mark is None:
        return None
    f = CreditCheckFinding
    rows = session.execute(
        select(*(getattr(f, c) for c in FINDING_COLUMNS)).where(f.production_id == production_id).order_by(f.position)
    ).mappings()
    return mark, [dict(r) for r in rows]


def roll_characters(session: Session, *, production_id: int) -> tuple[int, dict[str, str]] | None:
    """The credits version and the end roll's characters per language (``{"ja": "…", "en": "…"}``) of a
    production's stored check; None when it was never computed or was stored without them."""
    row = session.execute(
        select(CreditCheck.credits_version, CreditCheck.roll_characters).where(
            CreditCheck.production_id == production_id
        )
    ).first()
    return None if row is None or row[1] is None else (int(row[0]), dict(row[1]))


def store_check(
    session: Session,
    *,
    production_id: int,
    version: int,
    key: str,
    credits_checked: int,
    findings: list[dict[str, Any]],
    roll_characters: dict[str, str] | None = None,
    production_version: int = 0,
) -> bool:
    """Keep ``findings`` (mappings of :data:`FINDING_COLUMNS`) as the production's check at credits version
    ``version`` and the production's own version ``production_version`` (:func:`due_version`), replacing the one
    stored before, in a savepoint of the caller's transaction; ``roll_characters``: the distinct characters its end
    roll draws, per language. The production's stale marker (``credit_check_due.since``) is cleared when its version
    is still the one read. False when another writer stored it at the same moment or the database was too busy: the
    next run computes it again."""
    try:
        with session.begin_nested():
            session.execute(delete(CreditCheckFinding).where(CreditCheckFinding.production_id == production_id))
            session.execute(delete(CreditCheck).where(CreditCheck.production_id == production_id))
            session.execute(
                insert(CreditCheck).values(
                    production_id=production_id,
                    credits_version=version,
                    key=key,
                    computed_at=utcnow(),
                    credits_checked=credits_checked,
                    findings=len(findings),
                    errors=sum(1 for f in findings if f["severity"] == "ERROR"),
                    roll_characters=roll_characters,
                    production_version=production_version,
                )
            )
            session.execute(
                update(CreditCheckDue)
                .where(CreditCheckDue.production_id == production_id, CreditCheckDue.version == production_version)
                .values(since=None)
                .execution_options(synchronize_session=False)
            )
            if findings:
                session.execute(
                    insert(CreditCheckFinding),
                    [{"production_id": production_id, "position": i, **{c: f[c] for c in FINDING_COLUMNS}}
                     for i, f in enumerate(findings, start=1)],
                )  # fmt: skip
    except DBAPIError as exc:
        log.warning("credit check of production %s not stored (%s); the next run computes it again", production_id, exc)
        return False
    return True
