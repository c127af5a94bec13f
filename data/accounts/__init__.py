"""Accounts as stored: sign-in names, argon2 password hashes, roles and failed sign-in counts.

Storage only: hashing and checking passwords, adding an account row, reading rows. Changing an account is a change a
person makes, so it goes through :mod:`services.accounts` (role check, validation, audit event), and signing in
through :mod:`services.sign_in`. The command line ``python -m data.accounts`` (``__main__.py`` here) calls those
services as the shell user.
"""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data.schema import Account

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
        username=username.strip(),
        password_hash=hash_password(password, hasher=hasher) if password is not None else None,
        role=role,
        person_id=person_id,
        oidc_email=oidc_email.strip().lower() if oidc_email else None,
    )
    session.add(account)
    session.flush()
    return account


def account_named(session: Session, username: str) -> Account | None:
    """The account whose username is ``username`` (surrounding blanks ignored), or None."""
    return session.scalar(select(Account).where(Account.username == (username or "").strip()))


def account_for_email(session: Session, email: str) -> Account | None:
    """The account an identity provider's user with ``email`` (already lower-cased) maps to, or None."""
    return session.scalar(select(Account).where(Account.oidc_email == email))


def count_failed_sign_in(session: Session, account: Account) -> int:
    """Add one to the account's failed sign-ins, atomically (two concurrent wrong guesses both count); the new count."""
    session.execute(update(Account).where(Account.id == account.id).values(failed_attempts=Account.failed_attempts + 1))
    session.refresh(account, ["failed_attempts"])
    return account.failed_attempts


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
