"""The attacker (tests/advocate_attacker.py) against the advocate's page on the demo studio, SQLite and PostgreSQL.

It asks everything an advocate can ask — every production and department filter and its complement, every
whole-month period from or to the edges of the data (so every pair of adjacent periods), every quarter at several
values of k — reads every table back from its CSV and XLSX downloads, and solves for hidden cells and for people.
Nothing may come out. Two controls show that it would: the old aggregates (any slice, means and person-month counts)
and the release stripped of complementary suppression and given back its means are both broken by the same code.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

import analytics.release as release_module
from analytics import anonymized
from analytics.advocate_view import advocate_view
from analytics.queries import own_log as own_q
from analytics.release import quarter_end, released_quarters
from data.schema import OwnLogAdvocateMonth, OwnLogEntry, RollupPersonDay
from tests import advocate_attacker
from tests.advocate_attacker import Truth, advocate_queries, attack, harvest

TODAY = dt.date(2026, 1, 15)  # every demo quarter (2024-11 … 2025-10) has ended


def _k_setter(monkeypatch: pytest.MonkeyPatch):
    return lambda k: monkeypatch.setenv("ENDROLL_K_ANONYMITY", str(k))


def opt_in_own_logs(session: Session, quarters: tuple[dt.date, ...]) -> int:
    """Own logs for most of the demo's artists, opted in to the advocates' figures, so that the reconciliation
    aggregate has cells to publish and to hide: two people in three opt in every month of the released quarters;
    their own log has each studio day, some longer (by 10 minutes, within the tolerance, or by 1–3 hours), a few
    shorter, and now and then a day the studio has no record of. Returns the number of people opted in."""
    first, last = min(quarters), quarter_end(max(quarters))
    d = RollupPersonDay
    days = session.execute(
        select(d.person_id, d.work_date, d.seconds).where(d.work_date.between(first, last), d.seconds > 0)
    ).all()
    entries, months = [], set()
    for person, day, seconds in days:
        if person % 3 == 0:
            continue
        day = dt.date.fromisoformat(str(day)[:10])
        months.add((person, day.replace(day=1)))
        extra = ((person * 7 + day.toordinal()) % 11 - 3) * 1800 if (person + day.day) % 4 else 600
        entries.append({"person_id": person, "work_date": day, "seconds": max(min(seconds + extra, 86400), 1800),
                        "break_seconds": 0, "origin": "typed"})  # fmt: skip
        if (person + day.toordinal()) % 13 == 0 and day.weekday() == 4:
            entries.append({"person_id": person, "work_date": day + dt.timedelta(days=1), "seconds": 4 * 3600,
                            "break_seconds": 0, "origin": "typed"})  # fmt: skip
    session.execute(insert(OwnLogEntry), entries)
    session.execute(insert(OwnLogAdvocateMonth), [{"person_id": p, "month_start": m} for p, m in sorted(months)])
    session.commit()
    return len({p for p, _ in months})


def test_nothing_hidden_and_no_one_can_be_solved_for(demo_session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    s = demo_session
    quarters = released_quarters(s, today=TODAY)
    assert opt_in_own_logs(s, quarters) > 20
    assert len(quarters) == 5
    queries = advocate_queries(s, quarters=quarters, ks=(5, 6, 7), k=5)
    answers = harvest(s, queries, view=lambda session, **kw: advocate_view(session, today=TODAY, **kw),
                      set_k=_k_setter(monkeypatch))  # fmt: skip
    leaks, examined = attack(Truth(s, today=TODAY), answers)
    assert leaks == []
    # What was tried (demo, seed 7): 3 productions and 16 departments with their complements, 12 months alone,
    # from the start and to the end, 5 quarters at k = 5, 6, 7.
    assert len(queries) == 1 + 2 * 3 + 2 * 16 + 3 * 12 + 3 * 5
    assert {a.table for a in answers} == {"hours_by_department", "hours_by_production", "hours_by_employment",
                                          "pay_by_employment", "pay_by_role", "monthly", "ai_by_month", "findings",
                                          "own_log_gap"}  # fmt: skip
    gap = [a for a in answers if a.table == "own_log_gap"]
    assert len(gap) >= 5 and all(a.frame["people"].astype(int).min() >= 5 for a in gap)
    assert examined["cells"] > 300 and examined["targets"] > 10_000 and examined["families"] >= 12


def test_the_attacker_breaks_the_old_aggregates(demo_session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Any slice, with means and person-month counts: two periods one month apart give away a hidden group."""
    s = demo_session
    monkeypatch.setenv("ENDROLL_K_ANONYMITY", "5")

    def old_view(session: Session, *, scope, quarter=None) -> SimpleNamespace:
        return SimpleNamespace(hours_by_department=anonymized.hours_distribution(session, scope=scope, by="department"))

    queries = [q for q in advocate_queries(s, quarters=(), ks=(), k=5) if q.label[:2] in ("20", "fr")][:6]
    answers = harvest(s, queries, view=old_view, set_k=lambda k: None, tables=("hours_by_department",))
    leaks, _ = attack(Truth(s, today=TODAY, semantics="filtered"), answers)
    hidden = [leak for leak in leaks if leak.kind == "linear" and leak.what.startswith("hidden")]
    november = next(leak for leak in hidden
                    if leak.family == ("minutes", "work-row") and "'direction'" in leak.what and "2024-11)" in leak.what)  # fmt: skip
    assert november.people < 5 and november.derived == pytest.approx(november.truth) and november.truth > 0


