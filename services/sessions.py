"""Sessions that survive a browser reload and end when they should.

A sign-in opens a server-side session (:mod:`data.accounts.sessions`): the page hands the browser a one-time code,
the browser exchanges it at ``/endroll/session`` (``server.py``) for an HttpOnly, SameSite cookie holding a random
token, and the database keeps only the token's sha256. A session is valid while it is not revoked (sign-out), not
expired (``session_hours``), its account is active and the account's ``session_epoch`` has not moved on since
(deactivation, role change and password reset move it): :func:`current_identity` checks exactly that on every
script run, so a change reaches an open browser at its next click.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from data import settings
from data.accounts import sessions as stored
from data.identity import Identity
from data.locks import brief_wait
from data.schema import Account, SignInSession, utcnow
from services.sign_in import identity_for

COOKIE = "endroll_session"
# Set by server.py when it serves the routes below in this process; without them a sign-in lasts one page session.
COOKIE_ROUTES = False
HANDOFF_PATH = "/endroll/session"
SIGN_OUT_PATH = "/endroll/sign-out"


@dataclass(frozen=True)
class Started:
    """A session just opened: its id (kept in the page's state) and the one-time code for the cookie."""

    session_id: int
    handoff_code: str


def start_session(
    session: Session, *, account_id: int, via: str = "local", now: dt.datetime | None = None
) -> Started | None:
    """Open a session for the account and commit it; returns its id and hand-off code. None when the database stays
    write-locked for a second (a long SQLite import): the sign-in then lasts as long as the page's session, checked
    on every run against the account itself (:func:`identity_as_account_is`)."""
    account = session.get(Account, account_id)
    if account is None:
        raise ValueError(f"no account {account_id}")
    try:
        with brief_wait(session, 1000):
            session_id, code = stored.open_session(
                session, account, via=via, now=now or utcnow(), hours=settings.get("session_hours")
            )
        session.commit()
    except OperationalError:
        session.rollback()
        return None
    return Started(session_id, code)


def identity_as_account_is(session: Session, ident: Identity) -> Identity | None:
    """``ident`` as its account is now (active, same role and person), or None; an identity with no account (an
    identity provider's role claim, a command line) is returned as it is."""
    if ident.account_id is None:
        return ident
    account = session.get(Account, ident.account_id)
    if account is None or not account.is_active or (account.role, account.person_id) != (ident.role, ident.person_id):
        return None
    return identity_for(account, via=ident.via)


def redeem_handoff(session: Session, *, code: str, now: dt.datetime | None = None) -> str | None:
    """The cookie token for a valid one-time ``code`` (None otherwise); the caller commits."""
    return stored.redeem_handoff(session, code, now=now or utcnow())


def _valid(session: Session, row: SignInSession | None, now: dt.datetime) -> Identity | None:
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    account = session.get(Account, row.account_id)
    if account is None or not account.is_active or account.session_epoch != row.epoch:
        return None
    return identity_for(account, via=row.via)


def current_identity(session: Session, *, session_id: int, now: dt.datetime | None = None) -> Identity | None:
    """The identity of session ``session_id`` as the account is now, or None when the session has ended (signed
    out, expired, account deactivated, role changed, password reset)."""
    return _valid(session, session.get(SignInSession, session_id), now or utcnow())


def resume(session: Session, *, token: str | None, now: dt.datetime | None = None) -> tuple[int, Identity] | None:
    """The session id and identity a browser's cookie ``token`` still stands for, or None."""
    row = stored.session_for_token(session, token or "")
    ident = _valid(session, row, now or utcnow())
    return (row.id, ident) if row is not None and ident is not None else None


def end_session(session: Session, *, session_id: int | None = None, token: str | None = None) -> None:
    """Revoke the session (by id, or by the browser's cookie token); the caller commits."""
    if session_id is None and token:
        row = stored.session_for_token(session, token)
        session_id = row.id if row is not None else None
    if session_id is not None:
        stored.revoke(session, session_id=session_id, now=utcnow())


def end_account_sessions(session: Session, account: Account) -> None:
    """End every session of ``account`` at once: its epoch moves on and its live sessions are revoked."""
    account.session_epoch = (account.session_epoch or 0) + 1
    stored.revoke(session, account_id=account.id, now=utcnow())
