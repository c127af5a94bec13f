"""How a person wants to be named: display name, pen name and visibility (public, pen name only, private)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from data import audit
from data.identity import Identity
from data.names import person_key
from data.schema import VISIBILITY, Person, PersonAlias


def set_name_preference(
    session: Session,
    identity: Identity,
    person_id: int,
    *,
    display_name: str,
    pen_name: str | None,
    visibility: str,
) -> Person:
    """Change the name a person is credited and shown as. Artists may change only their own."""
    if not (identity.role == "manager" or (identity.role == "artist" and identity.person_id == person_id)):
        raise PermissionError("you may change only your own name preference")
    if visibility not in VISIBILITY:
        raise ValueError(f"visibility must be one of {', '.join(VISIBILITY)}, not {visibility!r}")
    display_name = (display_name or "").strip()
    pen_name = (pen_name or "").strip() or None
    if not display_name:
        raise ValueError("the display name cannot be empty")
    if visibility == "pen_name_only" and not pen_name:
        raise ValueError("'pen name only' needs a pen name; enter one or choose another visibility")
    person = session.get(Person, person_id)
    if person is None:
        raise LookupError(f"no person with id {person_id}")
    old = {"display_name": person.display_name, "pen_name": person.pen_name, "visibility": person.visibility}
    person.display_name, person.pen_name, person.visibility = display_name, pen_name, visibility
    if pen_name and not any(a.text == pen_name for a in person.aliases):
        # The pen name must match in credits too, so it becomes an alias with its match key.
        person.aliases.append(PersonAlias(text=pen_name, kind="pen_name", match_key=person_key(pen_name)))
    audit.record(
        session,
        actor=identity.username,
        action="person.name_preference",
        entity_type="person",
        entity_id=person_id,
        old=old,
        new={"display_name": display_name, "pen_name": pen_name, "visibility": visibility},
    )
    return person
