"""The private inputs of the advocate aggregates: per person-month rows that never leave
:mod:`analytics.anonymized` and :mod:`analytics.release` unsummarised; and what the advocate's page says about how
they are protected (the months with data, the changes of k)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, Float, and_, case, cast, func, literal, select
from sqlalchemy.orm import Session

from analytics.errors import AnalyticsError
from analytics.queries.base import (
    frame,
    in_period,
    money,
    packed,
    packed_day,
    packed_rows,
    scoped,
    unpacked,
    unpacked_dates,
    workers,
)
from analytics.scope import Scope
from data.i18n import N_
from data.rollup import UNASSIGNED
from data.schema import AuditEvent, Employment, Production, Role, RollupPersonMonth, RollupWorkMonth

GROUPINGS = ("department", "production", "role", "employment_type")


def _unknown_grouping(by: str) -> AnalyticsError:
    return AnalyticsError(N_("cannot group advocate aggregates by {by!r}; choose from {known}"), by=by,
                          known=", ".join(GROUPINGS))  # fmt: skip


def _latest_employment(person_id: Any) -> Any:
    return (
        select(Employment.employment_type)
        .where(Employment.person_id == person_id)
        .order_by(Employment.start_date.desc())
        .limit(1)
        .scalar_subquery()
    )


def _person_groups_query(by: str, scope: Scope, *, with_month: bool = True) -> Any:
    """(person_id, month, group, seconds) rows of the scope's rows, one per person-month and group. Without
    ``with_month`` the month is grouped by but not returned (fewer values to carry into pandas)."""
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
        raise _unknown_grouping(by)
    month = [w.month_start.label("month")] if with_month else []
    query = select(w.person_id, *month, group.label("group"), func.sum(w.seconds).label("seconds")).select_from(source)
    return scoped(query, w, scope).group_by(w.person_id, w.month_start, group)


def person_group_seconds(session: Session, *, scope: Scope, by: str, with_month: bool = False) -> pd.DataFrame:
    """Seconds per person-month and group (one of ``GROUPINGS``) in the scope's rows.

    Columns: ``person_id``, ``month`` (datetime64; only ``with_month``), ``group``, ``seconds`` (one row per person,
    month and group with time worked: a month whose logs hold no seconds is no working month).
    """
    if by in _NAMED_GROUPS:
        return _person_named_groups(session, scope=scope, by=by, with_month=with_month)
    if by == "employment_type":
        return _person_employment_groups(session, scope=scope, with_month=with_month)
    raise _unknown_grouping(by)


def _person_month(session: Session, table: Any) -> Any:
    """``table``'s person above its month's day number, one 64-bit integer (persons < 2^31; packed days < 2^23)."""
    return packed(table.person_id, packed_day(session, table.month_start))


def _grouped(person_month: np.ndarray, group: np.ndarray, seconds: np.ndarray, *, with_month: bool) -> pd.DataFrame:
    """The frame :func:`person_group_seconds` returns, from :func:`_person_month` values and their groups and sums."""
    person, month = unpacked(person_month)
    out = {"person_id": person}
    if with_month:
        out["month"] = unpacked_dates(month)
    out["group"] = group
    out["seconds"] = seconds
    return pd.DataFrame(out)


def _person_employment_groups(session: Session, *, scope: Scope, with_month: bool) -> pd.DataFrame:
    """:func:`person_group_seconds` by ``employment_type``: the group is the person's, not the row's, so each
    person-month's sum is read and each person's latest contract is read once and joined here. In SQL the latest
    contract was a subquery asked for every row of ``rollup_work_month`` (at 5 million work logs 0.67 s of the
    timeline's 1.2 s). Latest: the contract that starts last; of two starting the same day, the one recorded
    last. A scope that keeps only people and a period reads the sums kept per person-month (``rollup_person_month``,
    the same seconds: both sum every work log of the person's month); one that keeps productions or departments sums
    their rows of ``rollup_work_month``."""
    if scope.selects_rows:
        w = RollupWorkMonth
        total = cast(func.sum(w.seconds), BigInteger)
        query = scoped(select(_person_month(session, w), total), w, scope)
        query = query.group_by(w.person_id, w.month_start).having(total > 0)
    else:
        m = RollupPersonMonth
        query = scoped(select(_person_month(session, m), cast(m.seconds, BigInteger)).where(m.seconds > 0), m, scope)
    rows = packed_rows(session, query, 2)
    contracts = session.execute(
        select(Employment.person_id, Employment.employment_type).order_by(
            Employment.person_id, Employment.start_date, Employment.id
        )
    ).all()
    latest = {int(person): kind for person, kind in contracts}  # the last one read of each person stays
    ids, index = np.unique(unpacked(rows[:, 0])[0], return_inverse=True)
    kinds = np.array([latest.get(int(p)) for p in ids], dtype=object)
    kinds[pd.isna(kinds)] = "unknown"  # no contract, or one without a type, as coalesce() said in SQL
    return _grouped(rows[:, 0], kinds[index], rows[:, 1], with_month=with_month)


# What a named grouping is read by in rollup_work_month, the names it shows, and the name of a row without one.
_NAMED_GROUPS = {
    "department": (RollupWorkMonth.role_id, Role.id, Role.department, UNASSIGNED),
    "role": (RollupWorkMonth.role_id, Role.id, Role.en, UNASSIGNED),
    "production": (RollupWorkMonth.production_id, Production.id, Production.title, "(no production)"),
}


def _person_named_groups(session: Session, *, scope: Scope, by: str, with_month: bool) -> pd.DataFrame:
    """:func:`person_group_seconds` by ``department``, ``role`` or ``production``, summed in numpy from the scope's
    rows of ``rollup_work_month`` read as two packed integers each: SQLite grouping them by a joined name and the
    driver handing back a name per row cost several times the sums (hundreds of thousands of rows at 5 million work
    logs). Rows come sorted by person, month and group, as the database grouped them.

    The person (ids < 2^31) above the month's day number (offset positive, < 2^23); the role or production (0: none)
    above the seconds (a 32-bit column)."""
    w = RollupWorkMonth
    column, key, name, default = _NAMED_GROUPS[by]
    query = scoped(select(_person_month(session, w), packed(func.coalesce(column, 0), w.seconds)), w, scope)
    rows = packed_rows(session, query, 2)
    names = dict(session.execute(select(key, name)).tuples().all())
    # Each id present becomes its group's code (ids sharing a name share the code), summed per person-month.
    group_ids, seconds = unpacked(rows[:, 1])
    ids, id_index = np.unique(group_ids, return_inverse=True)
    named = [names.get(int(i)) for i in ids]
    groups, group_of_id = np.unique(np.array([default if n is None else n for n in named], dtype=object),
                                    return_inverse=True)  # fmt: skip
    cells = pd.DataFrame({"person_month": rows[:, 0], "code": group_of_id[id_index], "seconds": seconds})
    # Codes follow the names' sorted order, so sorting by code sorts by name.
    sums = cells.groupby(["person_month", "code"], sort=True, as_index=False)["seconds"].sum()
    sums = sums[sums["seconds"] > 0]
    return _grouped(sums["person_month"].to_numpy(), groups[sums["code"].to_numpy()], sums["seconds"].to_numpy(),
                    with_month=with_month)  # fmt: skip


def _pay_columns(*, with_month: bool = True) -> tuple[Any, ...]:
    """Per person-month: ``pay_per_hour`` (all pay) and ``below`` (1 when the rate the minimum-wage test uses — base
    pay for employees, all pay for others — is under the month's highest minimum wage): the arithmetic of
    :func:`analytics.pay.rates`, done in SQL so only these two numbers per person-month reach pandas."""
    m = RollupPersonMonth
    hours = cast(m.seconds, Float) / 3600.0
    pay_per_hour = money(m.pay_amount) / hours
    base = func.coalesce(m.mw_base_per_hour, money(m.pay_mw_base_amount) / hours)  # by pay basis (data.rollup.bases)
    rate = case((m.employee_seconds * 2 > m.seconds, base), else_=pay_per_hour)
    below = and_(m.mw_max_rate.is_not(None), rate < money(m.mw_max_rate))
    return (
        m.person_id,
        *([m.month_start.label("month")] if with_month else []),
        m.currency,
        pay_per_hour.label("pay_per_hour"),
        case((below, 1), else_=0).label("below"),
    )


def main_group_pay(session: Session, *, scope: Scope, by: str, with_month: bool = True) -> pd.DataFrame:
    """Per person-month with hours, of the people in scope in the months of its period: the group with most of its
    seconds (ties: first group name) and ``pay_per_hour``, ``below`` (see :func:`_pay_columns`), in one query, so
    150,000 person-months do not cross into pandas twice.

    Columns: ``person_id``, ``month`` (datetime64; only ``with_month``), ``currency``, ``pay_per_hour``, ``below``,
    ``group``. Studio-wide, the month's main role, department and production are stored on rollup_person_month at
    refresh; when the scope selects productions or departments the main group is among its rows only, so it is
    ranked here (:func:`ranked_main_group_pay`)."""
    if scope.selects_rows:
        return ranked_main_group_pay(session, scope=scope, by=by, with_month=with_month)
    if by not in GROUPINGS:
        raise _unknown_grouping(by)
    m = RollupPersonMonth
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
    query = workers(query.where(m.seconds > 0, *in_period(m.month_start, scope)), m.person_id, scope)
    return frame(session, query, dates=("month",) if with_month else (), raw=True)


def ranked_main_group_pay(session: Session, *, scope: Scope, by: str, with_month: bool = True) -> pd.DataFrame:
    """:func:`main_group_pay` ranking each person-month's groups with a window over the scope's rows of
    rollup_work_month."""
    m = RollupPersonMonth
    groups = _person_groups_query(by, scope).subquery("groups")
    ranked = select(
        groups,
        func.row_number()
        .over(partition_by=[groups.c.person_id, groups.c.month], order_by=[groups.c.seconds.desc(), groups.c.group])
        .label("rank"),
    ).subquery("ranked")
    query = (
        select(*_pay_columns(with_month=with_month), ranked.c.group)
        .join(ranked, and_(ranked.c.person_id == m.person_id, ranked.c.month == m.month_start, ranked.c.rank == 1))
        .where(m.seconds > 0)
    )
    query = workers(query, m.person_id, scope)
    return frame(session, query, dates=("month",) if with_month else (), raw=True)


def person_month_hours(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Hours per person-month in scope: of the scope's rows when it selects productions or departments, else each
    person's whole month. Columns: ``month`` (datetime64), ``seconds`` (no person: only the month is returned)."""
    if scope.selects_rows:
        w = RollupWorkMonth
        query = scoped(select(w.month_start.label("month"), func.sum(w.seconds).label("seconds")), w, scope)
        query = query.group_by(w.person_id, w.month_start).having(func.sum(w.seconds) > 0)
    else:
        m = RollupPersonMonth
        query = select(m.month_start.label("month"), m.seconds).where(m.seconds > 0, *in_period(m.month_start, scope))
        query = workers(query, m.person_id, scope)
    return frame(session, query, dates=("month",), raw=True)


def minimum_wages(session: Session, *, scope: Scope, currency: str = "JPY") -> pd.DataFrame:
    """The highest minimum wage in force in each person-month of the people in scope paid in ``currency``, counted:
    ``mw_per_hour``, ``person_months`` (a handful of rows: one per rate)."""
    m = RollupPersonMonth
    query = select(money(m.mw_max_rate).label("mw_per_hour"), func.count().label("person_months")).where(
        m.seconds > 0, m.currency == currency, m.mw_max_rate.is_not(None), *in_period(m.month_start, scope)
    )
    query = workers(query, m.person_id, scope).group_by(m.mw_max_rate).order_by(m.mw_max_rate)
    return frame(session, query)


def months_with_work(session: Session) -> tuple[dt.date | None, dt.date | None]:
    """The first and last month (first days) in which anyone logged work; (None, None) for an empty database."""
    m = RollupPersonMonth
    first, last = session.execute(select(func.min(m.month_start), func.max(m.month_start)).where(m.seconds > 0)).one()
    return _day(first), _day(last)


def _day(value: Any) -> dt.date | None:
    # SQLite hands back the aggregate of a DATE column as text.
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def setting_changes(session: Session, *, key: str) -> pd.DataFrame:
    """Every audited change of the setting ``key``, oldest first. Columns: ``at`` (datetime64, UTC), ``actor``,
    ``old`` and ``new`` (the values as stored text; ``old`` None when the default was in force)."""
    a = AuditEvent
    query = (
        select(a.at, a.actor, a.old_values, a.new_values)
        .where(a.entity_type == "setting", a.entity_id == key)
        .order_by(a.at, a.id)
    )
    rows = session.execute(query).all()
    return pd.DataFrame(
        {
            "at": pd.to_datetime(pd.Series([r.at for r in rows], dtype=object)),
            "actor": pd.Series([r.actor for r in rows], dtype=object),
            "old": pd.Series([(r.old_values or {}).get("value") for r in rows], dtype=object),
            "new": pd.Series([(r.new_values or {}).get("value") for r in rows], dtype=object),
        }
    )
