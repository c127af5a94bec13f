"""What the Admin page shows: accounts (never hashes), the audit log, locked pay periods, settings, requests."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.access import ensure_role
from data import settings
from data.accounts import list_accounts
from data.identity import Identity
from data.schema import AuditEvent, CorrectionRequest, PayPeriodLock, Person, SettingValue


@dataclass(frozen=True)
class AdminSnapshot:
    """Tables of the Admin page.

    ``accounts``: ``id``, ``username``, ``role``, ``person_id``, ``oidc_email``, ``is_active``, ``password_set``,
    ``failed_attempts``, ``locked_until``, ``last_login_at``.
    ``audit``: ``at``, ``actor``, ``action``, ``entity_type``, ``entity_id``, ``old_values``, ``new_values`` (latest first).
    ``locks``: ``id``, ``period_start``, ``period_end``, ``locked_by``, ``locked_at``.
    ``settings``: ``key``, ``env``, ``value`` (in force), ``source`` (environment/database/default), ``editable``,
    ``help``.
    ``requests``: ``id``, ``person_id``, ``person``, ``subject``, ``body``, ``status``, ``created_at``, ``response``,
    ``answered_by``.
    """

    accounts: pd.DataFrame
    audit: pd.DataFrame
    locks: pd.DataFrame
    settings: pd.DataFrame
    requests: pd.DataFrame


_HIDDEN_AUDIT_KEYS = {"password", "password_hash"}


def _scrub(values: object) -> object:
    if isinstance(values, dict):
        return {k: ("***" if k in _HIDDEN_AUDIT_KEYS else v) for k, v in values.items()}
    return values


def audit_log(*, session: Session, identity: Identity, limit: int = 500) -> pd.DataFrame:
    """Latest audit events first. Columns as in :class:`AdminSnapshot` ``audit``; JSON values as text."""
    ensure_role(identity, "manager")
    rows = session.execute(
        select(
            AuditEvent.at,
            AuditEvent.actor,
            AuditEvent.action,
            AuditEvent.entity_type,
            AuditEvent.entity_id,
            AuditEvent.old_values,
            AuditEvent.new_values,
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()
    frame = pd.DataFrame(rows, columns=["at", "actor", "action", "entity_type", "entity_id", "old", "new"])
    frame["old_values"] = frame.pop("old").map(lambda v: None if v is None else str(_scrub(v)))
    frame["new_values"] = frame.pop("new").map(lambda v: None if v is None else str(_scrub(v)))
    return frame


def settings_table(*, session: Session) -> pd.DataFrame:
    """Every setting with the value in force and where it comes from. Columns as in :class:`AdminSnapshot`."""
    import os

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
            from sqlalchemy.engine import make_url

            value = make_url(value).render_as_string(hide_password=True)
        rows.append((spec.key, spec.env, str(value), source, spec.db_editable, spec.help))
    return pd.DataFrame(rows, columns=["key", "env", "value", "source", "editable", "help"])


def admin_snapshot(*, session: Session, identity: Identity) -> AdminSnapshot:
    """All Admin page tables in one call (managers only)."""
    ensure_role(identity, "manager")
    accounts = pd.DataFrame(
        list_accounts(session),
        columns=["id", "username", "role", "person_id", "oidc_email", "is_active", "password_set", "failed_attempts",
                 "locked_until", "last_login_at"],
    )  # fmt: skip
    locks = pd.DataFrame(
        session.execute(
            select(
                PayPeriodLock.id,
                PayPeriodLock.period_start,
                PayPeriodLock.period_end,
                PayPeriodLock.locked_by,
                PayPeriodLock.locked_at,
            ).order_by(PayPeriodLock.period_start.desc())
        ).all(),
        columns=["id", "period_start", "period_end", "locked_by", "locked_at"],
    )
    requests = pd.DataFrame(
        session.execute(
            select(
                CorrectionRequest.id,
                CorrectionRequest.person_id,
                Person.display_name,
                CorrectionRequest.subject,
                CorrectionRequest.body,
                CorrectionRequest.status,
                CorrectionRequest.created_at,
                CorrectionRequest.response,
                CorrectionRequest.answered_by,
            )
            .join(Person, Person.id == CorrectionRequest.person_id)
            .order_by((CorrectionRequest.status == "open").desc(), CorrectionRequest.created_at.desc())
        ).all(),
        columns=["id", "person_id", "person", "subject", "body", "status", "created_at", "response", "answered_by"],
    )
    return AdminSnapshot(
        accounts=accounts,
        audit=audit_log(session=session, identity=identity),
        locks=locks,
        settings=settings_table(session=session),
        requests=requests,
    )
