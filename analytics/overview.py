"""What the database holds, and what needs a manager's attention: the dashboard's first page (issues 2, 7, 18).

The rows come from :mod:`analytics.queries.overview`; the figures and the attention lists are made here: the people
over a legal line or an overwork indicator in one month (:func:`people_needing_attention`, from the findings) and
the records waiting for someone (:func:`attention`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.orm import Session

from analytics.access import ensure_role
from analytics.findings.snapshot import studio_findings
from analytics.queries import overview as q
from analytics.scope import Scope
from data.i18n import N_
from data.periods import py_month_end, py_month_start

PRODUCTION_COLUMNS = ["production_id", "title", "title_romaji", "kind", "ai_policy", "episodes", "people", "hours",
                      "first_month", "last_month"]  # fmt: skip
ATTENTION_COLUMNS = ["severity", "topic", "count", "what_to_do", "page"]
# What puts a person on the Overview's list, by the findings that say so (each topic keeps a person's worst finding).
PEOPLE_TOPICS = {
    "JP-OW-03": "overtime",  # the single-month line (100 h), everyone
    "JP-OW-01": "overtime",  # over the caution line (45 h), everyone
    "JP-OW-02": "average",  # the 2–6-month average line (80 h)
    "JP-MW-01": "minimum_wage",
    "JP-MW-02": "minimum_wage",
    "CA-MW-01": "minimum_wage",
    "JP-OW-05": "no_day_off",  # consecutive working days
    "JP-FL-01": "freelance_terms",  # written terms missing or late
}
TOPIC_ORDER = ("overtime", "average", "minimum_wage", "no_day_off", "freelance_terms")
PEOPLE_COLUMNS = ["person_id", "person", "topic", "rule_id", "severity", "measured_value", "threshold", "unit",
                  "period_start", "period_end", "findings"]  # fmt: skip


@dataclass(frozen=True)
class Overview:
    """The overview page's content.

    ``counts``: columns ``item`` (str), ``count`` (int) — rows of each kind in the whole database.
    ``productions``: ``production_id``, ``title``, ``title_romaji``, ``kind``, ``ai_policy``, ``episodes``,
    ``people`` (distinct people who logged work), ``hours``, ``first_month``, ``last_month`` (first days of the
    first and last months with work) — within the scope. The period selects whole calendar months.
    ``headline``: ``hours``, ``people``, ``pay_jpy`` (JPY pay items in the period), ``pay_jpy_per_hour``,
    ``ai_assisted_hours_share`` (0–1) — within the scope.
    ``attention``: ``severity`` (high/medium/low), ``topic``, ``count`` (int), ``what_to_do``, ``page`` (``topic`` and
    ``what_to_do`` are marked messages: a page translates them).
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
        ("high", N_("correction requests awaiting an answer"), counts["open_requests"],
         N_("Answer them on the Admin page."), "admin"),
        ("high", N_("credit lines not linked to a person (placeholders such as 未定 or AI (+Human), or imported names "
                    "not matched yet)"), counts["unlinked_lines"],
         N_("Link each to the person who did the work on the Credits page."), "credits"),
        ("medium", N_("credit lines where a studio stands in a person-only role"), counts["uncredited_org_lines"],
         N_("Ask the studio for the individuals' names and add them on the Credits page."), "credits"),
        ("medium", N_("imported names waiting for a person match"), counts["open_matches"],
         N_("Match or create the person on the Import page."), "import"),
        ("medium", N_("rows rejected by imports"), counts["rejected_rows"],
         N_("Download the rejected rows on the Import page, fix, re-import."), "import"),
        ("low", N_("failed imports"), counts["failed_imports"], N_("Open the Import page to see the error and retry."),
         "import"),
    ]  # fmt: skip
    return pd.DataFrame([c for c in candidates if c[2]], columns=ATTENTION_COLUMNS)


