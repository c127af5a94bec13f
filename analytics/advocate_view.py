"""The advocate's view: the same analytics as anonymized aggregates — no names, no person ids, no group under k.

Every table passes :func:`_anonymous`, which refuses identifying columns, so a future change to an underlying
function cannot leak a name through this page.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.access import ensure_role
from analytics.ai_share import ai_share
from analytics.anonymized import findings_summary, hours_distribution, k_threshold, pay_distribution, suppress
from analytics.overview import OverviewFilters
from data.identity import Identity
from data.periods import py_month_start
from data.schema import RollupPersonMonth

IDENTIFYING = frozenset({"person_id", "person", "name", "display_name", "email", "operator", "username"})


class AnonymityError(RuntimeError):
    """An aggregate would reveal a person; nothing is shown instead."""


def _anonymous(frame: pd.DataFrame) -> pd.DataFrame:
    leaked = sorted(set(map(str, frame.columns)) & IDENTIFYING)
    if leaked:
        raise AnonymityError(f"an advocate table would contain identifying columns {leaked}; refusing to show it")
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


def monthly_hours_trend(*, session: Session, filters: OverviewFilters) -> pd.DataFrame:
    """Per month: people who worked, median monthly hours and share of person-months over 205 h; months with fewer
    than k people suppressed. Columns: ``month`` (datetime64), ``people``, ``median_monthly_hours``,
    ``share_over_205_hours``."""
    m = RollupPersonMonth
    stmt = select(m.month_start, m.minutes).where(m.minutes > 0)
    if filters.start:
        stmt = stmt.where(m.month_start >= py_month_start(filters.start))
    if filters.end:
        stmt = stmt.where(m.month_start <= filters.end)
    rows = pd.DataFrame(session.execute(stmt).all(), columns=["month", "minutes"])
    rows["hours"] = rows["minutes"].astype(float) / 60.0
    out = rows.groupby("month", as_index=False).agg(
        people=("hours", "size"),
        median_monthly_hours=("hours", "median"),
        share_over_205_hours=("hours", lambda s: float((s > 205).mean())),
    )
    out["month"] = pd.to_datetime(out["month"])
    return suppress(out, k_threshold(session))


def advocate_view(*, session: Session, identity: Identity, filters: OverviewFilters) -> AdvocateView:
    """All advocate aggregates for the filters (one production at most; dates select whole months)."""
    ensure_role(identity, "advocate", "manager")
    k = k_threshold(session)
    production = filters.production_ids[0] if len(filters.production_ids) == 1 else None
    common = {"production": production, "start": filters.start, "end": filters.end}
    tables = {
        "hours_by_department": hours_distribution(session=session, by="department", **common),
        "hours_by_production": hours_distribution(
            session=session, by="production", start=filters.start, end=filters.end
        ),  # fmt: skip
        "hours_by_employment": hours_distribution(session=session, by="employment_type", **common),
        "pay_by_employment": pay_distribution(session=session, by="employment_type", **common),
        "pay_by_role": pay_distribution(session=session, by="role", **common),
        "monthly": monthly_hours_trend(session=session, filters=filters),
    }
    ai = ai_share(session=session, by=("month",), **common)
    tables["ai_by_month"] = suppress(ai[["month", "people", "ai_hours_share"]], k) if not ai.empty else ai
    suppressed = {name: int(t.attrs.get("suppressed_groups", 0)) for name, t in tables.items()}
    findings, error = None, None
    try:
        findings = _anonymous(findings_summary(session=session, **common))
        suppressed["findings"] = int(findings.attrs.get("suppressed_groups", 0))
    except AnonymityError:
        raise
    except Exception as exc:  # noqa: BLE001 - shown on the page; the other aggregates stand
        session.rollback()
        error = f"{type(exc).__name__}: {exc}"
    return AdvocateView(k=k, **{n: _anonymous(t) for n, t in tables.items()}, findings=findings,
                        suppressed=suppressed, findings_error=error)  # fmt: skip
