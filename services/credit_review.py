"""Reviewing public credits: whether a public credit names one of the studio's people, and whether a credited name is
a person or an organization.

Public credits (MADB, on-screen, an official site) are never linked to a person by a name match alone: a studio's
藤田誠 is not every 藤田誠 in Japanese animation. A name match is a suggestion; the artist may claim it as theirs
(:func:`claim_credit`, for their own person only) or say it is someone else (:func:`decline_credit`), and a manager
confirms it (:func:`confirm_credit`: the line then points at the person) or rejects it (:func:`reject_credit`).

A manager may also overrule the person-or-organization call made on a name (:func:`call_entity`): the call is kept
(``entity_call``), every later import follows it, and the lines already stored move with it.

Each operation checks the actor's role, writes an audit event with the old and new values, flushes and leaves the
commit to the caller. Credit lines are read by no derived data (rollups, findings), so nothing else is refreshed.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.queries.credit_review import lines_named
from data import audit
from data.credits.organizations import entity_key
from data.errors import NotFound
from data.identity import Identity
from data.names import person_key
from data.schema import (
    PUBLIC_CREDIT_SOURCES,
    CreditClaim,
    CreditLine,
    EntityCall,
    OrgAlias,
    Organization,
    Person,
    PersonAlias,
    text_hash,
    utcnow,
)
from services.access import require, require_self_or_manager
from services.errors import ValidationError

MAX_REASON = 2000


class CreditReviewError(ValidationError):
    """A review step cannot be taken as asked; the message says why and what to do instead."""


def _line(session: Session, credit_line_id: int) -> CreditLine:
    line = session.get(CreditLine, credit_line_id)
    if line is None:
        raise NotFound(
            "there is no credit line #{credit_line_id}",
            fix={"page": "pick a line from the list"},
            credit_line_id=credit_line_id,
        )
    return line


def _public_unlinked(session: Session, line: CreditLine) -> PersonAlias:
    """The line's unlinked alias: only a public credit that names nobody yet can be claimed or confirmed."""
    if line.source not in PUBLIC_CREDIT_SOURCES:
        raise CreditReviewError(
            "credit line #{credit_line_id} is the studio's own credit, not a public one",
            fix={"page": "fix it on the Credits page instead"},
            credit_line_id=line.id,
        )
    alias = session.get(PersonAlias, line.person_alias_id) if line.person_alias_id else None
    if alias is None:
        raise CreditReviewError(
            "credit line #{credit_line_id} credits an organization, not a person", credit_line_id=line.id
        )
    if alias.person_id is not None:
        raise CreditReviewError(
            "credit line #{credit_line_id} is already linked to person #{person_id}",
            credit_line_id=line.id,
            person_id=alias.person_id,
        )
    return alias


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("there is no person #{person_id}", fix={"page": "pick the person from the list"},
                       person_id=person_id)  # fmt: skip
    return person


def _claim(session: Session, credit_line_id: int, person_id: int) -> CreditClaim | None:
    return session.scalars(
        select(CreditClaim).where(CreditClaim.credit_line_id == credit_line_id, CreditClaim.person_id == person_id)
    ).first()


def _claim_values(claim: CreditClaim | None) -> dict[str, object] | None:
    if claim is None:
        return None
    return {"status": claim.status, "claimed_by": claim.claimed_by, "decided_by": claim.decided_by}


