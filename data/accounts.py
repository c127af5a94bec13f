"""Accounts: sign-in names, argon2 password hashes and roles (manager, advocate, artist).

Sign-in goes through :func:`authenticate`; the dashboard and every scoped query work with the :class:`Identity` it
leads to, which carries no password or hash. Repeated failures for one account are slowed down: after
``login_max_failures`` failures the account waits ``login_lockout_seconds``, doubling with each further failure.

Command line::

    python -m data.accounts create --username U --role manager|advocate|artist [--person ID] [--password-stdin]
    python -m data.accounts list
    python -m data.accounts set-password --username U [--password-stdin]
    python -m data.accounts deactivate --username U
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data import audit, settings
from data.identity import Identity
from data.schema import ACCOUNT_ROLES, Account, Person, utcnow

_hasher = PasswordHasher()
_dummy_hashes: dict[tuple[int, int, int], str] = {}


class AccountError(ValueError):
    """An account cannot be created or changed as asked; the message says why."""


class AuthenticationError(PermissionError):
    """Sign-in refused. The message never says whether the username exists."""

    def __init__(self, message: str = "wrong username or password", *, retry_after_seconds: int | None = None) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


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
    actor: str = "cli",
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
    if session.scalar(select(Account.id).where(Account.username == username)) is not None:
        raise AccountError(f"an account named {username!r} exists already")
    if person_id is not None and session.get(Person, person_id) is None:
        raise AccountError(f"no person with id {person_id}; list people with the People page or the importer")
    account = Account(
        username=username,
        password_hash=hash_password(password, hasher) if password is not None else None,
        role=role,
        person_id=person_id,
        oidc_email=oidc_email.strip().lower() if oidc_email else None,
    )
    session.add(account)
    session.flush()
    _audit(session, actor, "account.create", account, None, _public(account))
    return account


def _public(account: Account) -> dict[str, Any]:
    # What an audit event or a page may show about an account: never the hash.
    return {
        "username": account.username,
        "role": account.role,
        "person_id": account.person_id,
        "oidc_email": account.oidc_email,
        "is_active": account.is_active,
    }


def _audit(session: Session, actor: str, action: str, account: Account, old: Any, new: Any) -> None:
    audit.record(session, actor=actor, action=action, entity_type="account", entity_id=account.id, old=old, new=new)


def _dummy_hash(hasher: PasswordHasher) -> str:
    # Unknown users are verified against a hash of the same cost, so timing does not reveal which names exist.
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = hasher.hash("endroll-dummy-password")
    return _dummy_hashes[key]


def lockout_seconds(failures: int, *, max_failures: int, base_seconds: int) -> int:
    """Wait imposed after ``failures`` consecutive failures: none below the limit, then base × 2^(extra failures)."""
    if failures < max_failures:
        return 0
    return base_seconds * 2 ** min(failures - max_failures, 16)


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    hasher: PasswordHasher | None = None,
    now: dt.datetime | None = None,
) -> Account:
    """The active account whose password matches, or :class:`AuthenticationError`.

    Commits the session: a failure count must survive even though the caller sees an exception (and would
    otherwise roll it back). A locked account is refused without checking the password, with the seconds to wait.
    """
    hasher = hasher or _hasher
    now = now or utcnow()
    account = session.scalar(select(Account).where(Account.username == (username or "").strip()))
    if account is None or account.password_hash is None or not account.is_active:
        _verify(hasher, _dummy_hash(hasher), password)
        raise AuthenticationError()
    if account.locked_until is not None and account.locked_until > now:
        wait = max(1, int((account.locked_until - now).total_seconds() + 0.999))
        raise AuthenticationError(
            f"too many failed sign-ins for this account; try again in {wait} s", retry_after_seconds=wait
        )
    if not _verify(hasher, account.password_hash, password):
        _record_failure(session, account, now)
        raise AuthenticationError()
    if hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hasher.hash(password)
    account.failed_attempts = 0
    account.locked_until = None
    account.last_login_at = now
    session.commit()
    return account


def _verify(hasher: PasswordHasher, encoded: str, password: str) -> bool:
    try:
        return hasher.verify(encoded, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _record_failure(session: Session, account: Account, now: dt.datetime) -> None:
    # An atomic increment, so two concurrent wrong guesses both count.
    session.execute(update(Account).where(Account.id == account.id).values(failed_attempts=Account.failed_attempts + 1))
    session.refresh(account, ["failed_attempts"])
    wait = lockout_seconds(
        account.failed_attempts,
        max_failures=settings.get("login_max_failures", session),
        base_seconds=settings.get("login_lockout_seconds", session),
    )
    if wait:
        account.locked_until = now + dt.timedelta(seconds=wait)
    session.commit()


def identity_for(account: Account) -> Identity:
    """The identity a signed-in account acts as."""
    person = account.person
    return Identity(
        username=account.username,
        role=account.role,
        person_id=account.person_id,
        account_id=account.id,
        display_name=person.display_name if person is not None else account.username,
    )


def identity_for_oidc(session: Session, claims: Mapping[str, Any], *, role_claim: str = "role") -> Identity:
    """Map an identity-provider user (``st.user``) to an identity.

    An active account whose ``oidc_email`` is the user's email decides the role. Otherwise a ``role_claim`` from
    the provider may give manager or advocate; an artist role claim also needs a Person with that email, so the
    artist sees only their own record.
    """
    email = str(claims.get("email") or "").strip().lower()
    if not email:
        raise AuthenticationError("the identity provider sent no email; ask the administrator to include it")
    account = session.scalar(select(Account).where(Account.oidc_email == email))
    if account is not None:
        if not account.is_active:
            raise AuthenticationError(f"the account for {email} is deactivated; ask a manager to reactivate it")
        account.last_login_at = utcnow()
        return replace(identity_for(account), via="oidc")
    role = str(claims.get(role_claim) or "").strip().lower()
    if role not in ACCOUNT_ROLES:
        raise AuthenticationError(
            f"no Endroll account for {email}; a manager can create one with "
            f"`python -m data.accounts create --username NAME --role ROLE --oidc-email {email}`"
        )
    person_id = None
    if role == "artist":
        person_id = session.scalar(select(Person.id).where(Person.email == email))
        if person_id is None:
            raise AuthenticationError(f"no person with email {email}; an artist must be linked to their record")
    name = str(claims.get("name") or email)
    return Identity(username=email, role=role, person_id=person_id, display_name=name, via="oidc")


def set_password(
    session: Session, username: str, password: str, *, hasher: PasswordHasher | None = None, actor: str = "cli"
) -> Account:
    account = _get(session, username)
    account.password_hash = hash_password(password, hasher)
    account.failed_attempts = 0
    account.locked_until = None
    _audit(session, actor, "account.set_password", account, None, {"password": "changed"})
    return account


def set_active(session: Session, username: str, active: bool, *, actor: str = "cli") -> Account:
    account = _get(session, username)
    old = _public(account)
    account.is_active = active
    _audit(session, actor, "account.activate" if active else "account.deactivate", account, old, _public(account))
    return account


def set_role(
    session: Session, username: str, role: str, *, person_id: int | None = None, actor: str = "cli"
) -> Account:
    account = _get(session, username)
    if role not in ACCOUNT_ROLES:
        raise AccountError(f"role {role!r} is not one of {', '.join(ACCOUNT_ROLES)}")
    person_id = person_id if person_id is not None else account.person_id
    if role == "artist" and person_id is None:
        raise AccountError("an artist account must be linked to a person")
    old = _public(account)
    account.role = role
    account.person_id = person_id
    session.flush()
    _audit(session, actor, "account.set_role", account, old, _public(account))
    return account


def unlock(session: Session, username: str, *, actor: str = "cli") -> Account:
    account = _get(session, username)
    account.failed_attempts = 0
    account.locked_until = None
    _audit(session, actor, "account.unlock", account, None, None)
    return account


def _get(session: Session, username: str) -> Account:
    account = session.scalar(select(Account).where(Account.username == username.strip()))
    if account is None:
        raise AccountError(f"no account named {username!r}; `python -m data.accounts list` shows them")
    return account


def list_accounts(session: Session) -> list[dict[str, Any]]:
    """Every account as plain values (never the hash), ordered by username."""
    rows = []
    for account in session.scalars(select(Account).order_by(Account.username)):
        rows.append(
            {
                **_public(account),
                "id": account.id,
                "password_set": account.password_hash is not None,
                "failed_attempts": account.failed_attempts,
                "locked_until": account.locked_until,
                "last_login_at": account.last_login_at,
            }
        )
    return rows


# ---------------------------------------------------------------------------------------------------------------
# Command line


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != password:
            raise AccountError("the two passwords differ")
    return password


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.accounts", description="Manage Endroll sign-in accounts.")
    parser.add_argument("--database-url", help="database (default: DATABASE_URL or the embedded SQLite file)")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create", help="create an account")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=ACCOUNT_ROLES)
    create.add_argument("--person", type=int, help="person id (required for artists)")
    create.add_argument("--oidc-email", help="email the identity provider sends for this user")
    create.add_argument("--password-stdin", action="store_true", help="read the password from the first stdin line")
    create.add_argument("--no-password", action="store_true", help="identity-provider sign-in only")
    sub.add_parser("list", help="list accounts (never shows hashes)")
    setpw = sub.add_parser("set-password", help="set a new password (also unlocks)")
    setpw.add_argument("--username", required=True)
    setpw.add_argument("--password-stdin", action="store_true")
    for name in ("deactivate", "activate", "unlock"):
        p = sub.add_parser(name, help=f"{name} an account")
        p.add_argument("--username", required=True)
    args = parser.parse_args(argv)

    from data.engine import DatabaseError, get_engine, session_scope

    try:
        engine = get_engine(args.database_url)
        with session_scope(engine) as session:
            if args.command == "create":
                password = None if args.no_password else _read_password(args)
                account = create_account(
                    session, args.username, password, args.role, person_id=args.person, oidc_email=args.oidc_email
                )
                print(f"created {account.role} account {account.username!r} (id {account.id})")
            elif args.command == "list":
                print(f"{'username':<24} {'role':<9} {'person':>6} {'active':<6} {'password':<8} oidc_email")
                for row in list_accounts(session):
                    print(
                        f"{row['username']:<24} {row['role']:<9} {row['person_id'] or '':>6} "
                        f"{'yes' if row['is_active'] else 'no':<6} {'set' if row['password_set'] else '-':<8} "
                        f"{row['oidc_email'] or ''}"
                    )
            elif args.command == "set-password":
                set_password(session, args.username, _read_password(args))
                print(f"password changed for {args.username!r}")
            elif args.command in ("deactivate", "activate"):
                set_active(session, args.username, args.command == "activate")
                print(f"{args.command}d {args.username!r}")
            elif args.command == "unlock":
                unlock(session, args.username)
                print(f"unlocked {args.username!r}")
    except (AccountError, DatabaseError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
