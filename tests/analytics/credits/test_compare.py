"""The credit cross-checks and the end roll's lines computed from records (no database)."""

from __future__ import annotations

from analytics.credits.crosscheck import LaborRecords, compare
from analytics.credits.endroll import disclosures, roll_lines
from analytics.credits.stored import as_stored
from analytics.queries.credits import PersonNames
from analytics.queries.credits_checks import RoleRow

KEY = RoleRow(1, "key_animation", "原画", "Key Animation", True, 260)
BG = RoleRow(2, "background", "背景", "Background Art", True, 350)
MUSIC = RoleRow(3, "music", "音楽", "Music", False, 170)


def line(n: int, name: str, role: RoleRow | None, person: int | None, **extra: object) -> dict:
    return {"id": 100 + n, "role_as_credited": role.ja if role else "Thanks", "name_as_credited": name, "block": "main",
            "line_order": n, "position_in_line": 0, "episode_scope": None, "episode_from": None, "episode_to": None,
            "source": "internal", "source_ref": None, "source_line_id": None, "note": None, "person_alias_id": 500 + n,
            "org_alias_id": None, "individuals_uncredited": False, "uncredited_reason": None, "production": "Sky",
            "role_code": role.code if role else None, "person_id": person} | extra  # fmt: skip


def test_workers_missing_from_the_credits_and_credits_without_work() -> None:
    credits = as_stored([line(1, "山田花子", KEY, 1), line(2, "鈴木", KEY, 3), line(3, "作曲家", MUSIC, 4)])
    assert [c.credit.line for c in credits] == [1, 2, 3]
    records = LaborRecords(
        worked={(1, 1), (2, 1), (2, 2)},
        episodes={},
        people={p: PersonNames(p, n) for p, n in ((1, "山田花子"), (2, "佐藤一郎"), (3, "鈴木"), (4, "作曲家"))},
        roles={r.id: r for r in (KEY, BG, MUSIC)},
    )
    found = [(f.rule, str(f.severity), f.person_id, f.role) for f in compare("Sky", credits, records)]
    assert found == [
        ("uncredited_worker", "ERROR", 2, "原画"),
        ("uncredited_worker", "ERROR", 2, "背景"),
        ("credited_without_work", "WARN", 3, "原画"),  # 作曲家 in 音楽 is not a person-only role: no work expected
    ]


def test_ai_use_whose_people_are_not_credited() -> None:
    credits = as_stored([line(1, "山田花子", BG, 1)])
    usage = {"id": 9, "operator_id": 7, "role_id": BG.id, "stage": "generation", "service_id": 1, "service": "BG-Gen",
             "version": "1.0"}  # fmt: skip
    records = LaborRecords(worked=set(), episodes={}, people={1: PersonNames(1, "山田花子"), 7: PersonNames(7, "AI")},
                           roles={BG.id: BG}, usages=[usage], editors={9: [1]})  # fmt: skip
    found = compare("Sky", credits, records)
    assert [(f.rule, f.person_id) for f in found] == [("ai_operator_missing", 7)]  # 山田花子 edited it and is credited
    assert "first #9" in found[0].message


def test_roll_lines_honor_each_persons_choice_and_disclose_ai_use() -> None:
    people = {1: PersonNames(1, "山田花子", romaji="Hanako Yamada"), 2: PersonNames(2, "佐藤", visibility="private"),
              3: PersonNames(3, "鈴木一郎", visibility="pen_name_only", pen_name="いちろう")}  # fmt: skip
    row = {"block": "main", "line_order": 1, "role_as_credited": "原画", "episode_scope": None, "role_id": KEY.id,
           "role_code": KEY.code, "role_ja": KEY.ja, "role_en": KEY.en, "role_sort": KEY.sort_order, "via": None}  # fmt: skip
    rows = [row | {"id": 1, "name_as_credited": "山田花子", "person_id": 1},
            row | {"id": 2, "name_as_credited": "佐藤", "person_id": 2},
            row | {"id": 3, "name_as_credited": "鈴木一郎", "person_id": 3, "via": "スタジオB"},
            row | {"id": 4, "line_order": 0, "role_as_credited": "Special FX", "role_id": None, "role_code": None,
                   "role_ja": None, "role_en": None, "role_sort": None, "name_as_credited": "Jo", "person_id": None}]  # fmt: skip
    lines = roll_lines(rows, people)
    assert [(x.role_ja, [n.ja for n in x.names], x.withheld) for x in lines] == [
        ("Special FX", ["Jo"], 0),
        ("原画", ["山田花子", "いちろう（スタジオB）"], 1),
    ]
    assert [n.en for n in lines[1].names] == ["Hanako Yamada", "いちろう (スタジオB)"]
    usage = {"id": 9, "operator_id": 1, "role_id": BG.id, "stage": "generation", "service_id": 1, "service": "BG-Gen",
             "version": "1.0"}  # fmt: skip
    (text,) = disclosures([usage], {9: [2]}, people, {BG.id: BG})
    assert text.text_ja == "背景 山田花子（画像生成: BG-Gen 1.0 使用）" and text.post_editors == ()
