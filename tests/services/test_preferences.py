"""Name preferences: an artist changes their own, a manager anyone's; the pen name becomes an alias; audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.identity import Identity
from data.schema import AuditEvent, Person, PersonAlias
from services.errors import PermissionDenied, ValidationError
from services.preferences import set_name_preference


@pytest.fixture
def people(session: Session) -> tuple[Person, Person]:
    a, b = Person(display_name="山田花子"), Person(display_name="髙橋一郎")
    session.add_all([a, b])
    session.flush()
    return a, b


def test_artist_sets_own_pen_name_audited(session: Session, people: tuple[Person, Person]) -> None:
    hanako = Identity(username="hanako", role="artist", person_id=people[0].id)
    set_name_preference(session, hanako, person_id=people[0].id, display_name="山田花子", pen_name=" はなこ ",
                        visibility="pen_name_only")  # fmt: skip
    session.commit()
    person = session.get(Person, people[0].id)
    assert (person.pen_name, person.visibility) == ("はなこ", "pen_name_only")
    assert session.scalars(select(PersonAlias.kind).where(PersonAlias.text == "はなこ")).one() == "pen_name"
    event = session.scalars(select(AuditEvent)).one()
    assert (event.actor, event.action, event.entity_id) == ("hanako", "person.name_preference", str(people[0].id))
    assert event.old_values == {"display_name": "山田花子", "pen_name": None, "visibility": "public"}
    assert event.new_values == {"display_name": "山田花子", "pen_name": "はなこ", "visibility": "pen_name_only"}
    boss = Identity(username="boss", role="manager")
    set_name_preference(session, boss, person_id=people[1].id, display_name="高橋一郎", pen_name=None,
                        visibility="public")  # fmt: skip
    assert session.get(Person, people[1].id).display_name == "高橋一郎"


def test_others_are_refused(session: Session, people: tuple[Person, Person]) -> None:
    hanako = Identity(username="hanako", role="artist", person_id=people[0].id)
    for actor in (hanako, None, Identity(username="rep", role="advocate")):
        with pytest.raises(PermissionDenied):
            set_name_preference(session, actor, person_id=people[1].id, display_name="x", pen_name=None,
                                visibility="public")  # fmt: skip
    assert session.scalars(select(AuditEvent)).all() == []
    assert session.get(Person, people[1].id).display_name == "髙橋一郎"


def test_what_to_change_is_said(session: Session, people: tuple[Person, Person]) -> None:
    hanako = Identity(username="hanako", role="artist", person_id=people[0].id)
    with pytest.raises(ValidationError, match="needs a pen name") as no_pen:
        set_name_preference(session, hanako, person_id=people[0].id, display_name="山田花子", pen_name=" ",
                            visibility="pen_name_only")  # fmt: skip
    assert "enter a pen name or choose another visibility" in no_pen.value.message("page")
    with pytest.raises(ValidationError, match="display name cannot be empty"):
        set_name_preference(session, hanako, person_id=people[0].id, display_name="", pen_name=None,
                            visibility="public")  # fmt: skip
    with pytest.raises(ValidationError, match="visibility must be one of"):
        set_name_preference(session, hanako, person_id=people[0].id, display_name="a", pen_name=None,
                            visibility="secret")  # fmt: skip
