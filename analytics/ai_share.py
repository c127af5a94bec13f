"""AI assistance: how much of the work, the cuts and the pay was AI-assisted, and what adoption did to paid work.

* Hours: minutes × the work log's ``ai_assisted_fraction``. Units (drawings, sheets, backgrounds — the "assets"
  people produce): units × that fraction.
* Pay: each cell of month × person × production × episode × role gives its pay the AI-assisted share of its hours.
* Cuts: a cut is AI-assisted when any work on it had an AI-assisted fraction or an AI-usage record names it.
* Unattributed AI use: the database refuses an AI-usage record without an operator, so such records surface as import
  rows rejected for a missing operator, or as records whose operator is a placeholder name rather than a person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import func, literal, or_, select
from sqlalchemy.orm import Session

from analytics.scope import AnalyticsError, check_range, frame, money, production_id
from data.names import person_key
from data.periods import py_month_start
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
    RollupPayCell,
    RollupPayMonth,
    RollupWorkMonth,
)

SHARE_DIMENSIONS = ("month", "production", "episode", "department")
# Names that stand in for a person without naming one (the credits validator keeps the full list).
PLACEHOLDER_OPERATOR_KEYS = frozenset(
    person_key(t)
    for t in (
        "AI",
        "AI (+Human)",
        "AI(+Human)",
        "human",
        "staff",
        "スタッフ",
        "未定",
        "ほか",
        "他",
        "operator",
        "unknown",
        "n/a",
        "none",
        "-",
        "?",
    )
)


def _keys(by: Sequence[str], table) -> list:  # noqa: ANN001
    keys = []
    for dim in by:
        if dim == "month":
            keys.append(table.month_start.label("month"))
        elif dim == "production":
            keys += [table.production_id.label("production_id"), Production.title.label("production")]
        elif dim == "episode":
            keys += [table.episode_id.label("episode_id"), Episode.label.label("episode")]
        elif dim == "department":
            keys.append(func.coalesce(Role.department, literal("unassigned")).label("department"))
    return keys


def _joined(by: Sequence[str], table, source):  # noqa: ANN001, ANN202
    if "production" in by:
        source = source.outerjoin(Production, Production.id == table.production_id)
    if "episode" in by:
        source = source.outerjoin(Episode, Episode.id == table.episode_id)
    if "department" in by:
        source = source.outerjoin(Role, Role.id == table.role_id)
    return source


def _filters(query, table, pid, start, end):  # noqa: ANN001, ANN202
    if pid is not None:
        query = query.where(table.production_id == pid)
    if start is not None:
        query = query.where(table.month_start >= py_month_start(start))
    if end is not None:
        query = query.where(table.month_start <= end)
    return query


def ai_share(
    *,
    session: Session,
    by: Sequence[str] = ("production",),
    production: str | int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    currency: str = "JPY",
) -> pd.DataFrame:
    """Share of hours, units and pay that was AI-assisted, grouped by ``month``/``production``/``episode``/``department``.

    Columns: the grouping columns, ``hours``, ``ai_hours``, ``ai_hours_share`` (0–1), ``units``, ``ai_units``,
    ``ai_units_share``, ``pay_amount``, ``ai_pay_amount``, ``ai_pay_share`` (pay in ``currency`` only), ``people``.
    """
    unknown = [d for d in by if d not in SHARE_DIMENSIONS]
    if unknown:
        raise AnalyticsError(f"cannot group AI share by {unknown}; choose from {', '.join(SHARE_DIMENSIONS)}")
    check_range(start, end)
    pid = production_id(session, production)
    w, c = RollupWorkMonth, RollupPayCell
    wkeys = _keys(by, w)
    work = select(
        *wkeys,
        (func.sum(w.minutes) / 60.0).label("hours"),
        (func.sum(w.ai_minutes) / 60.0).label("ai_hours"),
        func.sum(w.units).label("units"),
        func.sum(w.ai_units).label("ai_units"),
        func.count(func.distinct(w.person_id)).label("people"),
    ).select_from(_joined(by, w, w.__table__))
    work = _filters(work, w, pid, start, end)
    if wkeys:
        work = work.group_by(*wkeys)
    work_df = frame(session, work, dates=("month",))

    # Pay comes from the person-free cells, AI-apportioned when the rollup was refreshed (a few thousand rows).
    pkeys = _keys(by, c)
    pay = select(
        *pkeys,
        money(func.sum(c.amount)).label("pay_amount"),
        func.sum(c.ai_amount).label("ai_pay_amount"),
    ).select_from(_joined(by, c, c.__table__))
    pay = _filters(pay.where(c.currency == currency), c, pid, start, end)
    if pkeys:
        pay = pay.group_by(*pkeys)
    pay_df = frame(session, pay, dates=("month",))
    names = [k.name for k in wkeys]
    df = work_df.merge(pay_df, on=names, how="outer") if names else pd.concat([work_df, pay_df], axis=1)
    for column in ("hours", "ai_hours", "units", "ai_units", "pay_amount", "ai_pay_amount", "people"):
        df[column] = df[column].fillna(0.0)
    df["ai_hours_share"] = (df["ai_hours"] / df["hours"].where(df["hours"] > 0)).fillna(0.0)
    df["ai_units_share"] = (df["ai_units"] / df["units"].where(df["units"] > 0)).fillna(0.0)
    df["ai_pay_share"] = (df["ai_pay_amount"] / df["pay_amount"].where(df["pay_amount"] > 0)).fillna(0.0)
    df["ai_pay_amount"] = df["ai_pay_amount"].round(2)
    order = [
        *names,
        "hours",
        "ai_hours",
        "ai_hours_share",
        "units",
        "ai_units",
        "ai_units_share",
        "pay_amount",
        "ai_pay_amount",
        "ai_pay_share",
        "people",
    ]
    return df[order].sort_values(names).reset_index(drop=True) if names else df[order]


def cut_share(
    *,
    session: Session,
    production: str | int | None = None,
) -> pd.DataFrame:
    """Share of cuts that were AI-assisted, per production and episode.

    Columns: ``production_id``, ``production``, ``episode_id``, ``episode``, ``cuts`` (in the episode's cut list),
    ``ai_cuts``, ``ai_cuts_share`` (0–1), ``ai_usage_records`` (AI-usage ledger rows for the episode).
    """
    pid = production_id(session, production)
    cm = RollupCutMonth
    ai_from_work = select(cm.cut_id.label("cut_id")).where(cm.ai_sessions > 0)
    ai_from_usage = select(AiUsage.cut_id.label("cut_id")).where(AiUsage.cut_id.is_not(None))
    if pid is not None:
        ai_from_work = ai_from_work.where(cm.production_id == pid)
        ai_from_usage = ai_from_usage.where(AiUsage.production_id == pid)
    ai_cuts = ai_from_work.union(ai_from_usage).subquery("ai_cuts")
    usage = (
        select(AiUsage.episode_id, func.count().label("records"))
        .where(AiUsage.episode_id.is_not(None))
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
            func.count(ai_cuts.c.cut_id).label("ai_cuts"),
            func.coalesce(func.max(usage.c.records), 0).label("ai_usage_records"),
        )
        .select_from(Episode)
        .join(Production, Production.id == Episode.production_id)
        .outerjoin(Cut, Cut.episode_id == Episode.id)
        .outerjoin(ai_cuts, ai_cuts.c.cut_id == Cut.id)
        .outerjoin(usage, usage.c.episode_id == Episode.id)
        .group_by(Production.id, Production.title, Episode.id, Episode.label)
        .order_by(Production.title, Episode.number, Episode.label)
    )
    if pid is not None:
        query = query.where(Production.id == pid)
    df = frame(session, query)
    df["ai_cuts_share"] = (df["ai_cuts"] / df["cuts"].where(df["cuts"] > 0)).fillna(0.0)
    return df[
        ["production_id", "production", "episode_id", "episode", "cuts", "ai_cuts", "ai_cuts_share", "ai_usage_records"]
    ]


def adoption_effect(
    *,
    session: Session,
    department: str | None = None,
    currency: str = "JPY",
) -> pd.DataFrame:
    """Hours and pay per cut in each department before and after it adopted AI.

    A department adopts AI in the first month any of its work is AI-assisted. ``before`` covers its months up to
    then, ``after`` from then on; departments that never adopted have only ``before``. Cuts are distinct cuts worked
    on in the period. Columns: ``department``, ``adopted_month`` (datetime64 or NaT), ``period`` (before/after),
    ``cuts``, ``hours``, ``pay_amount``, ``hours_per_cut``, ``pay_per_cut`` (in ``currency``), ``people``.
    """
    w, p = RollupWorkMonth, RollupPayMonth
    dept = func.coalesce(Role.department, literal("unassigned"))
    adopted_q = (
        select(dept.label("department"), func.min(w.month_start).label("adopted_month"))
        .select_from(w.__table__.outerjoin(Role, Role.id == w.role_id))
        .where(w.ai_minutes > 0)
        .group_by(dept)
    )
    adopted = frame(session, adopted_q, dates=("adopted_month",))
    adopted_map = dict(zip(adopted["department"], adopted["adopted_month"], strict=True))

    cm = RollupCutMonth  # distinct cuts per department and month, without reading the work log
    wdept = func.coalesce(Role.department, literal("unassigned"))
    cuts_q = (
        select(
            wdept.label("department"),
            cm.month_start.label("month"),
            func.count(func.distinct(cm.cut_id)).label("cuts"),
        )
        .select_from(cm.__table__.outerjoin(Role, Role.id == cm.role_id))
        .group_by(wdept, cm.month_start)
    )
    work_q = (
        select(
            dept.label("department"),
            w.month_start.label("month"),
            (func.sum(w.minutes) / 60.0).label("hours"),
            func.count(func.distinct(w.person_id)).label("people"),
        )
        .select_from(w.__table__.outerjoin(Role, Role.id == w.role_id))
        .group_by(dept, w.month_start)
    )
    pay_q = (
        select(dept.label("department"), p.month_start.label("month"), money(func.sum(p.amount)).label("pay_amount"))
        .select_from(p.__table__.outerjoin(Role, Role.id == p.role_id))
        .where(p.currency == currency)
        .group_by(dept, p.month_start)
    )
    if department is not None:
        cuts_q = cuts_q.where(wdept == department)
        work_q = work_q.where(dept == department)
        pay_q = pay_q.where(dept == department)
    months = frame(session, work_q, dates=("month",))
    months = months.merge(frame(session, pay_q, dates=("month",)), on=["department", "month"], how="left")
    months = months.merge(frame(session, cuts_q, dates=("month",)), on=["department", "month"], how="left")
    columns = [
        "department",
        "adopted_month",
        "period",
        "cuts",
        "hours",
        "pay_amount",
        "hours_per_cut",
        "pay_per_cut",
        "people",
    ]
    if months.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
    months = months.fillna({"pay_amount": 0.0, "cuts": 0})
    months["adopted_month"] = months["department"].map(adopted_map)
    months["period"] = [
        "after" if pd.notna(a) and m >= a else "before"
        for m, a in zip(months["month"], months["adopted_month"], strict=True)
    ]
    # Cuts and people are summed over months: a cut worked on in two months counts twice, like its hours do.
    out = months.groupby(["department", "period"], as_index=False, dropna=False).agg(
        adopted_month=("adopted_month", "first"),
        cuts=("cuts", "sum"),
        hours=("hours", "sum"),
        pay_amount=("pay_amount", "sum"),
        people=("people", "max"),
    )
    out["hours_per_cut"] = out["hours"] / out["cuts"].where(out["cuts"] > 0)
    out["pay_per_cut"] = out["pay_amount"] / out["cuts"].where(out["cuts"] > 0)
    out["period"] = pd.Categorical(out["period"], ["before", "after"])
    return out.sort_values(["department", "period"]).reset_index(drop=True)[columns]


def unattributed_ai_use(*, session: Session) -> pd.DataFrame:
    """AI use with no named human operator.

    Columns: ``source`` (``rejected_import``: a row refused for a missing operator; ``placeholder_operator``: a
    ledger record whose operator's name is a placeholder), ``reference`` (file and line, or ``ai_usage <id>``),
    ``production_id``, ``value`` (what stood where a person should be), ``reason``.
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
    rows = [
        {
            "source": "rejected_import",
            "reference": f"{r.filename}:{r.line}",
            "production_id": r.production_id,
            "value": r.value,
            "reason": f"{r.reason} ({r.reason_code})",
        }
        for r in session.execute(rejected)
    ]
    operators = session.execute(
        select(AiUsage.id, AiUsage.production_id, Person.display_name)
        .join(Person, Person.id == AiUsage.operator_id)
        .order_by(AiUsage.id)
    )
    for usage_id, prod, name in operators:
        if person_key(name) in PLACEHOLDER_OPERATOR_KEYS:
            rows.append(
                {
                    "source": "placeholder_operator",
                    "reference": f"ai_usage {usage_id}",
                    "production_id": prod,
                    "value": name,
                    "reason": "the operator is a placeholder name, not a person",
                }
            )
    return pd.DataFrame(rows, columns=["source", "reference", "production_id", "value", "reason"])
