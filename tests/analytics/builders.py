"""Tiny hand-built studios for the analytics tests: one call per fact, so each test reads like its worked example."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.rollup import refresh
from data.schema import (
    AnnualLeave,
    Cut,
    Employment,
    Episode,
    LaborAgreement,
    Organization,
    PayItem,
    Person,
    Production,
    Role,
    WorkLog,
)


@dataclass(frozen=True)
class Contract:
    """The terms of an employment a test names (both builders take them): a regular JP employee in Tokyo from
    2024-01-01 unless told otherwise."""

    employment_type: str = "employee_regular"
    jurisdiction: str = "JP"
    prefecture: str | None = "Tokyo"
    city: str | None = None
    since: dt.date = dt.date(2024, 1, 1)
    department: str | None = None
    exempt: bool = False
    discretionary: str | None = None
    consent: dt.date | None = None
    guarantee: float | None = None
    until: dt.date | None = None
    monthly_hours: float | None = None
    daily_hours: float | None = None
    week_start: str | None = None
    days_off_from: dt.date | None = None

    @property
    def workplace_prefecture(self) -> str | None:
        """The prefecture, for a Japanese workplace only."""
        return self.prefecture if self.jurisdiction == "JP" else None


class Days:
    """What both builders derive from their ``work``: a run of days."""

    def work(self, person: Any, day: dt.date, hours: float, **kw: Any) -> Any:
        raise NotImplementedError

    def days(self, person: Any, first: dt.date, count: int, hours: float, **kw: Any) -> None:
        """``count`` consecutive days of ``hours`` from ``first`` (``kw``: as :meth:`work` takes)."""
        for i in range(count):
            self.work(person, first + dt.timedelta(days=i), hours, **kw)


class Studio(Days):
    """Builds people, work and pay in a test database and keeps the rollups current, as every writer must."""

    def __init__(
        self,
        session: Session,
        *,
        name: str = "Studio Test",
        employees: int | None = 50,
        week_start: str | None = None,
        days_off_from: dt.date | None = None,
    ) -> None:
        self.session = session
        self.org = Organization(name=name, kind="animation_studio", country="JP", employee_count=employees,
                                week_start=week_start, days_off_4w_from=days_off_from)  # fmt: skip
        session.add(self.org)
        session.flush()
        self._people: set[int] = set()

    def agreement(self, *, has_36: bool = True, special: bool = False, since: dt.date = dt.date(2024, 1, 1)) -> None:
        self.session.add(
            LaborAgreement(
                organization_id=self.org.id, has_36_agreement=has_36, special_clause=special, valid_from=since
            )
        )
        self.session.flush()

    def person(self, name: str, **contract: Any) -> Person:
        person = Person(display_name=name)
        self.session.add(person)
        self.session.flush()
        self.contract(person, **contract)
        return person

    def contract(self, person: Person, **terms: Any) -> None:
        """Another employment of ``person`` with this studio (the terms of :class:`Contract`)."""
        c = Contract(**terms)
        self.session.add(
            Employment(
                person_id=person.id,
                employer_id=self.org.id,
                employment_type=c.employment_type,
                jurisdiction=c.jurisdiction,
                prefecture=c.workplace_prefecture,
                city=c.city,
                start_date=c.since,
                end_date=c.until,
                scheduled_monthly_hours=c.monthly_hours,
                scheduled_daily_hours=c.daily_hours,
                week_start=c.week_start,
                days_off_4w_from=c.days_off_from,
                department=c.department,
                is_exempt=c.exempt,
                discretionary_work=c.discretionary,
                discretionary_consent_date=c.consent,
                piece_rate_guarantee_per_hour=None if c.guarantee is None else Decimal(str(c.guarantee)),
            )
        )
        self.session.flush()

    def production(self, title: str, *, episodes: int = 1, cuts: int = 0) -> Production:
        production = Production(title=title, kind="tv", studio_id=self.org.id)
        self.session.add(production)
        self.session.flush()
        for n in range(1, episodes + 1):
            episode = Episode(production_id=production.id, number=n, label=str(n))
            self.session.add(episode)
            self.session.flush()
            for c in range(1, cuts + 1):
                self.session.add(Cut(episode_id=episode.id, cut_number=str(c)))
        self.session.flush()
        return production

    def episode(self, production: Production, label: str = "1") -> Episode:
        return self.session.scalars(
            select(Episode).where(Episode.production_id == production.id, Episode.label == label)
        ).one()

    def cuts(self, episode: Episode) -> list[Cut]:
        return list(self.session.scalars(select(Cut).where(Cut.episode_id == episode.id).order_by(Cut.id)))

    def role(self, code: str) -> Role:
        return self.session.scalars(select(Role).where(Role.code == code)).one()

    def work(
        self,
        person: Person,
        day: dt.date,
        hours: float,
        *,
        holiday: bool = False,
        night_hours: float = 0.0,
        break_minutes: int = 60,
        break_seconds: int | None = None,
        production: Production | None = None,
        episode: Episode | None = None,
        cut: Cut | None = None,
        role: Role | None = None,
        units: float | None = None,
        ai: float = 0.0,
    ) -> WorkLog:
        row = WorkLog(
            person_id=person.id,
            work_date=day,
            seconds=round(hours * 3600),
            break_seconds=break_minutes * 60 if break_seconds is None else break_seconds,
            night_seconds=round(night_hours * 3600),
            is_statutory_holiday=holiday,
            production_id=production.id if production else None,
            episode_id=episode.id if episode else None,
            cut_id=cut.id if cut else None,
            role_id=role.id if role else None,
            units=units,
            ai_assisted_fraction=ai,
        )
        self.session.add(row)
        self._people.add(person.id)
        return row

    def pay(
        self,
        person: Person,
        amount: float | int | str,
        start: dt.date,
        end: dt.date,
        *,
        basis: str = "per_cut",
        currency: str = "JPY",
        production: Production | None = None,
        episode: Episode | None = None,
        cut: Cut | None = None,
        role: Role | None = None,
        **dates: dt.date | None,
    ) -> PayItem:
        item = PayItem(
            person_id=person.id,
            basis=basis,
            amount=Decimal(str(amount)),
            currency=currency,
            period_start=start,
            period_end=end,
            production_id=production.id if production else None,
            episode_id=episode.id if episode else None,
            cut_id=cut.id if cut else None,
            role_id=role.id if role else None,
            **dates,
        )
        self.session.add(item)
        self._people.add(person.id)
        return item

    def leave(self, person: Person, kind: str, day: dt.date, days: float) -> None:
        """A leave-ledger row: days granted or taken (the writer names the person for the findings snapshot)."""
        self.session.add(AnnualLeave(person_id=person.id, kind=kind, on_date=day, days=Decimal(str(days))))
        self._people.add(person.id)

    def commit(self) -> None:
        """Refresh the rollups for everyone touched, in the same transaction, then commit."""
        self.session.flush()
        refresh(self.session, person_ids=self._people or None)
        self.session.commit()
