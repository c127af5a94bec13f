"""The advocates' aggregate of reconciliation (issue 20), worked by hand: only the months artists opted in, the
share of own-logged hours missing from the studio's records by employment type and role, no group under k; and the
artist's opt-in (only the artist, only while the quarter is open). On both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.advocate_view import advocate_view
from analytics.errors import AccessDenied
from analytics.own_log_entries import my_advocate_months
from analytics.release import own_log_release
from analytics.scope import Scope
from data.identity import Identity
from data.schema import AuditEvent, OwnLogAdvocateMonth
from services.errors import PermissionDenied, ValidationError
from services.own_log import Day, add_day
from services.own_log_advocates import opt_in, opt_out
from tests.analytics.builders import Studio

Q2 = dt.date(2025, 4, 1)
IN_Q2 = dt.date(2025, 5, 20)  # a day inside the quarter: opting in is open
MON, TUE, SAT = dt.date(2025, 4, 7), dt.date(2025, 4, 8), dt.date(2025, 4, 12)


def _studio(session: Session) -> dict[str, Identity]:
    """Five employees, each 8 h on Monday and Tuesday in the studio's record. Their own logs:
    A 10 h + 8 h (2 h missing of 18), B 8 h + 8 h + Saturday 4 h (4 h missing of 20), C 8 h 10 min + 8 h (10 minutes
    within the tolerance: none missing of 16 h 10 min), D 12 h + 12 h but not opted in, E 12 h + 12 h opted in for
    July only. Share for A, B, C: 6 / 54.1667 = 0.110769."""
    studio = Studio(session)
    people = {name: studio.person(f"artist {name}") for name in "ABCDE"}
    for person in people.values():
        studio.work(person, MON, 8)
        studio.work(person, TUE, 8)
    studio.commit()
    me = {n: Identity(username=n, role="artist", person_id=p.id) for n, p in people.items()}
    own = {"A": [(MON, 10), (TUE, 8)], "B": [(MON, 8), (TUE, 8), (SAT, 4)], "C": [(MON, 8 + 10 / 60), (TUE, 8)],
           "D": [(MON, 12), (TUE, 12)], "E": [(MON, 12), (TUE, 12)]}  # fmt: skip
    for name, days in own.items():
        for day, hours in days:
            add_day(session, me[name], person_id=people[name].id, day=Day(day, hours=hours))
    for name in "ABC":
        opt_in(session, me[name], person_id=people[name].id, month=MON, today=IN_Q2)
    opt_in(session, me["E"], person_id=people["E"].id, month=dt.date(2025, 7, 1), today=IN_Q2)
    session.commit()
    return me


def test_the_share_missing_over_the_months_opted_in(session: Session) -> None:
    _studio(session)
    table, hidden = own_log_release(session, quarter=Q2, k=3)
    assert hidden == 0
    assert table.to_dict("records") == [{"employment_type": "employee_regular", "role": "unassigned", "people": 3,
                                         "share_missing_hours": pytest.approx(6 / (18 + 20 + 16 + 10 / 60))}]  # fmt: skip
    assert table["share_missing_hours"].iloc[0] == pytest.approx(0.110769, abs=1e-6)
    # One more than the group holds: hidden, and nothing else is published.
    table, hidden = own_log_release(session, quarter=Q2, k=4)
    assert table.empty and hidden == 1
    assert own_log_release(session, quarter=dt.date(2025, 1, 1), k=3)[0].empty
    assert own_log_release(session, quarter=None, k=3)[0].empty


def test_the_advocate_view_holds_it_under_the_k_floor(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """The advocate's page reads it at the studio's k, never under the floor of 5: the three artists' group is
    hidden."""
    _studio(session)
    monkeypatch.setenv("ENDROLL_K_ANONYMITY", "5")
    view = advocate_view(session, scope=Scope(viewer=Identity(username="rep", role="advocate")), quarter=Q2,
                         today=dt.date(2026, 1, 15))  # fmt: skip
    assert list(view.own_log_gap.columns) == ["employment_type", "role", "people", "share_missing_hours"]
    assert view.own_log_gap.empty and view.suppressed["own_log_gap"] == 1


def test_only_the_artist_opts_in_and_only_while_the_quarter_is_open(session: Session) -> None:
    me = _studio(session)
    a = me["A"]
    for other in (Identity(username="boss", role="manager"), Identity(username="rep", role="advocate"), me["B"]):
        with pytest.raises(PermissionDenied):
            opt_in(session, other, person_id=a.person_id, month=MON, today=IN_Q2)
        with pytest.raises(PermissionDenied):
            opt_out(session, other, person_id=a.person_id, month=MON)
    with pytest.raises(ValidationError, match="2025-04"):
        opt_in(session, a, person_id=a.person_id, month=MON, today=dt.date(2025, 7, 1))
    assert opt_in(session, a, person_id=a.person_id, month=TUE, today=IN_Q2).month_start == dt.date(2025, 4, 1)
    assert my_advocate_months(session, scope=Scope(people=(a.person_id,), viewer=a)) == [dt.date(2025, 4, 1)]
    with pytest.raises(AccessDenied):
        my_advocate_months(session, scope=Scope(people=(a.person_id,), viewer=me["B"]))
    # Taking it back is always possible.
    assert opt_out(session, a, person_id=a.person_id, month=MON)
    assert not opt_out(session, a, person_id=a.person_id, month=MON)
    session.commit()
    assert session.scalars(select(OwnLogAdvocateMonth.person_id)).all().count(a.person_id) == 0
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "A")).all()
    assert actions.count("own_log.advocate_opt_in") == 1 and actions.count("own_log.advocate_opt_out") == 1
