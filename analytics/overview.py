"""What the database holds, and what needs a manager's attention: the dashboard's first page (issues 2 and 7).

Aggregation runs in SQL (portable across SQLite and PostgreSQL); pandas only receives the few result rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Select, and_, distinct, func, literal, select
from sqlalchemy.orm import Session

from data.schema import (
    Account,
    AiUsage,
    CorrectionRequest,
    CreditLine,
    Cut,
    Episode,
    ImportBatch,
    Organization,
    PayItem,
    Person,
    PersonAlias,
    PersonMatchReview,
    Production,
    Role,
    RollupPayMonth,
    RollupPersonDay,
    RollupWorkMonth,
    WorkLog,
)


@dataclass(frozen=True)
class OverviewFilters:
    """Which slice of the studio to summarize. Empty ``production_ids`` means every production."""

    production_ids: tuple[int, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    department: str | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"the date range ends ({self.end}) before it starts ({self.start}); swap the dates")


@dataclass(frozen=True)
class Overview:
    """The overview page's content.

    ``counts``: columns ``item`` (str), ``count`` (int) — rows of each kind in the whole database.
    ``productions``: ``production_id``, ``title``, ``title_romaji``, ``kind``, ``ai_policy``, ``episodes``,
    ``people`` (distinct people who logged work), ``hours``, ``first_month``, ``last_month`` (first days of the
    first and last months with work) — within the filters. Date filters select whole calendar months.
    ``headline``: ``hours``, ``people``, ``pay_jpy`` (JPY pay items in the period), ``pay_jpy_per_hour``,
    ``ai_assisted_hours_share`` (0–1) — within the filters.
    ``attention``: ``severity`` (high/medium/low), ``topic``, ``count`` (int), ``what_to_do``, ``page``.
    ``first_date`` / ``last_date``: the span of all work logs (None on an empty database).
    """

    counts: pd.DataFrame
    productions: pd.DataFrame
    headline: dict[str, float]
    attention: pd.DataFrame
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    empty: bool = field(default=False)


def _month_floor(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _work_filter(stmt: Select, filters: OverviewFilters) -> Select:
    # Rollups are per month: a date range selects the whole months it touches, as the workload analytics do.
    w = RollupWorkMonth
    conditions = []
    if filters.production_ids:
        conditions.append(w.production_id.in_(filters.production_ids))
    if filters.start:
        conditions.append(w.month_start >= _month_floor(filters.start))
    if filters.end:
        conditions.append(w.month_start <= filters.end)
    if filters.department:
        stmt = stmt.join(Role, Role.id == w.role_id)
        conditions.append(Role.department == filters.department)
    return stmt.where(and_(*conditions)) if conditions else stmt


def _pay_filter(stmt: Select, filters: OverviewFilters) -> Select:
    p = RollupPayMonth
    conditions = [p.currency == "JPY"]
    if filters.production_ids:
        conditions.append(p.production_id.in_(filters.production_ids))
    if filters.start:
        conditions.append(p.month_start >= _month_floor(filters.start))
    if filters.end:
        conditions.append(p.month_start <= filters.end)
    if filters.department:
        stmt = stmt.join(Role, Role.id == p.role_id)
        conditions.append(Role.department == filters.department)
    return stmt.where(and_(*conditions))


def database_counts(*, session: Session) -> pd.DataFrame:
    """Rows of each kind in the database. Columns: ``item`` (str), ``count`` (int)."""
    items = [
        ("productions", Production.id),
        ("episodes", Episode.id),
        ("cuts", Cut.id),
        ("people", Person.id),
        ("organizations", Organization.id),
        ("work-log rows", WorkLog.id),
        ("pay items", PayItem.id),
        ("AI-usage records", AiUsage.id),
        ("credit lines", CreditLine.id),
        ("accounts", Account.id),
    ]
    # One round trip: a scalar subquery per table.
    stmt = select(*[select(func.count(col)).scalar_subquery().label(name) for name, col in items])
    row = session.execute(stmt).one()
    return pd.DataFrame({"item": [name for name, _ in items], "count": [int(v or 0) for v in row]})


def productions_summary(*, session: Session, filters: OverviewFilters | None = None) -> pd.DataFrame:
    """Per production: work logged within the filters. Columns as in :class:`Overview` ``productions``."""
    filters = filters or OverviewFilters()
    w = RollupWorkMonth
    work = _work_filter(
        select(
            w.production_id.label("production_id"),
            func.count(distinct(w.person_id)).label("people"),
            (func.sum(w.minutes) / 60.0).label("hours"),
            func.min(w.month_start).label("first_month"),
            func.max(w.month_start).label("last_month"),
        ),
        filters,
    ).group_by(w.production_id)
    work_sq = work.subquery()
    episodes = (
        select(Episode.production_id, func.count(Episode.id).label("episodes"))
        .group_by(Episode.production_id)
        .subquery()
    )
    stmt = (
        select(
            Production.id.label("production_id"),
            Production.title,
            Production.title_romaji,
            Production.kind,
            Production.ai_policy,
            func.coalesce(episodes.c.episodes, 0).label("episodes"),
            func.coalesce(work_sq.c.people, 0).label("people"),
            func.coalesce(work_sq.c.hours, 0.0).label("hours"),
            work_sq.c.first_month,
            work_sq.c.last_month,
        )
        .outerjoin(episodes, episodes.c.production_id == Production.id)
        .outerjoin(work_sq, work_sq.c.production_id == Production.id)
        .order_by(Production.start_date.is_(None), Production.start_date, Production.id)
    )
    if filters.production_ids:
        stmt = stmt.where(Production.id.in_(filters.production_ids))
    frame = pd.DataFrame(session.execute(stmt).mappings().all(), columns=_PRODUCTION_COLUMNS)
    frame["hours"] = frame["hours"].astype(float).round(1)
    frame["episodes"] = frame["episodes"].astype(int)
    frame["people"] = frame["people"].astype(int)
    return frame


_PRODUCTION_COLUMNS = [
    "production_id",
    "title",
    "title_romaji",
    "kind",
    "ai_policy",
    "episodes",
    "people",
    "hours",
    "first_month",
    "last_month",
]


def headline_figures(*, session: Session, filters: OverviewFilters | None = None) -> dict[str, float]:
    """Hours, people, JPY pay, pay per hour and AI-assisted share of hours within the filters."""
    filters = filters or OverviewFilters()
    w = RollupWorkMonth
    work = session.execute(
        _work_filter(
            select(
                func.coalesce(func.sum(w.minutes), 0).label("minutes"),
                func.count(distinct(w.person_id)).label("people"),
                func.coalesce(func.sum(w.ai_minutes), 0).label("ai_minutes"),
            ),
            filters,
        )
    ).one()
    pay = session.execute(_pay_filter(select(func.coalesce(func.sum(RollupPayMonth.amount), 0)), filters)).scalar_one()
    hours = float(work.minutes) / 60.0
    pay_jpy = float(pay)
    return {
        "hours": round(hours, 1),
        "people": int(work.people),
        "pay_jpy": round(pay_jpy),
        "pay_jpy_per_hour": round(pay_jpy / hours) if hours else 0.0,
        "ai_assisted_hours_share": round(float(work.ai_minutes) / float(work.minutes), 4) if work.minutes else 0.0,
    }


def attention_items(*, session: Session) -> pd.DataFrame:
    """What a manager should look at next. Columns: ``severity``, ``topic``, ``count``, ``what_to_do``, ``page``."""
    placeholder_lines = (
        select(func.count(CreditLine.id))
        .join(PersonAlias, PersonAlias.id == CreditLine.person_alias_id)
        .where(PersonAlias.person_id.is_(None))
        .scalar_subquery()
    )
    uncredited_orgs = (
        select(func.count(CreditLine.id)).where(CreditLine.individuals_uncredited.is_(True)).scalar_subquery()
    )
    row = session.execute(
        select(
            select(func.count(CorrectionRequest.id)).where(CorrectionRequest.status == "open").scalar_subquery(),
            select(func.count(PersonMatchReview.id)).where(PersonMatchReview.status == "open").scalar_subquery(),
            select(func.count(ImportBatch.id)).where(ImportBatch.status == "failed").scalar_subquery(),
            select(func.coalesce(func.sum(ImportBatch.rows_rejected), 0))
            .where(ImportBatch.status == "committed")
            .scalar_subquery(),
            placeholder_lines,
            uncredited_orgs,
        )
    ).one()
    candidates = [
        ("high", "correction requests awaiting an answer", row[0], "Answer them on the Admin page.", "admin"),
        ("high", "credit lines not linked to a person (placeholders such as 未定 or AI (+Human), or imported names not matched yet)", row[4],
         "Link each to the person who did the work on the Credits page.", "credits"),
        ("medium", "credit lines where a studio stands in a person-only role", row[5],
         "Ask the studio for the individuals' names and add them on the Credits page.", "credits"),
        ("medium", "imported names waiting for a person match", row[1],
         "Match or create the person on the Import page.", "import"),
        ("medium", "rows rejected by imports", row[3], "Download the rejected rows on the Import page, fix, re-import.",
         "import"),
        ("low", "failed imports", row[2], "Open the Import page to see the error and retry.", "import"),
    ]  # fmt: skip
    frame = pd.DataFrame(
        [(s, t, int(c or 0), w, p) for s, t, c, w, p in candidates if c],
        columns=["severity", "topic", "count", "what_to_do", "page"],
    )
    return frame


def studio_overview(*, session: Session, filters: OverviewFilters | None = None) -> Overview:
    """Everything the overview page shows, in one call."""
    filters = filters or OverviewFilters()
    span = session.execute(select(func.min(RollupPersonDay.work_date), func.max(RollupPersonDay.work_date))).one()
    counts = database_counts(session=session)
    empty = int(counts.loc[counts["item"].isin(["people", "productions"]), "count"].sum()) == 0
    return Overview(
        counts=counts,
        productions=productions_summary(session=session, filters=filters),
        headline=headline_figures(session=session, filters=filters),
        attention=attention_items(session=session),
        first_date=_as_date(span[0]),
        last_date=_as_date(span[1]),
        empty=empty,
    )


def _as_date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value  # type: ignore[return-value]
    return dt.date.fromisoformat(str(value)[:10])


def filter_options(*, session: Session) -> pd.DataFrame:
    """Choices for the dashboard's filters. Columns: ``kind`` (production/department), ``value``, ``label``."""
    productions = session.execute(
        select(literal("production"), Production.id, Production.title, Production.title_romaji).order_by(Production.id)
    ).all()
    # From the taxonomy, not from work_log: a DISTINCT over millions of rows is not worth a filter list.
    departments = session.execute(select(Role.department).distinct().order_by(Role.department)).scalars()
    rows = [
        ("production", str(pid), f"{title} ({romaji})" if romaji and romaji != title else title)
        for _, pid, title, romaji in productions
    ]
    rows += [("department", d, d.replace("_", " ")) for d in departments]
    return pd.DataFrame(rows, columns=["kind", "value", "label"])
