"""What the attacker of the advocate's aggregates knows of the studio (part 2 of tests/advocate_attacker.py): the
records unit by unit — person-months, person-month-department rows, work rows, findings, own-log days — read with its
own SQL, and what each published column must say when recomputed from those units."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.findings.snapshot import studio_findings
from analytics.scope import Scope
from data.rollup import UNASSIGNED
from data.schema import Employment, Production, Role, RollupPersonMonth, RollupWorkMonth
from tests.advocate_own_log_truth import own_log_units

# Each published table: the kind of unit its cells are made of and the label columns naming a cell.
TABLES = {
    "hours_by_department": ("person-month-department", ("group",)),
    "hours_by_production": ("person-month-production", ("group",)),
    "hours_by_employment": ("person-month", ("group",)),
    "monthly": ("person-month", ("month",)),
    "ai_by_month": ("work-row", ("month",)),
    "pay_by_employment": ("person-month", ("group", "currency")),
    "pay_by_role": ("person-month", ("group", "currency")),
    "findings": ("finding", ("rule_id", "severity", "unit")),
    "own_log_gap": ("own-log person-month", ("employment_type", "role")),
}
TIMELINE = ("monthly", "ai_by_month")


@dataclass(frozen=True)
class Query:
    """One thing the advocate can ask for: the sidebar's scope, the quarter chosen on the page, the k in force."""

    label: str
    scope: Scope
    quarter: dt.date | None = None
    k: int = 5


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    out, day = [], first.replace(day=1)
    while day <= last:
        out.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


