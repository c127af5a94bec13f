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
    typical_minimum_wage,
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
    minimum_wage: float | None = None
    facts: pd.DataFrame | None = None


FACT_COLUMNS = ["kind", "group", "share", "people", "person_months", "rule_id"]
# Findings whose head count is worth a sentence, in the order they are stated.
FACT_RULES = ("JP-OW-03", "JP-OW-02", "JP-MW-01", "JP-MW-02", "JP-FL-01", "JP-FL-02")


def key_facts(tables: dict[str, pd.DataFrame], findings: pd.DataFrame | None) -> pd.DataFrame:
    """The facts the advocate page states as sentences, from tables already reduced to groups of k or more.

    Columns: ``kind`` — ``below_mw_role`` / ``below_mw_employment`` (``share`` of the group's JPY person-months
    paid below the minimum wage; the roles over half, else the worst one; every employment type with any), or
    ``over_205_department`` (``share`` of a department's person-months over 205 h; the two highest), or
    ``rule_people`` (``people`` a rule found, for ``FACT_RULES``); ``group``, ``share`` (0–1), ``people``,
    ``person_months``, ``rule_id``."""
    rows: list[dict[str, object]] = []

    def add(kind: str, frame: pd.DataFrame, share: str) -> None:
        for r in frame.itertuples(index=False):
            rows.append({"kind": kind, "group": r.group, "share": float(getattr(r, share)), "people": int(r.people),
                         "person_months": int(r.person_months), "rule_id": None})  # fmt: skip

    roles = tables["pay_by_role"]
    roles = roles[(roles["currency"] == "JPY") & (roles["share_below_mw"] > 0)].sort_values(
        "share_below_mw", ascending=False
    )
    add("below_mw_role", roles[roles["share_below_mw"] > 0.5].head(3) if (roles["share_below_mw"] > 0.5).any()
        else roles.head(1), "share_below_mw")  # fmt: skip
    kinds = tables["pay_by_employment"]
    kinds = kinds[(kinds["currency"] == "JPY") & (kinds["share_below_mw"] > 0)]
    add("below_mw_employment", kinds.sort_values("share_below_mw", ascending=False), "share_below_mw")
    departments = tables["hours_by_department"]
    departments = departments[departments["share_over_205_hours"] > 0].sort_values("share_over_205_hours",
                                                                                   ascending=False)  # fmt: skip
    add("over_205_department", departments.head(2), "share_over_205_hours")
    if findings is not None and not findings.empty:
        counted = findings.groupby("rule_id", as_index=False)["people"].max()
        for rule_id in FACT_RULES:
            hit = counted[counted["rule_id"] == rule_id]
            if not hit.empty:
                rows.append({"kind": "rule_people", "group": None, "share": float("nan"),
                             "people": int(hit["people"].iloc[0]), "person_months": 0, "rule_id": rule_id})  # fmt: skip
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


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
    shown = {n: _anonymous(t) for n, t in tables.items()}
    return AdvocateView(k=k, **shown, findings=findings, suppressed=suppressed, findings_error=error,
                        minimum_wage=typical_minimum_wage(session, scope=scope),
                        facts=_anonymous(key_facts(shown, findings)))  # fmt: skip
