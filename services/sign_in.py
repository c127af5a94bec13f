"""Signing in: a local password (argon2) or the studio's identity provider (OIDC) becomes an :class:`Identity`.

There is no actor yet, so these are the services that take none. Repeated failures for one account are slowed down:
after ``login_max_failures`` failures the account waits ``login_lockout_seconds``, doubling with each further failure.
An :class:`AuthenticationError` never says whether a username exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from data import accounts, settings
from data.i18n import N_
from data.identity import Identity
from data.schema import ACCOUNT_ROLES, Account, Person, utcnow
from services.errors import ServiceError

_CHECK_SPELLING = {"page": N_("check the spelling, or ask a manager to reset your password")}


class AuthenticationError(ServiceError):
    """Sign-in refused. The message never says whether the username exists."""

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
        """Seconds until a locked account may try again (None: not locked)."""
        return self.params.get("seconds")


def lockout_seconds(failures: int, *, max_failures: int, base_seconds: int) -> int:
    """Wait imposed after ``failures`` consecutive failures: none below the limit, then base × 2^(extra failures)."""
    if failures < max_failures:
        return 0
    return base_seconds * 2 ** min(failures - max_failures, 16)


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    hasher: PasswordHasher | None = None,
    now: dt.datetime | None = None,
) -> Account:
    """The active account whose password matches, or :class:`AuthenticationError`.

    Commits the session, unlike other services: a failure count must survive even though the caller sees an exception
    (and would otherwise roll it back). A locked account is refused without checking the password, with the seconds
    to wait.
    """
    now = now or utcnow()
    account = accounts.account_named(session, username)
    if account is None or account.password_hash is None or not account.is_active:
        accounts.verify_password(None, password, hasher=hasher)
        raise AuthenticationError()
    if account.locked_until is not None and account.locked_until > now:
        wait = max(1, int((account.locked_until - now).total_seconds() + 0.999))
        raise AuthenticationError(
            N_("too many failed sign-ins for this account; try again in {seconds} s"),
            fix={"page": N_("wait, or ask a manager to unlock the account on the Admin page")},
            seconds=wait,
        )
    if not accounts.verify_password(account.password_hash, password, hasher=hasher):
        _record_failure(session, account, now)
        raise AuthenticationError()
    if accounts.needs_rehash(account.password_hash, hasher=hasher):
        account.password_hash = accounts.hash_password(password, hasher=hasher)
    account.failed_attempts = 0
    account.locked_until = None
    account.last_login_at = now
    session.commit()
    return account


def _record_failure(session: Session, account: Account, now: dt.datetime) -> None:
    failures = accounts.count_failed_sign_in(session, account)
    wait = lockout_seconds(
        failures,
        max_failures=settings.get("login_max_failures", session),
        base_seconds=settings.get("login_lockout_seconds", session),
    )
    if wait:
        account.locked_until = now + dt.timedelta(seconds=wait)
    session.commit()


def identity_for(account: Account) -> Identity:
    """The identity a signed-in account acts as (never its hash)."""
    person = account.person
    return Identity(
        username=account.username,
        role=account.role,
        person_id=account.person_id,
        account_id=account.id,
        display_name=person.display_name if person is not None else account.username,
    )


def sign_in(
    session: Session,
    *,
    username: str,
    password: str,
    hasher: PasswordHasher | None = None,
    now: dt.datetime | None = None,
) -> Identity:
    """The identity of the account ``username`` when ``password`` is right (see :func:`authenticate`)."""
    return identity_for(authenticate(session, username=username, password=password, hasher=hasher, now=now))


def identity_for_oidc(session: Session, *, claims: Mapping[str, Any], role_claim: str = "role") -> Identity:
    """Map an identity-provider user (``st.user``) to an identity.

    An active account whose ``oidc_email`` is the user's email decides the role. Otherwise a ``role_claim`` from
    the provider may give manager or advocate; an artist role claim also needs a Person with that email, so the
    artist sees only their own record.
    """
    email = str(claims.get("email") or "").strip().lower()
    if not email:
        raise AuthenticationError(
            N_("the identity provider sent no email"),
            fix=N_("ask the administrator to have it include the email claim"),
        )
    account = accounts.account_for_email(session, email)
    if account is not None:
        if not account.is_active:
            raise AuthenticationError(
                N_("the account for {email} is deactivated"),
                fix={
                    "page": N_("ask a manager to reactivate it on the Admin page"),
                    "cli": N_("reactivate it with `python -m data.accounts activate --username {username}`"),
                },
                email=email,
                username=account.username,
            )
        account.last_login_at = utcnow()
        return replace(identity_for(account), via="oidc")
    role = str(claims.get(role_claim) or "").strip().lower()
    if role not in ACCOUNT_ROLES:
        raise AuthenticationError(
            N_("no Endroll account for {email}"),
            fix={
                "page": N_("ask a manager to create one with this identity-provider email on the Admin page"),
                "cli": N_(
                    "create one with "
                    "`python -m data.accounts create --username NAME --role ROLE --oidc-email {email} --no-password`"
                ),
            },
            email=email,
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
