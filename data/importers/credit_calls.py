"""What the database says about credited names, read once per import (a credit format's ``prepare``), and the
person-or-organization decider of one import: the managers' calls, the names of the studio's people, the
organizations already known. Reading a file without a database uses none of it (see
:mod:`data.credits.organizations`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.credits.organizations import EntityDecider
from data.names import person_key
from data.schema import EntityCall, OrgAlias, Person, PersonAlias


@dataclass(frozen=True)
class Evidence:
    """What the database says about credited names, read once per import (``Format.prepare``): the managers' calls
    (by entity key), the keys of its people's names, and the keys of its organization aliases."""

    overrides: dict[str, bool]
    person_keys: frozenset[str]
    known_orgs: frozenset[str]


def people_keys(session: Session) -> frozenset[str]:
    """The match keys of the database's people: display names, pen names and linked aliases."""
    keys = set()
    for display, pen in session.execute(select(Person.display_name, Person.pen_name)):
        keys.update(person_key(t) for t in (display, pen) if t)
    keys.update(k for (k,) in session.execute(select(PersonAlias.match_key).where(PersonAlias.person_id.is_not(None))))
    return frozenset(keys)


def prepare(session: Session) -> Evidence:
    """The database's evidence on credited names, for :func:`decider` (a format's ``prepare``)."""
    overrides = {k: bool(v) for k, v in session.execute(select(EntityCall.match_key, EntityCall.is_organization))}
    known = frozenset(k for (k,) in session.execute(select(OrgAlias.match_key).distinct()))
    return Evidence(overrides, people_keys(session), known)


def decider(evidence: Evidence | None) -> EntityDecider:
    """The person-or-organization decider of one import (or, without evidence, of a file read alone)."""
    if evidence is None:
        return EntityDecider()
    return EntityDecider(overrides=evidence.overrides, person_keys=evidence.person_keys, known_orgs=evidence.known_orgs)
