"""Aggregates for labor advocates: no names, no person ids, and no group smaller than k people.

k is the ``k_anonymity`` setting (default 5; ``ENDROLL_K_ANONYMITY`` or the Admin page). A group with fewer than k
distinct people is dropped whole, and the number dropped is kept in ``df.attrs["suppressed_groups"]`` so a page can
say that some groups were hidden without saying which.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import Float, and_, case, cast, func, literal, select
from sqlalchemy.orm import Session

from analytics.findings.snapshot import studio_findings
from analytics.scope import AnalyticsError, check_range, frame, money, people_on_production, production_id
from data import settings
from data.periods import py_month_start
from data.rollup import UNASSIGNED
from data.schema import Employment, Production, Role, RollupPersonMonth, RollupWorkMonth

GROUPINGS = ("department", "production", "role", "employment_type")


def k_threshold(session: Session) -> int:
    """The smallest group an advocate aggregate may show."""
    k = int(settings.get("k_anonymity", session))
    if k < 1:
        raise AnalyticsError(f"k_anonymity must be at least 1, not {k}; fix ENDROLL_K_ANONYMITY or the Admin setting")
    return k


def suppress(df: pd.DataFrame, k: int, people: str = "people") -> pd.DataFrame:
    """Drop every row whose ``people`` count is below ``k``; remember how many were dropped."""
    keep = df[df[people] >= k].reset_index(drop=True)
    keep.attrs["suppressed_groups"] = int((df[people] < k).sum())
    keep.attrs["k"] = k
    return keep


def _latest_employment(person_id: Any) -> Any:
    return (
        select(Employment.employment_type)
        .where(Employment.person_id == person_id)
        .order_by(Employment.start_date.desc())
        .limit(1)
        .scalar_subquery()
    )


def _person_groups_query(by: str, production: int | None, start, end, *, with_month: bool = True):  # noqa: ANN001, ANN202
    """(person_id, month, group, minutes) rows, one per person-month and group: the private input, never returned.
    Without ``with_month`` the month is grouped by but not returned (fewer values to carry into pandas)."""
    w = RollupWorkMonth
    if by == "department":
        group = func.coalesce(Role.department, literal(UNASSIGNED))
        source = w.__table__.outerjoin(Role, Role.id == w.role_id)
    elif by == "role":
        group = func.coalesce(Role.en, literal(UNASSIGNED))
        source = w.__table__.outerjoin(Role, Role.id == w.role_id)
    elif by == "production":
        group = func.coalesce(Production.title, literal("(no production)"))
        source = w.__table__.outerjoin(Production, Production.id == w.production_id)
    elif by == "employment_type":
        group = func.coalesce(_latest_employment(w.person_id), literal("unknown"))
        source = w.__table__
    else:
        raise AnalyticsError(f"cannot group advocate aggregates by {by!r}; choose from {', '.join(GROUPINGS)}")
    month = [w.month_start.label("month")] if with_month else []
    query = select(w.person_id, *month, group.label("group"), func.sum(w.minutes).label("minutes")).select_from(source)
    if production is not None:
        query = query.where(w.production_id == production)
    if start is not None:
        query = query.where(w.month_start >= py_month_start(start))
    if end is not None:
        query = query.where(w.month_start <= end)
    return query.group_by(w.person_id, w.month_start, group)


def _person_groups(session: Session, by: str, production: int | None, start, end) -> pd.DataFrame:  # noqa: ANN001
    return frame(session, _person_groups_query(by, production, start, end, with_month=False), raw=True)


def hours_distribution(
    *,
    session: Session,
    by: str = "department",
    production: str | int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Monthly hours per person, summarised per group; groups under k people suppressed.

    Columns: ``group``, ``people``, ``person_months``, ``median_monthly_hours``, ``mean_monthly_hours``,
    ``p90_monthly_hours``, ``share_over_205_hours`` (share of person-months above 205 h, the statutory month plus the
    45 h overtime cap).
    """
    check_range(start, end)
    rows = _person_groups(session, by, production_id(session, production), start, end)
    columns = [
        "group",
        "people",
        "person_months",
        "median_monthly_hours",
        "mean_monthly_hours",
        "p90_monthly_hours",
        "share_over_205_hours",
    ]
    if rows.empty:
        return suppress(pd.DataFrame({c: pd.Series(dtype="float64") for c in columns}), k_threshold(session))
    rows["hours"] = rows["minutes"] / 60.0
    rows["over_205"] = rows["hours"] > 205
    grouped = rows.groupby("group")
    out = grouped.agg(
        people=("person_id", "nunique"),
        person_months=("hours", "size"),
        median_monthly_hours=("hours", "median"),
        mean_monthly_hours=("hours", "mean"),
        share_over_205_hours=("over_205", "mean"),
    )
    out["p90_monthly_hours"] = grouped["hours"].quantile(0.9)
    return suppress(out.reset_index()[columns], k_threshold(session))


