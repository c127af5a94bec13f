"""The minimum wage as of today, worked by hand: FY2026 rates, a rate announced without an effective date, a city rate
a year stale, dollars with cents. On both databases (the rollups resolve each day's rate) and on frames; each
finding names the rate it used, its source and the reference data's version."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from analytics.findings import evaluate, explain
from analytics.findings.text import render
from data.i18n import Translator
from data.reference import seed_reference_version
from tests.analytics import builders
from tests.analytics.findings import studio as frames
from tests.analytics.findings.studio import rule

D = dt.date
TODAY = D(2026, 12, 6)


def _studio(st: Any) -> dict[str, Any]:
    """The four cases, in calls both builders take."""
    tokyo = st.person("T")  # Tokyo: FY2026 ¥1,280 from 2026-10-01
    aomori_low = st.person("A1", prefecture="Aomori")  # Aomori: FY2025 ¥1,029; FY2026 ¥1,090, date not known
    aomori_mid = st.person("A2", prefecture="Aomori")
    la = st.person("L", jurisdiction="US-CA", city="Los Angeles")  # $17.87 from 2025-07-01, nothing since
    burbank = st.person("B", jurisdiction="US-CA", city="Burbank")  # no city ordinance on record: the state's $16.90
    # November 2026: 10 days × 8 h = 80 h.
    for person, rate in ((tokyo, 1226), (aomori_low, 1000), (aomori_mid, 1050)):
        st.days(person, D(2026, 11, 2), 10, 8)
        st.pay(person, rate * 80, D(2026, 11, 1), D(2026, 11, 30), basis="hourly")
    # 40 h in each Californian's month: July 2026 at $17.50 (700.00), February 2026 at $16.50 (660.00).
    st.days(la, D(2026, 7, 13), 5, 8)
    st.pay(la, "700.00", D(2026, 7, 1), D(2026, 7, 31), basis="hourly", currency="USD")
    st.days(burbank, D(2026, 2, 2), 5, 8)
    st.pay(burbank, "660.00", D(2026, 2, 1), D(2026, 2, 28), basis="hourly", currency="USD")
    return {"T": tokyo, "A1": aomori_low, "A2": aomori_mid, "L": la, "B": burbank}


def _check(found: pd.DataFrame, names: dict[int, str]) -> None:
    mw = found[found["rule_id"].str.contains("-MW-")].assign(who=found["person_id"].map(names))
    by = {w: g.reset_index(drop=True) for w, g in mw.groupby("who")}
    # Tokyo: 98,080 ÷ 80 h = ¥1,226/h, under FY2026's ¥1,280 (in force since 2026-10-01): a violation, for sure.
    t = by["T"]
    assert t[["rule_id", "severity", "measured_value", "threshold"]].values.tolist() == [
        ["JP-MW-01", "violation", 1226.0, 1280.0]
    ]
    assert t.loc[0, "explanation"] == (
        "JP-MW-01: base hourly pay of 1,226 JPY/h in 2026-11 is below 1,280 JPY/h, the prefectural minimum wage "
        "(Minimum Wage Act) in force on 2026-11-02–2026-11-11 (80.0 h worked at that rate)."
    )
    assert t.loc[0, "source"].startswith("最低賃金法 第4条第1項・第9条")
    assert "rate: JP Tokyo 2026 (MHLW 令和8年度 地域別最低賃金 答申状況" in t.loc[0, "source"]
    assert t.loc[0, "reference"] == seed_reference_version()
    # Aomori, A1: 80,000 ÷ 80 = ¥1,000/h, under even FY2025's ¥1,029: a violation, which says the rate may be stale.
    a1 = by["A1"]
    assert a1[["rule_id", "severity", "measured_value", "threshold"]].values.tolist() == [
        ["JP-MW-01", "violation", 1000.0, 1029.0]
    ]
    assert (
        "The rate used may be out of date: Aomori's revision 2026 of 1,090 JPY/h was announced without an "
        in (a1.loc[0, "explanation"])
    )
    assert "from 2026-10-01 it may already apply instead of 1,029 JPY/h." in a1.loc[0, "explanation"]
    # A2: 84,000 ÷ 80 = ¥1,050/h clears ¥1,029 but not ¥1,090: it cannot be settled, so a warning, never a violation.
    a2 = by["A2"]
    assert a2[["rule_id", "severity", "measured_value", "threshold"]].values.tolist() == [
        ["JP-MW-01", "warning", 1050.0, 1090.0]
    ]
    assert a2.loc[0, "explanation"].startswith(
        "JP-MW-01: base hourly pay of 1,050 JPY/h in 2026-11 clears 1,029 JPY/h, the rate used for 2026-11-02–"
        "2026-11-11 (80.0 h), but not 1,090 JPY/h"
    )
    # Los Angeles: 700.00 ÷ 40 = $17.50/h, under the city's $17.87 — a rate the city should have revised on
    # 2026-07-01: a violation all the same (the pay is under the last rate known), which says the rate is stale.
    la = by["L"]
    assert la[["rule_id", "severity", "measured_value", "threshold", "unit"]].values.tolist() == [
        ["CA-MW-01", "violation", 17.5, 17.87, "USD/h"]
    ]
    assert la.loc[0, "explanation"].startswith(
        "CA-MW-01: base hourly pay of 17.50 USD/h in 2026-07 is below 17.87 USD/h"
    )
    assert (
        "The rate used may be out of date: Los Angeles's latest rate on record is 17.87 USD/h from 2025-07-01 "
        "(revision 2025); a new one was due from 2026-07-01 and is not in the table" in la.loc[0, "explanation"]
    )
    # Dollars with cents: 660.00 ÷ 40 = $16.50/h under the state's $16.90 of 2026 (no longer "16 USD/h … 17 USD/h").
    b = by["B"]
    assert b[["measured_value", "threshold"]].values.tolist() == [[16.5, 16.9]]
    assert "base hourly pay of 16.50 USD/h in 2026-02 is below 16.90 USD/h" in b.loc[0, "explanation"]
    assert "may be out of date" not in b.loc[0, "explanation"]


def test_on_frames() -> None:
    st = frames.Studio()
    people = _studio(st)
    _check(st.findings(today=TODAY), {p.id: n for n, p in people.items()})


def test_on_the_database(session: Session) -> None:
    st = builders.Studio(session)
    people = _studio(st)
    st.commit()
    _check(evaluate(session, today=TODAY), {p.id: n for n, p in people.items()})


def test_a_finding_in_japanese() -> None:
    st = frames.Studio()
    _studio(st)
    found = st.findings(today=TODAY)
    mw = rule(found, "JP-MW-01")
    ja = explain(mw, Translator("ja"))
    assert "message" not in ja.columns and "params" not in ja.columns
    assert ja.loc[0, "explanation"].startswith("JP-MW-01: 2026-11の基本時給")
    assert "時給1,226円" in ja.loc[0, "explanation"] and "時給1,280円" in ja.loc[0, "explanation"]
    # English gives back the stored explanation; the export keeps it.
    assert explain(mw, Translator("en"))["explanation"].tolist() == mw["explanation"].tolist()


@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_template_renders_in_both_languages(language: str) -> None:
    """Every finding the frame studio of test_records yields renders without a placeholder left unfilled."""
    from tests.analytics.findings.test_records import TODAY as RECORDS_TODAY
    from tests.analytics.findings.test_records import _scenario

    world = frames.Studio()
    _scenario(world, lambda **kw: frames.Studio(alongside=world, **kw))
    found = world.findings(today=RECORDS_TODAY)
    rendered = explain(found, Translator(language))["explanation"]
    assert len(rendered) > 100 and not rendered.str.contains(r"\{[a-z_]+(?::[^}]*)?\}", regex=True).any()
    if language == "ja":
        assert all(render(m, {}) for m in found["message"])
