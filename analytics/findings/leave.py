"""Annual paid leave (JP-LEAVE-01): the days the Labor Standards Act gives (Art. 39) and the days a year an employer
must see taken by anyone granted enough (Art. 39(7)), judged on the employer's leave ledger (``annual_leave``: days
granted and days taken). Every number is a rule parameter (``annual_leave.*``, :class:`data.law.leave.AnnualLeave`).

Service runs from the first day of a JP employee contract, across contracts with the same employer that follow one
another; the grants and their days are :func:`data.law.leave.statutory_grants`. The attendance a grant needs is
assumed (absences are not recorded). Leave taken by the hour (an entry that is not a whole or half day) is leave, but
does not count towards the days that must be taken (MHLW guidance); half days count as half. A grant given earlier
than the statutory date (a uniform grant date, 斉一的取扱い) counts for it. Part-time contracts under the parameter's
hours a week get proportional grants that depend on days worked per week, which the records do not hold: only the
days-taken rule is judged for them, on the grants recorded. The ledger is judged up to its latest entry, studio-wide
(an import can be months old). Grant years that end before a person's first ledger entry are not judged (nor the days
taken in a year the ledger does not cover whole); a person with no entry at all gets one warning, since the ledger
(年次有給休暇管理簿) is itself mandatory.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.findings.context import Context, iso_dates, rounded
from analytics.findings.text import Sentences, sentence
from data.i18n import N_
from data.law.leave import AnnualLeave, counts_towards_mandatory, statutory_grants
from data.schema import EMPLOYEE_TYPES

MONTHS_PER_YEAR, WEEKS_PER_YEAR = 12, 52
TOO_FEW_GRANTED = N_(
    "JP-LEAVE-01: {given:g} days of annual leave granted by {due}, when {service} of service give {days:g} (LSA "
    "Art. 39)."
)
TOO_FEW_TAKEN = N_(
    "JP-LEAVE-01: {used:g} days of annual leave taken in the year from {first} to {last} by an employee granted "
    "{granted:g}; the employer must see at least {must:g} taken (LSA Art. 39(7))."
)
NO_LEDGER = N_(
    "JP-LEAVE-01: no annual leave recorded for an employee with {grants} statutory grant(s) from {first} "
    "({first_days:g} days) to {last} ({last_days:g} days); the employer must keep a leave ledger and see at least "
    "{must:g} days taken a year (LSA Art. 39)."
)
SERVICE_YEARS_MONTHS = N_("{years} year(s) {months} month(s)")
SERVICE_YEARS = N_("{years} year(s)")
FOREVER = np.datetime64("9999-12-31", "D")


def check(ctx: Context) -> None:
    services = _services(ctx)
    if services.empty:
        return
    law = ctx.law.leave
    today64 = np.datetime64(ctx.records.today, "D")
    must_take = law.mandatory_take_days
    must_from = np.datetime64(law.mandatory_from, "D")
    ledger = ctx.records.leave
    ledger = ledger[ledger["person_id"].isin(set(services["person_id"]))]
    ledger = ledger.assign(on=ledger["on_date"].to_numpy("datetime64[D]"), days=ledger["days"].astype(float))
    # The ledger is judged as far as it has been kept: to its latest entry, studio-wide (not today, when an import
    # is months old, nor each person's own latest, which someone taking no leave would push back).
    kept_to = ctx.records.leave_kept_to
    as_of = min(today64, np.datetime64(kept_to, "D")) if kept_to is not None else today64
    first_entry = ledger.groupby("person_id")["on"].min()
    services["first_entry"] = pd.to_datetime(services["person_id"].map(first_entry.to_dict())).to_numpy("datetime64[D]")
    kept = services["first_entry"].notna().to_numpy()
    grants = _statutory_grants(services, np.where(kept, as_of, today64), law)
    _no_ledger(ctx, grants[~kept[grants["service"].to_numpy()]], must_take)
    grants = grants[kept[grants["service"].to_numpy()]].reset_index(drop=True)
    if grants.empty:
        return
    # Each ledger entry against each grant of its person: grants given since the previous statutory date count for
    # the next one; days taken count in the grant year they fall in.
    entries = ledger[["person_id", "kind", "on", "days"]].rename(columns={"days": "entry_days"})
    pairs = grants[["row", "person_id", "previous", "due", "year_end"]].merge(entries, on="person_id")
    on, due = pairs["on"].to_numpy("datetime64[D]"), pairs["due"].to_numpy("datetime64[D]")
    granted = (pairs["kind"] == "grant").to_numpy() & (on > pairs["previous"].to_numpy("datetime64[D]")) & (on <= due)
    # Whole and half days count towards the days that must be taken; leave by the hour (any other fraction) does not.
    entry = pairs["entry_days"].to_numpy()
    taken = (pairs["kind"] == "taken").to_numpy() & counts_towards_mandatory(entry) & (on >= due)
    taken &= on <= pairs["year_end"].to_numpy("datetime64[D]")
    totals = (
        pd.DataFrame(
            {
                "row": pairs["row"].to_numpy(),
                "given": np.where(granted, entry, 0.0),
                "used": np.where(taken, entry, 0.0),
            }
        )
        .groupby("row")
        .sum()
    )
    grants = grants.assign(given=grants["row"].map(totals["given"]).fillna(0.0).to_numpy(),
                           used=grants["row"].map(totals["used"]).fillna(0.0).to_numpy())  # fmt: skip
    _grants_below_schedule(ctx, grants, law)
    _too_few_taken(ctx, grants, law, must_from, as_of)


def _grants_below_schedule(ctx: Context, grants: pd.DataFrame, law: AnnualLeave) -> None:
    # A grant is judged once the ledger covers any of its year.
    judged = grants["year_end"].to_numpy("datetime64[D]") >= grants["first_entry"].to_numpy("datetime64[D]")
    hit = judged & grants["full"].to_numpy(bool) & (grants["given"].to_numpy() + 1e-9 < grants["days"].to_numpy())
    v = grants[hit]
    ctx.extend(
        "JP-LEAVE-01",
        "violation",
        v["person_id"],
        v["due"],
        v["due"],
        rounded(v["given"]),
        v["days"].to_numpy(),
        "days",
        Sentences(
            TOO_FEW_GRANTED,
            {
                "given": v["given"],
                "due": iso_dates(v["due"]),
                "service": [_service(law, k) for k in v["k"].tolist()],
                "days": v["days"],
            },
        ),
        source=ctx.law.cite("JP", "annual_leave.days_schedule"),
    )


def _too_few_taken(
    ctx: Context, grants: pd.DataFrame, law: AnnualLeave, must_from: np.datetime64, as_of: np.datetime64
) -> None:
    must_take = law.mandatory_take_days
    due, year_end = grants["due"].to_numpy("datetime64[D]"), grants["year_end"].to_numpy("datetime64[D]")
    end = grants["end"].to_numpy("datetime64[D]")
    entitled = np.where(grants["full"].to_numpy(bool), grants["days"].to_numpy(), grants["given"].to_numpy())
    # Only whole grant years the ledger covers, that began under the rule, have ended, and the service lasted.
    judged = (due >= grants["first_entry"].to_numpy("datetime64[D]")) & (entitled >= law.mandatory_if_granted_days)
    judged &= due >= must_from
    judged &= (year_end <= as_of) & (end >= year_end)
    hit = judged & (grants["used"].to_numpy() + 1e-9 < must_take)
    v, entitled = grants[hit], entitled[hit]
    ctx.extend(
        "JP-LEAVE-01",
        "violation",
        v["person_id"],
        v["due"],
        v["year_end"],
        rounded(v["used"]),
        must_take,
        "days",
        Sentences(
            TOO_FEW_TAKEN,
            {
                "used": v["used"],
                "first": iso_dates(v["due"]),
                "last": iso_dates(v["year_end"]),
                "granted": entitled,
                "must": must_take,
            },
        ),
        source=ctx.law.cite("JP", "annual_leave.mandatory_take_days"),
    )


def _no_ledger(ctx: Context, grants: pd.DataFrame, must_take: float) -> None:
    """One warning per service of someone with no ledger entry at all, over the grants it earned by today."""
    if grants.empty:
        return
    first = grants.drop_duplicates("service", keep="first").set_index("service")
    last = grants.drop_duplicates("service", keep="last").set_index("service")
    count = grants.groupby("service").size()
    ctx.extend(
        "JP-LEAVE-01",
        "warning",
        first["person_id"],
        first["due"],
        last["due"],
        0.0,
        count.to_numpy(dtype=float),
        "grants",
        Sentences(
            NO_LEDGER,
            {
                "grants": count,
                "first": iso_dates(first["due"]),
                "first_days": first["days"],
                "last": iso_dates(last["due"]),
                "last_days": last["days"],
                "must": must_take,
            },
        ),
        source=ctx.law.cite("JP", "annual_leave"),
    )


def _service(law: AnnualLeave, k: int) -> dict[str, object]:
    """Grant ``k``'s service as a sentence reads it: ``1 year(s) 6 month(s)``."""
    years, rest = divmod(law.months_of_service(k), MONTHS_PER_YEAR)
    return sentence(SERVICE_YEARS_MONTHS, years=years, months=rest) if rest else sentence(SERVICE_YEARS, years=years)


