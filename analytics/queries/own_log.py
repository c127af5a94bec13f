"""The reads of the own-log reconciliation: one person's own log and the studio's record of the same days, the month's
pay and wage bases as the rollups keep them, the person's contract, and the periods the artist shared.

The own log is read here only: no other query, rollup or finding touches ``own_log_entry``, and a caller reads it
only after :func:`analytics.own_log.reconcile` has checked who asks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.law.params import JpHours
from data.law.wages import JpPremiums
from data.reference import rule_values
from data.rollup import UNASSIGNED
from data.schema import (
    EMPLOYEE_TYPES,
    Employment,
    OwnLogAdvocateMonth,
    OwnLogEntry,
    OwnLogShare,
    PayItem,
    Person,
    Role,
    RollupPersonDay,
    RollupPersonMonth,
)


def own_days(session: Session, *, person_id: int, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The artist's own log by day: ``work_date`` (date), ``seconds`` (worked, summed), ``entries``; date order."""
    e = OwnLogEntry
    rows = session.execute(
        select(e.work_date, func.sum(e.seconds), func.count())
        .where(e.person_id == person_id, e.work_date.between(start, end))
        .group_by(e.work_date)
        .order_by(e.work_date)
    ).all()
    return pd.DataFrame(
        [(pd.Timestamp(d).date(), int(s), int(n)) for d, s, n in rows], columns=["work_date", "seconds", "entries"]
    )


