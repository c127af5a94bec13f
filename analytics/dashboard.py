"""Page-sized views for the manager dashboard: each page calls one function here, which composes the analytics
functions (workload, overtime, pay, findings) for the sidebar filters and attaches people's names.

Names appear only in these manager views; advocates use :mod:`analytics.anonymized`, artists :mod:`analytics.my_record`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from analytics.access import ensure_role
from analytics.findings.snapshot import studio_findings
from analytics.overtime import jp_overtime_monthly
from analytics.overview import OverviewFilters
from analytics.pay import effective_pay
from analytics.scope import Scope
from analytics.workload import weekly_hours, workload
from data.identity import Identity
from data.schema import PIECE_BASES, Employment, Person, Role, RollupPayMonth, RollupWorkMonth

DashboardFilters = OverviewFilters
HEATMAP_PEOPLE = 60
TABLE_ROWS = 2000  # rows a page table carries; charts and counts still cover everything
BIN_JPY = 50
WORKLOAD_RULES = ("JP-HRS", "JP-DISC", "JP-LEAVE", "JP-OW", "CA-OT", "CA-HRS", "CA-MEAL", "CA-REST")
PAY_RULES = ("JP-MW", "CA-MW", "JP-PAY", "CA-PAY", "CA-EX", "JP-FL", "CA-IC")


def _month_floor(day):
    return day.replace(day=1)


def people_in_scope(*, session: Session, filters: DashboardFilters) -> list[int] | None:
    """People who worked within the production/department filters (None: no such filter, everyone)."""
    if not filters.production_ids and not filters.department:
        return None
    w = RollupWorkMonth
    stmt = select(w.person_id).distinct().where(w.minutes > 0)
    if filters.production_ids:
        stmt = stmt.where(w.production_id.in_(filters.production_ids))
    if filters.department:
        stmt = stmt.join(Role, Role.id == w.role_id).where(Role.department == filters.department)
    if filters.start:
        stmt = stmt.where(w.month_start >= _month_floor(filters.start))
    if filters.end:
        stmt = stmt.where(w.month_start <= filters.end)
    return sorted(session.scalars(stmt))


def person_directory(*, session: Session, person_ids: list[int] | None = None) -> pd.DataFrame:
    """Who each person is, for labels. Columns: ``person_id``, ``name`` (native script with romaji beside it),
    ``employment_type`` (latest employment; ``freelancer`` when none is recorded), ``main_role`` (English name of the
    role with most hours), ``department`` (of that role)."""
    people = select(
        Person.id,
        Person.family_name,
        Person.given_name,
        Person.display_name,
        Person.given_romaji,
        Person.family_romaji,
    )
    if person_ids is not None:
        people = people.where(Person.id.in_(person_ids))
    rows = []
    for pid, fam, giv, display, giv_r, fam_r in session.execute(people):
        romaji = " ".join(p for p in (giv_r, fam_r) if p)
        native = f"{fam or ''}{giv or ''}" or display
        if native.isascii():
            native = " ".join(p for p in (giv, fam) if p) or display  # a Latin name reads given-first, spaced
        rows.append((pid, f"{native} ({romaji})" if romaji and romaji != native else native))
    directory = pd.DataFrame(rows, columns=["person_id", "name"])
    latest = (
        select(Employment.person_id, func.max(Employment.start_date).label("start")).group_by(Employment.person_id)
    ).subquery()
    employment = pd.DataFrame(
        session.execute(
            select(Employment.person_id, Employment.employment_type).join(
                latest, and_(latest.c.person_id == Employment.person_id, latest.c.start == Employment.start_date)
            )
        ).all(),
        columns=["person_id", "employment_type"],
    ).drop_duplicates("person_id")
    w = RollupWorkMonth
    by_role = pd.DataFrame(
        session.execute(
            select(w.person_id, Role.en, Role.department, func.sum(w.minutes))
            .join(Role, Role.id == w.role_id)
            .group_by(w.person_id, Role.en, Role.department)
        ).all(),
        columns=["person_id", "main_role", "department", "minutes"],
    )
    main = by_role.sort_values(["person_id", "minutes"], ascending=[True, False]).drop_duplicates("person_id")
    out = directory.merge(employment, on="person_id", how="left").merge(
        main.drop(columns="minutes"), on="person_id", how="left"
    )
    out["employment_type"] = out["employment_type"].fillna("freelancer")
    out["main_role"] = out["main_role"].fillna("unassigned")
    out["department"] = out["department"].fillna("unassigned")
    return out


@dataclass(frozen=True)
class FindingsView:
    """Compliance findings for the filters, split by topic; ``error`` set when the engine failed (the rest of the
    page still works).

    ``hours`` and ``pay``: the columns of :func:`analytics.findings.findings` without ``person_id`` (``person`` is the
    display name), for rule ids starting with ``WORKLOAD_RULES`` and ``PAY_RULES``. ``counts``: ``rule_id``,
    ``severity``, ``findings`` (count). Each topic keeps its ``TABLE_ROWS`` most severe findings (violations first);
    ``hours_total`` / ``pay_total`` count them all.
    """

    hours: pd.DataFrame
    pay: pd.DataFrame
    counts: pd.DataFrame
    error: str | None = None
    hours_total: int = 0
    pay_total: int = 0


def findings_view(*, session: Session, identity: Identity, filters: DashboardFilters) -> FindingsView:
    ensure_role(identity, "manager")
    empty = pd.DataFrame()
    production = filters.production_ids[0] if len(filters.production_ids) == 1 else None
    try:
        # Selected from the whole studio's findings: the stored snapshot when current.
        found = studio_findings(session=session, production=production, start=filters.start, end=filters.end)
    except Exception as exc:  # shown on the page with its message
        session.rollback()
        return FindingsView(empty, empty, empty, error=f"{type(exc).__name__}: {exc}")
    if found.empty:
        return FindingsView(found, found, pd.DataFrame(columns=["rule_id", "severity", "findings"]))
    rule = found["rule_id"].astype(str)
    shown = found.drop(columns=[c for c in ("person_id",) if c in found.columns])
    counts = found.groupby(["rule_id", "severity"], as_index=False).size().rename(columns={"size": "findings"})
    rank = {"violation": 0, "advocacy_flag": 1, "warning": 2}
    shown = shown.assign(_rank=shown["severity"].map(rank).fillna(3)).sort_values("_rank", kind="stable")
    hours = shown[rule.reindex(shown.index).str.startswith(WORKLOAD_RULES)].drop(columns="_rank")
    pay = shown[rule.reindex(shown.index).str.startswith(PAY_RULES)].drop(columns="_rank")
    return FindingsView(
        hours.head(TABLE_ROWS).reset_index(drop=True),
        pay.head(TABLE_ROWS).reset_index(drop=True),
        counts.sort_values("findings", ascending=False, ignore_index=True),
        hours_total=int(len(hours)),
        pay_total=int(len(pay)),
    )


@dataclass(frozen=True)
class WorkloadView:
    """The Workload page.

    ``weekly``: ``person_id``, ``name``, ``week_start`` (datetime64), ``hours`` — the ``HEATMAP_PEOPLE`` people with
    most hours in scope. ``people_total``: how many people are in scope. ``by_department``: ``month``,
    ``department``, ``hours``, ``people``. ``overtime``: ``name``, ``employment_type``, ``month``, ``hours``,
    ``ot_hours``, ``holiday_hours``, ``ot_plus_holiday_hours`` — the ``TABLE_ROWS`` person-months with most
    overtime; ``overtime_rows`` counts them all.
    """

    weekly: pd.DataFrame
    people_total: int
    by_department: pd.DataFrame
    overtime: pd.DataFrame
    overtime_rows: int = 0


def workload_view(*, session: Session, identity: Identity, filters: DashboardFilters) -> WorkloadView:
    ensure_role(identity, "manager")
    scope = people_in_scope(session=session, filters=filters)
    weekly = weekly_hours(session=session, person_ids=scope, start=filters.start, end=filters.end)
    totals = weekly.groupby("person_id")["hours"].sum().sort_values(ascending=False)
    top = totals.head(HEATMAP_PEOPLE).index.tolist()
    names = person_directory(session=session, person_ids=scope)
    weekly = weekly[weekly["person_id"].isin(top)].merge(names[["person_id", "name"]], on="person_id", how="left")
    production = filters.production_ids[0] if len(filters.production_ids) == 1 else None
    dept = workload(session=session, by=("month", "department"), production=production, person_ids=scope,
                    start=filters.start, end=filters.end)  # fmt: skip
    if filters.department:
        dept = dept[dept["department"] == filters.department]
    overtime = jp_overtime_monthly(session, scope=Scope(people=scope, start=filters.start, end=filters.end))
    overtime = (
        overtime.merge(names[["person_id", "name", "employment_type"]], on="person_id", how="left")
        .sort_values("ot_plus_holiday_hours", ascending=False)
        .reset_index(drop=True)
    )
    cols = ["name", "employment_type", "month", "hours", "ot_hours", "holiday_hours", "ot_plus_holiday_hours"]
    return WorkloadView(
        weekly=weekly[["person_id", "name", "week_start", "hours"]],
        people_total=int(len(totals)),
        by_department=dept[["month", "department", "hours", "people"]].reset_index(drop=True),
        overtime=overtime[cols].head(TABLE_ROWS).round({c: 1 for c in cols[3:]}),
        overtime_rows=int(len(overtime)),
    )


@dataclass(frozen=True)
class PayView:
    """The Pay page.

    ``monthly``: person-months with ``name``, ``employment_type``, ``main_role``, ``department``, ``month``,
    ``currency``, ``hours``, ``pay_amount``, ``pay_per_hour``, ``base_pay_per_hour``, ``mw_max_per_hour``,
    ``below_mw`` — below the minimum wage first, then lowest pay per hour; at most ``TABLE_ROWS`` rows (the page says
    so; ``summary['person_months']`` has the total).
    ``bins``: the JPY distribution for the histogram — ``employment_type``, ``pay_per_hour_bin`` (left edge, JPY/h,
    ``BIN_JPY`` wide), ``person_months``. ``by_role``: ``main_role``, ``employment_type``, ``person_months``,
    ``p10``/``q1``/``median``/``q3``/``p90`` of pay per hour (JPY/h). ``summary``: ``person_months``,
    ``below_mw``, ``median_pay_per_hour``, ``typical_mw_per_hour`` (median of the wage in force; NaN if unknown).
    ``piece_rates``: ``role``, ``basis``, ``items``, ``units``, ``amount``, ``rate_per_unit`` (amount ÷ units),
    ``units_per_hour`` (units produced ÷ hours logged in the role), ``implied_pay_per_hour`` (rate × units per hour),
    JPY only.
    """

    monthly: pd.DataFrame
    piece_rates: pd.DataFrame
    bins: pd.DataFrame
    by_role: pd.DataFrame
    summary: dict[str, float]


def _pay_distribution(jpy: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    # The page draws these few hundred rows instead of every person-month: constant-size charts at any scale.
    rate = jpy["pay_per_hour"].astype(float)
    binned = jpy.assign(pay_per_hour_bin=(rate // BIN_JPY) * BIN_JPY)
    bins = binned.groupby(["employment_type", "pay_per_hour_bin"], as_index=False).size()
    bins = bins.rename(columns={"size": "person_months"})
    grouped = jpy.groupby(["main_role", "employment_type"])["pay_per_hour"]
    by_role = grouped.describe(percentiles=[0.1, 0.25, 0.5, 0.75, 0.9]).reset_index()
    by_role = by_role.rename(columns={"count": "person_months", "10%": "p10", "25%": "q1", "50%": "median",
                                      "75%": "q3", "90%": "p90"})  # fmt: skip
    cols = ["main_role", "employment_type", "person_months", "p10", "q1", "median", "q3", "p90"]
    return bins, by_role[cols].round(1)


def piece_rates(*, session: Session, filters: DashboardFilters) -> pd.DataFrame:
    """Piece-rate pay by role and basis with what it means per hour. Columns as in :class:`PayView`."""
    p, w = RollupPayMonth, RollupWorkMonth

    def scoped(stmt, t):
        if filters.production_ids:
            stmt = stmt.where(t.production_id.in_(filters.production_ids))
        if filters.department:
            stmt = stmt.where(Role.department == filters.department)
        if filters.start:
            stmt = stmt.where(t.month_start >= _month_floor(filters.start))
        if filters.end:
            stmt = stmt.where(t.month_start <= filters.end)
        return stmt

    pay = pd.DataFrame(
        session.execute(
            scoped(
                select(Role.en, p.basis, func.sum(p.items), func.sum(p.units), func.sum(p.amount))
                .join(Role, Role.id == p.role_id)
                .where(p.basis.in_(PIECE_BASES), p.currency == "JPY", p.units > 0),
                p,
            ).group_by(Role.en, p.basis)
        ).all(),
        columns=["role", "basis", "items", "units", "amount"],
    )
    work = pd.DataFrame(
        session.execute(
            scoped(
                select(Role.en, func.sum(w.units), func.sum(w.minutes) / 60.0)
                .join(Role, Role.id == w.role_id)
                .where(w.units > 0),
                w,
            ).group_by(Role.en)
        ).all(),
        columns=["role", "work_units", "hours"],
    )
    out = pay.merge(work, on="role", how="left")
    for column in ("units", "amount", "work_units", "hours"):
        out[column] = out[column].astype(float)
    out["rate_per_unit"] = (out["amount"] / out["units"]).round(0)
    out["units_per_hour"] = (out["work_units"] / out["hours"].where(out["hours"] > 0)).round(3)
    out["implied_pay_per_hour"] = (out["rate_per_unit"] * out["units_per_hour"]).round(0)
    cols = ["role", "basis", "items", "units", "amount", "rate_per_unit", "units_per_hour", "implied_pay_per_hour"]
    return out[cols].sort_values(["role", "basis"], ignore_index=True)


def pay_view(*, session: Session, identity: Identity, filters: DashboardFilters) -> PayView:
    ensure_role(identity, "manager")
    scope = people_in_scope(session=session, filters=filters)
    pay = effective_pay(session=session, person_ids=scope, start=filters.start, end=filters.end)
    names = person_directory(session=session, person_ids=scope)
    monthly = pay.merge(names, on="person_id", how="left")
    cols = ["name", "employment_type", "main_role", "department", "month", "currency", "hours", "pay_amount",
            "pay_per_hour", "base_pay_per_hour", "mw_max_per_hour", "below_mw"]  # fmt: skip
    monthly = monthly[cols].copy()
    for column in ("hours", "pay_per_hour", "base_pay_per_hour"):
        monthly[column] = monthly[column].astype(float).round(1)
    jpy = monthly[monthly["currency"] == "JPY"]
    bins, by_role = _pay_distribution(jpy)
    summary = {
        "person_months": int(len(jpy)),
        "below_mw": int(jpy["below_mw"].astype(bool).sum()),
        "median_pay_per_hour": float(jpy["pay_per_hour"].median()) if len(jpy) else float("nan"),
        "typical_mw_per_hour": float(jpy["mw_max_per_hour"].astype(float).median()) if len(jpy) else float("nan"),
    }
    table = monthly.assign(_below=~monthly["below_mw"].astype(bool)).sort_values(["_below", "pay_per_hour"])
    return PayView(
        monthly=table.drop(columns="_below").head(TABLE_ROWS).reset_index(drop=True),
        piece_rates=piece_rates(session=session, filters=filters),
        bins=bins,
        by_role=by_role,
        summary=summary,
    )


@dataclass(frozen=True)
class CreditsView:
    """The Credits page for one production.

    ``findings``: ``severity`` (ERROR/WARN/INFO), ``rule``, ``line``, ``role``, ``name``, ``message``,
    ``credit_line_id`` (None for findings about labor records), ``person_id``. ``counts``: ``rule``, ``severity``,
    ``findings``. ``people``: ``person_id``, ``name`` — who a placeholder line can be linked to. ``credits_checked``:
    how many credit lines were validated.
    """

    production_id: int
    findings: pd.DataFrame
    counts: pd.DataFrame
    people: pd.DataFrame
    credits_checked: int


def credits_view(*, session: Session, identity: Identity, production_id: int) -> CreditsView:
    """Validate a production's stored credits and cross-check them against labor records (managers only)."""
    ensure_role(identity, "manager")
    from analytics.credits.crosscheck import check_production

    report = check_production(int(production_id), session=session)
    rows = [
        {
            "severity": str(getattr(f.severity, "value", f.severity)),
            "rule": f.rule,
            "line": f.line,
            "role": f.role,
            "name": f.name,
            "message": f.message,
            "credit_line_id": f.credit_line_id,
            "person_id": f.person_id,
        }
        for f in report.findings
    ]
    findings = pd.DataFrame(rows, columns=["severity", "rule", "line", "role", "name", "message", "credit_line_id",
                                           "person_id"])  # fmt: skip
    counts = (
        findings.groupby(["rule", "severity"], as_index=False).size().rename(columns={"size": "findings"})
        if not findings.empty
        else pd.DataFrame(columns=["rule", "severity", "findings"])
    )
    people = person_directory(session=session)[["person_id", "name"]].sort_values("name", ignore_index=True)
    return CreditsView(int(production_id), findings, counts, people, int(report.credits_checked))


