"""One Scope reaches every view: with two of three productions selected, every page shows exactly those two and the
findings are those of the people who worked on them (not the whole studio's); a department selects the people who
worked in its roles, findings included. On SQLite and PostgreSQL, through the views the pages call and the findings
command line."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pandas as pd
import pytest

from analytics.__main__ import main as cli
from analytics.advocate_view import AdvocateView, advocate_view
from analytics.ai_view import ai_use_view
from analytics.cost import cost_per_episode
from analytics.dashboard import findings_view, pay_view, workload_view
from analytics.findings import findings
from analytics.findings.snapshot import studio_findings
from analytics.overview import studio_overview
from analytics.scope import Scope
from data.identity import Identity
from data.schema import AiUsage, Person, Production, Service
from tests.analytics.builders import Studio

D = dt.date
MANAGER = Identity(username="<manager>", role="manager")


@dataclass
class ThreeProductions:
    """Alpha, Beta and Gamma, one episode of two cuts each. P-A draws key animation on Alpha, P-B backgrounds on
    Beta, P-C directs on Gamma, P-AC draws on Alpha (1–5 Oct) and directs on Gamma (6–20 Oct). Everyone is a
    freelancer working every day for two weeks or more (JP-OW-05), and every commission was paid late by a different
    number of days (JP-FL-02): P-A 2, P-B 3, P-C 4, P-AC 5 on Alpha and 6 on Gamma."""

    alpha: Production
    beta: Production
    gamma: Production
    people: dict[str, Person]

    def ids(self, *names: str) -> set[int]:
        return {self.people[n].id for n in names}


def build(session) -> ThreeProductions:
    st = Studio(session)
    alpha, beta, gamma = (st.production(t, episodes=1, cuts=2) for t in ("Alpha", "Beta", "Gamma"))
    key, bg, direction = st.role("key_animation"), st.role("background"), st.role("episode_director")
    people = {n: st.person(n, employment_type="freelancer") for n in ("P-A", "P-B", "P-C", "P-AC")}
    plan = [  # person, production, role, first day, days, days paid late
        ("P-A", alpha, key, D(2025, 10, 1), 15, 2),
        ("P-B", beta, bg, D(2025, 10, 1), 15, 3),
        ("P-C", gamma, direction, D(2025, 10, 1), 15, 4),
        ("P-AC", alpha, key, D(2025, 10, 1), 5, 5),
        ("P-AC", gamma, direction, D(2025, 10, 6), 15, 6),
    ]
    for name, production, role, first, days, late in plan:
        episode = st.episode(production)
        cut = st.cuts(episode)[0]
        st.days(people[name], first, days, 4, production=production, episode=episode, cut=cut, role=role,
                units=2, ai=0.5 if name == "P-A" else 0.0)  # fmt: skip
        st.pay(people[name], 40_000, D(2025, 10, 1), D(2025, 10, 31), production=production, episode=episode,
               role=role, units=10, commission_date=D(2025, 10, 1), terms_issued_date=D(2025, 10, 1),
               delivery_date=D(2025, 10, 31), due_date=D(2025, 11, 30), paid_date=D(2025, 11, 30) + dt.timedelta(late))  # fmt: skip
    service = Service(name="BG model", match_key="bg model", kind="generative_image")
    session.add(service)
    session.flush()
    for production, operator in ((alpha, "P-A"), (gamma, "P-C")):
        session.add(AiUsage(asset_path=f"bg/{production.title}.png", service_id=service.id, production_id=production.id,
                            operator_id=people[operator].id, created_at=dt.datetime(2025, 10, 3, 12)))  # fmt: skip
    st.commit()
    return ThreeProductions(alpha, beta, gamma, people)


def assert_same_release(filtered: AdvocateView, whole: AdvocateView) -> None:
    """The advocate's aggregates are the one exception to the sidebar: a fixed quarterly release that no filter
    narrows, so that two views cannot be subtracted (tests/analytics/test_advocate_attack.py plays the attacker)."""
    assert filtered.quarter == whole.quarter is not None and filtered.quarters == whole.quarters
    for name in ("hours_by_department", "hours_by_production", "hours_by_employment", "pay_by_employment",
                 "pay_by_role", "monthly", "ai_by_month", "findings"):  # fmt: skip
        pd.testing.assert_frame_equal(getattr(filtered, name), getattr(whole, name))
    assert filtered.suppressed == whole.suppressed


def late_days(found: pd.DataFrame) -> list[float]:
    return sorted(found.loc[found["rule_id"] == "JP-FL-02", "measured_value"])


def test_two_productions_reach_every_view_and_the_findings(session) -> None:
    s = build(session)
    two = Scope(productions=(s.alpha.id, s.beta.id), viewer=MANAGER)
    shown = {s.alpha.id, s.beta.id}

    overview = studio_overview(session, scope=two)
    assert set(overview.productions["production_id"]) == shown
    assert (overview.headline["hours"], overview.headline["people"]) == (15 * 4 + 15 * 4 + 5 * 4, 3)

    workload = workload_view(session, scope=two)
    assert set(workload.weekly["name"]) == {"P-A", "P-B", "P-AC"} and workload.people_total == 3
    hours = workload.by_department.groupby("department")["hours"].sum().to_dict()
    assert hours == {"animation": 80.0, "art": 60.0}  # P-AC's directing on Gamma is not a row of the scope
    assert set(workload.overtime["name"]) == {"P-A", "P-B", "P-AC"}

    pay = pay_view(session, scope=two)
    assert set(pay.monthly["name"]) == {"P-A", "P-B", "P-AC"}
    assert set(pay.piece_rates["role"]) == {"Key Animation", "Background Art"}

    ai = ai_use_view(session, scope=two)
    assert set(ai.by_production["production_id"]) == shown
    assert set(ai.cuts["production_id"]) == shown
    assert ai.by_month["hours"].sum() == 140.0 and ai.by_month["ai_hours"].sum() == 30.0
    assert ai.ledger["production"].tolist() == ["Alpha"] and ai.ledger_total == 1

    assert_same_release(advocate_view(session, scope=two), advocate_view(session, scope=Scope(viewer=MANAGER)))

    assert set(cost_per_episode(session, scope=two)["production_id"]) == shown

    # Findings: the people who worked on Alpha or Beta, with the Freelance Act findings about those productions'
    # commissions only; exactly the matching rows of the whole studio's findings.
    whole = findings(session)
    assert set(whole["person"]) == {"P-A", "P-B", "P-C", "P-AC"} and late_days(whole) == [2, 3, 4, 5, 6]
    selected = studio_findings(session, scope=two)
    pd.testing.assert_frame_equal(selected, findings(session, scope=two))
    assert set(selected["person"]) == {"P-A", "P-B", "P-AC"}
    assert late_days(selected) == [2, 3, 5]
    expected = whole[whole["person_id"].isin(s.ids("P-A", "P-B", "P-AC"))]
    expected = expected[(expected["rule_id"] != "JP-FL-02") | (expected["measured_value"] != 6)]
    pd.testing.assert_frame_equal(selected, expected.reset_index(drop=True))
    view = findings_view(session, scope=two)
    assert view.error is None
    assert set(view.hours["person"]) == {"P-A", "P-B", "P-AC"} and late_days(view.pay) == [2, 3, 5]


@pytest.mark.parametrize(
    ("departments", "people", "late"),
    [
        (("art",), {"P-B"}, [3]),
        (("animation",), {"P-A", "P-AC"}, [2, 5, 6]),
        (("art", "direction"), {"P-B", "P-C", "P-AC"}, [3, 4, 5, 6]),
    ],
)
def test_departments_reach_every_view_and_the_findings(session, departments, people, late) -> None:
    build(session)
    scope = Scope(departments=departments, viewer=MANAGER)

    found = studio_findings(session, scope=scope)
    pd.testing.assert_frame_equal(found, findings(session, scope=scope))
    assert set(found["person"]) == people
    assert late_days(found) == late  # a department selects people, with all their commissions
    assert set(findings_view(session, scope=scope).hours["person"]) == people

    workload = workload_view(session, scope=scope)
    assert set(workload.weekly["name"]) == people
    assert set(workload.by_department["department"]) == set(departments)
    assert set(pay_view(session, scope=scope).monthly["name"]) == people
    assert set(ai_use_view(session, scope=scope).by_department["department"]) == set(departments)
    assert_same_release(advocate_view(session, scope=scope), advocate_view(session, scope=Scope(viewer=MANAGER)))
    rows = {"art": 60.0, "animation": 80.0, "direction": 120.0}
    assert studio_overview(session, scope=scope).headline["hours"] == sum(rows[d] for d in departments)


def test_a_production_and_a_department_together_mean_both(session) -> None:
    s = build(session)
    both = Scope(productions=(s.gamma.id,), departments=("direction",), start=D(2025, 10, 1), end=D(2025, 10, 31))
    found = findings(session, scope=both)
    assert set(found["person"]) == {"P-C", "P-AC"} and late_days(found) == [4, 6]
    # P-AC drew on Alpha, but not in a direction role: no one worked on Alpha in direction.
    assert findings(session, scope=both.replace(productions=(s.alpha.id,))).empty


def test_the_findings_command_line_takes_several_productions_and_departments(engine, session, capsys) -> None:
    build(session)
    url = engine.url.render_as_string(hide_password=False)
    period = ["--from", "2025-10-01", "--to", "2025-12-31", "--database-url", url, "--format", "json"]

    def persons(*flags: str) -> set[str]:
        assert cli(["findings", *flags, *period]) == 0
        return {row["person"] for row in json.loads(capsys.readouterr().out)}

    assert persons("--production", "Alpha", "--production", "Beta") == {"P-A", "P-B", "P-AC"}
    assert persons("--department", "art") == {"P-B"}
    assert persons("--department", "art", "--department", "animation") == {"P-A", "P-B", "P-AC"}
    assert persons("--production", "Gamma", "--department", "direction") == {"P-C", "P-AC"}
    assert cli(["findings", "--department", "colour", "--database-url", url]) == 2
    err = capsys.readouterr().err
    assert "no department 'colour': choose from " in err and "animation" in err
    assert cli(["findings", "--from", "2025-10-31", "--to", "2025-10-01", "--database-url", url]) == 2
    assert "after it ends on 2025-10-01: swap --from and --to" in capsys.readouterr().err
