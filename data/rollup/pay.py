"""Pay rollups: ``rollup_pay_month`` per person (month of the item's period end) and the person-free
``rollup_pay_cell``, whose AI share comes from the matching work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Float, and_, cast, delete, func, insert, select
from sqlalchemy.orm import Session

from data.periods import month_of
from data.rollup.reading import who
from data.schema import PayItem, RollupPayCell, RollupPayMonth, RollupWorkMonth


def refresh_pay_months(session: Session, *, ids: Sequence[int] | None, month_from: dt.date, month_to: dt.date) -> None:
    """Rebuild ``rollup_pay_month`` for ``ids`` (None: everyone) for the months ``month_from``..``month_to``
    (month starts and ends): pay items count in the month of their ``period_end``."""
    rpay = RollupPayMonth.__table__
    session.execute(delete(rpay).where(*who(rpay.c.person_id, ids), rpay.c.month_start.between(month_from, month_to)))
    pi = PayItem
    pay_month = month_of(pi.period_end, session.get_bind().dialect.name)
    pay = (
        select(
            pay_month.label("month_start"),
            pi.person_id,
            pi.production_id,
            pi.episode_id,
            pi.role_id,
            pi.basis,
            pi.currency,
            func.sum(pi.amount),
            func.coalesce(func.sum(pi.units), 0.0),
            func.count(),
        )
        .where(*who(pi.person_id, ids), pi.period_end.between(month_from, month_to))
        .group_by(pay_month, pi.person_id, pi.production_id, pi.episode_id, pi.role_id, pi.basis, pi.currency)
    )
    names = ["month_start", "person_id", "production_id", "episode_id", "role_id", "basis", "currency"]
    session.execute(insert(rpay).from_select([*names, "amount", "units", "items"], pay))


def refresh_pay_cells(session: Session, *, month_from: dt.date, month_to: dt.date) -> None:
    """Rebuild the person-free pay cells of the months from the person-level pay and work rollups (already current).

    Each person's pay in a cell gets the AI-assisted share of that person's hours in the same month × production ×
    episode × role (NULL keys match NULL keys).
    """
    rpay, rwm, cell = RollupPayMonth.__table__, RollupWorkMonth.__table__, RollupPayCell.__table__
    session.execute(delete(cell).where(cell.c.month_start.between(month_from, month_to)))
    # NULL matches NULL through COALESCE(…, -1), which also keeps SQLite on the (person, month) index: with plain
    # equality on production it picks the (production, month) index and reads thousands of rows per pay row.
    match = and_(
        rwm.c.person_id == rpay.c.person_id,
        rwm.c.month_start == rpay.c.month_start,
        *(
            func.coalesce(rwm.c[k], -1) == func.coalesce(rpay.c[k], -1)
            for k in ("production_id", "episode_id", "role_id")
        ),
        rwm.c.ai_seconds > 0,
        rwm.c.seconds > 0,
    )
    ai_amount = cast(rpay.c.amount, Float) * rwm.c.ai_seconds / rwm.c.seconds
    keys = [rpay.c.month_start, rpay.c.production_id, rpay.c.episode_id, rpay.c.role_id, rpay.c.basis, rpay.c.currency]
    cells = (
        select(
            *keys,
            func.sum(rpay.c.amount),
            func.coalesce(func.sum(ai_amount), 0.0),
            func.sum(rpay.c.units),
            func.sum(rpay.c["items"]),
        )
        .select_from(rpay.outerjoin(rwm, match))
        .where(rpay.c.month_start.between(month_from, month_to))
        .group_by(*keys)
    )
    names = ["month_start", "production_id", "episode_id", "role_id", "basis", "currency", "amount", "ai_amount"]
    session.execute(insert(cell).from_select([*names, "units", "items"], cells))
