"""What the Admin page shows: accounts (never hashes), the audit log, locked pay periods, settings, requests."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.orm import Session

from analytics.access import ensure_role
from analytics.queries import admin as q
from analytics.scope import Scope
from data.accounts import list_accounts

ACCOUNT_COLUMNS = ["id", "username", "role", "person_id", "oidc_email", "is_active", "password_set", "failed_attempts",
                   "locked_until", "last_login_at"]  # fmt: skip
_HIDDEN_AUDIT_KEYS = {"password", "password_hash"}


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
    ``pen_names``: pen names waiting for approval: ``id``, ``person_id``, ``person``, ``pen_name``, ``same_as``,
    ``requested_by``, ``requested_at``.
    """

    accounts: pd.DataFrame
    audit: pd.DataFrame
    locks: pd.DataFrame
    settings: pd.DataFrame
    requests: pd.DataFrame
    pen_names: pd.DataFrame = field(default_factory=pd.DataFrame)


def _scrub(values: object) -> object:
    if isinstance(values, dict):
        return {k: ("***" if k in _HIDDEN_AUDIT_KEYS else v) for k, v in values.items()}
    return values


def audit_log(session: Session, *, scope: Scope, limit: int = 500) -> pd.DataFrame:
    """Latest audit events first (managers only): :func:`audit_table` of :func:`analytics.queries.admin.audit_rows`."""
    ensure_role(scope.viewer, "manager")
    return audit_table(q.audit_rows(session, limit=limit))


def audit_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Columns as in :class:`AdminSnapshot` ``audit``; the JSON values as text, passwords and hashes masked."""
    frame = rows.copy()
    frame["old_values"] = frame.pop("old").map(lambda v: None if v is None else str(_scrub(v)))
    frame["new_values"] = frame.pop("new").map(lambda v: None if v is None else str(_scrub(v)))
    return frame


def admin_snapshot(session: Session, *, scope: Scope) -> AdminSnapshot:
    """All Admin page tables in one call (managers only)."""
    ensure_role(scope.viewer, "manager")
    return AdminSnapshot(
        accounts=pd.DataFrame(list_accounts(session), columns=ACCOUNT_COLUMNS),
        audit=audit_log(session, scope=scope),
        locks=q.pay_period_locks(session),
        settings=q.settings_table(session),
        requests=q.correction_requests(session),
        pen_names=q.pen_name_requests(session),
    )
