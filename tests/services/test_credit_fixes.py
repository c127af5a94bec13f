"""Fixing credits: each fix resolves what the validator reports, is audited with the actor, and is refused to
anyone but a manager; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from analytics.credits.crosscheck import check_production
from data.identity import Identity
from data.schema import AuditEvent, CreditLine, PersonAlias
from services.credit_fixes import (
    CreditFixError,
    link_alias,
    mark_individuals_uncredited,
    record_incomplete_list_reason,
    replace_and_others,
    repoint_credit_line,
)
from services.errors import PermissionDenied
from tests.credits_fixtures import build_credit_studio

MANAGER1 = Identity(username="manager1", role="manager")
M = Identity(username="m", role="manager")


def by_rule(report) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in report.findings:
        out.setdefault(f.rule, []).append(f)
    return out


def test_fixes_resolve_findings_and_are_audited(session) -> None:
    s = build_credit_studio(session)
    # 背景 "AI (+Human)": point the line at the retoucher; the verbatim text stays as evidence.
    line = repoint_credit_line(session, MANAGER1, credit_line_id=s.lines["bg"].id, person_id=s.people["tanaka"].id)
    assert line.name_as_credited == "AI (+Human)"
    # ほか: replace with the full list, in order
    new_lines = replace_and_others(
        session, MANAGER1, credit_line_id=s.lines["script"].id, entries=[s.people["yamada"].id, "脚本 太郎"]
    )
    assert [n.name_as_credited for n in new_lines] == ["山田花子", "脚本 太郎"]
    assert [n.position_in_line for n in new_lines] == [0, 1]
    # the studio: individuals uncredited, with a reason
    mark_individuals_uncredited(
        session, MANAGER1, credit_line_id=s.lines["inbetween"].id, reason="gross subcontract; names not supplied"
    )
    # the unlinked spelling of 渡辺
    alias_id = s.lines["chara"].person_alias_id
    link_alias(session, MANAGER1, alias_id=alias_id, person_id=s.people["watanabe"].id)
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
    replace_and_others(session, M, credit_line_id=hoka.id, entries=["甲", "乙", "丙"])
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
    replace_and_others(session, M, credit_line_id=mid.id, entries=["丁", "戊"])
    session.commit()
    names = session.scalars(
        select(CreditLine.name_as_credited).where(CreditLine.line_order == 30).order_by(CreditLine.position_in_line)
    ).all()
    assert names == ["さとうイチ", "丁", "戊", "鈴木次郎", "伊藤五郎", "甲", "乙", "丙"]


def test_fix_errors_are_actionable(session) -> None:
    s = build_credit_studio(session)
    placeholder = s.lines["bg"].person_alias_id
    with pytest.raises(CreditFixError, match="placeholder"):
        link_alias(session, M, alias_id=placeholder, person_id=s.people["tanaka"].id)
    # Without an actor there is nobody to audit, and nobody may fix (this was a blank actor string before).
    with pytest.raises(PermissionDenied, match="nobody is signed in"):
        record_incomplete_list_reason(session, None, credit_line_id=s.lines["script"].id, reason="lost")
    with pytest.raises(CreditFixError, match="reason is required") as no_reason:
        record_incomplete_list_reason(session, M, credit_line_id=s.lines["script"].id, reason="")
    assert "fill in 'Reason'" in no_reason.value.message("page")
    with pytest.raises(CreditFixError, match="organization lines only"):
        mark_individuals_uncredited(session, M, credit_line_id=s.lines["director"].id, reason="x")
    with pytest.raises(CreditFixError, match="no credit line"):
        repoint_credit_line(session, M, credit_line_id=999999, person_id=s.people["tanaka"].id)
    with pytest.raises(CreditFixError, match="placeholder"):
        replace_and_others(session, M, credit_line_id=s.lines["script"].id, entries=["human"])
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0


@pytest.mark.parametrize(
    "actor", [None, Identity(username="rep", role="advocate"), Identity(username="a", role="artist", person_id=1)]
)
def test_only_a_manager_fixes_credits(session, actor: Identity | None) -> None:
    s = build_credit_studio(session)
    line, tanaka = s.lines["bg"].id, s.people["tanaka"].id
    fixes = [
        lambda: repoint_credit_line(session, actor, credit_line_id=line, person_id=tanaka),
        lambda: replace_and_others(session, actor, credit_line_id=s.lines["script"].id, entries=[tanaka]),
        lambda: record_incomplete_list_reason(session, actor, credit_line_id=s.lines["script"].id, reason="lost"),
        lambda: mark_individuals_uncredited(session, actor, credit_line_id=s.lines["inbetween"].id, reason="x"),
        lambda: link_alias(session, actor, alias_id=s.lines["chara"].person_alias_id, person_id=tanaka),
    ]
    for fix in fixes:
        with pytest.raises(PermissionDenied, match="only a manager can fix credits"):
            fix()
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0
    assert session.get(CreditLine, line).person_alias_id == s.lines["bg"].person_alias_id


def test_recorded_reason_for_an_incomplete_list(session) -> None:
    s = build_credit_studio(session)
    record_incomplete_list_reason(session, M, credit_line_id=s.lines["script"].id, reason="original list lost")
    session.commit()
    found = by_rule(check_production(session, production=s.production.id))
    assert [f.severity for f in found["and_others"]] == ["INFO"]
    assert session.scalar(select(func.count()).select_from(PersonAlias).where(PersonAlias.text == "ほか")) == 1
