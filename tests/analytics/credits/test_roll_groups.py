"""One line per person per role group, and an English roll with an English name for every role (no database)."""

from __future__ import annotations

import re

from analytics.credits.endroll import EndRoll, roll_csv, roll_json, roll_text, scope_text
from analytics.credits.roll_model import disclosures, printed_native, roll_lines
from analytics.queries.credits import PersonNames
from data.i18n import translator
from data.reference import load_roles

ROLES = {r["code"]: r for r in load_roles()}
# Kana, Chinese characters (incl. the CJK symbols block and full-width forms) and hangul: no English role has any.
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\uac00-\ud7af]")


def row(n: int, code: str | None, name: str, person: int | None, *, line: int, credited: str | None = None,
        scope: str | None = None, block: str = "main") -> dict:  # fmt: skip
    role = ROLES.get(code) if code else None
    return {
        "id": n, "block": block, "line_order": line, "name_as_credited": name, "person_id": person, "via": None,
        "role_as_credited": credited or (role["ja"] if role else ""), "episode_scope": scope,
        "role_id": list(ROLES).index(code) + 1 if role else None, "role_code": code,
        "role_ja": role["ja"] if role else None, "role_en": role["en"] if role else None,
        "role_sort": int(role["sort_order"]) if role else None,
    }  # fmt: skip


PEOPLE = {
    1: PersonNames(1, "青木 麻衣", romaji="Mai Aoki"),
    2: PersonNames(2, "石井 健", romaji="Ken Ishii"),
    3: PersonNames(3, "上田 翔", romaji="Shō Ueda"),
    4: PersonNames(4, "非公開 太郎", visibility="private"),
}


def roll_of(rows: list[dict], people: dict[int, PersonNames] = PEOPLE) -> EndRoll:
    return EndRoll(
        production_id=1, title="空の港", title_en="Sky Harbor", lines=roll_lines(rows, people), disclosures=[]
    )


def test_a_person_with_several_roles_is_credited_once_in_taxonomy_order() -> None:
    # credited 「監督・脚本・絵コンテ」 in one line (stored as three roles) plus a separate 絵コンテ line shared with 石井
    rows = [
        row(1, "storyboard", "青木 麻衣", 1, line=1, credited="監督・脚本・絵コンテ"),
        row(2, "director", "青木 麻衣", 1, line=1, credited="監督・脚本・絵コンテ"),
        row(3, "script", "青木 麻衣", 1, line=1, credited="監督・脚本・絵コンテ"),
        row(4, "storyboard", "石井 健", 2, line=2),
        row(5, "storyboard", "青木 麻衣", 1, line=2),
        row(6, "key_animation", "上田 翔", 3, line=3),
    ]
    roll = roll_of(rows)
    assert [(x.role_ja, [n.ja for n in x.names]) for x in roll.lines] == [
        ("監督・脚本・絵コンテ", ["青木麻衣"]),
        ("絵コンテ", ["石井健"]),
        ("原画", ["上田翔"]),
    ]
    grouped = roll.lines[0]
    assert grouped.role_en == "Director, Screenplay, Storyboard" and grouped.role_code == "director|script|storyboard"
    assert [r.code for r in grouped.roles] == ["director", "script", "storyboard"]
    assert grouped.names[0].credit_line_ids == (1, 2, 3, 5)  # every credit line the one name stands for
    text_ja, text_en = roll_text(roll, "ja"), roll_text(roll, "en")
    assert "監督・脚本・絵コンテ　青木麻衣\n" in text_ja and text_ja.count("青木麻衣") == 1
    assert "Director, Screenplay, Storyboard: Mai Aoki\n" in text_en and text_en.count("Mai Aoki") == 1
    assert "Storyboard: Ken Ishii\n" in text_en
    credit_rows = [r for r in roll_csv(roll).splitlines()[1:] if "青木" in r]
    assert credit_rows == ["FINAL,main,1,director|script|storyboard,監督・脚本・絵コンテ,"
                           '"Director, Screenplay, Storyboard",,0,青木麻衣,Mai Aoki,credit']  # fmt: skip
    assert '"role_ja": "監督・脚本・絵コンテ"' in roll_json(roll)


