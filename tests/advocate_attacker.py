"""The attacker of the advocate's aggregates: every question an advocate can ask, and what can be solved from the
answers. Used by tests/analytics/test_advocate_attack.py; written against what the page publishes, not against how
:mod:`analytics.release` protects it, so that it catches the next leak whatever its cause.

1. **Ask** (:func:`advocate_queries`, :func:`harvest`): every filter of the sidebar alone and with its complement
   (each production, each department), every period the sidebar can set from whole months (each month, and every
   range from the first month or to the last one, so every pair of adjacent periods), every quarter the page
   offers, at every k given; each answer read back from its CSV and XLSX downloads.
2. **Know the studio** (:class:`Truth`, in tests/advocate_truth.py): the records unit by unit — person-months, person-month-department rows,
   work rows, findings — read with the attacker's own SQL, as an insider who knows what each published table is
   *about* (its documented semantics) but not how cells were chosen. Every published number is recomputed from
   those units and must match, so the attacker's picture of each cell is the right one.
3. **Solve** (:func:`attack`):
   * *linear*: a count, a share (a count over a count: both are taken as known), a mean with its count, an AI share
     (a sum over a sum) are sums over units. Every published cell of one kind of sum is a row of a matrix; a hidden
     cell, one unit, one person's units in a cell or in all, or one region of the published cells' Venn diagram
     that holds fewer than k people is derivable when its indicator lies in the row space (the solver then computes
     its value from the published numbers and shows it equals the truth);
   * *order statistics*: medians, quartiles, the 90th percentile and maxima of two published cells over the same
     kind of unit that are nearly the same set — different, yet each with fewer than k people the other lacks —
     narrow those few people's values down; each such pair is a leak (when either has k or more people of its
     own, what it says about the shared part is mixed with them);
   * every published cell must hold at least k people.

The number of people in a group is not treated as protected beyond "fewer than k" (the page says how many groups it
hides); everything else a cell publishes is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.exports import to_csv_bytes, to_xlsx_bytes
from analytics.scope import Scope
from data.identity import Identity
from data.schema import Production, Role, RollupPersonMonth
from tests.advocate_truth import TABLES, Query, Truth, _date, _recompute, month_end

ADVOCATE = Identity(username="<advocate>", role="advocate")
LABELS = ("group", "currency", "month", "rule_id", "severity", "unit", "employment_type", "role")
# What a published column gives away: linear sums ("n": units counted; "minutes", "ai_minutes": over work rows;
# "over_205", "below": flagged units counted) or order statistics of a value.
LINEAR = {
    "person_months": ("n",),
    "findings": ("n",),
    "mean_monthly_hours": ("n", "minutes"),
    "share_over_205_hours": ("n", "over_205"),
    "share_below_mw": ("n", "below"),
    "ai_hours_share": ("minutes", "ai_minutes"),
    "share_missing_hours": ("own_minutes", "missing_minutes"),
}
ORDER = {
    "median_monthly_hours": "hours",
    "p10_monthly_hours": "hours",
    "p90_monthly_hours": "hours",
    "median_pay_per_hour": "pay_per_hour",
    "p25_pay_per_hour": "pay_per_hour",
    "p75_pay_per_hour": "pay_per_hour",
    "median_measured_value": "measured",
    "threshold": "threshold",
}
COUNTS = ("people",)
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Answer:
    """One published table as the advocate downloads it (the CSV read back; the XLSX must say the same)."""

    query: Query
    table: str
    frame: pd.DataFrame


@dataclass(frozen=True)
class Leak:
    kind: str  # "linear", "order", "small cell"
    family: tuple[str, str]
    what: str
    people: int
    derived: float | None = None
    truth: float | None = None


@dataclass
class _Cells:
    """The cells of one family (a statistic over one kind of unit) the advocate has seen, and the hidden ones."""

    published: dict[frozenset, str] = field(default_factory=dict)
    hidden: dict[frozenset, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------------------
# 1. Ask


def advocate_queries(
    session: Session, *, quarters: Iterable[dt.date | None], ks: Iterable[int], k: int, viewer: Identity = ADVOCATE
) -> list[Query]:
    """Every sidebar filter alone and with its complement, every whole-month period from or to the edges of the
    data and every single month (at ``k``, the page's default quarter), then every quarter at every k of ``ks``."""
    productions = sorted(session.scalars(select(Production.id)))
    departments = sorted({d for d in session.scalars(select(Role.department)) if d})
    months = sorted(session.scalars(select(RollupPersonMonth.month_start).distinct()))
    months = [m if isinstance(m, dt.date) else dt.date.fromisoformat(str(m)[:10]) for m in months]
    queries = [Query("everything", Scope(viewer=viewer), None, k)]
    for p in productions:
        queries.append(Query(f"production {p}", Scope(productions=(p,), viewer=viewer), None, k))
        others = tuple(x for x in productions if x != p)
        if others:
            queries.append(Query(f"all productions but {p}", Scope(productions=others, viewer=viewer), None, k))
    for d in departments:
        queries.append(Query(f"department {d}", Scope(departments=(d,), viewer=viewer), None, k))
        queries.append(Query(f"all departments but {d}",
                             Scope(departments=tuple(x for x in departments if x != d), viewer=viewer), None, k))  # fmt: skip
    if months:
        first, last = months[0], month_end(months[-1])
        for m in months:
            queries.append(Query(f"{m:%Y-%m}", Scope(start=m, end=month_end(m), viewer=viewer), None, k))
            queries.append(Query(f"from the start to {m:%Y-%m}", Scope(start=first, end=month_end(m), viewer=viewer),
                                 None, k))  # fmt: skip
            queries.append(Query(f"{m:%Y-%m} to the end", Scope(start=m, end=last, viewer=viewer), None, k))
    for kk in ks:
        for quarter in quarters:
            queries.append(Query(f"quarter {quarter} at k={kk}", Scope(viewer=viewer), quarter, kk))
    return queries


def read_csv_export(data: bytes) -> pd.DataFrame:
    """A CSV download as the advocate's spreadsheet would see it, as text (the ``'`` that defuses a formula
    removed)."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header = [_unquote(c) for c in rows[0]] if rows else []
    return pd.DataFrame([[_unquote(c) for c in row] for row in rows[1:]], columns=header, dtype=object)


def read_xlsx_export(data: bytes) -> pd.DataFrame:
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = [_unquote(str(c)) for c in rows[0]] if rows else []
    return pd.DataFrame([[_unquote(c) if isinstance(c, str) else c for c in row] for row in rows[1:]],
                        columns=header, dtype=object)  # fmt: skip


def _unquote(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@", "\t", "\r") else text


def harvest(
    session: Session,
    queries: Iterable[Query],
    *,
    view: Callable[..., Any],
    set_k: Callable[[int], None],
    tables: Iterable[str] = tuple(TABLES),
) -> list[Answer]:
    """Ask ``view(session, scope=…, quarter=…)`` every query (``set_k`` puts its k in force first) and read every
    table back from its downloads. Identical downloads are kept once."""
    seen: set[tuple[str, bytes]] = set()
    answers = []
    for query in queries:
        set_k(query.k)
        result = view(session, scope=query.scope, quarter=query.quarter)
        for name in tables:
            frame = getattr(result, name, None)
            if frame is None or frame.empty:
                continue
            data = to_csv_bytes(frame)
            if (name, data) in seen:
                continue
            seen.add((name, data))
            published = read_csv_export(data)
            xlsx = read_xlsx_export(to_xlsx_bytes(frame, sheet_name=name))
            if list(xlsx.columns) != list(published.columns) or len(xlsx) != len(published):
                raise AssertionError(f"{name}: the XLSX download differs from the CSV one")
            answers.append(Answer(query=query, table=name, frame=published))
    return answers


# ---------------------------------------------------------------------------------------------------------------
# 2. Know the studio: tests/advocate_truth.py (Truth)


# ---------------------------------------------------------------------------------------------------------------
# 3. Solve


def attack(truth: Truth, answers: Iterable[Answer]) -> tuple[list[Leak], dict[str, int]]:
    """Every leak in ``answers``, and what was examined (answers, cells, families, targets)."""
    answers = list(answers)
    k = min(a.query.k for a in answers)
    linear: dict[tuple[str, str], _Cells] = defaultdict(_Cells)
    order: dict[tuple[str, str], _Cells] = defaultdict(_Cells)
    person_of: dict[tuple[str, Any], int] = {}
    values: dict[tuple[str, str], dict[Any, float]] = defaultdict(dict)
    leaks: list[Leak] = []
    stats = {"answers": len(answers), "cells": 0, "targets": 0}
    for row, person in zip(truth.rows["row"], truth.rows["person_id"], strict=True):
        person_of[("work-row", row)] = int(person)
    for stat in ("minutes", "ai_minutes"):
        values[(stat, "work-row")] = dict(zip(truth.rows["row"], truth.rows[stat].astype(float), strict=True))
    for answer in answers:
        kind, labels = TABLES[answer.table]
        units = truth.units(answer.table, answer.query)
        by_cell = {cell: part for cell, part in units.groupby("cell", sort=False)}
        columns = [c for c in answer.frame.columns if c not in LABELS]
        for c in columns:
            if c not in LINEAR and c not in ORDER and c not in COUNTS:
                raise AssertionError(f"{answer.table} publishes {c!r}: teach the attacker what it gives away")
        shown = set()
        for _, row in answer.frame.iterrows():
            cell = tuple(_label(row[label], label) for label in labels)
            part = by_cell.get(cell)
            if part is None:
                raise AssertionError(f"{answer.table} under {answer.query.label}: no cell {cell} in the records")
            shown.add(cell)
            stats["cells"] += 1
            for c in columns:
                expected, got = _recompute(c, part), float(row[c])
                if not np.isclose(expected, got, rtol=TOLERANCE, atol=TOLERANCE):
                    raise AssertionError(f"{answer.table}/{cell}/{c} under {answer.query.label}: published {got}, "
                                         f"the records give {expected}")  # fmt: skip
            people = part["person_id"].nunique()
            name = f"{answer.table} {cell} ({answer.query.label})"
            if people < k:
                leaks.append(Leak("small cell", (answer.table, kind), name, people))
            _register(part, kind, columns, name, linear, order, person_of, values, hidden=False)
        for cell, part in by_cell.items():
            if cell not in shown and part["person_id"].nunique() < k:
                _register(part, kind, columns, f"hidden {answer.table} {cell} ({answer.query.label})", linear, order,
                          person_of, values, hidden=True)  # fmt: skip
    for family, cells in linear.items():
        leaks += _solve(family, cells, person_of, values[family], k, stats)
    for family, cells in order.items():
        leaks += _near_duplicates(family, cells, person_of, k)
    stats["families"] = len(linear) + len(order)
    return leaks, stats


def _label(value: Any, label: str) -> Any:
    if label == "month":
        return _date(value)
    return value


def _register(part, kind, columns, name, linear, order, person_of, values, *, hidden: bool) -> None:
    for c in columns:
        for stat in LINEAR.get(c, ()):
            space = "work-row" if stat in ("minutes", "ai_minutes") else kind
            family = (stat, space)
            if space == "work-row":
                elements = frozenset(e for es in part["elements"] for e in es)
            else:
                elements = frozenset(part["unit"])
                for u, p in zip(part["unit"], part["person_id"], strict=True):
                    person_of[(space, u)] = int(p)
            _value_of(family, part, values)
            target = linear[family].hidden if hidden else linear[family].published
            target.setdefault(elements, name)
        if c in ORDER and not hidden:
            family = (ORDER[c], kind)
            for u, p in zip(part["unit"], part["person_id"], strict=True):
                person_of[(kind, u)] = int(p)
            order[family].published.setdefault(frozenset(part["unit"]), name)


def _value_of(family, part, values) -> None:
    stat, space = family
    if space == "work-row":
        return  # the work rows' values are filled in from the Truth once
    for u, v in zip(part["unit"], part[stat] if stat != "n" else [1.0] * len(part), strict=True):
        values[family][u] = float(v)


def _solve(family, cells: _Cells, person_of, values, k: int, stats: dict) -> list[Leak]:
    """Linear leaks of one family: hidden cells, units, people's units and small Venn regions in the row space."""
    if not cells.published:
        return []
    elements = sorted({e for s in list(cells.published) + list(cells.hidden) for e in s}, key=str)
    index = {e: i for i, e in enumerate(elements)}
    space = family[1]
    matrix = np.zeros((len(cells.published), len(elements)))
    for i, s in enumerate(cells.published):
        matrix[i, [index[e] for e in s]] = 1.0
    # The row space from the eigenvectors of the Gram matrix (cells × cells): much smaller than the units.
    eigenvalues, u = np.linalg.eigh(matrix @ matrix.T)
    keep = eigenvalues > 1e-9 * eigenvalues.max()
    u, singular = u[:, keep], np.sqrt(eigenvalues[keep])
    basis = (u.T @ matrix) / singular[:, None]
    # The orthogonal projection onto the row space: a set S is derivable when |S| - 1_S' P 1_S = |1_S - P 1_S|^2 = 0.
    projection = basis.T @ basis

    def people(members: Iterable[Any]) -> int:
        return len({person_of[(space, e)] for e in members})

    targets: list[tuple[str, frozenset]] = [(name, s) for s, name in cells.hidden.items()]
    for e in np.flatnonzero(np.diag(projection) > 1 - 1e-7):
        targets.append((f"one unit {elements[e]}", frozenset([elements[e]])))
    by_person: dict[int, set] = defaultdict(set)
    for e in elements:
        by_person[person_of[(space, e)]].add(e)
    for person, members in by_person.items():
        targets.append((f"all of person {person}'s units", frozenset(members)))
        for s, name in cells.published.items():
            mine = s & members
            if mine and mine != s:
                targets.append((f"person {person}'s units in {name}", frozenset(mine)))
    signature: dict[Any, list[int]] = defaultdict(list)
    for i, s in enumerate(cells.published):
        for e in s:
            signature[e].append(i)
    regions: dict[tuple[int, ...], set] = defaultdict(set)
    for e, sig in signature.items():
        regions[tuple(sig)].add(e)
    for sig, members in regions.items():
        if people(members) < k:
            targets.append((f"the part of cells {sig} in no other", frozenset(members)))
    stats["targets"] += len(targets)
    leaks = []
    for what, members in targets:
        ix = np.array([index[e] for e in members])
        if len(ix) - projection[np.ix_(ix, ix)].sum() < 1e-7:
            derived, truth = _derive(matrix, (u, singular, basis), index, members, values, elements)
            leaks.append(Leak("linear", family, what, people(members), derived, truth))
    return leaks


def _derive(matrix, svd, index, members, values, elements) -> tuple[float | None, float | None]:
    """The target's value solved from the published sums (coefficients y with y·cells = the target, applied to the
    cells' sums), and its true value (when the values are known)."""
    if not values:
        return None, None
    u, singular, basis = svd
    v = np.nan_to_num(np.array([values.get(e, np.nan) for e in elements]))
    t = np.zeros(len(elements))
    t[[index[e] for e in members]] = 1.0
    y = u @ ((basis @ t) / singular)
    return float(y @ (matrix @ v)), float(t @ v)


def _near_duplicates(family, cells: _Cells, person_of, k: int) -> list[Leak]:
    """Pairs of published cells of one order-statistic family that are near duplicates (see the module)."""
    space = family[1]
    sets = list(cells.published.items())
    elements = sorted({e for s, _ in sets for e in s}, key=str)
    index = {e: i for i, e in enumerate(elements)}
    persons = np.array([person_of[(space, e)] for e in elements])
    member = np.zeros((len(sets), len(elements)), dtype=bool)
    for i, (s, _) in enumerate(sets):
        member[i, [index[e] for e in s]] = True
    overlap = member.astype(np.int32) @ member.T.astype(np.int32)
    leaks = []
    for i, j in zip(*np.nonzero(np.triu(overlap, 1)), strict=True):
        only = [len(np.unique(persons[d])) for d in (member[i] & ~member[j], member[j] & ~member[i])]
        if max(only) < k:
            leaks.append(Leak("order", family, f"{sets[i][1]} vs {sets[j][1]}", max(only)))
    return leaks
