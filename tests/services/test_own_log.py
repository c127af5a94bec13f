"""The artist's own log: only the artist writes, shares and exports it; it never reaches the studio's work logs; imports
account for every row; on both databases."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.errors import NotFound
from data.identity import Identity
from data.schema import AuditEvent, OwnLogEntry, OwnLogShare, Person, WorkLog
from services.errors import PermissionDenied, ValidationError
from services.own_log import Day, add_day, delete_day, edit_day, export_csv, export_json, share_period, unshare_period
from services.own_log_import import import_file

TOGGL = Path(__file__).resolve().parents[1] / "data" / "importers" / "fixtures" / "toggl_detailed_week1.csv"

BOSS = Identity(username="boss", role="manager")
REP = Identity(username="rep", role="advocate")


def _people(session: Session) -> tuple[Identity, Identity]:
    a, b = Person(display_name="山田 花子"), Person(display_name="佐藤 次郎")
    session.add_all([a, b])
    session.flush()
    return (Identity(username="hanako", role="artist", person_id=a.id),
            Identity(username="jiro", role="artist", person_id=b.id))  # fmt: skip


def test_a_day_from_start_end_and_break(session: Session) -> None:
    me, _ = _people(session)
    day = Day(dt.date(2025, 4, 7), start=dt.time(10), end=dt.time(1, 30), break_minutes=60, production="星の庭",
              role="原画", units=3, unit_kind="cut", note="=SUM(A1)")  # fmt: skip
    entry = add_day(session, me, person_id=me.person_id, day=day)
    session.commit()
    assert entry.seconds == 14.5 * 3600  # 10:00 → 01:30 the next morning, less an hour
    assert entry.end_at == dt.datetime(2025, 4, 8, 1, 30)
    assert session.scalar(select(func.count()).select_from(WorkLog)) == 0  # the studio's records are untouched
    event = session.scalars(select(AuditEvent)).one()
    assert (event.actor, event.action, event.new_values) == ("hanako", "own_log.add", {"person_id": me.person_id})


def test_hours_alone_and_the_values_refused(session: Session) -> None:
    me, _ = _people(session)
    assert add_day(session, me, person_id=me.person_id, day=Day(dt.date(2025, 4, 7), hours=7.5)).seconds == 27000
    bad = [
        (Day(dt.date(2025, 4, 7)), "needs its hours"),
        (Day(dt.date(2025, 4, 7), start=dt.time(10)), "start time needs an end"),
        (Day(dt.date(2025, 4, 7), hours=25), "not a day's work"),
        (Day(dt.date(2025, 4, 7), hours=0), "not a day's work"),
        (Day(dt.date(2025, 4, 7), start=dt.time(10), end=dt.time(11), break_minutes=60), "break"),
        (Day(dt.date(2025, 4, 7), start=dt.time(10), end=dt.time(18), hours=9), "disagrees"),
        (Day(dt.date(2025, 4, 7), hours=1, units=-1), "negative"),
    ]
    for day, match in bad:
        with pytest.raises(ValidationError, match=match):
            add_day(session, me, person_id=me.person_id, day=day)


@pytest.mark.parametrize("who", ["boss", "rep", "other", "nobody"])
def test_only_the_artist_writes_or_exports_their_own_log(session: Session, who: str) -> None:
    me, other = _people(session)
    entry = add_day(session, me, person_id=me.person_id, day=Day(dt.date(2025, 4, 7), hours=8))
    actor = {"boss": BOSS, "rep": REP, "other": other, "nobody": None}[who]
    with pytest.raises(PermissionDenied):
        add_day(session, actor, person_id=me.person_id, day=Day(dt.date(2025, 4, 8), hours=8))
    with pytest.raises(PermissionDenied):
        share_period(session, actor, person_id=me.person_id, start=dt.date(2025, 4, 1), end=dt.date(2025, 4, 30))
    with pytest.raises(PermissionDenied):
        export_csv(session, actor, person_id=me.person_id)
    with pytest.raises(PermissionDenied):
        export_json(session, actor, person_id=me.person_id)
    with pytest.raises(PermissionDenied):
        import_file(session, actor, person_id=me.person_id, path=TOGGL)
    # Somebody else's entry reads as missing to another artist, and as refused to anyone else.
    expected = NotFound if who == "other" else PermissionDenied
    with pytest.raises(expected):
        edit_day(session, actor, entry_id=entry.id, day=Day(dt.date(2025, 4, 7), hours=1))
    with pytest.raises(expected):
        delete_day(session, actor, entry_id=entry.id)
    assert session.get(OwnLogEntry, entry.id).seconds == 8 * 3600


def test_edit_and_delete_audit_fields_never_hours(session: Session) -> None:
    me, _ = _people(session)
    entry = add_day(session, me, person_id=me.person_id, day=Day(dt.date(2025, 4, 7), hours=8))
    edit_day(session, me, entry_id=entry.id, day=Day(dt.date(2025, 4, 7), hours=9, note="retakes"))
    assert entry.seconds == 9 * 3600
    delete_day(session, me, entry_id=entry.id)
    session.commit()
    assert session.scalar(select(func.count()).select_from(OwnLogEntry)) == 0
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["own_log.add", "own_log.edit", "own_log.delete"]
    assert events[1].new_values == {"person_id": me.person_id, "fields": ["note", "seconds"]}
    assert "retakes" not in json.dumps([e.new_values for e in events])


def test_share_and_unshare_a_period(session: Session) -> None:
    me, _ = _people(session)
    april = {"start": dt.date(2025, 4, 1), "end": dt.date(2025, 4, 30)}
    share = share_period(session, me, person_id=me.person_id, **april)
    assert share_period(session, me, person_id=me.person_id, **april).id == share.id  # sharing twice is one share
    with pytest.raises(ValidationError, match="before it starts"):
        share_period(session, me, person_id=me.person_id, start=dt.date(2025, 4, 30), end=dt.date(2025, 4, 1))
    unshare_period(session, me, share_id=share.id)
    session.commit()
    assert session.scalars(select(OwnLogShare)).all() == []
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["own_log.share", "own_log.unshare"]


def test_a_toggl_export_becomes_own_entries_and_every_row_is_accounted_for(session: Session) -> None:
    me, _ = _people(session)
    first = import_file(session, me, person_id=me.person_id, path=TOGGL)
    assert (first.format, first.read, first.added, first.already, first.rejected) == ("toggl", 2, 2, 0, [])
    again = import_file(session, me, person_id=me.person_id, path=TOGGL)
    assert (again.read, again.added, again.already) == (2, 0, 2)
    session.commit()
    rows = session.scalars(select(OwnLogEntry).order_by(OwnLogEntry.work_date)).all()
    assert [(r.work_date, r.seconds, r.production, r.origin) for r in rows] == [
        (dt.date(2025, 4, 7), 27000, "星の庭", "toggl"),
        (dt.date(2025, 4, 8), 7200, "星の庭", "toggl"),
    ]
    assert session.scalar(select(func.count()).select_from(WorkLog)) == 0
    assert session.scalar(select(func.count()).select_from(Person)) == 2  # nobody was created from the file's names


def test_a_date_hours_note_sheet_with_a_bad_row(session: Session, tmp_path: Path) -> None:
    me, _ = _people(session)
    sheet = tmp_path / "mine.csv"
    sheet.write_text("date,hours,note\n2025-04-07,10.5,LO\n2025-04-08,abc,\n\n2025/04/09,8:30,\n2025-04-07,10.5,LO\n",
                     encoding="utf-8")  # fmt: skip
    report = import_file(session, me, person_id=me.person_id, path=sheet)
    assert report.format == "hours_sheet"
    assert (report.read, report.added, report.already) == (5, 2, 1)
    assert [line for line, _ in report.rejected] == [3, 4]
    assert report.read == report.added + report.already + len(report.rejected)
    seconds = session.scalars(select(OwnLogEntry.seconds).order_by(OwnLogEntry.work_date)).all()
    assert seconds == [37800, 30600]


def test_a_file_no_timesheet_is_refused(session: Session, tmp_path: Path) -> None:
    me, _ = _people(session)
    other = tmp_path / "people.csv"
    other.write_text("display_name,email\n山田,a@example.jp\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="not a timesheet"):
        import_file(session, me, person_id=me.person_id, path=other)


def test_the_whole_log_exports_as_csv_and_json(session: Session) -> None:
    me, _ = _people(session)
    add_day(session, me, person_id=me.person_id, day=Day(dt.date(2025, 4, 8), hours=2, note="=cmd|' /C calc'!A0"))
    add_day(session, me, person_id=me.person_id, day=Day(dt.date(2025, 4, 7), start=dt.time(10), end=dt.time(19),
                                                         break_minutes=60, production="星の庭"))  # fmt: skip
    share_period(session, me, person_id=me.person_id, start=dt.date(2025, 4, 1), end=dt.date(2025, 4, 30))
    rows = list(csv.DictReader(io.StringIO(export_csv(session, me, person_id=me.person_id))))
    assert [(r["work_date"], r["hours"], r["start_at"]) for r in rows] == [
        ("2025-04-07", "8.0", "2025-04-07T10:00"),
        ("2025-04-08", "2.0", ""),
    ]
    assert rows[1]["note"].startswith("'=")  # neutralized for spreadsheets
    data = json.loads(export_json(session, me, person_id=me.person_id))
    assert [e["hours"] for e in data["entries"]] == [8.0, 2.0]
    assert data["shared"] == [{"period_start": "2025-04-01", "period_end": "2025-04-30"}]
