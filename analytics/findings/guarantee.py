"""The piece-rate guarantee (JP-PAY-04): an employee paid by the piece must be guaranteed a fixed amount per hour
worked, whatever the output (Labor Standards Act Art. 27, 出来高払制の保障給)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.findings.context import Context, jp_employee, month_ends, month_labels, rounded
from analytics.findings.text import Sentences, money
from data.i18n import N_

NO_GUARANTEE = N_(
    "JP-PAY-04: {months} month(s) from {first} to {last} paid mainly by the piece under a contract with no guaranteed "
    "hourly amount recorded; an employer must guarantee a fixed amount per hour worked whatever the output (LSA "
    "Art. 27)."
)
LOW_GUARANTEE = N_(
    "JP-PAY-04: the guaranteed {guarantee} for piece work in {month} is under {share} of the person's own average of "
    "{average} over the {months} months before, the level administrative guidance expects of a guarantee (LSA Art. "
    "27)."
)
# Endroll's reading of "paid by the piece" (出来高払制): piece pay is at least this share of the month's base pay.
MAINLY_PIECE_SHARE = 0.5


def check(ctx: Context) -> None:
    """JP employees' months paid mainly by the piece (piece pay at least half the base pay): a warning per contract
    with no guaranteed hourly amount recorded, and per month where the guarantee is under the administrative
    guidance's share of the person's own average hourly pay over the months before (rule parameters; an advocacy
    threshold)."""
    pay = ctx.pay
    piece = pay[
        pay["is_employee"].astype(bool)
        & (pay["currency"] == "JPY")
        & (pay["piece_pay_amount"] > 0)
        & (pay["piece_pay_amount"] >= MAINLY_PIECE_SHARE * pay["base_pay_amount"])
    ].reset_index(drop=True)
    if piece.empty:
        return
    info = ctx.employment_in_month(piece["person_id"], piece["month"])
    keep = jp_employee(info).to_numpy()
    piece, info = piece[keep].reset_index(drop=True), info[keep].reset_index(drop=True)
    guarantee = pd.to_numeric(info["piece_rate_guarantee_per_hour"], errors="coerce")
    _missing(ctx, piece.assign(employment_id=info["employment_id"].to_numpy())[guarantee.isna().to_numpy()])
    _below_average(ctx, piece.assign(guarantee=guarantee.to_numpy())[guarantee.notna().to_numpy()])


def _missing(ctx: Context, months: pd.DataFrame) -> None:
    if months.empty:
        return
    contracts = months.groupby(["person_id", "employment_id"], as_index=False, sort=True).agg(
        first=("month", "min"), last=("month", "max"), months=("month", "size")
    )
    ctx.extend(
        "JP-PAY-04",
        "warning",
        contracts["person_id"],
        contracts["first"],
        month_ends(contracts["last"]),
        contracts["months"].astype(float),
        0.0,
        "months",
        Sentences(
            NO_GUARANTEE,
            {
                "months": contracts["months"],
                "first": month_labels(contracts["first"]),
                "last": month_labels(contracts["last"]),
            },
        ),
        source=ctx.law.cite("JP", "premiums.piece_rate.art27_guarantee_advocacy_fraction_of_avg_wage"),
    )


def _below_average(ctx: Context, months: pd.DataFrame) -> None:
    if months.empty:
        return
    law = ctx.law.guarantee
    # Each person's pay (premiums excluded) and hours in the calendar months before each month the average covers.
    pay = ctx.pay[ctx.pay["currency"] == "JPY"][["person_id", "month", "pay_amount", "premium_pay_amount", "hours"]]
    history = pay.assign(m=_month_number(pay["month"]), earned=pay["pay_amount"] - pay["premium_pay_amount"])
    wanted = months.assign(m=_month_number(months["month"]))
    sums = []
    for back in range(1, law.prior_months + 1):
        shifted = history.assign(m=history["m"] + back)[["person_id", "m", "earned", "hours"]]
        sums.append(wanted[["person_id", "m"]].merge(shifted, on=["person_id", "m"], how="left"))
    earned = sum(s["earned"].fillna(0).to_numpy() for s in sums)
    hours = sum(s["hours"].fillna(0).to_numpy() for s in sums)
    average = law.average_per_hour(earned, hours)
    floor = law.expected(average)
    hit = ~np.isnan(floor) & (wanted["guarantee"].to_numpy(float) < floor - 1e-9)
    v = wanted[hit]
    ctx.extend(
        "JP-PAY-04",
        "warning",
        v["person_id"],
        v["month"],
        month_ends(v["month"]),
        rounded(v["guarantee"]),
        rounded(floor[hit]),
        "JPY/h",
        Sentences(
            LOW_GUARANTEE,
            {
                "guarantee": [money(g, "JPY", per_hour=True) for g in v["guarantee"].tolist()],
                "month": month_labels(v["month"]),
                "share": f"{law.share_of_average:.0%}",
                "average": [money(a, "JPY", per_hour=True) for a in average[hit].tolist()],
                "months": law.prior_months,
            },
        ),
        source=ctx.law.cite("JP", "premiums.piece_rate.art27_guarantee_advocacy_fraction_of_avg_wage"),
    )


def _month_number(months: pd.Series) -> np.ndarray:
    """Months as consecutive integers, so "three months before" is a subtraction."""
    return np.asarray(months, dtype="datetime64[M]").astype(np.int64)
