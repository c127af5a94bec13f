"""Sign-in sessions as stored: a browser's session is a row holding the sha256 of its cookie token, never the token.

Storage only (no policy): open a session with a one-time hand-off code, redeem the code for the cookie token, find a
session by its token, revoke sessions. :mod:`services.sessions` decides what is valid.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data.schema import Account, SignInSession

HANDOFF_SECONDS = 120  # the page hands the code to the browser at once; two minutes is ample and little to steal


def digest(secret: str) -> str:
    """The sha256 (hex) under which a token or code is stored; the secret itself never is."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def open_session(session: Session, account: Account, *, via: str, now: dt.datetime, hours: float) -> tuple[int, str]:
    """Add a session for ``account`` (its current epoch, expiring after ``hours``), flushed; returns its id and the
    one-time hand-off code the browser exchanges for its cookie (valid :data:`HANDOFF_SECONDS`)."""
    code = secrets.token_urlsafe(32)
    row = SignInSession(
        account_id=account.id,
        handoff_hash=digest(code),
        handoff_expires_at=now + dt.timedelta(seconds=HANDOFF_SECONDS),
        epoch=account.session_epoch,
        via=via,
        created_at=now,
        expires_at=now + dt.timedelta(hours=hours),
    )
    session.add(row)
    session.flush()
    return row.id, code


def redeem_handoff(session: Session, code: str, *, now: dt.datetime) -> str | None:
    """The cookie token for a hand-off ``code`` that is unused, unexpired and of a live session; None otherwise.

    One atomic update clears the code and stores the new token's hash, so a code works once even when two requests
    bring it at the same time."""
    token = secrets.token_urlsafe(32)
    result = session.execute(
        update(SignInSession)
        .where(
            SignInSession.handoff_hash == digest(code or ""),
            SignInSession.handoff_expires_at > now,
            SignInSession.revoked_at.is_(None),
            SignInSession.expires_at > now,
        )
        .values(handoff_hash=None, handoff_expires_at=None, token_hash=digest(token))
    )
    return token if result.rowcount == 1 else None


def session_for_token(session: Session, token: str) -> SignInSession | None:
    """The session whose cookie token is ``token`` (looked up by its hash), or None."""
    if not token:
        return None
    return session.scalar(select(SignInSession).where(SignInSession.token_hash == digest(token)))


def revoke(session: Session, *, session_id: int | None = None, account_id: int | None = None, now: dt.datetime) -> int:
    """Revoke one session, or every live session of an account; returns how many were revoked."""
    query = update(SignInSession).where(SignInSession.revoked_at.is_(None))
    if session_id is not None:
        query = query.where(SignInSession.id == session_id)
    elif account_id is not None:
        query = query.where(SignInSession.account_id == account_id)
    else:
        raise ValueError("revoke() needs a session_id or an account_id")
    return session.execute(query.values(revoked_at=now)).rowcount
