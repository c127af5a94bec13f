"""Overtime from logged hours: the computations on frames (no database), and the view functions that read the
frames for a scope (both backends)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics.overtime import (
    ca_overtime_weekly,
    jp_monthly_of,
    jp_overtime_daily,
    jp_overtime_monthly,
    jp_overtime_of,
    week_starts,
)
from analytics.scope import Scope
from tests.analytics.builders import Studio
from tests.analytics.findings.studio import LAW

D = dt.date


def _days(rows: list[tuple[int, dt.date, float, float]]) -> pd.DataFrame:
    """``(person, day, hours, holiday hours)`` as the worked days :func:`jp_overtime_of` reads."""
    return pd.DataFrame(
        {
            "person_id": [r[0] for r in rows],
            "work_date": pd.to_datetime([r[1] for r in rows]),
            "seconds": [round(r[2] * 3600) for r in rows],
            "holiday_seconds": [round(r[3] * 3600) for r in rows],
        }
    )


def test_weeks_start_on_the_day_asked() -> None:
    days = pd.Series(pd.to_datetime([D(2025, 10, 5), D(2025, 10, 6), D(2025, 10, 11)]))  # Sun, Mon, Sat
    assert week_starts(days, "SUN").dt.date.tolist() == [D(2025, 10, 5)] * 3
    assert week_starts(days, "MON").dt.date.tolist() == [D(2025, 9, 29), D(2025, 10, 6), D(2025, 10, 6)]
    with pytest.raises(ValueError, match="unknown week start"):
        week_starts(days, "Funday")


def test_jp_daily_and_weekly_overtime_keep_holiday_hours_apart_on_frames() -> None:
    # Week Sun 2025-09-28 … Sat 10-04: Sunday is a statutory holiday (5 h), Mon–Sat 9 h a day.
    rows = [(1, D(2025, 9, 28), 5, 5)] + [(1, D(2025, 9, 29) + dt.timedelta(days=i), 9, 0) for i in range(6)]
    days = jp_overtime_of(_days(rows), hours=LAW.hours, week_start="SUN")
    # Daily OT 1 h × 6. Straight hours 8 × 6 = 48: the running total passes 40 h on Saturday → 8 h weekly OT then.
    assert days["daily_ot_hours"].tolist() == [0, 1, 1, 1, 1, 1, 1]
    assert days["weekly_ot_hours"].tolist() == [0, 0, 0, 0, 0, 0, 8]
    assert days["holiday_hours"].sum() == 5
    monthly = jp_monthly_of(days)
    sept, octo = monthly.iloc[0], monthly.iloc[1]
    assert (sept["ot_hours"], sept["holiday_hours"]) == (2.0, 5.0)  # Mon 29, Tue 30
    assert (octo["ot_hours"], octo["ot_plus_holiday_hours"]) == (12.0, 12.0)  # 4 daily + 8 weekly


def test_week_start_is_a_parameter_on_frames() -> None:
    rows = [(1, D(2025, 10, 5) + dt.timedelta(days=i), 8, 0) for i in range(6)]  # Sun 5 … Fri 10, 8 h each: 48 h
    sunday = jp_monthly_of(jp_overtime_of(_days(rows), hours=LAW.hours, week_start="SUN"))
    monday = jp_monthly_of(jp_overtime_of(_days(rows), hours=LAW.hours, week_start="MON"))
    assert sunday["ot_hours"].tolist() == [8.0]  # one Sun–Sat week of 48 h
    assert monday["ot_hours"].tolist() == [0.0]  # Sun alone (8 h), then Mon–Fri (40 h)


def test_weekly_overtime_is_counted_per_person() -> None:
    # Two people's weeks side by side: each 6 × 8 h, each 8 h of weekly overtime on the sixth day.
    rows = [(p, D(2025, 10, 5) + dt.timedelta(days=i), 8, 0) for p in (1, 2) for i in range(6)]
    days = jp_overtime_of(_days(rows), hours=LAW.hours, week_start="SUN")
    assert days.groupby("person_id")["weekly_ot_hours"].sum().tolist() == [8.0, 8.0]


def test_jp_daily_and_weekly_overtime_keep_holiday_hours_apart(session) -> None:
    st = Studio(session)
    a = st.person("A")
    # Week Sun 2025-09-28 … Sat 10-04: Sunday is a statutory holiday (5 h), Mon–Sat 9 h a day.
    st.work(a, D(2025, 9, 28), 5, holiday=True)
    st.days(a, D(2025, 9, 29), 6, 9)
    st.commit()
    days = jp_overtime_daily(session, scope=Scope(start=D(2025, 9, 28), end=D(2025, 10, 4)))
    # Daily OT 1 h × 6. Straight hours 8 × 6 = 48: the running total passes 40 h on Saturday → 8 h weekly OT then.
    assert days["daily_ot_hours"].tolist() == [0, 1, 1, 1, 1, 1, 1]
    assert days["weekly_ot_hours"].tolist() == [0, 0, 0, 0, 0, 0, 8]
    assert days["holiday_hours"].sum() == 5
    monthly = jp_overtime_monthly(session, scope=Scope())
    sept, octo = monthly.iloc[0], monthly.iloc[1]
    assert (sept["ot_hours"], sept["holiday_hours"]) == (2.0, 5.0)  # Mon 29, Tue 30
    assert (octo["ot_hours"], octo["ot_plus_holiday_hours"]) == (12.0, 12.0)  # 4 daily + 8 weekly
    # A period cut mid-week still counts the whole week: Saturday's 8 h of weekly overtime need Monday to Friday.
    saturday = jp_overtime_daily(session, scope=Scope(start=D(2025, 10, 4), end=D(2025, 10, 4)))
    assert saturday[["daily_ot_hours", "weekly_ot_hours"]].values.tolist() == [[1.0, 8.0]]


def test_week_start_is_a_parameter(session) -> None:
    st = Studio(session)
    a = st.person("A")
    st.days(a, D(2025, 10, 5), 6, 8)  # Sun 5 … Fri 10, 8 h each: 48 h
    st.commit()
    sunday = jp_overtime_monthly(session, scope=Scope())
    monday = jp_overtime_monthly(session, scope=Scope(), week_start="MON")
    assert sunday["ot_hours"].tolist() == [8.0]  # one Sun–Sat week of 48 h
    assert monday["ot_hours"].tolist() == [0.0]  # Sun alone (8 h), then Mon–Fri (40 h)
    with pytest.raises(ValueError, match="unknown week start"):
        jp_overtime_monthly(session, scope=Scope(), week_start="Funday")


def test_a_scope_selects_the_people_who_worked_on_its_productions(session) -> None:
    st = Studio(session)
    sky, sea = st.production("Sky"), st.production("Sea")
    a, b, c = st.person("A"), st.person("B"), st.person("C")
    st.days(a, D(2025, 10, 5), 6, 8, production=sky)
    st.days(b, D(2025, 10, 5), 6, 9, production=sea)
    st.days(c, D(2025, 10, 5), 6, 10)
    st.commit()
    both = jp_overtime_monthly(session, scope=Scope(productions=(sky.id, sea.id)))
    assert both["person_id"].tolist() == [a.id, b.id]  # two productions: the people of either, not the studio
    assert jp_overtime_monthly(session, scope=Scope(productions=(sea.id,), people=(a.id, b.id)))[
        "person_id"
    ].tolist() == [b.id]
    assert jp_overtime_monthly(session, scope=Scope(productions=(sky.id,), start=D(2025, 11, 1))).empty


def test_california_seventh_day(session) -> None:
    st = Studio(session)
    c = st.person("C", jurisdiction="US-CA", city="Los Angeles")
    st.days(c, D(2025, 8, 3), 7, 9)  # Sun 3 … Sat 9, 9 h every day
    st.days(c, D(2025, 8, 10), 6, 9)  # Sun 10 … Fri 15: no seventh day
    st.commit()
    weeks = ca_overtime_weekly(session, scope=Scope())
    # Week 1: days 1–6 give 1 h at 1.5× each and 48 straight hours, 8 of them past 40 → 1.5×; day 7: 8 h at 1.5×
    # and 1 h at 2×. Week 2: 6 h daily OT and 48 − 40 = 8 h weekly OT, nothing at 2×.
    assert weeks[["hours", "straight_hours", "ot_1_5_hours", "ot_2_hours", "seventh_day"]].values.tolist() == [
        [63.0, 40.0, 22.0, 1.0, True],
        [54.0, 40.0, 14.0, 0.0, False],
    ]
    # A period from Wednesday 6 August reads its whole workweek.
    assert ca_overtime_weekly(session, scope=Scope(start=D(2025, 8, 6), end=D(2025, 8, 6)))["hours"].tolist() == [63.0]


def test_california_daily_over_12_is_double_time(session) -> None:
    st = Studio(session)
    c = st.person("C", jurisdiction="US-CA", city=None)
    st.work(c, D(2025, 8, 4), 13)
    st.commit()
    week = ca_overtime_weekly(session, scope=Scope()).iloc[0]
    assert (week["straight_hours"], week["ot_1_5_hours"], week["ot_2_hours"]) == (8.0, 4.0, 1.0)
