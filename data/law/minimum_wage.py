"""Minimum-wage tables as the law keeps them: a rate per place and revision, and how sure a day's rate is.

Minimum wages are revised on a cycle: every Japanese prefecture once a fiscal year, in force from October (最低賃金法
Art. 12; the dates fall between 1 October and the next spring); California's state rate every 1 January, the cities'
every 1 July (the day each cycle turns is a rule parameter, ``minimum_wage_revision.*``). A table of rates is
therefore only as good as its latest revision. For a work day, :func:`resolve` returns the rate in force by the table
and whether it can be trusted:

* ``KNOWN`` — the table holds the revision in force that day;
* ``UNCERTAIN`` — a later revision was announced without an effective date and its cycle has begun: the rate in force
  may already be the announced one. The earlier rate is still the one used (the table does not know it to be
  superseded), and a rate between the two cannot be judged;
* ``STALE`` — the day falls in a cycle the table has no revision for: the place has almost certainly been revised
  since, and the rate used is probably out of date;
* ``MISSING`` — the place has rates, but none in force that day (the day is before the first).

A rate the table knows to be superseded — a later revision with an effective date on or before the day — is never
used: :func:`resolve` takes the latest revision in force.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from data.law.params import ParameterError, value

KNOWN, UNCERTAIN, STALE, MISSING = 0, 1, 2, 3
STATUS_NAMES = {KNOWN: "known", UNCERTAIN: "uncertain", STALE: "stale", MISSING: "missing"}
# How a US-CA minimum-wage row names the state's own rate; any other region is a city or county.
STATE = "state"


@dataclass(frozen=True)
class RevisionCycle:
    """The day of the year a place's revision cycle turns (``month``, ``day``): a revision belongs to the cycle of
    the latest such day on or before its effective date, and a new one is due at the next."""

    month: int
    day: int

    @classmethod
    def parse(cls, text: str, key: str = "minimum_wage_revision") -> RevisionCycle:
        """``"10-01"`` → 1 October."""
        try:
            month, day = (int(part) for part in str(text).split("-"))
            dt.date(2000, month, day)
        except ValueError:
            raise ParameterError("{key} is {text!r}, not a month and day (MM-DD)", key=key, text=text) from None
        return cls(month, day)

    def start(self, year: int) -> dt.date:
        """The day the cycle of ``year`` turns."""
        return dt.date(year, self.month, self.day)

    def year_of(self, day: dt.date) -> int:
        """The cycle ``day`` falls in (a JP fiscal-year revision of 2026-03-31 belongs to 2025)."""
        return day.year if (day.month, day.day) >= (self.month, self.day) else day.year - 1

    @property
    def label(self) -> str:
        """``MM-DD``."""
        return f"{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class MinimumWageCycles:
    """The revision cycles of one jurisdiction's places: JP prefectures; US-CA the state and its cities."""

    jurisdiction: str
    cycles: Mapping[str, RevisionCycle]

    @classmethod
    def from_values(cls, values: Mapping[str, Any], jurisdiction: str) -> MinimumWageCycles:
        prefix = "minimum_wage_revision."
        cycles = {k[len(prefix) :]: RevisionCycle.parse(v, k) for k, v in values.items() if k.startswith(prefix)}
        if not cycles:
            value(values, f"{prefix}{'prefecture' if jurisdiction == 'JP' else STATE}")  # raises, naming the key
        return cls(jurisdiction, cycles)

    def kind_of(self, region: str) -> str:
        """Which cycle a place follows: ``prefecture`` (JP), ``state`` or ``city`` (US-CA)."""
        if self.jurisdiction == "JP":
            return "prefecture"
        return STATE if region == STATE else "city"

    def cycle(self, region: str) -> RevisionCycle:
        kind = self.kind_of(region)
        try:
            return self.cycles[kind]
        except KeyError:
            raise ParameterError(
                "the rule parameter {key!r} is missing",
                fix="add it to data/seed/jurisdictions.json (or a rule_parameter row) and restart",
                key=f"minimum_wage_revision.{kind}",
            ) from None


