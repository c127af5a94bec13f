"""The records the findings read (:class:`analytics.findings.records.Records`), from a database, and the rule
parameters in force.

An evaluation covers people over all their work: ``people`` (None: everyone) selects whose records are read, never
a period. Contracts, agreements and employers are read whole (a person's contract history decides each day). The
frames that only some rules need are read for the people those rules concern, named from the contracts: the
discretionary-work roles for people under discretionary contracts, Californian days for people with a Californian
contract, salaries for the Californian exempt, pay for time for freelancers, the leave ledger for JP employees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analytics.findings.parameters import Parameters
from analytics.findings.records import (
    Records,
    californians,
    discretionary_people,
    exempt_people,
    freelancers,
    jp_employees,
)
from analytics.pay import effective_pay
from analytics.queries.base import dialect, frame
from analytics.queries.freelance import commission_items
from analytics.queries.overtime import ca_days, jp_months
from analytics.queries.person_days import person_days
from analytics.queries.reference import minimum_wages
from analytics.queries.workload import weekly_hours
from analytics.scope import Scope
from data.law.freelance import FreelanceAct
from data.law.wages import PREMIUM_BASES, TIME_BASES
from data.reference import reference_version, rule_timelines, rule_values
from data.schema import (
    AnnualLeave,
    Employment,
    LaborAgreement,
    Organization,
    Role,
    RollupPayMonth,
    RollupPersonMonth,
    RollupWorkMonth,
)

# Californian workweeks as the findings count them (the employer's workweek is not recorded).
CA_WORKWEEK_START = "SUN"


def parameters(session: Session, *, on: dt.date | None = None) -> Parameters:
    """Every rule parameter the findings apply, as in force on ``on`` (default: today), the Californian ones by date,
    and the version of the reference data."""
    return Parameters.from_values(
        rule_values(session, "JP", on),
        rule_values(session, "US-CA", on),
        ca_timelines=rule_timelines(session, "US-CA"),
        reference_version=reference_version(session),
    )


def records(
    session: Session, *, people: Sequence[int] | None = None, commissions: bool = True, today: dt.date | None = None
) -> Records:
    """The records of ``people`` (None: everyone) the rules read. ``commissions=False`` leaves the Freelance Act's
    pay items out (read them later with :func:`commissions_of`, once the worked days are no longer needed: at a
    studio's scale both are large). ``today`` (default: today) is the day the records are judged on."""
    ids = None if people is None else sorted({int(p) for p in people})
    scope = Scope(people=ids)
    employments = employments_of(session)
    late = {}
    if commissions:
        late["commissions"] = commissions_of(
            session, people=ids, act=FreelanceAct.from_values(rule_values(session, "JP"))
        )
    return Records(
        monthly=jp_months(session, scope=scope),
        pay=effective_pay(session, scope=scope),
        employments=employments,
        agreements=agreements(session),
        employers=employers(session),
        days=person_days(session, scope=scope),
        roles=roles(session, people=discretionary_people(employments, ids)),
        weeks=weekly_hours(session, scope=scope),
        premiums=premiums(session, people=ids),
        nights=nights(session, people=ids),
        salaries=salaries(session, people=exempt_people(employments, ids)),
        time_pay=time_pay(session, people=freelancers(employments, ids)),
        ca_days=_ca_days(session, people=californians(employments, ids)),
        leave=leave(session, people=jp_employees(employments, ids)),
        leave_kept_to=session.scalar(select(func.max(AnnualLeave.on_date))),
        minimum_wages=minimum_wages(session),
        today=today or dt.date.today(),
        **late,
    )


def employments_of(session: Session) -> pd.DataFrame:
    """Every employment contract, in id order: ``employment_id``, ``person_id``, ``employer_id``, ``employment_type``,
    ``jurisdiction``, ``prefecture``, ``city`` (the workplace), ``start_date``, ``end_date`` (datetime64; NaT: open),
    ``is_exempt``, ``discretionary_work``, ``discretionary_consent_date`` (datetime64), ``piece_rate_guarantee_per_hour``, ``scheduled_monthly_hours``,
    ``week_start`` (the first weekday of the contract's week, else its employer's; None: Sunday),
    ``days_off_4w_from`` (datetime64: variable days off counted from that day, LSA Art. 35(2); NaT: weekly)."""
    e, o = Employment, Organization
    query = select(
        e.id.label("employment_id"),
        e.person_id,
        e.employer_id,
        e.employment_type,
        e.jurisdiction,
        e.prefecture,
        e.city,
        e.start_date,
        e.end_date,
        e.is_exempt,
        e.discretionary_work,
        e.discretionary_consent_date,
        e.piece_rate_guarantee_per_hour,
        e.scheduled_monthly_hours,
        # The contract's week and variable days off, else its employer's (NULL: Sunday weeks, a day off a week).
        func.coalesce(e.week_start, o.week_start).label("week_start"),
        func.coalesce(e.days_off_4w_from, o.days_off_4w_from).label("days_off_4w_from"),
    ).join(o, o.id == e.employer_id)
    query = query.order_by(e.id)
    return frame(session, query, dates=("start_date", "end_date", "discretionary_consent_date", "days_off_4w_from"))


def agreements(session: Session) -> pd.DataFrame:
    """Every Article 36 agreement on record, in id order: ``employer_id`` (the organization), ``has_36_agreement``,
    ``special_clause``, ``variable_hours_1y``, ``valid_from``, ``valid_to`` (datetime64; NaT: open)."""
    a = LaborAgreement
    query = select(
        a.organization_id.label("employer_id"),
        a.has_36_agreement,
        a.special_clause,
        a.variable_hours_1y,
        a.valid_from,
        a.valid_to,
    ).order_by(a.id)
    return frame(session, query, dates=("valid_from", "valid_to"))


def employers(session: Session) -> pd.DataFrame:
    """Every organization's ``kind``: ``employer_id``, ``kind``."""
    return frame(session, select(Organization.id.label("employer_id"), Organization.kind))


def roles(session: Session, *, people: Sequence[int]) -> pd.DataFrame:
    """Seconds per person, month and role (NULL role: ``code``/``en`` None) of ``people``: ``person_id``, ``month``
    (datetime64), ``code``, ``en``, ``seconds``."""
    if not people:
        return pd.DataFrame()
    w = RollupWorkMonth
    query = (
        select(w.person_id, w.month_start.label("month"), Role.code, Role.en, func.sum(w.seconds).label("seconds"))
        .outerjoin(Role, Role.id == w.role_id)
        .where(w.person_id.in_(people), w.seconds > 0)
        .group_by(w.person_id, w.month_start, Role.code, Role.en)
    )
    return frame(session, query, dates=("month",))


def premiums(session: Session, *, people: Sequence[int] | None) -> pd.DataFrame:
    """Premium pay per person, month (of the pay period's end), basis and currency: ``person_id``, ``month``
    (datetime64), ``basis``, ``currency``, ``amount``."""
    p = RollupPayMonth
    query = select(p.person_id, p.month_start.label("month"), p.basis, p.currency, func.sum(p.amount).label("amount"))
    query = query.where(p.basis.in_(PREMIUM_BASES))
    if people is not None:
        query = query.where(p.person_id.in_(people))
    query = query.group_by(p.person_id, p.month_start, p.basis, p.currency)
    # Read raw (a studio's premium months are hundreds of thousands of rows), then made what SQLAlchemy would have
    # made of them: SQLite's month as a date (pandas reads text at another resolution), its Numeric(14, 2) sum as
    # Decimal("%.2f" % value).
    df = frame(session, query, dates=("month",), raw=True)
    df["month"] = df["month"].astype("datetime64[s]")
    if dialect(session) == "sqlite" and len(df):
        df["amount"] = np.char.mod("%.2f", df["amount"].to_numpy(float)).astype(np.float64)
    return df


def nights(session: Session, *, people: Sequence[int] | None) -> pd.DataFrame:
    """Late-night hours per person-month worked: ``person_id``, ``month`` (datetime64), ``night_hours``."""
    m = RollupPersonMonth
    query = select(m.person_id, m.month_start.label("month"), (m.night_seconds / 3600.0).label("night_hours"))
    query = query.where(m.seconds > 0)
    if people is not None:
        query = query.where(m.person_id.in_(people))
    return frame(session, query, dates=("month",), raw=True)


def salaries(session: Session, *, people: Sequence[int]) -> pd.DataFrame:
    """``monthly_salary`` pay in USD per person-month of ``people``: ``person_id``, ``month`` (datetime64),
    ``salary``."""
    p = RollupPayMonth
    return _pay_per_month(session, people, "salary", p.basis == "monthly_salary", p.currency == "USD")


def time_pay(session: Session, *, people: Sequence[int]) -> pd.DataFrame:
    """Pay for time (hourly, daily and monthly pay items of a positive amount) per person-month of ``people``:
    ``person_id``, ``month`` (datetime64), ``time_pay``."""
    p = RollupPayMonth
    return _pay_per_month(session, people, "time_pay", p.basis.in_(TIME_BASES), p.amount > 0)


def _pay_per_month(session: Session, people: Sequence[int], name: str, *conditions: Any) -> pd.DataFrame:
    if not people:
        return pd.DataFrame()
    p = RollupPayMonth
    query = (
        select(p.person_id, p.month_start.label("month"), func.sum(p.amount).label(name))
        .where(*conditions, p.person_id.in_(people))
        .group_by(p.person_id, p.month_start)
    )
    return frame(session, query, dates=("month",))


def leave(session: Session, *, people: Sequence[int]) -> pd.DataFrame:
    """The annual-leave ledger of ``people``: ``person_id``, ``kind`` (grant / taken), ``on_date`` (datetime64),
    ``days``."""
    if not people:
        return pd.DataFrame()
    a = AnnualLeave
    query = select(a.person_id, a.kind, a.on_date, a.days).where(a.person_id.in_(people))
    return frame(session, query, dates=("on_date",))


def commissions_of(session: Session, *, people: Sequence[int] | None, act: FreelanceAct) -> pd.DataFrame:
    """The Freelance Act's commissions of ``people`` (None: everyone), whatever their date or production."""
    return commission_items(session, scope=Scope(people=people), act=act)


def _ca_days(session: Session, *, people: Sequence[int]) -> pd.DataFrame:
    if not people:
        return pd.DataFrame()
    return ca_days(session, scope=Scope(people=people), week_start=CA_WORKWEEK_START)
