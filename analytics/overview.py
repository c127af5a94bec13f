"""What the database holds, and what needs a manager's attention: the dashboard's first page (issues 2 and 7).

The rows come from :mod:`analytics.queries.overview`; the figures and the attention list are made here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.orm import Session

from analytics.access import ensure_role
from analytics.queries import overview as q
from analytics.scope import Scope

PRODUCTION_COLUMNS = ["production_id", "title", "title_romaji", "kind", "ai_policy", "episodes", "people", "hours",
                      "first_month", "last_month"]  # fmt: skip
ATTENTION_COLUMNS = ["severity", "topic", "count", "what_to_do", "page"]


@dataclass(frozen=True)
class Overview:
    """The overview page's content.

    ``counts``: columns ``item`` (str), ``count`` (int) — rows of each kind in the whole database.
    ``productions``: ``production_id``, ``title``, ``title_romaji``, ``kind``, ``ai_policy``, ``episodes``,
    ``people`` (distinct people who logged work), ``hours``, ``first_month``, ``last_month`` (first days of the
    first and last months with work) — within the scope. The period selects whole calendar months.
    ``headline``: ``hours``, ``people``, ``pay_jpy`` (JPY pay items in the period), ``pay_jpy_per_hour``,
    ``ai_assisted_hours_share`` (0–1) — within the scope.
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


def studio_overview(session: Session, *, scope: Scope) -> Overview:
    """Everything the overview page shows for ``scope``, in one call (managers only)."""
    ensure_role(scope.viewer, "manager")
    first, last = q.work_span(session)
    counts = q.database_counts(session)
    empty = int(counts.loc[counts["item"].isin(["people", "productions"]), "count"].sum()) == 0
    return Overview(
        counts=counts,
        productions=productions_table(q.productions(session, scope=scope)),
        headline=headline(q.headline(session, scope=scope)),
        attention=attention(q.attention_counts(session)),
        first_date=as_date(first),
        last_date=as_date(last),
        empty=empty,
    )


def productions_table(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (:func:`analytics.queries.overview.productions`) with hours rounded to 0.1 h and counts as ints."""
    rows = rows.reindex(columns=PRODUCTION_COLUMNS)
    rows["hours"] = rows["hours"].astype(float).round(1)
    rows["episodes"] = rows["episodes"].astype(int)
    rows["people"] = rows["people"].astype(int)
    return rows


def headline(sums: dict[str, float]) -> dict[str, float]:
    """The headline figures from :func:`analytics.queries.overview.headline`'s sums: ``hours``, ``people``,
    ``pay_jpy``, ``pay_jpy_per_hour`` (0 without hours), ``ai_assisted_hours_share`` (0–1)."""
    hours = sums["seconds"] / 3600.0
    pay_jpy = sums["pay_jpy"]
    return {
        "hours": round(hours, 1),
        "people": int(sums["people"]),
        "pay_jpy": round(pay_jpy),
        "pay_jpy_per_hour": round(pay_jpy / hours) if hours else 0.0,
        "ai_assisted_hours_share": round(sums["ai_seconds"] / sums["seconds"], 4) if sums["seconds"] else 0.0,
    }


def attention(counts: dict[str, int]) -> pd.DataFrame:
    """What a manager should look at next, from :func:`analytics.queries.overview.attention_counts`; only what has a
    count. Columns: ``severity``, ``topic``, ``count``, ``what_to_do``, ``page``."""
    candidates = [
        ("high", "correction requests awaiting an answer", counts["open_requests"], "Answer them on the Admin page.",
         "admin"),
        ("high", "credit lines not linked to a person (placeholders such as 未定 or AI (+Human), or imported names not matched yet)", counts["unlinked_lines"],
         "Link each to the person who did the work on the Credits page.", "credits"),
        ("medium", "credit lines where a studio stands in a person-only role", counts["uncredited_org_lines"],
         "Ask the studio for the individuals' names and add them on the Credits page.", "credits"),
        ("medium", "imported names waiting for a person match", counts["open_matches"],
         "Match or create the person on the Import page.", "import"),
        ("medium", "rows rejected by imports", counts["rejected_rows"],
         "Download the rejected rows on the Import page, fix, re-import.", "import"),
        ("low", "failed imports", counts["failed_imports"], "Open the Import page to see the error and retry.", "import"),
    ]  # fmt: skip
    return pd.DataFrame([c for c in candidates if c[2]], columns=ATTENTION_COLUMNS)


def as_date(value: object) -> dt.date | None:
    """A date column's value as a date (SQLite hands back aggregate dates as text)."""
    if value is None or isinstance(value, dt.date):
        return value  # type: ignore[return-value]
    return dt.date.fromisoformat(str(value)[:10])
