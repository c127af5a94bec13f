"""The calendar arithmetic behind streaks and days-off windows, against a plain day-by-day count (no database); and
the worked days read for a scope (both backends)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.person_days import EPOCH, PersonDays, crowded_windows, day_of, runs
from analytics.queries import person_days as queries
from analytics.scope import Scope
from tests.analytics.builders import Studio

D = dt.date


def _days(worked: dict[int, set[int]]) -> PersonDays:
    pairs = sorted((p, d) for p, days in worked.items() for d in days)
    n = len(pairs)
    return PersonDays(
        person_id=np.array([p for p, _ in pairs], dtype=np.int64),
        day=np.array([d for _, d in pairs], dtype=np.int64),
        seconds=np.full(n, 3600.0),
        short_break_sessions=np.zeros(n, dtype=np.int64),
        mw_per_hour=np.full(n, np.nan),
    )


def _date(day: int) -> dt.date:
    return (EPOCH + np.timedelta64(day, "D")).astype(dt.date)


# Mostly working days (5 in 6), so that 4-week windows land on both sides of the days-off threshold.
schedules = st.lists(st.sampled_from([True, True, True, True, True, False]), min_size=20, max_size=90)
calendars = st.dictionaries(
    st.integers(1, 4),
    schedules.map(lambda worked: {9_000 + i for i, w in enumerate(worked) if w}),
    max_size=3,
)


@settings(max_examples=150, deadline=None)
@given(calendars, st.integers(1, 20))
def test_runs_match_counting_day_by_day(worked: dict[int, set[int]], min_days: int) -> None:
    expected = []
    for person, days in worked.items():
        for first in sorted(days):
            if first - 1 in days:
                continue
            last = first
            while last + 1 in days:
                last += 1
            if last - first + 1 >= min_days:
                expected.append((person, _date(first), _date(last), last - first + 1))
    expected.sort(key=lambda r: (r[0], -r[3], r[1]))
    found = runs(_days(worked), min_days=min_days)
    got = [(int(p), a.date(), b.date(), int(n)) for p, a, b, n in found.itertuples(index=False)]
    assert got == expected


@settings(max_examples=150, deadline=None)
@given(calendars, st.integers(1, 10), st.booleans())
def test_crowded_windows_match_counting_day_by_day(worked: dict[int, set[int]], need: int, judge_late: bool) -> None:
    judged_from = _date(9_010) if judge_late else None
    expected = []
    for person in sorted(worked):
        for end in sorted(worked[person]):
            if judged_from is not None and end < day_of(judged_from) + 27:
                continue
            count = sum(1 for d in worked[person] if end - 27 <= d <= end)
            if 28 - count < need:
                expected.append((person, _date(end), count, 28 - count))
    found = crowded_windows(_days(worked), window_days=28, min_days_off=need, judged_from=judged_from)
    got = [(int(p), e.date(), int(w), int(o)) for p, e, w, o in found.itertuples(index=False)]
    assert got == expected


def test_worked_days_read_by_table_scan_equal_the_index_walk(session, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a large SQLite table a date range is read by scanning the table; the rows must be the same."""
    st = Studio(session)
    a, b = st.person("A"), st.person("B")
    st.days(a, D(2025, 9, 20), 20, 8, night_hours=1)
    st.days(b, D(2025, 10, 3), 5, 9, break_minutes=30)
    st.commit()
    cases = [Scope(start=D(2025, 10, 1), end=D(2025, 10, 6)), Scope(people=(b.id,)), Scope(start=D(2025, 10, 5))]
    walked = [vars(queries.person_days(session, scope=scope)) for scope in cases]
    monkeypatch.setattr(queries, "SCAN_MIN_ROWS", 0)
    assert queries._table_scan(session, Scope(start=D(2025, 10, 1))) == (session.bind.dialect.name == "sqlite")
    scanned = [vars(queries.person_days(session, scope=scope)) for scope in cases]
    for w, s in zip(walked, scanned, strict=True):
        assert {k: v.tolist() for k, v in w.items()} == {k: v.tolist() for k, v in s.items()}
    assert len(walked[0]["day"]) == 6 + 4 and walked[1]["short_break_sessions"].tolist() == [1] * 5


def test_a_scope_reads_the_worked_days_of_the_people_of_its_productions(session) -> None:
    st = Studio(session)
    sky = st.production("Sky")
    a, b = st.person("A"), st.person("B")
    st.days(a, D(2025, 9, 29), 5, 8, production=sky)
    st.days(a, D(2025, 10, 6), 2, 8)  # other work of A's counts too: the tests run along a person's calendar
    st.days(b, D(2025, 10, 1), 3, 8)
    st.commit()
    days = queries.person_days(session, scope=Scope(productions=(sky.id,)))
    assert set(days.person_id) == {a.id} and len(days) == 7
    assert len(queries.person_days(session, scope=Scope(productions=(sky.id,), start=D(2025, 10, 1)))) == 3 + 2
