"""The reads of the monthly sign-off: a person's sign-offs and their disputed days, the studio's record of a month
day by day, the months of artists with an account that nobody has finished signing, and the managers' answers to a
shared own log. Callers check who asks first (:mod:`analytics.sign_off`)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from data.schema import (
    Account,
    MonthSignOff,
    MonthSignOffDay,
    OwnLogAnswer,
    Person,
    RollupPersonDay,
    RollupPersonMonth,
)

SIGN_OFF_COLUMNS = ["id", "person_id", "month", "month_end", "status", "status_since", "studio_seconds",
                    "studio_pay", "currency", "signed_by", "signed_at", "approved_by", "approved_at"]  # fmt: skip
DAY_COLUMNS = ["sign_off_id", "work_date", "note", "studio_seconds", "answer", "answer_note", "answered_by",
               "answered_at"]  # fmt: skip


def sign_offs(session: Session, *, person_id: int) -> pd.DataFrame:
    """``person_id``'s sign-offs, latest month first: :data:`SIGN_OFF_COLUMNS` (``month`` its first day)."""
    m = MonthSignOff
    rows = session.execute(
        select(m.id, m.person_id, m.month_start, m.month_end, m.status, m.status_since, m.studio_seconds,
               m.studio_pay, m.currency, m.signed_by, m.signed_at, m.approved_by, m.approved_at)
        .where(m.person_id == person_id)
        .order_by(m.month_start.desc())
    ).all()  # fmt: skip
    return pd.DataFrame(rows, columns=SIGN_OFF_COLUMNS)


def disputed_days(session: Session, *, sign_off_id: int) -> pd.DataFrame:
    """The days disputed in sign-off ``sign_off_id``, in date order: :data:`DAY_COLUMNS`."""
    d = MonthSignOffDay
    rows = session.execute(
        select(d.sign_off_id, d.work_date, d.note, d.studio_seconds, d.answer, d.answer_note, d.answered_by,
               d.answered_at)
        .where(d.sign_off_id == sign_off_id)
        .order_by(d.work_date)
    ).all()  # fmt: skip
    return pd.DataFrame(rows, columns=DAY_COLUMNS)


def studio_month(session: Session, *, person_id: int, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The studio's record of ``start``–``end`` by day (the rollups): ``work_date``, ``seconds``; date order."""
    d = RollupPersonDay
    rows = session.execute(
        select(d.work_date, d.seconds)
        .where(d.person_id == person_id, d.work_date.between(start, end), d.seconds > 0)
        .order_by(d.work_date)
    ).all()
    return pd.DataFrame([(pd.Timestamp(w).date(), int(s)) for w, s in rows], columns=["work_date", "seconds"])


def studio_totals(session: Session, *, person_id: int, month: dt.date) -> tuple[int, float, str]:
    """(seconds, pay, currency) of ``person_id``'s month as the rollups hold it; (0, 0.0, "JPY") without a row."""
    m = RollupPersonMonth
    row = session.execute(
        select(m.seconds, m.pay_amount, m.currency).where(m.person_id == person_id, m.month_start == month)
    ).first()
    return (0, 0.0, "JPY") if row is None else (int(row[0] or 0), float(row[1] or 0), row[2] or "JPY")


def months_with_records(session: Session, *, person_id: int, before: dt.date) -> list[dt.date]:
    """The first days of ``person_id``'s months with work or pay on record that ended before ``before``, latest
    first."""
    m = RollupPersonMonth
    rows = session.scalars(
        select(m.month_start)
        .where(m.person_id == person_id, m.month_start < before, (m.seconds > 0) | (m.pay_amount > 0))
        .order_by(m.month_start.desc())
    ).all()
    return [pd.Timestamp(r).date() for r in rows]


def open_months(session: Session, *, start: dt.date | None, end: dt.date, person_ids: list[int] | None) -> pd.DataFrame:
    """Person-months of people linked to an active artist account, with work or pay on record, that start on or after
    ``start`` (None: any) and end before ``end``, and are not approved: ``person_id``, ``person`` (display name),
    ``month``, ``status`` (None: not signed at all), ``status_since`` (None when unsigned), ``disputed_days``,
    ``answered_days``. Oldest month first."""
    m, s, a = RollupPersonMonth, MonthSignOff, Account
    days = (
        select(MonthSignOffDay.sign_off_id, func.count().label("n"), func.count(MonthSignOffDay.answer).label("done"))
        .group_by(MonthSignOffDay.sign_off_id)
        .subquery()
    )
    artists = select(a.person_id).where(a.role == "artist", a.is_active.is_(True), a.person_id.is_not(None))
    query = (
        select(m.person_id, Person.display_name, m.month_start, s.status, s.status_since,
               func.coalesce(days.c.n, 0), func.coalesce(days.c.done, 0))
        .join(Person, Person.id == m.person_id)
        .outerjoin(s, and_(s.person_id == m.person_id, s.month_start == m.month_start))
        .outerjoin(days, days.c.sign_off_id == s.id)
        .where(m.person_id.in_(artists), (m.seconds > 0) | (m.pay_amount > 0), m.month_start < end.replace(day=1),
               (s.status.is_(None)) | (s.status != "approved"))
        .order_by(m.month_start, Person.display_name)
    )  # fmt: skip
    if start is not None:
        query = query.where(m.month_start >= start.replace(day=1))
    if person_ids is not None:
        query = query.where(m.person_id.in_(person_ids))
    columns = ["person_id", "person", "month", "status", "status_since", "disputed_days", "answered_days"]
    return pd.DataFrame(session.execute(query).all(), columns=columns)


def own_log_answers(session: Session, *, person_id: int, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The managers' answers to ``person_id``'s shared own log on ``start``–``end``: ``work_date``, ``note``,
    ``answered_by``, ``answered_at``; date order."""
    o = OwnLogAnswer
    rows = session.execute(
        select(o.work_date, o.note, o.answered_by, o.answered_at)
        .where(o.person_id == person_id, o.work_date.between(start, end))
        .order_by(o.work_date)
    ).all()
    return pd.DataFrame(rows, columns=["work_date", "note", "answered_by", "answered_at"])
