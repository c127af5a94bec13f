"""Productions, episodes and cuts entered by hand: written and audited; refused with the importers' own words for the
same value (their cell readers) and nothing written; a name another production goes by refused; only a manager
writes. On both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.identity import Identity
from data.importers import units as u
from data.importers.errors import RowError
from data.importers.lookups import References
from data.importers.report import ImportSummary
from data.schema import AuditEvent, Cut, Episode, Production, ProductionAlias
from services.errors import PermissionDenied
from services.productions import (
    ProductionRefused,
    add_cut,
    add_episode,
    add_production,
    edit_cut,
    edit_episode,
    edit_production,
)

BOSS = Identity(username="boss", role="manager")
SERIES = {"title": "星の港", "title_romaji": "Hoshi no Minato", "kind": "tv", "start_date": "2025-01-01",
          "aliases": ["Hoshi no Minato (2025)"]}  # fmt: skip


def _reason(func: object, *args: str) -> str:
    with pytest.raises(RowError) as exc:
        func(*args)
    return exc.value.reason


def _events(session: Session, action: str) -> list[AuditEvent]:
    return session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_a_production_its_episodes_and_cuts_are_written_and_audited(session: Session) -> None:
    production = add_production(session, BOSS, values=SERIES)
    episode = add_episode(session, BOSS, production_id=production.id, values={"label": "3", "title": "港の朝"})
    cut = add_cut(session, BOSS, episode_id=episode.id, values={"cut_number": "12", "seconds": "3.5", "frames": "84"})
    session.commit()
    assert (production.start_date, production.ai_policy, episode.number, cut.frames) == (
        dt.date(2025, 1, 1), "none", 3, 84)  # fmt: skip
    # An import naming the production by its other name now finds it.
    refs = References(session, summary=ImportSummary(format="canonical_work_logs"), production=None)
    assert refs.production_id("Hoshi no Minato (2025)") == production.id
    assert _events(session, "production.add")[0].new_values["aliases"] == ["Hoshi no Minato (2025)"]
    assert _events(session, "episode.add")[0].new_values["label"] == "3"
    assert _events(session, "cut.add")[0].new_values == {"episode_id": episode.id, "cut_number": "12",
                                                         "seconds": 3.5, "frames": 84, "sheets": None}  # fmt: skip

    edit_production(session, BOSS, production_id=production.id, values={"title_en": "Harbor of Stars",
                                                                          "end_date": "2025-12-31"})  # fmt: skip
    edit_episode(session, BOSS, episode_id=episode.id, values={"delivery_date": "2025-03-20"})
    edit_cut(session, BOSS, cut_id=cut.id, values={"sheets": "24"})
    session.commit()
    assert (production.title_en, episode.delivery_date, cut.sheets) == ("Harbor of Stars", dt.date(2025, 3, 20), 24)
    [edited] = _events(session, "production.edit")
    assert edited.old_values == {"title_en": None, "end_date": None}
    assert edited.new_values == {"title_en": "Harbor of Stars", "end_date": "2025-12-31"}
    assert _events(session, "cut.edit")[0].old_values == {"sheets": None}


def test_values_are_refused_in_the_importers_words(session: Session) -> None:
    production = add_production(session, BOSS, values=SERIES)
    episode = add_episode(session, BOSS, production_id=production.id, values={"label": "1"})
    session.commit()
    cases = [
        (lambda: add_production(session, BOSS, values={**SERIES, "title": "別", "start_date": "2025-02-30"}),
         _reason(u.iso_date, "2025-02-30", "start_date")),
        (lambda: add_production(session, BOSS, values={"title": "別", "kind": "tv", "start_date": "2025-02-01",
                                                       "end_date": "2025-01-01"}),
         "end_date 2025-01-01 is before start_date 2025-02-01"),
        (lambda: add_production(session, BOSS, values={"title": "別", "kind": "series"}),
         "kind must be one of tv, film, ova, ona, short, mv"),
        (lambda: add_production(session, BOSS, values={"title": "", "kind": "tv"}), "title is required"),
        (lambda: add_episode(session, BOSS, production_id=production.id, values={"label": "2", "number": "2.5"}),
         _reason(u.integer, "2.5", "number")),
        (lambda: add_cut(session, BOSS, episode_id=episode.id, values={"cut_number": "1", "frames": "-3"}),
         "frames must be at least 0"),
        (lambda: add_cut(session, BOSS, episode_id=episode.id, values={"cut_number": "x" * 21}),
         "cut_number is longer than 20 characters"),
    ]  # fmt: skip
    for write, message in cases:
        with pytest.raises(ProductionRefused) as refused:
            write()
        assert refused.value.message("cli").split(": correct")[0] == message
    with pytest.raises(ProductionRefused, match="a production titled 星の港 already exists"):
        add_production(session, BOSS, values={"title": "星の港", "kind": "film"})
    with pytest.raises(ProductionRefused, match="already has an episode 1"):
        add_episode(session, BOSS, production_id=production.id, values={"label": "1"})
    film = add_production(session, BOSS, values={"title": "劇場版", "kind": "film"})
    with pytest.raises(ProductionRefused, match=r"Hoshi no Minato \(2025\) already names another production: 星の港"):
        edit_production(session, BOSS, production_id=film.id, values={"aliases": ["Hoshi no Minato (2025)"]})
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Production)) == 1
    assert session.scalar(select(func.count()).select_from(Cut)) == 0
    assert session.scalar(select(func.count()).select_from(ProductionAlias)) == 1


@pytest.mark.parametrize("actor", [None, Identity(username="ann", role="artist", person_id=1),
                                   Identity(username="adv", role="advocate")])  # fmt: skip
def test_only_a_manager_enters_productions(session: Session, actor: Identity | None) -> None:
    production = add_production(session, BOSS, values=SERIES)
    episode = add_episode(session, BOSS, production_id=production.id, values={"label": "1"})
    cut = add_cut(session, BOSS, episode_id=episode.id, values={"cut_number": "1"})
    session.commit()
    for write in (lambda: add_production(session, actor, values={"title": "別", "kind": "tv"}),
                  lambda: edit_production(session, actor, production_id=production.id, values={"kind": "film"}),
                  lambda: add_episode(session, actor, production_id=production.id, values={"label": "2"}),
                  lambda: edit_episode(session, actor, episode_id=episode.id, values={"title": "x"}),
                  lambda: add_cut(session, actor, episode_id=episode.id, values={"cut_number": "2"}),
                  lambda: edit_cut(session, actor, cut_id=cut.id, values={"frames": "1"})):  # fmt: skip
        with pytest.raises(PermissionDenied):
            write()
    session.rollback()
    assert (session.scalar(select(func.count()).select_from(Production)),
            session.scalar(select(func.count()).select_from(Episode)), session.get(Cut, cut.id).frames) == (1, 1, None)  # fmt: skip
