"""Changing accounts: create, set a password, change the role, activate or deactivate, unlock. Managers only;
and the first manager of a new deployment (:func:`bootstrap_manager`, from the command line only).

Each function takes the session and the acting identity, checks the role, validates, writes through
:mod:`data.accounts` and records an audit event (never a password or hash). A password reset, a role change and a
deactivation end the account's open sessions (:func:`services.sessions.end_account_sessions`). Usernames are stored
in one spelling (NFKC, case folded) and may not look like another account's (:func:`data.names.username_skeleton`);
passwords follow :func:`check_password`. Signing in is :mod:`services.sign_in`.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from data import accounts, audit
from data.errors import NotFound
from data.i18n import N_
from data.identity import Identity
from data.names import USERNAME_CHARS, normalize_username, username_scripts
from data.schema import ACCOUNT_ROLES, Account, Person
from services.access import require
from services.errors import ValidationError
from services.sessions import end_account_sessions

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024  # argon2 hashes anything, but a megabyte "password" is a way to burn CPU
MIN_DISTINCT_CHARACTERS = 4


class AccountError(ValidationError):
    """An account cannot be created or changed as asked; the message says why and what to change."""


def check_password(password: str, *, username: str | None = None) -> None:
    """Refuse a new password (:class:`AccountError`) shorter than 8 characters (blanks at either end not counted),
    longer than 1024, of fewer than 4 different characters, on the common-password list
    (``data/accounts/common_passwords.txt``) or the username itself. Passes silently otherwise."""
    core = (password or "").strip()
    if len(core) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            N_("a password needs at least {length} characters"),
            fix=N_("choose a longer one"),
            length=MIN_PASSWORD_LENGTH,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(
            N_("a password may have at most {length} characters"), fix=N_("choose a shorter one"),
            length=MAX_PASSWORD_LENGTH,
        )  # fmt: skip
    folded = unicodedata.normalize("NFKC", core).casefold()
    if len(set(folded)) < MIN_DISTINCT_CHARACTERS or folded in accounts.common_passwords():
        raise AccountError(
            N_("this password is one of the most common ones, which attackers try first"),
            fix=N_("choose a longer phrase of your own, for example three unrelated words"),
        )
    name = normalize_username(username)
    if name and folded.replace(" ", "") == name:
        raise AccountError(N_("the password is the username"), fix=N_("choose one that is not"))


def _check_username(session: Session, username: str) -> str:
    name = normalize_username(username)
    if not name:
        raise AccountError("a username is required", fix={"cli": "pass --username NAME", "page": "fill in Username"})
    if len(name) > 100 or not USERNAME_CHARS.match(name) or len(username_scripts(name)) > 1:
        raise AccountError(
            N_("the username {username!r} mixes writing systems or uses characters other than letters, digits, '.', "
               "'-', '_' and '@'"),
            fix=N_("use letters of one writing system, digits and . - _ @"),
            username=name,
        )  # fmt: skip
    if accounts.account_named(session, name) is not None:
        raise AccountError(
            "an account named {username!r} exists already",
            fix={"cli": "choose another --username", "page": "choose another username, or change that account below"},
            username=name,
        )
    twin = accounts.account_looking_like(session, name)
    if twin is not None:
        raise AccountError(
            N_("the username {username!r} looks like the existing account {existing!r}"),
            fix=N_("choose a username that cannot be mistaken for another"),
            username=name,
            existing=twin.username,
        )
    return name


def _check_password(password: str, username: str | None = None) -> None:
    check_password(password, username=username)


_NEEDS_PERSON = {"cli": N_("pass --person ID"), "page": N_("enter the artist's person id in 'Person id (artists)'")}


def _check_role(role: str, person_id: int | None, *, fix: dict[str, str] = _NEEDS_PERSON) -> None:
    if role not in ACCOUNT_ROLES:
        raise AccountError(N_("role {role!r} is not one of {roles}"), role=role, roles=", ".join(ACCOUNT_ROLES))
    if role == "artist" and person_id is None:
        raise AccountError(N_("an artist account must be linked to a person"), fix=fix)


def _check_person(session: Session, person_id: int | None) -> None:
    if person_id is not None and session.get(Person, person_id) is None:
        raise AccountError(
            N_("no person has id {person_id}"),
            fix={
                "cli": N_(
                    "check the id; a person not in the records yet comes in through the people import "
                    "(`python -m data.importers FILE --format canonical_people`)"
                ),
                "page": N_(
                    "check the id; a person not in the records yet comes in through the people import on the "
                    "Import page"
                ),
            },
            person_id=person_id,
        )


def _get(session: Session, username: str) -> Account:
    account = accounts.account_named(session, username)
    if account is None:
        raise NotFound(
            N_("no account is named {username!r}"),
            fix={
                "cli": N_("`python -m data.accounts list` shows them"),
                "page": N_("pick one from the accounts table"),
            },
            username=username,
        )
    return account


def _audit(session: Session, actor: Identity, action: str, account: Account, old: Any, new: Any) -> None:
    audit.record(
        session, actor=actor.username, action=action, entity_type="account", entity_id=account.id, old=old, new=new
    )


def create_account(
    session: Session,
    actor: Identity | None,
    *,
    username: str,
    password: str | None,
    role: str,
    person_id: int | None = None,
    oidc_email: str | None = None,
    hasher: PasswordHasher | None = None,
) -> Account:
    """Create an account (managers only) and audit it; returns the flushed row. Artists must be linked to their
    Person; identity-provider users (``oidc_email``) may have no password."""
    actor = require(actor, "manager", to=N_("create accounts"))
    username = _check_username(session, username)
    oidc_email = (oidc_email or "").strip().lower() or None
    _check_role(role, person_id)
    if password is None and oidc_email is None:
        raise AccountError(
            N_("an account needs a password, or an identity-provider email for single sign-on"),
            fix={
                "cli": N_("drop --no-password to be asked for one, or pass --oidc-email EMAIL"),
                "page": N_("enter an initial password or the identity-provider email"),
            },
        )
    if password is not None:
        _check_password(password, username)
    if oidc_email is not None and accounts.account_for_email(session, oidc_email) is not None:
        raise AccountError(
            N_("another account signs in with the identity-provider email {email}"),
            fix=N_("use another email"),
            email=oidc_email,
        )
    _check_person(session, person_id)
    account = accounts.create_account(
        session, username, password, role, person_id=person_id, oidc_email=oidc_email, hasher=hasher
    )
    _audit(session, actor, "account.create", account, None, accounts.public_values(account))
    return account


def set_password(
    session: Session, actor: Identity | None, *, username: str, password: str, hasher: PasswordHasher | None = None
) -> Account:
    """Give an account a new password (managers only); also clears its failed sign-ins and lockout. Returns it."""
    actor = require(actor, "manager", to=N_("set passwords"))
    account = _get(session, username)
    _check_password(password, account.username)
    account.password_hash = accounts.hash_password(password, hasher=hasher)
    account.failed_attempts = 0
    account.locked_until = None
    end_account_sessions(session, account)
    _audit(session, actor, "account.set_password", account, None, {"password": "changed"})
    return account


def set_active(session: Session, actor: Identity | None, *, username: str, active: bool) -> Account:
    """Activate or deactivate an account (managers only); returns it. A deactivated account cannot sign in either
    way (password or identity provider)."""
    actor = require(actor, "manager", to=N_("activate or deactivate accounts"))
    account = _get(session, username)
    old = accounts.public_values(account)
    account.is_active = active
    if not active:
        end_account_sessions(session, account)
    action = "account.activate" if active else "account.deactivate"
    _audit(session, actor, action, account, old, accounts.public_values(account))
    return account


def set_role(
    session: Session, actor: Identity | None, *, username: str, role: str, person_id: int | None = None
) -> Account:
    """Change an account's role (managers only); ``person_id`` links it to a person (kept when not given). Returns
    the account."""
    actor = require(actor, "manager", to=N_("change roles"))
    account = _get(session, username)
    person_id = person_id if person_id is not None else account.person_id
    _check_role(
        role,
        person_id,
        fix={
            "page": "this account is linked to no person: create an artist account with 'Person id (artists)' instead"
        },
    )
    _check_person(session, person_id)
    old = accounts.public_values(account)
    if (role, person_id) != (account.role, account.person_id):
        end_account_sessions(session, account)
    account.role = role
    account.person_id = person_id
    session.flush()
    _audit(session, actor, "account.set_role", account, old, accounts.public_values(account))
    return account


def unlock(session: Session, actor: Identity | None, *, username: str) -> Account:
    """Clear an account's failed sign-ins and lockout (managers only); returns the account."""
    actor = require(actor, "manager", to=N_("unlock accounts"))
    account = _get(session, username)
    old = {"failed_attempts": account.failed_attempts}
    account.failed_attempts = 0
    account.locked_until = None
    _audit(session, actor, "account.unlock", account, old, {"failed_attempts": 0})
    return account


def bootstrap_manager(
    session: Session, actor: Identity, *, username: str, password: str, hasher: PasswordHasher | None = None
) -> Account:
    """Create the first manager of a new deployment; refused (:class:`AccountError`) once any manager exists.

    Only the command line calls it (``python -m data.accounts bootstrap``), as the shell user: whoever can run it can
    already write to the database, while a first-run page would let whoever reaches the server first claim the
    studio. Audited like any account creation. ``actor`` is the command line's (:func:`services.access.command_line_actor`)."""
    actor = require(actor, "manager", to="create the first manager")
    if session.scalar(select(Account.id).where(Account.role == "manager").limit(1)) is not None:
        raise AccountError(
            N_("this database has a manager already; bootstrap only creates the first one"),
            fix={"cli": "sign in as a manager and create accounts on the Admin page, or use `create`"},
        )
    return create_account(session, actor, username=username, password=password, role="manager", hasher=hasher)
