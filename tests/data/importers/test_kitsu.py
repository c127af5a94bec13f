"""Kitsu: an AI agent's logged time is AI-usage evidence (with its evidence, and an operator when known, else queued
for review), never a person's hours; the persons export fills people and their contracts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.importers import import_file
from data.schema import AiUsage, Employment, Person, PersonAlias, PersonMatchReview, Production, Service, WorkLog
from tests.data.importers.helpers import FIX, balanced
from tests.data.importers.sums import every_hour_accounted

HEAD = "Project;Person;Entity Type Name;Entity;Task Type;Date;Time spent\n"
PERSONS = (
    "First Name;Last Name;Email;Phone;Role;Departments;Studio;Country;Contract Type;Position;Seniority;Daily Salary;"
    "Active\n"
)


@pytest.fixture
def studio(session: Session) -> Session:
    session.add(Production(title="星の庭", kind="tv"))
    session.commit()
    assert import_file(session, path=FIX / "people.csv").imported == 3
    return session


def _time_spent(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "kitsu_2025-04-30_open_projects_time_spents_export.csv"
    path.write_text(HEAD + "".join(rows), encoding="utf-8")
    return path


def _row(person: str, shot: str, minutes: str, day: str = "2025-04-01") -> str:
    return f'"星の庭";"{person}";"Shot";"EP03 / SQ01 / {shot}";"Key Animation";"{day}";"{minutes}"\n'


def test_a_bot_s_time_is_ai_usage_with_its_evidence_never_hours(studio: Session, tmp_path: Path) -> None:
    studio.add(Service(name="InbetweenBot", match_key="inbetweenbot", kind="inbetween_interp"))
    studio.commit()
    path = _time_spent(tmp_path, [
        _row("山田 花子", "SH001", "480"),
        _row("InbetweenBot", "SH002", "95.5"),  # a registered AI tool's name
        _row("Render Agent [bot]", "SH003", "30"),  # the name says so, nobody named as its operator
        _row("Colour Helper", "SH004", "20"),  # named for this import, with its operator
    ])  # fmt: skip
    s = import_file(studio, path=path, bots={"Colour Helper": "hanako@example.jp", "InbetweenBot": "鈴木 太郎"})
    balanced(s)
    assert (s.imported, s.rejected_by_reason) == (3, {"bot_operator_unknown": 1})
    every_hour_accounted(studio, s, path, encoding="utf-8")
    # Only the person's time is hours.
    assert studio.scalar(select(func.sum(WorkLog.seconds))) == 480 * 60
    usage = {u.params["agent"]: u for u in studio.scalars(select(AiUsage))}
    assert set(usage) == {"InbetweenBot", "Colour Helper"}
    assert (
        usage["InbetweenBot"].params["seconds"] == 5730
        and "registered in Endroll" in usage["InbetweenBot"].params["evidence"]
    )
    taro = studio.scalar(select(Person.id).where(Person.email == "taro@example.com"))
    assert usage["InbetweenBot"].operator_id == taro
    assert "named as an AI agent for this import" in usage["Colour Helper"].params["evidence"]
    review = studio.scalars(select(PersonMatchReview).where(PersonMatchReview.name == "Render Agent [bot]")).one()
    assert review.candidate_ids["bot"] is True and "ends in [bot]" in review.candidate_ids["evidence"]
    assert s.warnings_by_reason == {"ai_agent_time": 2}
    # Re-importing changes nothing; the agent's entries are not imported twice.
    again = import_file(studio, path=path, bots={"Colour Helper": "hanako@example.jp", "InbetweenBot": "鈴木 太郎"})
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 3)
    assert studio.scalar(select(func.count()).select_from(AiUsage)) == 2


def test_the_persons_export_fills_people_and_contracts(studio: Session, tmp_path: Path) -> None:
    path = tmp_path / "kitsu_persons_2025-04-01.csv"
    path.write_text(
        PERSONS
        + "花子;山田;hanako@example.jp;;user;Animation;スタジオ星;JP;open-ended;lead;senior;18000;true\n"
        + "Kenji;Sato;kenji@example.jp;;user;Compositing;スタジオ星;JP;freelance;artist;junior;12000.5;true\n"
        + "Marie;Dupont;marie@example.fr;;user;;スタジオ星;FR;fixed-term;artist;mid;150;true\n"
        + "Solo;NoStudio;solo@example.jp;;user;;;JP;open-ended;artist;mid;;true\n"
        + "Bad;Contract;bad@example.jp;;user;;スタジオ星;JP;gig;artist;mid;;true\n",
        encoding="utf-8",
    )
    s = import_file(studio, path=path)
    balanced(s)
    assert s.format == "kitsu_persons"
    assert (s.imported, s.updated, s.rejected_by_reason) == (3, 1, {"bad_value": 1})
    assert s.warnings_by_reason == {"contract_start_assumed": 2, "employment_not_recorded": 2}
    kenji = studio.scalars(select(Person).where(Person.email == "kenji@example.jp")).one()
    assert kenji.country == "JP" and kenji.display_name == "Kenji Sato"
    aliases = set(studio.scalars(select(PersonAlias.text).where(PersonAlias.person_id == kenji.id)))
    assert {"Kenji Sato", "Sato Kenji"} <= aliases
    contracts = {e.person_id: e for e in studio.scalars(select(Employment).where(Employment.employer_id.is_not(None)))}
    hanako = studio.scalar(select(Person.id).where(Person.email == "hanako@example.jp"))
    h = contracts[hanako]
    assert (h.employment_type, h.position, h.seniority, h.daily_wage, h.department, str(h.start_date)) == (
        "employee_regular", "lead", "senior", Decimal("18000.00"), "animation", "2025-04-01",
    )  # fmt: skip
    k = contracts[kenji.id]
    assert (k.employment_type, k.daily_wage, k.department) == ("freelancer", Decimal("12000.50"), None)
    # A later export with a raise updates the open contract (audited) instead of adding one; the same one is unchanged.
    again = import_file(studio, path=path)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 4)
    later = tmp_path / "kitsu_persons_2025-10-01.csv"
    later.write_text(PERSONS + "花子;山田;hanako@example.jp;;user;Animation;スタジオ星;JP;open-ended;lead;senior;19500;true\n",
                     encoding="utf-8")  # fmt: skip
    third = import_file(studio, path=later)
    assert third.updated == 1 and studio.get(Employment, h.id).daily_wage == Decimal("19500.00")
    assert studio.scalar(select(func.count()).select_from(Employment).where(Employment.person_id == hanako)) == 1
    # The person's name written either way round matches their time entries.
    logs = _time_spent(tmp_path, [_row("Sato Kenji", "SH010", "60"), _row("Kenji Sato", "SH011", "60")])
    assert import_file(studio, path=logs).imported == 2


def test_a_persons_export_listing_bots_records_them_as_services(studio: Session, tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    path.write_text(
        "First Name;Last Name;Email;Contract Type;Daily Salary;Is Bot\n"
        "Layout;Agent;;;;true\n"
        "花子;山田;hanako@example.jp;;;false\n",
        encoding="utf-8",
    )
    s = import_file(studio, path=path, format="kitsu_persons")
    assert (s.imported, s.updated) == (1, 1)  # the bot a service; 山田 花子 gains the alias 花子 山田
    logs = _time_spent(tmp_path, [_row("Layout Agent", "SH020", "45")])
    t = import_file(studio, path=logs)
    assert t.rejected_by_reason == {"bot_operator_unknown": 1}
    reason = t.rejected_preview[0].reason
    assert "registered in Endroll" in reason and "not a person's hours" in reason
