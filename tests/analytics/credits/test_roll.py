"""The end roll (order, names as chosen, AI disclosure, draft watermark, exports) and the artist credit record."""

from __future__ import annotations

import csv
import io
import json

import pytest
from pypdf import PdfReader

from analytics.credits.__main__ import main as cli
from analytics.credits.endroll import build_end_roll, export_roll, roll_csv, roll_json, roll_text
from analytics.credits.pdf import find_cjk_font
from analytics.credits.record import artist_record, ensure_can_view, export_record
from analytics.errors import EndRollError, FontNotFound, RecordError
from data.identity import Identity
from data.schema import Production
from services.credit_fixes import mark_individuals_uncredited, replace_and_others, repoint_credit_line
from tests.credits_fixtures import build_credit_studio


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def fix_all(session, s) -> None:
    """Resolve every ERROR the fixture plants, the way the Credits page would."""
    m = Identity(username="m", role="manager")
    repoint_credit_line(session, m, credit_line_id=s.lines["bg"].id, person_id=s.people["tanaka"].id)
    replace_and_others(session, m, credit_line_id=s.lines["script"].id, entries=[s.people["yamada"].id])
    mark_individuals_uncredited(session, m, credit_line_id=s.lines["inbetween"].id, reason="gross subcontract")
    session.commit()


def test_roll_order_by_block_taxonomy_and_position(session) -> None:
    s = build_credit_studio(session)
    # credited out of taxonomy order on purpose: 脚本 came first (line_order 5) but 監督 sorts before it
    s.credit("ed_song", None, "主題歌", "ゆめみバンド", line_order=1, block="ED")
    s.credit("thanks", None, "協力", "商店街のみなさま", line_order=2, block="special_thanks")
    s.credit("extra", None, "原画協力", "協力 太郎", line_order=31)  # outside the taxonomy: stays after 原画
    session.commit()
    roll = build_end_roll(session, production=s.production.id)
    assert [(line.block, line.role_ja) for line in roll.lines] == [
        ("main", "監督"),
        ("main", "脚本"),
        ("main", "キャラクターデザイン"),
        ("main", "原画"),
        ("main", "原画協力"),
        ("main", "動画"),
        ("main", "背景"),
        ("ED", "主題歌"),
        ("special_thanks", "協力"),
    ]
    key = next(line for line in roll.lines if line.role_ja == "原画")
    # position_in_line order, never re-sorted; 鈴木 (private) omitted and counted
    assert [n.ja for n in key.names] == ["さとうイチ", "伊藤五郎"]
    assert key.withheld == 1


def test_names_as_each_person_chose(session) -> None:
    s = build_credit_studio(session)
    fix_all(session, s)
    roll = build_end_roll(session, production=s.production.id)
    names = {(line.role_ja, n.ja, n.en) for line in roll.lines for n in line.names}
    # romaji given-first in English; 山田 also took over the 脚本 line (fix_all), so she is credited once for both
    assert ("監督・脚本", "山田花子", "Hanako Yamada") in names
    assert ("原画", "さとうイチ", "さとうイチ") in names  # pen name only, in both languages
    assert ("背景", "田中三郎", "Saburō Tanaka") in names  # the repointed placeholder prints the person's name
    text_ja, text_en = roll_text(roll, "ja"), roll_text(roll, "en")
    for hidden in ("佐藤一郎", "Ichirō", "鈴木次郎", "AI (+Human)"):
        assert hidden not in text_ja and hidden not in text_en
    assert "Key Animation: さとうイチ, Gorō Itō" in text_en
    assert "原画　さとうイチ　伊藤五郎" in text_ja


