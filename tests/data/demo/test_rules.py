"""The demo follows the law of the database it writes into: change a rule parameter and the studio changes with it."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data.demo import FIXTURE, load_demo
from data.demo.spec import SHORT_BREAK_MINUTES
from data.schema import RuleParameter
from tests.demo_helpers import frame


def _set(session: Session, key: str, value: object) -> None:
    row = session.scalars(
        select(RuleParameter).where(RuleParameter.jurisdiction == "JP", RuleParameter.key == key)
    ).one()
    row.value = {"value": value}


def _night(start: pd.Timestamp, end: pd.Timestamp, from_h: int, to_h: int) -> int:
    """Seconds of [start, end) between from_h o'clock and to_h o'clock the next morning, worked by hand."""
    total = 0
    day = start.normalize() - pd.Timedelta(days=1)
    while day <= end:
        lo, hi = day + pd.Timedelta(hours=from_h), day + pd.Timedelta(hours=24 + to_h)
        total += max(0, int((min(end, hi) - max(start, lo)).total_seconds()))
        day += pd.Timedelta(days=1)
    return total


def test_breaks_and_the_night_window_come_from_the_rule_parameters(engine: Engine) -> None:
    with Session(engine) as s:
        _set(s, "hours.breaks", [{"shift_over_h": 6, "min_break_min": 50}, {"shift_over_h": 8, "min_break_min": 70}])
        _set(s, "premiums.late_night.start", "23:00")
        s.commit()
    load_demo(engine, seed=3, preset=FIXTURE)
    with Session(engine) as s:
        logs = frame(
            s,
            "SELECT w.person_id, w.work_date, w.start_at, w.end_at, w.seconds, w.break_seconds, w.night_seconds "
            "FROM work_log w JOIN employment e ON e.person_id = w.person_id "
            "WHERE e.jurisdiction = 'JP' AND e.employment_type LIKE 'employee%'",
        )
    one_session = logs.groupby(["person_id", "work_date"]).seconds.transform("size") == 1
    days = logs[one_session].drop_duplicates(["person_id", "work_date"])
    required = days.seconds.map(lambda w: 70 * 60 if w > 480 * 60 else 50 * 60 if w > 360 * 60 else 0)
    kept = days.break_seconds == required
    short = (days.break_seconds == SHORT_BREAK_MINUTES * 60) & (required > 0)
    assert (kept | short).all()
    assert {50 * 60, 70 * 60} <= set(days.break_seconds)
    plain = logs[logs.break_seconds == 0]
    start, end = pd.to_datetime(plain.start_at), pd.to_datetime(plain.end_at)
    expected = [_night(a, b, 23, 5) for a, b in zip(start, end, strict=True)]
    assert list(plain.night_seconds) == expected and sum(expected) > 0
