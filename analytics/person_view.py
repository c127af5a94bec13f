"""The person page: one person's hours, pay against the minimum wage, findings, credits, AI use and employment, for
a manager (reached from a row of any table, or by searching for the name)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from analytics.access import ensure_role
from analytics.ai_view import ai_ledger
from analytics.errors import FindingsNotReady
from analytics.findings.snapshot import studio_findings
from analytics.my_record import own_credits
from analytics.pay import effective_pay
from analytics.people import names
from analytics.queries import people as q
from analytics.scope import Scope

MONTH_COLUMNS = ["month", "currency", "hours", "days_worked", "ot_plus_holiday_hours", "ai_hours", "pay_amount",
                 "pay_per_hour", "base_pay_per_hour", "mw_max_per_hour", "below_mw"]  # fmt: skip


@dataclass(frozen=True)
class PersonView:
    """One person as a manager sees them.

    ``profile``: ``person_id``, ``native``, ``romaji``, ``kana``, ``pen_name``, ``visibility``
    (:func:`analytics.people.names`). ``employments``: :func:`analytics.queries.people.employments`. ``monthly``:
    ``MONTH_COLUMNS`` per month with work — hours, days worked, overtime plus holiday work, AI-assisted hours (h);
    pay, pay per hour (all pay) and base pay per hour (what the minimum-wage test counts) in ``currency``, the highest
    minimum wage in force that month (``mw_max_per_hour``) and ``below_mw`` (bool); pay columns are NaN in months
    without pay. ``findings``: the columns of :func:`analytics.findings.findings`. ``credits``:
    :func:`analytics.my_record.own_credits`. ``ai_use``: the AI-usage ledger rows they operated
    (:func:`analytics.ai_view.ai_ledger`), latest first; ``ai_total`` counts them all.
    """

    profile: dict[str, Any]
    employments: pd.DataFrame
    monthly: pd.DataFrame
    findings: pd.DataFrame
    credits: pd.DataFrame
    ai_use: pd.DataFrame
    ai_total: int
    findings_pending: bool = False  # the background worker has not computed any findings yet (``findings`` empty)


def person_view(session: Session, *, scope: Scope) -> PersonView:
    """Everything the person page shows about the scope's one person (managers only), over all their records: the
    sidebar's filters do not narrow a person's page."""
    ensure_role(scope.viewer, "manager")
    person_id = scope.person
    one = Scope(people=(person_id,), viewer=scope.viewer)
    found = names(session, people=[person_id])
    if found.empty:
        q.person_record(session, person_id)  # raises PersonNotFound, saying what to do
    ledger, total = ai_ledger(session, scope=one, limit=500)
    try:
        findings, pending = studio_findings(session, scope=one), False
    except FindingsNotReady:  # the page's wait state stands in for them; the rest of the person is there
        findings, pending = pd.DataFrame(), True
    return PersonView(
        profile=found.iloc[0].to_dict(),
        employments=q.employments(session, person_id=person_id),
        monthly=monthly_table(q.person_months_of(session, person_id=person_id), effective_pay(session, scope=one)),
        findings=findings,
        credits=own_credits(session, scope=one),
        ai_use=ledger.drop(columns=["person_id", "operator"]),
        ai_total=total,
        findings_pending=pending,
    )


def monthly_table(work: pd.DataFrame, pay: pd.DataFrame) -> pd.DataFrame:
    """``work`` (:func:`analytics.queries.people.person_months_of`) beside ``pay`` (:func:`analytics.pay.rates` of
    the same person): ``MONTH_COLUMNS``, by month."""
    pay = pay.drop(columns=["person_id", "hours"], errors="ignore")
    out = work.merge(pay, on="month", how="outer").sort_values("month", ignore_index=True)
    for column in ("hours", "days_worked", "ot_plus_holiday_hours", "ai_hours"):
        out[column] = out[column].astype(float).fillna(0.0)
    out["below_mw"] = out["below_mw"].astype("boolean").fillna(False).astype(bool)
    out["currency"] = out["currency"].astype(object).where(out["currency"].notna(), None)
    return out[MONTH_COLUMNS]
