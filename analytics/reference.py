"""The legal reference data as the Admin and Pay pages show it, and how current it is.

A minimum-wage table is as good as its latest revision (:mod:`data.law.minimum_wage`). :func:`doubt_windows` finds,
for every place, the periods its rate cannot be trusted: ``uncertain`` (a later revision was announced without an
effective date, and its cycle has begun) or ``stale`` (a revision was due and is not in the table).
:func:`minimum_wage_staleness` counts the work judged in those periods, per place: the Pay page's banner and the
command line's warning (:func:`staleness_notes`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from analytics.access import ensure_role
from analytics.findings.text import money
from analytics.queries import findings as finding_queries
from analytics.queries import reference as q
from analytics.scope import Scope
from data.i18n import N_
from data.law.minimum_wage import KNOWN, STALE, STATUS_NAMES, MinimumWageCycles, Rate, segments
from data.reference import reference_version

DOUBT_COLUMNS = ["jurisdiction", "region", "status", "first_date", "last_date", "rate", "currency", "used_from",
                 "used_revision", "announced_rate", "announced_revision", "expected"]  # fmt: skip
STALENESS_COLUMNS = [*DOUBT_COLUMNS, "person_days", "first_work", "last_work"]
PLACE_NAMES = {"state": N_("California (state)")}


def tables(wages: pd.DataFrame) -> dict[tuple[str, str], list[Rate]]:
    """The minimum-wage table (:func:`analytics.queries.reference.minimum_wages`) as each place's rates."""
    out: dict[tuple[str, str], list[Rate]] = {}
    for r in wages.itertuples(index=False):
        since = None if pd.isna(r.effective_from) else pd.Timestamp(r.effective_from).date()
        rate = Rate(int(r.revision_year), since, Decimal(str(r.rate_per_hour)), int(r.id) if pd.notna(r.id) else None)
        out.setdefault((r.jurisdiction, r.region), []).append(rate)
    return out


def doubt_windows(wages: pd.DataFrame, cycles: Mapping[str, MinimumWageCycles], until: dt.date) -> pd.DataFrame:
    """Per place, the periods up to ``until`` in which its rate is not known to be current (``DOUBT_COLUMNS``:
    ``status`` uncertain or stale, the days, the rate used (``rate``, ``used_from``, ``used_revision``), the
    revision announced without a date (uncertain) or the day a revision fell due (stale, ``expected``))."""
    currency = dict(zip(wages["jurisdiction"], wages["currency"], strict=False))
    rows: list[dict[str, Any]] = []
    for (jurisdiction, region), rates in tables(wages).items():
        cycle = cycles[jurisdiction].cycle(region)
        first = cycle.start(min(r.revision_year for r in rates))
        for since, until_day, found in segments([(rates, cycle)], first, until):
            if found is None or found.status == KNOWN or found.used is None:
                continue
            row = {
                "jurisdiction": jurisdiction,
                "region": region,
                "status": STATUS_NAMES[found.status],
                "first_date": since,
                "last_date": until_day,
                "rate": float(found.used.rate),
                "currency": currency.get(jurisdiction),
                "used_from": found.used.effective_from,
                "used_revision": found.used.revision_year,
                "announced_rate": None if found.announced is None else float(found.announced.rate),
                "announced_revision": None if found.announced is None else found.announced.revision_year,
                "expected": found.expected,
            }
            same = rows and all(rows[-1][k] == row[k] for k in DOUBT_COLUMNS if k not in ("first_date", "last_date"))
            if same and rows[-1]["last_date"] + dt.timedelta(days=1) == since:
                rows[-1]["last_date"] = until_day
            else:
                rows.append(row)
    return pd.DataFrame(rows, columns=DOUBT_COLUMNS)


def affected_work(windows: pd.DataFrame, days: pd.DataFrame) -> pd.DataFrame:
    """The windows in which work was judged (``days``: :func:`analytics.queries.reference.days_by_workplace`), with
    ``person_days``, ``first_work`` and ``last_work`` (``STALENESS_COLUMNS``); the state's windows count every
    Californian workplace, a city's its own, a prefecture's its own."""
    out = []
    for w in windows.to_dict("records"):
        at = days["jurisdiction"] == w["jurisdiction"]
        if w["jurisdiction"] == "JP":
            at &= days["prefecture"] == w["region"]
        elif w["region"] != "state":
            at &= days["city"] == w["region"]
        dates = days["work_date"].dt.date
        inside = days[at & (dates >= w["first_date"]) & (dates <= w["last_date"])]
        if inside.empty:
            continue
        out.append(w | {"person_days": int(inside["person_days"].sum()), "first_work": inside["work_date"].min().date(),
                        "last_work": inside["work_date"].max().date()})  # fmt: skip
    return pd.DataFrame(out, columns=STALENESS_COLUMNS)


