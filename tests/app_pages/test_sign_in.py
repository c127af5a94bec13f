"""Signing in and out through app.py and the Sign in page (AppTest, local accounts)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from data.identity import Identity
from services import accounts
from tests.app_fixtures import APP, all_text, registered, sign_in


def test_sign_in_page_before_anything(studio: dict[str, int]) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert [t.value for t in at.title] == ["Endroll"]
    assert registered(at) == {"sign_in"}
    with pytest.raises(ValueError, match="Could not find"):
        at.switch_page("app_pages/overview.py")


def test_wrong_password_shows_error_and_no_pages(studio: dict[str, int]) -> None:
    at = sign_in("manager", "not-the-password")
    assert "wrong username or password" in at.error[0].value
    assert registered(at) == {"sign_in"}
    assert "not-the-password" not in all_text(at)
    # An unknown name reads exactly the same, with what to do on this page.
    stranger = sign_in("nobody-here", "not-the-password")
    assert stranger.error[0].value == at.error[0].value
    assert (
        at.error[0].value == "wrong username or password: check the spelling, or ask a manager to reset your password"
    )


def test_sign_out_returns_to_sign_in(studio: dict[str, int]) -> None:
    at = sign_in("manager")
    at.button(key="sign_out").click().run()
    assert registered(at) == {"sign_in"} and at.title[0].value == "Endroll"


def test_the_sign_in_page_never_shows_a_password(studio: dict[str, int]) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    shown = all_text(at) + "".join(e.label for e in at.expander)
    for password in ("manager-demo", "advocate-demo", "artist-demo", "-demo", "manager-test"):
        assert password not in shown
    assert not at.expander  # the demo accounts' box is gone


@pytest.mark.parametrize("change", ["deactivate", "role", "password"])
def test_an_account_change_ends_the_open_session_at_the_next_run(
    studio: dict[str, int], engine: Engine, change: str
) -> None:
    at = sign_in("manager")
    assert "admin" in registered(at)
    shell = Identity(username="cli:ops", role="manager", via="cli")
    with Session(engine) as session:
        if change == "deactivate":
            accounts.set_active(session, shell, username="manager", active=False)
        elif change == "role":
            accounts.set_role(session, shell, username="manager", role="advocate")
        else:
            accounts.set_password(session, shell, username="manager", password="a-new-phrase-here")
        session.commit()
    at.run()
    assert not at.exception, at.exception
    assert registered(at) == {"sign_in"}
    assert "identity" not in at.session_state
    assert len(at.info) == 1  # "your session has ended", in the viewer's language
