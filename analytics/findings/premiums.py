"""JP-PAY-01…03: overtime, statutory-holiday and late-night premiums paid against what the hours logged require."""

from __future__ import annotations

from analytics.findings.context import (
    Context,
    month_ends,
    month_labels,
    rounded,
)
from data.law.wages import PREMIUM_BASES, jp_premiums_owed

# Half a yen of rounding in what was paid is not a shortfall; less than a yen owed is nothing to report.
PAID_TOLERANCE, OWED_AT_LEAST = 0.5, 1.0


def check(ctx: Context) -> None:
    """JP-PAY-01…03 for JP employees' months with a base rate (JPY workplaces)."""
    if ctx.pay.empty:
        return
    premiums = ctx.records.premiums
    paid = premiums[premiums["currency"] == "JPY"]
    if ctx.people is not None:
        paid = paid[paid["person_id"].isin(ctx.people)]
    paid = paid.pivot_table(index=["person_id", "month"], columns="basis", values="amount", aggfunc="sum")
    paid = paid.reindex(columns=list(PREMIUM_BASES)).reset_index()
    paid.columns.name = None
    data = ctx.pay[ctx.pay["is_employee"] & (ctx.pay["currency"] == "JPY") & (ctx.pay["base_pay_per_hour"] > 0)]
    monthly = ctx.monthly[["person_id", "month", "ot_hours", "holiday_hours"]]
    data = (
        data.merge(monthly, on=["person_id", "month"], how="left")
        .merge(ctx.records.nights, on=["person_id", "month"], how="left")
        .merge(paid, on=["person_id", "month"], how="left")
    )
    data = data.fillna({c: 0.0 for c in ("ot_hours", "holiday_hours", "night_hours", *PREMIUM_BASES)})
    rates, hours = ctx.law.premiums, ctx.law.hours
    owed = jp_premiums_owed(
        data["base_pay_per_hour"], data["ot_hours"], data["holiday_hours"], data["night_hours"], rates
    )
    line = rates.overtime_higher_over_h
    checks = [
        (
            "JP-PAY-01",
            "ot_premium",
            owed.overtime,
            "ot_hours",
            f"h of overtime ({rates.overtime:.0%} up to {line:g} h in the month, {rates.overtime_higher:.0%} beyond; "
            f"LSA Art. 37(1))",
        ),
        (
            "JP-PAY-02",
            "holiday_premium",
            owed.holiday,
            "holiday_hours",
            f"h of statutory-holiday work ({rates.holiday:.0%}; LSA Art. 37(1))",
        ),
        (
            "JP-PAY-03",
            "night_premium",
            owed.night,
            "night_hours",
            f"h of late-night work {hours.night.label} ({rates.night:.0%}; LSA Art. 37(4))",
        ),
    ]
    deemed = ctx.deemed(data["person_id"], data["month"])
    for rule, basis, due_all, hours_column, what in checks:
        hit = (due_all >= OWED_AT_LEAST) & (data[basis].to_numpy(float) < due_all - PAID_TOLERANCE)
        if basis == "ot_premium":
            hit = hit & ~deemed  # overtime pay follows the deemed hours; night and holiday premiums the actual ones
        v, due = data[hit], due_all[hit]
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
                    v[hours_column].tolist(),
                    v["base_pay_per_hour"].tolist(),
                    due.tolist(),
                    strict=True,
                )
            ],
        )
