"""The legal reference data as frames: the minimum-wage table, the dated rule parameters, the employers' weeks, and
the days worked at each workplace (how much work a stale or uncertain rate judges)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analytics.queries.base import frame, workers
from analytics.scope import Scope
from data.reference import RULES_EFFECTIVE
from data.schema import Employment, MinimumWage, Organization, RollupPersonDay, RuleParameter

MINIMUM_WAGE_COLUMNS = ["id", "jurisdiction", "region", "revision_year", "effective_from", "rate_per_hour", "currency",
                        "source", "checked_on"]  # fmt: skip


def minimum_wages(session: Session) -> pd.DataFrame:
    """Every minimum wage, by place and revision: ``id``, ``jurisdiction``, ``region``, ``revision_year``,
    ``effective_from`` (datetime64; NaT: announced, date not known), ``rate_per_hour`` (float), ``currency``,
    ``source``, ``checked_on`` (datetime64)."""
    m = MinimumWage
    query = select(*(getattr(m, c) for c in MINIMUM_WAGE_COLUMNS)).order_by(m.jurisdiction, m.region, m.revision_year)
    df = frame(session, query, dates=("effective_from", "checked_on"))
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in MINIMUM_WAGE_COLUMNS})
    return df


def dated_parameters(session: Session) -> pd.DataFrame:
    """The rule parameters in force from a later date than the seeded ones (the exempt floor by year, values
    entered or imported since): ``id``, ``jurisdiction``, ``key``, ``effective_from`` (datetime64), ``value`` (as
    JSON text), ``statute``, ``source``, ``checked_on`` (datetime64), ``help``; by jurisdiction, key and date."""
    r = RuleParameter
    query = (
        select(r.id, r.jurisdiction, r.key, r.effective_from, r.value, r.statute, r.source, r.checked_on, r.help)
        .where(r.effective_from > RULES_EFFECTIVE)
        .order_by(r.jurisdiction, r.key, r.effective_from)
    )
    df = frame(session, query, dates=("effective_from", "checked_on"))
    if not df.empty:
        df["value"] = df["value"].map(lambda v: _json(v["value"]))
    return df


def _json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def employer_weeks(session: Session) -> pd.DataFrame:
    """Every organization employing someone, with its week: ``id``, ``name``, ``week_start`` (None: Sunday, the
    statutory default), ``days_off_4w_from`` (datetime64; NaT: one day off a week)."""
    o = Organization
    employers = select(Employment.employer_id).distinct()
    query = select(o.id, o.name, o.week_start, o.days_off_4w_from).where(o.id.in_(employers)).order_by(o.name)
    return frame(session, query, dates=("days_off_4w_from",))


def days_by_workplace(session: Session, *, scope: Scope, since: dt.date | None) -> pd.DataFrame:
    """Person-days worked per workplace and date from ``since`` on (None: all), for the people the scope selects:
    ``jurisdiction``, ``prefecture``, ``city`` (the contract's workplace), ``work_date`` (datetime64),
    ``person_days``."""
    d, e = RollupPersonDay, Employment
    query = (
        select(e.jurisdiction, e.prefecture, e.city, d.work_date, func.count().label("person_days"))
        .join(e, e.id == d.employment_id)
        .group_by(e.jurisdiction, e.prefecture, e.city, d.work_date)
    )
    if since is not None:
        query = query.where(d.work_date >= since)
    if scope.start is not None:
        query = query.where(d.work_date >= scope.start)
    if scope.end is not None:
        query = query.where(d.work_date <= scope.end)
    return frame(session, workers(query, d.person_id, scope), dates=("work_date",))
