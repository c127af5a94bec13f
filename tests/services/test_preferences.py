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


def test_everyone_keeps_their_own_language_audited(session: Session) -> None:
    from data.accounts import create_account
    from data.schema import Account
    from services.preferences import account_language, set_language

    account = create_account(session, "rep", None, "advocate", oidc_email="rep@example.org")
    rep = Identity(username="rep", role="advocate", account_id=account.id)
    assert account_language(session, account_id=account.id) is None
    assert set_language(session, rep, language="en") == "en"
    session.commit()
    assert (
        account_language(session, account_id=account.id) == "en" and session.get(Account, account.id).language == "en"
    )
    event = session.scalars(select(AuditEvent)).one()
    assert (event.action, event.old_values, event.new_values) == ("account.language", {"language": None},
                                                                 {"language": "en"})  # fmt: skip
    set_language(session, rep, language="en")  # no change, no event
    assert len(session.scalars(select(AuditEvent)).all()) == 1
    set_language(session, rep, language=None)
    assert account_language(session, account_id=account.id) is None


def test_a_language_is_refused_without_an_account_or_outside_the_catalogs(session: Session) -> None:
    from services.preferences import set_language

    with pytest.raises(PermissionDenied):
        set_language(session, None, language="ja")
    claim_only = Identity(username="union@example.org", role="advocate", via="oidc")
    with pytest.raises(PermissionDenied, match="without an Endroll account") as no_account:
        set_language(session, claim_only, language="ja")
    assert "until you sign out" in no_account.value.message("page")
    with pytest.raises(ValidationError, match="one of ja, en"):
        set_language(session, Identity(username="x", role="manager", account_id=1), language="fr")
    assert session.scalars(select(AuditEvent)).all() == []


def test_a_refusal_reads_in_the_readers_language() -> None:
    """Marked parameters (who may, what to do) are translated with the message that holds them."""
    from data import i18n

    with pytest.raises(PermissionDenied) as refused:
        set_name_preference(None, Identity(username="rep", role="advocate"), person_id=1, display_name="x",
                            pen_name=None, visibility="public")  # fmt: skip
    english = refused.value.message("page")
    assert english.startswith("only a manager or an artist can change the name preference")
    japanese = refused.value.message("page", translate=i18n.translator("ja"))
    assert "a manager" not in japanese and "change the name preference" not in japanese and "rep" in japanese
