"""Locking a pay period: once closed, imports and edits that would change its pay are refused. Managers only.

A lock changes no rollup or finding (the findings never read locks), so nothing else is brought up to date.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from data import audit
from data.errors import NotFound
from data.i18n import N_
from data.identity import Identity
from data.schema import PayPeriodLock
from services.access import require
from services.errors import ValidationError


def _period(lock: PayPeriodLock) -> dict[str, str]:
    return {"period_start": lock.period_start.isoformat(), "period_end": lock.period_end.isoformat()}


def lock_pay_period(session: Session, actor: Identity | None, *, start: dt.date, end: dt.date) -> PayPeriodLock:
    """Lock the pay period ``start``–``end`` (both included); the flushed lock row."""
    actor = require(actor, "manager", to=N_("lock a pay period"))
    if end < start:
        raise ValidationError(
            N_("the period ends ({end}) before it starts ({start})"),
            fix={"page": N_("swap 'Period start' and 'Period end'")},
            start=start,
            end=end,
        )
    overlapping = session.scalar(
        select(PayPeriodLock).where(PayPeriodLock.period_start <= end, PayPeriodLock.period_end >= start)
    )
    if overlapping is not None:
        raise ValidationError(
            N_("{start}–{end} overlaps the locked period {locked_start}–{locked_end}"),
            fix=N_("unlock that one first or pick dates outside it"),
            start=start,
            end=end,
            locked_start=overlapping.period_start,
            locked_end=overlapping.period_end,
        )
    lock = PayPeriodLock(period_start=start, period_end=end, locked_by=actor.username)
    session.add(lock)
    session.flush()
    audit.record(
        session,
        actor=actor.username,
        action="pay_period.lock",
        entity_type="pay_period_lock",
        entity_id=lock.id,
        new=_period(lock),
    )
    return lock


def unlock_pay_period(session: Session, actor: Identity | None, *, lock_id: int) -> None:
    """Remove the lock ``lock_id``; the audit event keeps the period it covered."""
    actor = require(actor, "manager", to=N_("unlock a pay period"))
    lock = session.get(PayPeriodLock, lock_id)
    if lock is None:
        raise NotFound(
            N_("no locked pay period has id {lock_id}"),
            fix={"page": N_("pick one from 'Locked period'")},
            lock_id=lock_id,
        )
    audit.record(
        session,
        actor=actor.username,
        action="pay_period.unlock",
        entity_type="pay_period_lock",
        entity_id=lock.id,
        old=_period(lock),
    )
    session.delete(lock)
