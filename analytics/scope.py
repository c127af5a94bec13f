"""The one filter, :class:`Scope`: which slice of the studio a view, a query or a finding covers, and who is looking.

The sidebar (or a command line's flags) builds it; views pass it unchanged to the query functions; only
:mod:`analytics.queries.base` turns it into SQL. This module holds no SQL, so any layer may build a Scope.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from analytics.errors import AnalyticsError, PeriodReversed
from data.i18n import N_
from data.identity import Identity

__all__ = ["AnalyticsError", "Scope", "check_range"]


@dataclass(frozen=True)
class Scope:
    """Which slice of the studio is in view, and who is looking.

    Empty ``productions``/``departments`` and ``people=None`` mean no such filter; several productions or
    departments mean any of them. ``start``/``end`` are inclusive days (None: open); tables kept per month select the
    whole months the period touches. ``viewer`` is who asked: views that depend on the role only are computed with
    :meth:`for_role` so everyone with that role shares one cached result.

    What each part selects, everywhere: figures read from rows that name a production or a role (hours, pay, AI use,
    cost) keep the rows of those productions and of roles in those departments; figures measured per person (weekly
    hours, overtime, effective pay, findings) keep the people who worked on those productions or in those
    departments in the months of the period (:meth:`selects_people`), with all of their hours, because the law
    measures a person, not a production.
    """

    productions: tuple[int, ...] = ()
    departments: tuple[str, ...] = ()
    people: tuple[int, ...] | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    viewer: Identity | None = None

    def __post_init__(self) -> None:
        # Canonical order, so two scopes that select the same records are equal (and share a cache entry).
        object.__setattr__(self, "productions", tuple(sorted({int(p) for p in self.productions})))
        object.__setattr__(self, "departments", tuple(sorted({str(d) for d in self.departments})))
        if self.people is not None:
            object.__setattr__(self, "people", tuple(sorted({int(p) for p in self.people})))
        check_range(self.start, self.end)

    @property
    def selects_people(self) -> bool:
        """True when productions, departments or people narrow who is in view (not only the period)."""
        return bool(self.productions or self.departments or self.people is not None)

    @property
    def selects_rows(self) -> bool:
        """True when productions or departments narrow which work and pay rows count."""
        return bool(self.productions or self.departments)

    @property
    def first_month(self) -> dt.date | None:
        """The first day of the month ``start`` falls in: where month-grained tables begin to count."""
        return None if self.start is None else self.start.replace(day=1)

    @property
    def person(self) -> int:
        """The one person in view (an artist's own record); AnalyticsError unless exactly one is selected."""
        if self.people is None or len(self.people) != 1:
            raise AnalyticsError(
                N_("this view is about one person, but the scope selects {n}"),
                fix={
                    "cli": N_("pass one person"),
                    "page": N_("ask a manager to link your account to your person record"),
                },
                n="everyone" if self.people is None else len(self.people),
            )
        return self.people[0]

    @property
    def production(self) -> int:
        """The one production in view (a credit roll); AnalyticsError unless exactly one is selected."""
        if len(self.productions) != 1:
            raise AnalyticsError(
                N_("this view is about one production, but the scope selects {n}"),
                fix={"cli": N_("pass one production"), "page": N_("choose one production")},
                n=len(self.productions) or "all of them",
            )
        return self.productions[0]

    def replace(self, **changes: Any) -> Scope:
        """A copy with ``changes`` (field names as keywords), canonical again."""
        return dataclasses.replace(self, **changes)

    def for_role(self) -> Scope:
        """The same scope with the viewer reduced to its role (see the class docstring)."""
        if self.viewer is None:
            return self
        v = self.viewer
        return self.replace(viewer=Identity(username=f"<{v.role}>", role=v.role, person_id=v.person_id))

    def studio_wide(self) -> Scope:
        """The same period and viewer without productions, departments or people: what a studio-wide figure beside
        a filtered one reads (findings are evaluated over everyone, then selected)."""
        return self.replace(productions=(), departments=(), people=None)

    def narrowed_to(self, people: Iterable[int]) -> Scope:
        """The scope with only ``people`` in view, intersected with the people it already selects."""
        wanted = {int(p) for p in people}
        return self.replace(people=wanted if self.people is None else wanted.intersection(self.people))


def check_range(start: dt.date | None, end: dt.date | None) -> None:
    """PeriodReversed when ``start`` comes after ``end``."""
    if start is not None and end is not None and start > end:
        raise PeriodReversed(start, end)
