"""Sign-in: argon2 verification, lockout doubling per account, the same answer for unknown users, no hash ever
leaving, and the identity provider's users mapped to roles."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.accounts import create_account, list_accounts
from data.errors import EndrollError
from data.identity import Identity, IdentityError
from data.schema import Account, AuditEvent, Person
from services import accounts
from services.sign_in import (
    AuthenticationError,
    authenticate,
    identity_for,
    identity_for_oidc,
    lockout_seconds,
    sign_in,
)
from tests.app_fixtures import CHEAP

T0 = dt.datetime(2025, 6, 1, 12, 0, 0)
SHELL = Identity(username="cli:ops", role="manager", via="cli")


@pytest.fixture
def manager(session: Session) -> Account:
    account = accounts.create_account(
        session, SHELL, username="boss", password="correct-horse", role="manager", hasher=CHEAP
    )
    session.commit()
    return account


def test_right_password_signs_in_and_resets_failures(session: Session, manager: Account) -> None:
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            authenticate(session, username="boss", password="wrong-guess", hasher=CHEAP, now=T0)
    assert session.get(Account, manager.id).failed_attempts == 2
    account = authenticate(session, username="boss", password="correct-horse", hasher=CHEAP, now=T0)
    assert account.id == manager.id and account.failed_attempts == 0 and account.last_login_at == T0


def test_unknown_user_and_wrong_password_get_the_same_message(session: Session, manager: Account) -> None:
    with pytest.raises(AuthenticationError) as unknown:
        authenticate(session, username="nobody", password="correct-horse", hasher=CHEAP, now=T0)
    with pytest.raises(AuthenticationError) as wrong:
        authenticate(session, username="boss", password="nope-nope", hasher=CHEAP, now=T0)
    assert str(unknown.value) == str(wrong.value) == "wrong username or password"
    # On the page too, with what to do; still the same for both.
    assert unknown.value.message("page") == wrong.value.message("page")
    assert unknown.value.message("page").startswith("wrong username or password: check the spelling")
    assert isinstance(unknown.value, EndrollError)


def test_lockout_after_max_failures_doubles_and_survives_rollback(
    session: Session, manager: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENDROLL_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("ENDROLL_LOGIN_LOCKOUT_SECONDS", "60")
    for _ in range(3):
        with pytest.raises(AuthenticationError):
            authenticate(session, username="boss", password="bad-password", hasher=CHEAP, now=T0)
    session.rollback()  # the caller's rollback must not erase the count
    account = session.get(Account, manager.id)
    assert account.failed_attempts == 3
    assert account.locked_until == T0 + dt.timedelta(seconds=60)
    # While locked, even the right password is refused, with the answer an unknown username gets (a different
    # answer, or a wait in it, would tell an attacker that the account exists).
    with pytest.raises(AuthenticationError) as locked:
        authenticate(
            session, username="boss", password="correct-horse", hasher=CHEAP, now=T0 + dt.timedelta(seconds=10)
        )
    with pytest.raises(AuthenticationError) as unknown:
        authenticate(session, username="nobody", password="correct-horse", hasher=CHEAP, now=T0)
    assert str(locked.value) == str(unknown.value) == "wrong username or password"
    assert locked.value.message("page") == unknown.value.message("page")
    assert locked.value.retry_after_seconds is None and locked.value.params == unknown.value.params
    assert pickle.loads(pickle.dumps(locked.value)).message("page") == unknown.value.message("page")
    # After the wait one more failure doubles it.
    later = T0 + dt.timedelta(seconds=61)
    with pytest.raises(AuthenticationError):
        authenticate(session, username="boss", password="bad-password", hasher=CHEAP, now=later)
    assert session.get(Account, manager.id).locked_until == later + dt.timedelta(seconds=120)
    # Another account is not affected.
    create_account(session, "other", "other-pass", "advocate", hasher=CHEAP)
    session.commit()
    assert authenticate(session, username="other", password="other-pass", hasher=CHEAP, now=later).username == "other"


def test_lockout_schedule() -> None:
    assert [lockout_seconds(n, max_failures=5, base_seconds=60) for n in (4, 5, 6, 7)] == [0, 60, 120, 240]


def test_inactive_and_identity_provider_accounts_cannot_use_a_password(session: Session, manager: Account) -> None:
    accounts.set_active(session, SHELL, username="boss", active=False)
    create_account(session, "sso", None, "advocate", oidc_email="sso@studio.example")
    session.commit()
    for name, password in (("boss", "correct-horse"), ("sso", "")):
        with pytest.raises(AuthenticationError):
            authenticate(session, username=name, password=password, hasher=CHEAP, now=T0)


def test_identity_never_carries_the_hash(session: Session, manager: Account) -> None:
    ident = identity_for(authenticate(session, username="boss", password="correct-horse", hasher=CHEAP))
    assert "argon2" not in repr(ident) and not hasattr(ident, "password_hash")
    assert sign_in(session, username="boss", password="correct-horse", hasher=CHEAP) == ident
    rows = list_accounts(session)
    assert all("password_hash" not in row and "$argon2" not in str(row) for row in rows)
    events = session.scalars(select(AuditEvent)).all()
    assert events and all("$argon2" not in str(e.new_values) + str(e.old_values) for e in events)


def test_an_artist_identity_needs_a_person() -> None:
    with pytest.raises(IdentityError):
        Identity(username="x", role="artist")


IDP = "https://idp.studio.example"


def _claims(email: str, sub: str, *, verified: bool = True, iss: str = IDP, **more: str) -> dict:
    return {"iss": iss, "sub": sub, "email": email, "email_verified": verified, **more}


def test_oidc_maps_email_to_account_or_role_claim(session: Session) -> None:
    person = Person(display_name="山田花子", email="hanako@studio.example")
    session.add(person)
    session.flush()
    create_account(session, "boss", None, "manager", oidc_email="Boss@Studio.example")
    session.commit()
    assert identity_for_oidc(session, claims=_claims("boss@studio.example", "u-boss")).role == "manager"
    # Role claims count only from the configured issuer.
    advocate = identity_for_oidc(
        session, claims=_claims("union@example.org", "u-rep", role="advocate"), role_issuer=IDP
    )
    assert advocate.role == "advocate" and advocate.person_id is None
    artist = identity_for_oidc(session, claims=_claims("hanako@studio.example", "u-h", role="artist"), role_issuer=IDP)
    assert artist.person_id == person.id
    with pytest.raises(AuthenticationError, match="no person"):
        identity_for_oidc(session, claims=_claims("stranger@example.org", "u-s", role="artist"), role_issuer=IDP)
    with pytest.raises(AuthenticationError, match="no Endroll account") as refused:
        identity_for_oidc(session, claims=_claims("stranger@example.org", "u-s"))
    # The sign-in page points to the Admin page, never to a command-line flag; the command line gets the command.
    assert "Admin page" in refused.value.message("page") and "--" not in refused.value.message("page")
    assert "--oidc-email stranger@example.org" in refused.value.message("cli")


def test_oidc_needs_a_verified_email_and_binds_by_issuer_and_subject(session: Session) -> None:
    create_account(session, "boss", None, "manager", oidc_email="boss@studio.example")
    session.commit()
    # An unverified email never reaches the manager's account (anyone can type an address into some providers).
    with pytest.raises(AuthenticationError, match="not verified"):
        identity_for_oidc(session, claims=_claims("boss@studio.example", "attacker", verified=False))
    with pytest.raises(AuthenticationError, match="no issuer or subject"):
        identity_for_oidc(session, claims={"email": "boss@studio.example", "email_verified": True})
    # The first verified sign-in binds the account to this issuer and subject ...
    assert identity_for_oidc(session, claims=_claims("boss@studio.example", "u-boss")).username == "boss"
    session.commit()
    account = session.scalar(select(Account).where(Account.username == "boss"))
    assert (account.oidc_issuer, account.oidc_subject) == (IDP, "u-boss")
    # ... after which the email no longer matters: a renamed address still signs in, another user with the same
    # email (another provider, or a recycled address) does not.
    assert identity_for_oidc(session, claims=_claims("new-name@studio.example", "u-boss")).username == "boss"
    with pytest.raises(AuthenticationError, match="bound to another"):
        identity_for_oidc(session, claims=_claims("boss@studio.example", "someone-else"))
    with pytest.raises(AuthenticationError, match="bound to another"):
        identity_for_oidc(session, claims=_claims("boss@studio.example", "u-boss", iss="https://evil.example"))


def test_oidc_role_claims_only_from_the_configured_issuer(session: Session) -> None:
    manager_claim = _claims("mallory@example.org", "u-m", role="manager")
    for role_issuer in ("", "https://other-idp.example"):
        with pytest.raises(AuthenticationError, match="no Endroll account"):
            identity_for_oidc(session, claims=manager_claim, role_issuer=role_issuer)
    assert identity_for_oidc(session, claims=manager_claim, role_issuer=IDP).role == "manager"
    with pytest.raises(AuthenticationError):  # a role claim with an unverified email is not honoured either
        identity_for_oidc(session, claims={**manager_claim, "email_verified": False}, role_issuer=IDP)
