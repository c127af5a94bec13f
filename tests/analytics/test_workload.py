"""Workload arithmetic on frames: night share, days off in a month clipped to the period."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.scope import Scope
from analytics.workload import days_off, with_night_share

D = dt.date


def test_night_share_is_zero_without_hours() -> None:
    df = with_night_share(pd.DataFrame({"hours": [8.0, 0.0], "night_hours": [2.0, 0.0]}))
    assert df["night_share"].tolist() == [0.25, 0.0]


def test_days_off_are_the_months_calendar_days_in_the_period_less_the_days_worked() -> None:
    months = pd.DataFrame(
        {
            "person_id": [1, 1],
            "month": pd.to_datetime(["2025-10-01", "2025-11-01"]),
            "hours": [56.0, 8.0],
            "days_worked": [7, 1],
            "night_hours": [10.0, 0.0],
        }
    )
    whole = days_off(months.copy(), Scope())
    assert whole["days_off"].tolist() == [31 - 7, 30 - 1] and whole["night_share"].tolist() == [10 / 56, 0.0]
    clipped = days_off(months.copy(), Scope(start=D(2025, 10, 1), end=D(2025, 11, 10)))
    assert clipped["days_off"].tolist() == [31 - 7, 10 - 1]  # November counts its first ten days only
    assert days_off(months.iloc[:0].copy(), Scope())["days_off"].empty
