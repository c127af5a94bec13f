"""The advocate's release: fixed calendar quarters and fixed groupings, so that no two views can be subtracted.

What an advocate reads cannot be narrowed by the sidebar (productions, departments, dates): each table covers one
whole calendar quarter that has ended, grouped by department, production, employment type or role, and the
over-time tables cover whole calendar months. The advocate chooses which quarter to read, never where a group or a
period begins, so there are no two overlapping views that differ by one person to subtract.

Within that, :mod:`analytics.disclosure` decides which cells are shown (k, complementary suppression, no near
duplicates), and only figures that cannot be added up are published: medians and percentiles, shares, and the
number of people. Means, totals and person-month counts — the figures that made the old views subtractable — are
not published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from analytics.ai_share import ai_share
from analytics.anonymized import findings_counts, hours_summary, monthly_summary, pay_summary
from analytics.disclosure import complementary, near_duplicates, people_per_cell
from analytics.errors import AnalyticsError
from analytics.findings.snapshot import studio_columns
from analytics.own_log import MATCH_TOLERANCE_SECONDS
from analytics.queries import advocate as q
from analytics.queries import own_log as own_q
from analytics.scope import Scope

HOURS_PUBLISHED = ["group", "people", "median_monthly_hours", "p90_monthly_hours", "share_over_205_hours"]
PAY_PUBLISHED = ["group", "currency", "people", "median_pay_per_hour", "p25_pay_per_hour", "p75_pay_per_hour"]
# Each share is published by one table only: a share is a count over a count, and two tables that split the same
# person-months differently would let the counts of a hidden cell be solved for.
PUBLISHED = {
    "hours_by_department": HOURS_PUBLISHED,
    "hours_by_production": HOURS_PUBLISHED,
    "hours_by_employment": HOURS_PUBLISHED[:-1],
    "pay_by_employment": [*PAY_PUBLISHED, "share_below_mw"],
    "pay_by_role": PAY_PUBLISHED,
    "findings": ["rule_id", "severity", "people", "findings", "median_measured_value", "threshold", "unit"],
    "monthly": ["month", "people", "median_monthly_hours", "share_over_205_hours"],
    "ai_by_month": ["month", "people", "ai_hours_share"],
    "own_log_gap": ["employment_type", "role", "people", "share_missing_hours"],
}
# What the findings table is computed from: counts per rule, never a finding's sentence or its person's name.
FINDINGS_READ = ["rule_id", "severity", "person_id", "period_end", "measured_value", "threshold", "unit"]
QUARTER_TABLES = ("hours_by_department", "hours_by_production", "hours_by_employment", "pay_by_employment",
                  "pay_by_role")  # fmt: skip
TIMELINE_TABLES = ("monthly", "ai_by_month")


@dataclass(frozen=True)
class Release:
    """One quarter's tables (``QUARTER_TABLES``; the findings come apart, from :func:`findings_release`) and the
    months of every released quarter (``TIMELINE_TABLES``), each with the columns of ``PUBLISHED``; ``hidden`` counts the cells withheld per table. ``quarter`` is the first
    day of the quarter shown (None when no quarter has ended yet), ``quarters`` every released quarter, latest
    first."""

    k: int
    quarter: dt.date | None
    quarters: tuple[dt.date, ...]
    tables: dict[str, pd.DataFrame]
    hidden: dict[str, int] = field(default_factory=dict)


def quarter_start(day: dt.date) -> dt.date:
    """The first day of the calendar quarter ``day`` falls in."""
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(start: dt.date) -> dt.date:
    """The last day of the calendar quarter beginning on ``start``."""
    following = dt.date(start.year + (start.month > 9), (start.month + 2) % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def released_quarters(session: Session, *, today: dt.date | None = None) -> tuple[dt.date, ...]:
    """The calendar quarters with work that ended before ``today`` (default: the date now), latest first. An open
    quarter is not released: its figures would change as its last weeks are imported."""
    first, last = q.months_with_work(session)
    if first is None or last is None:
        return ()
    today = today or dt.date.today()
    out = []
    start = quarter_start(first)
    while start <= last and quarter_end(start) < today:
        out.append(start)
        start = quarter_end(start) + dt.timedelta(days=1)
    return tuple(reversed(out))


def release(session: Session, *, k: int, quarter: dt.date | None = None, today: dt.date | None = None) -> Release:
    """The advocate's tables for ``quarter`` (the first day of a released quarter; default the latest) at ``k``."""
    quarters = released_quarters(session, today=today)
    if quarter is None and quarters:
        quarter = quarters[0]
    if quarter is not None and quarter not in quarters:
        raise AnalyticsError(
            "the quarter beginning {quarter} is not released: only quarters that have ended are, and this database "
            "has work in {known}",
            fix={"page": "choose a quarter from the list", "cli": "pass the first day of a quarter that has ended"},
            quarter=quarter,
            known=", ".join(str(x) for x in reversed(quarters)) or "no quarter that has ended",
        )
    if quarter is None:
        names = QUARTER_TABLES + TIMELINE_TABLES
        return Release(k=k, quarter=None, quarters=(), tables={name: _empty(name) for name in names},
                       hidden=dict.fromkeys(names, 0))  # fmt: skip
    tables: dict[str, pd.DataFrame] = {}
    hidden: dict[str, int] = {}
    months, months_shown = _timeline(session, quarters, k, tables, hidden)
    _hours(session, quarter, k, tables, hidden, months=months, months_shown=months_shown)
    _pay(session, quarter, k, tables, hidden)
    return Release(k=k, quarter=quarter, quarters=quarters, tables=tables, hidden=hidden)


