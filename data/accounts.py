"""Accounts: sign-in names, argon2 password hashes and roles (manager, advocate, artist)."""

from __future__ import annotations

from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from data.schema import ACCOUNT_ROLES, Account

_hasher = PasswordHasher()


class AccountError(ValueError):
    """An account cannot be created or changed as asked; the message says why."""


def hash_password(password: str, hasher: PasswordHasher | None = None) -> str:
    if len(password) < 8:
        raise AccountError("a password needs at least 8 characters")
    return (hasher or _hasher).hash(password)


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
    """Create an account. Artists must be linked to their Person; identity-provider users may have no password."""
    username = username.strip()
    if not username:
        raise AccountError("a username is required")
    if role not in ACCOUNT_ROLES:
        raise AccountError(f"role {role!r} is not one of {', '.join(ACCOUNT_ROLES)}")
    if role == "artist" and person_id is None:
        raise AccountError("an artist account must be linked to a person (--person)")
    if password is None and oidc_email is None:
        raise AccountError("give a password, or an identity-provider email for single sign-on")
    account = Account(
        username=username,
        password_hash=hash_password(password, hasher) if password is not None else None,
        role=role,
        person_id=person_id,
        oidc_email=oidc_email,
    )
    session.add(account)
    session.flush()
    return account
