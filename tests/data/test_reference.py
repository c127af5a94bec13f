"""Reference data (data.reference): roles, minimum wages and the rule parameters, each with the statute it comes
from, seeded from data/seed and brought to the seed's values on every start, on both backends."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from data.law.params import ParameterError
from data.reference import (
    ensure_reference_data,
    reference_version,
    rule_parameter,
    rule_parameter_rows,
    rule_values,
    seed_reference_version,
    seed_values,
    statute_of,
    statutes,
    table_key,
)
from data.schema import RuleParameter

SEEDED = dt.date(2019, 4, 1)


def _table(session: Session) -> list[tuple]:
    rows = session.scalars(select(RuleParameter).where(RuleParameter.effective_from == SEEDED))
    return sorted((r.jurisdiction, r.key, r.value, r.effective_from, r.help, r.statute) for r in rows)


def _seed() -> list[tuple]:
    return sorted(
        (r["jurisdiction"], r["key"], r["value"], r["effective_from"], r["help"], r["statute"])
        for r in rule_parameter_rows()
    )


def test_reference_data_is_seeded(session: Session) -> None:
    assert session.scalar(text("SELECT count(*) FROM role")) >= 40
    tokyo = session.execute(
        text(
            "SELECT rate_per_hour FROM minimum_wage WHERE jurisdiction='JP' AND region='Tokyo' ORDER BY effective_from"
        )
    ).scalars()
    # FY2026 (¥1,280 from 2026-10-01) joined the table with the 2026-12 facts (shared facts §11).
    assert [int(r) for r in tokyo] == [1113, 1163, 1226, 1280]


def test_seeded_values_match_the_table(session: Session) -> None:
    # Minimum wages live in their own table, with effective dates.
    seeded = {k: v for k, v in seed_values("JP").items() if not table_key(k)}
    assert rule_values(session, "JP") == seeded


def test_every_seeded_rule_parameter_cites_its_statute(session: Session) -> None:
    rows = session.scalars(select(RuleParameter)).all()
    assert len(rows) > 90 and [(r.jurisdiction, r.key) for r in rows if not (r.statute or "").strip()] == []
    cited = {(r.jurisdiction, r.key): r.statute for r in rows}
    assert cited["JP", "hours.daily_limit_h"].startswith("労働基準法 第32条")
    assert cited["JP", "hours.breaks"].startswith("労働基準法 第34条")
    assert cited["JP", "premiums.late_night.start"].startswith("労働基準法 第37条第4項")
    assert cited["JP", "freelance_act.pay_due_within_days_of_receipt"].startswith("フリーランス法 第4条")
    assert cited["US-CA", "overtime.daily"] == "Cal. Labor Code §510(a)"


def test_the_table_after_seeding_equals_the_seed(session: Session) -> None:
    assert _table(session) == _seed()
    # An existing database: a statute missing (as after migration 0012), a value and a help text changed by hand,
    # and a later revision of a parameter, which is a row of its own and is kept.
    session.execute(text("UPDATE rule_parameter SET statute = NULL WHERE key LIKE 'hours.%'"))
    row = session.scalars(select(RuleParameter).where(RuleParameter.key == "hours.daily_limit_h")).one()
    row.value, row.help = {"value": 7}, "edited"
    session.add(
        RuleParameter(
            jurisdiction="JP", key="premiums.late_night.rate", value={"value": 0.3}, effective_from=dt.date(2030, 1, 1)
        )
    )
    session.flush()
    assert _table(session) != _seed()
    ensure_reference_data(session)
    assert _table(session) == _seed()
    assert rule_parameter(session, "JP", "premiums.late_night.rate", on=dt.date(2030, 1, 1)) == 0.3
    assert rule_parameter(session, "JP", "premiums.late_night.rate", on=dt.date(2029, 12, 31)) == 0.25


def test_a_key_takes_the_longest_entry_it_starts_with() -> None:
    table = {"JP": {"freelance_act": "Act", "freelance_act.terms": "Act Art. 3"}}
    assert statute_of("JP", "freelance_act.terms_immediately_required_fields", table) == "Act Art. 3"
    assert statute_of("JP", "freelance_act.in_force", table) == "Act"
    assert statute_of("JP", "hours.breaks", table) is None
    assert statute_of("US-CA", "overtime.daily", table) is None
    assert set(statutes()) == {"JP", "US-CA"}


def test_a_missing_parameter_says_where_to_set_it(session: Session) -> None:
    with pytest.raises(ParameterError, match="no rule parameter JP:hours.nothing in force") as raised:
        rule_parameter(session, "JP", "hours.nothing")
    assert "jurisdictions.json" in str(raised.value)


def test_a_seeded_database_has_the_seed_s_reference_version(session: Session) -> None:
    """The same digest on both databases (rows are ordered in Python, not by the database's collation), and the one
    the rule tests' seeded parameters carry; any edit gives another."""
    assert reference_version(session) == seed_reference_version()
    assert seed_reference_version().startswith("2026-12-02 #")  # Okinawa's FY2026 rate, the latest date seeded
    row = session.scalars(select(RuleParameter).where(RuleParameter.key == "hours.daily_limit_h")).one()
    row.checked_on = dt.date(2026, 12, 1)
    session.flush()
    assert reference_version(session) != seed_reference_version()
