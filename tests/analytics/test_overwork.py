"""Overwork indicators: the multi-month averages and monthly lines on frames, and the view functions on both
databases for a scope."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.overwork import (
    few_days_off,
    indicators_of,
    long_streaks,
    long_weeks,
    monthly_indicators,
    stretches,
    window_averages,
)
from analytics.scope import Scope
from tests.analytics.builders import Studio
from tests.analytics.findings.studio import LAW, ot_month

D = dt.date


def _months(hours: dict[str, float], person: int = 1) -> pd.DataFrame:
    months = pd.to_datetime([f"{m}-01" for m in hours])
    return pd.DataFrame({"person_id": person, "month": months, "hours": 160.0 + pd.Series(list(hours.values())),
                         "ot_plus_holiday_hours": list(hours.values())})  # fmt: skip


def test_window_averages_count_a_month_without_work_as_zero_and_start_at_the_first_month() -> None:
    # 90 h in October, nothing in November, 90 h in December: every average ending in December is at most 60 h.
    averaged = window_averages(_months({"2025-10": 90.0, "2025-12": 90.0}), "ot_plus_holiday_hours", (2, 3))
    assert pd.isna(averaged.loc[0, "max_window_avg_hours"]) and pd.isna(averaged.loc[0, "avg_window_months"])
    assert averaged.loc[1, "max_window_avg_hours"] == 60.0
    assert averaged.loc[1, "avg_window_months"] == 3  # the 2-month window (45 h) is lower


def test_indicators_mark_the_lines_and_employees() -> None:
    monthly = _months({"2025-10": 100.0, "2025-11": 60.0, "2025-12": 45.0})
    pay = pd.DataFrame({"person_id": [1], "month": pd.to_datetime(["2025-11-01"]), "is_employee": [True]})
    found = indicators_of(monthly, pay, lines=LAW.overwork)
    assert found["over_month_line"].tolist() == [True, False, False]  # ≥ 100 h
    assert found["over_caution_line"].tolist() == [True, True, False]  # > 45 h
    assert found["over_average_line"].tolist() == [False, True, False]  # (100 + 60) / 2 = 80 ≥ 80
    assert found["equivalent"].tolist() == [True, False, True]
    later = indicators_of(monthly, pay, lines=LAW.overwork, start=D(2025, 12, 10))
    assert later["month"].dt.date.tolist() == [D(2025, 12, 1)]
    assert later["max_window_avg_hours"].tolist() == [205 / 3]  # its window still reaches back to October


def test_windows_a_week_apart_are_one_stretch() -> None:
    windows = pd.DataFrame(
        {"person_id": [1, 1, 1], "window_end": pd.to_datetime([D(2025, 10, 28), D(2025, 11, 4), D(2025, 11, 12)]),
         "days_off": [3, 2, 3]}
    )  # fmt: skip
    found = stretches(windows)
    assert found[["first_window_end", "last_window_end", "min_days_off"]].values.tolist() == [
        [pd.Timestamp(2025, 10, 28), pd.Timestamp(2025, 11, 4), 2],
        [pd.Timestamp(2025, 11, 12), pd.Timestamp(2025, 11, 12), 3],
    ]


def test_the_view_functions_read_the_scope(session) -> None:
    st = Studio(session)
    st.agreement(special=True)
    sky = st.production("Sky")
    a, b = st.person("A"), st.person("B")
    ot_month(st, a, 2025, 10, 100.0, days=20, production=sky)  # 13 h weekdays: 65 h weeks
    st.days(b, D(2025, 10, 1), 25, 7)  # 25 days in a row, 3 days off in the first 4 weeks
    st.commit()
    sky_only = Scope(productions=(sky.id,))
    months = monthly_indicators(session, scope=sky_only)
    assert months[["person_id", "over_month_line"]].values.tolist() == [[a.id, True]]
    assert set(long_weeks(session, scope=sky_only)["person_id"]) == {a.id}
    assert long_weeks(session, scope=Scope(people=(b.id,))).empty
    assert long_streaks(session, scope=Scope(people=(b.id,)))["days"].tolist() == [25]
    assert long_streaks(session, scope=sky_only).empty  # A works weekdays only
    assert few_days_off(session, scope=Scope(people=(b.id,)))["min_days_off"].tolist() == [3]
    # Windows reaching before the period are not judged: from 10 October the first ends on 6 November, after the
    # last day worked.
    assert few_days_off(session, scope=Scope(people=(b.id,), start=D(2025, 10, 10))).empty
