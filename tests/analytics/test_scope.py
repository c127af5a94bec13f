"""The Scope itself and the read side's errors: pure, no database."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from analytics.access import ensure_can_view_person, ensure_role
from analytics.errors import AccessDenied, AnalyticsError, PeriodReversed, ProductionNotFound
from analytics.scope import Scope
from data.errors import EndrollError
from data.identity import Identity

D = dt.date
HANAKO = Identity(username="hanako", role="artist", person_id=7)
BOSS = Identity(username="boss", role="manager", display_name="Boss")


def test_two_scopes_that_select_the_same_records_are_equal_and_share_a_cache_key() -> None:
    a = Scope(productions=[3, 1, 3], departments=["art", "animation"], people=[5, 2])
    b = Scope(productions=(1, 3), departments=("animation", "art", "art"), people=(2, 5))
    assert a == b and hash(a) == hash(b)
    assert (a.productions, a.departments, a.people) == ((1, 3), ("animation", "art"), (2, 5))
    assert Scope(people=[]) != Scope()  # nobody is not everybody
    assert pickle.loads(pickle.dumps(a)) == a  # the page cache pickles its arguments


def test_what_a_scope_selects() -> None:
    assert not Scope(start=D(2025, 1, 1)).selects_people and not Scope().selects_rows
    assert Scope(people=[1]).selects_people and not Scope(people=[1]).selects_rows
    assert Scope(departments=["art"]).selects_rows and Scope(productions=[2]).selects_people
    assert Scope(start=D(2025, 10, 20)).first_month == D(2025, 10, 1) and Scope().first_month is None
    assert Scope(people=[4]).person == 4 and Scope(productions=[9]).production == 9
    for scope in (Scope(), Scope(people=[1, 2])):
        with pytest.raises(AnalyticsError, match="about one person"):
            _ = scope.person
    with pytest.raises(AnalyticsError, match="about one production, but the scope selects all of them"):
        _ = Scope().production


def test_for_role_keeps_only_the_role_so_one_cached_result_serves_it() -> None:
    scope = Scope(productions=[1], viewer=BOSS)
    other = Scope(productions=[1], viewer=Identity(username="chief", role="manager"))
    assert scope.for_role() == other.for_role() and scope.for_role() != scope
    assert scope.for_role().viewer.role == "manager" and scope.for_role().productions == (1,)
    assert Scope().for_role() == Scope()


def test_narrowing_and_widening() -> None:
    scope = Scope(productions=[1], people=[1, 2, 3], start=D(2025, 1, 1), viewer=BOSS)
    assert scope.narrowed_to([2, 3, 4]).people == (2, 3)
    assert Scope().narrowed_to([4, 2]).people == (2, 4)
    assert scope.studio_wide() == Scope(start=D(2025, 1, 1), viewer=BOSS)
    assert scope.replace(end=D(2025, 2, 1)).end == D(2025, 2, 1)


def test_a_reversed_period_says_what_to_do_in_the_words_of_each_place() -> None:
    with pytest.raises(PeriodReversed) as caught:
        Scope(start=D(2025, 2, 1), end=D(2025, 1, 1))
    error = caught.value
    assert isinstance(error, AnalyticsError) and isinstance(error, EndrollError)
    assert str(error) == "the period starts on 2025-02-01 after it ends on 2025-01-01: swap --from and --to"
    assert error.message("page") == (
        "the period starts on 2025-02-01 after it ends on 2025-01-01: swap From and To in the sidebar"
    )
    assert "--" not in error.message("page")
    assert pickle.loads(pickle.dumps(error)).message("page") == error.message("page")


def test_errors_keep_the_kind_code_may_ask_for() -> None:
    assert issubclass(AccessDenied, PermissionError) and issubclass(ProductionNotFound, LookupError)
    with pytest.raises(PermissionError, match="only their own record, not person 8"):
        ensure_can_view_person(HANAKO, 8)
    ensure_can_view_person(HANAKO, 7)
    ensure_can_view_person(BOSS, 8)
    with pytest.raises(AccessDenied, match="aggregates only"):
        ensure_can_view_person(Identity(username="a", role="advocate"), 7)
    with pytest.raises(AccessDenied) as caught:
        ensure_role(HANAKO, "manager", "advocate")
    assert caught.value.message("page") == (
        "this needs the manager or advocate role; hanako is artist: sign in with an account that has that role"
    )
    with pytest.raises(AccessDenied, match="nobody is signed in"):
        ensure_role(None, "manager")
    assert ensure_role(BOSS, "manager") is BOSS
