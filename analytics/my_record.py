"""An artist's own record: credits, hours and pay by month, effective hourly pay, requests they made.

Every function takes the requesting :class:`~data.identity.Identity` and refuses another person's id
(PermissionError), so a page that forgot to hide something still cannot leak it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.access import ensure_can_view_person
from analytics.findings import findings
from data.identity import Identity
from data.schema import CorrectionRequest, Person, RollupPersonMonth


@dataclass(frozen=True)
class MyRecord:
    """An artist's record as the My record page shows it.

    ``profile``: names (native, kana, romaji), display name, pen name, visibility.
    ``monthly``: ``month`` (YYYY-MM), ``currency``, ``hours``, ``pay_amount``, ``pay_per_hour`` (NaN when no hours).
    ``credits``: see :func:`own_credits`.
    ``requests``: ``id``, ``subject``, ``status``, ``created_at``, ``response``, ``answered_at``.
    """

    person_id: int
    profile: dict[str, Any]
    monthly: pd.DataFrame
    credits: pd.DataFrame
    requests: pd.DataFrame


def monthly_hours_and_pay(*, session: Session, identity: Identity, person_id: int) -> pd.DataFrame:
    """Hours and pay per calendar month for one person (pay counts in the month its period ends, as in the pay
    analytics). Columns: ``month`` (YYYY-MM), ``currency`` (of the workplace), ``hours``, ``pay_amount``,
    ``pay_per_hour`` (pay ÷ hours; NaN in months without logged hours)."""
    ensure_can_view_person(identity, person_id)
    m = RollupPersonMonth
    rows = session.execute(
        select(m.month_start, m.currency, m.minutes / 60.0, m.pay_amount)
        .where(m.person_id == person_id)
        .order_by(m.month_start)
    ).all()
    frame = pd.DataFrame(rows, columns=["month", "currency", "hours", "pay_amount"])
    frame["month"] = frame["month"].map(lambda d: str(d)[:7])
    frame["hours"] = frame["hours"].astype(float).round(1)
    frame["pay_amount"] = frame["pay_amount"].astype(float).round(0)
    frame["pay_per_hour"] = (frame["pay_amount"] / frame["hours"].where(frame["hours"] > 0)).round(0)
    return frame


def own_credits(*, session: Session, identity: Identity, person_id: int) -> pd.DataFrame:
    """Every credit naming the person, internal and imported (the credits engine's artist record): lines on their
    linked aliases, and public credits whose unlinked alias has the same match key (``match`` = "name").
    Columns: ``production``, ``production_en``, ``year``, ``role_as_credited``, ``role_en``, ``episode_scope``,
    ``name_as_credited``, ``block``, ``source``, ``match``."""
    ensure_can_view_person(identity, person_id)
    from analytics.credits.record import artist_record, ensure_can_view

    ensure_can_view(identity.role, identity.person_id, person_id)
    frame = artist_record(person_id, session=session)
    return frame[_CREDIT_COLUMNS].reset_index(drop=True)


_CREDIT_COLUMNS = [
    "production",
    "production_en",
    "year",
    "role_as_credited",
    "role_en",
    "episode_scope",
    "name_as_credited",
    "block",
    "source",
    "match",
]


def export_my_record(*, session: Session, identity: Identity, person_id: int, fmt: str) -> bytes:
    """The person's credit record as ``csv``, ``json`` or a printable ``pdf`` (Japanese font), after the check."""
    ensure_can_view_person(identity, person_id)
    from analytics.credits.record import export_record

    return export_record(person_id, fmt, session=session)


def profile(*, session: Session, identity: Identity, person_id: int) -> dict[str, Any]:
    """The person's names and display preference (no email: it is not shown on pages)."""
    ensure_can_view_person(identity, person_id)
    person = session.get(Person, person_id)
    if person is None:
        raise LookupError(f"no person with id {person_id}; ask a manager to link your account")
    return {
        "person_id": person.id,
        "native_name": person.native_name,
        "kana": f"{person.family_kana or ''} {person.given_kana or ''}".strip(),
        "romaji": person.romaji_given_first,
        "display_name": person.display_name,
        "pen_name": person.pen_name,
        "visibility": person.visibility,
    }


def own_requests(*, session: Session, identity: Identity, person_id: int) -> pd.DataFrame:
    """Correction requests about the person. Columns as in :class:`MyRecord` ``requests``."""
    ensure_can_view_person(identity, person_id)
    rows = session.execute(
        select(
            CorrectionRequest.id,
            CorrectionRequest.subject,
            CorrectionRequest.status,
            CorrectionRequest.created_at,
            CorrectionRequest.response,
            CorrectionRequest.answered_at,
        )
        .where(CorrectionRequest.person_id == person_id)
        .order_by(CorrectionRequest.created_at.desc())
    ).all()
    return pd.DataFrame(rows, columns=["id", "subject", "status", "created_at", "response", "answered_at"])


def my_record(*, session: Session, identity: Identity, person_id: int) -> MyRecord:
    """The whole record for the My record page, in one call; refuses anyone but the person (or a manager)."""
    ensure_can_view_person(identity, person_id)
    return MyRecord(
        person_id=person_id,
        profile=profile(session=session, identity=identity, person_id=person_id),
        monthly=monthly_hours_and_pay(session=session, identity=identity, person_id=person_id),
        credits=own_credits(session=session, identity=identity, person_id=person_id),
        requests=own_requests(session=session, identity=identity, person_id=person_id),
    )


def my_findings(*, session: Session, identity: Identity, person_id: int) -> pd.DataFrame:
    """Compliance findings that concern the person (hours, pay, freelance terms). Columns: ``rule_id``,
    ``severity``, ``period_start``, ``period_end``, ``measured_value``, ``threshold``, ``unit``, ``explanation``."""
    ensure_can_view_person(identity, person_id)
    found = findings(session=session, person_ids=[person_id])
    columns = ["rule_id", "severity", "period_start", "period_end", "measured_value", "threshold", "unit",
               "explanation"]  # fmt: skip
    if found.empty:
        return pd.DataFrame(columns=columns)
    mine = found[found["person_id"] == person_id]
    return mine[[c for c in columns if c in mine.columns]].reset_index(drop=True)
