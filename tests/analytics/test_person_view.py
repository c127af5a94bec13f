"""The person page's view, the Overview's people needing attention and the studio's own jurisdiction, on the small
studio of the dashboard tests (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from analytics.dashboard import all_findings, findings_view
from analytics.overview import people_needing_attention
from analytics.person_view import MONTH_COLUMNS, person_view
from analytics.queries.overview import home_jurisdiction
from analytics.scope import Scope
from data.identity import Identity
from tests.app_fixtures import build_small_studio

MANAGER = Identity(username="boss", role="manager")


@pytest.fixture
def studio(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return build_small_studio(session)


def test_a_persons_page_holds_their_whole_record(engine: Engine, studio: dict[str, int]) -> None:
    with Session(engine) as session:
        view = person_view(session, scope=Scope(people=(studio["artist"],), viewer=MANAGER))
        assert view.profile["native"] == "山田花子" and view.profile["romaji"] == "Hanako Yamada"
        assert list(view.monthly.columns) == MONTH_COLUMNS
        assert view.monthly["hours"].sum() == 400  # 40 days × 10 h
        january = view.monthly[view.monthly["month"] == "2025-01-01"].iloc[0]
        assert january["mw_max_per_hour"] == 1163 and bool(january["below_mw"])  # ¥180,000 for 260 h
        assert set(view.findings["rule_id"]) >= {"JP-MW-02"}  # a freelancer under the minimum wage
        # The public (MADB) credit carries her name but is not hers until a manager confirms it (#15).
        assert sorted(view.credits["source"]) == ["internal"]
        assert view.employments["employment_type"].tolist() == ["freelancer"]
        with pytest.raises(PermissionError):
            person_view(
                session, scope=Scope(people=(studio["artist"],), viewer=Identity(username="r", role="advocate"))
            )


def test_people_needing_attention_follow_the_scope(engine: Engine, studio: dict[str, int]) -> None:
    with Session(engine) as session:
        # Today is long after the last work (February 2025): the latest month with work is read instead.
        everyone = people_needing_attention(session, scope=Scope(viewer=MANAGER), today=dt.date(2026, 12, 6))
        assert everyone.month == dt.date(2025, 2, 1) and not everyone.latest
        assert set(everyone.people["topic"]) >= {"overtime", "no_day_off"}  # 40 days in a row, 10 h a day
        film = people_needing_attention(session, scope=Scope(productions=(studio["film"],), viewer=MANAGER),
                                        today=dt.date(2026, 12, 6))  # fmt: skip
        assert set(film.people["person_id"]) == {studio["pen"]}
        january = Scope(start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 31), viewer=MANAGER)
        asked = people_needing_attention(session, scope=january, today=dt.date(2026, 12, 6))
        assert asked.month == dt.date(2025, 1, 1) and asked.latest
        # January paid ¥180,000 for 260 h: under the Tokyo minimum wage.
        below = asked.people[asked.people["topic"] == "minimum_wage"]
        assert studio["artist"] in set(below["person_id"]) and set(below["threshold"]) == {1163.0}


def test_a_tokyo_studios_findings_come_first_and_the_download_holds_them_all(
    engine: Engine, studio: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from analytics import dashboard

    with Session(engine) as session:
        assert home_jurisdiction(session) == "JP"
        monkeypatch.setattr(dashboard, "TABLE_ROWS", 2)
        view = findings_view(session, scope=Scope(viewer=MANAGER))
        assert len(view.hours) == 2 and view.hours_total > 2
        every = all_findings(session, scope=Scope(viewer=MANAGER), topic="hours")
        assert len(every) == view.hours_total and every["rule_id"].head(2).tolist() == view.hours["rule_id"].tolist()
