"""The advocate's view: the studio's labor figures as anonymized aggregates — no names, no person ids, no group
under k, and nothing two views could be subtracted to reveal.

The tables are :mod:`analytics.release`'s fixed quarterly release: the sidebar's productions, departments and dates
do not narrow them (that is what made the old views subtractable); the advocate chooses a quarter. Every table
passes :func:`_anonymous`, which refuses identifying columns, so a future change to an underlying function cannot
leak a name through this page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from analytics.access import ensure_role
from analytics.anonymized import K_FLOOR, K_FLOOR_REASON, k_threshold, typical_minimum_wage
from analytics.errors import AnonymityError, FindingsNotReady
from analytics.queries.advocate import setting_changes
from analytics.release import findings_release, own_log_release, quarter_end
from analytics.release_snapshot import current_release
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
    """Aggregates for labor advocates, for one released calendar quarter (``quarter``, its first day; None when no
    quarter has ended yet; ``quarters``: every released one, latest first). Each table has a ``people`` column ≥
    ``k``; ``suppressed`` counts the groups hidden per table. Quarter tables: ``hours_by_department`` /
    ``hours_by_production`` (``group``, ``people``, ``median_monthly_hours``, ``p90_monthly_hours``,
    ``share_over_205_hours``), ``hours_by_employment`` (the same without the share), ``pay_by_employment``
    (``group``, ``currency``, ``people``, ``median_pay_per_hour``, ``p25_pay_per_hour``, ``p75_pay_per_hour``,
    ``share_below_mw``), ``pay_by_role`` (the same without the share), ``findings`` (``rule_id``, ``severity``,
    ``people``, ``findings``, ``median_measured_value``, ``threshold``, ``unit``; None if the compliance engine
    failed: ``findings_error``). Every released month: ``monthly`` (``month``, ``people``,
    ``median_monthly_hours``, ``share_over_205_hours``), ``ai_by_month`` (``month``, ``people``,
    ``ai_hours_share``). ``own_log_gap``: the quarter's share of own-logged hours missing from the studio's
    records, over the months artists opted in (``employment_type``, ``role``, ``people``, ``share_missing_hours``).
    ``k_changes``: every audited change of k (``at``, ``actor``, ``old``, ``new``), oldest
    first; ``k_floor`` and ``k_floor_reason``: the lowest k allowed and why (a catalog message).
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
    findings_pending: bool = False  # never computed yet: the background worker is computing them
    quarter: dt.date | None = None
    quarters: tuple[dt.date, ...] = ()
    k_changes: pd.DataFrame | None = None
    k_floor: int = K_FLOOR
    k_floor_reason: str = K_FLOOR_REASON
    minimum_wage: float | None = None
    facts: pd.DataFrame | None = None
    own_log_gap: pd.DataFrame | None = None


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
                         "person_months": int(getattr(r, "person_months", 0)), "rule_id": None})  # fmt: skip

    roles = tables["pay_by_role"]
    if "share_below_mw" not in roles.columns:  # the release leaves it out: it nearly repeats the employment table
        roles = roles.assign(share_below_mw=0.0)
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


def advocate_view(
    session: Session, *, scope: Scope, quarter: dt.date | None = None, today: dt.date | None = None
) -> AdvocateView:
    """The advocate's release for ``quarter`` (the first day of a calendar quarter that has ended before ``today``;
    default the latest), for advocates and managers. Only ``scope.viewer`` is read: the release is the same for
    every filter."""
    ensure_role(scope.viewer, "advocate", "manager")
    k = k_threshold(session)
    changes = setting_changes(session, key="k_anonymity")
    published = current_release(session, k=k, quarter=quarter, today=today)
    tables = {name: _anonymous(t) for name, t in published.tables.items()}
    suppressed = dict(published.hidden)
    findings, error, pending = None, None, False
    try:
        findings, suppressed["findings"] = findings_release(session, quarter=published.quarter, k=k)
        findings = _anonymous(findings)
    except AnonymityError:
        raise
    except FindingsNotReady:
        pending = True
    except Exception as exc:  # a bug in a rule must not hide the other aggregates; it is shown as one
        session.rollback()
        error = f"{type(exc).__name__}: {exc}"
    gap, suppressed["own_log_gap"] = own_log_release(session, quarter=published.quarter, k=k)
    quarter_scope = Scope(start=published.quarter, end=quarter_end(published.quarter)) if published.quarter else None
    return AdvocateView(k=k, **tables, findings=findings, suppressed=suppressed, findings_error=error,
                        findings_pending=pending,
                        quarter=published.quarter, quarters=published.quarters, k_changes=changes,
                        minimum_wage=typical_minimum_wage(session, scope=quarter_scope) if quarter_scope else None,
                        facts=_anonymous(key_facts(tables, findings)), own_log_gap=_anonymous(gap))  # fmt: skip