def as_date(value: object) -> dt.date | None:
    """A date column's value as a date (SQLite hands back aggregate dates as text)."""
    if value is None or isinstance(value, dt.date):
        return value  # type: ignore[return-value]
    return dt.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class PeopleAttention:
    """Who crossed a line in one month. ``month``: its first day; ``latest``: True when it is the month of
    ``today`` or the period's end, False when those have no work logged yet and the latest month with work was taken
    instead. ``people``: ``PEOPLE_COLUMNS`` — per person and topic (``overtime``: overtime and holiday work over the
    45 h or at the 100 h line; ``average``: a 2–6-month average at the 80 h line; ``minimum_wage``: paid below it;
    ``no_day_off``: consecutive working days; ``freelance_terms``: commissions without written terms in time) the
    most serious finding (rule, severity, measured value, the line as ``threshold``, its unit and period),
    ``findings`` counting that person's findings of the topic; ordered by topic, then the largest excess first."""

    month: dt.date | None
    latest: bool
    people: pd.DataFrame


def attention_month(scope: Scope, *, today: dt.date, last_work: dt.date | None) -> tuple[dt.date | None, bool]:
    """The month "needs attention" looks at: the month of the period's end (else ``today``), or the latest month with
    work when that one has none yet; and whether it is the month asked for."""
    wanted = py_month_start(scope.end or today)
    if last_work is None:
        return None, False
    if scope.start is not None and last_work < scope.start:
        return wanted, True  # nothing in the period: say so for the month asked for
    latest = py_month_start(last_work)
    return (wanted, True) if wanted <= latest else (latest, False)


def people_needing_attention(session: Session, *, scope: Scope, today: dt.date) -> PeopleAttention:
    """The people of the scope (its productions and departments) over a legal line or an overwork indicator in the
    month :func:`attention_month` picks (managers only)."""
    ensure_role(scope.viewer, "manager")
    _, last = q.work_span(session)
    month, latest = attention_month(scope, today=today, last_work=as_date(last))
    if month is None:
        return PeopleAttention(None, False, pd.DataFrame(columns=PEOPLE_COLUMNS))
    found = studio_findings(session, scope=scope.replace(start=month, end=py_month_end(month)), rules=PEOPLE_TOPICS,
                            columns=PEOPLE_COLUMNS)  # fmt: skip
    return PeopleAttention(month, latest, attention_people(found))


def attention_people(found: pd.DataFrame) -> pd.DataFrame:
    """``found`` (the columns of :func:`analytics.findings.findings`) reduced to ``PEOPLE_COLUMNS``: per person and
    topic the finding furthest over its line, and how many findings of the topic the person has."""
    rows = found[found["rule_id"].isin(list(PEOPLE_TOPICS))] if not found.empty else found
    if rows.empty:
        return pd.DataFrame(columns=PEOPLE_COLUMNS)
    rows = rows.assign(topic=rows["rule_id"].map(PEOPLE_TOPICS))
    # The worst first: the 100 h line before the 45 h one, then the largest excess (the lowest pay for wages).
    excess = (rows["measured_value"] - rows["threshold"]).where(rows["topic"] != "minimum_wage",
                                                                rows["threshold"] - rows["measured_value"])  # fmt: skip
    rows = rows.assign(_line=rows["threshold"], _excess=excess.fillna(0))
    rows = rows.sort_values(["person_id", "topic", "_line", "_excess"], ascending=[True, True, False, False])
    counts = rows.groupby(["person_id", "topic"]).size().rename("findings").reset_index()
    worst = rows.drop_duplicates(["person_id", "topic"]).merge(counts, on=["person_id", "topic"])
    worst["_topic"] = worst["topic"].map({t: i for i, t in enumerate(TOPIC_ORDER)})
    worst = worst.sort_values(["_topic", "_line", "_excess"], ascending=[True, False, False], ignore_index=True)
    return worst[PEOPLE_COLUMNS]