def test_the_attacker_breaks_a_release_with_means_and_no_complementary_suppression(
    demo_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = demo_session
    primary_only = {name: cells for name, cells in release_module.PUBLISHED.items()}
    primary_only["hours_by_employment"] = [*primary_only["hours_by_employment"], "mean_monthly_hours", "person_months"]
    monkeypatch.setattr(release_module, "PUBLISHED", primary_only)
    monkeypatch.setattr(release_module, "complementary", lambda people, k: {c for c, p in people.items() if len(p) < k})
    quarters = released_quarters(s, today=TODAY)
    queries = [q for q in advocate_queries(s, quarters=quarters, ks=(5,), k=5) if q.quarter is not None]
    answers = harvest(s, queries, view=lambda session, **kw: advocate_view(session, today=TODAY, **kw),
                      set_k=_k_setter(monkeypatch))  # fmt: skip
    leaks, _ = attack(Truth(s, today=TODAY), answers)
    solved = [leak for leak in leaks if leak.kind == "linear" and leak.what.startswith("hidden")]
    assert solved and all(leak.derived == pytest.approx(leak.truth) for leak in solved)
    assert any(leak.people == 1 for leak in solved), "one person's figures come out"


def test_the_attacker_breaks_the_own_log_share_published_twice_without_complementary_suppression(
    demo_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control for the reconciliation aggregate: the same share published a second time, by role alone, with
    only the cells under k hidden. A hidden (employment type, role) cell is then its role's sums less the role's
    shown cells — the attacker solves it and finds its true value."""
    s = demo_session
    quarters = released_quarters(s, today=TODAY)
    opt_in_own_logs(s, quarters)
    monkeypatch.setattr(release_module, "complementary", lambda people, k: {c for c, p in people.items() if len(p) < k})
    monkeypatch.setitem(advocate_attacker.TABLES, "own_log_gap_by_role",
                        ("own-log person-month", ("role",)))  # fmt: skip

    def by_role(session: Session, quarter: dt.date) -> object:
        days = own_q.advocate_days(session, start=quarter, end=quarter_end(quarter))
        pairs = sorted({(int(p), m) for p, m in zip(days["person_id"], days["month"], strict=True)})
        units = release_module.own_log_units(days, own_q.advocate_groups(session, units=pairs))
        table = units.groupby("role", as_index=False).agg(
            people=("person_id", "nunique"), missing=("missing_seconds", "sum"), own=("own_seconds", "sum")
        )
        table["share_missing_hours"] = table["missing"] / table["own"]
        return table.loc[table["people"] >= 5, ["role", "people", "share_missing_hours"]]

    def view(session: Session, *, scope, quarter=None) -> SimpleNamespace:
        return SimpleNamespace(own_log_gap=release_module.own_log_release(session, quarter=quarter, k=5)[0],
                               own_log_gap_by_role=by_role(session, quarter))  # fmt: skip

    queries = [q for q in advocate_queries(s, quarters=quarters, ks=(5,), k=5) if q.quarter is not None]
    answers = harvest(s, queries, view=view, set_k=lambda k: None,
                      tables=("own_log_gap", "own_log_gap_by_role"))  # fmt: skip
    leaks, _ = attack(Truth(s, today=TODAY), answers)
    solved = [leak for leak in leaks if leak.kind == "linear" and leak.what.startswith("hidden own_log_gap")]
    assert solved and all(leak.derived == pytest.approx(leak.truth) for leak in solved)
    assert {leak.family[1] for leak in solved} == {"own-log person-month"}
