"""The monthly sign-off as the pages read it: one person's month (the studio's record of it, day by day, the sign-off
and its disputed days with the managers' answers), the months a person can sign, the months managers wait on, and the
managers' answers to a shared own log.

Who: the artist sees their own; a manager anyone's (a sign-off is addressed to the managers); an advocate or another
artist nobody's (:func:`analytics.access.ensure_can_view_person`, before anything is read). The artist's own log is
not read here: a disputed day holds only the note the artist wrote for the managers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from analytics.access import ensure_can_view_person, ensure_role
from analytics.errors import AnalyticsError
from analytics.queries import sign_off as q
from analytics.scope import Scope
from data.i18n import N_
from data.law.params import SECONDS_PER_HOUR

# What a month waits for, by its sign-off's status (None: the artist has not signed it).
WAITING_FOR = {None: "artist", "reopened": "artist", "answered": "artist", "disputed": "manager",
               "confirmed": "manager"}  # fmt: skip


@dataclass(frozen=True)
class SignOffMonth:
    """One person's calendar month. ``studio_hours``, ``studio_pay``, ``currency``: the studio's record now;
    ``studio_days``: ``work_date``, ``studio_hours`` (date order); ``sign_off``: the sign-off's row
    (:data:`analytics.queries.sign_off.SIGN_OFF_COLUMNS`) or None; ``days``: its disputed days, ``work_date``,
    ``studio_hours`` (when disputed), ``note``, ``answer`` (None, "accept", "explain"), ``answer_note``,
    ``answered_by``, ``answered_at``; ``changed``: the studio's totals differ from those the artist signed."""

    person_id: int
    month: dt.date
    month_end: dt.date
    studio_hours: float
    studio_pay: float
    currency: str
    studio_days: pd.DataFrame
    sign_off: dict[str, Any] | None
    days: pd.DataFrame
    changed: bool

    @property
    def status(self) -> str | None:
        """The sign-off's status, None when the artist has not signed the month."""
        return None if self.sign_off is None else self.sign_off["status"]


def _days_shown(days: pd.DataFrame) -> pd.DataFrame:
    out = days.assign(studio_hours=days["studio_seconds"] / SECONDS_PER_HOUR)
    return out[["work_date", "studio_hours", "note", "answer", "answer_note", "answered_by", "answered_at"]]


def sign_off_month(session: Session, *, scope: Scope) -> SignOffMonth:
    """The scope's one person's month starting ``scope.start`` (any day in it): :class:`SignOffMonth`."""
    person_id = scope.person
    ensure_can_view_person(scope.viewer, person_id)
    if scope.start is None:
        raise AnalyticsError(N_("a sign-off is of one month"), fix={"page": N_("pick a month")})
    month = scope.start.replace(day=1)
    end = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
    seconds, pay, currency = q.studio_totals(session, person_id=person_id, month=month)
    studio = q.studio_month(session, person_id=person_id, start=month, end=end)
    studio_days = pd.DataFrame({"work_date": studio["work_date"], "studio_hours": studio["seconds"] / SECONDS_PER_HOUR})
    found = q.sign_offs(session, person_id=person_id)
    found = found[found["month"].map(lambda m: pd.Timestamp(m).date()) == month]
    row = None if found.empty else found.iloc[0].to_dict()
    days = q.disputed_days(session, sign_off_id=int(row["id"])) if row else pd.DataFrame(columns=q.DAY_COLUMNS)
    changed = row is not None and (
        int(row["studio_seconds"]) != seconds
        or round(float(row["studio_pay"]), 2) != round(pay, 2)
        or row["currency"] != currency
    )
    return SignOffMonth(person_id, month, end, seconds / SECONDS_PER_HOUR, pay, currency, studio_days, row,
                        _days_shown(days), changed)  # fmt: skip


def person_sign_offs(session: Session, *, scope: Scope) -> pd.DataFrame:
    """The scope's one person's sign-offs, latest month first: ``id``, ``month``, ``status``, ``status_since``,
    ``studio_hours`` and ``studio_pay`` (as signed), ``currency``, ``approved_by``."""
    person_id = scope.person
    ensure_can_view_person(scope.viewer, person_id)
    found = q.sign_offs(session, person_id=person_id)
    found = found.assign(studio_hours=found["studio_seconds"].astype(float) / SECONDS_PER_HOUR,
                         studio_pay=found["studio_pay"].astype(float))  # fmt: skip
    return found[["id", "month", "status", "status_since", "studio_hours", "studio_pay", "currency", "approved_by"]]


def signable_months(session: Session, *, scope: Scope, today: dt.date) -> list[dt.date]:
    """The first days of the scope's one person's months that have ended before ``today`` and hold work or pay,
    latest first."""
    person_id = scope.person
    ensure_can_view_person(scope.viewer, person_id)
    return q.months_with_records(session, person_id=person_id, before=today.replace(day=1))


def waiting_sign_offs(session: Session, *, scope: Scope, today: dt.date) -> pd.DataFrame:
    """Managers only: the months of artists with an account that have ended before ``today`` (within the scope's
    period and people, when it sets them), hold work or pay, and are not approved. ``person_id``, ``person``,
    ``month``, ``status`` ("unsigned", or the sign-off's), ``waiting_for`` ("artist" or "manager"), ``since`` (the
    date: the day after the month ended when unsigned, else when the sign-off took its status),
    ``disputed_days``, ``answered_days``. Disputed first, then the oldest."""
    ensure_role(scope.viewer, "manager")
    people = list(scope.people) if scope.people else None
    end = min(today, scope.end + dt.timedelta(days=1)) if scope.end else today
    found = q.open_months(session, start=scope.start, end=end, person_ids=people)
    if found.empty:
        return found.assign(waiting_for=pd.Series(dtype=object), since=pd.Series(dtype=object))
    month = found["month"].map(lambda m: pd.Timestamp(m).date())
    after = month.map(lambda m: (pd.Timestamp(m) + pd.offsets.MonthBegin(1)).date())
    since = [a if pd.isna(s) else pd.Timestamp(s).date() for a, s in zip(after, found["status_since"], strict=True)]
    status = found["status"].where(found["status"].notna(), "unsigned")
    out = found.assign(
        month=month,
        status=status,
        waiting_for=found["status"].map(lambda s: WAITING_FOR[None if pd.isna(s) else s]),
        since=since,
    )
    out["order"] = (out["status"] != "disputed").astype(int)
    out = out.sort_values(["order", "month", "person"], kind="stable").drop(columns=["order", "status_since"])
    return out[["person_id", "person", "month", "status", "waiting_for", "since", "disputed_days",
                "answered_days"]].reset_index(drop=True)  # fmt: skip


def own_log_answers(session: Session, *, scope: Scope) -> pd.DataFrame:
    """The managers' answers to the scope's one person's shared own log in the scope's period (both ends required):
    ``work_date``, ``note``, ``answered_by``, ``answered_at``. The artist, or a manager."""
    person_id = scope.person
    ensure_can_view_person(scope.viewer, person_id)
    if scope.start is None or scope.end is None:
        raise AnalyticsError(N_("the answers are read for a period with a start and an end"),
                             fix={"page": N_("pick a month")})  # fmt: skip
    return q.own_log_answers(session, person_id=person_id, start=scope.start, end=scope.end)
