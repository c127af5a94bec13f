"""``rollup_production_month`` and ``rollup_department_month``: the person-level work rollup summed to the grain the
month × production and month × department charts group by, with the distinct people (and, per department, the
distinct cuts) counted once at refresh rather than on every request; ``rollup_work_cell``: the same work per month ×
production × episode × role with no person. Rebuilt for the months touched, after every
person's rows and the cut rows are current."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, insert, literal, select
from sqlalchemy.orm import Session

from data.rollup.months import UNASSIGNED
from data.schema import (
    Role,
    RollupCutMonth,
    RollupDepartmentMonth,
    RollupProductionMonth,
    RollupWorkCell,
    RollupWorkMonth,
)

SUMS = ("seconds", "night_seconds", "holiday_seconds", "ai_seconds", "units", "ai_units", "sessions")


def refresh_group_months(session: Session, *, month_from: dt.date, month_to: dt.date) -> None:
    """Rebuild the month × production and month × department rows of the months ``month_from``..``month_to`` from
    ``rollup_work_month`` and ``rollup_cut_month`` (both already current)."""
    rwm, rcm = RollupWorkMonth.__table__, RollupCutMonth.__table__
    rpm, rdm = RollupProductionMonth.__table__, RollupDepartmentMonth.__table__
    months = rwm.c.month_start.between(month_from, month_to)
    session.execute(delete(rpm).where(rpm.c.month_start.between(month_from, month_to)))
    session.execute(delete(rdm).where(rdm.c.month_start.between(month_from, month_to)))
    sums = [func.sum(rwm.c[n]) for n in SUMS]
    people = func.count(func.distinct(rwm.c.person_id))
    by_production = (
        select(rwm.c.month_start, rwm.c.production_id, *sums, people)
        .where(months)
        .group_by(rwm.c.month_start, rwm.c.production_id)
    )
    session.execute(insert(rpm).from_select(["month_start", "production_id", *SUMS, "people"], by_production))
    cell = RollupWorkCell.__table__
    session.execute(delete(cell).where(cell.c.month_start.between(month_from, month_to)))
    keys = [rwm.c.month_start, rwm.c.production_id, rwm.c.episode_id, rwm.c.role_id]
    cells = select(*keys, *sums).where(months).group_by(*keys)
    session.execute(insert(cell).from_select(["month_start", "production_id", "episode_id", "role_id", *SUMS], cells))
    department = func.coalesce(Role.department, literal(UNASSIGNED))
    cuts = (
        select(rcm.c.month_start, department.label("department"), func.count(func.distinct(rcm.c.cut_id)).label("n"))
        .select_from(rcm.outerjoin(Role.__table__, Role.id == rcm.c.role_id))
        .where(rcm.c.month_start.between(month_from, month_to))
        .group_by(rcm.c.month_start, department)
        .subquery("cuts")
    )
    work = (
        select(rwm.c.month_start, department.label("department"), *(s.label(n) for s, n in zip(sums, SUMS, strict=True)),
               people.label("people"))
        .select_from(rwm.outerjoin(Role.__table__, Role.id == rwm.c.role_id))
        .where(months)
        .group_by(rwm.c.month_start, department)
        .subquery("work")
    )  # fmt: skip
    by_department = select(
        work.c.month_start, work.c.department, *(work.c[n] for n in SUMS), work.c.people, func.coalesce(cuts.c.n, 0)
    ).select_from(
        work.outerjoin(cuts, (cuts.c.month_start == work.c.month_start) & (cuts.c.department == work.c.department))
    )
    names = ["month_start", "department", *SUMS, "people", "cuts"]
    session.execute(insert(rdm).from_select(names, by_department))
