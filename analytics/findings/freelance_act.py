"""The Freelance Act (from its date in force, a rule parameter): terms (JP-FL-01), payment dates (JP-FL-02), fee
reductions and unpaid retakes (JP-FL-03)."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd

from analytics.findings.context import (
    Context,
    as_date,
)
from analytics.freelance import judge


def check(ctx: Context) -> None:
    """JP-FL-01…03 per commission (pay item) in scope of the Freelance Act. Each finding also keeps the pay item's
    production and commission date (``SCOPE_COLUMNS``): a production or period filter selects commissions by them,
    as :func:`analytics.freelance.commissions` does."""
    act = ctx.law.freelance
    items = ctx.records.commissions
    if ctx.people is not None:
        items = items[items["person_id"].isin(ctx.people)]
    df = judge(items, act=act, today=ctx.records.today)
    # Most commissions are in order: only the flagged ones are walked row by row.
    flags = ["terms_missing", "terms_late", "fee_reduced", "unpaid_retakes", "due_missing", "due_too_late", "paid_late"]
    df = df[df[[*flags, "unpaid_past_due"]].any(axis=1)]
    due_days, long_months = act.pay_due_days, act.long_commission_months
    for r in df.itertuples(index=False):
        add = partial(ctx.add, production_id=r.production_id, scope_date=as_date(r.commissioned_on))
        commissioned = as_date(r.commission_date) if pd.notna(r.commission_date) else None
        item = f"pay item {r.pay_item_id} ({r.basis}, {float(r.amount):,.0f} {r.currency})"
        anchor = commissioned or dt.date.min
        if r.terms_missing:
            add(
                "JP-FL-01",
                "violation",
                int(r.person_id),
                anchor,
                anchor,
                0.0,
                0.0,
                "days",
                f"JP-FL-01: no written terms recorded for {item}; the Freelance Act (Art. 3) requires them "
                f"immediately on commission.",
            )
        elif r.terms_late:
            add(
                "JP-FL-01",
                "violation",
                int(r.person_id),
                anchor,
                as_date(r.terms_issued_date),
                float(r.terms_days_late),
                0.0,
                "days",
                f"JP-FL-01: terms for {item} were issued {int(r.terms_days_late)} days after the commission on "
                f"{commissioned}; the Freelance Act (Art. 3) requires them immediately.",
            )
        delivered = as_date(r.delivery_date) if pd.notna(r.delivery_date) else None
        if delivered is None:
            continue
        # Both prohibited acts: a finding from the commission to the delivery.
        prohibited = partial(add, "JP-FL-03", "violation", int(r.person_id), anchor, delivered)
        if r.fee_reduced:
            prohibited(
                float(r.amount),
                float(r.agreed_amount),
                r.currency,
                f"JP-FL-03: {item} commissioned on {commissioned} and delivered on {delivered} was paid "
                f"{float(r.reduction_amount):,.0f} {r.currency} less than the {float(r.agreed_amount):,.0f} agreed; "
                f"the Freelance Act (Art. 5(1)(ii)) forbids reducing the fee of a commission of {long_months} month(s) "
                f"or more unless the freelancer was at fault — check that.",
            )
        if r.unpaid_retakes:
            prohibited(
                float(r.retake_count),
                0.0,
                "retakes",
                f"JP-FL-03: {int(r.retake_count)} retake(s) of {item} delivered on {delivered} were requested with "
                f"nothing paid for them; the Freelance Act (Art. 5(2)(ii)) forbids making a freelancer redo work "
                f"for free on a commission of {long_months} month(s) or more unless the change is the freelancer's "
                f"fault — check that.",
            )
        if r.due_missing:
            add(
                "JP-FL-02",
                "violation",
                int(r.person_id),
                delivered,
                delivered,
                0.0,
                float(due_days),
                "days",
                f"JP-FL-02: no payment due date set for {item} delivered on {delivered}; the Freelance Act "
                f"(Art. 4) requires one within {due_days} days of receipt.",
            )
        elif r.due_too_late:
            add(
                "JP-FL-02",
                "violation",
                int(r.person_id),
                delivered,
                as_date(r.due_date),
                float(r.due_days_after_delivery),
                float(due_days),
                "days",
                f"JP-FL-02: payment for {item} falls due {int(r.due_days_after_delivery)} days after delivery "
                f"on {delivered}; the Freelance Act (Art. 4) allows at most {due_days}.",
            )
        if r.paid_late:
            add(
                "JP-FL-02",
                "violation",
                int(r.person_id),
                as_date(r.effective_due_date),
                as_date(r.paid_date),
                float(r.days_paid_after_due),
                0.0,
                "days",
                f"JP-FL-02: {item} delivered on {delivered} was paid on {as_date(r.paid_date)}, "
                f"{int(r.days_paid_after_due)} days after it was due on {as_date(r.effective_due_date)} (Freelance "
                f"Act Art. 4).",
            )
        elif r.unpaid_past_due:
            add(
                "JP-FL-02",
                "violation",
                int(r.person_id),
                as_date(r.effective_due_date),
                ctx.records.today,
                0.0,
                0.0,
                "days",
                f"JP-FL-02: {item} delivered on {delivered} is still unpaid after its due date "
                f"{as_date(r.effective_due_date)} (Freelance Act Art. 4).",
            )
