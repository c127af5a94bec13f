"""The credit rule table (§4): each rule fires on its examples and stays quiet on the false-positive traps."""

from __future__ import annotations

import pytest

from analytics.credits.rules import RULES, Severity, name_hits
from analytics.credits.validator import RoleIndex, StoredCredit, ToolDictionary, validate_credits
from data.credit_records import ParsedCredit


def credit(name: str, role: str = "原画", line: int = 1, **kw) -> ParsedCredit:
    return ParsedCredit(line=line, production="テスト作品", role_as_credited=role, name_as_credited=name, **kw)


def rules_of(*credits, **kw) -> list[tuple[str, str]]:
    report = validate_credits(list(credits), **kw)
    return [(f.rule, str(f.severity)) for f in report.findings]


POSITIVE = [
    # (name, role, rule, severity)
    ("AI", "背景", "ai_as_author", "ERROR"),
    ("生成AI", "背景", "ai_as_author", "ERROR"),
    ("人工知能", "原画", "ai_as_author", "ERROR"),
    ("algorithm", "原画", "ai_as_author", "ERROR"),
    ("AI (+Human)", "背景", "ai_plus_human", "ERROR"),
    ("AI(+Human)", "背景", "ai_plus_human", "ERROR"),
    ("ＡＩ（＋Ｈｕｍａｎ）", "背景", "ai_plus_human", "ERROR"),
    ("AI＋人間", "背景", "ai_plus_human", "ERROR"),
    ("AIと人間", "背景", "ai_plus_human", "ERROR"),
    ("AI & human", "背景", "ai_plus_human", "ERROR"),
    ("human-assisted AI", "背景", "ai_plus_human", "ERROR"),
    ("AI with human touch-ups", "背景", "ai_plus_human", "ERROR"),
    ("AI Staff", "背景", "ai_plus_human", "ERROR"),
    ("Midjourney", "背景", "tool_credited", "ERROR"),
    ("Stable Diffusion XL", "原画", "tool_credited", "ERROR"),
    ("rinna", "背景", "tool_credited", "ERROR"),
    ("human", "背景", "generic_human", "ERROR"),
    ("Human", "背景", "generic_human", "ERROR"),
    ("Staff", "動画", "generic_human", "ERROR"),
    ("スタッフ", "動画", "generic_human", "ERROR"),
    ("the crew", "動画", "generic_human", "ERROR"),
    ("不明", "動画", "anonymous", "ERROR"),
    ("anonymous", "動画", "anonymous", "ERROR"),
    ("Unknown", "動画", "anonymous", "ERROR"),
    ("not credited", "動画", "anonymous", "ERROR"),
    ("ノンクレジット", "動画", "anonymous", "ERROR"),
    ("[unknown]", "動画", "anonymous", "ERROR"),
    ("未定", "監督", "tbd", "ERROR"),
    ("TBD", "監督", "tbd", "ERROR"),
    ("○○", "監督", "tbd", "ERROR"),
    ("XXXX", "監督", "tbd", "ERROR"),
    ("ダミー", "監督", "tbd", "ERROR"),
    ("Lorem ipsum", "監督", "tbd", "ERROR"),
    ("", "原画", "empty_name", "ERROR"),
    ("   ", "原画", "empty_name", "ERROR"),
    ("―――――", "アニメーション制作", "empty_name", "ERROR"),
    ("-", "原画", "empty_name", "ERROR"),
    ("？", "原画", "empty_name", "ERROR"),
    ("高*田 晃", "原画", "glyph_placeholder", "WARN"),
    ("長濱*博史", "演出", "glyph_placeholder", "WARN"),
    ("山〓太郎", "演出", "glyph_placeholder", "WARN"),
    ("ほか", "脚本", "and_others", "WARN"),
    ("他", "スタッフ", "and_others", "WARN"),
    ("その他", "原画", "and_others", "WARN"),
    ("and others", "Key Animation", "and_others", "WARN"),
    ("貝澤幸男ほか", "演出", "and_others", "WARN"),
    ("貝澤幸男 ほか", "演出", "and_others", "WARN"),
    ("テレビせとうち（TSC）ほか", "製作", "and_others", "WARN"),
    ("kaz14ほか", "原画", "and_others", "WARN"),
    ("Marcus Reyesほか", "原画", "and_others", "WARN"),
    ("ごとうかずひこほか", "脚本", "and_others", "WARN"),  # a name in kana, then ほか
    ("スタジオロビン他", "アニメーション制作", "and_others", "WARN"),  # katakana, then 他
    ("さくらほか", "原画", "and_others", "WARN"),
    ("山田太郎 ら", "原画", "and_others", "WARN"),
    ("Yamada Hanako et al.", "Key Animation", "and_others", "WARN"),
    ("本作品スタッフ一同", "協力", "group_blanket", "WARN"),
    ("CGスタッフ一同", "CG", "group_blanket", "WARN"),
    ("全員", "原画", "group_blanket", "WARN"),
    ("背景", "背景", "name_is_role", "ERROR"),
    ("撮影部", "撮影", "name_is_role", "ERROR"),
    ("Background Art", "背景", "name_is_role", "ERROR"),
    ("null", "原画", "sentinel_id", "ERROR"),
    ("0", "原画", "sentinel_id", "ERROR"),
    ("-1", "原画", "sentinel_id", "ERROR"),
    ("N/A", "原画", "sentinel_id", "ERROR"),
]


