"""Classification risk: freelancers whose records look like employment (JP-FL-05, CA-IC-01).

Labor law protects workers (労働者; California: employees); a freelance (業務委託) contract does not settle whether
someone is one. The records cannot prove it either way, so these are advocacy flags listing what the records show,
per person and calendar year:

* **employee-like hours**: at least ``employee_like_months_min`` months with ``employee_like_month_h`` hours or more
  logged (rule parameters): the schedule of a full-time employee, which leaves little room for other clients;
* **paid for time**: hourly or monthly pay rather than pay for output (``records.time_pay``);
* California only, **the studio's usual business** (prong B of the ABC test, Labor Code §2775): the work was done for
  a studio, whose business animation is — any employer but a committee, broadcaster, distributor, music label or AI
  vendor (an employer an import created is of kind ``other``, and Endroll holds a studio's records). Failing any
  prong makes the worker an employee.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.findings.context import Context, month_ends, month_labels
from analytics.findings.records import FREELANCE_PLACES
from analytics.findings.text import Sentences, joined, sentence
from data.i18n import N_
from data.law.agreement import reaches
from data.law.freelance import EmployeeLikeHours

# Employers whose usual business is not making animation; any other commissioning animation work fails prong B.
NOT_ANIMATION = ("production_committee", "broadcaster", "distributor", "music_label", "ai_vendor")


def check(ctx: Context) -> None:
    pay = ctx.pay[["person_id", "month", "hours"]]
    if pay.empty:
        return
    info = ctx.employment_in_month(pay["person_id"], pay["month"])
    free = (info["employment_type"] == "freelancer").to_numpy() & info["jurisdiction"].isin(FREELANCE_PLACES).to_numpy()
    months = pay[free].assign(
        jurisdiction=info["jurisdiction"].to_numpy()[free], employer_id=info["employer_id"].to_numpy()[free]
    )
    if months.empty:
        return
    timed = ctx.records.time_pay
    months = months.merge(timed[timed["person_id"].isin(set(months["person_id"]))], on=["person_id", "month"],
                          how="left")  # fmt: skip
    employers = ctx.records.employers
    kinds = dict(zip(employers["employer_id"], employers["kind"], strict=True))
    months["studio"] = ~months["employer_id"].map(kinds).isin(NOT_ANIMATION)
    months["year"] = months["month"].dt.year
    for jurisdiction, rule, line in (("JP", "JP-FL-05", ctx.law.jp_employee_like),
                                     ("US-CA", "CA-IC-01", ctx.law.ca_employee_like)):  # fmt: skip
        _flag(ctx, rule, jurisdiction, line, months[months["jurisdiction"] == jurisdiction])


FL_05 = N_(
    "JP-FL-05: as a freelancer (業務委託) from {first} to {last}: {signs}. Such records point to de facto employment, "
    "to which the Labor Standards Act and the minimum wage apply; check who sets the hours, the place and the method "
    "of work."
)
IC_01 = N_(
    "CA-IC-01: as an independent contractor from {first} to {last}: {signs}. Under the ABC test (Labor Code §2775) "
    "failing any prong makes the worker an employee."
)
PRONG_B = N_("the work was animation for a studio, its usual business (prong B)")
FULL_TIME = N_("{months} months of {hours:g} h or more logged, a full-time employee's schedule")
PAID_FOR_TIME = N_("{months} month(s) paid by the hour or month, for time rather than output")


def _flag(ctx: Context, rule: str, jurisdiction: str, line: EmployeeLikeHours, months: pd.DataFrame) -> None:
    if months.empty:
        return
    hours_line, months_min = line.month_h, line.months_min
    months = months.assign(full=reaches(months["hours"], hours_line), timed=months["time_pay"].fillna(0) > 0)
    years = months.groupby(["person_id", "year"], as_index=False, sort=True).agg(
        first=("month", "min"),
        last=("month", "max"),
        full=("full", "sum"),
        timed=("timed", "sum"),
        studio=("studio", "any"),
    )
    long_hours = years["full"].to_numpy() >= months_min
    time_paid = years["timed"].to_numpy() > 0
    studio = years["studio"].to_numpy(bool) if jurisdiction == "US-CA" else np.zeros(len(years), dtype=bool)
    count = long_hours.astype(int) + time_paid.astype(int) + studio.astype(int)
    hit = count > 0
    v = years[hit]
    shown = []
    for n_full, n_timed, lh, tp, st in zip(
        v["full"].tolist(), v["timed"].tolist(), long_hours[hit], time_paid[hit], studio[hit], strict=True
    ):
        signs = []
        if st:
            signs.append(sentence(PRONG_B))
        if lh:
            signs.append(sentence(FULL_TIME, months=n_full, hours=hours_line))
        if tp:
            signs.append(sentence(PAID_FOR_TIME, months=n_timed))
        shown.append(joined(signs))
    texts = Sentences(
        FL_05 if rule == "JP-FL-05" else IC_01,
        {"first": month_labels(v["first"]), "last": month_labels(v["last"]), "signs": shown},
    )
    ctx.extend(
        rule,
        "advocacy_flag",
        v["person_id"],
        v["first"],
        month_ends(v["last"]),
        count[hit].astype(float),
        1.0,
        "indicators",
        texts,
        source=ctx.law.cite(
            jurisdiction, "freelance_act.classification_risk" if rule == "JP-FL-05" else "contractor_risk"
        )
        + ("; " + ctx.law.cite("US-CA", "contractor_test") if rule == "CA-IC-01" else ""),
    )