def test_a_person_with_several_roles_is_credited_once_in_every_export(session) -> None:
    s = build_credit_studio(session)
    fix_all(session, s)
    yamada = s.people["yamada"]
    # 山田 is 監督 (line 10) and, after fix_all, 脚本 (line 5); both also on a 絵コンテ line, 伊藤 already 原画
    s.credit("sb_yamada", "storyboard", "絵コンテ", "山田花子", line_order=12, person=yamada)
    s.credit("sb_ito", "storyboard", "絵コンテ", "伊藤五郎", line_order=12, position=1, person=s.people["ito"])
    session.commit()
    roll = build_end_roll(session, production=s.production.id)
    text_ja, text_en = roll_text(roll, "ja"), roll_text(roll, "en")
    credits_ja = text_ja.split("■ AI使用の表記")[0]
    assert "監督・脚本・絵コンテ　山田花子\n" in credits_ja and credits_ja.count("山田花子") == 1
    assert "絵コンテ・原画　伊藤五郎\n" in credits_ja and "\n原画　さとうイチ\n" in credits_ja
    credits_en = text_en.split("■ AI disclosure")[0]
    assert "Director, Screenplay, Storyboard: Hanako Yamada\n" in credits_en and credits_en.count("Hanako") == 1
    assert "Storyboard, Key Animation: Gorō Itō\n" in credits_en
    # every AI disclosure line still names the human operator
    assert "背景 山田花子、田中三郎（画像生成: BG-Gen 1.0 使用）" in text_ja
    assert "Background Art: Hanako Yamada, Saburō Tanaka (image generation: BG-Gen 1.0)" in text_en
    rows = [
        r for r in csv.DictReader(io.StringIO(roll_csv(roll))) if r["kind"] == "credit" and r["name_ja"] == "山田花子"
    ]
    assert [(r["role_code"], r["role_ja"], r["role_en"]) for r in rows] == [
        ("director|script|storyboard", "監督・脚本・絵コンテ", "Director, Screenplay, Storyboard")
    ]
    line = next(x for x in json.loads(roll_json(roll))["lines"] if x["role_code"] == "director|script|storyboard")
    assert [r["code"] for r in line["roles"]] == ["director", "script", "storyboard"]
    ids = line["names"][0]["credit_line_ids"]  # one per role; the 脚本 line is the one fix_all wrote for ほか
    assert len(set(ids)) == 3 and {s.lines["director"].id, s.lines["sb_yamada"].id} < set(ids)
    pdf_ja, pdf_en = pdf_text(export_roll(roll, "pdf", "ja")), pdf_text(export_roll(roll, "pdf", "en"))
    assert "監督・脚本・絵コンテ\n山田花子" in pdf_ja and "Director, Screenplay, Storyboard\nHanako Yamada" in pdf_en
    assert "スタッフ" in pdf_ja and "Staff" in pdf_en and "AI disclosure" in pdf_en


def test_ai_disclosure_names_operator_and_post_editor(session) -> None:
    s = build_credit_studio(session)
    roll = build_end_roll(session, production=s.production.id)
    (d,) = roll.disclosures
    assert d.text_ja == "背景 山田花子、田中三郎（画像生成: BG-Gen 1.0 使用）"
    assert d.text_en == "Background Art: Hanako Yamada, Saburō Tanaka (image generation: BG-Gen 1.0)"
    assert (d.operators, d.post_editors, d.assets) == (("山田花子",), ("田中三郎",), 3)
    assert "human" not in d.text_en.lower()


def test_roll_with_errors_exports_only_as_draft(session) -> None:
    s = build_credit_studio(session)
    roll = build_end_roll(session, production=s.production.id)
    assert roll.is_draft and "ai_plus_human" in roll.draft_reason()
    assert roll_text(roll).startswith("【DRAFT")
    assert {row["status"] for row in csv.DictReader(io.StringIO(roll_csv(roll)))} == {"DRAFT"}
    payload = json.loads(roll_json(roll))
    assert payload["status"] == "DRAFT" and any(e["rule"] == "ai_plus_human" for e in payload["errors"])
    text = pdf_text(export_roll(roll, "pdf"))
    assert "DRAFT" in text and "公開不可" in text

    fix_all(session, s)
    final = build_end_roll(session, production=s.production.id)
    assert not final.is_draft, [f for f in final.errors]
    assert "DRAFT" not in roll_text(final) and "DRAFT" not in pdf_text(export_roll(final, "pdf"))
    assert json.loads(roll_json(final))["status"] == "FINAL"


def test_pdf_renders_japanese_names(session) -> None:
    s = build_credit_studio(session)
    fix_all(session, s)
    roll = build_end_roll(session, production=s.production.id)
    text = pdf_text(export_roll(roll, "pdf", "ja"))
    for expected in ("テスト作品", "監督", "山田花子", "さとうイチ", "田中三郎", "画像生成: BG-Gen 1.0 使用"):
        assert expected in text
    assert "鈴木次郎" not in text
    english = pdf_text(export_roll(roll, "pdf", "en"))
    assert "Hanako Yamada" in english and "Test Show" in english