@pytest.mark.parametrize(("name", "role", "rule", "severity"), POSITIVE)
def test_rule_fires(name: str, role: str, rule: str, severity: str) -> None:
    assert (rule, severity) in rules_of(credit(name, role))


# The false-positive traps of §4, and ordinary names that look close to a rule.
NEGATIVE = [
    ("AIC", "アニメーション制作"),
    ("AIC ASTA", "アニメーション制作"),
    ("AIC PLUS+", "制作協力"),
    ("GAINAX", "アニメーション制作"),
    ("RAI", "製作"),
    ("スタジオぷYUKAI", "制作協力"),
    ("J.C.STAFF", "アニメーション制作"),
    ("J.C.スタッフ", "アニメーション制作"),
    ("トライアングルスタッフ", "アニメーション制作"),
    ("テレコムスタッフ", "制作協力"),
    ("スタッフ21", "制作協力"),
    ("アニメーションスタッフルーム", "制作協力"),
    ("畑中国明", "原画"),
    ("Ai Yazawa", "原作"),
    ("Yazawa Ai", "原作"),
    ("Ai", "原画"),
    ("矢沢あい", "原作"),
    ("ほかむら", "原画"),
    ("ほか映", "キャスト"),
    ("穂花ほかり", "原画"),
    ("く じ ら", "原画"),  # a name written with a space between its characters, not a list ending in ら
    ("関 智 一", "原画"),
    ("ちほか", "原画"),
    ("山崎あきら", "美術"),
    ("宮下あきら", "原作"),
    ("出渕　裕", "メカニックデザイン"),
    ("Makihara Ryōtarō", "Director"),
    ("sasakure.UK", "Theme Song"),
    ("TK", "主題歌"),
    ("rinna", "AI開発"),
    ("Production I.G", "制作協力"),
    ("Human Yamada", "原画"),
]


@pytest.mark.parametrize(("name", "role"), NEGATIVE)
def test_false_positive_traps_do_not_fire(name: str, role: str) -> None:
    assert rules_of(credit(name, role)) == []


def test_dog_and_boy_line_is_an_error() -> None:
    line = ParsedCredit(
        line=7,
        production="犬と少年",
        role_as_credited="Background Designer",
        name_as_credited="AI (+Human)",
        source="onscreen",
    )
    report = validate_credits([line])
    assert report.has_errors
    (finding,) = report.findings
    assert (finding.rule, finding.severity, finding.line, finding.role, finding.name) == (
        "ai_plus_human",
        Severity.ERROR,
        7,
        "Background Designer",
        "AI (+Human)",
    )
    assert "AI-usage ledger" in finding.message


def test_ai_plus_human_split_into_name_and_parenthetical() -> None:
    # a reader may keep "(+Human)" apart as the parenthetical; the pair is still the Dog & Boy pattern
    assert rules_of(credit("AI", "背景", parenthetical="(+Human)")) == [("ai_plus_human", "ERROR")]
    assert rules_of(credit("山田花子", "背景", parenthetical="(スタジオX)")) == []


def test_ai_is_case_sensitive_and_whole_token() -> None:
    assert [h.rule for h in name_hits("AI")] == ["ai_as_author"]
    assert name_hits("Ai") == []
    assert name_hits("AI 山田") == []  # a token of a longer name, not the whole credit


def test_archival_sentinel_is_a_warning_only_in_archival_sources() -> None:
    assert rules_of(credit("[unknown]", source="madb")) == [("anonymous", "WARN")]
    assert rules_of(credit("[unknown]", source="internal")) == [("anonymous", "ERROR")]


def test_vendor_allowed_in_organization_role_but_tool_never() -> None:
    assert rules_of(credit("rinna", "AI開発")) == []
    assert rules_of(credit("rinna", "背景")) == [("tool_credited", "ERROR")]
    assert rules_of(credit("Midjourney", "AI開発")) == [("tool_credited", "ERROR")]


