"""What the database holds and what needs a manager's attention; the overview's figures for a scope.

Aggregation runs in SQL (portable across SQLite and PostgreSQL); pandas only receives the few result rows.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from analytics.queries.base import frame, scoped
from analytics.scope import Scope
from data.schema import (
    Account,
    AiUsage,
    CorrectionRequest,
    CreditLine,
    Cut,
    Employment,
    Episode,
    ImportBatch,
    Organization,
    PayItem,
    Person,
    PersonAlias,
    PersonMatchReview,
    Production,
    RollupPayMonth,
    RollupPersonDay,
    RollupProductionMonth,
    RollupWorkMonth,
)


def _rows(table: Any) -> Any:
    # count(*), not count(id): SQLite counts the rows of a b-tree without reading them only for count(*) (5 million
    # work logs: 0.04 s against 0.3 s).
    return select(func.count()).select_from(table)


COUNTED = [
    ("productions", _rows(Production)),
    ("episodes", _rows(Episode)),
    ("cuts", _rows(Cut)),
    ("people", _rows(Person)),
    ("organizations", _rows(Organization)),
    # Summed from the month × production rollup, which counts each work log once (its sessions) and is refreshed in
    # every writer's transaction: PostgreSQL reads every row to count them (0.2 s for 5 million; the sum 2 ms).
    ("work-log rows", select(func.sum(RollupProductionMonth.sessions))),
    ("pay items", _rows(PayItem)),
    ("AI-usage records", _rows(AiUsage)),
    ("credit lines", _rows(CreditLine)),
    ("accounts", _rows(Account)),
]


def database_counts(session: Session) -> pd.DataFrame:
    """Rows of each kind in the whole database. Columns: ``item`` (str), ``count`` (int)."""
    # One round trip: a scalar subquery per kind.
    stmt = select(*[counted.scalar_subquery().label(name) for name, counted in COUNTED])
    row = session.execute(stmt).one()
    return pd.DataFrame({"item": [name for name, _ in COUNTED], "count": [int(v or 0) for v in row]})


def work_span(session: Session) -> tuple[Any, Any]:
    """The first and last days with logged work, as dates (None on an empty database)."""
    # Two subqueries: SQLite reads a lone min() or max() from one end of the date index, but both in one select
    # scan the whole index (0.78 s for 4.5 million person-days against well under a millisecond).
    day = RollupPersonDay.work_date
    return tuple(session.execute(select(select(func.min(day)).scalar_subquery(),
                                        select(func.max(day)).scalar_subquery())).one())  # fmt: skip


def productions(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Per production of the scope (all when it selects none): the work in the scope's rows.

    Columns: ``production_id``, ``title``, ``title_romaji``, ``kind``, ``ai_policy``, ``episodes``, ``people``
    (distinct people who logged work), ``hours``, ``first_month``, ``last_month`` (first days of the first and last
    months with work; None where no work is in scope).
    """
    w = RollupWorkMonth
    work = scoped(
        select(
            w.production_id.label("production_id"),
            func.count(distinct(w.person_id)).label("people"),
            (func.sum(w.seconds) / 3600.0).label("hours"),
            func.min(w.month_start).label("first_month"),
            func.max(w.month_start).label("last_month"),
        ),
        w,
        scope,
    ).group_by(w.production_id)
    work_sq = work.subquery()
    episodes = (
        select(Episode.production_id, func.count(Episode.id).label("episodes"))
        .group_by(Episode.production_id)
        .subquery()
    )
    stmt = (
        select(
            Production.id.label("production_id"),
            Production.title,
            Production.title_romaji,
            Production.kind,
            Production.ai_policy,
            func.coalesce(episodes.c.episodes, 0).label("episodes"),
            func.coalesce(work_sq.c.people, 0).label("people"),
            func.coalesce(work_sq.c.hours, 0.0).label("hours"),
            work_sq.c.first_month,
            work_sq.c.last_month,
        )
        .outerjoin(episodes, episodes.c.production_id == Production.id)
        .outerjoin(work_sq, work_sq.c.production_id == Production.id)
        .order_by(Production.start_date.is_(None), Production.start_date, Production.id)
    )
    if scope.productions:
        stmt = stmt.where(Production.id.in_(scope.productions))
    return frame(session, stmt)


