"""The Productions page: a production, an episode and a cut added and audited; an invalid value refused in the
importers' words with nothing written; no page (nor write) for anyone but a manager."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from data.identity import Identity
from data.importers import units as u
from data.importers.errors import RowError
from data.schema import AuditEvent, Cut, Episode, Production
from services.errors import PermissionDenied
from services.productions import add_production
from tests.app_fixtures import sign_in


def _count(engine: Engine, table: type) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(table))


def _actions(engine: Engine) -> list[str]:
    with Session(engine) as s:
        return list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_production_episode_and_cut_are_added_and_a_bad_date_refused(studio: dict[str, int], engine: Engine) -> None:
    at = sign_in("manager")
    at.switch_page("app_pages/productions.py").run()
    assert not at.exception and at.title[0].value == "Productions"
    productions, events = _count(engine, Production), len(_actions(engine))
    at.text_input(key="prod_0_title").set_value("月の庭")
    at.selectbox(key="prod_0_kind").set_value("film")
    at.text_input(key="prod_0_start").set_value("2025-02-30")
    at.button(key="FormSubmitter:prod_0-Add the production").click().run()
    with pytest.raises(RowError) as importer:
        u.iso_date("2025-02-30", "start_date")
    assert any(importer.value.reason in e.value for e in at.error), [e.value for e in at.error]
    assert (_count(engine, Production), len(_actions(engine))) == (productions, events)

    at.text_input(key="prod_0_start").set_value("2025-02-01")
    at.button(key="FormSubmitter:prod_0-Add the production").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Saved 月の庭." in [s.value for s in at.success]
    with Session(engine) as s:
        film = s.scalars(select(Production).where(Production.title == "月の庭")).one()
        assert (film.kind, film.start_date.isoformat()) == ("film", "2025-02-01")
    assert "月の庭" in at.dataframe[0].value["title"].tolist()  # the list shows it straight away

    at.selectbox(key="prod_pick").set_value(film.id).run()
    at.text_input(key="ep_0_label").set_value("1")
    at.text_input(key="ep_0_title").set_value("はじまり")
    at.button(key="FormSubmitter:ep_0-Add the episode").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with Session(engine) as s:
        episode = s.scalars(select(Episode).where(Episode.production_id == film.id)).one()
        assert (episode.number, episode.title) == (1, "はじまり")
    at.selectbox(key=f"ep_pick_{film.id}").set_value(episode.id).run()
    at.text_input(key="cut_0_cut_number").set_value("5")
    at.text_input(key="cut_0_frames").set_value("-1")
    at.button(key="FormSubmitter:cut_0-Add the cut").click().run()
    assert any("frames must be at least 0" in e.value for e in at.error), [e.value for e in at.error]
    assert _count(engine, Cut) == 0
    at.text_input(key="cut_0_frames").set_value("96")
    at.button(key="FormSubmitter:cut_0-Add the cut").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Saved cut 5." in [s.value for s in at.success]
    with Session(engine) as s:
        assert s.scalars(select(Cut.frames).where(Cut.episode_id == episode.id)).all() == [96]
    assert _actions(engine)[-3:] == ["production.add", "episode.add", "cut.add"]


def test_the_roles_worked_on_a_production_are_listed(studio: dict[str, int]) -> None:
    at = sign_in("manager")
    at.switch_page("app_pages/productions.py").run()
    at.selectbox(key="prod_pick").set_value(studio["tv"]).run()
    assert not at.exception
    roles = next(df.value for df in at.dataframe if "people" in df.value.columns)
    assert roles["people"].tolist() == [2]  # 山田花子 and 髙橋一郎 drew key animation on 星の港


@pytest.mark.parametrize("role", ["artist", "advocate"])
def test_nobody_else_has_the_page_or_may_write(studio: dict[str, int], engine: Engine, role: str) -> None:
    at = sign_in(role)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/productions.py")
    with Session(engine) as s, pytest.raises(PermissionDenied):
        add_production(
            s,
            Identity(username=role, role=role, person_id=studio["artist"] if role == "artist" else None),
            values={"title": "x", "kind": "tv"},
        )
    assert _count(engine, Production) == 2
