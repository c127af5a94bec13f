"""AI assistance as recorded: AI-assisted seconds, units and pay in the rollups, and the AI-usage ledger."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import case, func, literal, or_, select
from sqlalchemy.orm import Session

from analytics.queries.base import frame, group_grain, in_period, money, role_ids, scoped, scoped_grain
from analytics.scope import Scope
from data.schema import (
    AiUsage,
    Cut,
    Episode,
    ImportBatch,
    Person,
    Production,
    RejectedRow,
    Role,
    RollupCutMonth,
    RollupDepartmentMonth,
    RollupPayCell,
    RollupPayMonth,
    RollupWorkMonth,
    Service,
    ai_usage_post_editor,
)


def usage_conditions(scope: Scope) -> list[Any]:
    """Conditions keeping the AI-usage records the scope selects: of its productions, in roles of its departments,
    operated by its people, created in its period."""
    u = AiUsage
    conditions = in_period(u.created_at, scope, "datetime")
    if scope.productions:
        conditions.append(u.production_id.in_(scope.productions))
    if scope.departments:
        conditions.append(u.role_id.in_(role_ids(scope.departments)))
    if scope.people is not None:
        conditions.append(u.operator_id.in_(scope.people))
    return conditions


def _keys(by: Sequence[str], table: Any) -> list[Any]:
    keys = []
    for dim in by:
        if dim == "month":
            keys.append(table.month_start.label("month"))
        elif dim == "production":
            keys += [table.production_id.label("production_id"), Production.title.label("production")]
        elif dim == "episode":
            keys += [table.episode_id.label("episode_id"), Episode.label.label("episode")]
        elif dim == "department" and table is RollupDepartmentMonth:
            keys.append(table.department.label("department"))
        elif dim == "department":
            keys.append(func.coalesce(Role.department, literal("unassigned")).label("department"))
    return keys


def _joined(by: Sequence[str], table: Any) -> Any:
    source = table.__table__
    if "production" in by:
        source = source.outerjoin(Production, Production.id == table.production_id)
    if "episode" in by:
        source = source.outerjoin(Episode, Episode.id == table.episode_id)
    if "department" in by and table is not RollupDepartmentMonth:
        source = source.outerjoin(Role, Role.id == table.role_id)
    return source


def share_rows(
    session: Session, *, scope: Scope, by: Sequence[str], currency: str = "JPY"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Work and pay of the scope's rows per ``by`` (``month``/``production``/``episode``/``department``).

    ``work``: the grouping columns, ``hours``, ``ai_hours``, ``units``, ``ai_units``, ``people``. ``pay`` (in
    ``currency``, from the person-free cells, AI-apportioned when the rollup was refreshed): the grouping columns,
    ``pay_amount``, ``ai_pay_amount``.
    """
    grain = group_grain(by, scope)  # month × production or department: the people are counted at refresh
    w, c = grain if grain is not None else RollupWorkMonth, RollupPayCell
    wkeys = _keys(by, w)
    work = select(
        *wkeys,
        (func.sum(w.seconds) / 3600.0).label("hours"),
        (func.sum(w.ai_seconds) / 3600.0).label("ai_hours"),
        func.sum(w.units).label("units"),
        func.sum(w.ai_units).label("ai_units"),
        (func.sum(w.people) if grain is not None else func.count(func.distinct(w.person_id))).label("people"),
    ).select_from(_joined(by, w))
    work = scoped_grain(work, w, scope) if grain is not None else scoped(work, w, scope)
    if wkeys:
        work = work.group_by(*wkeys)
    if list(by) == ["department"]:
        work = _by_department(scope)
    pkeys = _keys(by, c)
    pay = select(
        *pkeys,
        money(func.sum(c.amount)).label("pay_amount"),
        func.sum(c.ai_amount).label("ai_pay_amount"),
    ).select_from(_joined(by, c))
    pay = scoped(pay.where(c.currency == currency), c, scope)
    if pkeys:
        pay = pay.group_by(*pkeys)
    return frame(session, work, dates=("month",)), frame(session, pay, dates=("month",))


def _by_department(scope: Scope) -> Any:
    """The work part of :func:`share_rows` by department alone: first per role and person, walking the (role, person)
    index with nothing to sort, then those few thousand rows per department with their distinct people, rather than
    every work month joined to its role and sorted by department."""
    w = RollupWorkMonth
    per = scoped(
        select(w.role_id, w.person_id, func.sum(w.seconds).label("seconds"), func.sum(w.ai_seconds).label("ai_seconds"),
               func.sum(w.units).label("units"), func.sum(w.ai_units).label("ai_units")),
        w,
        scope,
    ).group_by(w.role_id, w.person_id).subquery("per")  # fmt: skip
    department = func.coalesce(Role.department, literal("unassigned"))
    return (
        select(
            department.label("department"),
            (func.sum(per.c.seconds) / 3600.0).label("hours"),
            (func.sum(per.c.ai_seconds) / 3600.0).label("ai_hours"),
            func.sum(per.c.units).label("units"),
            func.sum(per.c.ai_units).label("ai_units"),
            func.count(func.distinct(per.c.person_id)).label("people"),
        )
        .select_from(per.outerjoin(Role, Role.id == per.c.role_id))
        .group_by(department)
    )


