"""Page-sized views for the manager dashboard: each page calls one function here with the sidebar's
:class:`~analytics.scope.Scope`, which passes it unchanged to the queries and composes what they return (workload,
overtime, pay, findings) with people's names.

Names appear only in these manager views; advocates use :mod:`analytics.advocate_view`, artists
:mod:`analytics.my_record`. The AI use page's view is :func:`analytics.ai_view.ai_use_view`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from analytics.access import ensure_role
from analytics.credits.checks import stored_report
from analytics.credits.crosscheck import check_production
from analytics.credits.model import ValidationReport
from analytics.errors import FindingsNotReady
from analytics.findings import Selection
from analytics.findings.snapshot import studio_file, studio_findings
from analytics.overtime import jp_overtime_most, most_overtime
from analytics.pay import effective_pay, piece_rates
from analytics.people import directory, name_order
from analytics.queries import pay as pay_queries
from analytics.queries.base import selected_people
from analytics.queries.overview import home_jurisdiction
from analytics.queries.overview import import_history as import_rows
from analytics.queries.workload import busiest_weeks
from analytics.scope import Scope
from analytics.workload import workload
from data.law.overwork import OverworkLines
from data.law.params import JpHours
from data.reference import rule_values
from data.schema import EMPLOYEE_TYPES

HEATMAP_PEOPLE = 60
TABLE_ROWS = 2000  # rows a page table carries; charts and counts still cover everything
BIN_JPY = 50
WORKLOAD_RULES = ("JP-HRS", "JP-DISC", "JP-LEAVE", "JP-OW", "CA-OW", "CA-OT", "CA-HRS", "CA-MEAL", "CA-REST")
PAY_RULES = ("JP-MW", "CA-MW", "JP-PAY", "CA-PAY", "CA-EX", "JP-FL", "CA-IC")
SEVERITY_RANK = {"violation": 0, "advocacy_flag": 1, "warning": 2}
# The rule-id prefix of each jurisdiction's findings: a studio's own come first in its tables.
RULE_PREFIX = {"JP": "JP-", "US-CA": "CA-"}


@dataclass(frozen=True)
class FindingsView:
    """Compliance findings in scope, split by topic; ``error`` set when the engine failed (the rest of the page
    still works).

    ``hours`` and ``pay``: the columns of :func:`analytics.findings.findings` (``person`` is the display name,
    ``person_id`` leads to the person), for rule ids starting with ``WORKLOAD_RULES`` and ``PAY_RULES``.
    ``counts``: ``rule_id``, ``severity``, ``findings`` (count). Each topic keeps its ``TABLE_ROWS`` first findings:
    the studio's own jurisdiction first (``home``: JP or US-CA, where most contracts are), then the most severe
    (violations first); ``hours_total`` / ``pay_total`` count them all (:func:`all_findings` gives them all).
    """

    hours: pd.DataFrame
    pay: pd.DataFrame
    counts: pd.DataFrame
    error: str | None = None
    hours_total: int = 0
    pay_total: int = 0
    home: str = "JP"
    pending: bool = False  # never computed yet: the background worker is computing them


def findings_view(session: Session, *, scope: Scope) -> FindingsView:
    """The findings of the people the scope selects (:class:`analytics.findings.Selection`), from the stored
    snapshot of the whole studio's (managers only); ``pending`` when a page may not compute them and none were ever
    stored."""
    ensure_role(scope.viewer, "manager")
    empty = pd.DataFrame()
    home = home_jurisdiction(session)
    try:
        return _stored_view(session, scope=scope, home=home)
    except FindingsNotReady:
        return FindingsView(empty, empty, empty, home=home, pending=True)
    except Exception as exc:  # a bug in a rule must not take the rest of the page with it; it is shown as one
        session.rollback()
        return FindingsView(empty, empty, empty, error=f"{type(exc).__name__}: {exc}", home=home)


def _stored_view(session: Session, *, scope: Scope, home: str) -> FindingsView:
    """:func:`split_findings` of the scope's findings, reading of the whole studio's only the columns that select,
    order and count them, then every column of the findings shown: at 5 M work logs the whole file is about 590 MB
    of sentences as a frame, the shown rows a few MB."""
    selection = Selection.of(session, scope)
    stored = studio_file(session)
    keys, kept = stored.selected(selection, columns=["rule_id", "severity"])
    if not len(kept):
        return split_findings(selection.apply(session, stored.rows(kept)), home=home)
    hours, pay, counts = _split(keys, home)

    def shown(topic: np.ndarray) -> pd.DataFrame:
        return selection.apply(session, stored.rows(kept[topic[:TABLE_ROWS]]))

    return FindingsView(shown(hours), shown(pay), counts, hours_total=len(hours), pay_total=len(pay), home=home)


def all_findings(session: Session, *, scope: Scope, topic: str) -> pd.DataFrame:
    """Every finding of ``topic`` (``hours`` or ``pay``) in scope, in the order of :class:`FindingsView` but not
    cut to ``TABLE_ROWS``: what a page's download holds (managers only)."""
    ensure_role(scope.viewer, "manager")
    ordered = _ordered(studio_findings(session, scope=scope), home_jurisdiction(session))
    return _topic(ordered, topic).reset_index(drop=True)


