"""JP-PAY-01…03: overtime, statutory-holiday and late-night premiums paid against what the hours logged require."""

from __future__ import annotations

from sqlalchemy import func, select

from analytics.findings.context import (
    Context,
    month_ends,
    month_labels,
    rounded,
)
from analytics.queries.base import frame
from data.reference import rule_parameter
from data.schema import (
    RollupPayMonth,
    RollupPersonMonth,
)


def check(ctx: Context) -> None:
    """JP-PAY-01…03 for JP employees' months with a base rate (JPY workplaces)."""
    if ctx.pay.empty:
        return
    session = ctx.session
    p = RollupPayMonth
    query = select(p.person_id, p.month_start.label("month"), p.basis, func.sum(p.amount).label("amount")).where(
        p.basis.in_(("ot_premium", "holiday_premium", "night_premium")), p.currency == "JPY"
    )
    if ctx.people is not None:
        query = query.where(p.person_id.in_(ctx.people))
    paid = frame(session, query.group_by(p.person_id, p.month_start, p.basis), dates=("month",))
    paid = paid.pivot_table(index=["person_id", "month"], columns="basis", values="amount", aggfunc="sum")
    paid = paid.reindex(columns=["ot_premium", "holiday_premium", "night_premium"]).reset_index()
    m = RollupPersonMonth
    query = select(m.person_id, m.month_start.label("month"), (m.night_minutes / 60.0).label("night_hours")).where(
        m.minutes > 0
    )
    if ctx.people is not None:
        query = query.where(m.person_id.in_(ctx.people))
    nights = frame(session, query, dates=("month",), raw=True)
    data = ctx.pay[ctx.pay["is_employee"] & (ctx.pay["currency"] == "JPY") & (ctx.pay["base_pay_per_hour"] > 0)]
    monthly = ctx.monthly[["person_id", "month", "ot_hours", "holiday_hours"]]
    data = (
        data.merge(monthly, on=["person_id", "month"], how="left")
        .merge(nights, on=["person_id", "month"], how="left")
        .merge(paid, on=["person_id", "month"], how="left")
    )
    data = data.fillna({c: 0.0 for c in ("ot_hours", "holiday_hours", "night_hours", *paid.columns[2:])})
    jp = {
        "ot1": float(rule_parameter(session, "JP", "premiums.ot_first_60h_month")),
        "ot2": float(rule_parameter(session, "JP", "premiums.ot_over_60h_month")),
        "hol": float(rule_parameter(session, "JP", "premiums.statutory_holiday")),
        "night": float(rule_parameter(session, "JP", "premiums.late_night.rate")),
    }
    rate, ot = data["base_pay_per_hour"], data["ot_hours"]
    checks = [
        (
            "JP-PAY-01",
            "ot_premium",
            jp["ot1"] * rate * ot.clip(upper=60) + jp["ot2"] * rate * (ot - 60).clip(lower=0),
            "ot_hours",
            "h of overtime (25% up to 60 h in the month, 50% beyond; LSA Art. 37(1))",
        ),
        (
            "JP-PAY-02",
            "holiday_premium",
            jp["hol"] * rate * data["holiday_hours"],
            "holiday_hours",
            "h of statutory-holiday work (35%; LSA Art. 37(1))",
        ),
        (
            "JP-PAY-03",
            "night_premium",
            jp["night"] * rate * data["night_hours"],
            "night_hours",
            "h of late-night work 22:00–05:00 (25%; LSA Art. 37(4))",
        ),
    ]
    deemed = ctx.deemed(data["person_id"], data["month"])
    for rule, basis, owed, hours, what in checks:
        hit = ((owed >= 1) & (data[basis] < owed - 0.5)).to_numpy()  # half a yen of rounding
        if basis == "ot_premium":
            hit = hit & ~deemed  # overtime pay follows the deemed hours; night and holiday premiums the actual ones
        v, due = data[hit], owed[hit]
        ctx.extend(
            rule,
            "violation",
            v["person_id"],
            v["month"],
            month_ends(v["month"]),
            rounded(v[basis]),
            rounded(due),
            "JPY",
            [
                f"{rule}: {g:,.0f} JPY of {basis.replace('_', ' ')} paid for {m}, but {h:.1f} {what} at a base rate "
                f"of {r:,.0f} JPY/h needs at least {o:,.0f} JPY."
                for g, m, h, r, o in zip(
                    v[basis].tolist(),
                    month_labels(v["month"]),
                    v[hours].tolist(),
                    v["base_pay_per_hour"].tolist(),
                    due.tolist(),
                    strict=True,
                )
            ],
        )
