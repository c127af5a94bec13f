"""What the Admin page lists: the audit log, locked pay periods, correction requests and the settings in force."""

from __future__ import annotations

import os

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, aliased

from analytics.queries.base import frame
from data import settings
from data.schema import AuditEvent, CorrectionRequest, PayPeriodLock, PenNameRequest, Person, SettingValue


def audit_rows(session: Session, *, limit: int) -> pd.DataFrame:
    """Latest audit events first (at most ``limit``). Columns: ``at``, ``actor``, ``action``, ``entity_type``,
    ``entity_id``, ``old``, ``new`` (the stored JSON values)."""
    a = AuditEvent
    query = (
        select(a.at, a.actor, a.action, a.entity_type, a.entity_id, a.old_values.label("old"),
               a.new_values.label("new"))
        .order_by(a.at.desc(), a.id.desc())
        .limit(limit)
    )  # fmt: skip
    return frame(session, query)


def pay_period_locks(session: Session) -> pd.DataFrame:
    """Locked pay periods, latest first. Columns: ``id``, ``period_start``, ``period_end``, ``locked_by``,
    ``locked_at``."""
    lock = PayPeriodLock
    query = select(lock.id, lock.period_start, lock.period_end, lock.locked_by, lock.locked_at)
    return frame(session, query.order_by(lock.period_start.desc()))


def correction_requests(session: Session) -> pd.DataFrame:
    """Every correction request, open ones first, then latest first. Columns: ``id``, ``person_id``, ``person``
    (display name), ``subject``, ``body``, ``status``, ``created_at``, ``response``, ``answered_by``."""
    r = CorrectionRequest
    query = (
        select(r.id, r.person_id, Person.display_name.label("person"), r.subject, r.body, r.status, r.created_at,
               r.response, r.answered_by)
        .join(Person, Person.id == r.person_id)
        .order_by((r.status == "open").desc(), r.created_at.desc())
    )  # fmt: skip
    return frame(session, query)


def pen_name_requests(session: Session) -> pd.DataFrame:
    """Pen names waiting for a manager's approval, oldest first. Columns: ``id``, ``person_id``, ``person`` (display
    name), ``pen_name`` (asked for), ``same_as`` (the display name of the person it reads as), ``requested_by``,
    ``requested_at``."""
    twin = aliased(Person)
    query = (
        select(PenNameRequest.id, PenNameRequest.person_id, Person.display_name.label("person"),
               PenNameRequest.pen_name, twin.display_name.label("same_as"), PenNameRequest.requested_by,
               PenNameRequest.requested_at)
        .join(Person, Person.id == PenNameRequest.person_id)
        .outerjoin(twin, twin.id == PenNameRequest.clashes_with)
        .where(PenNameRequest.status == "pending")
        .order_by(PenNameRequest.requested_at, PenNameRequest.id)
    )  # fmt: skip
    return frame(session, query)


def settings_table(session: Session) -> pd.DataFrame:
    """Every setting with the value in force and where it comes from. Columns: ``key``, ``env``, ``value`` (in
    force; a database URL without its password), ``source`` (environment/database/default), ``editable``,
    ``help``."""
    stored = {row.key: row.value for row in session.scalars(select(SettingValue))}
    rows = []
    for spec in settings.SETTINGS:
        if os.environ.get(spec.env) is not None:
            source = "environment"
        elif spec.db_editable and spec.key in stored:
            source = "database"
        else:
            source = "default"
        value = settings.get(spec.key, session)
        if spec.key == "database_url" and value:
            value = make_url(value).render_as_string(hide_password=True)
        rows.append((spec.key, spec.env, str(value), source, spec.db_editable, spec.help))
    return pd.DataFrame(rows, columns=["key", "env", "value", "source", "editable", "help"])
