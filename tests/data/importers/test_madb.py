"""The Media Arts Database's credit strings in every grammar it publishes, read from the samples in
tests/fixtures/madb (no database), and imported on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from data.credit_records import ParsedCredit
from data.credits.madb_strings import parse_madb_string
from data.credits.parts import map_role
from data.importers import parse_credits

MADB_FIX = Path(__file__).resolve().parents[2] / "fixtures" / "madb"
AN208 = MADB_FIX / "metadata_an-col_an208_00001.json"
CRAFTED = MADB_FIX / "crafted_grammars.json"
SAMPLES = sorted(MADB_FIX.glob("*.json"))
ROLE_BRACKET = re.compile(r"[\[\]［］【】]")
SEPARATOR_RUN = re.compile(r"([◆◇■□●○★☆―─━\-＝=~〜～・…])\1{2,}")
ROLE_PREFIX = re.compile(r"^([^:：]{1,20})[:：]")


def parse(value: str, field: str = "contributor", block: str = "main") -> list[ParsedCredit]:
    return parse_madb_string(value, production="P", line=1, source_ref="C1", field=field, block=block)


def credits_of(value: str, **kw) -> list[tuple[str, str]]:
    return [(c.role_as_credited, c.name_as_credited) for c in parse(value, **kw) if c.kind == "credit"]


def not_a_name(name: str) -> str | None:
    """Why ``name`` must never be stored as a name: a role bracket, a ``役職:`` prefix, a separator run."""
    if ROLE_BRACKET.search(name):
        return "role bracket"
    m = ROLE_PREFIX.match(name)
    if m and map_role(m.group(1))[0]:
        return "role prefix"
    if SEPARATOR_RUN.search(name):
        return "separator run"
    return None


def test_full_width_role_brackets_read_like_half_width_ones() -> None:
    assert credits_of("［原作］矢立肇 ／ ［監督］富野由悠季 ／ ［脚本・構成］星山博之") == [
        ("原作", "矢立肇"), ("監督", "富野由悠季"), ("脚本・構成", "星山博之"),
    ]  # fmt: skip
    assert [c.role_code for c in parse("［原作］矢立肇 ／ ［監督］富野由悠季")] == ["original_creator", "director"]


def test_the_catalogue_grammar_reads_every_group() -> None:
    cs = parse("原作:なばたとしたか 監督:山本裕介 シリーズ構成:ふでやすかずゆき 声の出演:山下誠一郎/清水愛 ほか.")
    assert [(c.role_as_credited, c.name_as_credited, c.role_code, c.block) for c in cs] == [
        ("原作", "なばたとしたか", "original_creator", "main"),
        ("監督", "山本裕介", "director", "main"),
        ("シリーズ構成", "ふでやすかずゆき", "series_composition", "main"),
        ("声の出演", "山下誠一郎", "cast", "cast"),
        ("声の出演", "清水愛", "cast", "cast"),
        ("声の出演", "ほか", "cast", "cast"),  # the trailing ほか is its own entry
    ]
    # A name that carries a colon is no role group (QP:flapper), nor is a source note after a name.
    assert credits_of("[キャラクター原案]QP:flapper") == [("キャラクター原案", "QP:flapper")]
    assert credits_of("山本三郎:日本アニメーション映画史P226記載なし") == [("", "山本三郎")]


def test_a_cast_scope_may_hold_commas_and_ranges() -> None:
    (c,) = parse("【暖蜜先生[70～72、76話]】壇蜜", field="actor", block="cast")
    assert (c.role_as_credited, c.name_as_credited, c.episode_scope, c.role_code) == (
        "暖蜜先生", "壇蜜", "70～72、76話", "cast",
    )  # fmt: skip
    assert credits_of("【ペジテ／アスベル】松田洋治 ／ 【】冨永みーな", field="actor", block="cast") == [
        ("ペジテ／アスベル", "松田洋治"), ("", "冨永みーな"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("【店主[", "truncated"),
        ("[原画]森康二 ／ [動", "truncated"),
        ("◆◆◆◆", "separator"),
        ("】】", "fragment"),
        ("【【【！！！メインスタッフ要修正！！！】】】（NFC記載のみ）", "editorial"),
        ("[アニメーション制作]―――――", "empty"),
        ("[原画] ／ [動画]山田花子", "empty"),
    ],
)
def test_source_artifacts_are_defects_of_the_record_never_names(value: str, kind: str) -> None:
    out = parse(value, field="actor" if value.startswith("【店") else "contributor")
    defects = [c for c in out if c.kind == "defect"]
    assert [c.role_as_credited for c in defects] == [kind]
    assert all(not_a_name(c.name_as_credited) is None and c.name_as_credited for c in out if c.kind == "credit")


def test_names_in_brackets_qualifiers_and_notes_that_span_entries() -> None:
    assert credits_of("[製作][日本テレビ放送網]") == [("製作", "日本テレビ放送網")]
    assert credits_of("【[ケータ]】[戸松 遥]", field="actor", block="cast") == [("[ケータ]", "戸松 遥")]
    assert credits_of("[原画][中堅原画]久保川美明") == [("原画", "久保川美明")]
    assert credits_of("[原作]石井桃子\u3000[絵]清水崑") == [("原作", "石井桃子"), ("絵", "清水崑")]
    spanning = "[動画]（吉村祥　／　[動画]木村綾子　／　[動画]山本三郎:日本アニメーション映画史P226記載なし）"
    cs = [c for c in parse(spanning) if c.kind == "credit"]
    assert [c.name_as_credited for c in cs] == ["吉村祥", "木村綾子", "山本三郎"]
    assert "P226記載なし" in cs[2].note and "opens" in cs[0].note


def test_a_logo_and_organization_words_are_evidence_kept_with_the_credit() -> None:
    logo, studio = [c for c in parse("[制作]DropWave[ロゴ] ／ [アニメーション制作]スタジオ雲雀") if c.kind == "credit"]
    assert (logo.is_organization, logo.entity_basis, logo.is_logo) == (True, "marker", True)
    assert (studio.is_organization, studio.entity_basis, studio.entity_reason) == (True, "org_word", "スタジオ")
    (person,) = parse("[原画]山田花子")
    assert (person.is_organization, person.entity_basis) == (False, "default")


def test_the_same_credit_under_several_properties_is_one_credit() -> None:
    cs = list(parse_credits(CRAFTED))
    by_record = Counter((c.source_ref, c.role_as_credited, c.name_as_credited) for c in cs if c.kind == "credit")
    assert max(by_record.values()) == 1
    # contributor and schema:contributor in one record: nothing lost, the shared credit once
    m1 = [(c.role_as_credited, c.name_as_credited) for c in cs if c.source_ref == "M900001" and c.kind == "credit"]
    assert (
        ("原作", "なばたとしたか") in m1 and ("アニメーション制作", "スタジオ架空") in m1 and ("監督", "山本裕介") in m1
    )
    (original,) = [c for c in cs if c.source_ref == "M900001" and c.role_as_credited == "原作"]
    assert "published under contributor ×2" in original.note
    # a studio in contributor and, role-less, in productionCompany: one line, under the published role
    (studio,) = [c for c in cs if c.source_ref == "C900003" and c.name_as_credited == "サンライズ"]
    assert (studio.role_as_credited, studio.is_logo) == ("制作", True)
    assert "contributor, productionCompany" in studio.note


def test_the_older_variant_and_the_issues_strings() -> None:
    cs = {(c.source_ref, c.name_as_credited): c for c in parse_credits(CRAFTED) if c.kind == "credit"}
    assert cs[("C900003", "矢立肇")].production == "架空のロボット物語"
    assert cs[("C900003", "壇蜜")].episode_scope == "70～72、76話"
    assert cs[("C900003", "く じ ら")].role_code == "cast"
    assert cs[("M900002", "スタジオロビン他")].is_organization
    defects = [(c.source_ref, c.role_as_credited, c.name_as_credited) for c in parse_credits(CRAFTED)
               if c.kind == "defect"]  # fmt: skip
    assert defects == [("C900003", "separator", "◆◆◆◆"), ("C900003", "truncated", "【店主[")]


def test_an208_whole_file_counts() -> None:
    cs = list(parse_credits(AN208))
    kinds = Counter(c.kind for c in cs)
    assert (len({c.source_ref for c in cs}), kinds["credit"], kinds["note"], kinds["defect"]) == (36, 587, 10, 1)
    assert sum(1 for c in cs if c.kind == "credit" and c.is_organization) == 20


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_no_sample_credit_names_a_bracket_a_role_prefix_or_a_separator(path: Path) -> None:
    cs = [c for c in parse_credits(path) if c.kind == "credit"]
    assert cs
    bad = [
        (c.source_ref, c.name_as_credited, not_a_name(c.name_as_credited)) for c in cs if not_a_name(c.name_as_credited)
    ]
    assert bad == []
    assert all(c.name_as_credited.strip() for c in cs)
    assert all(c.entity_basis for c in cs)  # every call has its reason
