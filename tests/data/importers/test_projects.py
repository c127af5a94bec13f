"""A tracker's projects become productions: by name, by a mapping the person importing chose (remembered), or created;
the unknown ones are listed with their rows (in the summary, on the command line); ``--production`` still sends
every row to one production."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.importers import import_file
from data.importers.__main__ import main as cli
from data.schema import Production, ProductionAlias, WorkLog
from tests.data.importers import exports
from tests.data.importers.helpers import FIX, balanced


@pytest.fixture
def studio(session: Session) -> Session:
    session.add(Production(title="星の庭", kind="tv"))
    session.commit()
    assert import_file(session, path=FIX / "people.csv").imported == 3
    return session


def _toggl(tmp_path: Path, projects: list[str], *, day: int = 1) -> Path:
    import datetime as dt

    entries = []
    for i, project in enumerate(projects):
        start = dt.datetime(2025, 5, day + i, 10, 0, 0)
        entries.append(exports.Entry("山田 花子", "hanako@example.jp", start, start + dt.timedelta(hours=1), 3600,
                                     project, f"work {i}"))  # fmt: skip
    return exports.toggl(tmp_path / "toggl.csv", entries)


def _productions(session: Session) -> dict[str, int]:
    return {
        title: n
        for title, n in session.execute(
            select(Production.title, select(WorkLog.id).where(WorkLog.production_id == Production.id).exists())
        ).all()
    }


def test_unknown_projects_are_listed_with_their_rows_and_nothing_is_created(studio: Session, tmp_path: Path) -> None:
    path = _toggl(tmp_path, ["星の庭", "Sky Runner", "Sky Runner", "社内研修"])
    s = import_file(studio, path=path)
    balanced(s)
    assert (s.imported, s.rejected_by_reason) == (1, {"unknown_production": 3})
    assert s.unknown_projects == {"Sky Runner": 2, "社内研修": 1}
    assert set(_productions(studio)) == {"星の庭"}
    assert "projects without a production  2" in s.as_text()


def test_a_mapping_sends_a_project_to_a_production_and_is_remembered(studio: Session, tmp_path: Path) -> None:
    path = _toggl(tmp_path, ["星の庭", "Sky Runner", "sky runner", "社内研修"])
    s = import_file(studio, path=path, project_map={"Sky Runner": "星の庭", "社内研修": None})
    balanced(s)
    assert (s.imported, s.rejected_by_reason, s.unknown_projects) == (3, {"unknown_production": 1}, {"社内研修": 1})
    star = studio.scalar(select(Production.id).where(Production.title == "星の庭"))
    assert studio.scalar(select(ProductionAlias.production_id).where(ProductionAlias.text == "Sky Runner")) == star
    # The next export needs no mapping: the project's name is now the production's alias (width and case folded).
    path2 = _toggl(tmp_path, ["ＳＫＹ ＲＵＮＮＥＲ"], day=20)
    assert import_file(studio, path=path2).imported == 1


def test_a_mapping_to_a_new_title_creates_it_only_when_a_row_needs_it(studio: Session, tmp_path: Path) -> None:
    path = _toggl(tmp_path, ["Sky Runner"])
    s = import_file(studio, path=path, project_map={"Sky Runner": "スカイランナー", "Unused": "使われない作品"})
    assert s.imported == 1 and s.details["productions_created"] == 1
    assert set(_productions(studio)) == {"星の庭", "スカイランナー"}


def test_create_productions_creates_each_unknown_project(studio: Session, tmp_path: Path) -> None:
    path = _toggl(tmp_path, ["Sky Runner", "社内研修", "社内研修"])
    s = import_file(studio, path=path, create_productions=True)
    assert (s.imported, s.details["productions_created"], s.unknown_projects) == (3, 2, {})
    assert _productions(studio) == {"星の庭": False, "Sky Runner": True, "社内研修": True}


def test_production_still_sends_every_row_to_one(studio: Session, tmp_path: Path) -> None:
    path = _toggl(tmp_path, ["Sky Runner", "社内研修"])
    s = import_file(studio, path=path, production="星の庭")
    assert s.imported == 2 and _productions(studio) == {"星の庭": True}


def test_the_command_line_lists_unknown_projects_and_maps_them(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert cli([str(FIX / "people.csv"), "--database-url", db]) == 0
    path = _toggl(tmp_path, ["Sky Runner", "社内研修"])
    assert cli([str(path), "--database-url", db]) == 0
    out = capsys.readouterr().out
    assert "'Sky Runner'" in out and "--map 'Sky Runner=TITLE'" in out and "--create-productions" in out
    assert cli([str(path), "--database-url", db, "--map", "Sky Runner=スカイ", "--map", "社内研修="]) == 0
    out = capsys.readouterr().out
    assert "imported   1" in out and "unknown_production           1" in out
    with pytest.raises(SystemExit) as usage:  # not FIRST-LAST: a usage error, exit code 2
        cli([str(path), "--database-url", db, "--years", "2100"])
    assert usage.value.code == 2
