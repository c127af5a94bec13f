"""Findings: every rule of the compliance spec (labor-and-pay.md §6–7) evaluated into one table of rows.

Each row names the rule, the person, the period, what was measured, the threshold and a sentence citing the rule.
Severities: ``violation`` (a legal limit broken by an employer), ``advocacy_flag`` (an indicator for freelancers or
overwork lines that are not in themselves illegal) and ``warning`` (the data cannot show compliance).

Rules are evaluated per person over all their work, whatever the filter: a 20-day streak that began before the
period asked for is still 20 days, and an agreement year or a 6-month average reaches back as far as it must. A
:class:`~analytics.scope.Scope` then selects findings (:class:`Selection`): its productions the people who worked on
any of them (and, for the Freelance Act, their commissions), its departments the people who worked in roles of them,
its period the findings whose period overlaps it (Freelance Act findings: the commissions made in it). So a filtered
table is exactly the matching rows of the whole studio's, which is how the dashboard answers it: from the stored
snapshot (:mod:`analytics.findings.snapshot`).

A whole studio yields hundreds of thousands of findings, so each rule tests whole columns at once and writes its
findings as one frame; only the sentences are filled row by row, a template and a parameter column at a time
(:meth:`analytics.findings.text.Sentences.columns`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
from sqlalchemy.orm import Session

from analytics.findings import (
    california,
    classification,
    freelance_act,
    guarantee,
    leave,
    minimum_wage,
    overwork,
    premiums,
    working_hours,
)
from analytics.findings.context import COLUMNS, EVALUATED_COLUMNS, SCOPE_COLUMNS, SEVERITIES, Context, finding_order
from analytics.findings.memory import hand_back_memory
from analytics.findings.parameters import Parameters
from analytics.findings.records import Records
from analytics.findings.text import explain
from analytics.queries import findings as queries
from analytics.queries.base import selected_people
from analytics.queries.people import display_names
from analytics.scope import Scope

__all__ = [
    "COLUMNS",
    "explain",
    "SEVERITIES",
    "STUDIO",
    "Parameters",
    "Records",
    "Selection",
    "evaluate",
    "evaluate_records",
    "findings",
]
STUDIO = Scope()  # the default scope: everyone, all time


def findings(session: Session, *, scope: Scope = STUDIO) -> pd.DataFrame:
    """Evaluate every rule for the people the scope selects; one row per finding it keeps (:class:`Selection`).
    Only the people in view are evaluated (an artist's own record needs only theirs, which keeps it fast on a large
    studio); the default scope is the whole studio.

    Columns: ``rule_id``, ``severity`` (violation / advocacy_flag / warning), ``person_id``, ``person`` (display
    name), ``group`` (None unless the finding is about a group), ``period_start``, ``period_end`` (dates),
    ``measured_value``, ``threshold``, ``unit`` (``h``, ``h/month``, ``days``, ``months``, ``sessions``,
    ``consents``, ``grants``, ``indicators``, ``JPY``, ``JPY/h``, ``USD``, ``USD/h``, ``USD/year``, ``retakes``),
    ``explanation`` (one sentence citing the rule, in English; amounts in the currency's own units), ``source`` (the
    statute or indicator the rule applies, and for a minimum wage the table row's source), ``reference`` (the
    version of the reference data it was judged on: :func:`data.reference.reference_version`), ``message`` and
    ``params`` (the catalog template and its parameters as JSON, which :func:`explain` renders in a reader's
    language). Sorted by rule, person and period.
    """
    selection = Selection.of(session, scope)
    return selection.apply(session, evaluate(session, people=selection.people))


@dataclass(frozen=True)
class Selection:
    """Which findings a scope keeps. ``people``: None for everyone, else the people the scope selects
    (:func:`analytics.queries.base.selected_people`: those who worked on its productions or in its departments in
    the months of its period, among its people); ``productions``: Freelance Act findings must be about a commission
    of one of them (a pay item of that production); ``start``/``end``: a finding's period must overlap them
    (Freelance Act findings: the commission date, else the pay period's start, must fall in them, as
    :func:`analytics.freelance.commissions` selects)."""

    people: list[int] | None = None
    productions: tuple[int, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def of(cls, session: Session, scope: Scope) -> Selection:
        """The selection for ``scope``."""
        return cls(selected_people(session, scope), scope.productions, scope.start, scope.end)

    def reads(self) -> list[str]:
        """The columns of :func:`evaluate` that :meth:`keeps` reads (none for the whole studio)."""
        columns = ["person_id"] if self.people is not None else []
        if self.productions or self.start is not None or self.end is not None:
            columns.append("scope_date")
        if self.productions:
            columns.append("production_id")
        if self.start is not None:
            columns.append("period_end")
        if self.end is not None:
            columns.append("period_start")
        return list(dict.fromkeys(columns))

    def keeps(self, found: pd.DataFrame) -> np.ndarray:
        """Which rows of ``found`` (at least the columns of :meth:`reads`) the selection keeps, as a boolean mask."""
        keep = np.ones(len(found), dtype=bool)
        if self.people is not None:
            keep &= found["person_id"].isin(self.people).to_numpy()
        if not (self.productions or self.start is not None or self.end is not None):
            return keep
        commission = found["scope_date"].notna().to_numpy()  # a Freelance Act finding, about one pay item
        if self.productions:
            keep &= ~commission | found["production_id"].isin(self.productions).fillna(False).to_numpy(bool)
        if self.start is not None:
            keep &= np.where(commission, found["scope_date"], found["period_end"]) >= self.start
        if self.end is not None:
            keep &= np.where(commission, found["scope_date"], found["period_start"]) <= self.end
        return keep

    def rows(self, found: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``found`` (the columns of :func:`evaluate`) that the selection keeps, in the columns of
        :func:`findings` but ``person``."""
        keep = self.keeps(found)
        columns = [c for c in COLUMNS if c != "person" and c in found.columns]
        # Everything kept (the unfiltered pages): no copy of a few hundred MB of findings, only a view.
        return (found[columns] if keep.all() else found.loc[keep, columns]).reset_index(drop=True)

    def apply(self, session: Session, found: pd.DataFrame) -> pd.DataFrame:
        """:meth:`rows`, as :func:`findings` returns them: with each person's display name as it is now (names are
        not stored with the findings, so renaming someone changes no finding)."""
        out = self.rows(found)
        names = display_names(session, _ids(out))
        # Named per distinct person (thousands), not per finding (hundreds of thousands).
        codes, people = pd.factorize(out["person_id"], use_na_sentinel=False)
        shown = pd.Series([names.get(p) for p in people], dtype=object).astype("str")
        # Where findings() has it: after the columns before it that were read.
        at = sum(c in out.columns for c in COLUMNS[: COLUMNS.index("person")])
        out.insert(at, "person", shown.take(codes).reset_index(drop=True))
        return out