def test_database_tools_extend_the_dictionary() -> None:
    tools = ToolDictionary(tools=("BG-Gen Tool",), vendors=())
    assert rules_of(credit("BG-Gen Tool v2", "背景"), tools=tools) == [("tool_credited", "ERROR")]
    assert rules_of(credit("Midjourney", "背景"), tools=tools) == []


def test_organization_alone_in_person_only_role_depends_on_scope() -> None:
    studio = dict(is_organization=True)
    alone = credit("スタジオX", "動画", line=1, episode_from=1, episode_to=4, episode_scope="1～4話", **studio)
    assert rules_of(alone) == [("org_in_person_role", "WARN")]
    # a person credited in the same role for an overlapping scope: the studio is an affiliation, not a blank
    person = credit("山田花子", "動画", line=2, episode_from=3, episode_to=3)
    assert rules_of(alone, person) == []
    # a person in another scope does not cover it
    other = credit("山田花子", "動画", line=2, episode_from=5, episode_to=5)
    assert rules_of(alone, other) == [("org_in_person_role", "WARN")]
    # organization roles may name a studio alone
    assert rules_of(credit("スタジオX", "制作協力", **studio)) == []


def test_organization_guess_when_source_does_not_say() -> None:
    assert rules_of(credit("株式会社スタジオX", "動画")) == [("org_in_person_role", "WARN")]
    assert rules_of(credit("山田花子", "動画")) == []


def test_recorded_reason_turns_org_warning_into_info() -> None:
    line = credit("スタジオX", "動画", is_organization=True)
    stored = StoredCredit(
        credit=line,
        credit_line_id=5,
        org_alias_id=1,
        individuals_uncredited=True,
        uncredited_reason="gross subcontract; the studio did not give names",
    )
    assert rules_of(stored) == [("org_in_person_role", "INFO")]


def test_linked_placeholder_is_info_but_unlinked_is_error() -> None:
    line = credit("human", "背景")
    assert rules_of(StoredCredit(credit=line, credit_line_id=1, person_alias_id=9)) == [("generic_human", "ERROR")]
    assert rules_of(StoredCredit(credit=line, credit_line_id=1, person_alias_id=9, person_id=3)) == [
        ("generic_human", "INFO")
    ]


def test_and_others_with_reason_is_info() -> None:
    stored = StoredCredit(
        credit=credit("ほか", "脚本"),
        credit_line_id=1,
        person_alias_id=2,
        uncredited_reason="list lost; archive request filed",
    )
    assert rules_of(stored) == [("and_others", "INFO")]


def test_role_and_entity_annotations() -> None:
    assert rules_of(credit("「崎」の異字体", "異体字備考")) == [("not_a_credit", "WARN")]
    assert rules_of(credit("*以下、資料より", "")) == [("not_a_credit", "WARN")]
    assert rules_of(credit("山田花子", "")) == [("not_a_credit", "WARN")]
    note = ParsedCredit(line=1, production="p", role_as_credited="異体字備考", name_as_credited="x", kind="note")
    report = validate_credits([note])
    assert report.findings == [] and report.notes_skipped == 1 and report.credits_checked == 0


def test_unlinked_spellings_of_one_name_are_info() -> None:
    found = rules_of(
        credit("本田雅也", "原画", line=1), credit("本田 雅也", "原画", line=2), credit("本田雅也", "動画", line=3)
    )
    assert found == [("unlinked_variants", "INFO")]


def test_machine_translated_residue() -> None:
    ja = credit("山田花子", "背景", line=1)
    en = credit("AI (+Human)", "Background Designer", line=2)
    assert rules_of(ja, en) == [("ai_plus_human", "ERROR"), ("mt_residue", "WARN")]
    assert ("mt_residue", "WARN") not in rules_of(en)


def test_findings_keep_source_order_and_name_the_line() -> None:
    report = validate_credits([credit("山田花子", line=1), credit("未定", line=2), credit("ほか", line=3)])
    assert [(f.line, f.rule) for f in report.findings] == [(2, "tbd"), (3, "and_others")]
    frame = report.to_frame()
    assert list(frame.columns[:6]) == ["line", "role", "name", "rule", "severity", "message"]
    assert report.counts() == {"tbd": 1, "and_others": 1}


def test_role_index_maps_credited_role_strings() -> None:
    roles = RoleIndex.default()
    assert roles.resolve(None, "Background Designer").code == "background"
    assert roles.resolve(None, "演出（監督と同義）").code == "episode_director"
    assert roles.resolve("key_animation", "whatever").code == "key_animation"
    assert roles.resolve(None, "謎の役職") is None


def test_every_rule_has_a_severity_and_a_reference() -> None:
    for rule in RULES.values():
        assert rule.severity in set(Severity) and rule.ref and rule.title
