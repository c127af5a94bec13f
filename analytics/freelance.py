"""Freelance Act checks (Japan, from the Act's date in force) on freelancers' commissions.

A commission is a pay item of a person whose employment in force on the commission date (else the period start) is
``freelancer`` (a sole proprietor with staff is not covered); which pay items are commissions is
:func:`analytics.queries.freelance.commission_items`. The client must have employees: an employer with
``employee_count`` 0 is out of scope; an unknown count is treated as covered, which errs towards the freelancer. The
limits are :class:`data.law.freelance.FreelanceAct`'s, from the rule parameters.

* JP-FL-01 — the terms must be given in writing immediately: ``terms_issued_date`` missing or after the commission
  date.
* JP-FL-02 — payment due within the Act's days of receiving the work, the day of delivery being day 1 (so the last
  lawful due date is delivery + 59 days): ``due_date`` missing or beyond that; paid (or still unpaid, as of
  ``today``) after the deemed due date (Art. 4(2)): the agreed date within the term, the term's last day when the
  agreed date is beyond it, the delivery day itself when none was agreed.
* JP-FL-03 — for commissions of the Act's length or more (commission date to delivery date), two of the acts Art. 5
  prohibits that the records show: the fee reduced below ``agreed_amount`` (減額), and retakes requested with
  nothing paid for them (不当なやり直し). Both are lawful when the freelancer was at fault, which the records do not
  say, so the finding asks for that check. A commission without both dates is not judged. Buying at an unjustly low
  price (買いたたき) needs a market rate and is not checked.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy.orm import Session

from analytics.queries.freelance import COMMISSION_COLUMNS, commission_items
from analytics.scope import Scope
from data.law.freelance import FreelanceAct
from data.reference import rule_values

COLUMNS = [
    *COMMISSION_COLUMNS[: COMMISSION_COLUMNS.index("agreed_amount")],
    "terms_missing",
    "terms_late",
    "terms_days_late",
    "due_missing",
    "due_days_after_delivery",
    "due_day_number",
    "due_too_late",
    "deemed_due_date",
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


def judge(items: pd.DataFrame, *, act: FreelanceAct, today: dt.date) -> pd.DataFrame:
    """Each check's outcome for the commissions in ``items`` (the columns of
    :func:`analytics.queries.freelance.commission_items`), ``today`` deciding whether an unpaid one is past due.

    Columns: those of ``items``, then ``terms_missing``/``terms_late`` (bool), ``terms_days_late``, ``due_missing``
    (bool), ``due_days_after_delivery``, ``due_day_number`` (the day of the term the agreed date falls on, delivery
    being day 1), ``due_too_late`` (bool: beyond the term's last day), ``deemed_due_date`` (datetime64, Art. 4(2)),
    ``paid_late`` (bool), ``days_paid_after_due`` (after the deemed date), ``unpaid_past_due`` (bool), ``long_commission`` (bool: the Act's length or more
    from commission to delivery), ``reduction_amount`` (agreed − paid, when positive), ``fee_reduced`` and
    ``unpaid_retakes`` (bool, long commissions only).
    """
    if items.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in COLUMNS})
    df = items.copy()
    df["terms_missing"] = df["terms_issued_date"].isna()
    df["terms_days_late"] = (df["terms_issued_date"] - df["commission_date"]).dt.days
    df["terms_late"] = df["terms_days_late"].fillna(0) > 0
    df["due_missing"] = df["due_date"].isna()
    df["due_days_after_delivery"] = (df["due_date"] - df["delivery_date"]).dt.days
    due, delivered = df["due_date"].to_numpy("datetime64[D]"), df["delivery_date"].to_numpy("datetime64[D]")
    df["due_day_number"] = act.payment.day_number(due, delivered)
    df["due_too_late"] = df["due_day_number"].fillna(0) > act.pay_due_days
    df["deemed_due_date"] = pd.to_datetime(act.payment.deemed_due(due, delivered))
    df["days_paid_after_due"] = (df["paid_date"] - df["deemed_due_date"]).dt.days
    df["paid_late"] = df["days_paid_after_due"].fillna(0) > 0
    df["unpaid_past_due"] = df["paid_date"].isna() & (df["deemed_due_date"] < pd.Timestamp(today))
    df["long_commission"] = act.long_commission(
        df["commission_date"].to_numpy("datetime64[D]"), df["delivery_date"].to_numpy("datetime64[D]")
    )
    df["reduction_amount"] = (df["agreed_amount"] - df["amount"]).where(df["agreed_amount"] > df["amount"], 0.0)
    df["fee_reduced"] = df["long_commission"] & (df["reduction_amount"] > 0)
    df["unpaid_retakes"] = (
        df["long_commission"] & (df["retake_count"].fillna(0) > 0) & (df["retake_paid_amount"].fillna(0) <= 0)
    )
    return df[COLUMNS]


def commissions(session: Session, *, scope: Scope, today: dt.date | None = None) -> pd.DataFrame:
    """Freelance commissions in scope of the Freelance Act, with each check's outcome: the columns of :func:`judge`.

    The scope selects commissions by their production and role's department, the freelancer, and the commission date
    (else period start) in its period; ``today`` (default: today) decides whether an unpaid one is past due.
    """
    act = FreelanceAct.from_values(rule_values(session, "JP"))
    return judge(commission_items(session, scope=scope, act=act), act=act, today=today or dt.date.today())