def _empty(name: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in PUBLISHED[name]})


def _publish(name: str, summary: pd.DataFrame, key: pd.Series, hide: set, tables: dict, hidden: dict) -> None:
    """Keep the rows of ``summary`` whose ``key`` is not in ``hide``, in the published columns of table ``name``."""
    if summary.empty:
        tables[name], hidden[name] = _empty(name), 0
        return
    keep = ~key.isin(hide) if hide else pd.Series(True, index=summary.index)
    out = summary.loc[keep.to_numpy(), PUBLISHED[name]].reset_index(drop=True)
    out.attrs.update(suppressed_groups=int((~keep).sum()))
    tables[name], hidden[name] = out, int((~keep).sum())


def _timeline(session: Session, quarters: tuple[dt.date, ...], k: int, tables: dict, hidden: dict):
    """The over-time tables; returns the person-months (``person_id``, ``month``, ``group`` = employment type,
    ``seconds``) and the months shown, which the quarter's employment table must not nearly duplicate."""
    period = Scope(start=min(quarters), end=quarter_end(max(quarters)))
    units = q.person_group_seconds(session, scope=period, by="employment_type", with_month=True)
    units = units[units["seconds"] > 0].reset_index(drop=True)
    people = people_per_cell(units, "month")
    hide = complementary(people, k)
    summary = monthly_summary(units[["month", "seconds"]].copy())
    _publish("monthly", summary, summary["month"], hide, tables, hidden)
    ai = ai_share(session, scope=period, by=("month",))
    if ai.empty:
        _publish("ai_by_month", ai, ai.get("month", pd.Series(dtype=object)), set(), tables, hidden)
    else:
        ai["month"] = pd.to_datetime(ai["month"])
        ai_hide = hide | set(ai.loc[ai["people"] < k, "month"])
        _publish("ai_by_month", ai, ai["month"], ai_hide, tables, hidden)
    return units, set(people) - hide


def _hours(session: Session, quarter: dt.date, k: int, tables: dict, hidden: dict, *, months: pd.DataFrame,
           months_shown: set) -> None:  # fmt: skip
    scope = Scope(start=quarter, end=quarter_end(quarter))
    for name, by in (("hours_by_department", "department"), ("hours_by_production", "production")):
        rows = q.person_group_seconds(session, scope=scope, by=by, with_month=True)
        rows = rows[rows["seconds"] > 0].reset_index(drop=True)
        hide = complementary(people_per_cell(rows, "group"), k)
        summary = hours_summary(rows.copy())
        _publish(name, summary, summary["group"], hide, tables, hidden)
    start, end = pd.Timestamp(quarter), pd.Timestamp(quarter_end(quarter))
    rows = months[months["month"].between(start, end)].reset_index(drop=True)
    hide = complementary(people_per_cell(rows, "group"), k)
    shown = set(rows["group"]) - hide
    # The over-time table is shared by every quarter's release, so a near duplicate is hidden here, not there.
    hide_x, _ = near_duplicates(rows, x="group", y="month", shown_x=shown, shown_y=months_shown, k=k, hide="x")
    summary = hours_summary(rows.copy())
    _publish("hours_by_employment", summary, summary["group"], hide | hide_x, tables, hidden)


def _pay(session: Session, quarter: dt.date, k: int, tables: dict, hidden: dict) -> None:
    scope = Scope(start=quarter, end=quarter_end(quarter))
    frames, hides = {}, {}
    for name, by in (("pay_by_employment", "employment_type"), ("pay_by_role", "role")):
        data = q.main_group_pay(session, scope=scope, by=by, with_month=True)
        # Zipped from object arrays: iterating Arrow-backed text yields one scalar at a time (0.3 s at 5 M).
        data["cell"] = list(zip(data["group"].to_numpy(object), data["currency"].to_numpy(object), strict=True))
        frames[name] = data
        hides[name] = complementary(people_per_cell(data, "cell"), k)
    emp, role = frames["pay_by_employment"], frames["pay_by_role"]
    both = emp[["person_id", "month", "cell"]].merge(
        role[["person_id", "month", "cell"]], on=["person_id", "month"], suffixes=("_emp", "_role")
    )
    hide_emp, hide_role = near_duplicates(
        both, x="cell_emp", y="cell_role", k=k,
        shown_x=set(emp["cell"]) - hides["pay_by_employment"], shown_y=set(role["cell"]) - hides["pay_by_role"],
    )  # fmt: skip
    hides["pay_by_employment"] |= hide_emp
    hides["pay_by_role"] |= hide_role
    for name, data in frames.items():
        summary = pay_summary(data)
        key = pd.Series(list(zip(summary["group"].to_numpy(object), summary["currency"].to_numpy(object),
                                 strict=True)), index=summary.index)  # fmt: skip
        _publish(name, summary, key, hides[name], tables, hidden)


