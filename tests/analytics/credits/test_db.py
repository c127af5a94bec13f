"""Stored credits and their cross-checks with labor records, on SQLite and PostgreSQL (the fixes: tests/services)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from analytics.credits.crosscheck import check_production, crosscheck
from analytics.credits.stored import find_production, stored_credits
from analytics.credits.validator import ToolDictionary
from analytics.errors import ProductionNotFound
from data.schema import Service
from tests.credits_fixtures import build_credit_studio


def by_rule(report_or_findings) -> dict[str, list]:
    findings = getattr(report_or_findings, "findings", report_or_findings)
    out: dict[str, list] = {}
    for f in findings:
        out.setdefault(f.rule, []).append(f)
    return out


def test_stored_credits_in_roll_order(session) -> None:
    s = build_credit_studio(session)
    credits = stored_credits(session, production_id=s.production.id)
    assert [c.credit.name_as_credited for c in credits] == [
        "ほか",
        "山田花子",
        "渡辺 六郎",
        "さとうイチ",
        "鈴木次郎",
        "伊藤五郎",
        "下請けスタジオB",
        "AI (+Human)",
    ]
    assert [c.credit.line for c in credits] == list(range(1, 9))
    bg = credits[-1]
    assert bg.person_id is None and bg.credit.role_code == "background"
    assert credits[1].person_id == s.people["yamada"].id
    assert credits[6].org_alias_id is not None and credits[6].individuals_uncredited


def test_find_production_by_id_title_or_reference(session) -> None:
    s = build_credit_studio(session)
    assert find_production(session, str(s.production.id)).id == s.production.id
    assert find_production(session, "Test Show").id == s.production.id
    with pytest.raises(ProductionNotFound, match="no production"):
        find_production(session, "存在しない作品")


def test_check_production_reports_the_planted_problems(session) -> None:
    s = build_credit_studio(session)
    report = check_production(session, production=s.production.id)
    found = by_rule(report)
    assert report.has_errors
    (bg,) = found["ai_plus_human"]
    assert (bg.severity, bg.line, bg.role, bg.credit_line_id) == ("ERROR", 8, "背景", s.lines["bg"].id)
    assert [f.severity for f in found["and_others"]] == ["WARN"]
    assert [f.severity for f in found["org_in_person_role"]] == ["WARN"]

    uncredited = {(f.name, f.severity) for f in found["uncredited_worker"]}
    # 田中 made the backgrounds and is credited nowhere; 高橋 is covered by the studio credit; 渡辺 by an unlinked alias
    assert ("田中三郎", "ERROR") in uncredited
    assert ("高橋四郎", "WARN") in uncredited
    assert ("渡辺 六郎", "INFO") in uncredited
    assert not any(f.name in {"山田花子", "佐藤一郎", "鈴木次郎"} for f in found["uncredited_worker"])
    assert [f.name for f in found["credited_without_work"]] == ["伊藤五郎"]
    (ai,) = found["ai_operator_missing"]
    assert ai.severity == "ERROR" and "BG-Gen" in ai.message and "田中三郎" in ai.message


def test_uncredited_worker_error_names_the_role(session) -> None:
    s = build_credit_studio(session)
    s.work(s.people["ito"], "inbetween")  # 伊藤 is credited for 原画, but also did 動画 uncredited
    session.commit()
    found = by_rule(crosscheck(session, production_id=s.production.id))
    ito = [f for f in found["uncredited_worker"] if f.name == "伊藤五郎"]
    assert [(f.severity, f.role) for f in ito] == [("ERROR", "動画")]
    assert "credited only as 原画" in ito[0].message


def test_ai_tool_from_the_service_table_credited_as_author(session) -> None:
    s = build_credit_studio(session)
    # The database refuses the tool's exact name as a person alias (a trigger); a spelling variant gets past it,
    # and the validator, which reads the service table, catches it.
    s.credit("tool", "key_animation", "原画", "BG-Gen 1.0", line_order=30, position=3)
    session.commit()
    found = by_rule(check_production(session, production=s.production.id))
    assert [(f.name, f.severity) for f in found["tool_credited"]] == [("BG-Gen 1.0", "ERROR")]
    assert ToolDictionary.from_session(session).match("BG-Gen") == ("tool", "BG-Gen")


def test_placeholder_operator_in_ai_ledger_is_an_error(session) -> None:
    s = build_credit_studio(session)
    ghost = s.person("ghost", "human")
    s.ai_usage(session.scalars(select(Service)).first(), ghost, "background", [])
    session.commit()
    msgs = [f.message for f in by_rule(crosscheck(session, production_id=s.production.id))["ai_operator_missing"]]
    assert any("'human'" in m and "not a person's name" in m for m in msgs)
