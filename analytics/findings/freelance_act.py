"""The Freelance Act (from its date in force, a rule parameter): terms (JP-FL-01), payment dates (JP-FL-02), fee
reductions and unpaid retakes (JP-FL-03).

Payment dates are counted as Art. 4 counts them (:class:`data.law.freelance.PaymentTerm`): the day of delivery is
day 1, so the 60th day is delivery + 59; a due date not agreed is deemed to be the delivery day, one agreed beyond the
term its last day; lateness is judged against the deemed date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from analytics.findings.context import Context
from analytics.findings.text import Sentences, moneys, sentence
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
    # Most commissions are in order: only the flagged ones are judged further.
    flags = ["terms_missing", "terms_late", "fee_reduced", "unpaid_retakes", "due_missing", "due_too_late", "paid_late"]
    df = df[df[[*flags, "unpaid_past_due"]].any(axis=1)].reset_index(drop=True)
    if df.empty:
        return
    _Commissions(ctx, df).find()


class _Commissions:
    """The findings of the flagged commissions ``df`` (the columns of :func:`analytics.freelance.judge`), a kind of
    finding at a time over all of them: a studio has tens of thousands, and walking them row by row was most of the
    rule's time. Findings come out as a walk would make them: commission by commission, each in the order of the
    Act's checks (terms, fee, retakes, due date, payment). A finding's dates may be ``dt.date.min`` (a commission
    with no date), which no datetime64 column holds, so they are kept as dates, not through :meth:`Context.extend`."""

    def __init__(self, ctx: Context, df: pd.DataFrame) -> None:
        self.ctx, self.df = ctx, df
        # Dates as dates, a column at a time (NaT where none).
        self.dates = {
            c: pd.DatetimeIndex(df[c]).date for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])
        }
        commissioned = self.dates["commission_date"]
        self.has_commission = pd.notna(df["commission_date"]).to_numpy()
        self.anchor = np.where(self.has_commission, commissioned, dt.date.min)
        # str() of the commission date, "None" where there is none, as the sentence has always said it.
        self.commissioned = [
            str(d) if has else "None" for d, has in zip(commissioned, self.has_commission, strict=True)
        ]
        self.delivered_on = pd.notna(df["delivery_date"]).to_numpy()
        self.delivered = [str(d) for d in self.dates["delivery_date"]]
        amounts = moneys(df["amount"].tolist(), df["currency"].tolist())
        self.items = [
            sentence(ITEM, id=int(i), basis=b, amount=a)
            for i, b, a in zip(df["pay_item_id"].tolist(), df["basis"].tolist(), amounts, strict=True)
        ]
        self.parts: list[tuple[np.ndarray, int, dict[str, Any]]] = []

    def add(self, slot: int, rows: np.ndarray, rule: str, start: Any, end: Any, value: Any, threshold: Any,
            unit: Any, message: str, params: dict[str, Any], source: str) -> None:  # fmt: skip
        """Findings of one kind for the flagged ``rows`` (positions in ``df``), ``slot`` its place among a
        commission's findings; the other arguments a column over ``rows`` or one value for all."""
        if len(rows):
            n = len(rows)
            columns = {"rule_id": rule, "start": start, "end": end, "value": value, "threshold": threshold,
                       "unit": unit, "message": message, "source": source}  # fmt: skip
            found = {k: v if isinstance(v, (list, np.ndarray)) else [v] * n for k, v in columns.items()}
            found["params"] = Sentences(message, params)
            self.parts.append((rows, slot, found))

    def find(self) -> None:
        ctx, df, d = self.ctx, self.df, self.dates
        act, today = ctx.law.freelance, ctx.records.today
        term, months = act.pay_due_days, act.long_commission_months
        cite = ctx.law.cite
        terms = cite("JP", "freelance_act.terms_immediately_required_fields")
        prohibited = cite("JP", "freelance_act.prohibited_acts")  # both prohibited acts: from commission to delivery
        payment = cite("JP", "freelance_act.pay_due_within_days_of_receipt")
        items, anchor, delivered = self.items, self.anchor, self.delivered

        def pick(values: Any, rows: np.ndarray) -> list[Any]:
            return [values[i] for i in rows]

        missing = df["terms_missing"].to_numpy(bool)
        late = ~missing & df["terms_late"].to_numpy(bool)
        rows = np.flatnonzero(missing)
        self.add(0, rows, "JP-FL-01", anchor[rows], anchor[rows], 0.0, 0.0, "days", NO_TERMS,
                 {"item": pick(items, rows)}, terms)  # fmt: skip
        rows = np.flatnonzero(late)
        days_late = df["terms_days_late"].to_numpy(float)[rows]
        self.add(0, rows, "JP-FL-01", anchor[rows], d["terms_issued_date"][rows], days_late, 0.0, "days", LATE_TERMS,
                 {"item": pick(items, rows), "days": days_late.astype(np.int64).tolist(),
                  "commissioned": pick(self.commissioned, rows)},
                 terms)  # fmt: skip
        on = self.delivered_on  # the rest are about a delivery
        latest = [
            str(x + dt.timedelta(days=term - 1)) if ok else "" for x, ok in zip(d["delivery_date"], on, strict=True)
        ]
        rows = np.flatnonzero(on & df["fee_reduced"].to_numpy(bool))
        currency = df["currency"].to_numpy(object)[rows]
        self.add(1, rows, "JP-FL-03", anchor[rows], d["delivery_date"][rows], df["amount"].to_numpy(float)[rows],
                 df["agreed_amount"].to_numpy(float)[rows], currency, FEE_REDUCED,
                 {"item": pick(items, rows), "commissioned": pick(self.commissioned, rows),
                  "delivered": pick(delivered, rows),
                  "reduction": moneys(df["reduction_amount"].to_numpy(float)[rows].tolist(), currency.tolist()),
                  "agreed": moneys(df["agreed_amount"].to_numpy(float)[rows].tolist(), currency.tolist(), bare=True),
                  "months": months},
                 prohibited)  # fmt: skip
        rows = np.flatnonzero(on & df["unpaid_retakes"].to_numpy(bool))
        retakes = df["retake_count"].to_numpy(float)[rows]
        self.add(2, rows, "JP-FL-03", anchor[rows], d["delivery_date"][rows], retakes, 0.0, "retakes", UNPAID_RETAKES,
                 {"retakes": retakes.astype(np.int64).tolist(), "item": pick(items, rows),
                  "delivered": pick(delivered, rows), "months": months},
                 prohibited)  # fmt: skip
        due_missing = on & df["due_missing"].to_numpy(bool)
        rows = np.flatnonzero(due_missing)
        self.add(3, rows, "JP-FL-02", d["delivery_date"][rows], d["delivery_date"][rows], 0.0, float(term), "days",
                 NO_DUE_DATE,
                 {"item": pick(items, rows), "delivered": pick(delivered, rows), "term": term,
                  "latest": pick(latest, rows)},
                 payment)  # fmt: skip
        rows = np.flatnonzero(on & ~due_missing & df["due_too_late"].to_numpy(bool))
        day = df["due_day_number"].to_numpy(float)[rows]
        self.add(3, rows, "JP-FL-02", d["delivery_date"][rows], d["due_date"][rows], day, float(term), "days",
                 DUE_TOO_LATE,
                 {"item": pick(items, rows), "due": [str(x) for x in d["due_date"][rows]],
                  "day": day.astype(np.int64).tolist(), "delivered": pick(delivered, rows), "term": term,
                  "latest": pick(latest, rows)},
                 payment)  # fmt: skip
        deemed = d["deemed_due_date"]
        paid_late = on & df["paid_late"].to_numpy(bool)
        rows = np.flatnonzero(paid_late)
        days = df["days_paid_after_due"].to_numpy(float)[rows]
        self.add(4, rows, "JP-FL-02", deemed[rows], d["paid_date"][rows], days, 0.0, "days", PAID_LATE,
                 {"item": pick(items, rows), "delivered": pick(delivered, rows),
                  "paid": [str(x) for x in d["paid_date"][rows]], "days": days.astype(np.int64).tolist(),
                  "deemed": [str(x) for x in deemed[rows]]},
                 payment)  # fmt: skip
        rows = np.flatnonzero(on & ~paid_late & df["unpaid_past_due"].to_numpy(bool))
        self.add(4, rows, "JP-FL-02", deemed[rows], today, 0.0, 0.0, "days", UNPAID,
                 {"item": pick(items, rows), "delivered": pick(delivered, rows),
                  "deemed": [str(x) for x in deemed[rows]]},
                 payment)  # fmt: skip
        self.into()

    def into(self) -> None:
        if not self.parts:
            return
        # The walk's order: by commission, then by the check's place among its findings.
        where = np.concatenate([rows for rows, _, _ in self.parts])
        slot = np.concatenate([np.full(len(rows), s) for rows, s, _ in self.parts])
        order = np.lexsort((slot, where))

        def column(name: str) -> np.ndarray:
            parts = [np.asarray(found[name], dtype=object) for _, _, found in self.parts]
            return np.concatenate(parts)[order]

        english, params = [], []
        for rows, _, found in self.parts:
            e, p = found["params"].columns(len(rows))
            english += e
            params += p
        out = pd.DataFrame(
            {
                "rule_id": column("rule_id").tolist(),
                "severity": "violation",
                "person_id": self.df["person_id"].to_numpy(np.int64)[where[order]],
                "group": None,
                "period_start": column("start").tolist(),
                "period_end": column("end").tolist(),
                "measured_value": column("value").astype(float),
                "threshold": column("threshold").astype(float),
                "unit": column("unit").tolist(),
                "explanation": np.asarray(english, dtype=object)[order].tolist(),
                "source": column("source").tolist(),
                "reference": self.ctx.law.reference_version,
                "message": column("message").tolist(),
                "params": np.asarray(params, dtype=object)[order].tolist(),
                "production_id": self.df["production_id"].to_numpy()[where[order]].tolist(),
            }
        )
        out["scope_date"] = pd.Series(
            np.asarray(self.dates["commissioned_on"], dtype=object)[where[order]], dtype=object
        )
        self.ctx.parts.append(out)
