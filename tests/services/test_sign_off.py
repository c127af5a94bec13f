"""The monthly sign-off: the artist confirms or disputes a month, a manager approves or answers each disputed day, an
approved month is locked for that person like a closed pay period (by hand and by import), every step audited, and a
wrong role refused before anything is read. Worked on the small studio: 山田花子 logged 26 days × 10 h in January 2025
(260 h) and was paid ¥180,000. On both databases."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from analytics.errors import AccessDenied
from analytics.scope import Scope
from analytics.sign_off import own_log_answers, sign_off_month, waiting_sign_offs
from data.errors import NotFound
from data.identity import Identity
from data.importers import import_file
from data.schema import AuditEvent, MonthSignOff, MonthSignOffDay, RejectedRow, WorkLog
from services.errors import PermissionDenied, ValidationError
from services.own_log import share_period
from services.own_log_answers import answer_difference
from services.sign_off import (
    SignOffRefused,
    answer_day,
    approve_month,
    confirm_month,
    dispute_month,
    reopen_month,
)
from services.work_records import EntryRefused, add_pay_item, add_work_log, correct_work_log
from tests.app_fixtures import build_small_studio

BOSS = Identity(username="boss", role="manager")
REP = Identity(username="rep", role="advocate")
JAN = dt.date(2025, 1, 1)


def _studio(session: Session) -> tuple[dict[str, int], Identity, Identity]:
    ids = build_small_studio(session)
    hanako = Identity(username="artist", role="artist", person_id=ids["artist"])
    ichiro = Identity(username="artist2", role="artist", person_id=ids["artist2"])
    return ids, hanako, ichiro


def _actions(session: Session) -> list[str]:
    return session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("sign_off.%")).order_by(AuditEvent.id)
    ).all()


def _entry(session: Session, person_id: int, day: dt.date) -> WorkLog:
    return session.scalars(select(WorkLog).where(WorkLog.person_id == person_id, WorkLog.work_date == day)).one()


def test_confirm_approve_locks_the_month_for_that_person(session: Session, tmp_path: Path) -> None:
    ids, hanako, _ = _studio(session)
    row = confirm_month(session, hanako, person_id=ids["artist"], month=dt.date(2025, 1, 20))
    session.commit()
    # The totals she confirmed: 26 days × 10 h, and ¥180,000.
    assert (row.status, row.month_start, row.month_end) == ("confirmed", JAN, dt.date(2025, 1, 31))
    assert (row.studio_seconds, row.studio_pay, row.currency) == (260 * 3600, Decimal("180000.00"), "JPY")
    approve_month(session, BOSS, sign_off_id=row.id)
    session.commit()
    assert (row.status, row.approved_by) == ("approved", "boss")
    assert _actions(session) == ["sign_off.confirm", "sign_off.approve"]

    entry = _entry(session, ids["artist"], dt.date(2025, 1, 10))
    refusals = [
        lambda: correct_work_log(
            session, BOSS, work_log_id=entry.id, cells={"work_date": "2025-01-10", "minutes": "720"}
        ),  # fmt: skip
        lambda: add_work_log(
            session, BOSS, person_id=ids["artist"], cells={"work_date": "2025-01-04", "minutes": "60"}
        ),  # fmt: skip
        lambda: add_pay_item(
            session,
            BOSS,
            person_id=ids["artist"],
            cells={"basis": "per_cut", "amount": "5000", "period_start": "2025-01-01", "period_end": "2025-01-31"},
        ),  # fmt: skip
    ]
    for write in refusals:
        with pytest.raises(EntryRefused, match=r"2025-01-01–2025-01-31 is signed off: .* boss approved them") as exc:
            write()
        assert "reopen the month" in exc.value.message("page")
    session.rollback()
    assert entry.seconds == 600 * 60
    # February is not hers to lock, and January is not 髙橋一郎's.
    add_work_log(session, BOSS, person_id=ids["artist"], cells={"work_date": "2025-02-15", "minutes": "60"})
    other = _entry(session, ids["artist2"], dt.date(2025, 1, 10))
    correct_work_log(session, BOSS, work_log_id=other.id, cells={"work_date": "2025-01-10", "minutes": "500"})
    session.commit()

    # An import refuses her January and takes her February and 一郎's January.
    path = tmp_path / "work_logs.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["person", "work_date", "minutes", "production", "role"])
        w.writerow(["山田花子", "2025-01-03", "300", "星の港", "原画"])
        w.writerow(["山田花子", "2025-02-16", "300", "星の港", "原画"])
        w.writerow(["髙橋一郎", "2025-01-03", "300", "星の港", "原画"])
    summary = import_file(session, path=path, format="canonical_work_logs")
    session.commit()
    assert summary.rejected_by_reason == {"month_signed_off": 1} and summary.imported == 2
    rejected = session.scalars(select(RejectedRow).where(RejectedRow.reason_code == "month_signed_off")).one()
    assert rejected.value == "2025-01-03" and "signed off this month" in rejected.reason

    # Reopened, the month takes corrections again; confirming it again waits for a new approval.
    with pytest.raises(ValidationError, match="say why"):
        reopen_month(session, BOSS, sign_off_id=row.id, reason=" ")
    reopen_month(session, BOSS, sign_off_id=row.id, reason="late retake payment")
    correct_work_log(session, BOSS, work_log_id=entry.id, cells={"work_date": "2025-01-10", "minutes": "720"})
    session.commit()
    assert row.status == "reopened" and _actions(session)[-1] == "sign_off.reopen"
    again = confirm_month(session, hanako, person_id=ids["artist"], month=JAN)
    assert again.id == row.id and again.studio_seconds == (260 * 60 + 120) * 60 and again.approved_by is None


def test_an_approval_is_refused_when_the_record_changed_after_the_confirmation(session: Session) -> None:
    ids, hanako, _ = _studio(session)
    row = confirm_month(session, hanako, person_id=ids["artist"], month=JAN)
    entry = _entry(session, ids["artist"], dt.date(2025, 1, 10))
    correct_work_log(session, BOSS, work_log_id=entry.id, cells={"work_date": "2025-01-10", "minutes": "660"})
    session.commit()
    with pytest.raises(SignOffRefused, match=r"changed after the artist confirmed it \(260.00 h .* 261.00 h"):
        approve_month(session, BOSS, sign_off_id=row.id)
    assert row.status == "confirmed"


def test_a_dispute_of_two_days_answered_each_and_read_by_the_artist(session: Session) -> None:
    ids, hanako, _ = _studio(session)
    days = {dt.date(2025, 1, 7): "12 h that day: retakes until 23:00", dt.date(2025, 1, 4): "worked at home, 6 h"}
    row = dispute_month(session, hanako, person_id=ids["artist"], month=JAN, days=days)
    session.commit()
    assert row.status == "disputed"
    with pytest.raises(SignOffRefused, match="answer each day they disputed first"):
        approve_month(session, BOSS, sign_off_id=row.id)
    with pytest.raises(ValidationError, match="explanation cannot be empty"):
        answer_day(session, BOSS, sign_off_id=row.id, work_date=dt.date(2025, 1, 4), answer="explain", note="")
    with pytest.raises(NotFound, match="did not dispute 2025-01-05"):
        answer_day(session, BOSS, sign_off_id=row.id, work_date=dt.date(2025, 1, 5), answer="accept", note=None)
    answer_day(session, BOSS, sign_off_id=row.id, work_date=dt.date(2025, 1, 7), answer="accept",
               note="the studio's record will be corrected to 12 h")  # fmt: skip
    assert row.status == "disputed"  # one day still waits
    answer_day(session, BOSS, sign_off_id=row.id, work_date=dt.date(2025, 1, 4), answer="explain",
               note="Saturdays at home were not commissioned")  # fmt: skip
    session.commit()
    assert row.status == "answered"

    seen = sign_off_month(session, scope=Scope(people=(ids["artist"],), start=JAN, viewer=hanako))
    assert seen.status == "answered" and (seen.studio_hours, seen.studio_pay) == (260.0, 180000.0)
    assert seen.days[["work_date", "studio_hours", "answer"]].values.tolist() == [
        [dt.date(2025, 1, 4), 0.0, "explain"], [dt.date(2025, 1, 7), 10.0, "accept"]]  # fmt: skip
    assert seen.days["answer_note"].tolist() == ["Saturdays at home were not commissioned",
                                                 "the studio's record will be corrected to 12 h"]  # fmt: skip
    assert seen.days["note"].tolist() == ["worked at home, 6 h", "12 h that day: retakes until 23:00"]
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_off.dispute")).one()
    assert events.new_values["days"] == {"2025-01-04": "worked at home, 6 h",
                                         "2025-01-07": "12 h that day: retakes until 23:00"}  # fmt: skip
    assert _actions(session) == ["sign_off.dispute", "sign_off.answer", "sign_off.answer"]

    # She disputes again after reading the answers: the new days replace the old, the audit keeps them.
    dispute_month(session, hanako, person_id=ids["artist"], month=JAN, days={dt.date(2025, 1, 4): "still 6 h"})
    session.commit()
    assert session.scalars(select(MonthSignOffDay.work_date)).all() == [dt.date(2025, 1, 4)]
    last = session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_off.dispute").order_by(
        AuditEvent.id.desc())).first()  # fmt: skip
    assert last.old_values["days"]["2025-01-07"] == "12 h that day: retakes until 23:00"


def test_what_a_dispute_needs(session: Session) -> None:
    ids, hanako, _ = _studio(session)
    bad = [({}, "at least one day"), ({dt.date(2025, 2, 1): "x"}, "is not in 2025-01-01–2025-01-31"),
           ({dt.date(2025, 1, 7): "  "}, "note for 2025-01-07 is empty")]  # fmt: skip
    for days, match in bad:
        with pytest.raises(ValidationError, match=match):
            dispute_month(session, hanako, person_id=ids["artist"], month=JAN, days=days)
    with pytest.raises(SignOffRefused, match="has not ended yet"):
        confirm_month(session, hanako, person_id=ids["artist"], month=JAN, today=dt.date(2025, 1, 31))
    confirm_month(session, hanako, person_id=ids["artist"], month=JAN, today=dt.date(2025, 2, 1))


@pytest.mark.parametrize("who", ["boss", "rep", "other", "nobody"])
def test_only_the_artist_signs_their_month(session: Session, who: str) -> None:
    ids, hanako, ichiro = _studio(session)
    actor = {"boss": BOSS, "rep": REP, "other": ichiro, "nobody": None}[who]
    with pytest.raises(PermissionDenied):
        confirm_month(session, actor, person_id=ids["artist"], month=JAN)
    with pytest.raises(PermissionDenied):
        dispute_month(session, actor, person_id=ids["artist"], month=JAN, days={dt.date(2025, 1, 7): "x"})
    assert session.scalars(select(MonthSignOff)).all() == []


@pytest.mark.parametrize("who", ["self", "rep", "other", "nobody"])
def test_only_a_manager_approves_answers_or_reopens(session: Session, who: str) -> None:
    ids, hanako, ichiro = _studio(session)
    row = dispute_month(session, hanako, person_id=ids["artist"], month=JAN, days={dt.date(2025, 1, 7): "12 h"})
    actor = {"self": hanako, "rep": REP, "other": ichiro, "nobody": None}[who]
    for write in (lambda: approve_month(session, actor, sign_off_id=row.id),
                  lambda: answer_day(session, actor, sign_off_id=row.id, work_date=dt.date(2025, 1, 7),
                                     answer="accept", note=None),
                  lambda: reopen_month(session, actor, sign_off_id=row.id, reason="x"),
                  # Refused before the id is looked up: a wrong role learns nothing of which sign-offs exist.
                  lambda: approve_month(session, actor, sign_off_id=999_999)):  # fmt: skip
        with pytest.raises(PermissionDenied):
            write()
    assert row.status == "disputed"
    if who != "self":  # she reads her own month; nobody else but a manager does
        with pytest.raises(AccessDenied):
            sign_off_month(session, scope=Scope(people=(ids["artist"],), start=JAN, viewer=actor))
    with pytest.raises(AccessDenied):
        waiting_sign_offs(session, scope=Scope(viewer=actor), today=dt.date(2025, 3, 1))


def test_one_sign_off_per_person_month_and_the_status_checked_by_the_database(session: Session) -> None:
    ids, hanako, _ = _studio(session)
    confirm_month(session, hanako, person_id=ids["artist"], month=JAN)
    session.commit()
    values = dict(person_id=ids["artist"], month_start=JAN, month_end=dt.date(2025, 1, 31), studio_seconds=0,
                  studio_pay=Decimal(0), currency="JPY", signed_by="artist")  # fmt: skip
    for row in (MonthSignOff(**values, status="confirmed"),  # a second one for the same month
                MonthSignOff(**{**values, "month_start": dt.date(2025, 2, 1), "month_end": dt.date(2025, 2, 28)},
                             status="signed"),  # no such status
                MonthSignOff(**{**values, "month_start": dt.date(2025, 2, 1), "month_end": dt.date(2025, 2, 28)},
                             status="approved")):  # approved by nobody  # fmt: skip
        session.add(row)
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()


def test_the_managers_list_and_their_answers_to_a_shared_own_log(session: Session) -> None:
    ids, hanako, ichiro = _studio(session)
    today = dt.date(2025, 3, 5)
    dispute_month(session, hanako, person_id=ids["artist"], month=JAN, days={dt.date(2025, 1, 7): "12 h"},
                  today=today)  # fmt: skip
    session.commit()
    waiting = waiting_sign_offs(session, scope=Scope(viewer=BOSS), today=today)
    rows = waiting[["person_id", "month", "status", "waiting_for", "since"]].values.tolist()
    since = session.scalars(select(MonthSignOff.status_since)).one().date()
    # Hanako's January disputed first; then the months nobody signed, oldest first, unsigned since the month ended.
    assert rows == [
        [ids["artist"], JAN, "disputed", "manager", since],
        [ids["artist2"], JAN, "unsigned", "artist", dt.date(2025, 2, 1)],
        [ids["artist"], dt.date(2025, 2, 1), "unsigned", "artist", dt.date(2025, 3, 1)],
        [ids["artist2"], dt.date(2025, 2, 1), "unsigned", "artist", dt.date(2025, 3, 1)],
    ]
    # 佐藤美咲 has records but no account: she cannot sign, so she is not waited on.
    assert ids["pen"] not in set(waiting["person_id"])

    # The manager answers a difference only inside a period she shared.
    with pytest.raises(PermissionDenied, match="has not shared"):
        answer_difference(session, BOSS, person_id=ids["artist"], work_date=dt.date(2025, 1, 7), note="seen")
    share_period(session, hanako, person_id=ids["artist"], start=JAN, end=dt.date(2025, 1, 31))
    for actor in (hanako, ichiro, REP, None):
        with pytest.raises(PermissionDenied):
            answer_difference(session, actor, person_id=ids["artist"], work_date=dt.date(2025, 1, 7), note="x")
    answer_difference(session, BOSS, person_id=ids["artist"], work_date=dt.date(2025, 1, 7), note="we will check")
    answer_difference(session, BOSS, person_id=ids["artist"], work_date=dt.date(2025, 1, 7), note="corrected: 12 h")
    session.commit()
    mine = own_log_answers(session, scope=Scope(people=(ids["artist"],), start=JAN, end=dt.date(2025, 1, 31),
                                                viewer=hanako))  # fmt: skip
    assert mine[["work_date", "note", "answered_by"]].values.tolist() == [[dt.date(2025, 1, 7), "corrected: 12 h",
                                                                            "boss"]]  # fmt: skip
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "own_log.answer")).all()
    assert [e.old_values for e in events] == [None, {"note": "we will check", "answered_by": "boss"}]
    with pytest.raises(AccessDenied):
        own_log_answers(session, scope=Scope(people=(ids["artist"],), start=JAN, end=dt.date(2025, 1, 31),
                                             viewer=ichiro))  # fmt: skip