def pay_distribution(
    *,
    session: Session,
    by: str = "employment_type",
    production: str | int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Effective hourly pay per person-month, summarised per group (each person in their main group of the month).

    Columns: ``group``, ``currency``, ``people``, ``person_months``, ``median_pay_per_hour``, ``p25_pay_per_hour``,
    ``p75_pay_per_hour``, ``share_below_mw`` (share of person-months whose rate — base pay for employees,
    all pay for others — was under the minimum wage on some day worked).
    """
    check_range(start, end)
    pid = production_id(session, production)
    columns = [
        "group",
        "currency",
        "people",
        "person_months",
        "median_pay_per_hour",
        "p25_pay_per_hour",
        "p75_pay_per_hour",
        "share_below_mw",
    ]
    data = _main_group_pay(session, by, pid, start, end, with_month=False)
    if data.empty:
        return suppress(pd.DataFrame({c: pd.Series(dtype="float64") for c in columns}), k_threshold(session))
    grouped = data.groupby(["group", "currency"])
    out = grouped.agg(
        people=("person_id", "nunique"),
        person_months=("pay_per_hour", "size"),
        share_below_mw=("below", "mean"),
    )
    # One vectorised quantile pass for all groups (a lambda per group costs a Python call and a sort each).
    q = grouped["pay_per_hour"].quantile([0.25, 0.5, 0.75]).unstack()
    out["p25_pay_per_hour"], out["median_pay_per_hour"], out["p75_pay_per_hour"] = q[0.25], q[0.5], q[0.75]
    return suppress(out.reset_index()[columns], k_threshold(session))


def _pay_columns(*, with_month: bool = True) -> tuple[Any, ...]:
    """Per person-month: ``pay_per_hour`` (all pay) and ``below`` (1 when the rate the minimum-wage test uses — base
    pay for employees, all pay for others — is under the month's highest minimum wage): the arithmetic of
    :func:`analytics.pay.effective_pay`, done in SQL so only these two numbers per person-month reach pandas."""
    m = RollupPersonMonth
    hours = cast(m.minutes, Float) / 60.0
    pay_per_hour = money(m.pay_amount) / hours
    rate = case((m.employee_minutes * 2 > m.minutes, money(m.pay_mw_base_amount) / hours), else_=pay_per_hour)
    below = and_(m.mw_max_rate.is_not(None), rate < money(m.mw_max_rate))
    return (
        m.person_id,
        *([m.month_start.label("month")] if with_month else []),
        m.currency,
        pay_per_hour.label("pay_per_hour"),
        case((below, 1), else_=0).label("below"),
    )


def _main_group_pay(  # noqa: ANN001 - start/end: dates or None
    session: Session, by: str, pid: int | None, start, end, *, with_month: bool = True
) -> pd.DataFrame:
    """Per person-month with hours: the group with most of its minutes (ties: first group name) and the columns of
    :func:`_pay_columns` — in one query, so 150,000 person-months do not cross into pandas twice.

    Studio-wide, the month's main role, department and production are stored on rollup_person_month at refresh;
    within one production the main group is among that production's work only, so it is ranked here."""
    m = RollupPersonMonth
    if pid is None:
        if by not in GROUPINGS:
            raise AnalyticsError(f"cannot group advocate aggregates by {by!r}; choose from {', '.join(GROUPINGS)}")
        source = m.__table__
        if by == "role":
            group = func.coalesce(Role.en, literal(UNASSIGNED))
            source = source.outerjoin(Role, Role.id == m.main_role_id)
        elif by == "department":
            group = func.coalesce(m.main_department, literal(UNASSIGNED))
        elif by == "production":
            group = func.coalesce(Production.title, literal("(no production)"))
            source = source.outerjoin(Production, Production.id == m.main_production_id)
        else:  # one group per person whatever the month: the latest employment type
            group = func.coalesce(_latest_employment(m.person_id), literal("unknown"))
        query = select(*_pay_columns(with_month=with_month), group.label("group")).select_from(source)
        query = query.where(m.minutes > 0)
        if start is not None:
            query = query.where(m.month_start >= py_month_start(start))
        if end is not None:
            query = query.where(m.month_start <= end)
        return frame(session, query, dates=("month",) if with_month else (), raw=True)
    return _ranked_main_group_pay(session, by, pid, start, end, with_month=with_month)


def _ranked_main_group_pay(  # noqa: ANN001 - start/end: dates or None
    session: Session, by: str, pid: int | None, start, end, *, with_month: bool = True
) -> pd.DataFrame:
    """:func:`_main_group_pay` ranking each person-month's groups with a window over rollup_work_month (restricted
    to production ``pid`` when given)."""
    m = RollupPersonMonth
    groups = _person_groups_query(by, pid, start, end).subquery("groups")
    ranked = select(
        groups,
        func.row_number()
        .over(partition_by=[groups.c.person_id, groups.c.month], order_by=[groups.c.minutes.desc(), groups.c.group])
        .label("rank"),
    ).subquery("ranked")
    query = (
        select(*_pay_columns(with_month=with_month), ranked.c.group)
        .join(ranked, and_(ranked.c.person_id == m.person_id, ranked.c.month == m.month_start, ranked.c.rank == 1))
        .where(m.minutes > 0)
    )
    if pid is not None:
        query = query.where(m.person_id.in_(people_on_production(pid, start, end)))
    return frame(session, query, dates=("month",) if with_month else (), raw=True)


def findings_summary(
    *,
    session: Session,
    production: str | int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """How many people each rule found, without saying who.

    Columns: ``rule_id``, ``severity``, ``people`` (distinct people with at least one finding), ``findings``,
    ``median_measured_value``, ``threshold``, ``unit``. Rules that found fewer than k people are suppressed.
    """
    # Selected from the whole studio's findings: the stored snapshot when current.
    df = studio_findings(session=session, production=production, start=start, end=end)
    columns = ["rule_id", "severity", "people", "findings", "median_measured_value", "threshold", "unit"]
    if df.empty:
        return suppress(pd.DataFrame({c: pd.Series(dtype="float64") for c in columns}), k_threshold(session))
    out = df.groupby(["rule_id", "severity", "unit"], as_index=False).agg(
        people=("person_id", "nunique"),
        findings=("rule_id", "size"),
        median_measured_value=("measured_value", "median"),
        threshold=("threshold", "max"),
    )
    return suppress(out[columns], k_threshold(session))