def _ordered(found: pd.DataFrame, home: str) -> pd.DataFrame:
    """``found`` with the home jurisdiction's findings first, then by severity (a stable sort keeps the engine's
    order of rule, person and period within each)."""
    return found.iloc[_order(found, home)]


def _topic(found: pd.DataFrame, topic: str) -> pd.DataFrame:
    return found[_in_topic(found, topic)]


def _by_rule(found: pd.DataFrame, test: Any) -> np.ndarray:
    # A studio's findings have hundreds of thousands of rows but a few dozen rule ids: test each id once.
    codes, rules = pd.factorize(found["rule_id"].astype(str), use_na_sentinel=False)
    return np.fromiter((bool(test(r)) for r in rules), dtype=bool, count=len(rules))[codes]


def _order(found: pd.DataFrame, home: str) -> np.ndarray:
    """Positions of ``found`` in :func:`_ordered`'s order."""
    prefix = RULE_PREFIX.get(home, "JP-")
    away = _by_rule(found, lambda r: not r.startswith(prefix))
    # Ranked per distinct severity (three of them), not per finding.
    codes, severities = pd.factorize(found["severity"], use_na_sentinel=False)
    rank = np.array([SEVERITY_RANK.get(s, 3) for s in severities], dtype=float)[codes]
    return np.lexsort((rank, away))  # stable: the last key sorts first, ties keep their order


def _in_topic(found: pd.DataFrame, topic: str) -> np.ndarray:
    rules = {"hours": WORKLOAD_RULES, "pay": PAY_RULES}[topic]
    return _by_rule(found, lambda r: r.startswith(rules))


def split_findings(found: pd.DataFrame, *, home: str = "JP") -> FindingsView:
    """``found`` split into the hours and pay topics, the ``home`` jurisdiction's first, then the most severe, with
    counts per rule and severity."""
    if found.empty:
        return FindingsView(found, found, pd.DataFrame(columns=["rule_id", "severity", "findings"]), home=home)
    hours, pay, counts = _split(found, home)
    return FindingsView(
        found.iloc[hours[:TABLE_ROWS]].reset_index(drop=True),
        found.iloc[pay[:TABLE_ROWS]].reset_index(drop=True),
        counts,
        hours_total=int(len(hours)),
        pay_total=int(len(pay)),
        home=home,
    )


def _split(found: pd.DataFrame, home: str) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """The positions of ``found``'s hours and pay findings in :func:`_ordered`'s order, and the counts per rule and
    severity, most first (``found``: at least ``rule_id`` and ``severity``)."""
    counts = found.groupby(["rule_id", "severity"], as_index=False).size().rename(columns={"size": "findings"})
    # Positions rather than reordered copies: a page shows TABLE_ROWS of each topic, not the whole studio's rows.
    order = _order(found, home)
    hours, pay = (order[_in_topic(found, topic)[order]] for topic in ("hours", "pay"))
    return hours, pay, counts.sort_values("findings", ascending=False, ignore_index=True)


