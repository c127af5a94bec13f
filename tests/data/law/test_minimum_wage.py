"""Which minimum wage a day is judged against, and how sure that is (data.law.minimum_wage), worked by hand on the
seeded tables (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from data.law.minimum_wage import (
    KNOWN,
    MISSING,
    STALE,
    UNCERTAIN,
    MinimumWageCycles,
    Rate,
    RevisionCycle,
    highest,
    resolve,
)
from data.law.params import ParameterError
from data.reference import minimum_wage_rows, seed_values

D = dt.date
JP = MinimumWageCycles.from_values(seed_values("JP"), "JP")
CA = MinimumWageCycles.from_values(seed_values("US-CA"), "US-CA")


def table(jurisdiction: str, region: str) -> list[Rate]:
    return [
        Rate(r["revision_year"], r["effective_from"], Decimal(r["rate_per_hour"]))
        for r in minimum_wage_rows()
        if (r["jurisdiction"], r["region"]) == (jurisdiction, region)
    ]


def at(jurisdiction: str, region: str, day: dt.date) -> tuple[float | None, int]:
    cycles = JP if jurisdiction == "JP" else CA
    found = resolve(table(jurisdiction, region), cycles.cycle(region), day)
    return (None if found.rate is None else float(found.rate), found.status)


def test_the_cycles_are_rule_parameters() -> None:
    # Japan: every prefecture from October; California: the state every 1 January, the cities every 1 July.
    assert JP.cycle("Tokyo") == RevisionCycle(10, 1)
    assert (CA.cycle("state"), CA.cycle("Los Angeles")) == (RevisionCycle(1, 1), RevisionCycle(7, 1))
    # A revision belongs to the cycle of the latest turn on or before it: Akita's FY2025 rate of 2026-03-31 is FY2025.
    assert (JP.cycle("Akita").year_of(D(2026, 3, 31)), JP.cycle("Akita").year_of(D(2026, 10, 1))) == (2025, 2026)
    with pytest.raises(ParameterError, match="minimum_wage_revision"):
        RevisionCycle.parse("October", "minimum_wage_revision.prefecture")


def test_tokyo_november_2026_is_judged_against_fy2026() -> None:
    # FY2025 ¥1,226 from 2025-10-03; FY2026 ¥1,280 from 2026-10-01: a day in November 2026 is under ¥1,280, for sure.
    assert at("JP", "Tokyo", D(2026, 9, 30)) == (1226.0, KNOWN)
    assert at("JP", "Tokyo", D(2026, 11, 16)) == (1280.0, KNOWN)


def test_an_announced_rate_without_a_date_makes_the_cycle_uncertain() -> None:
    # Aomori: FY2025 ¥1,029 from 2025-11-21; FY2026 ¥1,090 announced, effective date not found. From 2026-10-01 (the
    # FY2026 cycle) the day may already be under ¥1,090: ¥1,029 is still the rate used, with that doubt.
    assert at("JP", "Aomori", D(2026, 9, 30)) == (1029.0, KNOWN)
    found = resolve(table("JP", "Aomori"), JP.cycle("Aomori"), D(2026, 11, 16))
    assert (float(found.rate), found.status, float(found.announced.rate)) == (1029.0, UNCERTAIN, 1090.0)
    assert found.announced.effective_from is None and found.announced.revision_year == 2026


def test_a_later_date_known_is_not_doubt() -> None:
    # Kyoto: FY2026 ¥1,180 from 2026-11-16. The day before, FY2025's ¥1,122 is the rate, and known to be.
    kyoto = table("JP", "Kyoto")
    assert resolve(kyoto, JP.cycle("Kyoto"), D(2026, 11, 15)).status == KNOWN
    assert at("JP", "Kyoto", D(2026, 11, 16)) == (1180.0, KNOWN)


def test_a_city_rate_a_year_old_is_stale() -> None:
    # Los Angeles: $17.87 from 2025-07-01; the city adjusts every 1 July and the table has nothing for 2026-07-01.
    assert at("US-CA", "Los Angeles", D(2026, 6, 30)) == (17.87, KNOWN)
    found = resolve(table("US-CA", "Los Angeles"), CA.cycle("Los Angeles"), D(2026, 7, 15))
    assert (float(found.rate), found.status, found.expected) == (17.87, STALE, D(2026, 7, 1))
    # At the workplace the higher of state ($16.90 from 2026-01-01, current) and city governs, with the city's doubt.
    state = resolve(table("US-CA", "state"), CA.cycle("state"), D(2026, 7, 15))
    assert state.status == KNOWN
    both = highest([state, found])
    assert (float(both.rate), both.status, both.expected) == (17.87, STALE, D(2026, 7, 1))


def test_a_stale_lower_rate_still_casts_doubt_on_the_higher_one() -> None:
    # A state rate a year old under a current city rate: the city's governs, but the state's may have passed it.
    state = resolve([Rate(2025, D(2025, 1, 1), Decimal("16.50"))], CA.cycle("state"), D(2026, 2, 1))
    city = resolve([Rate(2025, D(2025, 7, 1), Decimal("17.87"))], CA.cycle("Los Angeles"), D(2026, 2, 1))
    both = highest([state, city])
    assert (float(both.rate), both.status, both.expected) == (17.87, STALE, D(2026, 1, 1))


def test_before_the_first_rate_nothing_is_judged() -> None:
    assert at("JP", "Aomori", D(2024, 9, 30)) == (None, MISSING)
    assert highest([resolve([], JP.cycle("Aomori"), D(2024, 9, 30))]) is None


def test_a_superseded_rate_is_never_used() -> None:
    # Two revisions in the table and a day after both: the later wins whatever order the rows come in.
    rows = [Rate(2025, D(2025, 10, 3), Decimal("1226")), Rate(2024, D(2024, 10, 1), Decimal("1163"))]
    assert float(resolve(rows, JP.cycle("Tokyo"), D(2025, 12, 1)).rate) == 1226.0