@dataclass(frozen=True)
class Rate:
    """One row of a place's table: its ``revision_year`` (the cycle it belongs to), ``effective_from`` (None:
    announced, date unknown), ``rate`` per hour, and the row's ``id`` (None for rates not stored)."""

    revision_year: int
    effective_from: dt.date | None
    rate: Decimal
    id: int | None = None


@dataclass(frozen=True)
class Resolved:
    """A day's rate at one place: ``used`` (None: no rate in force), ``status``, ``announced`` (UNCERTAIN: the
    revision that may already apply), ``expected`` (STALE: the day the missing revision's cycle turned)."""

    used: Rate | None
    status: int
    announced: Rate | None = None
    expected: dt.date | None = None

    @property
    def rate(self) -> Decimal | None:
        return None if self.used is None else self.used.rate


def resolve(rates: Sequence[Rate], cycle: RevisionCycle, day: dt.date) -> Resolved:
    """The rate in force at a place on ``day`` by its table ``rates`` (any order), and how sure it is (see the
    module)."""
    dated = [r for r in rates if r.effective_from is not None]
    in_force = [r for r in dated if r.effective_from <= day]  # type: ignore[operator]
    used = max(in_force, key=lambda r: (r.effective_from, r.revision_year)) if in_force else None
    if used is None:
        return Resolved(None, MISSING if rates else KNOWN)
    later = [r for r in rates if r.revision_year > used.revision_year]
    begun = [r for r in later if r.effective_from is None and cycle.start(r.revision_year) <= day]
    if begun:
        return Resolved(used, UNCERTAIN, announced=max(begun, key=lambda r: r.revision_year))
    expected = cycle.start(used.revision_year + 1)
    if day >= expected and not any(r.revision_year == used.revision_year + 1 for r in later):
        return Resolved(used, STALE, expected=expected)
    return Resolved(used, KNOWN)


def highest(resolved: Sequence[Resolved]) -> Resolved | None:
    """Of the timelines that apply at one workplace (California: the state's and the city's), the one whose rate
    governs — the highest — with the worst status of them all (a stale state rate may since have passed the city's).
    None when none has a rate."""
    rated = [r for r in resolved if r.used is not None]
    if not rated:
        return None
    best = max(rated, key=lambda r: r.used.rate)  # type: ignore[union-attr]
    worst = max(r.status for r in resolved)
    if worst == best.status:
        return best
    other = next(r for r in resolved if r.status == worst)
    return Resolved(best.used, worst, announced=other.announced, expected=other.expected)


Table = tuple[Sequence[Rate], RevisionCycle]


def turns(rates: Sequence[Rate], cycle: RevisionCycle) -> set[dt.date]:
    """The days a place's resolution can change on: an effective date, the start of the cycle an announced rate
    belongs to, the day each revision's next one falls due."""
    days = {r.effective_from for r in rates if r.effective_from is not None}
    days |= {cycle.start(r.revision_year) for r in rates if r.effective_from is None}
    days |= {cycle.start(r.revision_year + 1) for r in rates}
    return days


def segments(tables: Sequence[Table], first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date, Resolved | None]]:
    """``first``..``last`` cut where the governing rate of a workplace, or how sure it is, changes: ``(from, to,
    resolved)``, ``resolved`` being :func:`highest` of the workplace's tables (its prefecture's; California's state
    and city), None where none has a rate."""
    if first > last:
        return []
    cut = set().union(*(turns(rates, cycle) for rates, cycle in tables)) if tables else set()
    cuts = sorted({first} | {day for day in cut if first < day <= last})
    out = []
    for i, since in enumerate(cuts):
        until = cuts[i + 1] - dt.timedelta(days=1) if i + 1 < len(cuts) else last
        out.append((since, until, highest([resolve(rates, cycle, since) for rates, cycle in tables])))
    return out
