"""Engines and migrations (data.engine), on SQLite and PostgreSQL: the migrations build exactly the models, go down
and up again, and run with foreign keys off; SQLite runs in WAL; savepoints never commit the outer transaction
(moved from tests/test_schema.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from data.engine import DatabaseError, downgrade, make_engine, upgrade
from data.errors import DataError
from data.schema import Base, Person, WorkLog


def _refused(session: Session, obj: object) -> None:
    session.add(obj)
    with pytest.raises((IntegrityError, DBAPIError)):
        session.flush()
    session.rollback()


def test_models_match_migrations(engine: Engine) -> None:
    # The migrations, not create_all, build every database: they must produce exactly the models.
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_migrations_downgrade_to_empty_and_back(engine: Engine) -> None:
    downgrade(engine, "base")
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade(engine)
    assert {"person", "credit_line", "ai_usage", "work_log"} <= set(inspect(engine).get_table_names())


def test_migrate_on_start_is_idempotent(engine: Engine) -> None:
    again = make_engine(engine.url.render_as_string(hide_password=False))
    with again.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM role")).scalar()
            == conn.execute(text("SELECT count(DISTINCT code) FROM role")).scalar()
        )
    again.dispose()


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    eng = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with eng.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    eng.dispose()


def test_savepoints_do_not_commit_the_outer_transaction(engine: Engine) -> None:
    # Imports use savepoints per chunk inside one transaction; on SQLite the driver's own transaction handling
    # would commit at the first RELEASE. A rolled-back session must leave nothing behind on either backend.
    with Session(engine) as s:
        with s.begin_nested():
            s.add(Person(display_name="一時 太郎"))
        s.rollback()
    with Session(engine) as s:
        assert s.scalar(select(Person).where(Person.display_name == "一時 太郎")) is None


def test_a_migration_that_rebuilds_a_table_keeps_the_rows_pointing_at_it(engine: Engine) -> None:
    """0010 rebuilds ``employment`` on SQLite (copy, drop, rename). With foreign keys on, the drop fired
    rollup_person_day's ON DELETE SET NULL and erased every day's contract; migrations now run with them off, check
    them afterwards, and leave them on."""
    downgrade(engine, "0009")
    with Session(engine) as s:  # the tables 0010 does not change, through the models
        person = Person(display_name="A")
        s.add(person)
        s.flush()
        org_id = _organization_at_an_older_revision(s)
        employment_id = s.execute(
            text(
                "INSERT INTO employment (person_id, employer_id, employment_type, jurisdiction, start_date, is_exempt)"
                " VALUES (:p, :o, 'employee_regular', 'JP', '2025-04-01', false) RETURNING id"
            ),
            {"p": person.id, "o": org_id},
        ).scalar()
        # rollup_person_day as it was at 0009 (durations in minutes, renamed by 0018): by SQL, not the model
        s.execute(
            text(
                "INSERT INTO rollup_person_day (person_id, work_date, minutes, night_minutes, holiday_minutes,"
                " ai_minutes, units, sessions, short_break_sessions, longest_session_minutes, daily_ot_minutes,"
                " weekly_ot_minutes, employment_id) VALUES (:p, '2025-04-01', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, :e)"
            ),
            {"p": person.id, "e": employment_id},
        )
        s.commit()
        person_id = person.id
    upgrade(engine)
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT employment_id FROM rollup_person_day WHERE person_id = :p"), {"p": person_id})
        assert kept.scalar() == employment_id
    with Session(engine) as s:  # foreign keys are enforced again on every pooled connection
        _refused(s, WorkLog(person_id=999_999, work_date=dt.date(2025, 4, 1), seconds=3600))


def test_migration_0012_adds_the_statutes_and_takes_them_away(engine: Engine) -> None:
    downgrade(engine, "0011")
    assert "statute" not in {c["name"] for c in inspect(engine).get_columns("rule_parameter")}
    upgrade(engine)  # an existing database: the seeding after the upgrade cites every parameter
    with engine.connect() as conn:
        missing = conn.execute(text("SELECT count(*) FROM rule_parameter WHERE statute IS NULL")).scalar()
        total = conn.execute(text("SELECT count(*) FROM rule_parameter")).scalar()
    assert (missing, total > 90) == (0, True)


def test_a_database_that_cannot_be_migrated_says_what_to_check(tmp_path: Path) -> None:
    (tmp_path / "not-a-db.sqlite3").write_text("this is not a database file" * 100)
    with pytest.raises(DatabaseError) as raised:
        make_engine(f"sqlite:///{tmp_path / 'not-a-db.sqlite3'}")
    error = raised.value
    assert isinstance(error, DataError) and "could not migrate the database at sqlite:///" in str(error)
    assert error.message("cli").endswith(
        "check --database-url (or DATABASE_URL) and that the database server is running"
    )
    page = error.message("page")
    assert page.endswith("check DATABASE_URL (see README, Settings) and that the database server is running")
    assert "--database-url" not in page  # a page never tells its reader to pass a flag


def test_migration_0018_converts_every_duration_to_seconds_exactly(engine: Engine) -> None:
    """Minutes become seconds × 60 exactly, in the work log and every rollup; going down rounds to the minute."""
    downgrade(engine, "0013")
    with Session(engine) as s:  # organization through SQL: 0016 and 0019 add columns to it the model has
        _organization_at_an_older_revision(s)
        person = Person(display_name="A")
        s.add(person)
        s.flush()
        pid = person.id
        s.execute(
            text(
                "INSERT INTO work_log (person_id, work_date, minutes, break_minutes, night_minutes,"
                " is_statutory_holiday, ai_assisted_fraction) VALUES (:p, '2025-04-01', 1440, 61, 425, false, 0.25)"
            ),
            {"p": pid},
        )
        s.execute(
            text(
                "INSERT INTO rollup_person_day (person_id, work_date, minutes, night_minutes, holiday_minutes,"
                " ai_minutes, units, sessions, short_break_sessions, longest_session_minutes, daily_ot_minutes,"
                " weekly_ot_minutes) VALUES (:p, '2025-04-01', 1440, 425, 7, 360.25, 0, 1, 0, 1440, 960, 3)"
            ),
            {"p": pid},
        )
        s.commit()
    upgrade(engine)
    with engine.connect() as conn:
        log = conn.execute(text("SELECT seconds, break_seconds, night_seconds FROM work_log WHERE person_id = :p"),
                           {"p": pid}).one()  # fmt: skip
        day = conn.execute(
            text(
                "SELECT seconds, night_seconds, holiday_seconds, ai_seconds, longest_session_seconds,"
                " daily_ot_seconds, weekly_ot_seconds FROM rollup_person_day WHERE person_id = :p"
            ),
            {"p": pid},
        ).one()
    assert tuple(log) == (86400, 3660, 25500)
    assert tuple(day) == (86400, 25500, 420, 21615.0, 86400, 57600, 180)
    with Session(engine) as s:  # a session of 8 h 00 min 34 s, and the checks now count seconds
        s.execute(text("UPDATE work_log SET seconds = 28834, night_seconds = 29 WHERE person_id = :p"), {"p": pid})
        s.commit()
        _refused(s, WorkLog(person_id=pid, work_date=dt.date(2025, 4, 2), seconds=86401))
    downgrade(engine, "0013")
    with engine.connect() as conn:
        back = conn.execute(text("SELECT minutes, break_minutes, night_minutes FROM work_log WHERE person_id = :p"),
                            {"p": pid}).one()  # fmt: skip
    assert tuple(back) == (481, 61, 0)  # to the nearest minute, half up
    upgrade(engine)


def _organization_at_an_older_revision(s: Session) -> int:
    # organization gains columns in 0016 (name_hash): below it, the row is written as that revision has it.
    return s.execute(
        text("INSERT INTO organization (name, kind) VALUES ('S', 'animation_studio') RETURNING id")
    ).scalar()
