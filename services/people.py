"""People entered by hand: add a person, or correct their names, pen name, visibility, email and country. Managers only.

A person's fields are checked by the people importer's own row parser (:func:`data.importers.kinds.people.parse`), so
the page says exactly what an import of the same values would say. Every name of the person becomes an alias (its
match key is what imports and the search find them by). A person's names are read by the findings and the credit
validator when they run, and by no rollup, so a change brings nothing else up to date (the data version still moves
on, see :mod:`data.engine`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data import audit
from data.errors import NotFound
from data.i18n import N_
from data.identity import Identity
from data.importers.errors import RowError
from data.importers.kinds.people import PERSON_FIELDS
from data.importers.kinds.people import parse as parse_person_row
from data.importers.rows import SourceRow
from data.names import ascii_romaji, person_key
from data.schema import Person, PersonAlias
from services.access import require
from services.errors import ValidationError

# Written in the form; the romaji without macrons is derived (as the demo and the importers keep it).
FORM_FIELDS = PERSON_FIELDS


class PersonRefused(ValidationError):
    """The values of a person cannot be stored: the people importer's message for the same value."""


def refused(exc: RowError) -> PersonRefused:
    """The importer's refusal ``exc`` as the service's error: its reason is the message, unchanged."""
    error = PersonRefused(exc.reason, fix={"page": N_("correct that value and save again")})
    error.column = exc.column
    return error


def _parsed(values: Mapping[str, Any]) -> dict[str, Any]:
    cells = {f: "" if values.get(f) is None else str(values.get(f)) for f in FORM_FIELDS}
    cells["aliases"] = "|".join(a for a in values.get("aliases") or () if a)
    try:
        parsed = parse_person_row(SourceRow(line=1, cells=cells, raw=""))
    except RowError as exc:
        raise refused(exc) from None
    if not person_key(parsed["display_name"]):
        raise refused(RowError("bad_name", N_("display_name has no letters"), column="display_name"))
    for part in ("family_romaji", "given_romaji"):
        parsed[f"{part}_ascii"] = ascii_romaji(parsed[part]) if parsed[part] else None
    return parsed


def _email_free(session: Session, email: str | None, person_id: int | None) -> None:
    if not email:
        return
    other = session.scalar(select(Person.id).where(Person.email == email, Person.id != (person_id or 0)))
    if other is not None:
        raise PersonRefused(
            N_("email {email} is already someone else's (person #{other})"),
            fix={"page": N_("check the email, or open that person instead of adding them again")},
            email=email,
            other=other,
        )


def _add_aliases(session: Session, person: Person, names: list[str]) -> list[str]:
    have = set(session.scalars(select(PersonAlias.text).where(PersonAlias.person_id == person.id)))
    added = []
    for n in names:
        if n and n[:200] not in have and person_key(n):
            kind = "pen_name" if n == person.pen_name else "real_name"
            session.add(
                PersonAlias(person_id=person.id, text=n[:200], kind=kind, match_key=person_key(n), source="manual")
            )
            have.add(n[:200])
            added.append(n[:200])
    return added


def _names(parsed: Mapping[str, Any]) -> list[str]:
    native = f"{parsed['family_name'] or ''}{parsed['given_name'] or ''}"
    return [parsed["display_name"], native, parsed["pen_name"] or "", *parsed["aliases"]]


def _stored(parsed: Mapping[str, Any]) -> dict[str, Any]:
    return {f: parsed[f] for f in (*FORM_FIELDS, "family_romaji_ascii", "given_romaji_ascii") if f in parsed}


def add_person(session: Session, actor: Identity | None, *, values: Mapping[str, Any]) -> Person:
    """A new person from ``values`` (the people import's columns: display_name required; family_name, given_name,
    family_kana, given_kana, family_romaji, given_romaji, pen_name, email, visibility, country; ``aliases`` a list of
    other credited spellings). Returns the flushed person."""
    actor = require(actor, "manager", to=N_("add people"))
    parsed = _parsed(values)
    _email_free(session, parsed["email"], None)
    person = Person(**_stored(parsed))
    session.add(person)
    session.flush()
    aliases = _add_aliases(session, person, _names(parsed))
    session.flush()
    audit.record(
        session,
        actor=actor.username,
        action="person.add",
        entity_type="person",
        entity_id=person.id,
        new={**{f: parsed[f] for f in FORM_FIELDS}, "aliases": aliases},
    )
    return person


def get_person(session: Session, person_id: int) -> Person:
    """The person ``person_id``; NotFound, with what to do on the page, when there is none."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(
            N_("there is no person #{person_id}"),
            fix={"page": N_("pick the person from the list")},
            person_id=person_id,
        )
    return person


def edit_person(session: Session, actor: Identity | None, *, person_id: int, values: Mapping[str, Any]) -> Person:
    """Correct ``person_id``'s fields to ``values`` (as :func:`add_person`; a field left out keeps its value, a blank
    one is cleared). Their earlier names stay aliases: credits and timesheets still carry them. Returns the person."""
    actor = require(actor, "manager", to=N_("edit people"))
    person = get_person(session, person_id)
    merged = {f: values[f] if f in values else getattr(person, f) for f in FORM_FIELDS}
    parsed = _parsed({**merged, "aliases": values.get("aliases") or ()})
    _email_free(session, parsed["email"], person.id)
    new = _stored(parsed)
    old = {f: getattr(person, f) for f in new if getattr(person, f) != new[f]}
    for f in old:
        setattr(person, f, new[f])
    session.flush()
    aliases = _add_aliases(session, person, _names(parsed))
    session.flush()
    if old or aliases:
        audit.record(
            session,
            actor=actor.username,
            action="person.edit",
            entity_type="person",
            entity_id=person.id,
            old=old,
            new={**{f: new[f] for f in old}, **({"aliases_added": aliases} if aliases else {})},
        )
    return person
