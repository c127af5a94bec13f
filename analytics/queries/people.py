"""Who people are: names for labels, their latest employment and main role, one person's own record."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from analytics.errors import PersonNotFound
from analytics.queries.base import frame, in_period, workers
from analytics.scope import Scope
from data.schema import CorrectionRequest, Employment, Person, Role, RollupPersonMonth, RollupWorkMonth


def display_names(session: Session, ids: list[int]) -> dict[int, str]:
    """Each person's display name as it is now, by id."""
    return dict(session.execute(select(Person.id, Person.display_name).where(Person.id.in_(ids))).all())


def directory_rows(session: Session, *, people: list[int] | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """What :func:`analytics.people.directory` labels people with, for ``people`` (None: everyone).

    ``names``: ``person_id``, ``family_name``, ``given_name``, ``display_name``, ``given_romaji``,
    ``family_romaji``. ``employment``: ``person_id``, ``employment_type`` of each person's latest employment (ties
    by start date: any one). ``roles``: ``person_id``, ``main_role`` (English role name), ``department``,
    ``seconds`` per role worked.
    """
    query = select(
        Person.id.label("person_id"),
        Person.family_name,
        Person.given_name,
        Person.display_name,
        Person.given_romaji,
        Person.family_romaji,
    )
    if people is not None:
        query = query.where(Person.id.in_(people))
    latest = (
        select(Employment.person_id, func.max(Employment.start_date).label("start")).group_by(Employment.person_id)
    ).subquery()
    employment = select(Employment.person_id, Employment.employment_type).join(
        latest, and_(latest.c.person_id == Employment.person_id, latest.c.start == Employment.start_date)
    )
    w = RollupWorkMonth
    roles = (
        select(w.person_id, Role.en.label("main_role"), Role.department, func.sum(w.seconds).label("seconds"))
        .join(Role, Role.id == w.role_id)
        .group_by(w.person_id, Role.en, Role.department)
    )
    return frame(session, query), frame(session, employment), frame(session, roles)


def person_record(session: Session, person_id: int) -> dict[str, Any]:
    """One person's names and display preference (no email: it is not shown on pages); PersonNotFound if none."""
    person = session.get(Person, person_id)
    if person is None:
        raise PersonNotFound(
            "no person with id {person}",
            fix={"page": "ask a manager to link your account to your person record", "cli": "check the person id"},
            person=person_id,
        )
    return {
        "person_id": person.id,
        "native_name": person.native_name,
        "kana": f"{person.family_kana or ''} {person.given_kana or ''}".strip(),
        "romaji": person.romaji_given_first,
        "display_name": person.display_name,
        "pen_name": person.pen_name,
        "visibility": person.visibility,
    }


def months(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Hours and pay per calendar month of the people in scope, in the months of its period (pay counts in the month
    its period ends). Columns: ``person_id``, ``month`` (date), ``currency``, ``hours``, ``pay_amount``."""
    m = RollupPersonMonth
    query = select(m.person_id, m.month_start.label("month"), m.currency, (m.seconds / 3600.0).label("hours"),
                   m.pay_amount)  # fmt: skip
    query = workers(query.where(*in_period(m.month_start, scope)), m.person_id, scope)
    return frame(session, query.order_by(m.person_id, m.month_start))


def requests(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Correction requests about the people in scope, latest first. Columns: ``id``, ``subject``, ``status``,
    ``created_at``, ``response``, ``answered_at``."""
    r = CorrectionRequest
    query = select(r.id, r.subject, r.status, r.created_at, r.response, r.answered_at)
    query = workers(query, r.person_id, scope)
    return frame(session, query.order_by(r.created_at.desc()))
