"""A PDF that would need a character no installed font has is refused on the page, by name, instead of offered."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data.names import person_key
from data.schema import CreditLine, PersonAlias, Production, Role
from tests.app_fixtures import sign_in

PUA = "\ue000"  # a Private Use Area character: no installed font has a glyph for it


def _keys(at) -> set[str]:
    return {b.key for b in at.download_button}


def test_credits_page_refuses_the_roll_pdf_by_name(studio: dict[str, int], engine: Engine) -> None:
    at = sign_in("manager")
    at.switch_page("app_pages/credits.py").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any(key.startswith("roll_pdf_") for key in _keys(at))

    with Session(engine) as session:
        alias = PersonAlias(person_id=None, text=f"上海{PUA}动画", kind="real_name", match_key=person_key("上海动画"))
        session.add(alias)
        session.flush()
        line = CreditLine(production_id=studio["tv"], role_as_credited="仕上げ", name_as_credited=alias.text,
                          person_alias_id=alias.id, line_order=9)  # fmt: skip
        line.set_role(session.scalars(select(Role).where(Role.code == "ink_and_paint")).one())
        session.add(line)
        session.commit()
    st.cache_data.clear()
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("U+E000" in e and "fonts-noto-cjk" in e and "apt-get" not in e for e in errors), errors
    assert not any(key.startswith("roll_pdf_") for key in _keys(at))
    assert {"roll_text_ja", "roll_text_en", "roll_csv_ja", "roll_json_ja"} <= _keys(at)  # every character kept there


def test_my_record_page_refuses_the_record_pdf_by_name(studio: dict[str, int], engine: Engine) -> None:
    at = sign_in("artist")
    at.switch_page("app_pages/my_record.py").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "exp_pdf" in _keys(at)

    with Session(engine) as session:
        session.get(Production, studio["tv"]).title = f"星の港{PUA}"
        session.commit()
    st.cache_data.clear()
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("U+E000" in e and "星の港" in e for e in errors), errors
    assert "exp_pdf" not in _keys(at)