# The rules that read the worked days and the other records, then those that run after they are dropped (the
# Freelance Act's commissions are read only then: at a studio's scale both are large).
RULES = [
    minimum_wage.check,
    working_hours.hours_limits,
    working_hours.discretionary_work,
    working_hours.days_off_and_breaks,
    premiums.check,
    guarantee.check,
    leave.check,
    california.check,
    classification.check,
    overwork.check,
]
LATE_RULES = [freelance_act.check]


Progress = Callable[[int, int], None]  # (steps done, steps in all)
# The steps evaluate() reports: reading the records, each rule, reading the commissions.
EVALUATE_STEPS = 2 + len(RULES) + len(LATE_RULES)


def evaluate(
    session: Session,
    *,
    people: Sequence[int] | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Every finding of ``people`` (None: everyone), over all their work, judged on ``today`` (default: today): the
    columns of :func:`findings` but ``person`` (the name, added on selection), and ``SCOPE_COLUMNS``
    (``production_id``, ``scope_date``: the pay item's production and commission date for Freelance Act findings,
    else empty), which :class:`Selection` filters on. ``progress`` is told after each of ``EVALUATE_STEPS`` steps."""
    ids = None if people is None else sorted({int(p) for p in people})
    tell = progress or (lambda _done, _all: None)
    ctx = Context(
        queries.records(session, people=ids, commissions=False, today=today), queries.parameters(session), ids
    )
    tell(1, EVALUATE_STEPS)
    _apply(ctx, RULES if _anyone(ctx) else [], lambda i: tell(1 + i, EVALUATE_STEPS))
    ctx.release(keep=("employments", "agreements", "employers"))
    ctx.records.commissions = queries.commissions_of(session, people=ids, act=ctx.law.freelance)
    tell(2 + len(RULES), EVALUATE_STEPS)
    _apply(ctx, LATE_RULES, lambda i: tell(2 + len(RULES) + i, EVALUATE_STEPS))
    return _table(ctx)


def evaluate_records(
    records: Records,
    law: Parameters,
    *,
    people: Sequence[int] | None = None,
    rules: Sequence[Callable[[Context], None]] | None = None,
) -> pd.DataFrame:
    """:func:`evaluate` on records given as frames (no database): the same columns, for ``people`` (None: everyone
    in ``records``) under the rule parameters ``law``, by ``rules`` (None: all of them, in :func:`evaluate`'s order;
    each rule adds its own findings, whatever else runs)."""
    ids = None if people is None else sorted({int(p) for p in people})
    ctx = Context(records, law, ids)
    chosen = [*RULES, *LATE_RULES] if rules is None else list(rules)
    _apply(ctx, [r for r in chosen if r in LATE_RULES or _anyone(ctx)])
    return _table(ctx)


def _anyone(ctx: Context) -> bool:
    """False for an empty list of people (the Freelance Act's rule finds no commissions of no one by itself)."""
    return ctx.people is None or bool(ctx.people)


def _apply(ctx: Context, rules: Sequence[Callable[[Context], None]], done: Callable[[int], None] | None = None) -> None:
    for i, rule in enumerate(rules, 1):
        rule(ctx)
        hand_back_memory()
        if done is not None:
            done(i)


def _table(ctx: Context) -> pd.DataFrame:
    columns = [c for c in COLUMNS if c != "person"]
    parts = [p[[c for c in columns + SCOPE_COLUMNS if c in p.columns]] for p in ctx.parts if len(p)]
    if ctx.rows:
        parts.append(pd.DataFrame(ctx.rows).reindex(columns=columns + SCOPE_COLUMNS))
    ctx.parts, ctx.rows = [], []
    if not parts:
        return _empty()
    order = finding_order(
        pd.concat([p["rule_id"] for p in parts], ignore_index=True),
        np.concatenate([p["person_id"].to_numpy(dtype=float) for p in parts]),
        (d for p in parts for d in p["period_start"]),
        sum(len(p) for p in parts),
    )
    # Column by column, each taken out of the parts as it is built: a studio's findings run to a few hundred MB,
    # and only one copy of each column is alive at a time. Only the Freelance Act's findings have scope columns.
    blank = {"production_id": np.nan, "scope_date": None}
    table = {}
    for c in columns + SCOPE_COLUMNS:
        pieces = [p.pop(c) if c in p else pd.Series(blank[c], index=p.index, dtype=object) for p in parts]
        table[c] = _taken(pd.concat(pieces, ignore_index=True), order)
        hand_back_memory()
    df = pd.DataFrame(table, copy=False).reset_index(drop=True)
    if df["person_id"].notna().all():
        df["person_id"] = df["person_id"].astype("int64")
    df["production_id"] = pd.to_numeric(df["production_id"]).astype("Int64")
    for c in ("group", "scope_date"):  # None, never NaN, when empty
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    return df[EVALUATED_COLUMNS]


def _taken(column: pd.Series, order: np.ndarray) -> pd.Series:
    """``column.take(order)``, the same values and dtype. Text kept in Arrow is joined into one array first: Arrow
    takes from one array about twice as fast as from the dozens of pieces the rules made (the sentences and
    parameters of a studio's findings are a few hundred MB)."""
    # The Arrow data of an Arrow-backed string column (a pandas internal: without it, pandas' own take).
    chunked = getattr(column.array, "_pa_array", None)
    if isinstance(column.dtype, pd.StringDtype) and isinstance(chunked, pa.ChunkedArray):
        taken = chunked.combine_chunks().take(pa.array(order))
        return pd.Series(taken, dtype=column.dtype, index=column.index.take(order))
    return column.take(order)


def _empty() -> pd.DataFrame:
    """No findings, with the dtypes a table of findings has (so an empty filter result compares equal wherever it
    came from)."""
    dtypes = {"person_id": "int64", "measured_value": "float64", "threshold": "float64", "production_id": "Int64"}
    dtypes |= dict.fromkeys(["rule_id", "severity", "unit", "explanation", "source", "reference", "message", "params"],
                            "str")  # fmt: skip
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, object)) for c in EVALUATED_COLUMNS})


def _ids(df: pd.DataFrame) -> list[int]:
    return sorted({int(p) for p in df["person_id"].dropna().unique()})