def findings_release(session: Session, *, quarter: dt.date | None, k: int) -> tuple[pd.DataFrame, int]:
    """How many people each compliance rule found in ``quarter`` (a released quarter's first day; None: an empty
    table) and how many rules were hidden. A finding counts in the quarter its period ends in, so each finding is in
    exactly one quarter. Columns: ``PUBLISHED["findings"]``."""
    tables: dict[str, pd.DataFrame] = {}
    hidden: dict[str, int] = {}
    if quarter is None:
        return _empty("findings"), 0
    found = studio_columns(session, columns=FINDINGS_READ)
    ends = pd.to_datetime(found["period_end"])
    found = found[ends.between(pd.Timestamp(quarter), pd.Timestamp(quarter_end(quarter)))].reset_index(drop=True)
    # As NumPy objects: iterating three Arrow string columns value by value cost more than reading them.
    found["cell"] = list(zip(*(found[c].to_numpy(object) for c in ("rule_id", "severity", "unit")), strict=True))
    hide = complementary(people_per_cell(found, "cell"), k)
    summary = findings_counts(found)
    key = pd.Series(list(zip(summary["rule_id"], summary["severity"], summary["unit"], strict=True)),
                    index=summary.index)  # fmt: skip
    _publish("findings", summary, key, hide, tables, hidden)
    return tables["findings"], hidden["findings"]


def own_log_units(days: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """The units of the advocates' reconciliation aggregate: one row per opted-in person-month with own-logged
    hours. ``days``: :func:`analytics.queries.own_log.advocate_days`; ``groups``:
    :func:`analytics.queries.own_log.advocate_groups`. Columns ``person_id``, ``month``, ``employment_type``,
    ``role``, ``own_seconds``, ``missing_seconds`` (the own-logged seconds of the days the studio's record shows
    less by more than the reconciliation's tolerance, or not at all: the own count minus the studio's on those
    days), ``cell`` (employment type, role)."""
    columns = ["person_id", "month", "employment_type", "role", "own_seconds", "missing_seconds", "cell"]
    if days.empty:
        return pd.DataFrame(columns=columns)
    own, studio = days["own_seconds"].to_numpy(np.int64), days["studio_seconds"].to_numpy(np.int64)
    short = (own > 0) & ((studio == 0) | (own - studio > MATCH_TOLERANCE_SECONDS))
    units = (
        days.assign(missing_seconds=np.where(short, own - studio, 0))
        .groupby(["person_id", "month"], as_index=False)[["own_seconds", "missing_seconds"]]
        .sum()
    )
    units = units[units["own_seconds"] > 0].merge(groups, on=["person_id", "month"], how="left")
    units["cell"] = list(zip(units["employment_type"], units["role"], strict=True))
    return units[columns].reset_index(drop=True)


def own_log_release(session: Session, *, quarter: dt.date | None, k: int) -> tuple[pd.DataFrame, int]:
    """The share of own-logged hours missing from the studio's records in ``quarter`` (a released quarter's first
    day; None: an empty table), over the months artists opted in (:class:`data.schema.OwnLogAdvocateMonth`), by
    employment type and role together, and how many groups were hidden. One table publishes the share (a sum over a
    sum), so no other table splits the same hours another way to subtract; cells under k people and their
    complements are hidden. Columns: ``PUBLISHED["own_log_gap"]`` (``share_missing_hours`` 0–1)."""
    tables: dict[str, pd.DataFrame] = {}
    hidden: dict[str, int] = {}
    if quarter is None:
        return _empty("own_log_gap"), 0
    days = own_q.advocate_days(session, start=quarter, end=quarter_end(quarter))
    pairs = sorted({(int(p), m) for p, m in zip(days["person_id"], days["month"], strict=True)})
    units = own_log_units(days, own_q.advocate_groups(session, units=pairs))
    if units.empty:
        return _empty("own_log_gap"), 0
    hide = complementary(people_per_cell(units, "cell"), k)
    summary = units.groupby(["employment_type", "role"], as_index=False, sort=True).agg(
        people=("person_id", "nunique"), missing=("missing_seconds", "sum"), own=("own_seconds", "sum")
    )
    summary["share_missing_hours"] = summary["missing"] / summary["own"]
    key = pd.Series(list(zip(summary["employment_type"], summary["role"], strict=True)), index=summary.index)
    _publish("own_log_gap", summary, key, hide, tables, hidden)
    return tables["own_log_gap"], hidden["own_log_gap"]
