"""Database invariants, enforced by the database itself on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from data.names import org_key, person_key
from data.schema import (
    Account,
    AiUsage,
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
    session.add(WorkLog(**base, seconds=480 * 60, night_seconds=3600, ai_assisted_fraction=0.5))
    session.flush()
    _refused(session, WorkLog(**base, seconds=-5))
    _refused(session, WorkLog(**base, seconds=86401))
    _refused(session, WorkLog(**base, seconds=60, night_seconds=61))
    _refused(session, WorkLog(**base, seconds=60, ai_assisted_fraction=1.5))
    _refused(
        session,
        WorkLog(**base, seconds=60, start_at=dt.datetime(2025, 4, 1, 10), end_at=dt.datetime(2025, 4, 1, 9)),
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
