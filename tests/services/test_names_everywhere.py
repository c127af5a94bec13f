"""No placeholder becomes a person's name, however it is entered; a pen name equal to a colleague's name waits for
a manager (issue 17). On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.identity import Identity
from data.importers import import_file
from data.names import NameRefused, person_key
from data.schema import AuditEvent, PenNameRequest, Person, PersonAlias, Production
from generation.errors import GenerationError
from generation.operators import resolve_operator
from services.errors import PermissionDenied
from services.preferences import pending_pen_name, resolve_pen_name, set_name_preference

BOSS = Identity(username="boss", role="manager")


@pytest.fixture
def people(session: Session) -> tuple[int, int]:
    hanako = Person(display_name="山田花子")
    misaki = Person(display_name="佐藤美咲")
    session.add_all([hanako, misaki])
    session.flush()
    session.add(PersonAlias(person_id=misaki.id, text="佐藤美咲", kind="real_name", match_key=person_key("佐藤美咲")))
    session.commit()
    return hanako.id, misaki.id


@pytest.mark.parametrize("field", ["display_name", "pen_name"])
@pytest.mark.parametrize("name", ["AI (+Human)", "human", "未定", "staff"])
def test_an_artist_cannot_take_a_placeholder_as_a_name(
    session: Session, people: tuple[int, int], field: str, name: str
) -> None:
    hanako, _ = people
    artist = Identity(username="hanako", role="artist", person_id=hanako)
    values = {"display_name": "山田花子", "pen_name": None, "visibility": "public", field: name}
    with pytest.raises(NameRefused):
        set_name_preference(session, artist, person_id=hanako, **values)
    with pytest.raises(NameRefused):  # nor a manager on their behalf
        set_name_preference(session, BOSS, person_id=hanako, **values)
    session.rollback()
    assert session.get(Person, hanako).display_name == "山田花子" and session.get(Person, hanako).pen_name is None


def test_a_pen_name_equal_to_a_colleagues_name_waits_for_a_manager(session: Session, people: tuple[int, int]) -> None:
    hanako, misaki = people
    artist = Identity(username="hanako", role="artist", person_id=hanako)
    set_name_preference(session, artist, person_id=hanako, display_name="山田花子", pen_name="佐藤 美咲",
                        visibility="pen_name_only")  # fmt: skip
    session.commit()
    person = session.get(Person, hanako)
    assert person.pen_name is None and person.visibility == "public"  # nothing ambiguous until someone decides
    request = pending_pen_name(session, person_id=hanako)
    assert (request.pen_name, request.clashes_with, request.status) == ("佐藤 美咲", misaki, "pending")
    with pytest.raises(PermissionDenied):
        resolve_pen_name(session, artist, request_id=request.id, approve=True)
    resolve_pen_name(session, BOSS, request_id=request.id, approve=True)
    session.commit()
    assert session.get(Person, hanako).pen_name == "佐藤 美咲"
    assert session.scalar(select(PenNameRequest.status)) == "approved"
    assert session.scalar(select(AuditEvent.action).where(AuditEvent.action == "person.pen_name_approved"))
    # A pen name nobody else has is applied at once, as before.
    set_name_preference(session, artist, person_id=hanako, display_name="山田花子", pen_name="はなこ",
                        visibility="public")  # fmt: skip
    assert session.get(Person, hanako).pen_name == "はなこ"


def test_imports_refuse_placeholder_people(session: Session, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("display_name,pen_name,email\nAI (+Human),,ai@example.jp\n山田花子,human,h@example.jp\n"
                      "佐藤美咲,,m@example.jp\n", encoding="utf-8")  # fmt: skip
    summary = import_file(session, path=people, format="canonical_people")
    assert summary.imported == 1 and summary.rejected_by_reason == {"placeholder_name": 2}
    session.add(Production(title="星の庭", kind="tv"))
    session.commit()
    logs = tmp_path / "wl.csv"
    logs.write_text("person,work_date,minutes,production\nhuman,2025-04-01,60,星の庭\n", encoding="utf-8")
    created = import_file(session, path=logs, create_people=True)
    assert created.rejected_by_reason == {"placeholder_name": 1}
    assert session.scalar(select(Person.id).where(Person.display_name == "human")) is None


def test_a_generation_operator_chosen_by_id_must_have_a_real_name(session: Session) -> None:
    legacy = Person(display_name="human")  # stored before names were checked
    session.add(legacy)
    session.commit()
    with pytest.raises(GenerationError, match="placeholder"):
        resolve_operator(session, legacy.id)
