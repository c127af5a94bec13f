"""Database invariants, enforced by the database itself on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from data.engine import downgrade, make_engine, upgrade
from data.names import org_key, person_key
from data.schema import (
    Account,
    AiUsage,
    Base,
    CreditLine,
    Cut,
    Employment,
    Episode,
    OrgAlias,
    Organization,
    PayItem,
    Person,
    PersonAlias,
    Production,
    Role,
    RollupPersonDay,
    Service,
    WorkLog,
)


@pytest.fixture
def studio(session: Session) -> dict:
    org = Organization(name="スタジオ霧", kind="animation_studio")
    session.add(org)
    session.flush()
    person = Person(family_name="山田", given_name="花子", display_name="山田花子")
    prod = Production(title="霧の街", kind="tv", studio_id=org.id)
    service = Service(name="BG-Gen", match_key=person_key("BG-Gen"), vendor_id=org.id, version="1")
    session.add_all([person, prod, service])
    session.flush()
    alias = PersonAlias(person_id=person.id, text="山田 花子", match_key=person_key("山田 花子"))
    org_alias = OrgAlias(organization_id=org.id, text="スタジオ霧", match_key=org_key("スタジオ霧"))
    session.add_all([alias, org_alias])
    session.flush()
    roles = {r.code: r for r in session.scalars(select(Role))}
    return dict(org=org, person=person, prod=prod, service=service, alias=alias, org_alias=org_alias, roles=roles)


def _refused(session: Session, obj: object) -> None:
    session.add(obj)
    with pytest.raises((IntegrityError, DBAPIError)):
        session.flush()
    session.rollback()


def test_ai_usage_without_operator_is_refused(session: Session, studio: dict) -> None:
    ok = AiUsage(asset_path="bg/001.png", service_id=studio["service"].id, operator_id=studio["person"].id)
    session.add(ok)
    session.flush()
    _refused(session, AiUsage(asset_path="bg/002.png", service_id=studio["service"].id, operator_id=None))


def test_ai_usage_needs_a_source_type_uri(session: Session, studio: dict) -> None:
    _refused(
        session,
        AiUsage(
            asset_path="bg/003.png",
            service_id=studio["service"].id,
            operator_id=studio["person"].id,
            digital_source_type="AI",
        ),
    )


def _line(studio: dict, role: Role, **kw) -> CreditLine:
    line = CreditLine(
        production_id=studio["prod"].id,
        role_as_credited=role.ja,
        name_as_credited=kw.pop("name", "x"),
        line_order=1,
        **kw,
    )
    line.set_role(role)
    return line


def test_credit_line_points_at_exactly_one_entity(session: Session, studio: dict) -> None:
    genga = studio["roles"]["key_animation"]
    session.add(_line(studio, genga, person_alias_id=studio["alias"].id))
    session.flush()
    _refused(session, _line(studio, genga, person_alias_id=studio["alias"].id, org_alias_id=studio["org_alias"].id))


def test_credit_line_with_neither_person_nor_organization_is_refused(session: Session, studio: dict) -> None:
    _refused(session, _line(studio, studio["roles"]["key_animation"]))


def test_person_only_role_refuses_an_organization(session: Session, studio: dict) -> None:
    _refused(session, _line(studio, studio["roles"]["inbetween"], org_alias_id=studio["org_alias"].id))


def test_person_only_role_takes_an_organization_only_when_individuals_are_marked_uncredited(
    session: Session, studio: dict
) -> None:
    line = _line(studio, studio["roles"]["inbetween"], org_alias_id=studio["org_alias"].id, individuals_uncredited=True)
    session.add(line)
    session.flush()
    assert line.id is not None


def test_person_only_flag_must_match_the_role(session: Session, studio: dict) -> None:
    # Claiming an org-allowed flag for a person-only role breaks the composite foreign key.
    inbetween = studio["roles"]["inbetween"]
    line = _line(studio, inbetween, org_alias_id=studio["org_alias"].id)
    line.role_person_only = False
    _refused(session, line)


def test_organization_roles_accept_organizations(session: Session, studio: dict) -> None:
    line = _line(studio, studio["roles"]["animation_production"], org_alias_id=studio["org_alias"].id)
    session.add(line)
    session.flush()
    assert line.role_person_only is False


def test_role_flag_is_filled_from_role_id(session: Session, studio: dict) -> None:
    genga = studio["roles"]["key_animation"]
    line = CreditLine(
        production_id=studio["prod"].id,
        role_as_credited="原画",
        name_as_credited="山田 花子",
        role_id=genga.id,
        person_alias_id=studio["alias"].id,
        line_order=2,
    )
    session.add(line)
    session.flush()
    assert line.role_person_only is True


def test_a_service_cannot_be_credited_as_a_person(session: Session, studio: dict) -> None:
    # The AI tool's name as a person alias is refused by the database (a trigger on both backends) ...
    _refused(session, PersonAlias(person_id=None, text="BG-Gen", match_key=person_key("BG-Gen")))


def test_a_service_name_cannot_be_renamed_into_a_person_alias(session: Session, studio: dict) -> None:
    alias = studio["alias"]
    alias.match_key = person_key("bg-gen")
    with pytest.raises((IntegrityError, DBAPIError)):
        session.flush()
    session.rollback()


def test_a_credit_line_has_no_way_to_name_a_service() -> None:
    # ... and a credit line has no column that could point at a Service at all.
    referred = {fk.column.table.name for fk in CreditLine.__table__.foreign_keys}
    assert "service" not in referred
    assert {"person_alias", "org_alias"} <= referred


def test_role_cannot_be_both_person_only_and_org_allowed(session: Session) -> None:
    _refused(
        session,
        Role(
            code="x",
            ja="謎",
            romaji="nazo",
            en="X",
            department="other",
            person_only=True,
            org_allowed=True,
            sort_order=1,
        ),
    )


def test_seisaku_roles_stay_distinct(session: Session) -> None:
    committee = session.scalar(select(Role).where(Role.code == "production_committee"))
    studio_role = session.scalar(select(Role).where(Role.code == "animation_production"))
    assert committee.ja == "製作" and studio_role.ja == "アニメーション制作"
    assert committee.id != studio_role.id and committee.department != studio_role.department


def test_artist_account_needs_a_person(session: Session) -> None:
    _refused(session, Account(username="a", password_hash="x", role="artist"))
    _refused(session, Account(username="b", password_hash="x", role="janitor"))


def test_work_log_checks(session: Session, studio: dict) -> None:
    base = dict(person_id=studio["person"].id, production_id=studio["prod"].id, work_date=dt.date(2025, 4, 1))
    session.add(WorkLog(**base, minutes=480, night_minutes=60, ai_assisted_fraction=0.5))
    session.flush()
    _refused(session, WorkLog(**base, minutes=-5))
    _refused(session, WorkLog(**base, minutes=1441))
    _refused(session, WorkLog(**base, minutes=60, night_minutes=61))
    _refused(session, WorkLog(**base, minutes=60, ai_assisted_fraction=1.5))
    _refused(
        session,
        WorkLog(**base, minutes=60, start_at=dt.datetime(2025, 4, 1, 10), end_at=dt.datetime(2025, 4, 1, 9)),
    )


def test_pay_item_checks(session: Session, studio: dict) -> None:
    base = dict(person_id=studio["person"].id, period_start=dt.date(2025, 4, 1), period_end=dt.date(2025, 4, 30))
    session.add(PayItem(**base, basis="per_cut", units=10, unit_rate=Decimal("4000"), amount=Decimal("40000")))
    session.flush()
    _refused(session, PayItem(**base, basis="per_smile", amount=Decimal("1")))
    _refused(session, PayItem(**base, basis="hourly", amount=Decimal("1"), currency="EUR"))
    _refused(session, PayItem(**{**base, "period_end": dt.date(2025, 3, 1)}, basis="hourly", amount=Decimal("1")))


def test_employment_checks(session: Session, studio: dict) -> None:
    base = dict(person_id=studio["person"].id, employer_id=studio["org"].id, start_date=dt.date(2025, 1, 1))
    session.add(Employment(**base, employment_type="freelancer", jurisdiction="JP", prefecture="Tokyo"))
    session.flush()
    _refused(session, Employment(**base, employment_type="volunteer"))
    _refused(session, Employment(**base, employment_type="freelancer", jurisdiction="XX"))


def test_cut_and_episode_uniqueness(session: Session, studio: dict) -> None:
    ep = Episode(production_id=studio["prod"].id, number=1, label="1")
    session.add(ep)
    session.flush()
    session.add(Cut(episode_id=ep.id, cut_number="C001", seconds=3.5, frames=84, sheets=12))
    session.flush()
    _refused(session, Cut(episode_id=ep.id, cut_number="C001"))


def test_person_display_name_not_blank(session: Session) -> None:
    _refused(session, Person(display_name="   "))


def test_reference_data_is_seeded(session: Session) -> None:
    assert session.scalar(text("SELECT count(*) FROM role")) >= 40
    tokyo = session.execute(
        text(
            "SELECT rate_per_hour FROM minimum_wage WHERE jurisdiction='JP' AND region='Tokyo' ORDER BY effective_from"
        )
    ).scalars()
    assert [int(r) for r in tokyo] == [1113, 1163, 1226]


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


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path) -> None:
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
    with Session(engine) as s:  # the tables no later migration changes, through the models
        person = Person(display_name="A")
        s.add(person)
        s.flush()
        # organization changes in 0016 (name_hash): at 0009 it is written as that revision has it
        org_id = s.execute(
            text("INSERT INTO organization (name, kind) VALUES ('S', 'animation_studio') RETURNING id")
        ).scalar()
        employment_id = s.execute(
            text(
                "INSERT INTO employment (person_id, employer_id, employment_type, jurisdiction, start_date, is_exempt)"
                " VALUES (:p, :o, 'employee_regular', 'JP', '2025-04-01', false) RETURNING id"
            ),
            {"p": person.id, "o": org_id},
        ).scalar()
        s.add(RollupPersonDay(person_id=person.id, work_date=dt.date(2025, 4, 1), employment_id=employment_id))
        s.commit()
        person_id = person.id
    upgrade(engine)
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT employment_id FROM rollup_person_day WHERE person_id = :p"), {"p": person_id})
        assert kept.scalar() == employment_id
    with Session(engine) as s:  # foreign keys are enforced again on every pooled connection
        _refused(s, WorkLog(person_id=999_999, work_date=dt.date(2025, 4, 1), minutes=60))
