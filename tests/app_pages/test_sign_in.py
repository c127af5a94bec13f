"""Signing in and out through app.py and the Sign in page (AppTest, local accounts)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

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
