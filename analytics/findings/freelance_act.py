"""The Freelance Act (from its date in force, a rule parameter): terms (JP-FL-01), payment dates (JP-FL-02), fee
reductions and unpaid retakes (JP-FL-03).

Payment dates are counted as Art. 4 counts them (:class:`data.law.freelance.PaymentTerm`): the day of delivery is
day 1, so the 60th day is delivery + 59; a due date not agreed is deemed to be the delivery day, one agreed beyond the
term its last day; lateness is judged against the deemed date."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

import pandas as pd

from analytics.findings.context import Context, as_date
from analytics.findings.text import Sentences, money, sentence
from analytics.freelance import judge
from data.i18n import N_

ITEM = N_("pay item {id} ({basis}, {amount})")
NO_TERMS = N_(
    "JP-FL-01: no written terms recorded for {item}; the Freelance Act (Art. 3) requires them immediately on "
    "commission."
)
LATE_TERMS = N_(
    "JP-FL-01: terms for {item} were issued {days} days after the commission on {commissioned}; the Freelance Act "
    "(Art. 3) requires them immediately."
)
FEE_REDUCED = N_(
    "JP-FL-03: {item} commissioned on {commissioned} and delivered on {delivered} was paid {reduction} less than the "
    "{agreed} agreed; the Freelance Act (Art. 5(1)(ii)) forbids reducing the fee of a commission of {months} month(s) "
    "or more unless the freelancer was at fault — check that."
)
UNPAID_RETAKES = N_(
    "JP-FL-03: {retakes} retake(s) of {item} delivered on {delivered} were requested with nothing paid for them; the "
    "Freelance Act (Art. 5(2)(ii)) forbids making a freelancer redo work for free on a commission of {months} "
    "month(s) or more unless the change is the freelancer's fault — check that."
)
NO_DUE_DATE = N_(
    "JP-FL-02: no payment due date set for {item} delivered on {delivered}; the Freelance Act (Art. 4) requires one "
    "within {term} days of receipt, counting the delivery day as the first (by {latest} at the latest), and without "
    "one payment was due on the delivery day itself (Art. 4(2))."
)
DUE_TOO_LATE = N_(
    "JP-FL-02: payment for {item} falls due on {due}, day {day} counting the delivery on {delivered} as day 1; the "
    "Freelance Act (Art. 4) allows at most {term} days, so it was due by {latest} (Art. 4(2))."
)
PAID_LATE = N_(
    "JP-FL-02: {item} delivered on {delivered} was paid on {paid}, {days} days after it was due on {deemed} "
    "(Freelance Act Art. 4)."
)
UNPAID = N_(
    "JP-FL-02: {item} delivered on {delivered} is still unpaid after its due date {deemed} (Freelance Act Art. 4)."
)


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
    term, months = act.pay_due_days, act.long_commission_months
    cite = ctx.law.cite
    terms = cite("JP", "freelance_act.terms_immediately_required_fields")
    prohibited = cite("JP", "freelance_act.prohibited_acts")  # both prohibited acts: from commission to delivery
    payment = cite("JP", "freelance_act.pay_due_within_days_of_receipt")
    found = _Findings()
    # Dates as dates, a column at a time (walking rows would make a Timestamp of every date cell first).
    df = df.assign(
        **{c: pd.DatetimeIndex(df[c]).date for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])}
    )
    for r in df.itertuples(index=False):
        add = partial(found.add, production_id=r.production_id, scope_date=as_date(r.commissioned_on))
        commissioned = as_date(r.commission_date) if pd.notna(r.commission_date) else None
        item = sentence(ITEM, id=int(r.pay_item_id), basis=r.basis, amount=money(r.amount, r.currency))
        anchor = commissioned or dt.date.min
        if r.terms_missing:
            add("JP-FL-01", int(r.person_id), anchor, anchor, 0.0, 0.0, "days", NO_TERMS, {"item": item}, terms)
        elif r.terms_late:
            add("JP-FL-01", int(r.person_id), anchor, as_date(r.terms_issued_date), float(r.terms_days_late), 0.0,
                "days", LATE_TERMS, {"item": item, "days": int(r.terms_days_late), "commissioned": str(commissioned)},
                terms)  # fmt: skip
        delivered = as_date(r.delivery_date) if pd.notna(r.delivery_date) else None
        if delivered is None:
            continue
        latest = str(delivered + dt.timedelta(days=term - 1))
        if r.fee_reduced:
            add("JP-FL-03", int(r.person_id), anchor, delivered, float(r.amount), float(r.agreed_amount), r.currency,
                FEE_REDUCED,
                {
                    "item": item,
                    "commissioned": str(commissioned),
                    "delivered": str(delivered),
                    "reduction": money(r.reduction_amount, r.currency),
                    "agreed": money(r.agreed_amount, r.currency, bare=True),
                    "months": months,
                },
                prohibited)  # fmt: skip
        if r.unpaid_retakes:
            add("JP-FL-03", int(r.person_id), anchor, delivered, float(r.retake_count), 0.0, "retakes", UNPAID_RETAKES,
                {"retakes": int(r.retake_count), "item": item, "delivered": str(delivered), "months": months},
                prohibited)  # fmt: skip
        if r.due_missing:
            add("JP-FL-02", int(r.person_id), delivered, delivered, 0.0, float(term), "days", NO_DUE_DATE,
                {"item": item, "delivered": str(delivered), "term": term, "latest": latest}, payment)  # fmt: skip
        elif r.due_too_late:
            add("JP-FL-02", int(r.person_id), delivered, as_date(r.due_date), float(r.due_day_number), float(term),
                "days", DUE_TOO_LATE,
                {"item": item, "due": str(as_date(r.due_date)), "day": int(r.due_day_number),
                 "delivered": str(delivered), "term": term, "latest": latest},
                payment)  # fmt: skip
        deemed = str(as_date(r.deemed_due_date))
        if r.paid_late:
            add("JP-FL-02", int(r.person_id), as_date(r.deemed_due_date), as_date(r.paid_date),
                float(r.days_paid_after_due), 0.0, "days", PAID_LATE,
                {"item": item, "delivered": str(delivered), "paid": str(as_date(r.paid_date)),
                 "days": int(r.days_paid_after_due), "deemed": deemed},
                payment)  # fmt: skip
        elif r.unpaid_past_due:
            add("JP-FL-02", int(r.person_id), as_date(r.deemed_due_date), ctx.records.today, 0.0, 0.0, "days", UNPAID,
                {"item": item, "delivered": str(delivered), "deemed": deemed}, payment)  # fmt: skip
    found.into(ctx)


class _Findings:
    """The Freelance Act's findings in the order they were found, their sentences rendered a template at a time
    (:meth:`analytics.findings.text.Sentences.columns`) rather than one finding at a time: a studio has tens of
    thousands. A finding's dates may be ``dt.date.min`` (a commission with no date), which no datetime64 column holds,
    so they are kept as dates, not through :meth:`Context.extend`."""

    FIELDS = ("rule_id", "person_id", "period_start", "period_end", "measured_value", "threshold", "unit")

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []
        self.params: dict[str, list[dict[str, Any]]] = {}
        self.positions: dict[str, list[int]] = {}

    def add(self, *finding: Any, production_id: Any, scope_date: Any) -> None:
        """``rule_id, person_id, period_start, period_end, measured_value, threshold, unit, message, params,
        source``, and the pay item's production and commission date."""
        *fields, message, params, source = finding
        self.positions.setdefault(message, []).append(len(self.rows))
        self.params.setdefault(message, []).append(params)
        self.rows.append((*fields, message, source, production_id, scope_date))

    def into(self, ctx: Context) -> None:
        if not self.rows:
            return
        n = len(self.rows)
        english, params = [""] * n, [""] * n
        for message, rows in self.params.items():
            said = Sentences(message, {k: [p[k] for p in rows] for k in rows[0]})
            for i, e, p in zip(self.positions[message], *said.columns(len(rows)), strict=True):
                english[i], params[i] = e, p
        columns = list(zip(*self.rows, strict=True))
        out = pd.DataFrame(dict(zip(self.FIELDS, columns[:7], strict=True)))
        out.insert(1, "severity", "violation")
        out.insert(3, "group", None)
        out["measured_value"] = out["measured_value"].astype(float)
        out["threshold"] = out["threshold"].astype(float)
        out["explanation"] = english
        out["source"] = list(columns[8])
        out["reference"] = ctx.law.reference_version
        out["message"] = list(columns[7])
        out["params"] = params
        out["production_id"] = list(columns[9])
        out["scope_date"] = pd.Series(list(columns[10]), dtype=object)
        ctx.parts.append(out)
