"""The credit checks on the demo studio (seed 7), which plants the real-world failures on purpose."""

from __future__ import annotations

from sqlalchemy import select

from analytics.credits.crosscheck import check_production
from analytics.credits.endroll import build_end_roll, roll_text
from analytics.credits.record import artist_record
from data.identity import Identity
from data.schema import Account, AiUsage, Production, ai_usage_post_editor
from services.credit_fixes import repoint_credit_line


def production(session, kind: str) -> Production:
    return session.scalars(select(Production).where(Production.kind == kind)).one()


def found(report) -> dict[tuple[str, str], list]:
    out: dict[tuple[str, str], list] = {}
    for f in report.findings:
        out.setdefault((f.rule, str(f.severity)), []).append(f)
    return out


def test_short_film_dog_and_boy_pattern(demo_session) -> None:
    short = production(demo_session, "short")
    report = check_production(demo_session, production=short.id)
    by = found(report)
    assert [f.name for f in by[("ai_plus_human", "ERROR")]] == ["AI (+Human)"]
    assert [f.name for f in by[("generic_human", "ERROR")]] == ["human"]
    assert by[("ai_operator_missing", "ERROR")]
    # the people who operated the generator and retouched the backgrounds are the uncredited workers
    usage_people = set(demo_session.scalars(select(AiUsage.operator_id).where(AiUsage.production_id == short.id)))
    usage_people |= set(
        demo_session.scalars(
            select(ai_usage_post_editor.c.person_id)
            .join(AiUsage, AiUsage.id == ai_usage_post_editor.c.ai_usage_id)
            .where(AiUsage.production_id == short.id)
        )
    )
    uncredited = {f.person_id for f in by[("uncredited_worker", "ERROR")]}
    assert usage_people and usage_people <= uncredited
    # the studio credited alone in a person-only role has its reason recorded; the AI vendor in an org role is fine
    assert ("org_in_person_role", "INFO") in by
    assert not any(rule == "tool_credited" for rule, _s in by)


def test_short_film_roll_becomes_final_once_the_people_are_named(demo_session) -> None:
    short = production(demo_session, "short")
    roll = build_end_roll(demo_session, production=short.id)
    assert roll.is_draft and roll.disclosures
    operator_names = {name for d in roll.disclosures for name in (*d.operators, *d.post_editors)}
    assert operator_names and all("human" not in n.lower() for n in operator_names)

    report = check_production(demo_session, production=short.id)
    lines = {f.name: f.credit_line_id for f in report.findings if f.rule in {"ai_plus_human", "generic_human"}}
    people = sorted({f.person_id for f in report.findings if f.rule == "uncredited_worker"})
    operator = demo_session.scalars(select(AiUsage.operator_id).where(AiUsage.production_id == short.id)).first()
    retoucher = next(p for p in people if p != operator)
    tester = Identity(username="test", role="manager")
    repoint_credit_line(demo_session, tester, credit_line_id=lines["AI (+Human)"], person_id=operator)
    repoint_credit_line(demo_session, tester, credit_line_id=lines["human"], person_id=retoucher)
    demo_session.commit()

    final = build_end_roll(demo_session, production=short.id)
    assert not final.is_draft, [(f.rule, f.name, f.message) for f in final.errors]
    text = roll_text(final)
    assert "AI (+Human)" not in text and "human" not in text
    assert all(name in text for name in operator_names)


def test_tv_series_placeholders_and_uncredited_workers(demo_session) -> None:
    tv = production(demo_session, "tv")
    by = found(check_production(demo_session, production=tv.id))
    assert {f.name for f in by[("tbd", "ERROR")]} == {"未定"}
    assert any(f.name == "ほか" for f in by[("and_others", "WARN")])
    assert any(f.name.endswith("ほか") and f.name != "ほか" for f in by[("and_others", "WARN")])
    roles = {f.role for f in by[("uncredited_worker", "ERROR")]}
    assert {"動画", "仕上げ", "第二原画"} <= roles
    # episode 7's second-key animators were left off that episode's roll
    assert any("episode(s) 7" in f.message for f in by[("uncredited_worker", "ERROR")] if f.role == "第二原画")


def test_artist_account_sees_their_credits(demo_session) -> None:
    account = demo_session.scalars(select(Account).where(Account.role == "artist")).first()
    frame = artist_record(demo_session, person_id=account.person_id)
    assert len(frame) > 0 and "linked" in set(frame["match"])
    assert "原画" in set(frame["role_ja"])
