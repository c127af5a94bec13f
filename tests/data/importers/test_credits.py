"""Credit importers: the three credit grammars, MADB JSON-LD, credit-roll text, canonical CSV (the MADB samples: test_madb*)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.credit_records import ParsedCredit
from data.importers import import_file, parse_credits
from data.importers.credit_text import classify_parenthetical, parse_madb_string
from data.schema import CreditLine, OrgAlias, Person, PersonAlias, Production
from tests.data.importers.helpers import FIX


def _parse(value: str) -> list[ParsedCredit]:
    return parse_madb_string(value, production="P", line=1, source_ref="C1")


def test_combined_role_splits_into_lines_sharing_a_source_id() -> None:
    cs = _parse("[演出、絵コンテ]山田花子 ／ 鈴木太郎")
    assert [(c.role_as_credited, c.role_code, c.name_as_credited, c.position_in_line) for c in cs] == [
        ("演出", "episode_director", "山田花子", 0),
        ("絵コンテ", "storyboard", "山田花子", 0),
        ("演出", "episode_director", "鈴木太郎", 1),
        ("絵コンテ", "storyboard", "鈴木太郎", 1),
    ]
    assert len({c.source_line_id for c in cs}) == 1
    # A middle dot inside one role name is not a separator.
    assert [c.role_code for c in _parse("[キャラクター・デザイン]杉野昭夫")] == ["character_design"]
    assert [c.role_code for c in _parse("[絵コンテ・演出]A")] == ["storyboard", "episode_director"]


def test_ndl_grammar_with_trailing_others() -> None:
    cs = _parse("原作:手塚治虫 ; 脚本:辻真先/山田太郎 ほか.")
    assert [(c.role_as_credited, c.name_as_credited) for c in cs] == [
        ("原作", "手塚治虫"),
        ("脚本", "辻真先"),
        ("脚本", "山田太郎"),
        ("脚本", "ほか"),
    ]


def test_cast_grammar() -> None:
    cs = _parse("[声の出演]　／　【強太】矢尾一樹　／　【】佐久間レイ　／　【出演】村瀬歩、木村良平")
    assert [(c.block, c.role_code, c.role_as_credited, c.name_as_credited) for c in cs] == [
        ("cast", "cast", "強太", "矢尾一樹"),
        ("cast", "cast", "", "佐久間レイ"),
        ("cast", "cast", "出演", "村瀬歩"),
        ("cast", "cast", "出演", "木村良平"),
    ]


def test_scopes_logos_notes_and_equivalence() -> None:
    cs = _parse(
        "[アニメーション制作]スタジオ雲雀[5、6話] ／ [演出]望都ゆたか[3～13話] ／ [制作]DropWave[ロゴ] ／ "
        "[演出（監督と同義）]藪下泰次 ／ [総作画監督]高*田 晃 ／ [異体字備考] ／ 〔〔「崎」の異字体〕〕"
    )
    credits = [c for c in cs if c.kind == "credit"]
    assert [(c.episode_scope, c.episode_from, c.episode_to) for c in credits[:2]] == [
        ("5、6話", None, None),
        ("3～13話", 3, 13),
    ]
    assert credits[0].is_organization and credits[2].is_logo and credits[2].name_as_credited == "DropWave"
    assert credits[3].role_code == "director" and "監督と同義" in credits[3].note
    assert credits[3].role_as_credited == "演出（監督と同義）"  # verbatim
    assert credits[4].name_as_credited == "高*田 晃"
    notes = [c for c in cs if c.kind == "note"]
    assert [(n.role_as_credited, n.name_as_credited) for n in notes] == [("異体字備考", "〔〔「崎」の異字体〕〕")]


@pytest.mark.parametrize(
    ("paren", "kind"),
    [
        ("（桂真佐喜）", "alias"),
        ("（テレコムスタッフ）", "affiliation"),
        (" （スタジオちゅーりっぷ）", "affiliation"),
        ("＜日本テレビ＞", "affiliation"),
        ("（NFC表記）", "unknown"),
        ("（読広）", "unknown"),
        ("(Tom Smith)", "alias"),
        ("（監督と同義）", "equivalence"),
    ],
)
def test_parentheticals_are_classified_not_assumed(paren: str, kind: str) -> None:
    assert classify_parenthetical(paren) == kind


def test_credit_roll_text_layouts() -> None:
    cs = list(parse_credits(FIX / "credit_roll.txt", production="星の庭"))
    got = [(c.line, c.role_as_credited, c.name_as_credited, c.position_in_line) for c in cs]
    assert got == [
        (1, "監督", "山田 花子", 0),
        (2, "演出", "鈴木 太郎", 0),
        (2, "絵コンテ", "鈴木 太郎", 0),
        (2, "演出", "佐藤 次郎", 1),
        (2, "絵コンテ", "佐藤 次郎", 1),
        (5, "原画", "山田 花子", 0),
        (6, "原画", "高橋 三郎", 1),
        (7, "原画", "ほか", 2),
        (9, "Background", "AI (+Human)", 0),
        (10, "動画検査", "", 0),
    ]
    assert cs[6].parenthetical == "（スタジオX）" and cs[6].parenthetical_kind == "affiliation"
    assert cs[8].role_code == "background"


def test_roleless_madb_entries_take_the_role_of_their_property(tmp_path: Path, session: Session) -> None:
    from analytics.credits.validator import validate_credits

    doc = {
        "@graph": [
            {
                "@id": "https://mediaarts-db.bunka.go.jp/id/C998",
                "@type": "AnimationTVRegularSeries",
                "identifier": "C998",
                "label": "役職なしの作品",
                "originalWorkCreator": "山田花子",
                "contributor": "[監督]鈴木太郎",
                "productionCompany": "スタジオX ／ [制作協力]スタジオY",
                "publisher": "MX",
                "actor": "小山力也",
                "copyrightHolder": "（C）役職なし製作委員会",
                "hasPart": [{"@id": "_:b1"}],
            },
            {"@id": "_:b1", "episodeNumber": "3", "publisher": "TBS"},
        ]
    }
    f = tmp_path / "roleless.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    cs = list(parse_credits(f))
    credits = [(c.role_as_credited, c.role_code, c.name_as_credited) for c in cs if c.kind == "credit"]
    assert credits == [
        ("", "original_creator", "山田花子"),
        ("監督", "director", "鈴木太郎"),
        ("", "animation_production", "スタジオX"),
        ("制作協力", "production_cooperation", "スタジオY"),
        ("", "cast", "小山力也"),
    ]
    derived = [c for c in cs if c.kind == "credit" and not c.role_as_credited]
    assert all("role derived from the MADB property" in c.note for c in derived)
    # The broadcaster is not a production role: a note, per episode where the episode names it.
    notes = [(c.role_as_credited, c.name_as_credited) for c in cs if c.kind == "note"]
    assert notes == [("publisher", "MX"), ("publisher", "[3]TBS"), ("copyrightHolder", "（C）役職なし製作委員会")]
    # Rule 13 (an entity with no role) counts a derived role as a role.
    report = validate_credits(cs)
    assert not [x for x in report.findings if x.rule == "not_a_credit"]
    s = import_file(session, path=f)
    assert (s.imported, s.rejected, s.details["notes"]) == (8, 0, 3)
    studio = session.scalars(select(CreditLine).where(CreditLine.name_as_credited == "スタジオX")).one()
    assert (studio.role_as_credited, studio.role.code, studio.org_alias_id is not None) == (
        "",
        "animation_production",
        True,
    )


def test_older_rdf_type_variant(tmp_path: Path, session: Session) -> None:
    doc = {
        "@graph": [
            {
                "@id": "https://mediaarts-db.bunka.go.jp/id/C999",
                "rdf:type": {"@id": "class:AnimationTVRegularSeries"},
                "schema:identifier": "C999",
                "rdfs:label": "旧形式の作品",
                "schema:contributor": "[監督]山田花子 ／ [原画]未定 ／ [動画]スタジオX",
                "schema:hasPart": [{"@id": "_:b1"}],
            },
            {"@id": "_:b1", "schema:episodeNumber": "3", "schema:contributor": "[作画監督]鈴木太郎"},
        ]
    }
    f = tmp_path / "old.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    cs = list(parse_credits(f))
    assert [(c.production, c.role_code, c.name_as_credited, c.episode_scope) for c in cs] == [
        ("旧形式の作品", "director", "山田花子", None),
        ("旧形式の作品", "key_animation", "未定", None),
        ("旧形式の作品", "inbetween", "スタジオX", None),
        ("旧形式の作品", "animation_director", "鈴木太郎", "3"),
    ]
    s = import_file(session, path=f)
    assert (s.imported, s.rejected) == (4, 0)
    prod = session.scalars(select(Production).where(Production.external_ref == "C999")).one()
    assert prod.kind == "tv"
    lines = {c.name_as_credited: c for c in session.scalars(select(CreditLine))}
    # The placeholder is kept verbatim as an unlinked alias: evidence for the validator.
    assert lines["未定"].person_alias.person_id is None and lines["未定"].person_alias.text == "未定"
    # An organization in a person-only role is stored only with the individuals marked uncredited.
    org_line = lines["スタジオX"]
    assert org_line.org_alias_id is not None and org_line.individuals_uncredited and org_line.role_person_only


def test_credit_lines_link_only_on_unambiguous_match(session: Session) -> None:
    p = Person(display_name="山田 花子")
    session.add(p)
    session.flush()
    session.add(PersonAlias(person_id=p.id, text="山田 花子", match_key="山田花子"))
    session.commit()
    s = import_file(session, path=FIX / "credits.csv")
    # Rows of a credit file are credits: the combined-role row counts once per role.
    assert (s.rows_total, s.imported, s.rejected_by_reason) == (6, 5, {"missing_value": 1})
    lines = {(c.role_as_credited, c.name_as_credited): c for c in session.scalars(select(CreditLine))}
    assert lines[("監督", "山田 花子")].person_alias.person_id == p.id
    assert lines[("背景", "AI (+Human)")].person_alias.person_id is None
    # A combined role splits as in MADB and credit-roll text: one line per role, one source_line_id.
    direction, storyboard = lines[("演出", "鈴木 太郎")], lines[("絵コンテ", "鈴木 太郎")]
    assert (direction.role.code, storyboard.role.code) == ("episode_director", "storyboard")
    assert direction.source_line_id == storyboard.source_line_id
    assert (direction.line_order, direction.episode_from, direction.episode_to) == (storyboard.line_order, 3, 13)
    assert "split from combined role '演出、絵コンテ'" in direction.note
    again = import_file(session, path=FIX / "credits.csv")
    assert (again.imported, again.unchanged) == (0, 5)
    studio = lines[("動画", "スタジオX")]
    assert studio.individuals_uncredited and session.get(OrgAlias, studio.org_alias_id).text == "スタジオX"


def test_credit_roll_text_import(session: Session) -> None:
    s = import_file(session, path=FIX / "credit_roll.txt", production="星の庭")
    assert (s.rows_total, s.imported, s.rejected_by_reason) == (10, 9, {"empty_name": 1})
    via = session.scalars(select(CreditLine).where(CreditLine.name_as_credited == "高橋 三郎")).one()
    assert via.via_org_id is not None and "affiliation" in via.note


def test_canonical_credit_rows_split_dotted_roles_like_madb(tmp_path: Path) -> None:
    f = tmp_path / "roll.csv"
    f.write_text(
        "production,role,name\n星の庭,絵コンテ・演出,鈴木 太郎\n星の庭,キャラクター・デザイン,山田 花子\n",
        encoding="utf-8",
    )
    cs = list(parse_credits(f))
    assert [(c.role_as_credited, c.role_code, c.line) for c in cs] == [
        ("絵コンテ", "storyboard", 2),
        ("演出", "episode_director", 2),
        ("キャラクター・デザイン", "character_design", 3),
    ]
    assert cs[0].source_line_id == cs[1].source_line_id != cs[2].source_line_id
    madb = _parse("[絵コンテ・演出]鈴木太郎")
    assert [c.role_code for c in madb] == [c.role_code for c in cs[:2]]
