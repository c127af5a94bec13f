"""The pay items the Freelance Act covers, as commissions: a freelancer's pay item from the Act's date in force."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from analytics.queries.base import dialect, frame
from analytics.scope import Scope
from data.law.freelance import FreelanceAct
from data.law.wages import PREMIUM_BASES
from data.schema import Employment, Organization, PayItem, Role

COMMISSION_DATES = ("commission_date", "commissioned_on", "terms_issued_date", "delivery_date", "due_date", "paid_date")
COMMISSION_COLUMNS = [
    "pay_item_id",
    "person_id",
    "production_id",
    "basis",
    "amount",
    "currency",
    "commission_date",
    "commissioned_on",
    "terms_issued_date",
    "delivery_date",
    "due_date",
    "paid_date",
    "agreed_amount",
    "retake_count",
    "retake_paid_amount",
]


def commission_items(session: Session, *, scope: Scope, act: FreelanceAct) -> pd.DataFrame:
    """The pay items of freelancers the Act covers, one row each, in id order.

    A pay item is a commission when the person's employment in force on its commission date (else its period start:
    ``commissioned_on``) is a Japanese ``freelancer`` contract, the client does not report having no employees (an
    unknown count errs towards the freelancer), it was commissioned on or after the Act's date in force, and it is
    not a premium. The scope selects commissions by their own production and role's department, the freelancer, and
    ``commissioned_on`` in its period.

    Columns: ``pay_item_id``, ``person_id``, ``production_id``, ``basis``, ``amount`` (float), ``currency``, the
    dates ``commission_date``, ``commissioned_on``, ``terms_issued_date``, ``delivery_date``, ``due_date``,
    ``paid_date`` (datetime64), ``agreed_amount``, ``retake_count``, ``retake_paid_amount``.
    """
    p = PayItem
    commissioned = func.coalesce(p.commission_date, p.period_start)
    in_force = max(act.in_force, scope.start or act.in_force)
    conditions = [
        Employment.employment_type == "freelancer",
        Employment.jurisdiction == "JP",
        commissioned >= in_force,
        p.basis.not_in(PREMIUM_BASES),
    ]
    if act.client_must_have_employees:
        conditions.append(or_(Organization.employee_count.is_(None), Organization.employee_count > 0))
    if scope.end is not None:
        conditions.append(commissioned <= scope.end)
    if scope.people is not None:
        conditions.append(p.person_id.in_(scope.people))
    if scope.productions:
        conditions.append(p.production_id.in_(scope.productions))
    if scope.departments:
        conditions.append(p.role_id.in_(select(Role.id).where(Role.department.in_(scope.departments))))
    query = (
        select(
            p.id.label("pay_item_id"),
            p.person_id,
            p.production_id,
            p.basis,
            p.amount,
            p.currency,
            p.commission_date,
            commissioned.label("commissioned_on"),
            p.terms_issued_date,
            p.delivery_date,
            p.due_date,
            p.paid_date,
            p.agreed_amount,
            p.retake_count,
            p.retake_paid_amount,
        )
        .join(
            Employment,
            and_(
                Employment.person_id == p.person_id,
                Employment.start_date <= commissioned,
                or_(Employment.end_date.is_(None), Employment.end_date >= commissioned),
            ),
        )
        .join(Organization, Organization.id == Employment.employer_id)
        .where(*conditions)
    )
    # Read raw: SQLAlchemy's parsing of six dates and three amounts a row was most of the read at a studio's scale
    # (160,000 commissions). What it would have made of them is made here a column at a time.
    df = frame(session, query.order_by(p.id), dates=COMMISSION_DATES, raw=True)
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in COMMISSION_COLUMNS})
    # A freelancer with two contracts in force that day matches twice.
    df = df.drop_duplicates("pay_item_id", ignore_index=True)
    for column in COMMISSION_DATES:  # SQLite's dates come as text, which pandas reads at another resolution
        df[column] = df[column].astype("datetime64[s]")
    for column in ("amount", "agreed_amount", "retake_paid_amount"):
        df[column] = pd.to_numeric(df[column], errors="coerce").astype("float64")
        if dialect(session) == "sqlite":
            # SQLAlchemy reads SQLite's Numeric(14, 2) as Decimal("%.2f" % value): the same rounding.
            df[column] = np.char.mod("%.2f", df[column].to_numpy()).astype(np.float64)
    return df[COMMISSION_COLUMNS]