def test_csv_and_json_exports_keep_order_and_names(session) -> None:
    s = build_credit_studio(session)
    fix_all(session, s)
    roll = build_end_roll(session, production=s.production.id)
    data = export_roll(roll, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    key = [r["name_ja"] for r in rows if r["role_ja"] == "原画"]
    assert key == ["さとうイチ", "伊藤五郎"]
    assert rows[-1]["kind"] == "ai_disclosure"
    payload = json.loads(export_roll(roll, "json"))
    key_line = next(line for line in payload["lines"] if line["role_code"] == "key_animation")
    assert [n["ja"] for n in key_line["names"]] == ["さとうイチ", "伊藤五郎"] and key_line["withheld"] == 1
    with pytest.raises(EndRollError, match="unknown format"):
        export_roll(roll, "docx")


def test_font_is_found_or_the_error_names_the_package(monkeypatch) -> None:
    assert find_cjk_font().is_file()
    monkeypatch.setattr("analytics.credits.fonts.FONT_CANDIDATES", ("/nonexistent/font.ttf",))
    monkeypatch.setattr("analytics.credits.fonts.NOTO_CANDIDATES", ("/nonexistent/font.ttc",))
    monkeypatch.setattr("analytics.credits.fonts.shutil.which", lambda _name: None)
    with pytest.raises(FontNotFound, match="fonts-ipafont-gothic"):
        find_cjk_font()
    with pytest.raises(FontNotFound, match="apt-get install -y fonts-noto-cjk"):
        find_cjk_font()


def test_artist_record_across_productions_through_aliases(session) -> None:
    s = build_credit_studio(session)
    imported = Production(title="昔の映画", kind="film", external_ref="C999")
    session.add(imported)
    session.flush()
    # an imported public credit: unlinked alias with another spacing of 渡辺's name
    s.production, internal = imported, s.production
    line = s.credit("madb", "animation_director", "作画監督", "渡辺　六郎", line_order=1)
    line.source, line.source_ref = "madb", "C999"
    s.credit("other", "animation_director", "作画監督", "別人 さん", line_order=1, position=1)
    s.production = internal
    session.commit()

    frame = artist_record(session, person_id=s.people["watanabe"].id)
    assert list(frame["production"]) == ["テスト作品", "昔の映画"] or list(frame["production"]) == [
        "昔の映画",
        "テスト作品",
    ]
    assert set(frame["role_as_credited"]) == {"キャラクターデザイン", "作画監督"}
    assert set(frame["source"]) == {"internal", "madb"}
    assert set(frame["match"]) == {"name"}  # both are unlinked spellings matched by key
    assert "別人 さん" not in set(frame["name_as_credited"])

    yamada = artist_record(session, person_id=s.people["yamada"].id)
    assert list(yamada["match"]) == ["linked"] and list(yamada["role_ja"]) == ["監督"]
    assert "山田花子" in pdf_text(export_record(session, person_id=s.people["yamada"].id, fmt="pdf"))
    assert "監督" in export_record(session, person_id=s.people["yamada"].id, fmt="csv").decode("utf-8-sig")
    payload = json.loads(export_record(session, person_id=s.people["watanabe"].id, fmt="json"))
    assert len(payload["credits"]) == 2
    assert {type(c["production_id"]) for c in payload["credits"]} == {int}
    assert {c["year"] for c in payload["credits"]} == {None}
    with pytest.raises(RecordError, match="no person"):
        artist_record(session, person_id=999999)


def test_record_guard() -> None:
    ensure_can_view("manager", None, 5)
    ensure_can_view("artist", 5, 5)
    with pytest.raises(PermissionError, match="only their own"):
        ensure_can_view("artist", 4, 5)
    with pytest.raises(PermissionError, match="aggregates"):
        ensure_can_view("advocate", None, 5)
    with pytest.raises(PermissionError):
        ensure_can_view(None, None, 5)


def test_cli_check_exit_codes(engine, capsys) -> None:
    from sqlalchemy.orm import Session

    url = engine.url.render_as_string(hide_password=False)
    with Session(engine, expire_on_commit=False) as session:
        s = build_credit_studio(session)
        pid = s.production.id
    assert cli(["check", str(pid), "--database-url", url, "--format", "json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["has_errors"] and payload["counts"]["ai_plus_human"] == 1
    assert cli(["check", "no such production", "--database-url", url]) == 2
    assert "no production" in capsys.readouterr().err
    with Session(engine, expire_on_commit=False) as session:
        s.session = session
        fix_all(session, s)
    assert cli(["check", "テスト作品", "--database-url", url]) == 0
    out = capsys.readouterr().out
    assert "ERROR" not in out.splitlines()[-1].split(":")[0]
    assert cli(["roll", str(pid), "--database-url", url, "--lang", "en"]) == 0
    assert "Hanako Yamada" in capsys.readouterr().out


def test_cli_check_file(tmp_path, capsys) -> None:
    sample = tmp_path / "roll.txt"
    sample.write_text("Background Designer: AI (+Human)\n原画: 山田花子, 佐藤一郎\n", encoding="utf-8")
    assert cli(["check", str(sample), "--format", "csv"]) == 1
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["line"], r["severity"], r["rule"], r["role"]) for r in rows] == [
        ("1", "ERROR", "ai_plus_human", "Background Designer")
    ]
    clean = tmp_path / "clean.txt"
    clean.write_text("原画: 山田花子, 佐藤一郎\n", encoding="utf-8")
    assert cli(["check", str(clean)]) == 0
    assert "2 credits checked: 0 ERROR" in capsys.readouterr().out
