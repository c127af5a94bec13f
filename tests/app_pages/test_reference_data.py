"""The legal reference data on the pages: the Admin page lists every minimum wage with its source and corrects one
(audited, managers only); the Pay page names the places whose minimum wage may be out of date (AppTest on SQLite
and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from data.rollup import refresh
from data.schema import AuditEvent, Employment, MinimumWage, Organization, Person, WorkLog
from tests.app_fixtures import sign_in


def _english(at: AppTest) -> AppTest:
    at.session_state["language"] = "en"
    return at


def test_admin_lists_minimum_wages_with_sources_and_corrects_one(studio: dict[str, int], engine: Engine) -> None:
    at = _english(sign_in("manager"))
    at.switch_page("app_pages/admin.py").run()
    assert not at.exception
    wages = next(d.value for d in at.dataframe if "revision_year" in d.value.columns)
    aomori = wages[(wages["region"] == "Aomori") & (wages["revision_year"] == 2026)].iloc[0]
    assert aomori["effective_from"] == "announced, date not known"
    assert aomori["source"].startswith("MHLW 令和8年度")
    at.selectbox(key="mw_jurisdiction").set_value("JP")
    at.text_input(key="mw_region").input("青森県")
    at.number_input(key="mw_year").set_value(2026)
    at.text_input(key="mw_rate").input("1090")
    at.date_input(key="mw_since").set_value("2026-10-18")
    at.text_input(key="mw_source").input("青森労働局")
    at.button(key="FormSubmitter:minimum_wage-Save rate").click().run()
    assert not at.exception and not at.error
    with Session(engine) as s:
        row = s.scalars(
            select(MinimumWage).where(MinimumWage.region == "Aomori", MinimumWage.revision_year == 2026)
        ).one()
        assert (row.effective_from, row.rate_per_hour, row.source) == (
            dt.date(2026, 10, 18),
            Decimal("1090"),
            "青森労働局",
        )
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "reference.minimum_wage.save")).one()


def test_pay_page_names_the_places_whose_minimum_wage_may_be_out_of_date(
    studio: dict[str, int], engine: Engine
) -> None:
    with Session(engine) as s:  # a Los Angeles employee in July 2026: the city's rate was due on 2026-07-01
        org = s.scalars(select(Organization)).first()
        person = Person(display_name="Ana")
        s.add(person)
        s.flush()
        s.add(Employment(person_id=person.id, employer_id=org.id, employment_type="employee_regular",
                         jurisdiction="US-CA", city="Los Angeles", start_date=dt.date(2026, 1, 1)))  # fmt: skip
        s.add(WorkLog(person_id=person.id, work_date=dt.date(2026, 7, 13), seconds=8 * 3600))
        refresh(s)
        s.commit()
    at = _english(sign_in("manager"))
    at.switch_page("app_pages/pay.py").run()
    assert not at.exception
    banner = [w.value for w in at.warning if w.value.startswith("Los Angeles:")]
    assert banner == [
        "Los Angeles: the latest minimum wage on record is 17.87 USD/h from 2025-07-01 (revision 2025); a new one "
        "was due from 2026-07-01 and is not in the table. 1 person-days worked from 2026-07-13 to 2026-07-13 were "
        "judged against it and may be judged against an out-of-date rate."
    ]
