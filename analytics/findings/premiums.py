"""JP-PAY-01…03: overtime, statutory-holiday and late-night premiums paid against what the hours logged require."""

from __future__ import annotations

from analytics.findings.context import (
    Context,
    month_ends,
    month_labels,
    rounded,
)
from analytics.findings.text import Sentences, money, sentence
from data.i18n import N_
from data.law.wages import PREMIUM_BASES, jp_premiums_owed

PREMIUM_SHORT = N_(
    "{rule}: {paid} of {premium} paid for {month}, but {hours:.1f} {what} at a base rate of {base} needs at least "
    "{owed}."
)
PREMIUM_NAMES = {"ot_premium": N_("ot premium"), "holiday_premium": N_("holiday premium"),
                 "night_premium": N_("night premium")}  # fmt: skip
OT_WHAT = N_("h of overtime ({rate} up to {line:g} h in the month, {higher} beyond; LSA Art. 37(1))")
HOLIDAY_WHAT = N_("h of statutory-holiday work ({rate}; LSA Art. 37(1))")
NIGHT_WHAT = N_("h of late-night work {window} ({rate}; LSA Art. 37(4))")
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
            sentence(OT_WHAT, rate=f"{rates.overtime:.0%}", line=line, higher=f"{rates.overtime_higher:.0%}"),
            "premiums.ot_first_60h_month",
        ),
        (
            "JP-PAY-02",
            "holiday_premium",
            owed.holiday,
            "holiday_hours",
            sentence(HOLIDAY_WHAT, rate=f"{rates.holiday:.0%}"),
            "premiums.statutory_holiday",
        ),
        (
            "JP-PAY-03",
            "night_premium",
            owed.night,
            "night_hours",
            sentence(NIGHT_WHAT, window=hours.night.label, rate=f"{rates.night:.0%}"),
            "premiums.late_night",
        ),
    ]
    deemed = ctx.deemed(data["person_id"], data["month"])
    for rule, basis, due_all, hours_column, what, key in checks:
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
            Sentences(
                PREMIUM_SHORT,
                {
                    "rule": rule,
                    "paid": [money(g, "JPY") for g in v[basis].tolist()],
                    "premium": sentence(PREMIUM_NAMES[basis]),
                    "month": month_labels(v["month"]),
                    "hours": v[hours_column],
                    "what": what,
                    "base": [money(r, "JPY", per_hour=True) for r in v["base_pay_per_hour"].tolist()],
                    "owed": [money(o, "JPY") for o in due.tolist()],
                },
            ),
            source=ctx.law.cite("JP", key),
        )
