"""Signing in: a local password (argon2) or the studio's identity provider (OIDC) becomes an :class:`Identity`.

There is no actor yet, so these are the services that take none. What stops guessing:

* per account, one atomic statement counts an attempt before its password is checked
  (:func:`data.accounts.claim_sign_in_attempt`): after ``login_max_failures`` failures the account waits
  ``login_lockout_seconds``, doubling with each further failure up to ``login_lockout_max_seconds``;
* per client (the browser's address), more than ``login_client_max_failures`` failures in 10 minutes are refused
  unchecked (:class:`ClientThrottle`), whatever usernames they try;
* every refusal — unknown user, wrong password, locked account, throttled client, deactivated account — is the same
  :class:`AuthenticationError` after the same argon2 work, so nobody learns which usernames exist.

While SQLite's one write lock is held for long (an import of a million rows is one transaction), the count cannot be
written: :class:`BusyLedger` then counts attempts in this process under a lock, with the same limits, and hands the
failures to the database at the account's next counted attempt. Readers are never blocked (WAL), so sign-in goes on.

Sessions (cookie tokens, re-validation on every run) are :mod:`services.sessions`.
"""

from __future__ import annotations

import collections
import datetime as dt
import threading
import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from data import accounts, settings
from data.i18n import N_
from data.identity import Identity
from data.schema import ACCOUNT_ROLES, Account, Person, utcnow
from services.errors import ServiceError

_CHECK_SPELLING = {"page": N_("check the spelling, or ask a manager to reset your password")}
CLIENT_WINDOW_SECONDS = 600


class AuthenticationError(ServiceError):
    """Sign-in refused. The message never says whether the username exists, nor whether the account is locked."""

    def __init__(
        self,
        what: str = N_("wrong username or password"),
        *,
        fix: str | Mapping[str, str] | None = _CHECK_SPELLING,
        **params: Any,
    ) -> None:
        super().__init__(what, fix=fix, **params)

    @property
    def retry_after_seconds(self) -> int | None:
        """Seconds until a locked account may try again; never set on a password refusal (it would say the
        account exists and is locked)."""
        return self.params.get("seconds")


class SignInBusy(ServiceError):
    """The database stayed busy (a long import on SQLite) while a sign-in waited to be counted."""


class ClientThrottle:
    """Failed sign-ins per client in a sliding window, in this process (the dashboard's server).

    A client is what the page knows of the browser: its address. Behind a proxy every user shares one address, so
    the limit is generous (a studio's whole staff mistyping at once) and it never locks an account."""

    def __init__(self) -> None:
        self._failures: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> collections.deque[float]:
        failures = self._failures.setdefault(client, collections.deque())
        while failures and failures[0] <= now - CLIENT_WINDOW_SECONDS:
            failures.popleft()
        return failures

    def blocked(self, client: str, *, limit: int) -> bool:
        """True when ``client`` has ``limit`` or more failures in the last 10 minutes."""
        with self._lock:
            return len(self._recent(client, time.monotonic())) >= limit

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client, time.monotonic()).append(time.monotonic())

    def reset(self) -> None:
        """Forget every client's failures (tests)."""
        with self._lock:
            self._failures.clear()


CLIENTS = ClientThrottle()
CLAIM_WAIT_MS = 2000  # how long a sign-in waits for SQLite's write lock before counting in the BusyLedger
SERIAL_WAIT_SECONDS = 10.0  # how long an attempt waits behind the same account's other attempts in this process


class BusyLedger:
    """Sign-in attempts counted in this process while the database is write-locked (a long SQLite import).

    :meth:`claim` is atomic under one lock, so simultaneous guesses get no more password checks than the stored
    count allows; the failures it counted are added to the stored count by the account's next attempt that reaches
    the database (:meth:`take`).

    An account's attempts in this process are claimed one at a time (:meth:`serial`): a guess falls back here when
    its database claim waited too long, which under load happens while other guesses' claims are committing, and
    the count it read before would be stale by then. One at a time, the fallback reads the count again and it is
    exact for this process; the password checks themselves still run side by side."""

    def __init__(self) -> None:
        self._failures: dict[int, int] = {}
        self._locked_until: dict[int, dt.datetime] = {}
        self._serial: dict[int, threading.Lock] = {}
        self._lock = threading.Lock()

    def serial(self, account_id: int) -> threading.Lock:
        """The lock under which one of the account's attempts is claimed, in the database or here."""
        with self._lock:
            return self._serial.setdefault(account_id, threading.Lock())

    def claim(
        self, account_id: int, *, stored: int, stored_lock: dt.datetime | None, now: dt.datetime, wait_after: Any
    ) -> bool:
        """Count one attempt before its password is checked; False when the account is locked."""
        with self._lock:
            locked = max((t for t in (stored_lock, self._locked_until.get(account_id)) if t is not None), default=None)
            if locked is not None and locked > now:
                return False
            count = stored + self._failures.get(account_id, 0) + 1
            self._failures[account_id] = self._failures.get(account_id, 0) + 1
            if wait := wait_after(count):
                self._locked_until[account_id] = now + dt.timedelta(seconds=wait)
            return True

    def succeeded(self, account_id: int) -> None:
        with self._lock:
            self._failures.pop(account_id, None)
            self._locked_until.pop(account_id, None)

    def pending(self, account_id: int) -> int:
        with self._lock:
            return self._failures.get(account_id, 0)

    def take(self, account_id: int, count: int) -> None:
        """Forget ``count`` failures now written to the database."""
        with self._lock:
            left = self._failures.get(account_id, 0) - count
            if left > 0:
                self._failures[account_id] = left
            else:
                self._failures.pop(account_id, None)
                self._locked_until.pop(account_id, None)

    def reset(self) -> None:
        with self._lock:
            self._failures.clear()
            self._locked_until.clear()


