"""Two records of one person merged: every reference moves (found from the schema), twins under a unique key are
dropped after what pointed at them points at the kept row, the rollups follow, one audit event says what moved; only a
manager merges. On both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analytics.queries.references import person_columns, reference_counts
from data.identity import Identity
from data.schema import (
    AuditEvent,
    CreditClaim,
    CreditLine,
    Employment,
    Person,
    PersonAlias,
    Production,
    RollupPersonMonth,
    WorkLog,
)
from services.contracts import add_contract
from services.credit_lines import add_credit_line
from services.errors import PermissionDenied
from services.people import PersonRefused, add_person, merge_people
from services.work_records import add_pay_item, add_work_log

BOSS = Identity(username="boss", role="manager")
DAY = {"work_date": "2025-04-01", "start_time": "10:00", "end_time": "19:00", "break_minutes": "60"}
PAY = {"basis": "per_cut", "amount": "11400", "period_start": "2025-04-01", "period_end": "2025-04-30"}


def _two_records(session: Session) -> tuple[Person, Person, int]:
    production = Production(title="星の庭", kind="tv")
    session.add(production)
    keep = add_person(session, BOSS, values={"display_name": "森裕", "family_name": "森", "given_name": "裕"})
    other = add_person(session, BOSS, values={"display_name": "森 裕", "family_romaji": "Mori", "given_romaji": "Yū",
                                              "email": "mori@example.jp", "aliases": ["森裕", "もり ゆう"]})  # fmt: skip
    session.flush()
    add_work_log(session, BOSS, person_id=keep.id, cells=DAY)
    add_work_log(session, BOSS, person_id=other.id, cells={**DAY, "work_date": "2025-04-02"})
    add_pay_item(session, BOSS, person_id=other.id, cells=PAY)
    # The same credited text on both records: the credit line on the merged one's must end up on the kept one's.
    [line] = add_credit_line(session, BOSS, production_id=production.id, role="原画", person_id=other.id)
    line.person_alias_id = session.scalar(
        select(PersonAlias.id).where(PersonAlias.person_id == other.id, PersonAlias.text == "森裕")
    )
    session.add_all([CreditClaim(credit_line_id=line.id, person_id=keep.id, status="claimed"),
                     CreditClaim(credit_line_id=line.id, person_id=other.id, status="claimed")])  # fmt: skip
    # The same contract entered under both records, and one only the merged record has.
    contract = {
        "employer": "スタジオ星",
        "employment_type": "freelancer",
        "prefecture": "東京都",
        "start_date": "2024-04-01",
    }
    add_contract(session, BOSS, person_id=keep.id, cells=contract)
    add_contract(session, BOSS, person_id=other.id, cells=contract)
    add_contract(session, BOSS, person_id=other.id, cells={**contract, "start_date": "2025-04-01"})
    session.flush()
    return keep, other, line.id


def test_every_reference_moves_and_the_rollups_follow(session: Session) -> None:
    keep, other, line_id = _two_records(session)
    session.commit()
    keep_id, other_id = keep.id, other.id
    assert reference_counts(session, person_id=other_id)["work_log"] == 1
    result = merge_people(session, BOSS, keep_id=keep_id, merge_id=other_id)
    session.commit()
    assert (result.kept_name, result.merged_name) == ("森裕", "森 裕")
    assert result.moved["work_log"] == 1 and result.moved["pay_item"] == 1
    assert result.dropped == {"person_alias": 1, "credit_claim": 1, "employment": 1}
    assert result.moved["employment"] == 1
    assert session.get(Person, other_id) is None
    for ref in person_columns():
        if not ref.derived:
            assert session.scalar(select(func.count()).select_from(ref.table).where(ref.column == other_id)) == 0
    assert session.scalar(select(func.count()).select_from(WorkLog).where(WorkLog.person_id == keep_id)) == 2
    starts = session.scalars(select(Employment.start_date).where(Employment.person_id == keep_id)).all()
    assert sorted(starts) == [dt.date(2024, 4, 1), dt.date(2025, 4, 1)]
    month = session.get(RollupPersonMonth, (keep_id, dt.date(2025, 4, 1)))
    assert month.seconds == 16 * 3600 and int(month.pay_amount) == 11400
    assert session.scalar(select(func.count()).select_from(RollupPersonMonth)
                          .where(RollupPersonMonth.person_id == other_id)) == 0  # fmt: skip
    # The credit line points at the kept record's alias of the same text; the merged record's names are aliases.
    alias = session.get(PersonAlias, session.get(CreditLine, line_id).person_alias_id)
    assert (alias.person_id, alias.text) == (keep_id, "森裕")
    texts = set(session.scalars(select(PersonAlias.text).where(PersonAlias.person_id == keep_id)))
    assert {"森裕", "森 裕", "もり ゆう"} <= texts
    kept = session.get(Person, keep_id)
    assert (kept.email, kept.family_romaji, kept.given_romaji_ascii) == ("mori@example.jp", "Mori", "Yu")
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "person.merge")).all()
    assert event.actor == "boss" and event.entity_id == str(keep_id)
    assert event.old_values["merged_person_id"] == other_id and event.old_values["merged_display_name"] == "森 裕"
    assert event.new_values["moved"]["work_log"] == 1 and event.new_values["duplicates_dropped"]["credit_claim"] == 1
    assert event.new_values["email"] == "mori@example.jp"


def test_every_table_naming_a_person_is_found_from_the_schema() -> None:
    found = {ref.name for ref in person_columns()}
    # A hand list would miss the next table; this one only checks that the schema walk sees the known ones.
    assert {"work_log", "pay_item", "employment", "person_alias", "account", "ai_usage", "ai_usage_post_editor",
            "credit_claim", "own_log_entry", "pen_name_request.clashes_with", "rollup_person_day"} <= found  # fmt: skip
    assert all(ref.derived for ref in person_columns() if ref.table.name.startswith("rollup_"))


def test_a_record_is_not_merged_into_itself_nor_by_anyone_but_a_manager(session: Session) -> None:
    keep, other, _line = _two_records(session)
    session.commit()
    with pytest.raises(PersonRefused, match="cannot be merged into itself"):
        merge_people(session, BOSS, keep_id=keep.id, merge_id=keep.id)
    for actor in (
        None,
        Identity(username="ann", role="artist", person_id=keep.id),
        Identity(username="a", role="advocate"),
    ):
        with pytest.raises(PermissionDenied):
            merge_people(session, actor, keep_id=keep.id, merge_id=other.id)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Person)) == 2
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "person.merge")) == 0