def claim_credit(
    session: Session, actor: Identity | None, *, credit_line_id: int, person_id: int | None = None
) -> CreditClaim:
    """The artist says a public credit is theirs (a manager may say so for anyone): the claim waits for a manager's
    confirmation. ``person_id`` defaults to the actor's own person. Returns the claim."""
    actor = require(actor, "manager", "artist", to="claim a public credit")
    pid = person_id if person_id is not None else actor.person_id
    if pid is None:
        raise CreditReviewError("say whose credit it is", fix={"page": "pick the person"})
    actor = require_self_or_manager(actor, pid, to="claim a public credit")
    line = _line(session, credit_line_id)
    _public_unlinked(session, line)
    _person(session, pid)
    claim = _claim(session, line.id, pid)
    old = _claim_values(claim)
    if claim is not None and claim.status == "confirmed":
        return claim
    if claim is None:
        claim = CreditClaim(credit_line_id=line.id, person_id=pid)
        session.add(claim)
    claim.status = "claimed"
    claim.claimed_by = actor.username
    claim.claimed_at = utcnow()
    claim.decided_by = claim.decided_at = None
    session.flush()
    audit.record(session, actor=actor.username, action="credit.claim", entity_type="credit_line", entity_id=line.id,
                 old=old, new={"person_id": pid, "status": "claimed"})  # fmt: skip
    return claim


def decline_credit(
    session: Session, actor: Identity | None, *, credit_line_id: int, person_id: int | None = None
) -> CreditClaim:
    """The artist says a suggested public credit is someone else's (a manager may say so for anyone): it is no longer
    suggested to them. Returns the (rejected) claim."""
    actor = require(actor, "manager", "artist", to="decline a suggested credit")
    pid = person_id if person_id is not None else actor.person_id
    if pid is None:
        raise CreditReviewError("say whose suggestion it is", fix={"page": "pick the person"})
    actor = require_self_or_manager(actor, pid, to="decline a suggested credit")
    return _reject(session, actor, _line(session, credit_line_id), pid, note="declined")


def reject_credit(
    session: Session, actor: Identity | None, *, credit_line_id: int, person_id: int, note: str | None = None
) -> CreditClaim:
    """A manager decides a public credit is not this person's (a homonym): the suggestion or claim is closed.
    Returns the (rejected) claim."""
    actor = require(actor, "manager", to="reject a public credit's match")
    return _reject(session, actor, _line(session, credit_line_id), person_id, note=note)


def _reject(session: Session, actor: Identity, line: CreditLine, person_id: int, *, note: str | None) -> CreditClaim:
    _person(session, person_id)
    claim = _claim(session, line.id, person_id)
    old = _claim_values(claim)
    if claim is not None and claim.status == "confirmed":
        raise CreditReviewError(
            "credit line #{credit_line_id} was confirmed as person #{person_id}'s",
            fix={"page": "ask a manager to repoint the line on the Credits page"},
            credit_line_id=line.id,
            person_id=person_id,
        )
    if claim is None:
        claim = CreditClaim(credit_line_id=line.id, person_id=person_id)
        session.add(claim)
    claim.status = "rejected"
    claim.decided_by = actor.username
    claim.decided_at = utcnow()
    claim.note = (note or "").strip()[:MAX_REASON] or None
    session.flush()
    audit.record(session, actor=actor.username, action="credit.reject_match", entity_type="credit_line",
                 entity_id=line.id, old=old, new={"person_id": person_id, "status": "rejected", "note": claim.note})  # fmt: skip
    return claim


def confirm_credit(session: Session, actor: Identity | None, *, credit_line_id: int, person_id: int) -> CreditLine:
    """A manager confirms that a public credit names this person: the line points at an alias of theirs with the
    credited text (created if new), and the verbatim name stays as it was published. Returns the line."""
    actor = require(actor, "manager", to="confirm a public credit")
    line = _line(session, credit_line_id)
    public_alias = _public_unlinked(session, line)
    person = _person(session, person_id)
    text = line.name_as_credited[:200]
    alias = session.scalars(
        select(PersonAlias).where(PersonAlias.person_id == person.id, PersonAlias.text == text)
    ).first()
    if alias is None:
        alias = PersonAlias(person_id=person.id, text=text, kind="variant_spelling",
                            match_key=person_key(text) or public_alias.match_key, source="credit_review")  # fmt: skip
        session.add(alias)
        session.flush()
    claim = _claim(session, line.id, person.id)
    old = {"person_alias_id": line.person_alias_id, "claim": _claim_values(claim)}
    if claim is None:
        claim = CreditClaim(credit_line_id=line.id, person_id=person.id)
        session.add(claim)
    claim.status = "confirmed"
    claim.decided_by = actor.username
    claim.decided_at = utcnow()
    line.person_alias_id = alias.id
    session.flush()
    audit.record(session, actor=actor.username, action="credit.confirm_match", entity_type="credit_line",
                 entity_id=line.id, old=old,
                 new={"person_alias_id": alias.id, "person_id": person.id, "status": "confirmed"})  # fmt: skip
    return line


