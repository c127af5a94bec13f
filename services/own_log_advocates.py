"""An artist's choice to let a month of their own log count in the advocates' anonymized figures, and to take it
back. Only the artist decides, as with sharing a period with the managers (:mod:`services.own_log`); opting in shows
advocates nothing of the artist's own, only shares over groups of at least k people
(:func:`analytics.release.own_log_release`). The audit trail says who opted which month in or out, nothing more."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.release import quarter_end, quarter_start
from data import audit
from data.i18n import N_
from data.identity import Identity
from data.schema import OwnLogAdvocateMonth
from services.errors import ValidationError
from services.own_log import own_person


def _find(session: Session, person_id: int, month: dt.date) -> OwnLogAdvocateMonth | None:
    m = OwnLogAdvocateMonth
    return session.scalar(select(m).where(m.person_id == person_id, m.month_start == month.replace(day=1)))


def opt_in(
    session: Session, actor: Identity | None, *, person_id: int, month: dt.date, today: dt.date | None = None
) -> OwnLogAdvocateMonth:
    """Let the month of ``month`` (any day in it) of ``person_id``'s own log count in the advocates' anonymized
    figures (the artist themselves only); the row (the one already there, if any). Only until the month's calendar
    quarter has ended (``today``: default the date now): the advocates' figures of an ended quarter are released,
    and one more person in them would change them by exactly that person's numbers."""
    actor = own_person(actor, person_id, to=N_("let a month count in the advocates' figures"))
    today = today or dt.date.today()
    if quarter_end(quarter_start(month)) < today:
        raise ValidationError(
            N_("the quarter of {month} has ended and its figures are released to the advocates; a month can be "
               "added to them only until its quarter ends"),
            fix=N_("choose a month of the current quarter"), month=f"{month:%Y-%m}",
        )  # fmt: skip
    found = _find(session, person_id, month)
    if found is not None:
        return found
    row = OwnLogAdvocateMonth(person_id=person_id, month_start=month.replace(day=1))
    session.add(row)
    session.flush()
    audit.record(
        session, actor=actor.username, action="own_log.advocate_opt_in", entity_type="own_log_advocate_month",
        entity_id=row.id, new={"person_id": person_id, "month_start": row.month_start.isoformat()},
    )  # fmt: skip
    return row


def opt_out(session: Session, actor: Identity | None, *, person_id: int, month: dt.date) -> bool:
    """Take the month of ``month`` out of the advocates' figures (the artist themselves only); whether it was in."""
    actor = own_person(actor, person_id, to=N_("take a month out of the advocates' figures"))
    found = _find(session, person_id, month)
    if found is None:
        return False
    audit.record(
        session, actor=actor.username, action="own_log.advocate_opt_out", entity_type="own_log_advocate_month",
        entity_id=found.id, old={"person_id": person_id, "month_start": found.month_start.isoformat()},
    )  # fmt: skip
    session.delete(found)
    session.flush()
    return True
