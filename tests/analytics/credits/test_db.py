"""Stored credits, cross-checks with labor records and the fixing operations, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from analytics.credits.crosscheck import check_production, crosscheck
from analytics.credits.stored import find_production, stored_credits
from analytics.credits.validator import ToolDictionary
from analytics.errors import ProductionNotFound
from data.credit_fixes import (
    CreditFixError,
    link_alias,
    mark_individuals_uncredited,
    record_incomplete_list_reason,
    replace_and_others,
    repoint_credit_line,
)
from data.schema import AuditEvent, CreditLine, PersonAlias, Service
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


def test_fixes_resolve_findings_and_are_audited(session) -> None:
    s = build_credit_studio(session)
    # 背景 "AI (+Human)": point the line at the retoucher; the verbatim text stays as evidence.
    line = repoint_credit_line(session, s.lines["bg"].id, person_id=s.people["tanaka"].id, actor="manager1")
    assert line.name_as_credited == "AI (+Human)"
    # ほか: replace with the full list, in order
    new_lines = replace_and_others(
        session, s.lines["script"].id, [s.people["yamada"].id, "脚本 太郎"], actor="manager1"
    )
    assert [n.name_as_credited for n in new_lines] == ["山田花子", "脚本 太郎"]
    assert [n.position_in_line for n in new_lines] == [0, 1]
    # the studio: individuals uncredited, with a reason
    mark_individuals_uncredited(
        session, s.lines["inbetween"].id, "gross subcontract; names not supplied", actor="manager1"
    )
    # the unlinked spelling of 渡辺
    alias_id = s.lines["chara"].person_alias_id
    link_alias(session, alias_id, s.people["watanabe"].id, actor="manager1")
    session.commit()

    found = by_rule(check_production(session, production=s.production.id))
    assert [f.severity for f in found["ai_plus_human"]] == ["INFO"]  # linked: the roll names 田中
    assert "and_others" not in found
    assert [f.severity for f in found["org_in_person_role"]] == ["INFO"]
    assert "ai_operator_missing" not in found  # 田中 (post-editor) is now credited in 背景
    assert not any(f.name == "田中三郎" and f.severity == "ERROR" for f in found.get("uncredited_worker", []))
    assert not any(f.name == "渡辺 六郎" for f in found.get("uncredited_worker", []))

    events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == [
        "credit.repoint_line",
        "credit.replace_and_others",
        "credit.individuals_uncredited",
        "credit.link_alias",
    ]
    assert all(e.actor == "manager1" for e in events)
    assert events[0].old_values["person_alias_id"] != events[0].new_values["person_alias_id"]
    assert events[1].old_values["name_as_credited"] == "ほか"
    assert events[3].old_values == {"person_id": None}


def test_replace_and_others_keeps_the_role_line_order(session) -> None:
    s = build_credit_studio(session)
    # 原画: さとうイチ(0), 鈴木次郎(1), 伊藤五郎(2); make 鈴木's slot an incomplete list and expand it
    hoka = s.credit("hoka", "key_animation", "原画", "ほか", line_order=30, position=3)
    replace_and_others(session, hoka.id, ["甲", "乙", "丙"], actor="m")
    session.commit()
    names = session.scalars(
        select(CreditLine.name_as_credited).where(CreditLine.line_order == 30).order_by(CreditLine.position_in_line)
    ).all()
    assert names == ["さとうイチ", "鈴木次郎", "伊藤五郎", "甲", "乙", "丙"]
    mid = s.credit("mid", "key_animation", "原画", "他", line_order=30, position=1)
    session.execute(
        CreditLine.__table__.update()
        .where(CreditLine.line_order == 30, CreditLine.id != mid.id, CreditLine.position_in_line >= 1)
        .values(position_in_line=CreditLine.position_in_line + 1)
    )
    replace_and_others(session, mid.id, ["丁", "戊"], actor="m")
    session.commit()
    names = session.scalars(
        select(CreditLine.name_as_credited).where(CreditLine.line_order == 30).order_by(CreditLine.position_in_line)
    ).all()
    assert names == ["さとうイチ", "丁", "戊", "鈴木次郎", "伊藤五郎", "甲", "乙", "丙"]


def test_fix_errors_are_actionable(session) -> None:
    s = build_credit_studio(session)
    placeholder = s.lines["bg"].person_alias_id
    with pytest.raises(CreditFixError, match="placeholder"):
        link_alias(session, placeholder, s.people["tanaka"].id, actor="m")
    with pytest.raises(CreditFixError, match="actor"):
        record_incomplete_list_reason(session, s.lines["script"].id, "lost", actor=" ")
    with pytest.raises(CreditFixError, match="reason is required"):
        record_incomplete_list_reason(session, s.lines["script"].id, "", actor="m")
    with pytest.raises(CreditFixError, match="organization lines only"):
        mark_individuals_uncredited(session, s.lines["director"].id, "x", actor="m")
    with pytest.raises(CreditFixError, match="no credit line"):
        repoint_credit_line(session, 999999, person_id=s.people["tanaka"].id, actor="m")
    with pytest.raises(CreditFixError, match="placeholder"):
        replace_and_others(session, s.lines["script"].id, ["human"], actor="m")
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_recorded_reason_for_an_incomplete_list(session) -> None:
    s = build_credit_studio(session)
    record_incomplete_list_reason(session, s.lines["script"].id, "original list lost", actor="m")
    session.commit()
    found = by_rule(check_production(session, production=s.production.id))
    assert [f.severity for f in found["and_others"]] == ["INFO"]
    assert session.scalar(select(func.count()).select_from(PersonAlias).where(PersonAlias.text == "ほか")) == 1
