"""People entered by hand: add a person, or correct their names, pen name, visibility, email and country. Managers only.

A person's fields are checked by the people importer's own row parser (:func:`data.importers.kinds.people.parse`), so
the page says exactly what an import of the same values would say. Every name of the person becomes an alias (its
match key is what imports and the search find them by). A person's names are read by the findings and the credit
validator when they run, and by no rollup, so a change brings nothing else up to date (the data version still moves
on, see :mod:`data.engine`).

Two records of the same person are made one by :func:`merge_people`: every row that refers to the merged record
moves to the kept one, found from the schema (:func:`analytics.queries.references.person_columns`), so a table added
later moves too. A row that cannot move because the kept record already has its twin (a unique key: the same alias
text, the same credit claimed twice, the same own-log period shared twice, a contract identical to one of the kept
record's) is dropped after whatever pointed at it is
pointed at the twin (a credit line at the kept record's alias of the same text). The rollups are not moved but
recomputed for both records in the same transaction (:func:`data.rollup.refresh`), as an import does; the merged
record's names stay as aliases of the kept one, so imports and searches still find them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, PrimaryKeyConstraint, Table, UniqueConstraint, and_, delete, select, update
from sqlalchemy.orm import Session

from analytics.queries.references import PersonColumn, person_columns
from data import audit, rollup
from data.errors import NotFound
from data.i18n import N_
from data.identity import Identity
from data.importers.errors import RowError
from data.importers.kinds.people import PERSON_FIELDS
from data.importers.kinds.people import parse as parse_person_row
from data.importers.rows import SourceRow
from data.names import ascii_romaji, person_key
from data.schema import Base, Person, PersonAlias
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


# ---------------------------------------------------------------------------------------------------------------
# Two records of one person made one

# Tables whose rows are facts about the person rather than events: one identical in every column to a row of the kept
# record is the same fact recorded twice (a contract entered under both records), not a second one.
SAME_WHEN_IDENTICAL = frozenset({"employment"})
# Filled on the kept record from the merged one where the kept record has none.
FILLED = (*FORM_FIELDS, "family_romaji_ascii", "given_romaji_ascii")


@dataclass(frozen=True)
class MergeResult:
    """What a merge did: the kept record (``keep_id``, ``kept_name``), the merged one's name (``merged_name``), rows
    ``moved`` and twins ``dropped`` per table (:attr:`PersonColumn.name`), and the names that became aliases."""

    keep_id: int
    kept_name: str
    merged_name: str
    moved: dict[str, int]
    dropped: dict[str, int]
    aliases_added: tuple[str, ...]


def _unique_sets(ref: PersonColumn) -> list[tuple[list[Column], bool]]:
    """The other columns of each unique key of ``ref``'s table that includes its person column, and whether two
    blanks are the same (False for a unique key: the database lets two NULLs be)."""
    sets = []
    for constraint in ref.table.constraints:
        if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint) and ref.column.name in constraint.columns:
            sets.append(([c for c in constraint.columns if c.name != ref.column.name], False))
    if ref.column.unique:
        sets.append(([], False))
    if ref.table.name in SAME_WHEN_IDENTICAL:
        keys = {c.name for c in ref.table.primary_key.columns} | {ref.column.name}
        sets.append(([c for c in ref.table.columns if c.name not in keys], True))
    return sets


def _referrers(table: Table) -> list[tuple[Column, Column]]:
    """(referring column, referred column of ``table``) of every foreign key into ``table``."""
    return [
        (fk.parent, fk.column)
        for other in Base.metadata.sorted_tables
        for fk in other.foreign_keys
        if fk.column.table is table
    ]


def _drop_twins(session: Session, ref: PersonColumn, *, keep_id: int, merge_id: int) -> int:
    """Drop the merged record's rows of ``ref`` that the kept record already has (by a unique key), after pointing
    whatever refers to each at its twin. Returns how many were dropped."""
    t, c = ref.table, ref.column
    dropped = 0
    for others, blanks_alike in _unique_sets(ref):
        mine, theirs = t.alias("mine"), t.alias("theirs")
        same = [
            theirs.c[o.name].is_not_distinct_from(mine.c[o.name])
            if blanks_alike
            else theirs.c[o.name] == mine.c[o.name]
            for o in others
        ]
        twin = and_(theirs.c[c.name] == keep_id, *same)
        pairs = session.execute(
            select(mine, theirs).select_from(mine.join(theirs, twin)).where(mine.c[c.name] == merge_id)
        ).all()
        width = len(t.columns)
        for row in pairs:
            gone, kept = (
                dict(zip(t.columns.keys(), row[:width], strict=True)),
                dict(zip(t.columns.keys(), row[width:], strict=True)),
            )
            for referring, referred in _referrers(t):
                session.execute(
                    update(referring.table)
                    .where(referring == gone[referred.name])
                    .values({referring.name: kept[referred.name]})
                )
            key = [col == gone[col.name] for col in t.primary_key.columns] or [
                col == gone[col.name] for col in t.columns
            ]
            dropped += session.execute(delete(t).where(*key)).rowcount or 0
    return dropped


def _merged_names(merged: Person) -> list[tuple[str, str]]:
    native = f"{merged.family_name or ''}{merged.given_name or ''}"
    names = [(merged.display_name, "real_name"), (native, "real_name"), (merged.pen_name or "", "pen_name")]
    return [(n[:200], kind) for n, kind in names if n and person_key(n)]


def _keep_names(session: Session, keep: Person, names: list[tuple[str, str]]) -> list[str]:
    have = set(session.scalars(select(PersonAlias.text).where(PersonAlias.person_id == keep.id)))
    added = []
    for text, kind in names:
        if text not in have:
            session.add(
                PersonAlias(person_id=keep.id, text=text, kind=kind, match_key=person_key(text), source="merge")
            )
            have.add(text)
            added.append(text)
    return added


def _fill_blanks(session: Session, keep: Person, merged: Person) -> tuple[dict[str, Any], dict[str, Any]]:
    """The kept record's blank fields filled from the merged one's; (old, new) of those filled."""
    filled = {f: getattr(merged, f) for f in FILLED if not getattr(keep, f) and getattr(merged, f)}
    if "email" in filled:  # unique: the merged record lets go of it first
        merged.email = None
        session.flush()
    for f, value in filled.items():
        setattr(keep, f, value)
    session.flush()
    return {f: None for f in filled}, filled


def merge_people(session: Session, actor: Identity | None, *, keep_id: int, merge_id: int) -> MergeResult:
    """Make ``merge_id`` part of ``keep_id``: every row referring to the merged record moves to the kept one (its
    twins dropped, see the module docstring), the kept record's blank fields are filled from the merged one's, the
    merged record's names become aliases of the kept one, the rollups of both are recomputed, and the merged record
    is deleted. One audit event lists what moved, per table. Returns the :class:`MergeResult`."""
    actor = require(actor, "manager", to=N_("merge people"))
    if int(keep_id) == int(merge_id):
        raise PersonRefused(
            N_("a record cannot be merged into itself"), fix={"page": N_("choose the other record of the person")}
        )
    keep, merged = get_person(session, int(keep_id)), get_person(session, int(merge_id))
    merged_name, names = merged.display_name, _merged_names(merged)
    old, new = _fill_blanks(session, keep, merged)
    moved: dict[str, int] = {}
    dropped: dict[str, int] = {}
    for ref in person_columns():
        if ref.derived:
            continue
        if gone := _drop_twins(session, ref, keep_id=keep.id, merge_id=merged.id):
            dropped[ref.name] = gone
        n = session.execute(update(ref.table).where(ref.column == merged.id).values({ref.column.name: keep.id}))
        if n.rowcount:
            moved[ref.name] = n.rowcount
    session.expire_all()
    added = _keep_names(session, keep, names)
    session.flush()
    rollup.refresh(session, person_ids=[keep.id, merged.id])
    session.execute(delete(Person).where(Person.id == merged.id))
    session.expunge(merged)
    audit.record(
        session,
        actor=actor.username,
        action="person.merge",
        entity_type="person",
        entity_id=keep.id,
        old={"merged_person_id": merged.id, "merged_display_name": merged_name, **old},
        new={"moved": moved, "duplicates_dropped": dropped, "aliases_added": added, **new},
    )
    return MergeResult(keep.id, keep.display_name, merged_name, moved, dropped, tuple(added))
