"""Locking pay periods: managers only, no overlaps, audited with the period; on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.errors import NotFound
from data.identity import Identity
from data.schema import AuditEvent, PayPeriodLock
from services.errors import PermissionDenied, ValidationError
from services.pay_periods import lock_pay_period, unlock_pay_period

BOSS = Identity(username="boss", role="manager")
JAN = {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 1, 31)}


def test_lock_and_unlock_are_audited(session: Session) -> None:
    lock = lock_pay_period(session, BOSS, **JAN)
    assert lock.locked_by == "boss"
    unlock_pay_period(session, BOSS, lock_id=lock.id)
    session.commit()
    assert session.scalars(select(PayPeriodLock)).all() == []
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    period = {"period_start": "2025-01-01", "period_end": "2025-01-31"}
    assert [(e.actor, e.action, e.old_values, e.new_values) for e in events] == [
        ("boss", "pay_period.lock", None, period),
        ("boss", "pay_period.unlock", period, None),
    ]


@pytest.mark.parametrize(
    "actor", [None, Identity(username="rep", role="advocate"), Identity(username="a", role="artist", person_id=1)]
)
def test_only_a_manager_locks_or_unlocks(session: Session, actor: Identity | None) -> None:
    with pytest.raises(PermissionDenied, match="only a manager can lock a pay period"):
        lock_pay_period(session, actor, **JAN)
    lock = lock_pay_period(session, BOSS, **JAN)
    with pytest.raises(PermissionDenied, match="only a manager can unlock a pay period"):
        unlock_pay_period(session, actor, lock_id=lock.id)
    assert session.scalars(select(PayPeriodLock)).one() is lock
    assert [e.actor for e in session.scalars(select(AuditEvent))] == ["boss"]


def test_refused_periods_say_what_to_change(session: Session) -> None:
    with pytest.raises(ValidationError, match="ends \\(2025-01-01\\) before it starts \\(2025-01-31\\)") as reversed_:
        lock_pay_period(session, BOSS, start=dt.date(2025, 1, 31), end=dt.date(2025, 1, 1))
    assert "swap 'Period start' and 'Period end'" in reversed_.value.message("page")
    lock_pay_period(session, BOSS, **JAN)
    with pytest.raises(ValidationError, match="overlaps the locked period 2025-01-01–2025-01-31"):
        lock_pay_period(session, BOSS, start=dt.date(2025, 1, 15), end=dt.date(2025, 2, 15))
    with pytest.raises(NotFound, match="no locked pay period has id 99999"):
        unlock_pay_period(session, BOSS, lock_id=99999)
