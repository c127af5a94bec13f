"""Editing the legal reference data from the Admin page: a minimum wage (a new revision, or a correction such as the
effective date once it is known), a dated rule parameter, an employer's week and variable days off. Managers only;
every change is audited with its old and new values.

Each value is checked as the import formats check it (:mod:`data.importers.kinds.minimum_wages`,
:mod:`data.importers.kinds.rule_parameters`), and the rollups that resolve it are refreshed in the same transaction:
the people working at a place whose rate changed, from the first day the change can touch; everyone, for a rule
parameter the rollups apply; the employer's people, for its week.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data import audit, rollup
from data.errors import NotFound
from data.identity import Identity
from data.importers.errors import RowError
from data.importers.kinds import minimum_wages as wages
from data.importers.kinds import rule_parameters as params
from data.law.params import WEEKDAYS
from data.schema import Employment, MinimumWage, Organization, RuleParameter
from services.access import require
from services.errors import ValidationError

FIELDS = ("effective_from", "rate_per_hour", "currency", "source", "checked_on")


def _refused(exc: RowError) -> ValidationError:
    return ValidationError("{column}: {problem}", column=exc.column or "value", problem=exc.reason)


def _plain(value: Any) -> Any:
    # The audit trail reads the same on both backends: 1090, not 1090.00 on one of them.
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def save_minimum_wage(
    session: Session,
    actor: Identity | None,
    *,
    jurisdiction: str,
    region: str,
    revision_year: int | None,
    effective_from: dt.date | None,
    rate_per_hour: Decimal | str,
    source: str,
    checked_on: dt.date | None = None,
) -> MinimumWage:
    """Add the minimum wage of a place and revision, or correct the stored one (same place and revision year); the
    flushed row. ``effective_from`` None: announced, date not known; ``checked_on`` None: today."""
    actor = require(actor, "manager", to="change the minimum-wage table")
    prep = wages.prepare(session)
    try:
        v = wages.values(
            jurisdiction=jurisdiction,
            region=wages.region_of(jurisdiction, region, prep),
            year=revision_year,
            effective_from=effective_from,
            rate_per_hour=wages.rate(str(rate_per_hour)),
            currency=None,
            source=(source or "").strip() or None,
            checked_on=checked_on,
            prep=prep,
        )
    except RowError as exc:
        raise _refused(exc) from None
    except KeyError:
        raise ValidationError("jurisdiction must be JP or US-CA, not {j!r}", j=jurisdiction) from None
    row = session.scalars(
        select(MinimumWage).where(
            MinimumWage.jurisdiction == v["jurisdiction"],
            MinimumWage.region == v["region"],
            MinimumWage.revision_year == v["revision_year"],
        )
    ).one_or_none()
    old = None if row is None else {f: _plain(getattr(row, f)) for f in FIELDS}
    before = None if row is None else row.effective_from
    if row is None:
        row = MinimumWage(**v)
        session.add(row)
    else:
        for f in FIELDS:
            setattr(row, f, v[f])
    session.flush()
    audit.record(
        session,
        actor=actor.username,
        action="reference.minimum_wage.save",
        entity_type="minimum_wage",
        entity_id=row.id,
        old=old,
        new={"jurisdiction": row.jurisdiction, "region": row.region, "revision_year": row.revision_year}
        | {f: _plain(getattr(row, f)) for f in FIELDS},
    )
    cycle = prep.cycles[row.jurisdiction].cycle(row.region)
    first = min(d for d in (cycle.start(row.revision_year), row.effective_from, before) if d is not None)
    _refresh_people(session, wages.people_at(session, [(row.jurisdiction, row.region)]), first)
    return row


def delete_minimum_wage(session: Session, actor: Identity | None, *, wage_id: int) -> None:
    """Delete a minimum-wage row entered in error (its values go into the audit trail)."""
    actor = require(actor, "manager", to="change the minimum-wage table")
    row = session.get(MinimumWage, wage_id)
    if row is None:
        raise NotFound("no minimum wage #{id}", id=wage_id)
    old = {"jurisdiction": row.jurisdiction, "region": row.region, "revision_year": row.revision_year}
    old |= {f: _plain(getattr(row, f)) for f in FIELDS}
    place, first = (row.jurisdiction, row.region), row.effective_from
    cycles = wages.prepare_cycles(session)
    start = cycles[row.jurisdiction].cycle(row.region).start(row.revision_year)
    session.delete(row)
    session.flush()
    audit.record(
        session,
        actor=actor.username,
        action="reference.minimum_wage.delete",
        entity_type="minimum_wage",
        entity_id=wage_id,
        old=old,
    )
    _refresh_people(session, wages.people_at(session, [place]), min(d for d in (start, first) if d is not None))


def save_rule_parameter(
    session: Session,
    actor: Identity | None,
    *,
    jurisdiction: str,
    key: str,
    effective_from: dt.date,
    value: str,
    source: str,
    checked_on: dt.date | None = None,
    statute: str | None = None,
) -> RuleParameter:
    """Add a rule parameter's value from a date, or correct the stored one of that date; the flushed row. ``value``
    is written as on the import (a number, text, or JSON for a list)."""
    actor = require(actor, "manager", to="change the rule parameters")
    try:
        v = params.values(
            jurisdiction=jurisdiction,
            key=key.strip(),
            effective_from=effective_from,
            raw_value=value,
            source=(source or "").strip() or None,
            checked_on=checked_on,
            statute=(statute or "").strip() or None,
            prep=params.prepare(session),
            help_text=f"entered on the Admin page by {actor.username}",
        )
    except RowError as exc:
        raise _refused(exc) from None
    row = session.scalars(
        select(RuleParameter).where(
            RuleParameter.jurisdiction == v["jurisdiction"],
            RuleParameter.key == v["key"],
            RuleParameter.effective_from == v["effective_from"],
        )
    ).one_or_none()
    stored = ("value", "statute", "source", "checked_on", "help")
    old = None if row is None else {f: _plain(getattr(row, f)) for f in stored}
    if row is None:
        row = RuleParameter(**v)
        session.add(row)
    else:
        for f in stored:
            setattr(row, f, v[f])
    session.flush()
    audit.record(
        session,
        actor=actor.username,
        action="reference.rule_parameter.save",
        entity_type="rule_parameter",
        entity_id=row.id,
        old=old,
        new={"jurisdiction": row.jurisdiction, "key": row.key, "effective_from": str(row.effective_from)}
        | {f: _plain(getattr(row, f)) for f in stored},
    )
    if row.key.startswith(params.ROLLUP_KEYS):
        rollup.refresh(session, start=row.effective_from)
    return row


def set_employer_week(
    session: Session,
    actor: Identity | None,
    *,
    organization_id: int,
    week_start: str | None,
    days_off_4w_from: dt.date | None,
) -> Organization:
    """Record the first day of an employer's week (None: the statutory default, Sunday) and whether it gives four
    days off in every four weeks counted from a day (LSA Art. 35(2); None: one day off a week); the organization."""
    actor = require(actor, "manager", to="change an employer's working week")
    org = session.get(Organization, organization_id)
    if org is None:
        raise NotFound("no organization #{id}", id=organization_id)
    start = None if not week_start else week_start.strip().upper()[:3]
    if start is not None and start not in WEEKDAYS:
        raise ValidationError(
            "the first day of the week must be one of {days}, not {given!r}", days=", ".join(WEEKDAYS), given=week_start
        )
    old = {"week_start": org.week_start, "days_off_4w_from": _plain(org.days_off_4w_from)}
    org.week_start, org.days_off_4w_from = start, days_off_4w_from
    session.flush()
    audit.record(
        session,
        actor=actor.username,
        action="reference.employer_week.save",
        entity_type="organization",
        entity_id=org.id,
        old=old,
        new={"week_start": start, "days_off_4w_from": _plain(days_off_4w_from)},
    )
    people = session.scalars(select(Employment.person_id).where(Employment.employer_id == org.id).distinct()).all()
    _refresh_people(session, list(people), None)
    return org


def _refresh_people(session: Session, people: list[int], first: dt.date | None) -> None:
    # The rollups resolve each day's rate and week when a day is refreshed: redo the days the change can touch.
    if people:
        rollup.refresh(session, person_ids=people, start=first)
