"""The own log on the pages: the artist adds a day, sees the month reconciled and shares it; the manager sees the
shared month on the Person page and nothing of an unshared one (issue 20). On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data.schema import OwnLogEntry, OwnLogShare
from tests.app_fixtures import all_text, sign_in

ADD = "FormSubmitter:own_day-Add to my log"


def _days(at):
    """The reconciliation's table as drawn (columns by name, codes in words)."""
    return next(at.dataframe[i].value for i in range(len(at.dataframe)) if "state" in at.dataframe[i].value)


def _manager_on_person(person_id: int):
    at = sign_in("manager")
    at.session_state["person_id"] = person_id
    at.switch_page("app_pages/person.py").run()
    assert not at.exception, at.exception
    return at


def test_artist_adds_a_day_sees_it_reconciled_and_shares_the_month(studio: dict[str, int], engine: Engine) -> None:
    at = sign_in("artist")
    at.date_input(key="own_date").set_value(dt.date(2025, 1, 6))
    at.number_input(key="own_hours").set_value(12.5)
    at.text_input(key="own_note").input("**retakes**")
    at.button(key=ADD).click().run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    assert "Added to your log." in [s.value for s in at.success]
    at.date_input(key="own_month").set_value(dt.date(2025, 1, 15)).run()
    assert not at.exception and not at.error
    days = _days(at)
    first = days.iloc[0]
    assert (first["own_hours"], first["studio_hours"], first["state"]) == (12.5, 10.0, "Studio shows less")
    assert (days["state"] == "Only in the studio's record").sum() == len(days) - 1
    text = all_text(at)
    # Hanako is a freelancer paid ¥180,000 for January: 12.5 h in her log so far, 26 days × 10 h in the studio's.
    assert "Jan 2025: ¥180,000 of pay is ¥14,400/h on your hours and ¥692/h on the studio's." in text
    assert "Managers cannot see this month of your log." in text

    manager = _manager_on_person(studio["artist"])
    assert "This person has shared no period of their own log." in all_text(manager)
    assert "12.5" not in all_text(manager)

    at.button(key="own_share").click().run()
    assert not at.exception and not at.error
    with Session(engine) as s:
        share = s.scalars(select(OwnLogShare)).one()
        assert (share.person_id, share.period_start, share.period_end) == (
            studio["artist"], dt.date(2025, 1, 1), dt.date(2025, 1, 31))  # fmt: skip
        assert s.scalars(select(OwnLogEntry.note)).one() == "**retakes**"

    manager = _manager_on_person(studio["artist"])
    assert _days(manager).iloc[0]["own_hours"] == 12.5
    # Another artist's page shows nothing of hers.
    other = _manager_on_person(studio["artist2"])
    assert "This person has shared no period of their own log." in all_text(other)
