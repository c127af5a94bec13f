"""The employer's week, worked by hand: Japanese weekly overtime and California's seventh consecutive day follow the
week the employer (or the contract) records, on both databases (the rollups store weekly overtime) and on frames."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from analytics.findings import evaluate
from tests.analytics import builders
from tests.analytics.findings import studio as frames
from tests.analytics.findings.studio import rule

D = dt.date
TODAY = D(2026, 12, 6)


def _japanese_week(st: Any, **contract: Any) -> None:
    """No Article 36 agreement. Sunday 1 to Friday 6 November 2026, 8 h a day: 48 h. In Sunday weeks (1–7 November)
    that is 48 − 40 = 8 h of weekly overtime; in Monday weeks Sunday the 1st closes the week of 26 October (8 h) and
    2–6 November are 40 h: no overtime at all."""
    a = st.person("A", **contract)
    st.days(a, D(2026, 11, 1), 6, 8)
    st.pay(a, 2000 * 48, D(2026, 11, 1), D(2026, 11, 30), basis="hourly")  # ¥2,000/h: well over the minimum


def _seventh_day(st: Any, **contract: Any) -> None:
    """Los Angeles, $20.00/h. Monday 2 to Sunday 8 March 2026, 8 h a day (56 h, $1,120.00), $80.00 of overtime
    premium paid. Sunday workweeks: Monday–Saturday is 48 h, 8 h over 40 at 1.5×; Sunday the 8th opens the next
    week: owed 0.5 × 20 × 8 = $80.00, paid in full. A Monday workweek holds all seven days: the seventh day's 8 h at
    1.5× and the six days' 48 h, 8 over 40, at 1.5×: 16 h, owed 0.5 × 20 × 16 = $160.00, $80.00 short."""
    c = st.person("C", jurisdiction="US-CA", city="Los Angeles", **contract)
    st.days(c, D(2026, 3, 2), 7, 8)
    st.pay(c, "1120.00", D(2026, 3, 1), D(2026, 3, 31), basis="hourly", currency="USD")
    st.pay(c, "80.00", D(2026, 3, 1), D(2026, 3, 31), basis="ot_premium", currency="USD")


def _on_frames(scenario: Callable[..., None], week: str | None, contract_week: str | None) -> Any:
    st = frames.Studio(week_start=week)
    scenario(st, week_start=contract_week)
    return st.findings(today=TODAY)


def _on_the_database(
    session: Session, scenario: Callable[..., None], week: str | None, contract_week: str | None
) -> Any:
    st = builders.Studio(session, week_start=week)
    scenario(st, week_start=contract_week)
    st.commit()
    return evaluate(session, today=TODAY)


CASES = [(None, None, False), ("MON", None, True), (None, "MON", True)]


@pytest.mark.parametrize(("week", "contract_week", "monday"), CASES)
def test_japanese_overtime_in_the_employers_week_on_frames(
    week: str | None, contract_week: str | None, monday: bool
) -> None:
    hrs01 = rule(_on_frames(_japanese_week, week, contract_week), "JP-HRS-01")
    assert hrs01["measured_value"].tolist() == ([] if monday else [8.0])


@pytest.mark.parametrize(("week", "contract_week", "monday"), CASES)
def test_japanese_overtime_in_the_employers_week(session: Session, week: str | None, contract_week: str | None,
                                                 monday: bool) -> None:  # fmt: skip
    hrs01 = rule(_on_the_database(session, _japanese_week, week, contract_week), "JP-HRS-01")
    assert hrs01["measured_value"].tolist() == ([] if monday else [8.0])


@pytest.mark.parametrize(("week", "contract_week", "monday"), CASES)
def test_the_seventh_day_in_the_employers_workweek(session: Session, week: str | None, contract_week: str | None,
                                                   monday: bool) -> None:  # fmt: skip
    for found in (_on_frames(_seventh_day, week, contract_week), _on_the_database(session, _seventh_day, week,
                                                                                   contract_week)):  # fmt: skip
        ot = rule(found, "CA-OT-01")
        if not monday:
            assert ot.empty
            continue
        assert ot[["measured_value", "threshold", "unit"]].values.tolist() == [[80.0, 160.0, "USD"]]
        assert (
            "including 1 seventh-day week(s), need 160.00 USD of overtime premium at a regular rate of "
            in (ot.loc[0, "explanation"])
        )
        assert "20.00 USD/h; 80.00 USD was paid" in ot.loc[0, "explanation"]
