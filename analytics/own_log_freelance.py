"""The Freelance Act facts of a freelancer's reconciled period, from the studio's records: for each commission (a pay
item the Act covers) commissioned or delivered in the period, when the terms were issued, when payment fell due
(the Act's term counted from receipt, :class:`data.law.freelance.PaymentTerm`), whether it was paid late, and how many
retakes went unpaid.

The rule is not restated here: the commissions and each check's outcome are :func:`analytics.freelance.commissions`,
the same the findings JP-FL-01…03 read; this module only picks the period's commissions and who may see them (as
:func:`analytics.own_log.reconcile`: the artist, or a manager for a period the artist shared).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy.orm import Session

from analytics.errors import AnalyticsError
from analytics.freelance import commissions
from analytics.own_log import check_viewer
from analytics.scope import Scope
from data.i18n import N_
from data.law.freelance import FreelanceAct, PaymentTerm
from data.reference import rule_values

FACT_COLUMNS = [
    "pay_item_id", "basis", "amount", "currency", "commission_date", "terms_issued_date", "terms_days_late",
    "delivery_date", "due_date", "deemed_due_date", "latest_due_date", "paid_date", "paid_late",
    "days_paid_after_due", "unpaid_past_due", "retake_count", "retake_paid_amount", "unpaid_retakes",
]  # fmt: skip
DATE_COLUMNS = ("commission_date", "terms_issued_date", "delivery_date", "due_date", "deemed_due_date",
                "latest_due_date", "paid_date")  # fmt: skip


def period_commissions(items: pd.DataFrame, *, start: dt.date, end: dt.date, term: PaymentTerm) -> pd.DataFrame:
    """The commissions of ``items`` (the columns of :func:`analytics.freelance.judge`) commissioned (else begun) or
    delivered within ``start``–``end``, in the columns of :data:`FACT_COLUMNS`: dates as ``datetime.date`` (None
    when unknown); ``latest_due_date`` the last day of the Act's ``term`` counted from the delivery; ``terms_days_late`` (0 when issued on the commission day; NaN when no terms
    or no commission date), ``paid_late`` / ``unpaid_past_due`` / ``unpaid_retakes`` bools, ``days_paid_after_due``
    after the deemed due date."""
    if items.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in FACT_COLUMNS})
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    commissioned = items["commissioned_on"].between(first, last)
    delivered = items["delivery_date"].between(first, last)
    out = items[commissioned | delivered].copy()
    out["latest_due_date"] = pd.to_datetime(term.latest_due(out["delivery_date"].to_numpy("datetime64[D]")))
    out = out.sort_values(["commissioned_on", "pay_item_id"]).reset_index(drop=True)
    for column in DATE_COLUMNS:
        out[column] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in out[column]]
    for column in ("paid_late", "unpaid_past_due", "unpaid_retakes"):
        out[column] = out[column].astype(bool)
    return out[FACT_COLUMNS]


def freelance_facts(session: Session, *, scope: Scope, today: dt.date | None = None) -> pd.DataFrame:
    """The Freelance Act facts of the scope's one person for the scope's period (both ends required, as
    :func:`analytics.own_log.reconcile` requires them, and seen by the same people): :func:`period_commissions`'s
    frame, empty for anyone the Act does not cover. ``today`` (default: the date now) decides whether an unpaid
    commission is past due."""
    if scope.start is None or scope.end is None:
        raise AnalyticsError(N_("a reconciliation needs a period with a start and an end"),
                             fix={"page": N_("pick a month")})  # fmt: skip
    person_id, start, end = scope.person, scope.start, scope.end
    check_viewer(session, scope, person_id, start, end)
    items = commissions(session, scope=Scope(people=(person_id,)), today=today or dt.date.today())
    act = FreelanceAct.from_values(rule_values(session, "JP"))
    return period_commissions(items, start=start, end=end, term=act.payment)