def cut_rows(session: Session, *, scope: Scope) -> pd.DataFrame:
    """Per episode of the scope's productions (all when none is selected): its cuts, the cuts with AI-assisted work
    or an AI-usage record in roles of the scope's departments, and those records. A cut list has no date, so the
    period does not apply.

    Columns: ``production_id``, ``production``, ``episode_id``, ``episode``, ``cuts`` (in the episode's cut list),
    ``ai_cuts``, ``ai_usage_records``.
    """
    cm = RollupCutMonth
    scope = scope.replace(start=None, end=None)
    # Per cut, one look-up in the (cut, AI sessions) index rather than a set of every AI-assisted cut-month built and
    # de-duplicated first; the AI-usage ledger is small and becomes one in-memory set.
    ai_from_work = scoped(select(cm.id).where(cm.cut_id == Cut.id, cm.ai_sessions > 0), cm, scope).exists()
    ai_from_usage = Cut.id.in_(
        select(AiUsage.cut_id).where(AiUsage.cut_id.is_not(None), *usage_conditions(scope)).scalar_subquery()
    )
    is_ai = case((or_(ai_from_work, ai_from_usage), 1))
    usage = (
        select(AiUsage.episode_id, func.count().label("records"))
        .where(AiUsage.episode_id.is_not(None), *usage_conditions(scope))
        .group_by(AiUsage.episode_id)
        .subquery("usage")
    )
    query = (
        select(
            Production.id.label("production_id"),
            Production.title.label("production"),
            Episode.id.label("episode_id"),
            Episode.label.label("episode"),
            func.count(Cut.id).label("cuts"),
            func.count(is_ai).label("ai_cuts"),
            func.coalesce(func.max(usage.c.records), 0).label("ai_usage_records"),
        )
        .select_from(Episode)
        .join(Production, Production.id == Episode.production_id)
        .outerjoin(Cut, Cut.episode_id == Episode.id)
        .outerjoin(usage, usage.c.episode_id == Episode.id)
        .group_by(Production.id, Production.title, Episode.id, Episode.label)
        .order_by(Production.title, Episode.number, Episode.label)
    )
    if scope.productions:
        query = query.where(Production.id.in_(scope.productions))
    return frame(session, query)


def adoption_rows(session: Session, *, scope: Scope, currency: str = "JPY") -> tuple[pd.DataFrame, pd.DataFrame]:
    """What :func:`analytics.ai_share.adoption_effect` compares, over all time (before and after need the whole
    timeline: the period does not apply), in the scope's productions, departments and people.

    ``adopted``: ``department``, ``adopted_month`` (datetime64: its first month with AI-assisted work). ``months``:
    per ``department`` and ``month`` (datetime64), ``hours``, ``people``, ``pay_amount`` (in ``currency``) and
    ``cuts`` (distinct cuts worked on; NaN where none).
    """
    everything = scope.replace(start=None, end=None)
    if group_grain(("department", "month"), everything) is not None:
        return _adoption_by_department_month(session, scope=everything, currency=currency)
    w, p, cm = RollupWorkMonth, RollupPayMonth, RollupCutMonth
    dept = func.coalesce(Role.department, literal("unassigned"))
    adopted_q = scoped(
        select(dept.label("department"), func.min(w.month_start).label("adopted_month"))
        .select_from(w.__table__.outerjoin(Role, Role.id == w.role_id))
        .where(w.ai_seconds > 0),
        w,
        everything,
    ).group_by(dept)
    cuts_q = scoped(  # distinct cuts per department and month, without reading the work log
        select(dept.label("department"), cm.month_start.label("month"),
               func.count(func.distinct(cm.cut_id)).label("cuts"))
        .select_from(cm.__table__.outerjoin(Role, Role.id == cm.role_id)),
        cm,
        everything,
    ).group_by(dept, cm.month_start)  # fmt: skip
    work_q = scoped(
        select(dept.label("department"), w.month_start.label("month"), (func.sum(w.seconds) / 3600.0).label("hours"),
               func.count(func.distinct(w.person_id)).label("people"))
        .select_from(w.__table__.outerjoin(Role, Role.id == w.role_id)),
        w,
        everything,
    ).group_by(dept, w.month_start)  # fmt: skip
    pay_q = scoped(
        select(dept.label("department"), p.month_start.label("month"), money(func.sum(p.amount)).label("pay_amount"))
        .select_from(p.__table__.outerjoin(Role, Role.id == p.role_id))
        .where(p.currency == currency),
        p,
        everything,
    ).group_by(dept, p.month_start)
    months = frame(session, work_q, dates=("month",))
    months = months.merge(frame(session, pay_q, dates=("month",)), on=["department", "month"], how="left")
    months = months.merge(frame(session, cuts_q, dates=("month",)), on=["department", "month"], how="left")
    return frame(session, adopted_q, dates=("adopted_month",)), months


