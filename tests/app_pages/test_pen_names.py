"""A pen name that reads as a colleague's name waits on the Admin page until a manager decides (issue 17)."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from data.identity import Identity
from data.schema import Person
from services.preferences import pending_pen_name, set_name_preference
from tests.app_fixtures import sign_in


def test_a_manager_approves_a_pen_name_on_the_admin_page(studio: dict[str, int], engine: Engine) -> None:
    artist = Identity(username="artist", role="artist", person_id=studio["artist"])
    with Session(engine) as session:
        # 髙橋一郎 is the second artist's name.
        set_name_preference(session, artist, person_id=studio["artist"], display_name="山田花子",
                            pen_name="髙橋 一郎", visibility="public")  # fmt: skip
        session.commit()
        assert session.get(Person, studio["artist"]).pen_name is None
    at = sign_in("manager")
    at.switch_page("app_pages/admin.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="pen_id").value is not None
    at.radio(key="pen_verdict").set_value("approve")
    at.button(key="pen_decide").click().run()
    assert not at.exception, at.exception
    with Session(engine) as session:
        assert session.get(Person, studio["artist"]).pen_name == "髙橋 一郎"
        assert pending_pen_name(session, person_id=studio["artist"]) is None
