"""Names: the placeholder check every write path calls, and username skeletons (pure; issue 17)."""

from __future__ import annotations

import pytest

from data.names import NameRefused, check_person_name, normalize_username, username_scripts, username_skeleton


@pytest.mark.parametrize("name", ["AI (+Human)", "human", "Human", "staff", "スタッフ", "未定", "TBD", "不明", "AI", "",
                                  "   ", "anonymous", "null"])  # fmt: skip
def test_placeholders_are_refused(name: str) -> None:
    with pytest.raises(NameRefused) as refused:
        check_person_name(name, field="pen name")
    assert "pen name" in refused.value.message("page") and "Credits page" in refused.value.message("page")
    assert "--" not in refused.value.message("page")


@pytest.mark.parametrize(
    "name", ["山田花子", "山田 花子", "みさき", "Ai Yazawa", "J.C.STAFF", "作画スタッフ", "Hanako Yamada"]
)
def test_names_are_kept(name: str) -> None:
    assert check_person_name(f" {name} ") == name


def test_usernames_have_one_spelling_and_a_skeleton() -> None:
    assert normalize_username("  Ｍａｎａｇｅｒ ") == "manager"
    assert username_skeleton("mаnager") == username_skeleton("manager") == username_skeleton("rnanager")
    assert username_skeleton("b0ss") == username_skeleton("boss") == username_skeleton("bοss")
    assert username_skeleton("alice") != username_skeleton("alicia")
    assert username_scripts("mаnager") == {"LATIN", "CYRILLIC"}
    assert username_scripts("山田はなこ") == {"japanese"} and username_scripts("user01") == {"LATIN"}
