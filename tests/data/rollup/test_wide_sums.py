"""A month of one production at a large studio sums more seconds than a 32-bit integer holds: the grain rollups keep
the exact sum on both databases (PostgreSQL stopped with "integer out of range" at 5 M work logs)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from data.rollup.groups import refresh_group_months
from data.schema import (
    Person,
    Production,
    RollupDepartmentMonth,
    RollupProductionMonth,
    RollupWorkCell,
    RollupWorkMonth,
)

MONTH = dt.date(2025, 4, 1)
PEOPLE = 900
SECONDS = 2_500_000  # about 694 hours each, far beyond a real month: few rows, a sum past 2**31


def test_a_production_month_past_two_to_the_31_seconds_is_summed_exactly(session: Session) -> None:
    session.execute(insert(Person), [{"display_name": f"人{i}"} for i in range(PEOPLE)])
    production = Production(title="大作", kind="tv")
    session.add(production)
    session.flush()
    people = session.scalars(select(Person.id)).all()
    session.execute(
        insert(RollupWorkMonth),
        [{"month_start": MONTH, "person_id": p, "production_id": production.id, "seconds": SECONDS,
          "night_seconds": SECONDS, "holiday_seconds": SECONDS, "sessions": 1} for p in people],
    )  # fmt: skip
    refresh_group_months(session, month_from=MONTH, month_to=MONTH)
    session.commit()
    total = PEOPLE * SECONDS
    assert total > 2**31
    for table in (RollupProductionMonth, RollupWorkCell, RollupDepartmentMonth):
        row = session.execute(select(table.seconds, table.night_seconds, table.holiday_seconds)).one()
        assert tuple(row) == (total, total, total), table.__tablename__