@dataclass(frozen=True)
class WorkloadView:
    """The Workload page.

    ``weekly``: ``person_id``, ``name``, ``week_start`` (datetime64), ``hours`` — the ``HEATMAP_PEOPLE`` people with
    most hours in scope. ``people_total``: how many people are in scope. ``by_department``: ``month``,
    ``department``, ``hours``, ``people`` — of the scope's rows. ``overtime``: ``person_id``, ``name``,
    ``employment_type``, ``is_employee`` (bool: the Article 36 limits apply), ``month``, ``hours``, ``ot_hours``,
    ``holiday_hours``, ``ot_plus_holiday_hours``, ``over_line`` (the highest of ``lines`` that the month's overtime and
    holiday work reached, h; NaN below them all) — the ``TABLE_ROWS`` person-months with most overtime;
    ``overtime_rows`` counts them all. ``lines``: the overwork lines in force, h a month: ``caution`` (over it, 45),
    ``average`` (the 2–6-month average line, 80) and ``month`` (the single-month line, 100), and the statutory ``day``
    and ``week`` (8, 40), from the rule parameters.
    """

    weekly: pd.DataFrame
    people_total: int
    by_department: pd.DataFrame
    overtime: pd.DataFrame
    overtime_rows: int = 0
    lines: dict[str, float] | None = None


def workload_view(session: Session, *, scope: Scope) -> WorkloadView:
    """Weekly hours and monthly overtime of the people in scope (all their hours: the law measures a person), and
    the hours of the scope's rows by department (managers only)."""
    ensure_role(scope.viewer, "manager")
    weekly, people_total = busiest_weeks(session, scope=scope, people=HEATMAP_PEOPLE)
    by_department = workload(session, scope=scope, by=("month", "department"))
    # The highest months only: a studio has hundreds of thousands of person-months, the table shows TABLE_ROWS.
    overtime, overtime_rows = jp_overtime_most(session, scope=scope, rows=TABLE_ROWS)
    # Names for the people the page shows only: a studio's directory is tens of thousands of people.
    names = directory(session, people=sorted(set(weekly["person_id"].tolist()) | set(overtime["person_id"].tolist())))
    return workload_tables(weekly, names, by_department, overtime, lines=overwork_lines(session),
                           people_total=people_total, overtime_rows=overtime_rows)  # fmt: skip


def overwork_lines(session: Session) -> dict[str, float]:
    """The monthly overwork lines in force (h): ``caution``, ``average``, ``month`` (see :class:`WorkloadView`);
    and the statutory ``day`` and ``week`` beyond which hours are overtime."""
    values = rule_values(session, "JP")
    lines, hours = OverworkLines.from_values(values), JpHours.from_values(values)
    return {"caution": lines.caution_month_h, "average": lines.average_h, "month": lines.month_h,
            "day": hours.daily_limit_seconds / 3600, "week": hours.weekly_limit_seconds / 3600}  # fmt: skip


def line_reached(hours: pd.Series, lines: dict[str, float]) -> pd.Series:
    """The highest line each value of ``hours`` reached: at or over ``month``, at or over ``average``, over
    ``caution``; NaN below them all."""
    out = pd.Series(float("nan"), index=hours.index)
    out[hours > lines["caution"]] = lines["caution"]
    out[hours >= lines["average"]] = lines["average"]
    out[hours >= lines["month"]] = lines["month"]
    return out


