"""Who people are: names for labels, their latest employment and main role, one person's own record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from analytics.errors import PersonNotFound
from analytics.queries.base import frame, in_period, named_sums, rows_of_ids, workers
from analytics.scope import Scope
from data.i18n import N_
from data.importers.kinds import employments as employment_import
from data.schema import (
    CorrectionRequest,
    Employment,
    Organization,
    PayItem,
    Person,
    PersonAlias,
    Production,
    Role,
    RollupPersonMonth,
    RollupWorkMonth,
    WorkLog,
)


def display_names(session: Session, ids: list[int]) -> dict[int, str]:
    """Each person's display name as it is now, by id."""
    return dict(rows_of_ids(session, select(Person.id, Person.display_name), ids))


def name_rows(session: Session, *, people: list[int] | None = None) -> pd.DataFrame:
    """The names of ``people`` (None: everyone). Columns: ``person_id``, ``family_name``, ``given_name``,
    ``display_name``, ``family_romaji``, ``given_romaji``, ``family_kana``, ``given_kana``, ``pen_name``,
    ``visibility``."""
    query = select(
        Person.id.label("person_id"), Person.family_name, Person.given_name, Person.display_name, Person.family_romaji,
        Person.given_romaji, Person.family_kana, Person.given_kana, Person.pen_name, Person.visibility,
    ).order_by(Person.id)  # fmt: skip
    if people is not None:
        query = query.where(Person.id.in_(people))
    return frame(session, query)


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
    # Summed per role id along the covering index, named here: grouping by the joined names made SQLite sort every
    # person-role-month by text (0.35 s instead of 0.09 s for the whole studio at 5 million work logs).
    roles = (
        select(w.person_id, w.role_id, func.sum(w.seconds).label("seconds"))
        .where(w.role_id.is_not(None))
        .group_by(w.person_id, w.role_id)
    )
    if people is not None:  # a page naming the 60 people of a chart reads their months, not the studio's
        employment = employment.where(Employment.person_id.in_(people))
        roles = roles.where(w.person_id.in_(people))
    named = frame(session, select(Role.id.label("role_id"), Role.en.label("main_role"), Role.department))
    per_role = named_sums(frame(session, roles, raw=True), named, ["person_id", "main_role", "department"], ["seconds"])
    return frame(session, query), frame(session, employment), per_role


