"""Accounts as stored: sign-in names, argon2 password hashes, roles and failed sign-in counts.

Storage only: hashing and checking passwords, adding an account row, reading rows. Changing an account is a change a
person makes, so it goes through :mod:`services.accounts` (role check, validation, audit event), and signing in
through :mod:`services.sign_in`. The command line ``python -m data.accounts`` (``__main__.py`` here) calls those
services as the shell user.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from data.locks import brief_wait  # here so tests can make it wait as a busy database would
from data.names import normalize_username, username_skeleton
from data.schema import Account

COMMON_PASSWORDS = Path(__file__).resolve().parent / "common_passwords.txt"

_hasher = PasswordHasher()
_dummy_hashes: dict[tuple[int, int, int], str] = {}


def hash_password(password: str, *, hasher: PasswordHasher | None = None) -> str:
    """The argon2 hash of ``password`` (argon2-cffi's encoded form, parameters included)."""
    return (hasher or _hasher).hash(password)


def _dummy_hash(hasher: PasswordHasher) -> str:
    # Unknown users are verified against a hash of the same cost, so timing does not reveal which names exist.
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = hasher.hash("endroll-dummy-password")
    return _dummy_hashes[key]


def verify_password(encoded: str | None, password: str, *, hasher: PasswordHasher | None = None) -> bool:
    """True when ``password`` matches the hash ``encoded``. ``None`` (no such account, or no password) is checked
    against a dummy hash of the same cost and is always False, so the answer takes as long either way."""
    hasher = hasher or _hasher
    try:
        matches = hasher.verify(encoded or _dummy_hash(hasher), password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return matches and encoded is not None


def needs_rehash(encoded: str, *, hasher: PasswordHasher | None = None) -> bool:
    """True when ``encoded`` was made with other argon2 parameters than the hasher's (rehash on the next sign-in)."""
    return (hasher or _hasher).check_needs_rehash(encoded)


def create_account(
    session: Session,
    username: str,
    password: str | None,
    role: str,
    *,
    person_id: int | None = None,
    oidc_email: str | None = None,
    hasher: PasswordHasher | None = None,
) -> Account:
    """Add an account row (the password hashed; ``None``: identity-provider sign-in only), flushed; returns it.

    The row only: no role check, no audit event, nothing checked beyond the table's constraints (known role, an
    artist linked to a person, unique username and email). A person's change goes through
    :func:`services.accounts.create_account`; this is what it writes with, and what seeds accounts (the demo studio,
    test fixtures) call directly.
    """
    account = Account(
        username=normalize_username(username),
        username_skeleton=username_skeleton(username),
        password_hash=hash_password(password, hasher=hasher) if password is not None else None,
        role=role,
        person_id=person_id,
        oidc_email=oidc_email.strip().lower() if oidc_email else None,
    )
    session.add(account)
    session.flush()
    return account


def account_named(session: Session, username: str) -> Account | None:
    """The account whose username is ``username`` in its one spelling (NFKC, case folded, blanks trimmed), or None."""
    return session.scalar(select(Account).where(Account.username == normalize_username(username)))


def account_looking_like(session: Session, username: str) -> Account | None:
    """The account whose username looks like ``username`` (same :func:`data.names.username_skeleton`), or None."""
    return session.scalar(select(Account).where(Account.username_skeleton == username_skeleton(username)))


@functools.cache
def common_passwords() -> frozenset[str]:
    """The common passwords refused as a new password (``common_passwords.txt``: NFKC, case folded)."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(unicodedata.normalize("NFKC", line).casefold() for line in lines if line and line[0] != "#")


def account_for_email(session: Session, email: str) -> Account | None:
    """The account an identity provider's user with ``email`` (already lower-cased) maps to, or None."""
    return session.scalar(select(Account).where(Account.oidc_email == email))


def public_values(account: Account) -> dict[str, Any]:
    """What an audit event or a page may show about an account: ``username``, ``role``, ``person_id``,
    ``oidc_email``, ``is_active`` — never the hash."""
    return {
        "username": account.username,
        "role": account.role,
        "person_id": account.person_id,
        "oidc_email": account.oidc_email,
        "is_active": account.is_active,
    }


def list_accounts(session: Session) -> list[dict[str, Any]]:
    """Every account as plain values, ordered by username: :func:`public_values` and ``id``, ``password_set``,
    ``failed_attempts``, ``locked_until``, ``last_login_at`` (never the hash)."""
    rows = []
    for account in session.scalars(select(Account).order_by(Account.username)):
        rows.append(
            {
                **public_values(account),
                "id": account.id,
                "password_set": account.password_hash is not None,
                "failed_attempts": account.failed_attempts,
                "locked_until": account.locked_until,
                "last_login_at": account.last_login_at,
            }
        )
    return rows


def claim_sign_in_attempt(
    session: Session,
    account_id: int,
    *,
    now: dt.datetime,
    wait_after: Callable[[int], int],
    carried: int = 0,
    lock_wait_ms: int = 30000,
) -> bool:
    """Count one sign-in attempt for the account before its password is checked; False when it is locked.

    One conditional update (compare-and-set on the failure count and lock) checks and counts at once, so N
    simultaneous guesses get at most as many password checks as the limit allows: the attempt that reaches the limit
    sets the lock in the same statement (``wait_after(new_count)`` seconds; 0: no lock), and a right password clears
    both (:func:`sign_in_succeeded`). ``carried`` failures counted elsewhere while the database was busy are added in
    the same statement. Waits at most ``lock_wait_ms`` for the write lock (then ``OperationalError``). Commits: the
    count must survive the caller's rollback."""
    for _ in range(64):
        # End any read snapshot first: on SQLite the update must open its own transaction, or a writer that
        # committed since the read would make it fail at once instead of waiting its turn.
        session.rollback()
        row = session.execute(
            select(Account.failed_attempts, Account.locked_until).where(Account.id == account_id)
        ).one_or_none()
        session.rollback()
        if row is None:
            return False
        failures, locked = row
        if locked is not None and locked > now:
            return False
        count = failures + carried + 1
        wait = wait_after(count)
        same_lock = Account.locked_until.is_(None) if locked is None else Account.locked_until == locked
        with brief_wait(session, lock_wait_ms):
            result = session.execute(
                update(Account)
                .where(Account.id == account_id, Account.failed_attempts == failures, same_lock)
                .values(failed_attempts=count, locked_until=now + dt.timedelta(seconds=wait) if wait else None)
                .execution_options(synchronize_session=False)
            )
        session.commit()
        if result.rowcount == 1:
            return True
    return False  # another attempt won every round: treat as locked rather than check unclaimed


def failure_state(session: Session, account_id: int) -> tuple[int, dt.datetime | None]:
    """The account's stored failure count and lock (0 and None for an unknown account); a read only."""
    row = session.execute(
        select(Account.failed_attempts, Account.locked_until).where(Account.id == account_id)
    ).one_or_none()
    return (0, None) if row is None else (int(row[0]), row[1])


def sign_in_succeeded(session: Session, account_id: int, *, now: dt.datetime, new_hash: str | None = None) -> bool:
    """Clear the account's failures and lock, note the sign-in time (and store a rehashed password); commits.
    Best effort: skipped, returning False, when the database stays busy for a second (a long SQLite import)."""
    values: dict[str, Any] = {"failed_attempts": 0, "locked_until": None, "last_login_at": now}
    if new_hash is not None:
        values["password_hash"] = new_hash
    try:
        with brief_wait(session, 1000):
            session.execute(
                update(Account)
                .where(Account.id == account_id)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
        session.commit()
    except OperationalError:
        session.rollback()
        return False
    return True
