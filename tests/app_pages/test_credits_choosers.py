"""The Credits page's choosers stay small at any size of studio: at most a bounded number of people or lines drawn,
how many more said in words, and the one wanted found by typing any spelling of the name — Japanese or romaji — or
a line's number, role or name (AppTest, SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app_pages import _credit_pickers
from data.schema import CreditLine
from tests.app_fixtures import sign_in


def _findings(at) -> object:
    return next(d.value for d in at.dataframe if "message" in d.value.columns)


@pytest.fixture
def one_option(monkeypatch: pytest.MonkeyPatch) -> None:
    # The small studio has a handful of people and lines: one option per chooser stands for 200 of thousands.
    monkeypatch.setattr(_credit_pickers, "LIMIT", 1)


@pytest.mark.parametrize("spelling", ["髙橋", "takahashi ichiro"])
def test_a_person_is_found_by_name_among_few_options(studio: dict[str, int], engine: Engine, one_option: None,
                                                     spelling: str) -> None:  # fmt: skip
    at = sign_in("manager")
    at.switch_page("app_pages/credits.py").run()
    line_id = int(_findings(at).loc[lambda f: f["name"] == "未定", "credit_line_id"].iloc[0])
    at.text_input(key="fix_line_find").input("未定").run()  # the line found by its name as credited
    at.selectbox(key="fix_line").set_value(line_id).run()
    person = at.selectbox(key=f"fix_person_{line_id}")
    assert len(person.options) == 1  # one of the studio's people, not all of them
    assert any("people shown: type more of the name" in c.value for c in at.caption), [c.value for c in at.caption]
    at.text_input(key="fix_person_find").input(spelling).run()
    person = at.selectbox(key=f"fix_person_{line_id}")
    assert len(person.options) == 1 and "髙橋" in person.options[0], person.options
    person.set_value(studio["artist2"])
    at.button(key="FormSubmitter:fix-Apply fix").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "now credits" in at.success[0].value
    with Session(engine) as s:
        assert s.get(CreditLine, line_id).person_alias.person_id == studio["artist2"]


def test_nobody_found_is_said_and_nothing_is_chosen(studio: dict[str, int], one_option: None) -> None:
    at = sign_in("manager", locale="ja-JP")
    at.switch_page("app_pages/credits.py").run()
    line_id = int(_findings(at).loc[lambda f: f["name"] == "未定", "credit_line_id"].iloc[0])
    at.selectbox(key="fix_line").set_value(line_id).run()
    at.text_input(key="fix_person_find").input("存在しない名前").run()
    assert not at.exception
    assert any("その表記に当てはまる人物はいません" in c.value for c in at.caption), [c.value for c in at.caption]
    assert at.selectbox(key=f"fix_person_{line_id}").options == []
    at.button(key=next(b.key for b in at.button if (b.key or "").startswith("FormSubmitter:fix-"))).click().run()
    assert not at.exception and not at.success  # nothing applied without a person


def test_lines_are_found_by_number_role_or_name(studio: dict[str, int], one_option: None) -> None:
    at = sign_in("manager")
    at.switch_page("app_pages/credits.py").run()
    calls = next(d.value for d in at.dataframe if "evidence" in d.value.columns)
    assert len(at.selectbox(key="entity_line").options) == 1
    if len(calls) > 1:
        assert any("lines shown: type more" in c.value for c in at.caption), [c.value for c in at.caption]
    wanted = calls.iloc[-1]
    for text in (f"#{int(wanted['credit_line_id'])}", str(wanted["name_as_credited"])):
        at.text_input(key="entity_find").input(text).run()
        options = at.selectbox(key="entity_line").options
        assert any(o.startswith(f"#{int(wanted['credit_line_id'])} ") for o in options), (text, options)
    at.text_input(key="entity_find").input("no such line at all").run()
    assert any("No line has that number, role or name." in c.value for c in at.caption)