def person_record(session: Session, person_id: int) -> dict[str, Any]:
    """One person's names and display preference (no email: it is not shown on pages); PersonNotFound if none."""
    person = session.get(Person, person_id)
    if person is None:
        raise PersonNotFound(
            N_("no person with id {person}"),
            fix={
                "page": N_("ask a manager to link your account to your person record"),
                "cli": N_("check the person id"),
            },
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


def employments(session: Session, *, person_id: int) -> pd.DataFrame:
    """One person's employment contracts, latest first. Columns: ``employer``, ``employment_type``,
    ``jurisdiction``, ``prefecture``, ``city``, ``start_date``, ``end_date`` (datetime64; NaT: open),
    ``scheduled_monthly_hours``, ``is_exempt``, ``discretionary_work``."""
    e = Employment
    query = (
        select(Organization.name.label("employer"), e.employment_type, e.jurisdiction, e.prefecture, e.city,
               e.start_date, e.end_date, e.scheduled_monthly_hours, e.is_exempt, e.discretionary_work)
        .join(Organization, Organization.id == e.employer_id)
        .where(e.person_id == person_id)
        .order_by(e.start_date.desc(), e.id.desc())
    )  # fmt: skip
    return frame(session, query, dates=("start_date", "end_date"))


def person_months_of(session: Session, *, person_id: int) -> pd.DataFrame:
    """One person's months with work or pay. Columns: ``month`` (datetime64), ``hours``, ``days_worked``,
    ``ot_plus_holiday_hours``, ``ai_hours``."""
    m = RollupPersonMonth
    query = select(
        m.month_start.label("month"),
        (m.seconds / 3600.0).label("hours"),
        m.days_worked,
        ((m.ot_seconds + m.holiday_seconds) / 3600.0).label("ot_plus_holiday_hours"),
        (m.ai_seconds / 3600.0).label("ai_hours"),
    ).where(m.person_id == person_id)
    return frame(session, query.order_by(m.month_start), dates=("month",))


def spelling_rows(session: Session) -> pd.DataFrame:
    """Every spelling a person is known by: their name fields and the match keys of their aliases. Columns:
    ``person_id``, ``family_name``, ``given_name``, ``display_name``, ``family_romaji``, ``given_romaji``,
    ``family_romaji_ascii``, ``given_romaji_ascii``, ``family_kana``, ``given_kana``, ``pen_name``, ``email``;
    ``alias_keys`` (the people's alias match keys, a second frame: ``person_id``, ``match_key``)."""
    people = frame(session, select(
        Person.id.label("person_id"), Person.family_name, Person.given_name, Person.display_name, Person.family_romaji,
        Person.given_romaji, Person.family_romaji_ascii, Person.given_romaji_ascii, Person.family_kana,
        Person.given_kana, Person.pen_name, Person.email,
    ).order_by(Person.id))  # fmt: skip
    aliases = frame(
        session,
        select(PersonAlias.person_id, PersonAlias.match_key).where(PersonAlias.person_id.is_not(None)),
    )
    return people.merge(
        aliases.groupby("person_id")["match_key"].agg(list).rename("alias_keys").reset_index(),
        on="person_id",
        how="left",
    )


def person_fields(session: Session, person_id: int) -> dict[str, Any]:
    """The stored fields of one person a form edits: display, native, kana and romaji names, pen name, email,
    visibility, country; empty when there is no such person."""
    row = session.execute(select(
        Person.display_name, Person.family_name, Person.given_name, Person.family_kana, Person.given_kana,
        Person.family_romaji, Person.given_romaji, Person.pen_name, Person.email, Person.visibility, Person.country,
    ).where(Person.id == person_id)).mappings().first()  # fmt: skip
    return dict(row) if row else {}


def entry_rows(session: Session, person_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One person's work-log entries (``entry_id``, ``work_date``, ``seconds``, ``production``) and pay items
    (``entry_id``, ``period_end``, ``basis``, ``amount``, ``currency``, ``production``), newest first."""
    logs = frame(session, select(
        WorkLog.id.label("entry_id"), WorkLog.work_date, WorkLog.seconds, Production.title.label("production"),
    ).outerjoin(Production, Production.id == WorkLog.production_id).where(WorkLog.person_id == person_id)
        .order_by(WorkLog.work_date.desc(), WorkLog.id.desc()))  # fmt: skip
    pay = frame(session, select(
        PayItem.id.label("entry_id"), PayItem.period_end, PayItem.basis, PayItem.amount, PayItem.currency,
        Production.title.label("production"),
    ).outerjoin(Production, Production.id == PayItem.production_id).where(PayItem.person_id == person_id)
        .order_by(PayItem.period_end.desc(), PayItem.id.desc()))  # fmt: skip
    return logs, pay


def contract_rows(session: Session, person_id: int) -> pd.DataFrame:
    """One person's employment contracts with everything the rules read of them, latest first. Columns:
    ``contract_id``, ``employer``, ``employment_type``, ``jurisdiction``, ``prefecture``, ``city``, ``start_date``,
    ``end_date`` (datetime64; NaT: open), ``scheduled_monthly_hours``, ``scheduled_daily_hours``,
    ``contract_week_start`` (MON…SUN; None: the employer's), ``days_off_4w_from``, ``is_exempt``, ``discretionary_work``, ``discretionary_consent_date``,
    ``piece_rate_guarantee_per_hour``, ``department``."""
    e = Employment
    query = (
        select(e.id.label("contract_id"), Organization.name.label("employer"), e.employment_type, e.jurisdiction,
               e.prefecture, e.city, e.start_date, e.end_date, e.scheduled_monthly_hours, e.scheduled_daily_hours,
               e.week_start.label("contract_week_start"), e.days_off_4w_from, e.is_exempt, e.discretionary_work,
               e.discretionary_consent_date, e.piece_rate_guarantee_per_hour, e.department)
        .join(Organization, Organization.id == e.employer_id)
        .where(e.person_id == person_id)
        .order_by(e.start_date.desc(), e.id.desc())
    )  # fmt: skip
    return frame(session, query, dates=("start_date", "end_date", "days_off_4w_from", "discretionary_consent_date"))


# The cells of a contract: the employment import's columns, less the person (chosen, not typed).
CONTRACT_CELLS = tuple(c.name for c in employment_import.COLUMNS if c.name not in {"person", "email"})


def contract_cells(session: Session, contract_id: int) -> dict[str, str]:
    """The cells of contract ``contract_id`` as the employment import writes them (the employer's name, dates
    YYYY-MM-DD, yes/no, blank for none); empty when there is no such contract."""
    contract = session.get(Employment, contract_id)
    if contract is None:
        return {}
    cells = {"employer": session.scalar(select(Organization.name).where(Organization.id == contract.employer_id))}
    for name in CONTRACT_CELLS:
        if name == "employer":
            continue
        value = getattr(contract, name)
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        cells[name] = "" if value is None else (value.isoformat() if isinstance(value, dt.date) else str(value))
    return cells
