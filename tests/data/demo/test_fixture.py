"""The fixture studio (data.demo.FIXTURE, seed DEMO_SEED, built once per backend by the conftest): every kind of row
the demo writes is there, and the generator's guarantees that do not depend on the full studio's size hold on it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from data.demo import AI_HUMAN, AND_OTHERS, DEMO_TABLES, FIRST_DAY, FIXTURE, HUMAN, TBD, TRAINED
from data.schema import (
    PAY_BASES,
    Account,
    AiUsage,
    Base,
    CreditLine,
    Cut,
    Episode,
    LaborAgreement,
    OrgAlias,
    Organization,
    PayItem,
    Person,
    Role,
    Service,
    ai_usage_post_editor,
)
from tests.demo_helpers import frame, production, work_logs


@pytest.fixture
def logs(fixture_session: Session) -> pd.DataFrame:
    return work_logs(fixture_session)


# ---------------------------------------------------------------------------------------------------------------
# Coverage: a handful of people, every kind of row


def test_the_fixture_is_small_and_holds_every_table(fixture_engine: Engine, fixture_session: Session) -> None:
    s = fixture_session
    with fixture_engine.connect() as conn:
        for table in DEMO_TABLES:
            assert conn.execute(select(func.count()).select_from(Base.metadata.tables[table])).scalar() > 0, table
    assert s.scalar(select(func.count()).select_from(Person)) == sum(line.n for line in FIXTURE.crew) + 1
    assert 0 < s.scalar(select(func.count()).select_from(PayItem)) < 500
    logs = frame(s, "SELECT work_date FROM work_log")
    assert 0 < len(logs) < 5_000
    days = pd.to_datetime(logs.work_date)
    assert days.min().date() == FIRST_DAY and days.max().date() == FIXTURE.last_day
    assert len(FIXTURE.crew) < 20


def test_jp_and_californian_employees_and_freelancers(fixture_session: Session) -> None:
    emp = frame(fixture_session, "SELECT person_id, employment_type, jurisdiction FROM employment")
    jp = set(emp[emp.jurisdiction == "JP"].employment_type)
    assert {"employee_regular", "employee_contract", "employee_parttime", "freelancer"} <= jp
    assert set(emp[emp.jurisdiction == "US-CA"].employment_type) == {"employee_regular", "employee_contract"}
    leave = frame(fixture_session, "SELECT person_id, kind FROM annual_leave")
    assert set(leave.kind) == {"grant", "taken"}
    jp_employees = emp[(emp.jurisdiction == "JP") & emp.employment_type.str.startswith("employee")]
    assert set(leave.person_id) <= set(jp_employees.person_id)


def test_work_logs_have_holidays_nights_overtime_and_split_days(logs: pd.DataFrame) -> None:
    assert logs.is_statutory_holiday.astype(bool).any()
    assert (logs.night_seconds > 0).any()
    assert (logs.groupby(["person_id", "work_date"]).size() > 1).any()  # two sessions on one work date
    assert (logs.groupby(["person_id", "work_date"]).seconds.sum() > 8 * 3600).any()
    assert (logs.break_seconds > 0).any() and (logs.units > 0).any()


def test_credits_carry_the_defects_the_validator_finds(fixture_session: Session) -> None:
    lines = frame(
        fixture_session,
        "SELECT c.production_id, c.name_as_credited, c.org_alias_id, c.individuals_uncredited, c.role_person_only, "
        "a.person_id FROM credit_line c LEFT JOIN person_alias a ON a.id = c.person_alias_id",
    )
    names = set(lines.name_as_credited)
    assert {AI_HUMAN, HUMAN, TBD, AND_OTHERS} <= names
    assert any(n.endswith(AND_OTHERS) and n != AND_OTHERS for n in names)
    persons_only = lines.role_person_only.astype("boolean").fillna(False)
    assert lines[lines.org_alias_id.notna() & persons_only].individuals_uncredited.astype(bool).all()
    worked = frame(fixture_session, "SELECT DISTINCT production_id, person_id FROM work_log")
    credited = lines[lines.person_id.notna()][["production_id", "person_id"]].drop_duplicates()
    merged = worked.merge(credited.astype("int64"), how="left", indicator=True)
    uncredited = merged[merged["_merge"] == "left_only"]
    assert set(uncredited.production_id) == set(worked.production_id)  # on every production someone is missing


# ---------------------------------------------------------------------------------------------------------------
# Guarantees of the generator, checked on the fixture studio (moved here from the full demo's tests)


def test_organizations_agreements_and_services(fixture_session: Session) -> None:
    s = fixture_session
    orgs = s.scalars(select(Organization)).all()
    kinds = {o.kind for o in orgs}
    assert {
        "animation_studio",
        "subcontract_studio",
        "background_studio",
        "finishing_studio",
        "production_committee",
        "ai_vendor",
    } <= kinds
    overseas = {o.country for o in orgs if o.kind in ("subcontract_studio", "finishing_studio")}
    assert {"KR", "CN", "PH", "VN"} <= overseas
    credited_countries = set(
        s.scalars(
            select(Organization.country)
            .join(OrgAlias, OrgAlias.organization_id == Organization.id)
            .join(CreditLine, CreditLine.org_alias_id == OrgAlias.id)
        )
    )
    assert {"KR", "CN", "PH", "VN"} <= credited_countries
    agreements = s.scalars(select(LaborAgreement)).all()
    assert any(a.has_36_agreement and a.special_clause for a in agreements)
    assert any(a.has_36_agreement and not a.special_clause for a in agreements)
    services = s.scalars(select(Service)).all()
    assert services and all(sv.vendor is not None and sv.vendor.kind == "ai_vendor" for sv in services)


def test_statutory_holidays_are_employee_sundays(fixture_session: Session, logs: pd.DataFrame) -> None:
    emp = frame(
        fixture_session,
        "SELECT DISTINCT person_id FROM employment WHERE jurisdiction = 'JP' AND employment_type LIKE 'employee%'",
    )
    holiday = logs[logs.is_statutory_holiday.astype(bool)]
    assert len(holiday) > 0
    assert (holiday.work_date.dt.dayofweek == 6).all()
    assert set(holiday.person_id) <= set(emp.person_id)


def test_ai_assisted_fractions_follow_the_policies(fixture_session: Session, logs: pd.DataFrame) -> None:
    s = fixture_session
    tv, film, short = (production(s, k).id for k in ("tv", "film", "short"))
    assert (logs[(logs.production_id == short) & (logs.role == "background")].ai_assisted_fraction == 1).all()
    assert (logs[logs.production_id == film].ai_assisted_fraction == 0).all()
    tv_logs = logs[logs.production_id == tv]
    assert (tv_logs[tv_logs.role == "key_animation"].ai_assisted_fraction == 0).all()
    bg = tv_logs[(tv_logs.role == "background") & (tv_logs.ai_assisted_fraction > 0)]
    assert len(bg) and bg.ai_assisted_fraction.between(0.1, 0.4).all()
    assert logs[logs.unit_kind.notna()].unit_kind.isin(["cut", "sheet", "background"]).all()


def test_every_pay_basis_and_currency(fixture_session: Session) -> None:
    s = fixture_session
    bases = set(s.scalars(select(PayItem.basis).distinct()))
    assert bases == set(PAY_BASES)
    assert set(s.scalars(select(PayItem.currency).distinct())) == {"JPY", "USD"}
    items = s.scalars(
        select(PayItem).where(
            PayItem.units.is_not(None),
            PayItem.unit_rate.is_not(None),
            PayItem.basis.in_(["per_cut", "per_sheet", "per_background"]),
        )
    ).all()
    assert items and all(abs(float(i.amount) - i.units * float(i.unit_rate)) <= 1 for i in items)


def test_ai_ledger_names_operators(fixture_session: Session) -> None:
    s = fixture_session
    short = production(s, "short")
    short_cuts = s.scalar(select(func.count()).select_from(Cut).join(Episode).where(Episode.production_id == short.id))
    rows = s.scalars(select(AiUsage).where(AiUsage.production_id == short.id)).all()
    assert len({r.cut_id for r in rows}) == short_cuts  # every background of the short was generated
    assert all(r.digital_source_type == TRAINED and r.operator is not None for r in rows)
    assert all(r.role_id == s.scalar(select(Role.id).where(Role.code == "background")) for r in rows)
    assert all(r.post_editors for r in rows)
    tv = production(s, "tv")
    tv_rows = s.scalar(select(func.count()).select_from(AiUsage).where(AiUsage.production_id == tv.id))
    assert 0 < tv_rows < 3000
    film = production(s, "film")
    assert s.scalar(select(func.count()).select_from(AiUsage).where(AiUsage.production_id == film.id)) == 0
    assert s.scalar(select(func.count()).select_from(ai_usage_post_editor)) > len(rows)


def test_dates_never_depend_on_the_clock(fixture_session: Session) -> None:
    s = fixture_session
    stamps = set(s.scalars(select(Person.created_at).distinct())) | set(s.scalars(select(Account.created_at)))
    assert stamps == {dt.datetime(2025, 10, 31, 18, 0)}
    assert s.scalar(select(func.max(AiUsage.created_at))) < dt.datetime(2025, 11, 1)