BUSY = BusyLedger()


def lockout_seconds(failures: int, *, max_failures: int, base_seconds: int, cap_seconds: int | None = None) -> int:
    """Wait imposed after ``failures`` consecutive failures: none below the limit, then base × 2^(extra failures),
    at most ``cap_seconds``."""
    if failures < max_failures:
        return 0
    wait = base_seconds * 2 ** min(failures - max_failures, 16)
    return min(wait, cap_seconds) if cap_seconds is not None else wait


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    hasher: PasswordHasher | None = None,
    now: dt.datetime | None = None,
    client: str | None = None,
) -> Account:
    """The active account whose password matches, or :class:`AuthenticationError` (always the same one).

    Commits the session, unlike other services: a failure count must survive even though the caller sees an
    exception. :class:`SignInBusy` when the database stays locked past its busy timeout."""
    now = now or utcnow()
    client = client or "unknown"
    if CLIENTS.blocked(client, limit=settings.get("login_client_max_failures")):
        return _refuse(password, hasher=hasher)  # unchecked; no client is told which
    try:
        account = accounts.account_named(session, username)
        if account is None or account.password_hash is None or not account.is_active:
            CLIENTS.failed(client)
            return _refuse(password, hasher=hasher)
        account_id, encoded = account.id, account.password_hash
        max_failures = settings.get("login_max_failures", session)
        base = settings.get("login_lockout_seconds", session)
        cap = settings.get("login_lockout_max_seconds", session)

        def wait_after(failures: int) -> int:
            return lockout_seconds(failures, max_failures=max_failures, base_seconds=base, cap_seconds=cap)

        if not _claim(session, account, now=now, wait_after=wait_after):
            CLIENTS.failed(client)
            return _refuse(password, hasher=hasher)  # locked: the same answer and the same work as unknown
        if not accounts.verify_password(encoded, password, hasher=hasher):
            CLIENTS.failed(client)
            raise AuthenticationError()
        BUSY.succeeded(account_id)
        new_hash = (
            accounts.hash_password(password, hasher=hasher) if accounts.needs_rehash(encoded, hasher=hasher) else None
        )
        if not accounts.sign_in_succeeded(session, account_id, now=now, new_hash=new_hash):
            session.rollback()  # the database is busy: the last-login time waits for the next sign-in
        session.expire_all()
        return session.get(Account, account_id)
    except OperationalError as exc:
        session.rollback()
        raise SignInBusy(
            N_("the database is busy (a long import may be writing); sign-in could not be counted"),
            fix=N_("try again in a minute"),
        ) from exc


def _claim(session: Session, account: Account, *, now: dt.datetime, wait_after: Any) -> bool:
    account_id = account.id
    session.rollback()  # no pooled connection held while waiting for the account's other attempts
    serial = BUSY.serial(account_id)
    # Many guesses at one account queue here; past a bound the rest are refused unchecked, as if it were locked.
    if not serial.acquire(timeout=SERIAL_WAIT_SECONDS):
        return False
    try:
        carried = BUSY.pending(account_id)
        try:
            claimed = accounts.claim_sign_in_attempt(
                session, account_id, now=now, wait_after=wait_after, carried=carried, lock_wait_ms=CLAIM_WAIT_MS
            )
        except OperationalError:
            if session.get_bind().dialect.name != "sqlite":
                raise
            session.rollback()
            # Read again (readers are never blocked): what was read before this attempt waited may be stale.
            stored, stored_lock = accounts.failure_state(session, account_id)
            session.rollback()
            return BUSY.claim(account_id, stored=stored, stored_lock=stored_lock, now=now, wait_after=wait_after)
        if claimed and carried:
            BUSY.take(account_id, carried)
        return claimed
    finally:
        serial.release()