def import_history(*, session: Session, identity: Identity, limit: int = 50) -> pd.DataFrame:
    """Latest imports first. Columns: ``batch_id``, ``filename``, ``format``, ``status``, ``actor``, ``started_at``,
    ``rows_total``, ``rows_imported``, ``rows_updated``, ``rows_unchanged``, ``rows_rejected``."""
    ensure_role(identity, "manager")
    from data.schema import ImportBatch as B

    rows = session.execute(
        select(B.id, B.filename, B.format, B.status, B.actor, B.started_at, B.rows_total, B.rows_imported,
               B.rows_updated, B.rows_unchanged, B.rows_rejected)
        .order_by(B.started_at.desc(), B.id.desc())
        .limit(limit)
    ).all()  # fmt: skip
    return pd.DataFrame(rows, columns=["batch_id", "filename", "format", "status", "actor", "started_at", "rows_total",
                                       "rows_imported", "rows_updated", "rows_unchanged", "rows_rejected"])  # fmt: skip


@dataclass(frozen=True)
class AiUseView:
    """The AI use page.

    ``by_month`` / ``by_department`` / ``by_production``: :func:`analytics.ai_share.ai_share` columns.
    ``cuts``: :func:`analytics.ai_share.cut_share` columns. ``adoption``: :func:`analytics.ai_share.adoption_effect`.
    ``ledger``: ``created_at``, ``production``, ``episode``, ``cut``, ``stage``, ``tool`` (service name and version),
    ``operator`` (native name with romaji), ``post_editors`` (count), ``digital_source_type``, ``asset_path`` —
    latest first, at most ``LEDGER_ROWS``. ``ledger_total``: all ledger rows in scope. ``unattributed``:
    :func:`analytics.ai_share.unattributed_ai_use`.
    """

    by_month: pd.DataFrame
    by_department: pd.DataFrame
    by_production: pd.DataFrame
    cuts: pd.DataFrame
    adoption: pd.DataFrame
    ledger: pd.DataFrame
    ledger_total: int
    unattributed: pd.DataFrame


