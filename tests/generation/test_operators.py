"""Who may operate the generator: a named person from the database, never "AI", "human", a tool or nobody."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from generation import OperatorError
from tests.generation.test_pipeline import files, ledger_count, request, run


@pytest.mark.parametrize(
    "name",
    [
        "human",
        "Human",
        "AI",
        "A.I.",
        "",
        "   ",
        "AI (+Human)",
        "ＡＩ（＋Ｈｕｍａｎ）",
        "staff",
        "スタッフ",
        "不明",
        "???",
        "Midjourney",
        "背景 AI",
        "Nobody We Know",
    ],
)
def test_anonymous_or_unknown_operators_are_refused(
    session: Session, models, keys: Path, tmp_path: Path, name: str
) -> None:
    with pytest.raises(OperatorError) as info:
        run(session, request(models, operator=name), tmp_path, keys)
    assert "person" in str(info.value).lower() or "tool" in str(info.value).lower()
    assert ledger_count(session) == 0
    assert files(tmp_path) == []


def test_operator_resolves_by_display_name_alias_or_id(session: Session, studio: dict[str, int]) -> None:
    from generation.operators import resolve_operator

    assert resolve_operator(session, "山田 花子").id == studio["hanako"]
    assert resolve_operator(session, "yamada  hanako").id == studio["hanako"]
    assert resolve_operator(session, studio["ichiro"]).id == studio["ichiro"]
    with pytest.raises(OperatorError, match="No person with id"):
        resolve_operator(session, 99999)


def test_an_unknown_operator_is_sent_to_what_exists_in_each_place(session: Session) -> None:
    from generation.operators import resolve_operator

    with pytest.raises(OperatorError) as info:
        resolve_operator(session, "Nobody We Know")
    page, cli = info.value.message("page"), info.value.message("cli")
    assert "People page" not in page + cli
    assert "Import page" in page and "--" not in page and "python -m" not in page
    assert "python -m data.importers" in cli
