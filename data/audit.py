"""The audit trail: one place that writes an :class:`~data.schema.AuditEvent` for every change a person makes."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from data.schema import AuditEvent


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: Any,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session's transaction, so it commits (or rolls back) with the change itself."""
    event = AuditEvent(
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        old_values=old,
        new_values=new,
    )
    session.add(event)
    return event
