"""JP-PAY-01…03: overtime, statutory-holiday and late-night premiums paid against what the hours logged require."""

from __future__ import annotations

import numpy as np

from analytics.findings.context import (
    Context,
    month_ends,
    month_labels,
    rounded,
)
from analytics.findings.text import Sentences, moneys, sentence
from data.i18n import N_
from data.law.wages import PREMIUM_BASES, jp_premiums_owed

PREMIUM_SHORT = N_(
    "{rule}: {paid} of {premium} paid for {month}, but {hours:.1f} {what} at a base rate of {base} needs at least "
    "{owed}."
)
PREMIUM_SHORT_SCHEDULED = N_(
    "{rule}: {paid} of {premium} paid for {month}, but {hours:.1f} {what} at a base rate of {base} needs at least "
    "{owed}: the premium, and the hours themselves at {scheduled}, which the salary or day rate does not pay (it "
    "covers the scheduled hours only)."
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
    pay = ctx.pay
    data = pay[pay["is_employee"] & (pay["currency"] == "JPY") & (pay["premium_base_per_hour"] > 0)]
    monthly = ctx.monthly[["person_id", "month", "ot_hours", "holiday_hours"]]
    data = (
        data.merge(monthly, on=["person_id", "month"], how="left")
        .merge(ctx.records.nights, on=["person_id", "month"], how="left")
        .merge(paid, on=["person_id", "month"], how="left")
    )
    data = data.fillna({c: 0.0 for c in ("ot_hours", "holiday_hours", "night_hours", *PREMIUM_BASES)})
    rates, hours = ctx.law.premiums, ctx.law.hours
    owed = jp_premiums_owed(
        data["premium_base_per_hour"], data["ot_hours"], data["holiday_hours"], data["night_hours"], rates,
        scheduled_per_hour=data["scheduled_base_per_hour"].fillna(0.0),
    )  # fmt: skip
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
        # A salary or day rate covers the schedule only: the hour itself is owed again for overtime and holiday hours.
        night = basis == "night_premium"
        scheduled = np.zeros(len(v)) if night else v["scheduled_base_per_hour"].fillna(0.0).to_numpy(float)
        for again in (False, True):
            pick = (scheduled > 0) == again
            if not pick.any():
                continue
            w, owed_here = v[pick], due[pick]
            params = {
                "rule": rule,
                "paid": moneys(w[basis].tolist(), "JPY"),
                "premium": sentence(PREMIUM_NAMES[basis]),
                "month": month_labels(w["month"]),
                "hours": w[hours_column],
                "what": what,
                "base": moneys(w["premium_base_per_hour"].tolist(), "JPY", per_hour=True),
                "owed": moneys(owed_here.tolist(), "JPY"),
            }
            if again:
                params["scheduled"] = moneys(scheduled[pick].tolist(), "JPY", per_hour=True)
            ctx.extend(
                rule,
                "violation",
                w["person_id"],
                w["month"],
                month_ends(w["month"]),
                rounded(w[basis]),
                rounded(owed_here),
                "JPY",
                Sentences(PREMIUM_SHORT_SCHEDULED if again else PREMIUM_SHORT, params),
                source=ctx.law.cite("JP", key) + "; " + ctx.law.cite("JP", "premium_base"),
            )
