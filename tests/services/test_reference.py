"""Editing the legal reference data (services.reference): managers only, audited with old and new values, checked
as the imports check it, and the rollups that resolve it brought up to date in the same transaction (both
databases). The Admin page's view of it (analytics.reference) lists every row with its source."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.reference import reference_view
from analytics.scope import Scope
from data.identity import Identity
from data.reference import rule_timelines
from data.schema import AuditEvent, MinimumWage, RollupPersonDay
from services.errors import PermissionDenied, ValidationError
from services.reference import delete_minimum_wage, save_minimum_wage, save_rule_parameter, set_employer_week
from tests.analytics.builders import Studio

D = dt.date
BOSS = Identity(username="boss", role="manager")
ARTIST = Identity(username="hanako", role="artist", person_id=1)


def test_only_a_manager_changes_the_reference_data(session: Session) -> None:
    with pytest.raises(PermissionDenied, match="only a manager can change the minimum-wage table"):
        save_minimum_wage(session, ARTIST, jurisdiction="JP", region="Tokyo", revision_year=2027,
                          effective_from=None, rate_per_hour="1330", source="x")  # fmt: skip
    with pytest.raises(PermissionDenied):
        save_rule_parameter(session, None, jurisdiction="US-CA", key="exempt_salary_floor.annual",
                            effective_from=D(2027, 1, 1), value="72000", source="x")  # fmt: skip
    with pytest.raises(PermissionDenied):
        set_employer_week(session, ARTIST, organization_id=1, week_start="MON", days_off_4w_from=None)


def test_the_effective_date_found_later_corrects_the_rate_and_the_days(session: Session) -> None:
    st = Studio(session)
    a = st.person("A", prefecture="Aomori")
    st.days(a, D(2026, 11, 2), 1, 8)
    st.commit()
    assert session.get(RollupPersonDay, (a.id, D(2026, 11, 2))).mw_rate == Decimal("1029")  # FY2026: no date yet
    with pytest.raises(ValidationError, match="source is required"):
        save_minimum_wage(session, BOSS, jurisdiction="JP", region="青森県", revision_year=2026,
                          effective_from=D(2026, 10, 18), rate_per_hour="1090", source=" ")  # fmt: skip
    row = save_minimum_wage(session, BOSS, jurisdiction="JP", region="青森県", revision_year=2026,
                            effective_from=D(2026, 10, 18), rate_per_hour="1,090", source="青森労働局",
                            checked_on=D(2026, 12, 5))  # fmt: skip
    session.commit()
    assert (row.region, row.effective_from, row.source) == ("Aomori", D(2026, 10, 18), "青森労働局")
    assert session.get(RollupPersonDay, (a.id, D(2026, 11, 2))).mw_rate == Decimal("1090")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "reference.minimum_wage.save")).one()
    assert (event.actor, event.old_values["effective_from"], event.new_values["effective_from"]) == (
        "boss", None, "2026-10-18"
    )  # fmt: skip
    delete_minimum_wage(session, BOSS, wage_id=row.id)
    session.commit()
    assert session.get(MinimumWage, row.id) is None
    assert session.get(RollupPersonDay, (a.id, D(2026, 11, 2))).mw_rate == Decimal("1029")
    deleted = session.scalars(select(AuditEvent).where(AuditEvent.action == "reference.minimum_wage.delete")).one()
    assert (deleted.old_values["region"], deleted.old_values["rate_per_hour"]) == ("Aomori", "1090")


def test_a_dated_parameter_and_an_employers_week(session: Session) -> None:
    st = Studio(session)
    st.person("A")
    st.commit()
    with pytest.raises(ValidationError, match="no rule reads"):
        save_rule_parameter(session, BOSS, jurisdiction="US-CA", key="exempt_floor", effective_from=D(2027, 1, 1),
                            value="72000", source="DIR")  # fmt: skip
    save_rule_parameter(session, BOSS, jurisdiction="US-CA", key="exempt_salary_floor.annual",
                        effective_from=D(2027, 1, 1), value="72000", source="DIR 2027")  # fmt: skip
    set_employer_week(session, BOSS, organization_id=st.org.id, week_start="monday", days_off_4w_from=D(2026, 4, 5))
    session.commit()
    assert rule_timelines(session, "US-CA")["exempt_salary_floor.annual"][-1] == (D(2027, 1, 1), 72000.0)
    view = reference_view(session, scope=Scope(viewer=BOSS))
    assert view.parameters[["key", "value", "source"]].values.tolist()[-1] == [
        "exempt_salary_floor.annual", "72000", "DIR 2027"
    ]  # fmt: skip
    employer = view.employers.set_index("id").loc[st.org.id]
    assert (employer["week_start"], employer["days_off_4w_from"].date()) == ("MON", D(2026, 4, 5))
    # Every minimum wage with its source; the FY2026 rates announced without a date show none.
    aomori = view.minimum_wages[(view.minimum_wages["region"] == "Aomori")].set_index("revision_year")
    assert pd_isna(aomori.loc[2026, "effective_from"]) and aomori.loc[2026, "source"].startswith("MHLW 令和8年度")
    assert view.version.split(" #")[0] == "2027-01-01"
    actions = set(session.scalars(select(AuditEvent.action)))
    assert {"reference.rule_parameter.save", "reference.employer_week.save"} <= actions


def pd_isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))
