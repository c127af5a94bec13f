"""How current the minimum-wage table is (analytics.reference): the periods each place's rate is uncertain or stale,
worked by hand on the seeded table, and the work they judged (both databases) as the Pay page's banner and the
command line print it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy.orm import Session

from analytics.findings.parameters import Parameters
from analytics.findings.text import render
from analytics.findings.wage_tables import doubt_windows
from analytics.reference import minimum_wage_staleness, staleness_notes
from analytics.scope import Scope
from data.reference import minimum_wage_rows
from tests.analytics.builders import Studio

D = dt.date
LAW = Parameters.seeded()
CYCLES = {"JP": LAW.jp_mw_cycles, "US-CA": LAW.ca_mw_cycles}


def _table() -> pd.DataFrame:
    rows = pd.DataFrame(minimum_wage_rows()).reset_index().rename(columns={"index": "id"})
    rows["effective_from"] = pd.to_datetime(rows["effective_from"])
    rows["rate_per_hour"] = rows["rate_per_hour"].astype(float)
    return rows


def test_doubt_windows_of_the_seeded_table() -> None:
    windows = doubt_windows(_table(), CYCLES, D(2026, 12, 31)).set_index(["jurisdiction", "region"])
    # Los Angeles: $17.87 from 2025-07-01, the city's next revision due 2026-07-01 and not in the table.
    la = windows.loc[("US-CA", "Los Angeles")]
    assert (la["status"], la["first_date"], la["last_date"], la["rate"], la["expected"]) == (
        "stale", D(2026, 7, 1), D(2026, 12, 31), 17.87, D(2026, 7, 1)
    )  # fmt: skip
    # Aomori: FY2026 ¥1,090 announced without a date: from 2026-10-01 ¥1,029 may no longer be the rate.
    aomori = windows.loc[("JP", "Aomori")]
    assert (aomori["status"], aomori["first_date"], aomori["rate"], aomori["announced_rate"]) == (
        "uncertain", D(2026, 10, 1), 1029.0, 1090.0
    )  # fmt: skip
    # Tokyo's FY2026 date is known, Kyoto's too (2026-11-16), the state's 2026 rate is current: no doubt.
    assert ("JP", "Tokyo") not in windows.index and ("JP", "Kyoto") not in windows.index
    assert ("US-CA", "state") not in windows.index
    # 38 prefectures have FY2026 rates without a date.
    assert (windows["status"] == "uncertain").sum() == 38


def test_the_work_judged_against_a_doubtful_rate(session: Session) -> None:
    st = Studio(session)
    la = st.person("L", jurisdiction="US-CA", city="Los Angeles")
    aomori = st.person("A", prefecture="Aomori")
    tokyo = st.person("T")
    st.days(la, D(2026, 7, 13), 5, 8)  # five days in a stale city rate's period
    st.days(aomori, D(2026, 11, 2), 3, 8)  # three days while FY2026 may already apply
    st.days(tokyo, D(2026, 11, 2), 3, 8)  # Tokyo's table is current
    st.commit()
    found = minimum_wage_staleness(session, scope=Scope(), today=D(2026, 12, 6))
    assert found[["region", "status", "person_days", "first_work", "last_work"]].values.tolist() == [
        ["Los Angeles", "stale", 5, D(2026, 7, 13), D(2026, 7, 17)],
        ["Aomori", "uncertain", 3, D(2026, 11, 2), D(2026, 11, 4)],
    ]
    notes = [render(m, p) for m, p in staleness_notes(found)]
    assert notes[0].startswith(
        "Los Angeles: the latest minimum wage on record is 17.87 USD/h from 2025-07-01 (revision 2025); a new one was "
        "due from 2026-07-01 and is not in the table. 5 person-days worked from 2026-07-13 to 2026-07-17"
    )
    assert "revision 2026 of 1,090 JPY/h was announced without an effective date" in notes[1]
    assert "judged against 1,029 JPY/h (from 2025-11-21)" in notes[1]
    # A scope of Tokyo's worker alone: nothing in doubt.
    assert minimum_wage_staleness(session, scope=Scope(people=(tokyo.id,)), today=D(2026, 12, 6)).empty
