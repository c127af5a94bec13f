"""The artist's own tools on My record (issue 20): change a day of the own log and delete it, see the Freelance Act
facts of the month, make the dated report and find its digest checks out. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from analytics.own_log_report import digest, report_json, verify_report
from app_pages._own_log_artist import REPORT_KEY
from data.identity import Identity
from data.schema import OwnLogAdvocateMonth, OwnLogEntry
from services.own_log import Day, add_day
from tests.app_fixtures import all_text, sign_in


def _january(at):
    at.date_input(key="own_month").set_value(dt.date(2025, 1, 15)).run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    return at


def test_the_artist_changes_a_day_then_deletes_it(studio: dict[str, int], engine: Engine) -> None:
    me = Identity(username="artist", role="artist", person_id=studio["artist"])
    with Session(engine) as s:
        entry = add_day(s, me, person_id=studio["artist"], day=Day(dt.date(2025, 1, 6), hours=12.5, role="原画"))
        s.commit()
        entry_id = entry.id
    at = _january(sign_in("artist"))
    assert at.selectbox(key="own_edit_pick").value == entry_id
    at.number_input(key=f"own_edit_hours_{entry_id}").set_value(11.0)
    at.text_input(key=f"own_edit_note_{entry_id}").input("retakes of cut 12")
    at.button(key=f"FormSubmitter:own_edit_{entry_id}-Save the changes").click().run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    assert "The day is changed." in [s.value for s in at.success]
    with Session(engine) as s:
        changed = s.get(OwnLogEntry, entry_id)
        assert (changed.seconds, changed.note, changed.role) == (11 * 3600, "retakes of cut 12", "原画")
    at.run()
    days = next(at.dataframe[i].value for i in range(len(at.dataframe)) if "state" in at.dataframe[i].value)
    assert days.iloc[0]["own_hours"] == 11.0  # the reconciliation reads the changed day

    # Deleting asks first: the button does nothing until the box is ticked.
    assert at.button(key=f"own_delete_{entry_id}").disabled
    at.checkbox(key=f"own_delete_sure_{entry_id}").check().run()
    at.button(key=f"own_delete_{entry_id}").click().run()
    assert not at.exception and not at.error
    assert "The day is deleted from your log." in [s.value for s in at.success]
    with Session(engine) as s:
        assert s.scalars(select(OwnLogEntry)).all() == []
    at.run()
    assert "Your log has no day in this month yet." in all_text(at)


def test_the_artist_sees_the_freelance_act_facts_and_makes_a_report(studio: dict[str, int], engine: Engine) -> None:
    me = Identity(username="artist", role="artist", person_id=studio["artist"])
    with Session(engine) as s:
        add_day(s, me, person_id=studio["artist"], day=Day(dt.date(2025, 1, 6), hours=12.5))
        s.commit()
    at = _january(sign_in("artist"))
    text = all_text(at)
    # Hanako is a freelancer; the studio recorded her January commission with no terms and no delivery date.
    assert "The Freelance Act, from the studio's records of your commissions." in text
    assert "the studio has no record of written terms." in text

    at.text_input(key="own_report_name").input("H. Y.")
    at.button(key="own_report_make").click().run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    content = at.session_state[REPORT_KEY]
    assert content["person"] == "H. Y." and content["period"] == {"start": "2025-01-01", "end": "2025-01-31"}
    assert content["days"][0] == {"work_date": "2025-01-06", "own_hours": 12.5, "studio_hours": 10.0,
                                  "difference_hours": 2.5, "state": "studio_less"}  # fmt: skip
    assert [f["terms_issued_date"] for f in content["freelance_act"]] == [None]
    assert at.code[0].value == digest(content)
    assert verify_report(report_json(content)).matches
    assert "Generated at" in all_text(at)


def test_the_artist_lets_this_month_count_for_the_advocates_and_takes_it_back(
    studio: dict[str, int], engine: Engine
) -> None:
    at = sign_in("artist")  # the month shown is this month, in a quarter still open
    at.button(key="own_adv_in").click().run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    assert "This month now counts in the advocates' anonymized figures." in [s.value for s in at.success]
    with Session(engine) as s:
        rows = s.execute(select(OwnLogAdvocateMonth.person_id, OwnLogAdvocateMonth.month_start)).all()
        assert rows == [(studio["artist"], dt.date.today().replace(day=1))]
    at.run()
    assert "This month counts in the advocates' anonymized figures." in all_text(at)
    at.button(key="own_adv_out").click().run()
    assert "This month no longer counts in the advocates' figures." in [s.value for s in at.success]
    with Session(engine) as s:
        assert s.scalars(select(OwnLogAdvocateMonth)).all() == []
    # A month of a quarter that has ended is refused, in words.
    _january(at)
    at.button(key="own_adv_in").click().run()
    assert any("its figures are released to the advocates" in e.value for e in at.error)
