"""The advocate's view: the same analytics as anonymized aggregates — no names, no person ids, no group under k.

Every table passes :func:`_anonymous`, which refuses identifying columns, so a future change to an underlying
function cannot leak a name through this page.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from analytics.access import ensure_role
from analytics.ai_share import ai_share
from analytics.anonymized import (
    findings_summary,
    hours_distribution,
    k_threshold,
    monthly_hours_trend,
    pay_distribution,
    suppress,
)
from analytics.errors import AnonymityError
from analytics.scope import Scope
from data.i18n import N_

__all__ = ["AdvocateView", "AnonymityError", "advocate_view"]
IDENTIFYING = frozenset({"person_id", "person", "name", "display_name", "email", "operator", "username"})


def _anonymous(frame: pd.DataFrame) -> pd.DataFrame:
    leaked = sorted(set(map(str, frame.columns)) & IDENTIFYING)
    if leaked:
        raise AnonymityError(N_("an advocate table would contain the identifying columns {leaked}; it is not shown"),
                             fix={"page": N_("report this: it is a bug"), "cli": N_("report this: it is a bug")},
                             leaked=leaked)  # fmt: skip
    return frame


@dataclass(frozen=True)
class AdvocateView:
    """Aggregates for labor advocates. Each table has a ``people`` column ≥ ``k``; ``suppressed`` counts the
    groups hidden per table. Tables: ``hours_by_department`` / ``hours_by_production`` / ``hours_by_employment``
    (``hours_distribution`` columns), ``pay_by_employment`` / ``pay_by_role`` (``pay_distribution`` columns),
    ``monthly`` (``month``, ``people``, ``median_monthly_hours``, ``share_over_205_hours``), ``ai_by_month``
    (``month``, ``people``, ``ai_hours_share``), ``findings`` (``findings_summary`` columns, or None if the
    compliance engine failed: ``findings_error``).
    """

    k: int
    hours_by_department: pd.DataFrame
    hours_by_production: pd.DataFrame
    hours_by_employment: pd.DataFrame
    pay_by_employment: pd.DataFrame
    pay_by_role: pd.DataFrame
    monthly: pd.DataFrame
    ai_by_month: pd.DataFrame
    findings: pd.DataFrame | None
    suppressed: dict[str, int]
    findings_error: str | None = None


def advocate_view(session: Session, *, scope: Scope) -> AdvocateView:
    """All advocate aggregates for ``scope`` (advocates and managers): every table covers its productions,
    departments and period (whole months)."""
    ensure_role(scope.viewer, "advocate", "manager")
    k = k_threshold(session)
    tables = {
        "hours_by_department": hours_distribution(session, scope=scope, by="department"),
        "hours_by_production": hours_distribution(session, scope=scope, by="production"),
        "hours_by_employment": hours_distribution(session, scope=scope, by="employment_type"),
        "pay_by_employment": pay_distribution(session, scope=scope, by="employment_type"),
        "pay_by_role": pay_distribution(session, scope=scope, by="role"),
        "monthly": monthly_hours_trend(session, scope=scope),
    }
    ai = ai_share(session, scope=scope, by=("month",))
    tables["ai_by_month"] = suppress(ai[["month", "people", "ai_hours_share"]], k) if not ai.empty else ai
    suppressed = {name: int(t.attrs.get("suppressed_groups", 0)) for name, t in tables.items()}
    findings, error = None, None
    try:
        findings = _anonymous(findings_summary(session, scope=scope))
        suppressed["findings"] = int(findings.attrs.get("suppressed_groups", 0))
    except AnonymityError:
        raise
    except Exception as exc:  # a bug in a rule must not hide the other aggregates; it is shown as one
        session.rollback()
        error = f"{type(exc).__name__}: {exc}"
    return AdvocateView(k=k, **{n: _anonymous(t) for n, t in tables.items()}, findings=findings,
                        suppressed=suppressed, findings_error=error)  # fmt: skip
