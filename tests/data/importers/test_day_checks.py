"""An id-less tracker's re-export after an entry was edited updates the stored entry (audited) instead of adding a
second one, even among entries sharing an interval; a duration disagreeing with the times is stored as tracked and
listed as a warning (downloadable)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.importers import daychecks, import_file, upsert, warnings_csv
from data.schema import AuditEvent, Production, WorkLog
from tests.data.importers import exports
from tests.data.importers.helpers import FIX, balanced


@pytest.fixture
def studio(session: Session) -> Session:
    session.add_all([Production(title="星の庭", kind="tv"), Production(title="Sky Runner", kind="tv")])
    session.commit()
    assert import_file(session, path=FIX / "people.csv").imported == 3
    return session


def _entry(desc: str, *, start: str = "09:00:00", seconds: int = 3600, tags: str = "") -> exports.Entry:
    begin = dt.datetime.combine(dt.date(2025, 5, 12), dt.time.fromisoformat(start))
    return exports.Entry("山田 花子", "hanako@example.jp", begin, begin + dt.timedelta(seconds=seconds), seconds,
                         "星の庭", desc, tags)  # fmt: skip


def test_an_entry_edited_in_the_tracker_updates_the_stored_one(studio: Session, tmp_path: Path) -> None:
    # Two entries with the same interval (manual entries at 09:00:00, one hour each) and a third.
    a, b, c = _entry("LO cut 1"), _entry("LO cut 2"), _entry("retake", start="14:00:00", seconds=1834)
    first = import_file(studio, path=exports.toggl(tmp_path / "w1.csv", [a, b, c]))
    assert (first.imported, first.warnings_by_reason) == (3, {"overlapping_entry": 1})
    # The re-export: b's description was edited; a and c are as they were.
    b2 = _entry("LO cut 2 (AI)", tags="AI")
    again = import_file(studio, path=exports.toggl(tmp_path / "w1b.csv", [a, b2, c]))
    balanced(again)
    assert (again.imported, again.updated, again.unchanged) == (0, 1, 2)
    assert studio.scalar(select(func.count()).select_from(WorkLog)) == 3
    event = studio.scalars(select(AuditEvent).where(AuditEvent.action == "import.update.work_log")).one()
    assert event.new_values == {"note": "LO cut 2 (AI) — tags: AI", "ai_assisted_fraction": 1.0}
    assert event.old_values == {"note": "LO cut 2", "ai_assisted_fraction": 0.0}
    # A new entry at the same interval while both old ones are still exported: a new entry, not an edit.
    d = _entry("LO cut 3")
    third = import_file(studio, path=exports.toggl(tmp_path / "w1c.csv", [a, b2, c, d]))
    assert (third.imported, third.updated, third.unchanged) == (1, 0, 3)
    assert third.warnings_by_reason == {"overlapping_entry": 1}


def test_a_duration_disagreeing_with_the_times_is_stored_as_tracked_and_listed(studio: Session, tmp_path: Path) -> None:
    e = _entry("disagree 1")
    e = exports.Entry(e.person, e.email, e.start, e.end, 3601, e.project, e.description)  # Duration 01:00:01
    s = import_file(studio, path=exports.clockify(tmp_path / "c.csv", [e]))
    assert (s.imported, s.warnings_by_reason) == (1, {"duration_columns_disagree": 1, "duration_mismatch": 1})
    log = studio.scalars(select(WorkLog)).one()
    assert (log.seconds, log.break_seconds, log.end_at - log.start_at) == (3601, 0, dt.timedelta(hours=1))
    rows = list(csv.DictReader(io.StringIO(warnings_csv(studio, batch_id=s.batch_id).decode("utf-8-sig"))))
    assert [r["reason_code"] for r in rows] == ["duration_columns_disagree", "duration_mismatch"]
    assert "Duration (decimal) 0.00 disagrees with Duration (h) 01:00:01" in rows[0]["reason"]
    assert "the Duration, what the person tracked, is stored as the time worked" in rows[1]["reason"]


def test_the_24_hour_cap_holds_for_a_new_entry_at_a_stored_interval_after_the_day_was_dropped_from_memory(
    studio: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One row a chunk and nothing kept between chunks: the held row's day must be read from the database again.
    monkeypatch.setattr(daychecks, "LOADED_MAX", 0)
    monkeypatch.setattr(upsert, "CHUNK", 1)
    a = _entry("LO cut 1")
    assert import_file(studio, path=exports.toggl(tmp_path / "w1.csv", [a])).imported == 1
    # A new entry at a's interval (held until the whole file is read: it fits the day then), a long session after
    # it that fills the day to 23:00:01 without it, and a row of another day whose chunk drops the day from memory.
    extra, long = _entry("LO cut 3"), _entry("genga", start="10:00:00", seconds=22 * 3600 + 1)
    later = exports.Entry(a.person, a.email, a.start + dt.timedelta(days=2), a.end + dt.timedelta(days=2), 3600,
                          a.project, "next day")  # fmt: skip
    s = import_file(studio, path=exports.toggl(tmp_path / "w2.csv", [a, extra, long, later]))
    balanced(s)
    assert (s.imported, s.unchanged, s.rejected_by_reason) == (2, 1, {"day_over_24h": 1})
    assert studio.scalar(select(func.sum(WorkLog.seconds)).where(WorkLog.work_date == a.day)) == 23 * 3600 + 1


def test_the_24_hour_cap_holds_for_a_day_this_import_wrote_after_it_was_dropped_from_memory(
    studio: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing is stored for the person, so no day of theirs is asked of the database; once the day this import
    # wrote is dropped from memory, a later row of that day must read it back, or the cap would not see it.
    monkeypatch.setattr(daychecks, "LOADED_MAX", 0)
    monkeypatch.setattr(upsert, "CHUNK", 1)
    first = _entry("genga", seconds=14 * 3600)
    other = exports.Entry(first.person, first.email, first.start + dt.timedelta(days=3),
                          first.end + dt.timedelta(days=3), 3600, first.project, "another day")  # fmt: skip
    second = _entry("genga 2", start="23:00:00", seconds=11 * 3600)
    s = import_file(studio, path=exports.toggl(tmp_path / "w.csv", [first, other, second]))
    balanced(s)
    assert (s.imported, s.rejected_by_reason) == (2, {"day_over_24h": 1})


def test_the_24_hour_cap_holds_for_the_oldest_day_dropped_while_the_latest_stay_in_memory(
    studio: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Room for two entries: each chunk past it drops the days read first (the first day here) and keeps the latest.
    # A later row of the first day must read it back from the database, and the latest days must still count.
    monkeypatch.setattr(daychecks, "LOADED_MAX", 2)
    monkeypatch.setattr(upsert, "CHUNK", 1)
    first = _entry("genga", seconds=14 * 3600)

    def on(days: int, desc: str, seconds: int, start: str = "09:00:00") -> exports.Entry:
        e = _entry(desc, start=start, seconds=seconds)
        return exports.Entry(e.person, e.email, e.start + dt.timedelta(days=days), e.end + dt.timedelta(days=days),
                             seconds, e.project, desc)  # fmt: skip

    rows = [first, on(2, "day 3", 13 * 3600), on(4, "day 5", 1800), on(5, "day 6", 600)]
    # The first day is full past 24 h with this one; so is day 3, still in memory, with the last.
    rows += [_entry("genga 2", start="23:00:00", seconds=11 * 3600), on(2, "day 3 again", 12 * 3600, "22:30:00")]
    s = import_file(studio, path=exports.toggl(tmp_path / "w.csv", rows))
    balanced(s)
    assert (s.imported, s.rejected_by_reason) == (4, {"day_over_24h": 2})
    assert studio.scalar(select(func.sum(WorkLog.seconds)).where(WorkLog.work_date == first.start.date())) == 14 * 3600
