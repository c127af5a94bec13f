"""Locking a pay period: once closed, imports and edits that would change its pay are refused."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from data import audit
from data.identity import Identity
from data.schema import PayPeriodLock


def lock_pay_period(session: Session, identity: Identity, *, start: dt.date, end: dt.date) -> PayPeriodLock:
    if identity.role != "manager":
        raise PermissionError("only a manager can lock a pay period")
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    overlapping = session.scalar(
        select(PayPeriodLock).where(PayPeriodLock.period_start <= end, PayPeriodLock.period_end >= start)
    )
    if overlapping is not None:
        raise ValueError(
            f"{start}–{end} overlaps the locked period {overlapping.period_start}–{overlapping.period_end}; "
            "unlock that one first or pick dates outside it"
        )
    lock = PayPeriodLock(period_start=start, period_end=end, locked_by=identity.username)
    session.add(lock)
    session.flush()
    audit.record(
        session,
        actor=identity.username,
        action="pay_period.lock",
        entity_type="pay_period_lock",
        entity_id=lock.id,
        new={"period_start": start.isoformat(), "period_end": end.isoformat()},
    )
    return lock


def unlock_pay_period(session: Session, identity: Identity, lock_id: int) -> None:
    if identity.role != "manager":
        raise PermissionError("only a manager can unlock a pay period")
    lock = session.get(PayPeriodLock, lock_id)
    if lock is None:
        raise LookupError(f"no locked pay period with id {lock_id}")
    audit.record(
        session,
        actor=identity.username,
        action="pay_period.unlock",
        entity_type="pay_period_lock",
        entity_id=lock.id,
        old={"period_start": lock.period_start.isoformat(), "period_end": lock.period_end.isoformat()},
    )
    session.delete(lock)
