"""Pay as kept per person and month (``rollup_person_month``), per day's minimum wage, and by piece-rate basis."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from analytics.queries.base import dialect, frame, in_period, money, named_sums, scoped, workers
from analytics.scope import Scope
from data.periods import month_of
from data.schema import PIECE_BASES, Role, RollupPayMonth, RollupPersonDay, RollupPersonMonth, RollupWorkMonth


def person_months(session: Session, *, scope: Scope, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Per person-month with logged hours, for the people in scope (all their pay and hours that month) in the months
    of its period: what the effective-pay arithmetic (:func:`analytics.pay.rates`) needs.

    Columns (amounts in ``currency``, the workplace's): ``person_id``, ``month`` (datetime64), ``currency``,
    ``hours``, ``employee_hours``, ``pay_amount``, ``base_pay_amount``, ``piece_pay_amount``, ``premium_pay_amount``,
    ``mw_min_per_hour``, ``mw_max_per_hour``, ``mw_due_amount``, ``mw_shortfall_amount``, ``mw_base_per_hour``,
    ``premium_base_per_hour``, ``scheduled_base_per_hour``, ``base_assumed`` (1/0; as kept by the rollup); only
    ``columns`` of them, in that order, when given (the driver builds a Python object per value read: the Pay page
    reads 8 of the 17 for the studio's 177,171 person-months at 5 million work logs).
    """
    m = RollupPersonMonth
    every = [
        m.person_id,
        m.month_start.label("month"),
        m.currency,
        (m.seconds / 3600.0).label("hours"),
        (m.employee_seconds / 3600.0).label("employee_hours"),
        money(m.pay_amount).label("pay_amount"),
        money(m.pay_mw_base_amount).label("base_pay_amount"),
        money(m.pay_piece_amount).label("piece_pay_amount"),
        money(m.pay_premium_amount).label("premium_pay_amount"),
        money(m.mw_min_rate).label("mw_min_per_hour"),
        money(m.mw_max_rate).label("mw_max_per_hour"),
        money(m.mw_due_amount).label("mw_due_amount"),
        m.mw_shortfall_amount,
        m.mw_base_per_hour,
        m.premium_base_per_hour,
        m.scheduled_base_per_hour,
        case((m.base_assumed, 1), else_=0).label("base_assumed"),
    ]
    if columns is not None:
        unknown = set(columns) - {c.key for c in every}
        if unknown:
            raise ValueError(f"person_months has no columns {sorted(unknown)}")
        every = [c for c in every if c.key in columns]
    query = select(*every).where(m.seconds > 0, *in_period(m.month_start, scope))
    query = workers(query, m.person_id, scope)
    dates = ("month",) if columns is None or "month" in columns else ()
    return frame(session, query.order_by(m.person_id, m.month_start), dates=dates, raw=True)


def mw_segments(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Per person, month and minimum-wage rate: the days worked under that rate, for the people in scope in the
    months of its period.

    Columns: ``person_id``, ``month`` (datetime64), ``mw_per_hour``, ``first_date``, ``last_date`` (datetime64),
    ``hours``.
    """
    d = RollupPersonDay
    month = month_of(d.work_date, dialect(session))
    query = (
        select(
            d.person_id,
            month.label("month"),
            money(d.mw_rate).label("mw_per_hour"),
            func.min(d.work_date).label("first_date"),
            func.max(d.work_date).label("last_date"),
            (func.sum(d.seconds) / 3600.0).label("hours"),
        )
        .where(d.seconds > 0, d.mw_rate.is_not(None))
        .group_by(d.person_id, month, d.mw_rate)
        .order_by(d.person_id, month, func.min(d.work_date))
    )
    query = workers(query, d.person_id, scope)
    if scope.start is not None:
        query = query.where(d.work_date >= scope.first_month)
    if scope.end is not None:
        query = query.where(d.work_date <= scope.end)
    return frame(session, query, dates=("month", "first_date", "last_date"))


PAY_COLUMNS = ["role", "basis", "items", "units", "amount"]
WORK_COLUMNS = ["role", "work_units", "hours"]


def piece_rate_rows(session: Session, *, scope: Scope) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Piece-rate pay in JPY by role and basis, and the units and hours logged per role, in the scope's rows.

    ``pay``: ``role`` (English name), ``basis``, ``items``, ``units``, ``amount``. ``work``: ``role``,
    ``work_units``, ``hours`` (both sorted by role, then basis). Summed per role id along covering indexes
    (``ix_rollup_pay_month_piece``, ``ix_rollup_work_month_role_person``) and named here: grouping by the joined
    name made SQLite sort every row it summed (0.36 s instead of 0.09 s for the studio at 5 million work logs)."""
    p, w = RollupPayMonth, RollupWorkMonth
    pay = scoped(
        select(
            p.role_id,
            p.basis,
            func.sum(p.items).label("items"),
            func.sum(p.units).label("units"),
            func.sum(p.amount).label("amount"),
        ).where(p.basis.in_(PIECE_BASES), p.currency == "JPY", p.units > 0, p.role_id.is_not(None)),
        p,
        scope,
    ).group_by(p.role_id, p.basis)
    work = scoped(
        select(w.role_id, func.sum(w.units).label("work_units"), func.sum(w.seconds).label("seconds")).where(
            w.units > 0, w.role_id.is_not(None)
        ),
        w,
        scope,
    ).group_by(w.role_id)
    names = frame(session, select(Role.id.label("role_id"), Role.en.label("role")))
    pay, work = frame(session, pay), frame(session, work)
    if pay.empty:  # as the database's empty result reads: untyped columns
        pay = pd.DataFrame(columns=PAY_COLUMNS)
    else:
        pay = named_sums(pay, names, ["role", "basis"], ["items", "units", "amount"])
    if work.empty:
        return pay, pd.DataFrame(columns=WORK_COLUMNS)
    work = named_sums(work, names, ["role"], ["work_units", "seconds"])
    return pay, work.assign(hours=work.pop("seconds") / 3600.0)
