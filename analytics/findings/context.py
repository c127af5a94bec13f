"""What every rule shares: the records and rule parameters of one evaluation, the employment and Article 36
agreement in force at any date, and the helpers that turn columns into finding rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import fields
from typing import Any

import numpy as np
import pandas as pd

from analytics.findings.parameters import Parameters
from analytics.findings.records import Records, discretionary_people, empty
from analytics.findings.text import Sentences
from analytics.person_days import PersonDays
from data.schema import EMPLOYEE_TYPES

SEVERITIES = ("violation", "advocacy_flag", "warning")
COLUMNS = [
    "rule_id",
    "severity",
    "person_id",
    "person",
    "group",
    "period_start",
    "period_end",
    "measured_value",
    "threshold",
    "unit",
    "explanation",
    "source",
    "reference",
    "message",
    "params",
]
# What a finding's explanation is made of (analytics.findings.text): the pages render it in the viewer's language
# from these; exports keep the English explanation and the sources.
TEXT_COLUMNS = ["message", "params"]
# Not shown, kept for filtering: the production and commission date of a Freelance Act finding's pay item.
SCOPE_COLUMNS = ["production_id", "scope_date"]
# What an evaluation returns and the snapshot stores: names are added on selection, as they are at the time.
EVALUATED_COLUMNS = [c for c in COLUMNS if c != "person"] + SCOPE_COLUMNS
EMPLOYMENT_FIELDS = [
    "employment_id",
    "employer_id",
    "employment_type",
    "jurisdiction",
    "prefecture",
    "city",
    "is_exempt",
    "discretionary_work",
    "discretionary_consent_date",
    "piece_rate_guarantee_per_hour",
    "week_start",
    "days_off_4w_from",
]


def as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, pd.Timestamp) else value


def month_label(month: Any) -> str:
    return as_date(month).strftime("%Y-%m")


def round2(value: float) -> float:
    return round(float(value), 2)


def dates_of(values: Any, n: int) -> np.ndarray:
    """``n`` ``datetime.date`` objects from a datetime64 column, or one date repeated."""
    if isinstance(values, dt.date):
        return np.full(n, values, dtype=object)
    return pd.DatetimeIndex(values).date


def iso_dates(values: Any) -> list[str]:
    """Dates as ``YYYY-MM-DD`` (what ``str(date)`` writes)."""
    # Python strings, not NumPy's: each NumPy string would be converted again wherever a parameter is written.
    return np.datetime_as_string(np.asarray(values, dtype="datetime64[D]")).tolist()


def month_labels(values: Any) -> list[str]:
    """Months as ``YYYY-MM``."""
    return np.datetime_as_string(np.asarray(values, dtype="datetime64[M]")).tolist()


def month_ends(values: Any) -> np.ndarray:
    months = np.asarray(values, dtype="datetime64[M]")
    return ((months + 1).astype("datetime64[D]") - 1).astype("datetime64[ns]")


def shift_months(values: Any, months: Any) -> np.ndarray:
    return (np.asarray(values, dtype="datetime64[M]") + np.asarray(months, dtype=np.int64)).astype("datetime64[ns]")


def rounded(values: Any) -> list[float]:
    return [round(v, 2) for v in np.asarray(values, dtype=float).tolist()]


def columns_of(df: pd.DataFrame, *names: str) -> list[list[Any]]:
    """Columns as Python lists, for the row-by-row sentence (faster than iterating a frame)."""
    return [df[n].tolist() for n in names]


class Context:
    """One evaluation: the records of the people asked for (None: everyone), the rule parameters, and the findings
    collected so far (``parts``: frames from :meth:`extend`; ``rows``: single findings from :meth:`add`).
    """

    def __init__(self, records: Records, law: Parameters, people: list[int] | None = None):
        self.records, self.law, self.people = records, law, people
        self.parts: list[pd.DataFrame] = []
        self.rows: list[dict[str, Any]] = []
        # When several employments are in force, the latest started wins (ties: the latest recorded).
        employments = records.employments.sort_values("employment_id", kind="stable")
        self.employments = employments.sort_values("start_date", kind="stable", ignore_index=True)
        self.employments["_order"] = np.arange(len(self.employments))
        agreements = records.agreements[records.agreements["has_36_agreement"].astype(bool)]
        self.agreements = agreements.sort_values("valid_from", kind="stable", ignore_index=True)
        self.agreements["_order"] = np.arange(len(self.agreements))
        self._discretionary: pd.DataFrame | None = None

    @property
    def monthly(self) -> pd.DataFrame:
        return self.records.monthly

    @property
    def pay(self) -> pd.DataFrame:
        return self.records.pay

    def days(self) -> PersonDays:
        """The worked days of the people in view."""
        return self.records.days

    def discretionary(self) -> pd.DataFrame:
        """The months JP employees worked under a discretionary-work contract (LSA Art. 38-3 / 38-4):
        ``person_id``, ``month``, ``uncovered_hours`` (in roles outside the rule parameter
        ``discretionary_work.covered_roles``, or with no role), ``uncovered_roles`` (their English names),
        ``kind`` (professional / planning) and ``consent_missing``: the month needed the employee's written consent
        (always for the planning type; for the professional type from the rule parameter
        ``discretionary_work.consent_required_from``) and none was recorded by its first day."""
        if self._discretionary is not None:
            return self._discretionary
        columns = ["person_id", "month", "uncovered_hours", "uncovered_roles", "kind", "consent_missing"]
        self._discretionary = pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
        ids = discretionary_people(self.employments, self.people)
        roles = self.records.roles
        roles = roles[roles["person_id"].isin(ids) & (roles["seconds"] > 0)].reset_index(drop=True)
        if roles.empty:
            return self._discretionary
        info = self.employment_in_month(roles["person_id"], roles["month"])
        under = (jp_employee(info) & info["discretionary_work"].notna()).to_numpy()
        roles, info = roles[under], info[under]
        rules = self.law.discretionary
        consented = pd.to_datetime(info["discretionary_consent_date"]).to_numpy() <= roles["month"].to_numpy()
        needs = rules.needs_consent(info["discretionary_work"].to_numpy(), roles["month"].to_numpy())
        roles = roles.assign(
            uncovered=~roles["code"].isin(rules.covered_roles),
            en=roles["en"].fillna("(no role)"),
            kind=info["discretionary_work"].to_numpy(),
            consent_missing=needs & ~consented,
        )
        roles["uncovered_seconds"] = roles["seconds"].where(roles["uncovered"], 0)
        out = roles.groupby(["person_id", "month"], as_index=False).agg(
            uncovered_seconds=("uncovered_seconds", "sum"),
            kind=("kind", "first"),
            consent_missing=("consent_missing", "any"),
        )
        names = (
            roles[roles["uncovered"]]
            .sort_values("seconds", ascending=False)
            .groupby(["person_id", "month"])["en"]
            .agg(", ".join)
            .rename("uncovered_roles")
        )
        out = out.merge(names, on=["person_id", "month"], how="left")
        out["uncovered_hours"] = out["uncovered_seconds"] / 3600.0
        self._discretionary = out[columns]
        return self._discretionary

    def deemed(self, person: Any, month: Any) -> np.ndarray:
        """For each (person, month): True when the month was worked under discretionary work in covered roles only,
        with the consent it needed recorded, so the contract's deemed hours, not the hours logged, are what the
        overtime limits and premium measure."""
        d = self.discretionary()
        if d.empty:
            return np.zeros(len(person), dtype=bool)
        covered = d[(d["uncovered_hours"] == 0) & ~d["consent_missing"].astype(bool)][["person_id", "month"]]
        covered = covered.assign(_deemed=True)
        query = pd.DataFrame({"person_id": np.asarray(person, dtype=np.int64), "month": np.asarray(month)})
        return query.merge(covered, on=["person_id", "month"], how="left")["_deemed"].fillna(False).to_numpy(bool)

    def release(self, keep: tuple[str, ...] = ()) -> None:
        """Drop the records the rules have read but ``keep`` (the worked days alone are a hundred MB or more on a
        large studio), before the next read."""
        for f in fields(Records):
            if f.name not in keep and "kind" in f.metadata:
                setattr(self.records, f.name, empty(f.metadata["kind"]))
        if "days" not in keep:
            self.records.days = PersonDays.empty()
        self._discretionary = None

    def add(self, *args: Any, source: str, **kwargs: Any) -> None:
        """One finding, for rules that yield a handful: the columns in order up to ``explanation`` (a
        :class:`~analytics.findings.text.Sentences` of scalar parameters), its ``source`` (the statute or indicator
        it applies), and the scope columns as keywords."""
        names = ["rule_id", "severity", "person_id", "period_start", "period_end", "measured_value", "threshold"]
        row = dict(zip([*names, "unit", "explanation", "group"], args, strict=False)) | kwargs
        if row["severity"] not in SEVERITIES:
            raise ValueError(f"severity {row['severity']!r} is not one of {SEVERITIES}")
        said: Sentences = row.pop("explanation")
        english, params = said.columns(1)
        row |= {
            "explanation": english[0],
            "source": source,
            "reference": self.law.reference_version,
            "message": said.message,
            "params": params[0],
        }
        self.rows.append(row)

    def extend(
        self,
        rule: Any,
        severity: Any,
        person: Any,
        start: Any,
        end: Any,
        value: Any,
        threshold: Any,
        unit: Any,
        explanation: Sentences,
        *,
        source: Any,
    ) -> None:
        """Many findings at once: each argument a column, or one value for all; ``explanation`` the sentences'
        template and parameter columns; ``source`` the statute or indicator applied (a column, or one for all)."""
        n = len(np.atleast_1d(np.asarray(person)))
        if not n:
            return
        english, params = explanation.columns(n)
        if not set(np.unique(np.asarray(severity, dtype=object))) <= set(SEVERITIES):
            raise ValueError(f"severities {sorted(set(np.asarray(severity)))} are not all among {SEVERITIES}")
        self.parts.append(
            pd.DataFrame(
                {
                    "rule_id": rule,
                    "severity": severity,
                    "person_id": np.asarray(person, dtype=np.int64),
                    "group": None,
                    "period_start": dates_of(start, n),
                    "period_end": dates_of(end, n),
                    "measured_value": np.asarray(value, dtype=float),
                    "threshold": np.asarray(threshold, dtype=float) if not np.isscalar(threshold) else threshold,
                    "unit": unit,
                    "explanation": english,
                    "source": source,
                    "reference": self.law.reference_version,
                    "message": explanation.message,
                    "params": params,
                },
                index=pd.RangeIndex(n),
            )
        )

    def employment_on(self, person: Any, day: Any, fields: list[str] = EMPLOYMENT_FIELDS) -> pd.DataFrame:
        """For each (person, day) pair, the employment in force that day: ``fields`` (default
        ``EMPLOYMENT_FIELDS``; NaN when none), row for row."""
        person = np.asarray(person, dtype=np.int64)
        day = np.asarray(day)
        if day.dtype.kind != "M":
            day = pd.to_datetime(day).to_numpy()
        # Each person's contracts in the order they win (the latest started, then the latest recorded), tried k-th
        # by k-th for all pairs at once: a person has a handful, where a join of every pair with every contract of
        # its person, sorted, was a large part of the rules' time at a studio's scale.
        e = self.employments
        order = np.lexsort((e["_order"].to_numpy(), e["person_id"].to_numpy(np.int64)))
        owner = e["person_id"].to_numpy(np.int64)[order]
        start, end = e["start_date"].to_numpy()[order], e["end_date"].to_numpy()[order]
        lo, hi = np.searchsorted(owner, person, "left"), np.searchsorted(owner, person, "right")
        best = np.full(len(person), -1, dtype=np.int64)
        for k in range(int((hi - lo).max()) if len(person) else 0):
            at = np.minimum(lo + k, len(owner) - 1)
            in_force = (lo + k < hi) & (start[at] <= day) & (np.isnat(end[at]) | (end[at] >= day))
            best = np.where(in_force, order[at], best)
        found = best >= 0
        m = e[fields].take(best[found])
        m.index = np.flatnonzero(found)
        return m.reindex(pd.RangeIndex(len(person)))

    def employment_in_month(self, person: Any, month: Any) -> pd.DataFrame:
        """The employment in force at each month's end, else at its start."""
        at_end = self.employment_on(person, month_ends(month))
        at_start = self.employment_on(person, np.asarray(month, dtype="datetime64[ns]"))
        found = at_end["employment_id"].notna().to_numpy()
        return at_end.where(np.repeat(found[:, None], len(EMPLOYMENT_FIELDS), axis=1), at_start)

    def agreement_for(self, employer: Any, month: Any) -> pd.DataFrame:
        """For each (employer, month), the Article 36 agreement covering any of the month (the latest, when several
        do): ``has_agreement``, ``special_clause``, ``variable_hours_1y``, ``valid_from`` (NaT when none)."""
        first = np.asarray(month, dtype="datetime64[ns]")
        query = pd.DataFrame({"employer_id": np.asarray(employer, dtype=float), "first": first})
        query["last"], query["_row"] = month_ends(first), np.arange(len(query))
        a = self.agreements.assign(employer_id=self.agreements["employer_id"].astype(float))
        m = query.merge(a, on="employer_id")
        m = m[(m["valid_from"] <= m["last"]) & (m["valid_to"].isna() | (m["valid_to"] >= m["first"]))]
        m = m.sort_values(["_row", "_order"]).drop_duplicates("_row", keep="last").set_index("_row")
        out = m.reindex(pd.RangeIndex(len(query)))[["special_clause", "variable_hours_1y", "valid_from"]]
        out.insert(0, "has_agreement", out["valid_from"].notna().to_numpy())
        out["special_clause"] = out["special_clause"].fillna(False).astype(bool)
        out["variable_hours_1y"] = out["variable_hours_1y"].fillna(False).astype(bool)
        return out


def finding_order(rule_id: Any, person_id: Any, period_start: Iterable[dt.date], n: int) -> np.ndarray:
    """Positions that put findings in findings()'s order: rule, person, period start, stably (a person's findings
    under one rule keep the order they were evaluated in). Ordinals sort like the dates, ``dt.date.min`` included,
    which datetime64[ns] cannot hold, and much faster."""
    ordinal = np.fromiter((d.toordinal() for d in period_start), dtype=np.int64, count=n)
    person = np.nan_to_num(np.asarray(person_id, dtype=float), nan=-1.0)
    return np.lexsort((ordinal, person, pd.factorize(rule_id, sort=True)[0]))


def jp_employee(info: pd.DataFrame) -> pd.Series:
    return (info["jurisdiction"] == "JP") & info["employment_type"].isin(EMPLOYEE_TYPES)
