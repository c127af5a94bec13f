"""The own log reconciled with the studio's record, worked by hand (issue 20), and who may see it; on both databases.
The day states on frames run without a database."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from analytics.errors import AccessDenied
from analytics.own_log import day_states, reconcile, shared_periods
from analytics.scope import Scope
from data.identity import Identity
from services.own_log import Day, add_day, share_period
from tests.analytics.builders import Studio

APRIL = (dt.date(2025, 4, 1), dt.date(2025, 4, 30))
BOSS = Identity(username="boss", role="manager")
# The first 20 weekdays of April 2025 (1–4, 7–11, 14–18, 21–25, 28): no week over five days.
WORKDAYS = [d.date() for d in pd.bdate_range("2025-04-01", "2025-04-30")][:20]
TOKYO_MW_APRIL_2025 = 1163.0  # FY2024 Tokyo rate, in force 2024-10-01 → 2025-10-02 (data/seed/minimum_wages.csv)


def _scope(person_id: int, viewer: Identity | None, period: tuple[dt.date, dt.date] = APRIL) -> Scope:
    return Scope(people=(person_id,), start=period[0], end=period[1], viewer=viewer)


def test_day_states_on_frames() -> None:
    d = [dt.date(2025, 4, n) for n in range(1, 6)]
    own = pd.DataFrame({"work_date": d[:4], "seconds": [8 * 3600, 10 * 3600, 8 * 3600 + 600, 6 * 3600]})
    studio = pd.DataFrame({"work_date": [d[0], d[1], d[2], d[3], d[4]][:2] + [d[2], d[3], d[4]],
                           "seconds": [8 * 3600, 8 * 3600, 8 * 3600, 8 * 3600, 3 * 3600]})  # fmt: skip
    days = day_states(own.iloc[[0, 1, 2, 3]], studio)
    assert days["state"].tolist() == ["matched", "studio_less", "matched", "studio_more", "only_studio"]
    assert days["difference_hours"].tolist() == pytest.approx([0, 2, 600 / 3600, -2, -3])
    only = day_states(pd.DataFrame({"work_date": [d[0]], "seconds": [3600]}), studio.iloc[0:0])
    assert only["state"].tolist() == ["only_own"]


def test_an_employee_with_12_more_hours_than_the_studio_records(session: Session) -> None:
    """Piece pay ¥190,000 (an employee on 歩合): the studio records 20 days × 8 h = 160 h; her own log 12 of those
    days at 9 h → 172 h. Her count: 12 h of daily overtime (no day over 40 h a week on straight time), owed 25 % on
    the premium base 190,000 ÷ 172 = 1,104.65/h → ¥3,313.95; and the minimum-wage base falls from 1,187.50/h (above
    Tokyo's ¥1,163) to 1,104.65/h, a shortfall of (1,163 − 1,104.65) × 172 = ¥10,036.00. The studio's count owes
    neither."""
    studio = Studio(session)
    hanako = studio.person("山田 花子")
    for day in WORKDAYS:
        studio.work(hanako, day, 8)
    studio.pay(hanako, 190000, *APRIL, basis="per_cut")
    studio.commit()
    me = Identity(username="hanako", role="artist", person_id=hanako.id)
    for i, day in enumerate(WORKDAYS):
        add_day(session, me, person_id=hanako.id, day=Day(day, hours=9 if i < 12 else 8))
    session.commit()

    found = reconcile(session, scope=_scope(hanako.id, me))
    assert found.totals == {"own_hours": 172.0, "studio_hours": 160.0, "difference_hours": 12.0}
    assert found.days["state"].value_counts().to_dict() == {"studio_less": 12, "matched": 8}
    money = found.money.iloc[0]
    assert money["basis"] == "employee" and money["currency"] == "JPY"
    assert (money["own_overtime_hours"], money["studio_overtime_hours"]) == (12.0, 0.0)
    assert money["own_premiums"] == pytest.approx(0.25 * 190000 / 172 * 12)
    assert money["own_premiums"] == pytest.approx(3313.95, abs=0.01)
    assert money["studio_premiums"] == 0.0
    assert money["premiums_difference"] == pytest.approx(3313.95, abs=0.01)
    assert money["mw_per_hour"] == TOKYO_MW_APRIL_2025
    assert (money["studio_mw_base"], money["own_mw_base"]) == (pytest.approx(1187.5), pytest.approx(190000 / 172))
    assert money["studio_shortfall"] == 0.0
    assert money["own_shortfall"] == pytest.approx((1163 - 190000 / 172) * 172)
    assert money["shortfall_difference"] == pytest.approx(10036.0, abs=0.01)


def test_a_freelancer_450_sheets_at_220_yen(session: Session) -> None:
    """450 sheets at ¥220 = ¥99,000 for the month: over the artist's 200 h, ¥495/h; over the studio's 150 h, ¥660/h."""
    studio = Studio(session)
    jiro = studio.person("佐藤 次郎", employment_type="freelancer")
    for day in WORKDAYS:
        studio.work(jiro, day, 7.5)
    item = studio.pay(jiro, 99000, *APRIL, basis="per_sheet")
    item.units, item.unit_rate = 450, 220
    studio.commit()
    me = Identity(username="jiro", role="artist", person_id=jiro.id)
    for day in WORKDAYS:
        add_day(session, me, person_id=jiro.id, day=Day(day, hours=10))
    session.commit()

    money = reconcile(session, scope=_scope(jiro.id, me)).money.iloc[0]
    assert money["basis"] == "freelancer"
    assert (money["own_hours"], money["studio_hours"]) == (200.0, 150.0)
    assert money["pay_amount"] == 99000
    assert (money["own_per_hour"], money["studio_per_hour"]) == (pytest.approx(495.0), pytest.approx(660.0))


def test_a_day_only_in_the_artists_log(session: Session) -> None:
    """A Saturday the studio has no record of: only the artist's side, and its hours are the whole difference."""
    studio = Studio(session)
    hanako = studio.person("山田 花子")
    studio.work(hanako, dt.date(2025, 4, 4), 8)
    studio.commit()
    me = Identity(username="hanako", role="artist", person_id=hanako.id)
    add_day(session, me, person_id=hanako.id, day=Day(dt.date(2025, 4, 4), hours=8))
    add_day(session, me, person_id=hanako.id, day=Day(dt.date(2025, 4, 5), start=dt.time(13), end=dt.time(19)))
    found = reconcile(session, scope=_scope(hanako.id, me))
    assert found.days[["work_date", "state"]].values.tolist() == [
        [dt.date(2025, 4, 4), "matched"],
        [dt.date(2025, 4, 5), "only_own"],
    ]
    assert found.totals["difference_hours"] == 6.0


def test_a_manager_sees_a_shared_period_and_not_an_unshared_one(session: Session) -> None:
    studio = Studio(session)
    hanako = studio.person("山田 花子")
    studio.work(hanako, dt.date(2025, 4, 4), 8)
    studio.commit()
    me = Identity(username="hanako", role="artist", person_id=hanako.id)
    add_day(session, me, person_id=hanako.id, day=Day(dt.date(2025, 4, 4), hours=11))
    with pytest.raises(AccessDenied, match="has not shared"):
        reconcile(session, scope=_scope(hanako.id, BOSS))
    share_period(session, me, person_id=hanako.id, start=APRIL[0], end=APRIL[1])
    session.commit()
    seen = reconcile(session, scope=_scope(hanako.id, BOSS))
    assert seen.shared and seen.days["state"].tolist() == ["studio_less"]
    # May was not shared: refused, although April was.
    with pytest.raises(AccessDenied, match="has not shared"):
        reconcile(session, scope=_scope(hanako.id, BOSS, (dt.date(2025, 4, 1), dt.date(2025, 5, 31))))
    for other in (Identity(username="rep", role="advocate"), Identity(username="x", role="artist", person_id=999),
                  None):  # fmt: skip
        with pytest.raises(AccessDenied):
            reconcile(session, scope=_scope(hanako.id, other))
    listed = shared_periods(session, scope=Scope(viewer=BOSS))
    assert listed[["person", "period_start", "period_end"]].values.tolist() == [["山田 花子", *APRIL]]
    with pytest.raises(AccessDenied):
        shared_periods(session, scope=Scope(viewer=me))
