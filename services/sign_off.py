"""The monthly sign-off: once a calendar month has ended, the artist confirms the studio's hours and pay for it, or
disputes it day by day with a note each; a manager approves a confirmed month, or answers each disputed day
(``accept``: the studio's record is to be corrected; ``explain``: it stands, and why). An approved month is locked for
that person as a closed pay period is (:func:`services.work_records` and the importers refuse its work logs and pay
items) until a manager reopens it. Every step is an audit event.

Who: only the artist themself confirms or disputes their month (:func:`services.own_log.own_person`); only a manager
approves, answers or reopens; an advocate or another artist is refused before anything is read.

The state machine (also the ``month_sign_off.status`` check constraint; one row per person-month, unique):

    (none) ─confirm→ confirmed ─approve→ approved ─reopen→ reopened
    (none) ─dispute→ disputed ─answer every day→ answered
    confirmed, disputed, answered, reopened ─confirm→ confirmed / ─dispute→ disputed
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from data import audit
from data.errors import NotFound
from data.i18n import N_
from data.identity import Identity
from data.schema import SIGN_OFF_ANSWERS, MonthSignOff, MonthSignOffDay, RollupPersonDay, RollupPersonMonth, utcnow
from services.access import require
from services.errors import ValidationError
from services.own_log import own_person

NOTE_LIMIT = 2000
_REOPEN = {"page": N_("a manager reopens it on the Person page's Sign-off tab")}


class SignOffRefused(ValidationError):
    """The step asked for does not follow from the month's sign-off as it stands; the message says what does."""


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of ``day``'s calendar month."""
    first = day.replace(day=1)
    return first, (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()


def studio_month(session: Session, *, person_id: int, month: dt.date) -> tuple[int, Decimal, str]:
    """The studio's record of ``person_id``'s month as the rollups keep it: (seconds worked, pay, currency)."""
    m = RollupPersonMonth
    row = session.execute(
        select(m.seconds, m.pay_amount, m.currency).where(m.person_id == person_id, m.month_start == month)
    ).first()
    if row is None:
        return 0, Decimal("0.00"), "JPY"
    return int(row[0] or 0), Decimal(str(row[1] or 0)).quantize(Decimal("0.01")), row[2] or "JPY"


def note_text(text: str | None, *, what: str) -> str | None:
    """``text`` stripped (None when empty), or :class:`ValidationError` when longer than :data:`NOTE_LIMIT`."""
    text = (text or "").strip()
    if len(text) > NOTE_LIMIT:
        raise ValidationError(N_("{what} is longer than {limit} characters"), fix=N_("shorten it"), what=what,
                              limit=NOTE_LIMIT)  # fmt: skip
    return text or None


def _ended(start: dt.date, end: dt.date, today: dt.date | None) -> None:
    today = today or dt.date.today()
    if end >= today:
        raise SignOffRefused(
            N_("{start}–{end} has not ended yet: a month is signed off after its last day"),
            fix=N_("pick a month that has ended"), start=start, end=end,
        )  # fmt: skip


def _not_approved(row: MonthSignOff | None) -> None:
    if row is not None and row.status == "approved":
        raise SignOffRefused(
            N_("{start}–{end} is already signed off and approved by {manager}"), fix=_REOPEN,
            start=row.month_start, end=row.month_end, manager=row.approved_by,
        )  # fmt: skip


def _row(session: Session, person_id: int, start: dt.date) -> MonthSignOff | None:
    return session.scalar(
        select(MonthSignOff).where(MonthSignOff.person_id == person_id, MonthSignOff.month_start == start)
    )


def _sign(session: Session, actor: Identity, person_id: int, month: dt.date, status: str,
          today: dt.date | None) -> tuple[MonthSignOff, dict[str, object] | None]:  # fmt: skip
    """The month's row set to ``status`` by the artist, with the studio's totals now; (row, old values or None)."""
    start, end = month_bounds(month)
    _ended(start, end, today)
    row = _row(session, person_id, start)
    _not_approved(row)
    seconds, pay, currency = studio_month(session, person_id=person_id, month=start)
    old = None if row is None else _state(row)
    now = utcnow()
    if row is None:
        row = MonthSignOff(person_id=person_id, month_start=start, month_end=end, status=status, status_since=now,
                           studio_seconds=seconds, studio_pay=pay, currency=currency, signed_by=actor.username,
                           signed_at=now)  # fmt: skip
        session.add(row)
    else:
        row.status, row.status_since, row.signed_by, row.signed_at = status, now, actor.username, now
        row.studio_seconds, row.studio_pay, row.currency = seconds, pay, currency
        row.approved_by = row.approved_at = None
    session.flush()
    return row, old


def _state(row: MonthSignOff) -> dict[str, object]:
    return {"person_id": row.person_id, "month": row.month_start.isoformat(), "status": row.status,
            "studio_seconds": row.studio_seconds, "studio_pay": str(row.studio_pay), "currency": row.currency}  # fmt: skip


def confirm_month(
    session: Session, actor: Identity | None, *, person_id: int, month: dt.date, today: dt.date | None = None
) -> MonthSignOff:
    """The artist confirms the studio's hours and pay for ``month``'s calendar month (any day in it; the month has
    ended); the flushed sign-off, ``confirmed``, holding the totals confirmed."""
    actor = own_person(actor, person_id, to=N_("sign off a month"))
    row, old = _sign(session, actor, person_id, month, "confirmed", today)
    audit.record(session, actor=actor.username, action="sign_off.confirm", entity_type="month_sign_off",
                 entity_id=row.id, old=old, new=_state(row))  # fmt: skip
    return row


def dispute_month(
    session: Session,
    actor: Identity | None,
    *,
    person_id: int,
    month: dt.date,
    days: Mapping[dt.date, str],
    today: dt.date | None = None,
) -> MonthSignOff:
    """The artist disputes ``month``'s studio record at ``days`` (each day of the month → the artist's note, not
    empty); the flushed sign-off, ``disputed``. A dispute replaces the days of an earlier one."""
    actor = own_person(actor, person_id, to=N_("sign off a month"))
    start, end = month_bounds(month)
    if not days:
        raise ValidationError(N_("a dispute needs at least one day, each with a note"),
                              fix=N_("pick the days the studio's record has wrong and say what is wrong"))  # fmt: skip
    notes: dict[dt.date, str] = {}
    for day, text in sorted(days.items()):
        if not start <= day <= end:
            raise ValidationError(N_("{day} is not in {start}–{end}"), fix=N_("pick days of the month you sign off"),
                                  day=day, start=start, end=end)  # fmt: skip
        note = note_text(text, what=N_("a day's note"))
        if note is None:
            raise ValidationError(N_("the note for {day} is empty"),
                                  fix=N_("say what the studio's record has wrong that day"), day=day)  # fmt: skip
        notes[day] = note
    row, old = _sign(session, actor, person_id, month, "disputed", today)
    earlier = session.scalars(select(MonthSignOffDay).where(MonthSignOffDay.sign_off_id == row.id)).all()
    if earlier:
        old = {**(old or {}), "days": {d.work_date.isoformat(): d.note for d in earlier}}
        session.execute(delete(MonthSignOffDay).where(MonthSignOffDay.sign_off_id == row.id))
    d = RollupPersonDay
    studio = dict(session.execute(
        select(d.work_date, d.seconds).where(d.person_id == person_id, d.work_date.between(start, end))
    ).tuples().all())  # fmt: skip
    for day, note in notes.items():
        session.add(MonthSignOffDay(sign_off_id=row.id, work_date=day, note=note,
                                    studio_seconds=int(studio.get(day) or 0)))  # fmt: skip
    session.flush()
    audit.record(session, actor=actor.username, action="sign_off.dispute", entity_type="month_sign_off",
                 entity_id=row.id, old=old,
                 new={**_state(row), "days": {k.isoformat(): v for k, v in notes.items()}})  # fmt: skip
    return row


def _managed(session: Session, actor: Identity | None, sign_off_id: int, *, to: str) -> tuple[Identity, MonthSignOff]:
    actor = require(actor, "manager", to=to)  # before any read: a refused role learns nothing
    row = session.get(MonthSignOff, sign_off_id)
    if row is None:
        raise NotFound(N_("no month's sign-off has id {sign_off_id}"), fix={"page": N_("pick one from the list")},
                       sign_off_id=sign_off_id)  # fmt: skip
    return actor, row


def approve_month(session: Session, actor: Identity | None, *, sign_off_id: int) -> MonthSignOff:
    """A manager approves a confirmed month: ``approved``, and the month is locked for that person. Refused unless
    the artist confirmed it, and when the studio's totals changed after they did."""
    actor, row = _managed(session, actor, sign_off_id, to=N_("approve a month's sign-off"))
    if row.status != "confirmed":
        what = {
            "disputed": N_("the artist disputed {start}–{end}: answer each day they disputed first"),
            "answered": N_("{start}–{end} waits for the artist: they read your answers and confirm or dispute again"),
            "approved": N_("{start}–{end} is already approved"),
            "reopened": N_("{start}–{end} was reopened: the artist confirms it again first"),
        }[row.status]
        raise SignOffRefused(what, start=row.month_start, end=row.month_end)
    seconds, pay, currency = studio_month(session, person_id=row.person_id, month=row.month_start)
    if (seconds, pay, currency) != (row.studio_seconds, Decimal(row.studio_pay).quantize(Decimal("0.01")),
                                    row.currency):  # fmt: skip
        raise SignOffRefused(
            N_("the studio's record of {start}–{end} changed after the artist confirmed it ({then_hours:.2f} h and "
               "{then_pay} {currency} then, {now_hours:.2f} h and {now_pay} {now_currency} now)"),
            fix=N_("the artist confirms the month again, as it is now"), start=row.month_start, end=row.month_end,
            then_hours=row.studio_seconds / 3600, then_pay=row.studio_pay, currency=row.currency,
            now_hours=seconds / 3600, now_pay=pay, now_currency=currency,
        )  # fmt: skip
    old = _state(row)
    row.status, row.status_since = "approved", utcnow()
    row.approved_by, row.approved_at = actor.username, row.status_since
    session.flush()
    audit.record(session, actor=actor.username, action="sign_off.approve", entity_type="month_sign_off",
                 entity_id=row.id, old=old, new={**_state(row), "locked": True})  # fmt: skip
    return row


def answer_day(
    session: Session, actor: Identity | None, *, sign_off_id: int, work_date: dt.date, answer: str, note: str | None
) -> MonthSignOffDay:
    """A manager answers one disputed day: ``answer`` ``accept`` (the studio's record is to be corrected; ``note``
    optional) or ``explain`` (``note`` says why it stands). Once every disputed day is answered the sign-off is
    ``answered`` and waits for the artist. The day, flushed."""
    actor, row = _managed(session, actor, sign_off_id, to=N_("answer a disputed day"))
    if row.status not in ("disputed", "answered"):
        raise SignOffRefused(N_("{start}–{end} has no dispute to answer"), start=row.month_start, end=row.month_end)
    if answer not in SIGN_OFF_ANSWERS:
        raise ValidationError(N_("'{answer}' is not an answer"), fix=N_("accept the day, or explain the record"),
                              answer=answer)  # fmt: skip
    text = note_text(note, what=N_("the answer"))
    if answer == "explain" and text is None:
        raise ValidationError(N_("an explanation cannot be empty"),
                              fix=N_("say why the studio's record of that day stands"))  # fmt: skip
    day = session.scalar(
        select(MonthSignOffDay).where(MonthSignOffDay.sign_off_id == row.id, MonthSignOffDay.work_date == work_date)
    )
    if day is None:
        raise NotFound(N_("the artist did not dispute {day}"), fix={"page": N_("pick one of the disputed days")},
                       day=work_date)  # fmt: skip
    old = {"answer": day.answer, "answer_note": day.answer_note}
    day.answer, day.answer_note, day.answered_by, day.answered_at = answer, text, actor.username, utcnow()
    session.flush()
    waiting = session.scalar(
        select(MonthSignOffDay.id).where(MonthSignOffDay.sign_off_id == row.id, MonthSignOffDay.answer.is_(None))
    )
    if waiting is None and row.status == "disputed":
        row.status, row.status_since = "answered", utcnow()
        session.flush()
    audit.record(session, actor=actor.username, action="sign_off.answer", entity_type="month_sign_off",
                 entity_id=row.id, old={**old, "work_date": work_date.isoformat()},
                 new={"work_date": work_date.isoformat(), "answer": answer, "answer_note": text,
                      "status": row.status})  # fmt: skip
    return day


def reopen_month(session: Session, actor: Identity | None, *, sign_off_id: int, reason: str) -> MonthSignOff:
    """A manager reopens an approved month (``reason`` said): ``reopened``, the lock gone; the artist signs it
    again once the record is corrected."""
    actor, row = _managed(session, actor, sign_off_id, to=N_("reopen a signed-off month"))
    if row.status != "approved":
        raise SignOffRefused(N_("{start}–{end} is not approved, so there is nothing to reopen"),
                             start=row.month_start, end=row.month_end)  # fmt: skip
    text = note_text(reason, what=N_("the reason"))
    if text is None:
        raise ValidationError(N_("say why the month is reopened"), fix=N_("write the reason"))
    old = _state(row)
    row.status, row.status_since = "reopened", utcnow()
    session.flush()
    audit.record(session, actor=actor.username, action="sign_off.reopen", entity_type="month_sign_off",
                 entity_id=row.id, old={**old, "approved_by": row.approved_by},
                 new={**_state(row), "reason": text, "locked": False})  # fmt: skip
    return row