def test_groups_are_per_block_and_episode_and_keep_credited_order() -> None:
    rows = [
        row(1, "storyboard", "上田 翔", 3, line=1, scope="第1話"),
        row(2, "storyboard", "石井 健", 2, line=1, scope="第1話"),
        row(3, "episode_director", "石井 健", 2, line=2, scope="第1話"),
        row(4, "episode_director", "上田 翔", 3, line=2, scope="第1話"),
        row(5, "episode_director", "非公開 太郎", 4, line=2, scope="第1話"),
        row(6, "storyboard", "石井 健", 2, line=3, scope="第2話"),  # another episode: not grouped with episode 1
        row(7, "animation_director", "上田 翔", 3, line=4, block="ED"),  # another block
    ]
    lines = roll_of(rows).lines
    assert [(x.block, x.role_ja, x.episode_scope, [n.ja for n in x.names], x.withheld) for x in lines] == [
        ("main", "絵コンテ・演出", "第1話", ["上田翔", "石井健"], 0),  # in the order they were first credited
        ("main", "絵コンテ", "第2話", ["石井健"], 0),
        ("ED", "作画監督", None, ["上田翔"], 0),
    ]
    # the 演出 line keeps only the private person (withheld): like a line of withheld names only, it disappears
    assert all(x.role_ja != "演出" for x in lines)


def test_the_english_roll_names_every_role_of_the_taxonomy_in_english() -> None:
    rows = [row(i, code, f"Person {i}", None, line=i) for i, code in enumerate(ROLES, start=1)]
    rows.append(row(900, None, "Rinne AI Inc.", None, line=900, credited="AI技術協力"))  # outside the taxonomy's codes
    rows += [row(901 + i, code, "青木 麻衣", 1, line=901, credited="監督・脚本・絵コンテ", scope="1～4話")
             for i, code in enumerate(("director", "script", "storyboard"))]  # fmt: skip
    text = roll_text(roll_of(rows), "en")
    assert not CJK.findall(text), CJK.findall(text)
    for role in ROLES.values():
        assert f"{role['en']}" in text
    assert "AI Development: Rinne AI Inc." in text
    assert "Director, Screenplay, Storyboard [Episodes 1–4]: Mai Aoki" in text
    japanese = roll_text(roll_of(rows), "ja")
    assert "監督・脚本・絵コンテ [1～4話]　青木麻衣" in japanese and "AI技術協力　Rinne AI Inc." in japanese


def test_every_role_has_japanese_romaji_and_english() -> None:
    assert len(ROLES) >= 50
    for code, role in ROLES.items():
        assert role["ja"] and role["romaji"] and role["en"], code
        assert not CJK.search(role["en"]) and not CJK.search(role["romaji"]), code
    assert ROLES["script"]["en"] == "Screenplay"  # 脚本 as English credits write it
    assert len({r["ja"] for r in ROLES.values()}) == len(ROLES) == len({r["en"] for r in ROLES.values()})


def test_disclosures_keep_naming_the_operator_in_both_languages() -> None:
    people = {1: PersonNames(1, "青木 麻衣", romaji="Mai Aoki"), 2: PersonNames(2, "石井 健", visibility="private")}
    usage = {
        "id": 9,
        "operator_id": 1,
        "role_id": 5,
        "stage": "upscale",
        "service_id": 1,
        "service": "Up",
        "version": "",
    }
    role = type("Role", (), {"ja": "背景", "en": "Background Art"})()
    (d,) = disclosures([usage], {9: [2]}, people, {5: role})
    assert d.text_ja == "背景 青木麻衣（高解像度化: Up 使用）" and d.operators == ("青木麻衣",)
    assert d.text_en == "Background Art: Mai Aoki (upscaling: Up)"
    (hidden,) = disclosures([usage], {}, {1: PersonNames(1, "青木 麻衣", visibility="private")}, {})
    assert (hidden.text_ja, hidden.text_en) == (
        "AI使用 氏名非公開（高解像度化: Up 使用）",
        "AI use: name withheld (upscaling: Up)",
    )


def test_printed_names_and_scopes() -> None:
    assert printed_native("青木 麻衣") == "青木麻衣" and printed_native("青木　麻衣") == "青木麻衣"
    assert printed_native("김 민수") == "김민수" and printed_native("Mai Aoki") == "Mai Aoki"
    assert (
        printed_native("さとう イチ") == "さとうイチ"
        and printed_native("山田花子（スタジオ X）") == "山田花子（スタジオ X）"
    )
    en, ja = translator("en"), translator("ja")
    assert [scope_text(s, en) for s in ("第3話", "1～4話", "第１－２話", "OP")] == [
        "Episode 3",
        "Episodes 1–4",
        "Episodes 1–2",
        "OP",
    ]
    assert scope_text("1～4話", ja) == "1～4話"