def headline(session: Session, *, scope: Scope) -> dict[str, float]:
    """Sums over the scope's rows: ``seconds``, ``people`` (distinct), ``ai_seconds`` of work; ``pay_jpy`` (JPY pay
    items counted in the months of the period)."""
    w, p = RollupWorkMonth, RollupPayMonth
    work = session.execute(
        scoped(
            select(
                func.coalesce(func.sum(w.seconds), 0).label("seconds"),
                func.count(distinct(w.person_id)).label("people"),
                func.coalesce(func.sum(w.ai_seconds), 0).label("ai_seconds"),
            ),
            w,
            scope,
        )
    ).one()
    pay = session.execute(
        scoped(select(func.coalesce(func.sum(p.amount), 0)).where(p.currency == "JPY"), p, scope)
    ).scalar_one()
    return {"seconds": float(work.seconds), "people": int(work.people), "ai_seconds": float(work.ai_seconds),
            "pay_jpy": float(pay)}  # fmt: skip


def attention_counts(session: Session) -> dict[str, int]:
    """What may need a manager: open correction requests and person-match reviews, failed imports, rows rejected by
    committed imports, credit lines not linked to a person, credit lines of a studio standing for its people."""
    placeholder_lines = (
        select(func.count(CreditLine.id))
        .join(PersonAlias, PersonAlias.id == CreditLine.person_alias_id)
        .where(PersonAlias.person_id.is_(None))
        .scalar_subquery()
    )
    uncredited_orgs = (
        select(func.count(CreditLine.id)).where(CreditLine.individuals_uncredited.is_(True)).scalar_subquery()
    )
    row = session.execute(
        select(
            select(func.count(CorrectionRequest.id)).where(CorrectionRequest.status == "open").scalar_subquery(),
            select(func.count(PersonMatchReview.id)).where(PersonMatchReview.status == "open").scalar_subquery(),
            select(func.count(ImportBatch.id)).where(ImportBatch.status == "failed").scalar_subquery(),
            select(func.coalesce(func.sum(ImportBatch.rows_rejected), 0))
            .where(ImportBatch.status == "committed")
            .scalar_subquery(),
            placeholder_lines,
            uncredited_orgs,
        )
    ).one()
    names = ["open_requests", "open_matches", "failed_imports", "rejected_rows", "unlinked_lines",
             "uncredited_org_lines"]  # fmt: skip
    return {name: int(value or 0) for name, value in zip(names, row, strict=True)}


def import_history(session: Session, *, limit: int) -> pd.DataFrame:
    """Latest imports first (at most ``limit``). Columns: ``batch_id``, ``filename``, ``format``, ``status``,
    ``actor``, ``started_at``, ``rows_total``, ``rows_imported``, ``rows_updated``, ``rows_unchanged``,
    ``rows_rejected``."""
    b = ImportBatch
    query = (
        select(b.id.label("batch_id"), b.filename, b.format, b.status, b.actor, b.started_at, b.rows_total,
               b.rows_imported, b.rows_updated, b.rows_unchanged, b.rows_rejected)
        .order_by(b.started_at.desc(), b.id.desc())
        .limit(limit)
    )  # fmt: skip
    return frame(session, query)


def home_jurisdiction(session: Session) -> str:
    """The jurisdiction most employment contracts are under (``JP`` or ``US-CA``): the studio's own; ``JP`` when
    none is recorded."""
    row = session.execute(
        select(Employment.jurisdiction, func.count().label("n"))
        .group_by(Employment.jurisdiction)
        .order_by(func.count().desc(), Employment.jurisdiction)
        .limit(1)
    ).first()
    return str(row[0]) if row else "JP"