def minimum_wage_staleness(session: Session, *, scope: Scope, today: dt.date | None = None) -> pd.DataFrame:
    """The places whose minimum wage judged work of the people in scope while it was uncertain or stale, up to
    ``today`` (default: today): ``STALENESS_COLUMNS``, stale first."""
    law = finding_queries.parameters(session)
    cycles = {"JP": law.jp_mw_cycles, "US-CA": law.ca_mw_cycles}
    windows = doubt_windows(q.minimum_wages(session), cycles, today or dt.date.today())
    if windows.empty:
        return pd.DataFrame(columns=STALENESS_COLUMNS)
    days = q.days_by_workplace(session, scope=scope, since=min(windows["first_date"]))
    found = affected_work(windows, days)
    order = found["status"].map({STATUS_NAMES[STALE]: 0}).fillna(1)
    return found.assign(_o=order).sort_values(["_o", "jurisdiction", "region", "first_date"]).drop(columns="_o")


def place_label(jurisdiction: str, region: str) -> dict[str, Any]:
    """A place as a sentence names it (``Tokyo``, ``Los Angeles``, ``California (state)``)."""
    if region in PLACE_NAMES:
        return {"msg": PLACE_NAMES[region], "params": {}}
    return {"msg": "{name}", "params": {"name": region}}


STALE_BANNER = N_(
    "{place}: the latest minimum wage on record is {rate} from {since} (revision {revision}); a new one was due "
    "from {expected} and is not in the table. {days} person-days worked from {first} to {last} were judged against "
    "it and may be judged against an out-of-date rate."
)
UNCERTAIN_BANNER = N_(
    "{place}: revision {revision} of {announced} was announced without an effective date; {days} person-days "
    "worked from {first} to {last} were judged against {rate} (from {since}), which it may already have replaced."
)


def staleness_notes(found: pd.DataFrame) -> list[tuple[str, dict[str, Any]]]:
    """One (template, parameters) per row of :func:`minimum_wage_staleness`, for the page's banner and the command
    line (render with :func:`analytics.findings.text.render`)."""
    notes = []
    for r in found.to_dict("records"):
        common = {
            "place": place_label(r["jurisdiction"], r["region"]),
            "rate": money(r["rate"], r["currency"], per_hour=True),
            "since": str(r["used_from"]),
            "days": int(r["person_days"]),
            "first": str(r["first_work"]),
            "last": str(r["last_work"]),
        }
        if r["status"] == STATUS_NAMES[STALE]:
            notes.append((STALE_BANNER, common | {"revision": int(r["used_revision"]), "expected": str(r["expected"])}))
        else:
            announced = money(r["announced_rate"], r["currency"], per_hour=True)
            notes.append(
                (UNCERTAIN_BANNER, common | {"revision": int(r["announced_revision"]), "announced": announced})
            )
    return notes


@dataclass(frozen=True)
class ReferenceView:
    """The Admin page's reference data. ``version``: :func:`data.reference.reference_version`; ``minimum_wages``:
    :func:`analytics.queries.reference.minimum_wages` (``effective_from`` NaT: announced, date not known);
    ``parameters``: :func:`analytics.queries.reference.dated_parameters`; ``employers``:
    :func:`analytics.queries.reference.employer_weeks`; ``staleness``: :func:`minimum_wage_staleness`, studio-wide."""

    version: str
    minimum_wages: pd.DataFrame
    parameters: pd.DataFrame
    employers: pd.DataFrame
    staleness: pd.DataFrame


def reference_view(session: Session, *, scope: Scope) -> ReferenceView:
    """Everything the Admin page's reference-data section shows (managers only)."""
    ensure_role(scope.viewer, "manager")
    return ReferenceView(
        version=reference_version(session),
        minimum_wages=q.minimum_wages(session),
        parameters=q.dated_parameters(session),
        employers=q.employer_weeks(session),
        staleness=minimum_wage_staleness(session, scope=Scope(viewer=scope.viewer)),
    )
