"""``rollup_cut_month``: work per month × cut × role, with no person, and ``rollup_cut_total``: the same over all
months. A person's edit redoes the productions they worked on, before the edit and after it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import case, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from data.periods import month_of
from data.rollup.reading import chunks
from data.schema import RollupCutMonth, RollupCutTotal, RollupWorkMonth, WorkLog


def productions_of(
    session: Session, *, ids: Sequence[int] | None, month_from: dt.date, month_to: dt.date
) -> set[int | None]:
    """The productions (None: work with no production) ``ids`` worked on in the months, from ``rollup_work_month``;
    empty when ``ids`` is None (everyone: the caller redoes every production)."""
    if ids is None:
        return set()
    rwm = RollupWorkMonth.__table__
    found: set[int | None] = set()
    for chunk in chunks(ids):
        found.update(
            session.scalars(
                select(rwm.c.production_id)
                .distinct()
                .where(rwm.c.person_id.in_(chunk), rwm.c.month_start.between(month_from, month_to))
            )
        )
    return found


def refresh_cut_months(
    session: Session, *, productions: set[int | None] | None, month_from: dt.date, month_to: dt.date
) -> None:
    """Rebuild month × cut × role work for ``productions`` (None: all) in the months, from the work log."""
    if productions is not None and not productions:
        return
    wl, cut = WorkLog, RollupCutMonth.__table__
    month = month_of(wl.work_date, session.get_bind().dialect.name)
    known = sorted(p for p in (productions or ()) if p is not None)

    def scope(column: Any) -> list[Any]:
        if productions is None:
            return []
        either = [column.in_(known)] if known else []
        if None in productions:
            either.append(column.is_(None))
        return [or_(*either)]

    session.execute(delete(cut).where(*scope(cut.c.production_id), cut.c.month_start.between(month_from, month_to)))
    keys = [month, wl.production_id, wl.episode_id, wl.cut_id, wl.role_id]
    rows = (
        select(
            *keys,
            func.sum(wl.seconds),
            func.sum(wl.seconds * wl.ai_assisted_fraction),
            func.sum(case((wl.ai_assisted_fraction > 0, 1), else_=0)),
            func.count(),
        )
        .where(*scope(wl.production_id), wl.work_date.between(month_from, month_to), wl.cut_id.is_not(None))
        .group_by(*keys)
    )
    names = ["month_start", "production_id", "episode_id", "cut_id", "role_id", "seconds", "ai_seconds"]
    session.execute(insert(cut).from_select([*names, "ai_sessions", "sessions"], rows))
    # The all-time totals of those productions' cuts, every month of theirs included, from the month rows.
    total = RollupCutTotal.__table__
    session.execute(delete(total).where(*scope(total.c.production_id)))
    keys = [cut.c.production_id, cut.c.episode_id, cut.c.cut_id, cut.c.role_id]
    sums = [func.sum(cut.c[n]) for n in ("seconds", "ai_seconds", "ai_sessions", "sessions")]
    totals = select(*keys, *sums).where(*scope(cut.c.production_id)).group_by(*keys)
    names = ["production_id", "episode_id", "cut_id", "role_id", "seconds", "ai_seconds", "ai_sessions", "sessions"]
    session.execute(insert(total).from_select(names, totals))
