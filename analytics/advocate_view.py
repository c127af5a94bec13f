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
from analytics.anonymized import K_FLOOR, K_FLOOR_REASON, k_threshold
from analytics.errors import AnonymityError
from analytics.queries.advocate import setting_changes
from analytics.release import findings_release, release
from analytics.scope import Scope

__all__ = ["AdvocateView", "AnonymityError", "advocate_view"]
IDENTIFYING = frozenset({"person_id", "person", "name", "display_name", "email", "operator", "username"})


def _anonymous(frame: pd.DataFrame) -> pd.DataFrame:
    leaked = sorted(set(map(str, frame.columns)) & IDENTIFYING)
    if leaked:
        raise AnonymityError("an advocate table would contain the identifying columns {leaked}; it is not shown",
                             fix={"page": "report this: it is a bug", "cli": "report this: it is a bug"},
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
    ``ai_hours_share``). ``k_changes``: every audited change of k (``at``, ``actor``, ``old``, ``new``), oldest
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
    quarter: dt.date | None = None
    quarters: tuple[dt.date, ...] = ()
    k_changes: pd.DataFrame | None = None
    k_floor: int = K_FLOOR
    k_floor_reason: str = K_FLOOR_REASON


def advocate_view(
    session: Session, *, scope: Scope, quarter: dt.date | None = None, today: dt.date | None = None
) -> AdvocateView:
    """The advocate's release for ``quarter`` (the first day of a calendar quarter that has ended before ``today``;
    default the latest), for advocates and managers. Only ``scope.viewer`` is read: the release is the same for
    every filter."""
    ensure_role(scope.viewer, "advocate", "manager")
    k = k_threshold(session)
    changes = setting_changes(session, key="k_anonymity")
    published = release(session, k=k, quarter=quarter, today=today)
    tables = {name: _anonymous(t) for name, t in published.tables.items()}
    suppressed = dict(published.hidden)
    findings, error = None, None
    try:
        findings, suppressed["findings"] = findings_release(session, quarter=published.quarter, k=k)
        findings = _anonymous(findings)
    except AnonymityError:
        raise
    except Exception as exc:  # a bug in a rule must not hide the other aggregates; it is shown as one
        session.rollback()
        error = f"{type(exc).__name__}: {exc}"
    return AdvocateView(k=k, **tables, findings=findings, suppressed=suppressed, findings_error=error,
                        quarter=published.quarter, quarters=published.quarters, k_changes=changes)  # fmt: skip