LEDGER_ROWS = 2000


def ai_ledger(*, session: Session, filters: DashboardFilters, limit: int = LEDGER_ROWS) -> tuple[pd.DataFrame, int]:
    """The AI-usage ledger with tool and operator names, latest first; and the number of rows in scope."""
    import datetime as dt

    from data.schema import AiUsage, Cut, Episode, Production, Service, ai_usage_post_editor

    editors = (
        select(func.count())
        .where(ai_usage_post_editor.c.ai_usage_id == AiUsage.id)
        .correlate(AiUsage)
        .scalar_subquery()
    )
    conditions = []
    if filters.production_ids:
        conditions.append(AiUsage.production_id.in_(filters.production_ids))
    if filters.start:
        conditions.append(AiUsage.created_at >= dt.datetime.combine(filters.start, dt.time()))
    if filters.end:
        conditions.append(AiUsage.created_at < dt.datetime.combine(filters.end, dt.time()) + dt.timedelta(days=1))
    stmt = (
        select(AiUsage.created_at, Production.title, Episode.label, Cut.cut_number, AiUsage.stage, Service.name,
               Service.version, Person.family_name, Person.given_name, Person.display_name, Person.given_romaji,
               Person.family_romaji, editors, AiUsage.digital_source_type, AiUsage.asset_path)
        .join(Service, Service.id == AiUsage.service_id)
        .join(Person, Person.id == AiUsage.operator_id)
        .outerjoin(Production, Production.id == AiUsage.production_id)
        .outerjoin(Episode, Episode.id == AiUsage.episode_id)
        .outerjoin(Cut, Cut.id == AiUsage.cut_id)
        .where(*conditions)
        .order_by(AiUsage.created_at.desc(), AiUsage.id.desc())
        .limit(limit)
    )  # fmt: skip
    rows = []
    for r in session.execute(stmt):
        native = f"{r[7] or ''}{r[8] or ''}" or r[9]
        romaji = " ".join(p for p in (r[10], r[11]) if p)
        operator = f"{native} ({romaji})" if romaji and romaji != native else native
        tool = f"{r[5]} {r[6]}".strip()
        rows.append((r[0], r[1], r[2], r[3], r[4], tool, operator, int(r[12] or 0), r[13], r[14]))
    total = session.scalar(select(func.count(AiUsage.id)).where(*conditions)) or 0
    ledger = pd.DataFrame(rows, columns=["created_at", "production", "episode", "cut", "stage", "tool", "operator",
                                         "post_editors", "digital_source_type", "asset_path"])  # fmt: skip
    return ledger, int(total)


def ai_use_view(*, session: Session, identity: Identity, filters: DashboardFilters) -> AiUseView:
    ensure_role(identity, "manager")
    from analytics.ai_share import adoption_effect, ai_share, cut_share, unattributed_ai_use

    production = filters.production_ids[0] if len(filters.production_ids) == 1 else None
    common = {"production": production, "start": filters.start, "end": filters.end}
    by_department = ai_share(session=session, by=("department",), **common)
    if filters.department:
        by_department = by_department[by_department["department"] == filters.department]
    ledger, total = ai_ledger(session=session, filters=filters)
    return AiUseView(
        by_month=ai_share(session=session, by=("month",), **common),
        by_department=by_department.reset_index(drop=True),
        by_production=ai_share(session=session, by=("production",), start=filters.start, end=filters.end),
        cuts=cut_share(session=session, production=production),
        adoption=adoption_effect(session=session, department=filters.department),
        ledger=ledger,
        ledger_total=total,
        unattributed=unattributed_ai_use(session=session),
    )
