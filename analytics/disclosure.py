"""Disclosure control for the advocate's release: which cells of a table may be shown. Pure functions on frames.

A *cell* is one row of a published table (a group in a quarter, a month) and stands for a set of *units*: the
person-months (or person-month-department rows, or findings) its figures are computed from. Three rules, applied in
this order by :mod:`analytics.release`:

1. **k**: a cell of fewer than k distinct people is hidden (primary suppression).
2. **Complementary suppression**: when a table hides any cell, the hidden cells of that table together must hold at
   least k distinct people, or a total published elsewhere (the months of the over-time table cover the same
   person-months as the employment types) minus the shown cells would give the hidden one. The cells are ranked by
   people (then by key) and the smallest are hidden until that holds, so the cells hidden at a larger k always
   include those hidden at a smaller one: releases at two values of k reveal nothing neither reveals alone.
3. **No near duplicates**: two shown cells that measure the same quantity over the same kind of unit (pay per hour
   by employment type and by role; whole-month hours by employment type and by month) must not be nearly the same
   set: when each has fewer than k people the other lacks (and they are not equal), comparing their medians and
   quartiles narrows down those few people's values. One of the two is hidden (:func:`near_duplicates`). Two cells
   that overlap but each have k or more people of their own are safe: what one says about the shared part is mixed
   with at least k people the other does not contain.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import pandas as pd

Key = Hashable


def people_per_cell(units: pd.DataFrame, key: str) -> dict[Key, frozenset[int]]:
    """The distinct ``person_id`` values of ``units`` per value of its ``key`` column."""
    if units.empty:
        return {}
    # Distinct ids first, as Python ints in one call: building the sets value by value cost 0.2 s of the
    # advocate's page at 5 million work logs.
    return {cell: frozenset(people.unique().tolist()) for cell, people in units.groupby(key, sort=False)["person_id"]}


def complementary(people: Mapping[Key, frozenset[int]], k: int) -> set[Key]:
    """The cells to hide from a table whose cells hold ``people``: every cell under ``k`` people, and then the next
    smallest until the hidden cells together hold at least ``k`` people (or every cell is hidden). Ties in size are
    broken by the key's text, so the result is the same on every run and for every caller."""
    order = sorted(people, key=lambda cell: (len(people[cell]), str(cell)))
    hidden: set[Key] = set()
    union: set[int] = set()
    for cell in order:
        if len(people[cell]) >= k and (not hidden or len(union) >= k):
            break
        hidden.add(cell)
        union |= people[cell]
    return hidden


def near_duplicates(
    units: pd.DataFrame,
    *,
    x: str,
    y: str,
    shown_x: set[Key],
    shown_y: set[Key],
    k: int,
    hide: str = "smaller",
) -> tuple[set[Key], set[Key]]:
    """Cells to hide so that no shown cell of grouping ``x`` and shown cell of grouping ``y`` (two columns of
    ``units``, one row per unit with its ``person_id``) are near duplicates: different, yet each with fewer than k
    people the other lacks.

    ``hide``: ``"smaller"`` hides the cell with fewer people (the ``y`` cell on a tie), ``"x"`` always the ``x``
    cell (when the ``y`` table is shared by several releases and must not depend on this one). Returns the cells
    of ``x`` and of ``y`` to hide.
    """
    if units.empty or not shown_x or not shown_y:
        return set(), set()
    people_x = units.groupby(x, sort=False)["person_id"].nunique()
    people_y = units.groupby(y, sort=False)["person_id"].nunique()
    inside_xy = _wholly_inside(units, x, y)
    inside_yx = _wholly_inside(units, y, x)
    pairs = units[[x, y]].drop_duplicates()
    conflicts = []
    for a, b in zip(pairs[x], pairs[y], strict=True):
        if a not in shown_x or b not in shown_y:
            continue
        only_a = people_x[a] - inside_xy.get((a, b), 0)  # people with units in a outside b
        only_b = people_y[b] - inside_yx.get((b, a), 0)
        if only_a < k and only_b < k and (only_a or only_b):
            conflicts.append((max(only_a, only_b), str(a), str(b), a, b))
    hide_x: set[Key] = set()
    hide_y: set[Key] = set()
    for _, _, _, a, b in sorted(conflicts, key=lambda c: c[:3]):
        if a in hide_x or b in hide_y:
            continue
        if hide == "x" or (hide == "smaller" and people_x[a] < people_y[b]):
            hide_x.add(a)
        else:
            hide_y.add(b)
    return hide_x, hide_y


def _wholly_inside(units: pd.DataFrame, outer: str, inner: str) -> dict[tuple[Key, Key], int]:
    """(cell of ``outer``, cell of ``inner``) → how many people have all their units of the first in the second."""
    per_person = units.groupby([outer, "person_id"], sort=False)[inner].agg(["nunique", "first"])
    single = per_person[per_person["nunique"] == 1]
    counts = single.groupby([single.index.get_level_values(0), single["first"]]).size()
    return {(a, b): int(n) for (a, b), n in counts.items()}
