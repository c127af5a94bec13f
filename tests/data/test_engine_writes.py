"""Write tracking (data.engine.track_writes): which committed writes move the data version on, and which of them
are studio-wide, read from the statements themselves and the derived data's declarations, on both backends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, insert, select, text, update
from sqlalchemy.orm import Session

from data.accounts import create_account
from data.engine import make_engine, raw_write, write_effects
from data.importers import import_file
from data.rollup import refresh
from data.schema import (
    CreditNote,
    FindingSnapshot,
    LaborAgreement,
    Organization,
    Person,
    Production,
    WorkLog,
)
from data.snapshots import NONE, PEOPLE, STUDIO, Versions, store_findings, versions
from services.sign_in import AuthenticationError, authenticate

D = dt.date
FIX = Path(__file__).resolve().parent / "importers" / "fixtures"


def data_version(session: Session) -> int:
    return versions(session).data


@pytest.mark.parametrize(
    ("table", "verb", "effect"),
    [
        ("work_log", "insert", PEOPLE),  # the writer refreshes the rollups of the people concerned
        ("pay_item", "delete", PEOPLE),
        ("employment", "update", PEOPLE),
        ("rollup_person_day", "insert", PEOPLE),  # a refresh names the people it recomputed
        ("annual_leave", "insert", STUDIO),  # JP-LEAVE-01 judges every ledger up to the studio's latest entry
        ("labor_agreement", "insert", STUDIO),
        ("minimum_wage", "insert", STUDIO),  # read by the rollups when a day is refreshed
        ("rule_parameter", "update", STUDIO),
        ("role", "update", STUDIO),
        ("organization", "insert", NONE),  # a new organization has no contracts or agreements yet
        ("organization", "update", STUDIO),
        ("person", "update", NONE),  # names are added when findings are selected, never stored with them
        ("person", "delete", STUDIO),  # ON DELETE CASCADE takes the person's work with them
        ("production", "insert", NONE),
        ("production", "update", NONE),  # only a label of the rollups, which the findings do not read
        ("production", "delete", STUDIO),
        ("episode", "delete", STUDIO),  # work logs' episode set to NULL
        ("credit_line", "insert", NONE),
        ("account", "update", NONE),  # signing in
        ("audit_event", "insert", NONE),
        ("setting", "update", NONE),
        ("finding_snapshot", "delete", NONE),  # the snapshot storing itself
        ("finding_stale_person", "insert", NONE),
        ("data_version", "update", NONE),
    ],
)
def test_what_a_write_does_to_the_findings_snapshot(table: str, verb: str, effect: int) -> None:
    assert write_effects().of(table, verb) == effect


def test_every_committed_write_moves_the_data_version(session: Session) -> None:
    start = data_version(session)
    session.rollback()
    studio = Organization(name="A", kind="animation_studio")
    session.add(studio)
    session.commit()
    assert data_version(session) == start  # a new organization has no contracts or agreements: no finding changes
    session.add(LaborAgreement(organization_id=studio.id, valid_from=D(2025, 1, 1)))
    session.commit()
    assert data_version(session) == start + 1
    session.execute(select(Person.id)).all()
    session.commit()  # nothing written
    studio.employee_count = 3
    session.flush()
    session.rollback()
    assert data_version(session) == start + 1
    # Storing a snapshot derives from the data and must not make itself stale.
    store_findings(session, b"x", findings=0, at=Versions(start + 1, 0), key="k", day=D(2025, 1, 1), used=[])
    session.commit()
    assert data_version(session) == start + 1
    assert session.scalar(select(FindingSnapshot.payload)) == b"x"


def test_signing_in_does_not_move_the_data_version(session: Session) -> None:
    create_account(session, "mgr", "a long enough password", "manager")
    session.commit()
    version = data_version(session)
    authenticate(session, username="mgr", password="a long enough password")  # writes last_login_at
    session.commit()
    with pytest.raises(AuthenticationError):
        authenticate(session, username="mgr", password="wrong password")  # writes failed_attempts
    session.commit()
    assert data_version(session) == version


def _person(session: Session) -> Person:
    person = Person(display_name="A")
    session.add(person)
    session.commit()
    return person


def test_core_and_orm_writes_about_people_are_not_studio_wide(session: Session) -> None:
    person = _person(session)
    before = versions(session)
    session.execute(insert(WorkLog), [{"person_id": person.id, "work_date": D(2025, 4, 1), "seconds": 3600}])
    refresh(session, person_ids=[person.id])
    session.commit()
    after = versions(session)
    assert (after.data, after.global_) == (before.data + 1, before.global_)
    session.execute(update(WorkLog).where(WorkLog.person_id == person.id).values(seconds=5400))
    session.execute(delete(WorkLog).where(WorkLog.seconds == 5400))
    refresh(session, person_ids=[person.id])
    session.commit()
    assert versions(session) == Versions(after.data + 1, after.global_)


def test_raw_sql_counts_as_studio_wide_unless_it_names_its_table(session: Session) -> None:
    person = _person(session)
    v = versions(session)
    session.execute(text("SELECT count(*) FROM work_log")).all()  # text that reads: nothing
    session.commit()
    assert versions(session) == v
    session.execute(text("UPDATE person SET display_name = 'B' WHERE id = :p"), {"p": person.id})
    session.commit()  # text that writes: whatever the table, studio-wide
    v, was = versions(session), v
    assert (v.data, v.global_) == (was.data + 1, was.global_ + 1)
    session.execute(text("UPDATE person SET display_name = 'C' WHERE id = -1"))
    session.commit()  # it changed no row
    assert versions(session) == v
    columns = "person_id, work_date, seconds, break_seconds, night_seconds, is_statutory_holiday, ai_assisted_fraction"
    marks = ", ".join(["?" if session.get_bind().dialect.paramstyle == "qmark" else "%s"] * 7)
    sql = f"INSERT INTO work_log ({columns}) VALUES ({marks})"
    row = (person.id, D(2025, 4, 2).isoformat(), 3600, 0, 0, False, 0.0)
    session.connection().exec_driver_sql(sql, [row], execution_options=raw_write(WorkLog.__table__))
    refresh(session, person_ids=[person.id])
    session.commit()  # raw SQL that names its table: about given people
    assert versions(session) == Versions(v.data + 1, v.global_)


def test_a_delete_counts_only_where_it_can_reach_what_the_findings_read(session: Session) -> None:
    production = Production(title="P", kind="tv")
    session.add(production)
    session.commit()
    note = CreditNote(production_id=production.id, kind="note", text="special thanks")
    session.add(note)
    session.commit()
    v = versions(session)
    session.delete(note)  # credit notes: nothing refers to them
    session.commit()
    assert versions(session) == v
    session.delete(production)  # its work logs would go with it (ON DELETE CASCADE)
    session.commit()
    assert versions(session).global_ == v.global_ + 1


def test_an_imported_work_log_is_about_its_people(session: Session) -> None:
    """The importer writes work logs with raw executemany (data.importers.upsert) and names its table."""
    session.add(Production(title="星の庭", kind="tv"))
    session.commit()
    import_file(session, path=FIX / "people.csv")
    session.commit()
    v = versions(session)
    summary = import_file(session, path=FIX / "work_logs.csv")
    assert summary.imported > 0
    after = versions(session)
    assert after.data > v.data and after.global_ == v.global_


def test_starting_again_writes_nothing(engine: Engine) -> None:
    with Session(engine) as s:
        before = versions(s)
    again = make_engine(engine.url.render_as_string(hide_password=False))
    with Session(again) as s:
        assert versions(s) == before  # the reference data is already as the seed files have it
    again.dispose()


def test_a_changed_seed_value_makes_the_findings_stale(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seeding brings the stored rule parameters to the seed's values, and that write is studio-wide."""
    from data import reference

    with Session(engine) as s:
        before = versions(s)
    seeded = reference.rule_parameter_rows()
    changed = [dict(r, value={"value": 0.3}) if r["key"] == "premiums.ot_first_60h_month" else r for r in seeded]
    monkeypatch.setattr(reference, "rule_parameter_rows", lambda: changed)
    again = make_engine(engine.url.render_as_string(hide_password=False))
    with Session(again) as s:
        assert reference.rule_parameter(s, "JP", "premiums.ot_first_60h_month") == 0.3
        assert versions(s).global_ > before.global_
    again.dispose()


def test_a_write_inside_a_common_table_expression_counts(session: Session, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite has no INSERT inside WITH")
    org = Organization(name="S", kind="animation_studio")
    session.add(org)
    session.commit()
    v = versions(session)
    added = insert(LaborAgreement).values(organization_id=org.id, valid_from=D(2025, 1, 1)).returning(LaborAgreement.id)
    session.execute(select(added.cte("added").c.id)).all()
    session.commit()
    assert versions(session).global_ == v.global_ + 1
