"""The Workload page reads the busiest people's weeks, the highest overtime months and the names it shows, not every
person-week, person-month and the whole directory: the same page as from every row (issue 22), on the demo studio, on
both databases."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select

from analytics.dashboard import HEATMAP_PEOPLE, overwork_lines, workload_tables, workload_view
from analytics.overtime import jp_overtime_monthly, jp_overtime_most, most_overtime
from analytics.people import directory
from analytics.queries import workload as workload_queries
from analytics.scope import Scope
from analytics.workload import workload
from data.identity import Identity
from data.schema import Production, Role

MANAGER = Identity(username="<manager>", role="manager")


def _scopes(session) -> dict[str, Scope]:
    productions = session.scalars(select(Production.id).order_by(Production.id)).all()
    department = session.scalars(select(Role.department).where(Role.department.is_not(None)).limit(1)).one()
    return {
        "studio": Scope(viewer=MANAGER),
        # Cuts weeks at both ends: whole weeks from the week rollup, the days around them from the day rollup.
        "period cutting weeks": Scope(start=dt.date(2025, 4, 3), end=dt.date(2025, 6, 18), viewer=MANAGER),
        "inside one week": Scope(start=dt.date(2025, 5, 6), end=dt.date(2025, 5, 8), viewer=MANAGER),
        "two productions": Scope(productions=tuple(productions[:2]), viewer=MANAGER),
        "department and period": Scope(departments=(department,), start=dt.date(2025, 1, 1), viewer=MANAGER),
        "nobody": Scope(start=dt.date(1990, 1, 1), end=dt.date(1990, 1, 31), viewer=MANAGER),
    }


def test_hours_per_person_sums_the_weeks(demo_session) -> None:
    for name, scope in _scopes(demo_session).items():
        weeks = workload_queries.weekly_hours(demo_session, scope=scope)
        expected = weeks.groupby("person_id", as_index=False)["hours"].sum()
        expected = expected[expected["hours"] > 0].reset_index(drop=True)
        got = workload_queries.hours_per_person(demo_session, scope=scope).sort_values("person_id")
        pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False, obj=name)
    other = workload_queries.hours_per_person(demo_session, scope=Scope(), week_start="MON")
    assert other["hours"].sum() == pytest.approx(
        workload_queries.hours_per_person(demo_session, scope=Scope())["hours"].sum()
    )


def test_the_workload_view_is_the_one_computed_from_every_row(demo_session) -> None:
    for name, scope in _scopes(demo_session).items():
        got = workload_view(demo_session, scope=scope)
        # As the page was computed before: every person-week and the whole directory.
        weeks = workload_queries.weekly_hours(demo_session, scope=scope)
        expected = workload_tables(
            weeks,
            directory(demo_session),
            workload(demo_session, scope=scope, by=("month", "department")),
            jp_overtime_monthly(demo_session, scope=scope),
            lines=overwork_lines(demo_session),
        )
        assert got.people_total == expected.people_total, name
        assert got.overtime_rows == expected.overtime_rows, name
        assert len(got.weekly["person_id"].unique()) == min(HEATMAP_PEOPLE, expected.people_total), name
        pd.testing.assert_frame_equal(got.overtime, expected.overtime, obj=name)
        pd.testing.assert_frame_equal(got.by_department, expected.by_department, obj=name)
        # The heatmap: the same people's weeks (ties for the last place may pick another person of equal hours).
        totals = weeks.groupby("person_id")["hours"].sum()
        shown = got.weekly["person_id"].unique()
        if len(shown):
            assert totals[shown].min() >= max(totals.drop(shown).max(), 0.0) - 1e-9, name
        key = ["person_id", "week_start"]
        kept = expected.weekly.sort_values(key).reset_index(drop=True)
        mine = got.weekly.sort_values(key).reset_index(drop=True)
        common = kept[kept["person_id"].isin(shown)].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, common, obj=name)


def test_the_highest_overtime_months_are_those_of_every_month(demo_session) -> None:
    for name, scope in _scopes(demo_session).items():
        for week_start in ("SUN", "MON"):
            monthly = jp_overtime_monthly(demo_session, scope=scope, week_start=week_start)
            for rows in (1, 25, 100_000):
                got, total = jp_overtime_most(demo_session, scope=scope, rows=rows, week_start=week_start)
                expected = most_overtime(monthly).head(rows).reset_index(drop=True)
                assert total == len(monthly), (name, week_start)
                pd.testing.assert_frame_equal(got, expected, check_dtype=False, obj=f"{name} {week_start} {rows}")
    highest = most_overtime(jp_overtime_monthly(demo_session, scope=Scope()))["ot_plus_holiday_hours"]
    assert highest.is_monotonic_decreasing and highest.iloc[0] > 45
