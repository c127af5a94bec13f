"""Disclosure control on frames: complementary suppression and near duplicates (no database)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analytics.disclosure import complementary, near_duplicates, people_per_cell
from analytics.release import quarter_end, quarter_start


def people(**sizes: int) -> dict[str, frozenset[int]]:
    out, start = {}, 0
    for cell, n in sizes.items():
        out[cell] = frozenset(range(start, start + n))
        start += n
    return out


def test_a_hidden_cell_takes_the_next_smallest_with_it() -> None:
    # "post" alone (2 people) could be had by subtracting the shown cells from a total: "cg" (6) goes too.
    assert complementary(people(animation=40, cg=6, post=2, art=9), 5) == {"post", "cg"}
    # Two small cells that together reach k need no third.
    assert complementary(people(animation=40, cg=6, post=2, sound=3), 5) == {"post", "sound"}
    assert complementary(people(animation=40, cg=6), 5) == set()
    assert complementary(people(post=2, sound=1), 5) == {"post", "sound"}  # all hidden, however few


def test_the_union_counts_people_once() -> None:
    shared = {"a": frozenset({1, 2}), "b": frozenset({1, 2, 3}), "c": frozenset(range(10, 30))}
    # a and b hold three people between them, not five: c must go as well.
    assert complementary(shared, 5) == {"a", "b", "c"}


@given(st.dictionaries(st.sampled_from("abcdefgh"), st.integers(1, 12), min_size=1), st.integers(2, 9))
def test_a_larger_k_hides_at_least_what_a_smaller_one_hid(sizes: dict[str, int], k: int) -> None:
    """So that two releases at different k, read together, reveal nothing either hides."""
    cells = people(**sizes)
    smaller, larger = complementary(cells, k), complementary(cells, k + 1)
    assert smaller <= larger
    for hidden in (smaller, larger):
        union = set().union(*(cells[c] for c in hidden)) if hidden else set()
        assert not hidden or len(union) >= min(k, len(set().union(*cells.values())))
        assert all(len(cells[c]) >= k or c in hidden for c in cells)


def _units(rows: list[tuple[int, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["person_id", "x", "y"])


def test_a_nested_cell_that_differs_by_few_people_is_hidden() -> None:
    # y "all" = x "freelance" (20 people) plus 2 others: their medians side by side narrow the 2 down.
    rows = [(p, "freelance", "all") for p in range(20)] + [(20, "staff", "all"), (21, "staff", "all")]
    units = _units(rows)
    hide_x, hide_y = near_duplicates(units, x="x", y="y", shown_x={"freelance"}, shown_y={"all"}, k=5)
    assert (hide_x, hide_y) == ({"freelance"}, set())  # the smaller of the two
    hide_x, hide_y = near_duplicates(units, x="x", y="y", shown_x={"freelance"}, shown_y={"all"}, k=5, hide="x")
    assert hide_x == {"freelance"} and hide_y == set()
    # Hidden already on one side: nothing to compare.
    assert near_duplicates(units, x="x", y="y", shown_x=set(), shown_y={"all"}, k=5) == (set(), set())


def test_overlapping_cells_with_k_people_of_their_own_stay() -> None:
    # Both have at least 5 people the other lacks: what one says about the shared part is mixed with them.
    rows = [(p, "A", "B") for p in range(3)] + [(p, "A", "other") for p in range(3, 9)]
    rows += [(p, "rest", "B") for p in range(9, 15)]
    units = _units(rows)
    assert near_duplicates(units, x="x", y="y", shown_x={"A"}, shown_y={"B"}, k=5) == (set(), set())
    # "rest" lies inside "B" but for A's 3 people: a near duplicate, as is "other" inside "A".
    assert near_duplicates(units, x="x", y="y", shown_x={"A", "rest"}, shown_y={"B", "other"}, k=5) == (
        {"rest"}, {"other"})  # fmt: skip


def test_people_per_cell() -> None:
    units = _units([(1, "a", "y"), (1, "a", "z"), (2, "a", "y"), (3, "b", "y")])
    assert people_per_cell(units, "x") == {"a": frozenset({1, 2}), "b": frozenset({3})}
    assert people_per_cell(units.iloc[:0], "x") == {}


def test_calendar_quarters() -> None:
    import datetime as dt

    assert [quarter_start(dt.date(2025, m, 15)) for m in (1, 3, 4, 11)] == [
        dt.date(2025, 1, 1), dt.date(2025, 1, 1), dt.date(2025, 4, 1), dt.date(2025, 10, 1)]  # fmt: skip
    assert [quarter_end(dt.date(2025, m, 1)) for m in (1, 4, 7, 10)] == [
        dt.date(2025, 3, 31), dt.date(2025, 6, 30), dt.date(2025, 9, 30), dt.date(2025, 12, 31)]  # fmt: skip
