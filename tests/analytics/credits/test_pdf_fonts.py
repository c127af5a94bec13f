"""The PDFs' fonts: Japanese, Chinese and Korean text drawn, embedded and extractable; a character no installed font
has is refused by name, never left out (fpdf2 alone would drop it and only log it)."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from pypdf import PdfReader

from analytics.credits import fonts
from analytics.credits.__main__ import main as cli
from analytics.credits.endroll import EndRoll, roll_pdf, roll_text
from analytics.credits.pdf import Document, Line, Table, check, render
from analytics.credits.record import export_record, record_pdf_refusal
from analytics.credits.roll_model import roll_lines
from analytics.errors import MissingGlyphs
from analytics.queries.credits import PersonNames
from data.schema import Production
from tests.credits_fixtures import build_credit_studio

SHANGHAI = "上海云帆动画有限公司"  # 动 is Simplified Chinese: IPA Gothic has no glyph for it
KOREAN = "김민수"
PUA = "\ue000"  # Private Use Area: no font has it


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def embedded_font_files(data: bytes) -> list[str]:
    """The font file kind each font of the PDF embeds (FontFile2: TrueType)."""
    out = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            out += [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor]
    return out


def overseas_roll(extra: str = "") -> EndRoll:
    def row(n: int, role: tuple[str, str, str, int], name: str, person: int | None = None) -> dict:
        code, ja, en, sort = role
        return {"id": n, "block": "main", "line_order": n, "role_as_credited": ja, "name_as_credited": name,
                "episode_scope": None, "role_id": n, "role_code": code, "role_ja": ja, "role_en": en,
                "role_sort": sort, "person_id": person, "via": None}  # fmt: skip

    rows = [
        row(1, ("director", "監督", "Director", 40), "山田花子", 1),
        row(2, ("ink_and_paint", "仕上げ", "Ink & Paint", 310), SHANGHAI + extra),
        row(3, ("inbetween", "動画", "In-Between Animation", 290), KOREAN),
        row(4, ("key_animation", "原画", "Key Animation", 260), "Łukasz Nowak"),  # Ł: only IPA Gothic has it
    ]
    people = {1: PersonNames(1, "山田花子", romaji="Hanako Yamada")}
    return EndRoll(
        production_id=1, title="海の港", title_en="Sea Harbor", lines=roll_lines(rows, people), disclosures=[]
    )


def test_noto_cjk_is_found_first_and_ipa_gothic_after_it() -> None:
    found = fonts.find_fonts()
    assert [f.name for f in found][:1] == ["Noto Sans CJK JP"]
    assert len(found) == 2 and "IPA" in found[1].name and not found[1].is_cff
    assert found[0].is_cff  # Debian's Noto CJK is a PostScript-outline collection, converted before embedding


def test_fontconfig_finds_noto_when_the_known_paths_are_absent(monkeypatch) -> None:
    monkeypatch.setattr(fonts, "NOTO_CANDIDATES", ("/nonexistent/NotoSansCJK-Regular.ttc",))
    noto = fonts.find_noto_cjk()
    assert noto is not None and noto.name == "Noto Sans CJK JP" and noto.path.is_file()


def test_chinese_company_and_korean_name_are_drawn_and_extractable(caplog) -> None:
    roll = overseas_roll()
    for lang in ("ja", "en"):
        with caplog.at_level(logging.WARNING):
            data = roll_pdf(roll, lang)
        assert "missing the following glyphs" not in caplog.text
        text = pdf_text(data)
        assert SHANGHAI in text and KOREAN in text and "Łukasz Nowak" in text
        assert "\x00" not in text
        # every font is embedded (TrueType outlines, cut to the characters used)
        assert set(embedded_font_files(data)) == {"/FontFile2"}
    assert "仕上げ" in pdf_text(roll_pdf(roll, "ja")) and "Ink & Paint" in pdf_text(roll_pdf(roll, "en"))


def test_a_missing_glyph_is_refused_by_name() -> None:
    roll = overseas_roll(extra=PUA)
    with pytest.raises(MissingGlyphs) as refused:
        roll_pdf(roll, "ja")
    error = refused.value
    assert "U+E000" in str(error) and "Noto Sans CJK JP" in str(error) and "IPAGothic" in str(error)
    assert f"「{SHANGHAI}{PUA}」" in str(error)  # the string that holds it
    assert "apt-get install -y fonts-noto-cjk" in error.message("cli")
    page = error.message("page")
    assert "U+E000" in page and "apt-get" not in page and "fonts-noto-cjk" in page
    assert error.params["characters"] == PUA
    assert f"{SHANGHAI}{PUA}" in roll_text(roll, "ja")  # the text export keeps the character


def test_a_restricted_font_refuses_every_character_it_lacks(tmp_path: Path, monkeypatch) -> None:
    # IPA Gothic cut down to ASCII: a deliberately restricted font, as on a machine with the wrong font installed
    from fontTools import subset
    from fontTools.ttLib import TTFont

    ipa = fonts.find_japanese_truetype()
    with TTFont(str(ipa.path)) as font:
        subsetter = subset.Subsetter(subset.Options())
        subsetter.populate(unicodes=[*range(0x20, 0x7F), 0x2014])  # ASCII and the footer dash
        subsetter.subset(font)
        font.save(str(tmp_path / "ascii.ttf"))
    monkeypatch.setattr("analytics.credits.pdf.find_fonts", lambda: (fonts.Font(tmp_path / "ascii.ttf"),))
    assert render(Document(title="Sea Harbor", blocks=(Line("Director: Hanako Yamada"),)))  # ASCII is fine
    with pytest.raises(MissingGlyphs, match=r"海 \(U\+6D77 CJK UNIFIED IDEOGRAPH-6D77\)") as refused:
        check(Document(title="海の港", blocks=(Table(("年",), (("2025",),), (20,)),)))
    assert str(tmp_path / "ascii.ttf") in str(refused.value)
    assert refused.value.params["characters"] == "海の港年"


def test_without_noto_ipa_gothic_draws_japanese_and_korean_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(fonts, "NOTO_CANDIDATES", ("/nonexistent/NotoSansCJK-Regular.ttc",))
    monkeypatch.setattr(fonts.shutil, "which", lambda _name: None)  # no fontconfig either
    assert [f.is_cff for f in fonts.find_fonts()] == [False]
    assert "山田花子" in pdf_text(render(Document(title="海の港", blocks=(Line("監督　山田花子"),))))
    with pytest.raises(MissingGlyphs) as refused:
        roll_pdf(overseas_roll(), "ja")
    assert "动 (U+52A8" in str(refused.value) and "김 (U+AE40" in str(refused.value)
    assert "fonts-noto-cjk" in str(refused.value)


def test_artist_record_pdf_follows_the_same_font_rules(session) -> None:
    s = build_credit_studio(session)
    overseas = Production(title=SHANGHAI, title_en="Yunfan Works", kind="film")
    session.add(overseas)
    session.flush()
    s.production = overseas
    s.credit("kr", "animation_director", "作画監督", KOREAN, line_order=1, person=s.people["yamada"])
    session.commit()
    yamada = s.people["yamada"].id

    ja = pdf_text(export_record(session, person_id=yamada, fmt="pdf"))
    assert SHANGHAI in ja and KOREAN in ja and "クレジット記録: 山田花子" in ja and "作画監督" in ja
    en = pdf_text(export_record(session, person_id=yamada, fmt="pdf", lang="en"))
    assert "Credit record: 山田花子 (Hanako Yamada)" in en and "Yunfan Works" in en and "Animation Director" in en
    assert "2 credits in 2 productions" in en and "2作品でクレジット2件" in ja
    assert record_pdf_refusal(session, person_id=yamada, lang="ja") is None

    overseas.title = f"{SHANGHAI}{PUA}"
    session.commit()
    refusal = record_pdf_refusal(session, person_id=yamada, lang="ja")
    assert record_pdf_refusal(session, person_id=yamada, lang="en") is None  # the English record shows title_en
    assert isinstance(refusal, MissingGlyphs) and "U+E000" in refusal.message("page")
    with pytest.raises(MissingGlyphs, match="U\\+E000"):
        export_record(session, person_id=yamada, fmt="pdf")
    assert PUA in export_record(session, person_id=yamada, fmt="csv").decode("utf-8-sig")


def test_cli_refuses_a_pdf_with_a_missing_glyph_by_name(engine, tmp_path: Path, capsys) -> None:
    from sqlalchemy.orm import Session

    url = engine.url.render_as_string(hide_password=False)
    with Session(engine, expire_on_commit=False) as session:
        s = build_credit_studio(session)
        s.credit("paint", "ink_and_paint", "仕上げ", f"{SHANGHAI}{PUA}", line_order=36)
        session.commit()
        pid = s.production.id
    out = tmp_path / "roll.pdf"
    assert cli(["roll", str(pid), "--format", "pdf", "--output", str(out), "--database-url", url]) == 2
    err = capsys.readouterr().err
    assert "U+E000" in err and "apt-get install -y fonts-noto-cjk" in err and not out.exists()
    assert cli(["roll", str(pid), "--format", "text", "--lang", "en", "--database-url", url]) == 0
    assert f"Ink & Paint: {SHANGHAI}{PUA}" in capsys.readouterr().out
    yamada = s.people["yamada"].id
    assert cli(["record", str(yamada), "--format", "pdf", "--lang", "en", "-o", str(out), "--database-url", url]) == 0
    assert "Credit record: 山田花子 (Hanako Yamada)" in pdf_text(out.read_bytes())
