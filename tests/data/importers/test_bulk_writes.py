"""The keyed writer's fast paths give the same rows and counts as the row-by-row path they stand in for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.importers import import_file
from data.importers.upsert import _insert_all_or_undo
from data.schema import ImportBatch, Person, Production, WorkLog
from tests.data.importers.helpers import balanced

TITLE = "星の庭"


@pytest.fixture
def studio(session: Session) -> Session:
    session.add(Production(title=TITLE, kind="tv"))
    session.add(Person(display_name="山田 花子", email="hanako@example.jp"))
    session.commit()
    return session


def _file(path: Path, ids: range) -> Path:
    lines = ["email,work_date,start_time,end_time,break_minutes,production,external_id"]
    lines += [
        f"hanako@example.jp,{dt.date(2020, 1, 1) + dt.timedelta(days=i)},10:00,19:00,60,{TITLE},X{i}" for i in ids
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_chunk_of_new_rows_between_stored_ones_is_undone_then_compared(studio: Session, tmp_path: Path) -> None:
    """One chunk whose every other row is stored: the first insert adds the new half, sees that it skipped
    rows, takes them out again and compares the chunk row by row, so each row is counted once and nothing is left
    twice (nor, on SQLite, a gap in the ids)."""
    first = import_file(studio, path=_file(tmp_path / "even.csv", range(0, 1500, 2)))
    assert first.imported == 750
    second = import_file(studio, path=_file(tmp_path / "all.csv", range(1500)))
    balanced(second)
    assert (second.imported, second.updated, second.unchanged, second.rejected) == (750, 0, 750, 0)
    keys = list(studio.scalars(select(WorkLog.source_key)))
    assert sorted(keys) == sorted(f"canonical_work_logs:id:X{i}" for i in range(1500))
    new = studio.scalars(select(WorkLog.batch_id).where(WorkLog.source_key == "canonical_work_logs:id:X1")).one()
    assert new == second.batch_id
    if studio.get_bind().dialect.name == "sqlite":
        assert studio.scalar(select(func.max(WorkLog.id))) == 1500


def test_a_refused_row_takes_out_the_rows_inserted_before_it(studio: Session) -> None:
    """SQLite's insert without a savepoint: a row the database refuses stops the insert with the rows before it
    written; they are removed, and the table is as it was."""
    if studio.get_bind().dialect.name != "sqlite":
        pytest.skip("PostgreSQL inserts a chunk in a savepoint")
    person = studio.scalar(select(Person.id))
    batch = ImportBatch(filename="x.csv", format="canonical_work_logs", file_sha256="0", status="running", actor="t")
    studio.add(batch)
    studio.flush()
    kept = {"person_id": person, "work_date": dt.date(2020, 1, 1), "seconds": 60, "break_seconds": 0,
            "night_seconds": 0, "is_statutory_holiday": False, "ai_assisted_fraction": 0.0, "source_key": "k0",
            "batch_id": batch.id}  # fmt: skip
    assert _insert_all_or_undo(studio, table=WorkLog.__table__, rows=[kept])
    rows = [{**kept, "source_key": f"k{i}", "seconds": 60 if i != 3 else 90_000} for i in range(1, 6)]
    assert not _insert_all_or_undo(studio, table=WorkLog.__table__, rows=rows)  # k3: more than a day
    assert list(studio.scalars(select(WorkLog.source_key))) == ["k0"]
    again = [{**kept, "source_key": f"k{i}"} for i in range(1, 4)]
    assert _insert_all_or_undo(studio, table=WorkLog.__table__, rows=again)
    assert studio.scalar(select(func.max(WorkLog.id))) == 4
    studio.rollback()


def test_a_person_created_mid_import_makes_a_known_name_ambiguous_for_later_rows(
    studio: Session, tmp_path: Path
) -> None:
    """The writer remembers each row's person and references; a person the import creates under a name already
    matched (from an email's user part) makes that name ambiguous, and the rows after it are rejected, not booked to
    the person matched before."""
    studio.add(Person(display_name="hanako", email="first@example.jp"))
    studio.commit()
    f = tmp_path / "w.csv"
    f.write_text(
        "person,email,work_date,minutes,production\n"
        f"hanako,,2025-05-01,60,{TITLE}\n"
        f",hanako@new.example.jp,2025-05-02,60,{TITLE}\n"
        f"hanako,,2025-05-03,60,{TITLE}\n",
        encoding="utf-8",
    )
    s = import_file(studio, path=f, create_people=True)
    balanced(s)
    assert (s.imported, s.rejected_by_reason) == (2, {"ambiguous_person": 1})
