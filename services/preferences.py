"""How a person wants to be named (display name, pen name and visibility: public, pen name only, private), and the
language an account reads the dashboard in.

An artist changes their own; a manager anyone's. A person's names are read by no stored derived data (the findings
add display names when they are selected), so nothing else is brought up to date. No name may be a placeholder
(:func:`data.names.check_person_name`: "AI (+Human)", "human", 未定 …), and a pen name that reads as another person's
name waits for a manager's approval (:class:`data.schema.PenNameRequest`, :func:`resolve_pen_name`): otherwise one
person's timesheet rows and credits could be taken for the other's. Everyone signed in with an account chooses their
own language.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from data import audit
from data.errors import NotFound
from data.i18n import N_
from data.identity import Identity
from data.names import check_person_name, person_key
from data.schema import UI_LANGUAGES, VISIBILITY, Account, PenNameRequest, Person, PersonAlias, utcnow
from services.access import require, require_self_or_manager
from services.errors import PermissionDenied, ValidationError


def name_twin(session: Session, *, name: str, person_id: int) -> int | None:
    """The id of another person whose display name or linked alias reads as ``name`` (same match key), or None."""
    key = person_key(name)
    twin = session.scalar(
        select(PersonAlias.person_id)
        .where(PersonAlias.match_key == key, PersonAlias.person_id.is_not(None), PersonAlias.person_id != person_id)
        .limit(1)
    )
    if twin is not None:
        return twin
    for other_id, display in session.execute(select(Person.id, Person.display_name).where(Person.id != person_id)):
        if person_key(display) == key:
            return other_id
    return None


def pending_pen_name(session: Session, *, person_id: int) -> PenNameRequest | None:
    """The person's pen name waiting for a manager's approval, or None."""
    return session.scalar(
        select(PenNameRequest).where(PenNameRequest.person_id == person_id, PenNameRequest.status == "pending")
    )


def _apply_pen_name(person: Person, pen_name: str) -> None:
    person.pen_name = pen_name
    if not any(a.text == pen_name for a in person.aliases):
        # The pen name must match in credits too, so it becomes an alias with its match key.
        person.aliases.append(PersonAlias(text=pen_name, kind="pen_name", match_key=person_key(pen_name)))


def set_name_preference(
    session: Session,
    actor: Identity | None,
    *,
    person_id: int,
    display_name: str,
    pen_name: str | None,
    visibility: str,
) -> Person:
    """Change the name a person is credited and shown as; returns the person. Artists may change only their own.

    A pen name that reads as another person's name is not applied when an artist asks for it: it waits as a
    :class:`PenNameRequest` (:func:`pending_pen_name`) until a manager approves it; a manager's own change is their
    approval."""
    actor = require_self_or_manager(actor, person_id, to=N_("change the name preference"))
    if visibility not in VISIBILITY:
        raise ValidationError(
            N_("visibility must be one of {choices}, not {visibility!r}"),
            choices=", ".join(VISIBILITY),
            visibility=visibility,
        )
    display_name = (display_name or "").strip()
    pen_name = (pen_name or "").strip() or None
    if not display_name:
        raise ValidationError(N_("the display name cannot be empty"), fix={"page": N_("fill in 'Display name'")})
    check_person_name(display_name, field=N_("display name"))
    if pen_name:
        check_person_name(pen_name, field=N_("pen name"))
    if visibility == "pen_name_only" and not pen_name:
        raise ValidationError(
            N_("'pen name only' needs a pen name"), fix={"page": N_("enter a pen name or choose another visibility")}
        )
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(N_("no person has id {person_id}"), person_id=person_id)
    old = {"display_name": person.display_name, "pen_name": person.pen_name, "visibility": person.visibility}
    twin = name_twin(session, name=pen_name, person_id=person_id) if pen_name and pen_name != person.pen_name else None
    if twin is not None and actor.role != "manager":
        session.add(PenNameRequest(person_id=person_id, pen_name=pen_name, clashes_with=twin,
                                   requested_by=actor.username))  # fmt: skip
        pen_name = person.pen_name  # unchanged until a manager approves
        if visibility == "pen_name_only" and not pen_name:
            visibility = person.visibility
    person.display_name, person.visibility = display_name, visibility
    if pen_name:
        _apply_pen_name(person, pen_name)
    else:
        person.pen_name = None
    audit.record(
        session,
        actor=actor.username,
        action="person.name_preference",
        entity_type="person",
        entity_id=person_id,
        old=old,
        new={"display_name": display_name, "pen_name": pen_name, "visibility": visibility},
    )
    return person


def resolve_pen_name(session: Session, actor: Identity | None, *, request_id: int, approve: bool) -> PenNameRequest:
    """Approve (the pen name becomes the person's) or refuse a pen name waiting for approval; managers only.
    Returns the request, resolved and audited."""
    actor = require(actor, "manager", to=N_("approve pen names"))
    request = session.get(PenNameRequest, request_id)
    if request is None or request.status != "pending":
        raise NotFound(N_("no pen name waits for approval under #{request_id}"), request_id=request_id)
    request.status = "approved" if approve else "refused"
    request.resolved_by, request.resolved_at = actor.username, utcnow()
    person = session.get(Person, request.person_id)
    old = {"pen_name": person.pen_name}
    if approve:
        _apply_pen_name(person, request.pen_name)
    audit.record(
        session,
        actor=actor.username,
        action="person.pen_name_" + request.status,
        entity_type="person",
        entity_id=person.id,
        old=old,
        new={"pen_name": person.pen_name, "requested": request.pen_name, "clashes_with": request.clashes_with},
    )
    return request


def set_language(session: Session, actor: Identity | None, *, language: str | None) -> str | None:
    """Keep ``language`` (``ja``/``en``; None: follow the browser) as the actor's own account's dashboard language;
    returns it. Anyone signed in may choose their own; a sign-in without an Endroll account (an identity provider's
    role claim) has nowhere to keep it and is refused (PermissionDenied: no stored preference is theirs to set)."""
    actor = require(actor, "manager", "advocate", "artist", to=N_("choose the dashboard's language"))
    if language is not None and language not in UI_LANGUAGES:
        raise ValidationError(
            N_("the language must be one of {choices}, not {language!r}"), choices=", ".join(UI_LANGUAGES),
            language=language,
        )  # fmt: skip
    account = session.get(Account, actor.account_id) if actor.account_id is not None else None
    if account is None:
        raise PermissionDenied(
            N_("{username} signed in without an Endroll account, so the language cannot be kept for the next sign-in"),
            fix={"page": N_("it applies until you sign out; ask a manager for an account to keep it")},
            username=actor.username,
        )
    old = account.language
    if old != language:
        account.language = language
        audit.record(
            session, actor=actor.username, action="account.language", entity_type="account", entity_id=account.id,
            old={"language": old}, new={"language": language},
        )  # fmt: skip
    return language


def account_language(session: Session, *, account_id: int | None) -> str | None:
    """The language the account chose (``ja``/``en``), or None: no choice kept, or no account."""
    if account_id is None:
        return None
    return session.scalar(select(Account.language).where(Account.id == account_id))
