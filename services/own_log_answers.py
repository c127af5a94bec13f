"""A manager's answer to a day where an artist's shared own log and the studio's record differ. The artist reads it
on My record. Managers only, and only for a day inside a period the artist shared: the answer is to what the artist
chose to show."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from data import audit
from data.i18n import N_
from data.identity import Identity
from data.schema import OwnLogAnswer, OwnLogShare, utcnow
from services.access import require
from services.errors import PermissionDenied, ValidationError
from services.sign_off import note_text


def answer_difference(
    session: Session, actor: Identity | None, *, person_id: int, work_date: dt.date, note: str
) -> OwnLogAnswer:
    """A manager's answer ``note`` to ``person_id``'s ``work_date`` (inside a period they shared); replaces an
    earlier answer to that day. The flushed answer."""
    actor = require(actor, "manager", to=N_("answer a difference in a shared own log"))
    s = OwnLogShare
    shared = session.scalar(
        select(s.id).where(s.person_id == person_id, s.period_start <= work_date, s.period_end >= work_date).limit(1)
    )
    if shared is None:
        raise PermissionDenied(
            N_("person #{person_id} has not shared their own log for {day}"),
            fix={"page": N_("only the artist can share it, from their My record page")},
            person_id=person_id, day=work_date,
        )  # fmt: skip
    text = note_text(note, what=N_("the answer"))
    if text is None:
        raise ValidationError(N_("an answer cannot be empty"), fix=N_("write what the studio says about that day"))
    found = session.scalar(
        select(OwnLogAnswer).where(OwnLogAnswer.person_id == person_id, OwnLogAnswer.work_date == work_date)
    )
    old = None if found is None else {"note": found.note, "answered_by": found.answered_by}
    if found is None:
        found = OwnLogAnswer(person_id=person_id, work_date=work_date, note=text, answered_by=actor.username)
        session.add(found)
    else:
        found.note, found.answered_by, found.answered_at = text, actor.username, utcnow()
    session.flush()
    audit.record(session, actor=actor.username, action="own_log.answer", entity_type="own_log_answer",
                 entity_id=found.id, old=old,
                 new={"person_id": person_id, "work_date": work_date.isoformat(), "note": text})  # fmt: skip
    return found