def _services(ctx: Context) -> pd.DataFrame:
    """Continuous JP employee service per person and employer (contracts that follow one another or overlap):
    ``person_id``, ``start``, ``end`` (datetime64[D]; 9999-12-31 while ongoing), ``full`` (False when the latest
    contract is part-time under the hours a week that full grants need, or of unknown hours)."""
    e = ctx.employments
    e = e[(e["jurisdiction"] == "JP") & e["employment_type"].isin(EMPLOYEE_TYPES)]
    if ctx.people is not None:
        e = e[e["person_id"].isin(ctx.people)]
    columns = ["person_id", "start", "end", "full"]
    if e.empty:
        return pd.DataFrame(columns=columns)
    weekly_hours = pd.to_numeric(e["scheduled_monthly_hours"], errors="coerce") * MONTHS_PER_YEAR / WEEKS_PER_YEAR
    e = e.assign(
        full=(e["employment_type"] != "employee_parttime")
        | (weekly_hours >= ctx.law.leave.full_grants_from_h_per_week),
        start=e["start_date"].to_numpy("datetime64[D]"),
        end=e["end_date"].to_numpy("datetime64[D]"),
    ).sort_values(["person_id", "employer_id", "start"], kind="stable", ignore_index=True)
    e["end"] = e["end"].fillna(pd.Timestamp(FOREVER))
    key = e["person_id"].astype(str) + ":" + e["employer_id"].astype(str)
    reached = e.groupby(key)["end"].cummax().groupby(key).shift()  # the furthest end of the earlier contracts
    new = reached.isna() | (e["start"] > reached + pd.Timedelta(days=1))
    e["service"] = new.cumsum()
    out = e.groupby("service", sort=True).agg(
        person_id=("person_id", "first"), start=("start", "min"), end=("end", "max"), full=("full", "last")
    )
    return out.reset_index(drop=True)[columns]


def _statutory_grants(services: pd.DataFrame, until: np.ndarray, law: AnnualLeave) -> pd.DataFrame:
    """One row per grant each service earned by ``until`` (per service) or its end: ``service`` (row of
    ``services``), ``row``, ``person_id``, ``k`` (0 for the first), ``due``, ``days`` (the statutory days),
    ``previous`` (the previous grant's date; the day before service began for the first), ``year_end`` (the day
    before the next grant), and the service's ``end``, ``full`` and ``first_entry``."""
    last = np.minimum(until.astype("datetime64[D]"), services["end"].to_numpy("datetime64[D]"))
    g = statutory_grants(services["start"].to_numpy("datetime64[D]"), last, law)
    s = services.iloc[g.service]
    out = pd.DataFrame(
        {
            "service": g.service,
            "person_id": s["person_id"].to_numpy(np.int64),
            "k": g.k,
            "due": g.due,
            "days": g.days,
            "previous": g.previous,
            "year_end": g.year_end,
            "end": s["end"].to_numpy("datetime64[D]"),
            "full": s["full"].to_numpy(bool),
            "first_entry": s["first_entry"].to_numpy("datetime64[D]"),
        }
    )
    out["row"] = np.arange(len(out))
    return out