def month_end(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _date(value: Any) -> pd.Timestamp:
    return pd.Timestamp(str(value)[:10])


class Truth:
    """The studio unit by unit. ``semantics``: ``"fixed"`` (a quarter table covers the query's calendar quarter —
    the page's default is the latest that has ended — and the over-time tables every month of the released
    quarters; the sidebar does not apply) or ``"filtered"`` (a table covers the sidebar's rows: its productions,
    departments and whole months; hours tables only)."""

    def __init__(self, session: Session, *, today: dt.date, semantics: str = "fixed") -> None:
        self.semantics = semantics
        w, r, p = RollupWorkMonth, Role, Production
        # The attacker works in minutes (seconds / 60): its linear sums scale alike.
        rows = session.execute(
            select(
                w.id,
                w.person_id,
                w.month_start,
                w.production_id,
                p.title,
                r.department,
                w.seconds / 60.0,
                w.ai_seconds / 60.0,
            )
            .outerjoin(r, r.id == w.role_id)
            .outerjoin(p, p.id == w.production_id)
        ).all()
        self.rows = pd.DataFrame(rows, columns=["row", "person_id", "month", "production_id", "production",
                                                "department", "minutes", "ai_minutes"])  # fmt: skip
        self.rows["month"] = self.rows["month"].map(_date)
        self.rows["production"] = self.rows["production"].fillna("(no production)")
        self.rows["department"] = self.rows["department"].fillna(UNASSIGNED)
        m = RollupPersonMonth
        pm = session.execute(
            select(m.person_id, m.month_start, m.seconds / 60.0, m.employee_seconds / 60.0, m.pay_amount,
                   m.pay_mw_base_amount, m.mw_base_per_hour, m.mw_max_rate, m.currency, r.en)
            .outerjoin(r, r.id == m.main_role_id).where(m.seconds > 0)
        ).all()  # fmt: skip
        pm = pd.DataFrame(pm, columns=["person_id", "month", "minutes", "employee_minutes", "pay", "base",
                                       "base_per_hour", "mw", "currency", "role"])  # fmt: skip
        pm["month"] = pm["month"].map(_date)
        for c in ("pay", "base", "base_per_hour", "mw"):
            pm[c] = pm[c].astype(float)
        hours = pm["minutes"] / 60.0
        pm["pay_per_hour"] = pm["pay"] / hours
        # The minimum-wage test's rate: the wage base by pay basis where the rollups stored one (data.rollup.bases).
        base_rate = pm["base_per_hour"].where(pm["base_per_hour"].notna(), pm["base"] / hours)
        rate = np.where(pm["employee_minutes"] * 2 > pm["minutes"], base_rate, pm["pay_per_hour"])
        pm["below"] = (pm["mw"].notna() & (rate < pm["mw"])).astype(float)
        pm["role"] = pm["role"].fillna(UNASSIGNED)
        self.pm = pm
        emp = session.execute(
            select(Employment.person_id, Employment.employment_type).order_by(Employment.start_date)
        ).all()
        self.employment = {person: kind for person, kind in emp}  # the latest start wins
        self.own = own_log_units(session, pm)
        self.findings = studio_findings(session).reset_index(drop=True)
        self.findings["end"] = self.findings["period_end"].map(_date)
        first, last = self.rows.loc[self.rows["minutes"] > 0, "month"].agg(["min", "max"])
        self.quarters = []
        start = pd.Timestamp(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
        while start <= last and (start + pd.DateOffset(months=3)).date() <= today:
            self.quarters.append(start)
            start = start + pd.DateOffset(months=3)

    def _period(self, table: str, query: Query) -> tuple[pd.Timestamp, pd.Timestamp]:
        if self.semantics == "filtered":
            first = pd.Timestamp(query.scope.first_month) if query.scope.start else pd.Timestamp.min
            return first, pd.Timestamp(query.scope.end) if query.scope.end else pd.Timestamp.max
        if table in TIMELINE:
            return self.quarters[0], self.quarters[-1] + pd.DateOffset(months=3) - pd.Timedelta(days=1)
        start = pd.Timestamp(query.quarter) if query.quarter else self.quarters[-1]
        return start, start + pd.DateOffset(months=3) - pd.Timedelta(days=1)

    def units(self, table: str, query: Query) -> pd.DataFrame:
        """The units ``table`` is computed from under ``query``: ``unit`` (hashable), ``person_id``, ``cell`` (a
        tuple of the label values), ``elements`` (the work rows a sum over minutes reads) and the values."""
        start, end = self._period(table, query)
        rows = self.rows[self.rows["month"].between(start, end)]
        if self.semantics == "filtered":
            if query.scope.productions:
                rows = rows[rows["production_id"].isin(query.scope.productions)]
            if query.scope.departments:
                rows = rows[rows["department"].isin(query.scope.departments)]
        kind, _ = TABLES[table]
        if table == "ai_by_month":
            out = rows.assign(
                unit=rows["row"], cell=[(m,) for m in rows["month"]], elements=[(r,) for r in rows["row"]]
            )
            return out.reset_index(drop=True)
        if table in ("hours_by_department", "hours_by_production", "hours_by_employment", "monthly"):
            by = {"hours_by_department": ["department"], "hours_by_production": ["production"]}.get(table, [])
            g = rows.groupby(["person_id", "month", *by], sort=False)
            out = g.agg(minutes=("minutes", "sum"), elements=("row", tuple)).reset_index()
            out = out[out["minutes"] > 0].reset_index(drop=True)
            out["hours"] = out["minutes"] / 60.0
            out["over_205"] = (out["hours"] > 205).astype(float)
            out["unit"] = list(zip(out["person_id"], out["month"], *(out[b] for b in by), strict=True))
            if table == "monthly":
                out["cell"] = [(m,) for m in out["month"]]
            elif table == "hours_by_employment":
                out["cell"] = [(self.employment.get(p, "unknown"),) for p in out["person_id"]]
            else:
                out["cell"] = [(g,) for g in out[by[0]]]
            return out
        if self.semantics == "filtered":
            raise NotImplementedError(f"the attacker knows {table} only with fixed quarters")
        if table.startswith("own_log_gap"):  # the release's table, or a control's other split of the same units
            out = self.own[self.own["month"].between(start, end)].copy()
            labels = {"employment_type": [self.employment.get(p, "unknown") for p in out["person_id"]],
                      "role": list(out["role"])}  # fmt: skip
            out["cell"] = list(zip(*(labels[label] for label in TABLES[table][1]), strict=True))
            out["unit"] = list(zip(out["person_id"], out["month"], strict=True))
            out["elements"] = [()] * len(out)
            return out.reset_index(drop=True)
        if table in ("pay_by_employment", "pay_by_role"):
            out = self.pm[self.pm["month"].between(start, end)].copy()
            out["unit"] = list(zip(out["person_id"], out["month"], strict=True))
            group = (out["person_id"].map(lambda p: self.employment.get(p, "unknown")) if table == "pay_by_employment"
                     else out["role"])  # fmt: skip
            out["cell"] = list(zip(group, out["currency"], strict=True))
            out["elements"] = [()] * len(out)
            return out.reset_index(drop=True)
        found = self.findings[self.findings["end"].between(start, end)]
        out = found.assign(cell=list(zip(found["rule_id"], found["severity"], found["unit"], strict=True)),
                           measured=found["measured_value"], elements=[()] * len(found))  # fmt: skip
        out["unit"] = out.index
        return out.reset_index(drop=True)


def _recompute(column: str, units: pd.DataFrame) -> float:
    """What ``column`` of a cell made of ``units`` must say."""
    if column == "people":
        return float(units["person_id"].nunique())
    if column == "person_months" or column == "findings":
        return float(len(units))
    if column in ("median_monthly_hours", "mean_monthly_hours", "p10_monthly_hours", "p90_monthly_hours"):
        series = units["hours"]
    elif column.endswith("_pay_per_hour"):
        series = units["pay_per_hour"]
    elif column == "median_measured_value":
        series = units["measured"]
    elif column == "threshold":
        return float(units["threshold"].max())
    elif column == "share_over_205_hours":
        return float(units["over_205"].mean())
    elif column == "share_below_mw":
        return float(units["below"].mean())
    elif column == "share_missing_hours":
        return float(units["missing_minutes"].sum() / units["own_minutes"].sum())
    elif column == "ai_hours_share":
        total = units["minutes"].sum()
        return float(units["ai_minutes"].sum() / total) if total > 0 else 0.0
    else:
        raise AssertionError(f"the attacker does not know what the published column {column!r} is")
    if column.startswith("mean"):
        return float(series.mean())
    quantile = {"median": 0.5, "p10": 0.1, "p25": 0.25, "p75": 0.75, "p90": 0.9}[column.split("_")[0]]
    return float(series.quantile(quantile))
