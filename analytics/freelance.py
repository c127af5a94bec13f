"""Freelance Act checks (Japan, in force 2024-11-01) on freelancers' commissions.

A commission is a pay item of a person whose employment in force on the commission date (else the period start) is
``freelancer`` (a sole proprietor with staff is not covered). The client must have employees: an employer with
``employee_count`` 0 is out of scope; an unknown count is treated as covered, which errs towards the freelancer.

* JP-FL-01 — the terms must be given in writing immediately: ``terms_issued_date`` missing or after the commission
  date.
* JP-FL-02 — payment due within 60 days of receiving the work: ``due_date`` missing or more than 60 days after
  ``delivery_date``; paid (or still unpaid, as of ``today``) after the effective due date, which is the earlier of
  ``due_date`` and delivery + 60 days.
* JP-FL-03 — for commissions of one month or more (commission date to delivery date; the length is a rule
  parameter), two of the acts Art. 5 prohibits that the records show: the fee reduced below ``agreed_amount``
  (減額), and retakes requested with nothing paid for them (不当なやり直し). Both are lawful when the freelancer
  was at fault, which the records do not say, so the finding asks for that check. A commission without both dates
  is not judged. Buying at an unjustly low price (買いたたき) needs a market rate and is not checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from analytics.queries.base import frame
from analytics.queries.productions import production_id
from analytics.scope import check_range
from data.reference import rule_parameter
from data.rollup import PREMIUM_BASES
from data.schema import Employment, Organization, PayItem

COLUMNS = [
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
    "terms_missing",
    "terms_late",
    "terms_days_late",
    "due_missing",
    "due_days_after_delivery",
    "due_too_late",
    "effective_due_date",
    "paid_late",
    "days_paid_after_due",
    "unpaid_past_due",
    "agreed_amount",
    "retake_count",
    "retake_paid_amount",
    "long_commission",
    "reduction_amount",
    "fee_reduced",
    "unpaid_retakes",
]


def commissions(
    *,
    session: Session,
    production: str | int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
    person_ids: Iterable[int] | None = None,
) -> pd.DataFrame:
    """Freelance commissions in scope of the Freelance Act, with each check's outcome.

    ``start``/``end`` select commissions by commission date (else period start); ``person_ids`` (None: everyone)
    by freelancer. ``today`` (default: today) decides whether an unpaid commission is past due. Columns:
    ``pay_item_id``, ``person_id``, ``production_id``, ``basis``, ``amount``, ``currency``, the five dates and
    ``commissioned_on`` (the commission date, else the period start: what ``start``/``end`` select on) as
    datetime64, ``terms_missing``/``terms_late`` (bool),
    ``terms_days_late``, ``due_missing`` (bool), ``due_days_after_delivery``, ``due_too_late`` (bool),
    ``effective_due_date`` (datetime64), ``paid_late`` (bool), ``days_paid_after_due``, ``unpaid_past_due`` (bool),
    ``agreed_amount``, ``retake_count``, ``retake_paid_amount``, ``long_commission`` (bool: one month or more from
    commission to delivery), ``reduction_amount`` (agreed − paid, when positive), ``fee_reduced`` and
    ``unpaid_retakes`` (bool, long commissions only).
    """
    check_range(start, end)
    today = today or dt.date.today()
    in_force = dt.date.fromisoformat(str(rule_parameter(session, "JP", "freelance_act.in_force")))
    due_days = int(rule_parameter(session, "JP", "freelance_act.pay_due_within_days_of_receipt"))
    long_months = int(rule_parameter(session, "JP", "freelance_act.prohibited_acts_if_commission_months_ge"))
    p = PayItem
    commissioned = func.coalesce(p.commission_date, p.period_start)
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
        .where(
            Employment.employment_type == "freelancer",
            Employment.jurisdiction == "JP",
            or_(Organization.employee_count.is_(None), Organization.employee_count > 0),
            commissioned >= max(in_force, start or in_force),
            p.basis.not_in(PREMIUM_BASES),
        )
    )
    if end is not None:
        query = query.where(commissioned <= end)
    if person_ids is not None:
        query = query.where(p.person_id.in_(list(person_ids)))
    pid = production_id(session, production)
    if pid is not None:
        query = query.where(p.production_id == pid)
    dates = ("commission_date", "commissioned_on", "terms_issued_date", "delivery_date", "due_date", "paid_date")
    df = frame(session, query.order_by(p.id), dates=dates)
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in COLUMNS})
    df = df.drop_duplicates("pay_item_id")
    df["terms_missing"] = df["terms_issued_date"].isna()
    df["terms_days_late"] = (df["terms_issued_date"] - df["commission_date"]).dt.days
    df["terms_late"] = df["terms_days_late"].fillna(0) > 0
    df["due_missing"] = df["due_date"].isna()
    df["due_days_after_delivery"] = (df["due_date"] - df["delivery_date"]).dt.days
    df["due_too_late"] = df["due_days_after_delivery"].fillna(0) > due_days
    legal_due = df["delivery_date"] + pd.Timedelta(days=due_days)
    df["effective_due_date"] = df[["due_date"]].assign(legal=legal_due).min(axis=1, skipna=True)
    df["days_paid_after_due"] = (df["paid_date"] - df["effective_due_date"]).dt.days
    df["paid_late"] = df["days_paid_after_due"].fillna(0) > 0
    df["unpaid_past_due"] = df["paid_date"].isna() & (df["effective_due_date"] < pd.Timestamp(today))
    for column in ("amount", "agreed_amount", "retake_paid_amount"):
        df[column] = pd.to_numeric(df[column], errors="coerce").astype("float64")
    df["long_commission"] = (
        df["commission_date"].notna()
        & df["delivery_date"].notna()
        & (df["delivery_date"] >= df["commission_date"] + pd.DateOffset(months=long_months))
    )
    df["reduction_amount"] = (df["agreed_amount"] - df["amount"]).where(df["agreed_amount"] > df["amount"], 0.0)
    df["fee_reduced"] = df["long_commission"] & (df["reduction_amount"] > 0)
    df["unpaid_retakes"] = (
        df["long_commission"] & (df["retake_count"].fillna(0) > 0) & (df["retake_paid_amount"].fillna(0) <= 0)
    )
    return df[COLUMNS]