def _refuse(password: str, *, hasher: PasswordHasher | None) -> Account:
    accounts.verify_password(None, password, hasher=hasher)  # the same argon2 work as a real check
    raise AuthenticationError()


def identity_for(account: Account, *, via: str = "local") -> Identity:
    """The identity a signed-in account acts as (never its hash)."""
    person = account.person
    return Identity(
        username=account.username,
        role=account.role,
        person_id=account.person_id,
        account_id=account.id,
        display_name=person.display_name if person is not None else account.username,
        via=via,
    )


def sign_in(
    session: Session,
    *,
    username: str,
    password: str,
    hasher: PasswordHasher | None = None,
    now: dt.datetime | None = None,
    client: str | None = None,
) -> Identity:
    """The identity of the account ``username`` when ``password`` is right (see :func:`authenticate`)."""
    return identity_for(
        authenticate(session, username=username, password=password, hasher=hasher, now=now, client=client)
    )


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() == "true"


def identity_for_oidc(
    session: Session, *, claims: Mapping[str, Any], role_claim: str = "role", role_issuer: str = ""
) -> Identity:
    """Map an identity-provider user (``st.user``: the id token's claims) to an identity.

    1. The account bound to this user (``iss`` + ``sub``) decides the role.
    2. Otherwise an account created for the user's email, when the provider says the email is verified
       (``email_verified``), is bound to this ``iss`` + ``sub`` now; from then on the email no longer matters.
    3. Otherwise a ``role_claim`` gives the role, only when the token comes from ``role_issuer`` (empty: never);
       an artist also needs a Person with that verified email, so they see only their own record.
    """
    issuer, subject = str(claims.get("iss") or "").strip(), str(claims.get("sub") or "").strip()
    email = str(claims.get("email") or "").strip().lower()
    verified = _truthy(claims.get("email_verified"))
    if not issuer or not subject:
        raise AuthenticationError(
            N_("the identity provider sent no issuer or subject"),
            fix=N_("ask the administrator to configure an OpenID Connect provider"),
        )
    account = session.scalar(select(Account).where(Account.oidc_issuer == issuer, Account.oidc_subject == subject))
    if account is None and email and verified:
        candidate = accounts.account_for_email(session, email)
        if candidate is not None and candidate.oidc_subject is not None:
            raise AuthenticationError(
                N_("the account for {email} is bound to another identity-provider user"),
                fix={"page": "ask a manager to check the account on the Admin page"},
                email=email,
            )
        if candidate is not None:
            candidate.oidc_issuer, candidate.oidc_subject = issuer, subject
            account = candidate
    if account is not None:
        if not account.is_active:
            raise AuthenticationError(
                N_("the account for {email} is deactivated"),
                fix={
                    "page": N_("ask a manager to reactivate it on the Admin page"),
                    "cli": N_("reactivate it with `python -m data.accounts activate --username {username}`"),
                },
                email=email or account.username,
                username=account.username,
            )
        account.last_login_at = utcnow()
        return replace(identity_for(account), via="oidc")
    if email and not verified:
        raise AuthenticationError(
            N_("the identity provider has not verified the email {email}"),
            fix=N_("verify the email with the identity provider, then sign in again"),
            email=email,
        )
    role = str(claims.get(role_claim) or "").strip().lower()
    if not email or role not in ACCOUNT_ROLES or not role_issuer or issuer != role_issuer:
        raise AuthenticationError(
            N_("no Endroll account for {email}"),
            fix={
                "page": N_("ask a manager to create one with this identity-provider email on the Admin page"),
                "cli": N_(
                    "create one with "
                    "`python -m data.accounts create --username NAME --role ROLE --oidc-email {email} --no-password`"
                ),
            },
            email=email or subject,
        )
    person_id = None
    if role == "artist":
        person_id = session.scalar(select(Person.id).where(Person.email == email))
        if person_id is None:
            raise AuthenticationError(
                N_("no person has the email {email}; an artist must be linked to their own record"),
                fix={
                    "page": N_(
                        "ask a manager to add this email to your person record (the people import on the Import page)"
                    ),
                    "cli": N_(
                        "add the email to the person's record with the people import "
                        "(`python -m data.importers FILE --format canonical_people`)"
                    ),
                },
                email=email,
            )
    name = str(claims.get("name") or email)
    return Identity(username=email, role=role, person_id=person_id, display_name=name, via="oidc")
