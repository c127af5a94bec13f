"""How a person wants to be named: display name, pen name and visibility (public, pen name only, private).

An artist changes their own; a manager anyone's. A person's names are read by no stored derived data (the findings
add display names when they are selected), so nothing else is brought up to date.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from data import audit
from data.errors import NotFound
from data.i18n import N_
from data.identity import Identity
from data.names import person_key
from data.schema import VISIBILITY, Person, PersonAlias
from services.access import require_self_or_manager
from services.errors import ValidationError


def set_name_preference(
    session: Session,
    actor: Identity | None,
    *,
    person_id: int,
    display_name: str,
    pen_name: str | None,
    visibility: str,
) -> Person:
    """Change the name a person is credited and shown as; returns the person. Artists may change only their own."""
    actor = require_self_or_manager(actor, person_id, to="change the name preference")
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
    if visibility == "pen_name_only" and not pen_name:
        raise ValidationError(
            N_("'pen name only' needs a pen name"), fix={"page": N_("enter a pen name or choose another visibility")}
        )
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(N_("no person has id {person_id}"), person_id=person_id)
    old = {"display_name": person.display_name, "pen_name": person.pen_name, "visibility": person.visibility}
    person.display_name, person.pen_name, person.visibility = display_name, pen_name, visibility
    if pen_name and not any(a.text == pen_name for a in person.aliases):
        # The pen name must match in credits too, so it becomes an alias with its match key.
        person.aliases.append(PersonAlias(text=pen_name, kind="pen_name", match_key=person_key(pen_name)))
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
