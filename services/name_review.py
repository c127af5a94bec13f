"""Settling the names imports could not match (:mod:`analytics.name_review`): each is an existing person (found by any
spelling), a new person, or not ours. Managers only; every decision is audited and made in the caller's transaction.

A timesheet's name: its open reviews (every import that queued the same name and email) are closed with the person;
the name becomes that person's spelling (an alias) and :mod:`data.importers.matching` follows a resolved review, so
importing the file again brings in the rows it refused (the rows it imported stay as they were: the keyed import
leaves them unchanged). The import keeps a refused row's cells joined without their header, which is not enough to
bring it in from the database alone, so the result names the files to import again. "Not ours" dismisses the reviews;
the rows stay refused.

A public credit's name: each of its unconfirmed lines is confirmed as the person's
(:func:`services.credit_review.confirm_credit`; the other people the name matched are rejected for it), or, not
ours, every match is rejected (:func:`services.credit_review.reject_credit`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.queries.credit_review import suggestion_rows
from analytics.queries.name_review import refused_rows
from data import audit
from data.i18n import N_
from data.identity import Identity
from data.names import is_placeholder_name, person_key
from data.schema import ImportBatch, Person, PersonAlias, PersonMatchReview
from services.access import require
from services.credit_review import confirm_credit, reject_credit
from services.errors import ValidationError
from services.people import add_person, get_person

DECISIONS = ("person", "new_person", "not_ours")


class NameReviewError(ValidationError):
    """A name cannot be settled as asked; the message says why and what to do."""


@dataclass(frozen=True)
class NameResolution:
    """What settling ``name`` did: the ``decision``, the person it now is (``person_id`` and ``person_name``; None
    when not ours), ``rows`` (the rows its imports refused, or its public credit lines) and ``files``, the timesheet
    files to import again to bring those rows in (empty when nothing is to be imported again)."""

    item: str
    name: str
    decision: str
    person_id: int | None
    person_name: str | None
    rows: int
    files: tuple[str, ...]


def _settled(item: str) -> NameReviewError:
    return NameReviewError(
        N_("{item} is no longer waiting for review: it was settled, or its import was removed"),
        fix={"page": N_("choose a name from the list")},
        item=item,
    )


def _person(session: Session, actor: Identity, name: str, decision: str, person_id: int | None,
            values: Mapping[str, Any] | None) -> Person | None:  # fmt: skip
    if decision not in DECISIONS:
        raise NameReviewError(N_("{decision} is not a way to settle a name"), decision=decision)
    if decision == "not_ours":
        return None
    if decision == "new_person":
        return add_person(session, actor, values=values or {"display_name": name})
    if person_id is None:
        raise NameReviewError(N_("say who {name} is"), fix={"page": N_("choose the person, or add a new one")},
                              name=name)  # fmt: skip
    return get_person(session, person_id)


def resolve_name(
    session: Session,
    actor: Identity | None,
    *,
    item: str,
    decision: str,
    person_id: int | None = None,
    values: Mapping[str, Any] | None = None,
) -> NameResolution:
    """Settle the queue's ``item`` (:func:`analytics.name_review.timesheet_item` or ``credit_item``) by
    ``decision``: ``person`` (``person_id``), ``new_person`` (``values``: the people import's columns, default the
    name as written) or ``not_ours``. Returns what was done."""
    actor = require(actor, "manager", to=N_("settle the names to review"))
    source, _, key = item.partition(":")
    if source == "timesheet" and key.isdigit():
        return _timesheet(session, actor, item, int(key), decision, person_id, values)
    if source == "credit" and key:
        return _credit(session, actor, item, key, decision, person_id, values)
    raise _settled(item)


def _timesheet(session: Session, actor: Identity, item: str, review_id: int, decision: str, person_id: int | None,
               values: Mapping[str, Any] | None) -> NameResolution:  # fmt: skip
    first = session.get(PersonMatchReview, review_id)
    if first is None or first.status != "open":
        raise _settled(item)
    name, email = first.name, first.email
    if decision != "not_ours" and is_placeholder_name(name):
        raise NameReviewError(N_("{name!r} is a placeholder, not a person's name"),
                              fix={"page": N_("settle it as not ours")}, name=name)  # fmt: skip
    person = _person(session, actor, name, decision, person_id, values)
    key = person_key(name) or name
    reviews = [r for r in session.scalars(select(PersonMatchReview).where(PersonMatchReview.status == "open"))
               if (person_key(r.name) or r.name) == key and (r.email or None) == (email or None)]  # fmt: skip
    status = "dismissed" if person is None else "resolved"
    for review in reviews:
        review.status = status
        review.resolved_person_id = None if person is None else person.id
    if person is not None and person_key(name):
        known = session.scalar(select(PersonAlias.id).where(PersonAlias.person_id == person.id,
                                                            PersonAlias.match_key == person_key(name)))  # fmt: skip
        if known is None and person_key(person.display_name) != person_key(name):
            session.add(PersonAlias(person_id=person.id, text=name[:200], kind="variant_spelling",
                                    match_key=person_key(name), source="name_review"))  # fmt: skip
    session.flush()
    batches = sorted({r.batch_id for r in reviews if r.batch_id is not None})
    rows = refused_rows(session, batch_ids=batches, texts=[t for t in (name, email) if t])
    files = tuple(sorted({f for f in session.scalars(select(ImportBatch.filename).where(ImportBatch.id.in_(batches)))}))
    for review in reviews:
        audit.record(session, actor=actor.username, action="name_review." + ("dismiss" if person is None else "resolve"),
                     entity_type="person_match_review", entity_id=review.id, old={"status": "open"},
                     new={"status": status, "name": name, "person_id": review.resolved_person_id})  # fmt: skip
    return NameResolution(item, name, decision, person and person.id, person and person.display_name, rows,
                          files if person is not None and rows else ())  # fmt: skip


def _credit(session: Session, actor: Identity, item: str, name: str, decision: str, person_id: int | None,
            values: Mapping[str, Any] | None) -> NameResolution:  # fmt: skip
    pairs = [(int(r["credit_line_id"]), int(r["person_id"])) for r in suggestion_rows(session)
             if r["name_as_credited"] == name]  # fmt: skip
    if not pairs:
        raise _settled(item)
    person = _person(session, actor, name, decision, person_id, values)
    lines = sorted({line for line, _ in pairs})
    if person is not None:
        for line in lines:
            confirm_credit(session, actor, credit_line_id=line, person_id=person.id)
    for line, pid in pairs:
        if person is None or pid != person.id:
            reject_credit(session, actor, credit_line_id=line, person_id=pid, note="name review")
    audit.record(session, actor=actor.username, action=f"name_review.{'dismiss' if person is None else 'resolve'}",
                 entity_type="credit_line", entity_id=lines[0],
                 new={"name": name, "lines": lines, "person_id": person and person.id})  # fmt: skip
    return NameResolution(item, name, decision, person and person.id, person and person.display_name, len(lines), ())
