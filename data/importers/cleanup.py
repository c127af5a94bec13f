"""What an import created only for rows it then did not write: dropped before the import commits.

Productions, episodes and cuts are created when a row first names them, and people (``--create-people``) when a row
first names someone unknown, before the row's other checks have run. An import whose rows were all rejected would
otherwise leave them behind (``--production X`` created X although nothing was imported). Here, once the rows are
written, every production, episode, cut and person this import created that no stored row refers to is deleted, and
the summary's counts say what is left.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import Session

from data.importers.context import ImportContext
from data.schema import (
    Account,
    Affiliation,
    AiUsage,
    AnnualLeave,
    CorrectionRequest,
    CreditLine,
    CreditNote,
    Cut,
    Employment,
    Episode,
    ImportBatch,
    PayItem,
    Person,
    Production,
    ProductionAlias,
    WorkLog,
    ai_usage_post_editor,
)


def _unreferenced(session: Session, table: Any, ids: set[int], refs: list[Any]) -> list[int]:
    """The ids of ``table`` among ``ids`` that none of the columns ``refs`` points at."""
    if not ids:
        return []
    used = or_(*(exists().where(column == table.id) for column in refs))
    return list(session.scalars(select(table.id).where(table.id.in_(sorted(ids)), ~used)))


def discard_unused(session: Session, *, ctx: ImportContext) -> None:
    """Delete what this import created that no row needs (see the module docstring); fix the summary's counts."""
    created = ctx.refs.created
    details = ctx.summary.details
    cuts = _unreferenced(session, Cut, created["cut"], [WorkLog.cut_id, PayItem.cut_id, AiUsage.cut_id])
    if cuts:
        session.execute(delete(Cut).where(Cut.id.in_(cuts)))
    episodes = _unreferenced(
        session,
        Episode,
        created["episode"],
        [WorkLog.episode_id, PayItem.episode_id, AiUsage.episode_id, Cut.episode_id],
    )
    if episodes:
        session.execute(delete(Episode).where(Episode.id.in_(episodes)))
    productions = _unreferenced(
        session,
        Production,
        created["production"],
        [WorkLog.production_id, PayItem.production_id, AiUsage.production_id, CreditLine.production_id,
         CreditNote.production_id, Episode.production_id, ProductionAlias.production_id],
    )  # fmt: skip
    if productions:
        session.execute(
            update(ImportBatch).where(ImportBatch.production_id.in_(productions)).values(production_id=None)
        )
        session.execute(delete(Production).where(Production.id.in_(productions)))
    people = _unreferenced(
        session,
        Person,
        set(ctx.matcher.created_ids),
        [WorkLog.person_id, PayItem.person_id, AiUsage.operator_id, Employment.person_id, AnnualLeave.person_id,
         Affiliation.person_id, Account.person_id, CorrectionRequest.person_id, ai_usage_post_editor.c.person_id],
    )  # fmt: skip
    if people:
        session.execute(delete(Person).where(Person.id.in_(people)))  # their aliases go with them (ON DELETE CASCADE)
    for key, n in (("cuts_created", len(cuts)), ("episodes_created", len(episodes)),
                   ("productions_created", len(productions))):  # fmt: skip
        if n and key in details:
            details[key] -= n
            if not details[key]:
                del details[key]
    ctx.matcher.created -= len(people)