def call_entity(
    session: Session, actor: Identity | None, *, credit_line_id: int, organization: bool, reason: str
) -> EntityCall:
    """A manager's call on the name a line credits: an organization, or a person, whatever the evidence said. Kept
    for every later import; every stored line with that name on an unlinked alias moves with it (a line already
    linked to a person stays). Returns the call."""
    actor = require(actor, "manager", to="decide whether a credited name is a person or an organization")
    reason = (reason or "").strip()
    if not reason:
        raise CreditReviewError(
            "a reason is required (e.g. 'the studio's own name, credited as a writer')",
            fix={"page": "fill in 'Reason'"},
        )
    line = _line(session, credit_line_id)
    name = line.name_as_credited
    key = entity_key(name)
    call = session.scalars(select(EntityCall).where(EntityCall.match_key == key)).first()
    old = None if call is None else {"is_organization": call.is_organization, "reason": call.reason}
    if call is None:
        call = EntityCall(match_key=key, name=name)
        session.add(call)
    call.is_organization = organization
    call.reason = reason[:MAX_REASON]
    call.decided_by = actor.username
    call.decided_at = utcnow()
    moved = []
    for row in lines_named(session, person_key_=person_key(name), org_key_=key):
        stored = session.get(CreditLine, row["id"])
        if entity_key(stored.name_as_credited) != key:
            continue
        if organization and stored.org_alias_id is None:
            stored.org_alias_id = _org_alias(session, stored.name_as_credited, key)
            stored.person_alias_id = None
            # An organization may stand in a person-only role only marked so; the reason is a person's to give.
            stored.individuals_uncredited = bool(stored.role_person_only)
            moved.append(stored.id)
        elif not organization and stored.person_alias_id is None:
            stored.person_alias_id = _unlinked_alias(session, stored.name_as_credited)
            stored.org_alias_id = None
            stored.individuals_uncredited = False
            stored.uncredited_reason = None
            moved.append(stored.id)
        stored.entity_basis, stored.entity_reason = "override", reason[:MAX_REASON]
    session.flush()
    audit.record(session, actor=actor.username, action="credit.entity_call", entity_type="entity_call",
                 entity_id=call.id, old=old,
                 new={"name": name, "is_organization": organization, "reason": call.reason, "moved_lines": moved})  # fmt: skip
    return call


def _org_alias(session: Session, text: str, key: str) -> int:
    alias = session.scalars(select(OrgAlias).where(OrgAlias.match_key == key).order_by(OrgAlias.id)).first()
    if alias is not None:
        return alias.id
    org = session.scalars(select(Organization).where(Organization.name_hash == text_hash(text))).first()
    if org is None:
        org = Organization(name=text, kind="other")
        session.add(org)
        session.flush()
    alias = OrgAlias(organization_id=org.id, text=text, match_key=key)
    session.add(alias)
    session.flush()
    return alias.id


def _unlinked_alias(session: Session, text: str) -> int:
    alias = session.scalars(
        select(PersonAlias).where(PersonAlias.person_id.is_(None), PersonAlias.text == text[:200])
    ).first()
    if alias is None:
        alias = PersonAlias(person_id=None, text=text[:200], kind="real_name", match_key=person_key(text),
                            source="entity_call")  # fmt: skip
        session.add(alias)
        session.flush()
    return alias.id
