"""Aggregates for labor advocates: no names, no person ids, and no group smaller than k people.

k is the ``k_anonymity`` setting (default 5; ``ENDROLL_K_ANONYMITY`` or the Admin page). A group with fewer than k
distinct people is dropped whole, and the number dropped is kept in ``df.attrs["suppressed_groups"]`` so a page can
say that some groups were hidden without saying which.

The per-person rows come from :mod:`analytics.queries.advocate` and never leave this module unsummarised; the
summaries are computed here, on frames.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from analytics.errors import AnalyticsError
from analytics.findings.snapshot import studio_findings
from analytics.queries import advocate as q
from analytics.queries.advocate import GROUPINGS
from analytics.scope import Scope
from data import settings

__all__ = ["GROUPINGS", "findings_summary", "hours_distribution", "k_threshold", "monthly_hours_trend",
           "pay_distribution", "suppress"]  # fmt: skip
HOURS_COLUMNS = ["group", "people", "person_months", "median_monthly_hours", "mean_monthly_hours",
                 "p90_monthly_hours", "share_over_205_hours"]  # fmt: skip
PAY_COLUMNS = ["group", "currency", "people", "person_months", "median_pay_per_hour", "p25_pay_per_hour",
               "p75_pay_per_hour", "share_below_mw"]  # fmt: skip
FINDINGS_COLUMNS = ["rule_id", "severity", "people", "findings", "median_measured_value", "threshold", "unit"]
MONTHLY_HOURS_OVER = 205  # the statutory month (40 h × 4) plus the 45 h overtime cap


def k_threshold(session: Session) -> int:
    """The smallest group an advocate aggregate may show."""
    k = int(settings.get("k_anonymity", session))
    if k < 1:
        raise AnalyticsError(
            "k_anonymity must be at least 1, not {k}",
            fix={"cli": "fix ENDROLL_K_ANONYMITY or the Admin setting", "page": "fix k_anonymity on the Admin page"},
            k=k,
        )
    return k


def suppress(df: pd.DataFrame, k: int, people: str = "people") -> pd.DataFrame:
    """Drop every row whose ``people`` count is below ``k``; remember how many were dropped."""
    keep = df[df[people] >= k].reset_index(drop=True)
    keep.attrs["suppressed_groups"] = int((df[people] < k).sum())
    keep.attrs["k"] = k
    return keep


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})


def hours_distribution(session: Session, *, scope: Scope, by: str = "department") -> pd.DataFrame:
    """Monthly hours per person in the scope's rows, summarised per group (:func:`hours_summary`), groups under k
    people suppressed."""
    rows = q.person_group_seconds(session, scope=scope, by=by)
    return suppress(hours_summary(rows), k_threshold(session))


def hours_summary(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (``person_id``, ``group``, ``seconds`` per person-month) summarised per group.

    Columns: ``group``, ``people``, ``person_months``, ``median_monthly_hours``, ``mean_monthly_hours``,
    ``p90_monthly_hours``, ``share_over_205_hours`` (share of person-months above 205 h, the statutory month plus the
    45 h overtime cap).
    """
    if rows.empty:
        return _empty(HOURS_COLUMNS)
    rows["hours"] = rows["seconds"] / 3600.0
    rows["over_205"] = rows["hours"] > MONTHLY_HOURS_OVER
    grouped = rows.groupby("group")
    out = grouped.agg(
        people=("person_id", "nunique"),
        person_months=("hours", "size"),
        median_monthly_hours=("hours", "median"),
        mean_monthly_hours=("hours", "mean"),
        share_over_205_hours=("over_205", "mean"),
    )
    out["p90_monthly_hours"] = grouped["hours"].quantile(0.9)
    return out.reset_index()[HOURS_COLUMNS]


def pay_distribution(session: Session, *, scope: Scope, by: str = "employment_type") -> pd.DataFrame:
    """Effective hourly pay per person-month of the people in scope, each in their main group of the month
    (:func:`analytics.queries.advocate.main_group_pay`), summarised per group (:func:`pay_summary`), groups under k
    people suppressed."""
    data = q.main_group_pay(session, scope=scope, by=by, with_month=False)
    return suppress(pay_summary(data), k_threshold(session))


def pay_summary(data: pd.DataFrame) -> pd.DataFrame:
    """``data`` (``person_id``, ``group``, ``currency``, ``pay_per_hour``, ``below`` per person-month) per group.

    Columns: ``group``, ``currency``, ``people``, ``person_months``, ``median_pay_per_hour``, ``p25_pay_per_hour``,
    ``p75_pay_per_hour``, ``share_below_mw`` (share of person-months whose rate — base pay for employees,
    all pay for others — was under the minimum wage on some day worked).
    """
    if data.empty:
        return _empty(PAY_COLUMNS)
    grouped = data.groupby(["group", "currency"])
    out = grouped.agg(
        people=("person_id", "nunique"),
        person_months=("pay_per_hour", "size"),
        share_below_mw=("below", "mean"),
    )
    # One vectorised quantile pass for all groups (a lambda per group costs a Python call and a sort each).
    quantiles = grouped["pay_per_hour"].quantile([0.25, 0.5, 0.75]).unstack()
    out["p25_pay_per_hour"] = quantiles[0.25]
    out["median_pay_per_hour"] = quantiles[0.5]
    out["p75_pay_per_hour"] = quantiles[0.75]
    return out.reset_index()[PAY_COLUMNS]


def monthly_hours_trend(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Per month: people who worked in scope, their median monthly hours and the share of person-months over 205 h
    (:func:`monthly_summary`); months with fewer than k people suppressed."""
    return suppress(monthly_summary(q.person_month_hours(session, scope=scope)), k_threshold(session))


def monthly_summary(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (``month``, ``seconds`` per person-month) per month. Columns: ``month`` (datetime64), ``people``,
    ``median_monthly_hours``, ``share_over_205_hours``."""
    rows["hours"] = rows["seconds"].astype(float) / 3600.0
    out = rows.groupby("month", as_index=False).agg(
        people=("hours", "size"),
        median_monthly_hours=("hours", "median"),
        share_over_205_hours=("hours", lambda s: float((s > MONTHLY_HOURS_OVER).mean())),
    )
    out["month"] = pd.to_datetime(out["month"])
    return out


def findings_summary(session: Session, *, scope: Scope) -> pd.DataFrame:
    """How many people each rule found in scope, without saying who (:func:`findings_counts`); rules that found
    fewer than k people suppressed."""
    # Selected from the whole studio's findings: the stored snapshot when current.
    return suppress(findings_counts(studio_findings(session, scope=scope)), k_threshold(session))


def findings_counts(found: pd.DataFrame) -> pd.DataFrame:
    """``found`` (the columns of :func:`analytics.findings.findings`) counted per rule, severity and unit.

    Columns: ``rule_id``, ``severity``, ``people`` (distinct people with at least one finding), ``findings``,
    ``median_measured_value``, ``threshold``, ``unit``.
    """
    if found.empty:
        return _empty(FINDINGS_COLUMNS)
    out = found.groupby(["rule_id", "severity", "unit"], as_index=False).agg(
        people=("person_id", "nunique"),
        findings=("rule_id", "size"),
        median_measured_value=("measured_value", "median"),
        threshold=("threshold", "max"),
    )
    return out[FINDINGS_COLUMNS]
