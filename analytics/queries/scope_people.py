"""A Scope's people as SQL: who the productions, departments and people of a scope select.

The per-person legal tests (overtime, overwork, worked days) keep a person's whole month: a production or department
filter selects the people who worked on it in the months of the period, not the rows of that production.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from analytics.scope import Scope
from data.periods import py_month_start
from data.schema import Role, RollupWorkMonth


def people_worked_in(scope: Scope) -> Any:
    """The ids of the people with minutes on any of the scope's productions and in any of its departments (by the
    role of the work) in the months of its period (a subquery); None when the scope names neither."""
    if not scope.productions and not scope.departments:
        return None
    w = RollupWorkMonth
    query = select(w.person_id).where(w.minutes > 0)
    if scope.productions:
        query = query.where(w.production_id.in_(scope.productions))
    if scope.departments:
        query = query.join(Role, Role.id == w.role_id).where(Role.department.in_(scope.departments))
    if scope.start is not None:
        query = query.where(w.month_start >= py_month_start(scope.start))
    if scope.end is not None:
        query = query.where(w.month_start <= scope.end)
    return query


def person_conditions(column: Any, scope: Scope) -> list[ColumnElement[bool]]:
    """Conditions on a person-id ``column`` that keep the people ``scope`` selects (none: everyone)."""
    conditions = []
    if scope.people is not None:
        conditions.append(column.in_(scope.people))
    worked = people_worked_in(scope)
    if worked is not None:
        conditions.append(column.in_(worked))
    return conditions


def selected_people(session: Session, scope: Scope) -> list[int] | None:
    """The ids of the people ``scope`` selects, for functions that take a list of people (None: everyone)."""
    worked = people_worked_in(scope)
    if worked is None:
        return None if scope.people is None else list(scope.people)
    ids = set(session.scalars(worked.distinct()))
    return sorted(ids if scope.people is None else ids.intersection(scope.people))
