"""What an artist changes on My record: the name preference (and a refused one, in the page's words)."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data.schema import AuditEvent, Person
from tests.app_fixtures import sign_in


def test_artist_changes_name_preference(studio: dict[str, int], engine: Engine) -> None:
    at = sign_in("artist")
    at.text_input(key="pref_pen").input("はなこ")
    at.selectbox(key="pref_visibility").set_value("pen_name_only")
    at.button(key="FormSubmitter:name_pref-Save name preference").click().run()
    assert not at.exception and not at.error
    with Session(engine) as s:
        person = s.get(Person, studio["artist"])
        assert (person.pen_name, person.visibility) == ("はなこ", "pen_name_only")


def test_a_refused_name_preference_says_what_to_change(studio: dict[str, int], engine: Engine) -> None:
    at = sign_in("artist")
    at.selectbox(key="pref_visibility").set_value("pen_name_only")
    at.button(key="FormSubmitter:name_pref-Save name preference").click().run()
    assert not at.exception and not at.success
    assert [e.value for e in at.error] == [
        "'pen name only' needs a pen name: enter a pen name or choose another visibility"
    ]
    with Session(engine) as s:
        assert s.get(Person, studio["artist"]).visibility == "public"
        assert s.scalars(select(AuditEvent)).all() == []