def workload_tables(
    weekly: pd.DataFrame,
    names: pd.DataFrame,
    by_department: pd.DataFrame,
    overtime: pd.DataFrame,
    *,
    lines: dict[str, float] | None = None,
    people_total: int | None = None,
    overtime_rows: int | None = None,
) -> WorkloadView:
    """The Workload page from its frames: the heatmap's top people, and the overtime table with names and the lines
    reached (``lines``: :func:`overwork_lines`; without them no line is marked). ``people_total``: how many people
    are in scope when ``weekly`` holds only the busiest (:func:`~analytics.queries.workload.busiest_weeks`);
    default, the people of ``weekly``; ``overtime_rows`` likewise, when ``overtime`` holds only the highest months
    (:func:`analytics.overtime.jp_overtime_most`). ``names`` needs only the people shown."""
    totals = weekly.groupby("person_id")["hours"].sum().sort_values(ascending=False)
    top = totals.head(HEATMAP_PEOPLE).index.tolist()
    weekly = weekly[weekly["person_id"].isin(top)].merge(names[["person_id", "name"]], on="person_id", how="left")
    rows = int(len(overtime)) if overtime_rows is None else overtime_rows
    overtime = (
        most_overtime(overtime)
        .head(TABLE_ROWS)
        .merge(names[["person_id", "name", "employment_type"]], on="person_id", how="left")
    )
    overtime["is_employee"] = overtime["employment_type"].isin(EMPLOYEE_TYPES)
    cols = ["person_id", "name", "employment_type", "is_employee", "month", "hours", "ot_hours", "holiday_hours",
            "ot_plus_holiday_hours"]  # fmt: skip
    table = overtime[cols].head(TABLE_ROWS).round({c: 1 for c in cols[5:]})
    table["over_line"] = line_reached(table["ot_plus_holiday_hours"], lines) if lines else float("nan")
    return WorkloadView(
        weekly=weekly[["person_id", "name", "week_start", "hours"]],
        people_total=int(len(totals)) if people_total is None else people_total,
        by_department=by_department[["month", "department", "hours", "people"]].reset_index(drop=True),
        overtime=table,
        overtime_rows=rows,
        lines=lines,
    )


@dataclass(frozen=True)
class PayView:
    """The Pay page.

    ``monthly``: person-months with ``person_id``, ``name``, ``employment_type``, ``main_role``, ``department``, ``month``,
    ``currency``, ``hours``, ``pay_amount``, ``pay_per_hour``, ``base_pay_per_hour``, ``mw_max_per_hour``,
    ``below_mw`` — below the minimum wage first, then lowest pay per hour; at most ``TABLE_ROWS`` rows (the page says
    so; ``summary['person_months']`` has the total).
    ``bins``: the JPY distribution for the histogram — ``employment_type``, ``pay_per_hour_bin`` (left edge, JPY/h,
    ``BIN_JPY`` wide), ``person_months``. ``by_role``: ``main_role``, ``employment_type``, ``person_months``,
    ``p10``/``q1``/``median``/``q3``/``p90`` of pay per hour (JPY/h). ``summary``: ``person_months``,
    ``below_mw``, ``median_pay_per_hour``, ``typical_mw_per_hour`` (median of the wage in force; NaN if unknown).
    ``piece_rates``: :func:`analytics.pay.piece_rates` of the scope's rows, JPY only.
    """

    monthly: pd.DataFrame
    piece_rates: pd.DataFrame
    bins: pd.DataFrame
    by_role: pd.DataFrame
    summary: dict[str, float]


