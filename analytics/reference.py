"""The legal reference data as the Admin and Pay pages show it, and how current it is.

A minimum-wage table is as good as its latest revision (:mod:`data.law.minimum_wage`). :func:`doubt_windows` finds,
for every place, the periods its rate cannot be trusted: ``uncertain`` (a later revision was announced without an
effective date, and its cycle has begun) or ``stale`` (a revision was due and is not in the table).
:func:`minimum_wage_staleness` counts the work judged in those periods, per place: the Pay page's banner and the
command line's warning (:func:`staleness_notes`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from analytics.access import ensure_role
from analytics.findings.text import money
from analytics.findings.wage_tables import DOUBT_COLUMNS, doubt_windows
from analytics.queries import findings as finding_queries
from analytics.queries import reference as q
from analytics.scope import Scope
from data.i18n import N_
from data.law.minimum_wage import STALE, STATUS_NAMES
from data.reference import reference_version

STALENESS_COLUMNS = [*DOUBT_COLUMNS, "person_days", "first_work", "last_work"]
PLACE_NAMES = {"state": N_("California (state)")}


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