def studio_days(session: Session, *, person_id: int, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The studio's record by day (the rollups of ``work_log``): ``work_date`` (date), ``seconds``,
    ``holiday_seconds`` (on a statutory day off); date order."""
    d = RollupPersonDay
    rows = session.execute(
        select(d.work_date, d.seconds, d.holiday_seconds)
        .where(d.person_id == person_id, d.work_date.between(start, end), d.seconds > 0)
        .order_by(d.work_date)
    ).all()
    return pd.DataFrame(
        [(pd.Timestamp(w).date(), int(s), int(h)) for w, s, h in rows],
        columns=["work_date", "seconds", "holiday_seconds"],
    )


def month_facts(session: Session, *, person_id: int, month: dt.date) -> dict[str, Any]:
    """What the money of a month rests on, as the findings see it: ``employment_type`` and ``is_employee`` (the
    contract in force longest into the month; None/False without one), ``jurisdiction``; from the rollups:
    ``studio_seconds``, ``currency``, ``pay_amount`` (all pay counted in the month), ``by_hour_pay`` (hourly and
    piece pay: what the wage bases divide by the hours worked), ``mw_per_hour`` (the highest minimum wage in force;
    None when unknown), ``mw_base_per_hour``, ``premium_base_per_hour``, ``scheduled_base_per_hour`` (None until the
    rollups computed them), ``base_assumed``."""
    last = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
    e = Employment
    contract = session.execute(
        select(e.employment_type, e.jurisdiction)
        .where(e.person_id == person_id, e.start_date <= last, (e.end_date.is_(None)) | (e.end_date >= month))
        .order_by(e.start_date.desc(), e.id.desc())
        .limit(1)
    ).first()
    m = RollupPersonMonth
    row = session.execute(
        select(m.seconds, m.currency, m.pay_amount, m.pay_piece_amount, m.mw_max_rate, m.mw_base_per_hour,
               m.premium_base_per_hour, m.scheduled_base_per_hour, m.base_assumed)
        .where(m.person_id == person_id, m.month_start == month)
    ).first()  # fmt: skip
    hourly = session.scalar(
        select(func.coalesce(func.sum(PayItem.amount), 0)).where(
            PayItem.person_id == person_id, PayItem.basis == "hourly", PayItem.period_end.between(month, last)
        )
    )
    facts: dict[str, Any] = {
        "employment_type": None if contract is None else contract[0],
        "is_employee": contract is not None and contract[0] in EMPLOYEE_TYPES,
        "jurisdiction": "JP" if contract is None else contract[1],
        "studio_seconds": 0,
        "currency": "JPY",
        "pay_amount": 0.0,
        "by_hour_pay": 0.0,
        "mw_per_hour": None,
        "mw_base_per_hour": None,
        "premium_base_per_hour": None,
        "scheduled_base_per_hour": None,
        "base_assumed": False,
    }
    if row is not None:
        seconds, currency, pay, piece, mw, mw_base, premium_base, scheduled, assumed = row
        facts.update(
            studio_seconds=int(seconds or 0), currency=currency, pay_amount=float(pay or 0),
            by_hour_pay=float(piece or 0) + float(hourly or 0), mw_per_hour=None if mw is None else float(mw),
            mw_base_per_hour=mw_base, premium_base_per_hour=premium_base, scheduled_base_per_hour=scheduled,
            base_assumed=bool(assumed),
        )  # fmt: skip
    return facts


def jp_rules(session: Session, *, on: dt.date) -> tuple[JpHours, JpPremiums]:
    """Japan's hours and premium rates in force on ``on``, as the findings read them."""
    values = rule_values(session, "JP", on)
    return JpHours.from_values(values), JpPremiums.from_values(values)


def is_shared(session: Session, *, person_id: int, start: dt.date, end: dt.date) -> bool:
    """Whether the artist shared a period of their own log that covers ``start``–``end`` whole."""
    s = OwnLogShare
    found = session.scalar(
        select(s.id).where(s.person_id == person_id, s.period_start <= start, s.period_end >= end).limit(1)
    )
    return found is not None


def shares(session: Session, *, person_ids: list[int] | None = None) -> pd.DataFrame:
    """The periods artists shared: ``id``, ``person_id``, ``person`` (display name), ``period_start``,
    ``period_end`` (dates), ``shared_at``; latest period first. ``person_ids``: only theirs (None: everyone's)."""
    s = OwnLogShare
    query = (
        select(s.id, s.person_id, Person.display_name, s.period_start, s.period_end, s.shared_at)
        .join(Person, Person.id == s.person_id)
        .order_by(s.period_start.desc(), Person.display_name, s.id)
    )
    if person_ids is not None:
        query = query.where(s.person_id.in_(person_ids))
    return pd.DataFrame(
        session.execute(query).all(),
        columns=["id", "person_id", "person", "period_start", "period_end", "shared_at"],
    )


def entries(session: Session, *, person_id: int, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The entries of one person's own log between ``start`` and ``end`` (both included), one row each: ``id``,
    ``work_date`` (date), ``start_at``, ``end_at`` (local wall-clock times or None), ``seconds``, ``break_seconds``,
    ``production``, ``episode``, ``cut``, ``role``, ``units``, ``unit_kind``, ``note``, ``origin``; in date order."""
    e = OwnLogEntry
    columns = ["id", "work_date", "start_at", "end_at", "seconds", "break_seconds", "production", "episode", "cut",
               "role", "units", "unit_kind", "note", "origin"]  # fmt: skip
    rows = session.execute(
        select(*(getattr(e, c) for c in columns))
        .where(e.person_id == person_id, e.work_date.between(start, end))
        .order_by(e.work_date, e.start_at, e.id)
    ).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def advocate_days(session: Session, *, start: dt.date, end: dt.date) -> pd.DataFrame:
    """For the advocates' aggregate, the days between ``start`` and ``end`` of the months their artists opted in
    (:class:`data.schema.OwnLogAdvocateMonth`) and nothing else: ``person_id``, ``month`` (date, first day),
    ``work_date`` (date), ``own_seconds`` (the own log, summed), ``studio_seconds`` (the studio's record, 0 without
    one); days with an own-log entry or studio hours in those months, in person and date order."""
    a, e, d = OwnLogAdvocateMonth, OwnLogEntry, RollupPersonDay
    months = {(int(p), pd.Timestamp(m).date()) for p, m in session.execute(
        select(a.person_id, a.month_start).where(a.month_start.between(start.replace(day=1), end))
    )}  # fmt: skip
    columns = ["person_id", "month", "work_date", "own_seconds", "studio_seconds"]
    if not months:
        return pd.DataFrame(columns=columns)
    people = sorted({p for p, _ in months})
    own = session.execute(
        select(e.person_id, e.work_date, func.sum(e.seconds))
        .where(e.person_id.in_(people), e.work_date.between(start, end))
        .group_by(e.person_id, e.work_date)
    ).all()
    studio = session.execute(
        select(d.person_id, d.work_date, d.seconds).where(
            d.person_id.in_(people), d.work_date.between(start, end), d.seconds > 0
        )
    ).all()
    days: dict[tuple[int, dt.date], list[int]] = {}
    for index, rows in ((0, own), (1, studio)):
        for person, day, seconds in rows:
            day = pd.Timestamp(day).date()
            if (int(person), day.replace(day=1)) in months:
                days.setdefault((int(person), day), [0, 0])[index] += int(seconds)
    out = [(p, day.replace(day=1), day, o, s) for (p, day), (o, s) in sorted(days.items())]
    return pd.DataFrame(out, columns=columns)


def advocate_groups(session: Session, *, units: list[tuple[int, dt.date]]) -> pd.DataFrame:
    """The groups the advocates' aggregate splits by, for each person-month of ``units`` (person id, first day of
    the month): ``person_id``, ``month`` (date), ``employment_type`` (the person's latest contract, "unknown" without
    one, as the advocates' pay table groups), ``role`` (the month's main role in the studio's record, in English, as
    the rollups keep it; :data:`data.rollup.UNASSIGNED` when the studio recorded none)."""
    columns = ["person_id", "month", "employment_type", "role"]
    if not units:
        return pd.DataFrame(columns=columns)
    people = sorted({p for p, _ in units})
    first, last = min(m for _, m in units), max(m for _, m in units)
    e, m = Employment, RollupPersonMonth
    kinds: dict[int, str] = {}
    for person, kind in session.execute(
        select(e.person_id, e.employment_type).where(e.person_id.in_(people)).order_by(e.start_date, e.id)
    ):
        kinds[int(person)] = kind  # the latest start wins
    roles = {
        (int(p), pd.Timestamp(mo).date()): r
        for p, mo, r in session.execute(
            select(m.person_id, m.month_start, Role.en)
            .select_from(m)
            .outerjoin(Role, Role.id == m.main_role_id)
            .where(m.person_id.in_(people), m.month_start.between(first, last))
        )
    }
    rows = [(p, mo, kinds.get(p, "unknown"), roles.get((p, mo)) or UNASSIGNED) for p, mo in units]
    return pd.DataFrame(rows, columns=columns)


def advocate_months(session: Session, *, person_id: int) -> list[dt.date]:
    """The months (first days) of one person's own log that count in the advocates' figures, oldest first."""
    a = OwnLogAdvocateMonth
    rows = session.scalars(select(a.month_start).where(a.person_id == person_id).order_by(a.month_start))
    return [pd.Timestamp(m).date() for m in rows]