def pay_distribution(jpy: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The histogram bins and the per-role quartiles of ``jpy`` (person-months in JPY); see :class:`PayView`."""
    # The page draws these few hundred rows instead of every person-month: constant-size charts at any scale.
    rate = jpy["pay_per_hour"].astype(float)
    binned = jpy.assign(pay_per_hour_bin=(rate // BIN_JPY) * BIN_JPY)
    bins = binned.groupby(["employment_type", "pay_per_hour_bin"], as_index=False, observed=True).size()
    bins = _as_text(bins.rename(columns={"size": "person_months"}), ["employment_type"])
    grouped = jpy.groupby(["main_role", "employment_type"], observed=True)["pay_per_hour"]
    # The quantiles in one vectorised pass (describe() called them group by group: 0.34 s of the page at 5M).
    by_role = grouped.quantile([0.1, 0.25, 0.5, 0.75, 0.9]).unstack()
    by_role.columns = ["p10", "q1", "median", "q3", "p90"]
    by_role.insert(0, "person_months", grouped.count().astype(float))
    return bins, _as_text(by_role.reset_index().round(1), ["main_role", "employment_type"])


def _as_text(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``frame`` with its categorical ``columns`` (the labels :func:`pay_tables` carries as codes) as text again."""
    kinds = {c: "str" for c in columns if isinstance(frame[c].dtype, pd.CategoricalDtype)}
    return frame.astype(kinds) if kinds else frame


def pay_view(session: Session, *, scope: Scope) -> PayView:
    """Effective hourly pay of the people in scope (their whole months) and the piece rates of the scope's rows
    (managers only)."""
    ensure_role(scope.viewer, "manager")
    pay = effective_pay(session, scope=scope, tested_only=True)  # the page shows rates and the test, not their parts
    names = directory(session, people=selected_people(session, scope))
    rates = piece_rates(*pay_queries.piece_rate_rows(session, scope=scope))
    return pay_tables(pay, names, rates)


def pay_tables(pay: pd.DataFrame, names: pd.DataFrame, rates: pd.DataFrame) -> PayView:
    """The Pay page from its frames (:func:`analytics.pay.effective_pay`, :func:`analytics.people.directory`,
    :func:`analytics.pay.piece_rates`)."""
    # The labels travel as categorical codes through the merge, the filter and the sort (each a take of integers,
    # not of 177,171 strings per column: 0.3 s of the page at 5M) and become text again in the few rows shown.
    labels = ["name", "employment_type", "main_role", "department"]
    monthly = pay.merge(names.astype(dict.fromkeys(labels, "category")), on="person_id", how="left")
    cols = ["person_id", "name", "employment_type", "main_role", "department", "month", "currency", "hours", "pay_amount",
            "pay_per_hour", "base_pay_per_hour", "mw_max_per_hour", "below_mw"]  # fmt: skip
    monthly = monthly[cols].copy()
    for column in ("hours", "pay_per_hour", "base_pay_per_hour"):
        monthly[column] = monthly[column].astype(float).round(1)
    jpy = monthly[monthly["currency"] == "JPY"]
    bins, by_role = pay_distribution(jpy)
    summary = {
        "person_months": int(len(jpy)),
        "below_mw": int(jpy["below_mw"].astype(bool).sum()),
        "median_pay_per_hour": float(jpy["pay_per_hour"].median()) if len(jpy) else float("nan"),
        "typical_mw_per_hour": float(jpy["mw_max_per_hour"].astype(float).median()) if len(jpy) else float("nan"),
    }
    table = monthly.assign(_below=~monthly["below_mw"].astype(bool)).sort_values(["_below", "pay_per_hour"])
    return PayView(
        monthly=_as_text(table.drop(columns="_below").head(TABLE_ROWS).reset_index(drop=True), labels),
        piece_rates=rates,
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


def credits_view(session: Session, *, scope: Scope) -> CreditsView:
    """Validate the stored credits of the scope's one production and cross-check them against labor records
    (managers only); anyone in the studio can be linked to a placeholder line."""
    ensure_role(scope.viewer, "manager")
    report = check_production(session, production=scope.production)
    people = name_order(session)
    return credits_tables(scope.production, report, people)


def stored_credits_view(session: Session, *, scope: Scope) -> CreditsView | None:
    """:func:`credits_view` from the check the background worker stored last for the scope's one production
    (:mod:`analytics.credits.checks`), current or not — the same findings a computation at that time gave; the people
    who can be linked are read now. None when the production was never checked (managers only)."""
    ensure_role(scope.viewer, "manager")
    found = stored_report(session, production_id=int(scope.production))
    if found is None:
        return None
    people = name_order(session)
    return credits_tables(scope.production, found[1], people)


def credits_tables(production_id: int, report: ValidationReport, people: pd.DataFrame) -> CreditsView:
    """The Credits page from a validation report and the people who can be linked."""
    columns = ["severity", "rule", "line", "role", "name", "message", "credit_line_id", "person_id"]
    rows = [{c: d[c] for c in columns} for d in (f.as_dict() for f in report.findings)]
    findings = pd.DataFrame(rows, columns=columns)
    counts = (
        findings.groupby(["rule", "severity"], as_index=False).size().rename(columns={"size": "findings"})
        if not findings.empty
        else pd.DataFrame(columns=["rule", "severity", "findings"])
    )
    return CreditsView(int(production_id), findings, counts, people, int(report.credits_checked))


def import_history(session: Session, *, scope: Scope, limit: int = 50) -> pd.DataFrame:
    """Latest imports first (managers only). Columns: ``batch_id``, ``filename``, ``format``, ``status``,
    ``actor``, ``started_at``, ``rows_total``, ``rows_imported``, ``rows_updated``, ``rows_unchanged``,
    ``rows_rejected``."""
    ensure_role(scope.viewer, "manager")
    return import_rows(session, limit=limit)
