"""The person-or-organization call (data.credits.organizations), without a database: its evidence in order, the
consistency over one import, and its precision and recall on the labelled sample (tests/fixtures/madb)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from data.credit_records import ParsedCredit
from data.credits.organizations import EntityDecider, Lexicon, default_lexicon, legal_form, name_evidence, org_word
from data.credits.parts import map_role

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "madb" / "entity_labels.csv"


def credit(name: str, role: str = "原画", *, logo: bool = False, ref: str = "C1", **kw) -> ParsedCredit:
    return ParsedCredit(line=1, production="P", role_as_credited=role, name_as_credited=name,
                        role_code=map_role(role)[0], is_logo=logo, source="madb", source_ref=ref, **kw)  # fmt: skip


def measure(lexicon: Lexicon) -> tuple[float, float, list[str], list[str]]:
    """(precision, recall, false positives, misses) of "organization" on the labelled sample, all of it read as one
    import."""
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["label"] != "none"]
    credits = [credit(r["name"], r["role"], logo=r["logo"] == "1", ref=r["source"]) for r in rows]
    calls = EntityDecider(lexicon=lexicon).decide(credits)
    fp = [r["name"] for r, c in zip(rows, calls, strict=True) if c.is_organization and r["label"] == "person"]
    fn = [r["name"] for r, c in zip(rows, calls, strict=True) if not c.is_organization and r["label"] == "organization"]
    tp = sum(1 for r, c in zip(rows, calls, strict=True) if c.is_organization and r["label"] == "organization")
    return tp / (tp + len(fp)), tp / (tp + len(fn)), fp, fn


def test_precision_and_recall_on_the_labelled_sample() -> None:
    precision, recall, fp, fn = measure(default_lexicon())
    assert precision >= 0.99, fp
    assert recall >= 0.95, fn


def test_the_rules_alone_never_call_a_person_an_organization() -> None:
    # Without the lexicon the rules find fewer organizations, and still no person among them.
    precision, recall, fp, _fn = measure(Lexicon.empty())
    assert precision == 1.0, fp
    assert 0.5 < recall < 0.95  # the lexicon is what reaches the target: it is not dead weight


def test_the_sample_is_labelled_throughout() -> None:
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1050
    assert {r["label"] for r in rows} == {"person", "organization", "none"}
    assert all(r["why"].strip() for r in rows)
    assert sum(r["label"] == "organization" for r in rows) >= 300


@pytest.mark.parametrize(
    ("name", "basis", "reason"),
    [
        ("株式会社クリーチャーズ", "legal_form", "株式会社"),
        ("OLM Digital,Inc.", "legal_form", "Inc."),
        ("GAGA Communications., INC.", "legal_form", "INC."),
        ("上海果実文化伝播公司", "legal_form", "上海果実文化伝播公司"),
        ("「進撃の巨人」製作委員会", "org_word", "製作委員会"),
        ("スタジオぬえ", "org_word", "スタジオ"),
        ("WIT STUDIO", "org_word", "STUDIO"),
        ("コミックス・ウェーブ・フィルム", "org_word", "フィルム"),
        ("サンライズ", "lexicon", "animation_studio"),
        ("ufotable", "lexicon", "animation_studio"),
        ("東宝", "lexicon", "distributor"),
        ("博報堂", "lexicon", "other"),
    ],
)
def test_each_kind_of_evidence(name: str, basis: str, reason: str) -> None:
    found = name_evidence(name)
    assert found is not None and (found.organization, found.basis) == (True, basis)
    assert reason in found.reason or found.reason in reason


@pytest.mark.parametrize(
    "name",
    [
        "山田花子",
        "橘 公司",
        "ブラボー小松",
        "クリス・デラボルト",
        "く じ ら",
        "ごとうかずひこ",
        "Ai Yazawa",
        "大川博",
        "手塚治虫",
    ],
)
def test_people_carry_no_organization_evidence(name: str) -> None:
    assert name_evidence(name) is None and legal_form(name) is None and org_word(name) is None


def test_a_logo_marks_an_organization_and_the_import_follows_it() -> None:
    # GAINAX is a logo in one credit and a bare name in another: one organization, both times, with the reason.
    logo, bare = credit("GAINAX", "制作", logo=True, ref="C1"), credit("GAINAX", "脚本", ref="C2")
    decided = EntityDecider(lexicon=Lexicon.empty()).decide([bare, logo])
    assert [(c.is_organization, c.entity_basis) for c in decided] == [(True, "import"), (True, "marker")]
    assert decided[0].entity_reason == "marker: [ロゴ] (C1)"


def test_a_person_record_outweighs_the_lexicon_and_the_import_but_not_a_legal_form() -> None:
    people = {"サンライズ", "スタジオx"}
    decided = EntityDecider(person_keys=people).decide(
        [credit("サンライズ"), credit("スタジオX"), credit("株式会社スタジオX")]
    )
    assert [(c.is_organization, c.entity_basis) for c in decided] == [
        (False, "person_record"),
        (False, "person_record"),
        (True, "legal_form"),
    ]


def test_a_managers_call_wins_and_a_file_column_is_kept() -> None:
    decided = EntityDecider(overrides={"ufotable": False}).decide(
        [credit("ufotable", "脚本"), credit("山田花子", entity_basis="column", is_organization=True)]
    )
    assert [(c.is_organization, c.entity_basis) for c in decided] == [(False, "override"), (True, "column")]


def test_nothing_said_is_a_person_and_notes_pass_through() -> None:
    note = ParsedCredit(line=1, production="P", role_as_credited="備考", name_as_credited="スタジオ", kind="note")
    decided = EntityDecider(lexicon=Lexicon.empty()).decide([credit("鈴木太郎"), note])
    assert (decided[0].is_organization, decided[0].entity_basis, decided[0].entity_reason) == (
        False, "default", "no organization evidence",
    )  # fmt: skip
    assert decided[1] is note
