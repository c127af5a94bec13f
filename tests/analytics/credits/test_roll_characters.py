"""The characters of each production's end roll stored with its credit check answer the Credits page's PDF check as
the built roll does — without building it when the fonts draw them all, and naming the strings when they do not
(both backends)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from analytics.credits import endroll, pdf
from analytics.credits.checks import refresh_production
from analytics.derived import worker as w
from data.credit_checks import roll_characters
from data.i18n import LANGUAGES
from data.names import person_key
from data.schema import CreditLine, PersonAlias, Role
from tests.app_fixtures import build_small_studio

PUA = "\ue000"  # a Private Use Area character: no installed font has a glyph for it


def _refusal_text(error: object) -> str | None:
    return None if error is None else str(error)


def test_the_stored_characters_are_the_rolls_and_answer_as_it_does(engine: Engine, monkeypatch: pytest.MonkeyPatch
                                                                    ) -> None:  # fmt: skip
    with Session(engine) as session:
        ids = build_small_studio(session)
    assert w.run_credits_once(engine) == w.REFRESHED
    with Session(engine) as session:
        for pid in (ids["tv"], ids["film"]):
            roll = endroll.build_end_roll(session, production=pid)
            version, stored = roll_characters(session, production_id=pid)
            assert stored == endroll.roll_characters(roll)
            assert set(stored) == set(LANGUAGES)
            for lang in LANGUAGES:
                assert set(stored[lang]) == {ch for text in endroll.roll_document(roll, lang).texts() for ch in text}
                live = pdf.refusal(endroll.roll_document(roll, lang))
                assert live is None  # the test machine's fonts draw the small studio's roll
                assert endroll.roll_pdf_refusal(session, production=pid, lang=lang, stored=True) is None

    def unbuilt(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the roll was built although its stored characters answer the check")

    with Session(engine) as session, monkeypatch.context() as patched:
        patched.setattr(endroll, "build_end_roll", unbuilt)
        assert endroll.roll_pdf_refusal(session, production=ids["tv"], lang="ja", stored=True) is None


def test_a_character_no_font_has_is_refused_by_name_from_the_stored_check(engine: Engine) -> None:
    with Session(engine) as session:
        ids = build_small_studio(session)
        alias = PersonAlias(person_id=None, text=f"上海{PUA}动画", kind="real_name", match_key=person_key("上海动画"))
        session.add(alias)
        session.flush()
        line = CreditLine(production_id=ids["tv"], role_as_credited="仕上げ", name_as_credited=alias.text,
                          person_alias_id=alias.id, line_order=9)  # fmt: skip
        line.set_role(session.scalars(select(Role).where(Role.code == "ink_and_paint")).one())
        session.add(line)
        session.commit()
    with Session(engine) as session:
        assert refresh_production(session, production_id=ids["tv"])
        session.commit()
    with Session(engine) as session:
        assert PUA in roll_characters(session, production_id=ids["tv"])[1]["ja"]
        stored = endroll.roll_pdf_refusal(session, production=ids["tv"], lang="ja", stored=True)
        live = endroll.roll_pdf_refusal(session, production=ids["tv"], lang="ja")
        assert stored is not None and "U+E000" in str(stored) and f"上海{PUA}动画" in str(stored)
        assert _refusal_text(stored) == _refusal_text(live)