def _adoption_by_department_month(
    session: Session, *, scope: Scope, currency: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`adoption_rows` from the month × department rollup (people and cuts counted at refresh) and the
    person-free pay cells, for a scope that selects no production and no person."""
    d, c = RollupDepartmentMonth, RollupPayCell
    adopted_q = scoped_grain(
        select(d.department, func.min(d.month_start).label("adopted_month")).where(d.ai_seconds > 0), d, scope
    ).group_by(d.department)
    dept = func.coalesce(Role.department, literal("unassigned"))
    pay = (
        scoped(
            select(
                dept.label("department"), c.month_start.label("month"), money(func.sum(c.amount)).label("pay_amount")
            )
            .select_from(c.__table__.outerjoin(Role, Role.id == c.role_id))
            .where(c.currency == currency),
            c,
            scope,
        )
        .group_by(dept, c.month_start)
        .subquery("pay")
    )
    # Cuts: NULL where the department worked on no cut that month, as the person-level path leaves them.
    months_q = scoped_grain(
        select(d.department, d.month_start.label("month"), (d.seconds / 3600.0).label("hours"), d.people,
               pay.c.pay_amount, case((d.cuts > 0, d.cuts)).label("cuts"))
        .select_from(d.__table__.outerjoin(pay, (pay.c.department == d.department) & (pay.c.month == d.month_start))),
        d,
        scope,
    ).order_by(d.department, d.month_start)  # fmt: skip
    return frame(session, adopted_q, dates=("adopted_month",)), frame(session, months_q, dates=("month",))


def unattributed_rows(session: Session, *, scope: Scope) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Where AI use may lack a named human operator.

    ``rejected``: import rows refused for a missing operator, of imports for the scope's productions (a rejected row
    has no role and no date of use, so departments and the period do not narrow it): ``filename``, ``line``,
    ``value``, ``reason``, ``reason_code``, ``production_id``. ``operators``: the AI-usage records the scope selects,
    with their operator's name: ``usage_id``, ``production_id``, ``operator``.
    """
    rejected = (
        select(
            ImportBatch.filename,
            RejectedRow.line,
            RejectedRow.value,
            RejectedRow.reason,
            RejectedRow.reason_code,
            ImportBatch.production_id,
        )
        .join(ImportBatch, ImportBatch.id == RejectedRow.batch_id)
        .where(or_(RejectedRow.reason_code.like("%operator%"), RejectedRow.reason_code.like("%OPERATOR%")))
        .order_by(ImportBatch.filename, RejectedRow.line)
    )
    if scope.productions:
        rejected = rejected.where(ImportBatch.production_id.in_(scope.productions))
    operators = (
        select(AiUsage.id.label("usage_id"), AiUsage.production_id, Person.display_name.label("operator"))
        .join(Person, Person.id == AiUsage.operator_id)
        .where(*usage_conditions(scope))
        .order_by(AiUsage.id)
    )
    return frame(session, rejected), frame(session, operators)


def ledger_rows(session: Session, *, scope: Scope, limit: int) -> tuple[pd.DataFrame, int]:
    """The AI-usage records the scope selects, latest first (at most ``limit``), and how many there are.

    Columns: ``created_at``, ``production``, ``episode``, ``cut``, ``stage``, ``service``, ``version``, and the
    operator's ``person_id``, ``family_name``, ``given_name``, ``display_name``, ``given_romaji``, ``family_romaji``; then
    ``post_editors`` (count), ``digital_source_type``, ``asset_path``.
    """
    editors = (
        select(func.count())
        .where(ai_usage_post_editor.c.ai_usage_id == AiUsage.id)
        .correlate(AiUsage)
        .scalar_subquery()
    )
    conditions = usage_conditions(scope)
    stmt = (
        select(AiUsage.created_at, Production.title.label("production"), Episode.label.label("episode"),
               Cut.cut_number.label("cut"), AiUsage.stage, Service.name.label("service"), Service.version,
               AiUsage.operator_id.label("person_id"), Person.family_name, Person.given_name, Person.display_name, Person.given_romaji, Person.family_romaji,
               editors.label("post_editors"), AiUsage.digital_source_type, AiUsage.asset_path)
        .join(Service, Service.id == AiUsage.service_id)
        .join(Person, Person.id == AiUsage.operator_id)
        .outerjoin(Production, Production.id == AiUsage.production_id)
        .outerjoin(Episode, Episode.id == AiUsage.episode_id)
        .outerjoin(Cut, Cut.id == AiUsage.cut_id)
        .where(*conditions)
        .order_by(AiUsage.created_at.desc(), AiUsage.id.desc())
        .limit(limit)
    )  # fmt: skip
    total = session.scalar(select(func.count(AiUsage.id)).where(*conditions)) or 0
    return frame(session, stmt), int(total)
