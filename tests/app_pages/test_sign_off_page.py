"""The monthly sign-off on the pages: the artist confirms January 2025 on My record, the manager approves it on the
Person page and the month is locked (logging hours in it on the People and records page is refused, saying why); a
dispute of two days answered day by day on the Person page and read by the artist; the Overview's list of months
waiting; the managers' answers to a shared own log, and none for an unshared one; roles refused by the page and the
service. On SQLite and PostgreSQL (the small studio: 山田花子, 26 days × 10 h = 260 h and ¥180,000 in January)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app_pages import _format
from data.identity import Identity
from data.schema import AuditEvent, MonthSignOff, OwnLogAnswer, WorkLog
from services.errors import PermissionDenied
from services.sign_off import approve_month
from tests.app_fixtures import all_text, registered, sign_in

JAN = dt.date(2025, 1, 1)


def _ok(at) -> None:
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])


def _artist_on_january(username: str = "artist"):
    at = sign_in(username)
    at.selectbox(key="so_month").set_value(JAN).run()
    _ok(at)
    return at


def _manager_on_person(person_id: int):
    at = sign_in("manager")
    at.session_state["person_id"] = person_id
    at.switch_page("app_pages/person.py").run()
    _ok(at)
    return at


def _sign_off(engine: Engine) -> MonthSignOff:
    with Session(engine) as s:
        return s.scalars(select(MonthSignOff)).one()


def test_confirm_approve_and_the_month_is_locked(studio: dict[str, int], engine: Engine) -> None:
    at = _artist_on_january()
    text = all_text(at)
    assert "260.0 h" in text and "¥180,000" in text and "You have not signed Jan 2025 yet." in text
    at.button(key="so_confirm").click().run()
    _ok(at)
    assert "Confirmed. A manager approves the month next." in [s.value for s in at.success]
    row = _sign_off(engine)
    assert (row.status, row.studio_seconds, int(row.studio_pay)) == ("confirmed", 260 * 3600, 180000)

    manager = _manager_on_person(studio["artist"])
    assert "The artist confirmed Jan 2025 on" in all_text(manager)
    manager.button(key="so_approve").click().run()
    _ok(manager)
    assert "Approved. The month is signed off and locked for this person." in [s.value for s in manager.success]
    assert _sign_off(engine).status == "approved"

    # Hours in her January are refused on the People and records page, saying why and what to do.
    people = sign_in("manager")
    people.switch_page("app_pages/people.py").run()
    people.text_input(key="people_find").set_value("山田").run()
    people.date_input(key="hours_date").set_value(dt.date(2025, 1, 4))
    people.text_input(key="hours_minutes").set_value("120")
    people.button(key="FormSubmitter:people_hours-Log the hours").click().run()
    assert not people.exception
    errors = [e.value for e in people.error]
    assert any("2025-01-01–2025-01-31 is signed off" in e and "reopen the month on the Person page" in e
               for e in errors), errors  # fmt: skip
    with Session(engine) as s:
        assert s.scalars(select(WorkLog).where(WorkLog.work_date == dt.date(2025, 1, 4))).all() == []

    at = _artist_on_january()
    assert "Jan 2025 is signed off: approved by manager on" in all_text(at)
    assert all(b.key != "so_confirm" for b in at.button)  # nothing left to sign


def test_a_dispute_of_two_days_is_answered_day_by_day_and_read_by_the_artist(
    studio: dict[str, int], engine: Engine
) -> None:
    at = _artist_on_january()
    at.multiselect(key="so_days").set_value([dt.date(2025, 1, 7), dt.date(2025, 1, 11)]).run()
    at.text_input(key="so_note_2025-01-07").input("12 h: retakes until 23:00")
    at.text_input(key="so_note_2025-01-11").input("**6 h** at home")
    at.button(key="so_dispute").click().run()
    _ok(at)
    assert _sign_off(engine).status == "disputed"

    # The Overview lists her January first, as disputed and waiting for a manager.
    waiting = sign_in("manager")
    since = _format.date(_sign_off(engine).status_since.date())
    # After the findings' "Needs attention", each month a sentence leading to the person's page.
    # (Names go into the links' Markdown escaped: unescaped here to compare.)
    labels = [link.proto.label.replace("\\", "") for link in waiting.get("page_link")]
    links = [label for label in labels if "not signed" in label or "disputed" in label]
    assert links[0] == f"山田花子 (Hanako Yamada): Jan 2025 disputed on {since} (2 days), waiting for your answers."
    # Then the months nobody signed: 髙橋一郎's January since the day it ended, her February.
    assert "髙橋一郎 (Ichirō Takahashi): Jan 2025 not signed since 2025-02-01." in links
    assert "山田花子 (Hanako Yamada): Feb 2025 not signed since 2025-03-01." in links

    manager = _manager_on_person(studio["artist"])
    assert "The artist disputed Jan 2025 on" in all_text(manager)
    for day, answer, note in ((dt.date(2025, 1, 7), "accept", "we correct it to 12 h"),
                              (dt.date(2025, 1, 11), "explain", "Saturdays at home were not commissioned")):  # fmt: skip
        manager.selectbox(key="so_answer_day").set_value(day)
        manager.radio(key="so_answer").set_value(answer)
        manager.text_area(key="so_answer_note").input(note)
        manager.button(key="so_answer_send").click().run()
        _ok(manager)
    assert _sign_off(engine).status == "answered"
    with Session(engine) as s:
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.action.like("sign_off.%"))).all()
    assert actions == ["sign_off.dispute", "sign_off.answer", "sign_off.answer"]

    at = _artist_on_january()
    assert "A manager answered every day you disputed in Jan 2025" in all_text(at)
    days = next(at.dataframe[i].value for i in range(len(at.dataframe)) if "answer" in at.dataframe[i].value.columns)
    assert days[["answer", "answer_note"]].values.tolist() == [
        ["Accepted: to be corrected", "we correct it to 12 h"],
        ["Explained: the record stands", "Saturdays at home were not commissioned"],
    ]
    assert days["note"].tolist() == ["12 h: retakes until 23:00", "**6 h** at home"]


def test_answers_to_a_shared_own_log_and_none_for_an_unshared_one(studio: dict[str, int], engine: Engine) -> None:
    at = sign_in("artist")
    at.date_input(key="own_date").set_value(dt.date(2025, 1, 7))
    at.number_input(key="own_hours").set_value(12.0)
    at.button(key="FormSubmitter:own_day-Add to my log").click().run()
    _ok(at)
    manager = _manager_on_person(studio["artist"])
    assert all(s.key != "own_answer_day" for s in manager.selectbox)  # nothing shared: nothing to answer
    at.date_input(key="own_month").set_value(dt.date(2025, 1, 15)).run()
    at.button(key="own_share").click().run()
    _ok(at)

    manager = _manager_on_person(studio["artist"])
    manager.selectbox(key="own_answer_day").set_value(dt.date(2025, 1, 7))
    manager.text_area(key="own_answer_note").input("the 2 h of retakes were not logged: added")
    manager.button(key="own_answer_send").click().run()
    _ok(manager)
    with Session(engine) as s:
        answer = s.scalars(select(OwnLogAnswer)).one()
        assert (answer.work_date, answer.answered_by) == (dt.date(2025, 1, 7), "manager")

    at = _artist_on_january()
    answers = next(at.dataframe[i].value for i in range(len(at.dataframe))
                   if "note" in at.dataframe[i].value.columns and "answer" not in at.dataframe[i].value.columns)  # fmt: skip
    assert answers[["note", "answered_by"]].values.tolist() == [["the 2 h of retakes were not logged: added",
                                                                 "manager"]]  # fmt: skip
    # 髙橋一郎's page: he shared nothing, signed nothing.
    other = _manager_on_person(studio["artist2"])
    text = all_text(other)
    assert "This person has shared no period of their own log." in text
    assert "This person has not confirmed or disputed any month yet." in text


@pytest.mark.parametrize("who", ["advocate", "artist2"])
def test_another_role_is_refused_by_the_page_and_the_service(studio: dict[str, int], engine: Engine, who: str) -> None:
    at = _artist_on_january()
    at.button(key="so_confirm").click().run()
    _ok(at)
    other = sign_in(who)
    # No Person page (where months are approved) for them, and nothing of her sign-off on what they see.
    assert "person" not in registered(other) and "overview" not in registered(other)
    assert all(b.key != "so_approve" for b in other.button)
    assert "The artist confirmed" not in all_text(other) and "山田" not in all_text(other)
    if who == "artist2":  # his own Sign-off tab shows his months only
        other.selectbox(key="so_month").set_value(JAN).run()
        assert "You have not signed Jan 2025 yet." in all_text(other)
    actor = Identity(username=who, role="advocate" if who == "advocate" else "artist", person_id=studio["artist2"])
    with Session(engine) as s, pytest.raises(PermissionDenied):
        approve_month(s, actor, sign_off_id=_sign_off(engine).id)
    assert _sign_off(engine).status == "confirmed"
