"""Employment contracts entered by hand: added, corrected and ended with an audit event and the person's rollups
recomputed; refused in the employment importer's own words with nothing written; only a manager writes. On both
databases."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analytics.queries.people import contract_cells
from data.identity import Identity
from data.importers import import_file
from data.schema import AuditEvent, Employment, Organization, RollupPersonDay
from services.contracts import ContractRefused, add_contract, edit_contract, end_contract
from services.errors import PermissionDenied
from services.people import add_person
from services.work_records import add_work_log

BOSS = Identity(username="boss", role="manager")
CONTRACT = {"employer": "スタジオ星", "employment_type": "employee_regular", "prefecture": "東京都",
            "start_date": "2025-04-01", "scheduled_monthly_hours": "160", "scheduled_daily_hours": "8"}  # fmt: skip


def _importer_reason(session: Session, tmp_path: Path, cells: dict[str, str]) -> str:
    """What the employment import says of one row with ``cells`` (a dry run: nothing is kept)."""
    path = tmp_path / "employments.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(cells))
        writer.writeheader()
        writer.writerow(cells)
    summary = import_file(session, path=path, dry_run=True)
    assert summary.rejected == 1, summary
    return summary.rejected_preview[0].reason


def _events(session: Session, action: str) -> list[AuditEvent]:
    return session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_a_contract_is_added_corrected_and_ended_and_the_days_follow(session: Session) -> None:
    person = add_person(session, BOSS, values={"display_name": "森裕"})
    add_work_log(session, BOSS, person_id=person.id, cells={"work_date": "2025-04-02", "minutes": "480"})
    session.commit()
    day = (person.id, dt.date(2025, 4, 2))
    assert session.get(RollupPersonDay, day).employment_id is None
    contract = add_contract(session, BOSS, person_id=person.id, cells=CONTRACT)
    session.commit()
    assert (contract.prefecture, contract.scheduled_monthly_hours, contract.end_date) == ("Tokyo", 160.0, None)
    assert session.scalar(select(Organization.name).where(Organization.id == contract.employer_id)) == "スタジオ星"
    session.expire_all()
    assert session.get(RollupPersonDay, day).employment_id == contract.id  # the day knows its contract now
    [added] = _events(session, "employment.add")
    assert added.actor == "boss" and added.new_values["start_date"] == "2025-04-01"

    edit_contract(session, BOSS, contract_id=contract.id, cells={"piece_rate_guarantee_per_hour": "1200"})
    session.commit()
    assert contract.piece_rate_guarantee_per_hour == Decimal("1200")
    [edited] = _events(session, "employment.edit")
    assert edited.old_values == {"piece_rate_guarantee_per_hour": None}
    assert edited.new_values == {"piece_rate_guarantee_per_hour": "1200"}
    assert contract_cells(session, contract.id)["prefecture"] == "Tokyo"

    end_contract(session, BOSS, contract_id=contract.id, end_date=dt.date(2025, 4, 1))
    session.commit()
    session.expire_all()
    assert session.get(Employment, contract.id).end_date == dt.date(2025, 4, 1)
    assert session.get(RollupPersonDay, day).employment_id is None  # the day after its end has none
    [ended] = _events(session, "employment.end")
    assert ended.old_values == {"end_date": None} and ended.new_values == {"end_date": "2025-04-01"}


def test_a_contract_is_refused_in_the_importers_words(session: Session, tmp_path: Path) -> None:
    person = add_person(session, BOSS, values={"display_name": "森裕"})
    session.commit()
    bad = [{**CONTRACT, "employment_type": "intern"}, {**CONTRACT, "prefecture": ""},
           {**CONTRACT, "end_date": "2025-03-01"}, {**CONTRACT, "scheduled_monthly_hours": "9000"},
           {**CONTRACT, "employment_type": "freelancer", "discretionary_work": "professional"},
           {**CONTRACT, "discretionary_consent_date": "2025-04-01"}, {**CONTRACT, "start_date": "2025-02-30"}]  # fmt: skip
    for cells in bad:
        with pytest.raises(ContractRefused) as refused:
            add_contract(session, BOSS, person_id=person.id, cells=cells)
        expected = _importer_reason(session, tmp_path, {"person": "森裕", **cells})
        assert refused.value.message("cli").split(": correct")[0] == expected, cells
    session.rollback()
    add_contract(session, BOSS, person_id=person.id, cells=CONTRACT)
    with pytest.raises(ContractRefused, match="already has a contract with スタジオ星 starting 2025-04-01"):
        add_contract(session, BOSS, person_id=person.id, cells={**CONTRACT, "scheduled_monthly_hours": "150"})
    session.commit()
    assert session.scalar(select(func.count()).select_from(Employment)) == 1


@pytest.mark.parametrize("actor", [None, Identity(username="ann", role="artist", person_id=1),
                                   Identity(username="adv", role="advocate")])  # fmt: skip
def test_only_a_manager_enters_contracts(session: Session, actor: Identity | None) -> None:
    person = add_person(session, BOSS, values={"display_name": "森裕"})
    contract = add_contract(session, BOSS, person_id=person.id, cells=CONTRACT)
    session.commit()
    for write in (lambda: add_contract(session, actor, person_id=person.id, cells=CONTRACT),
                  lambda: edit_contract(session, actor, contract_id=contract.id, cells={"prefecture": "大阪府"}),
                  lambda: end_contract(session, actor, contract_id=contract.id, end_date="2025-05-01")):  # fmt: skip
        with pytest.raises(PermissionDenied):
            write()
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Employment)) == 1
    assert session.get(Employment, contract.id).end_date is None
