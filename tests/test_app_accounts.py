"""Sign-in: argon2 verification, lockout doubling per account, no hash ever leaving, and the accounts CLI."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data import accounts
from data.accounts import (
    AccountError,
    AuthenticationError,
    authenticate,
    create_account,
    identity_for,
    identity_for_oidc,
    list_accounts,
    lockout_seconds,
)
from data.identity import Identity, IdentityError
from data.schema import Account, AuditEvent, Person
from tests.app_fixtures import CHEAP

ROOT = Path(__file__).resolve().parent.parent
T0 = dt.datetime(2025, 6, 1, 12, 0, 0)


@pytest.fixture
def manager(session: Session) -> Account:
    account = create_account(session, "boss", "correct-horse", "manager", hasher=CHEAP)
    session.commit()
    return account


def test_right_password_signs_in_and_resets_failures(session: Session, manager: Account) -> None:
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            authenticate(session, "boss", "wrong-guess", hasher=CHEAP, now=T0)
    assert session.get(Account, manager.id).failed_attempts == 2
    account = authenticate(session, "boss", "correct-horse", hasher=CHEAP, now=T0)
    assert account.id == manager.id and account.failed_attempts == 0 and account.last_login_at == T0


def test_unknown_user_and_wrong_password_get_the_same_message(session: Session, manager: Account) -> None:
    with pytest.raises(AuthenticationError) as unknown:
        authenticate(session, "nobody", "correct-horse", hasher=CHEAP, now=T0)
    with pytest.raises(AuthenticationError) as wrong:
        authenticate(session, "boss", "nope-nope", hasher=CHEAP, now=T0)
    assert str(unknown.value) == str(wrong.value) == "wrong username or password"


def test_lockout_after_max_failures_doubles_and_survives_rollback(
    session: Session, manager: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENDROLL_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("ENDROLL_LOGIN_LOCKOUT_SECONDS", "60")
    for _ in range(3):
        with pytest.raises(AuthenticationError):
            authenticate(session, "boss", "bad-password", hasher=CHEAP, now=T0)
    session.rollback()  # the caller's rollback must not erase the count
    account = session.get(Account, manager.id)
    assert account.failed_attempts == 3
    assert account.locked_until == T0 + dt.timedelta(seconds=60)
    # While locked, even the right password is refused, with the wait.
    with pytest.raises(AuthenticationError) as locked:
        authenticate(session, "boss", "correct-horse", hasher=CHEAP, now=T0 + dt.timedelta(seconds=10))
    assert locked.value.retry_after_seconds == 50
    # After the wait one more failure doubles it.
    later = T0 + dt.timedelta(seconds=61)
    with pytest.raises(AuthenticationError):
        authenticate(session, "boss", "bad-password", hasher=CHEAP, now=later)
    assert session.get(Account, manager.id).locked_until == later + dt.timedelta(seconds=120)
    # Another account is not affected.
    create_account(session, "other", "other-pass", "advocate", hasher=CHEAP)
    session.commit()
    assert authenticate(session, "other", "other-pass", hasher=CHEAP, now=later).username == "other"


def test_lockout_schedule() -> None:
    assert [lockout_seconds(n, max_failures=5, base_seconds=60) for n in (4, 5, 6, 7)] == [0, 60, 120, 240]


def test_inactive_and_identity_provider_accounts_cannot_use_a_password(session: Session, manager: Account) -> None:
    accounts.set_active(session, "boss", False)
    create_account(session, "sso", None, "advocate", oidc_email="sso@studio.example")
    session.commit()
    for name, password in (("boss", "correct-horse"), ("sso", "")):
        with pytest.raises(AuthenticationError):
            authenticate(session, name, password, hasher=CHEAP, now=T0)


def test_identity_never_carries_the_hash(session: Session, manager: Account) -> None:
    ident = identity_for(authenticate(session, "boss", "correct-horse", hasher=CHEAP))
    assert "argon2" not in repr(ident) and not hasattr(ident, "password_hash")
    rows = list_accounts(session)
    assert all("password_hash" not in row and "$argon2" not in str(row) for row in rows)
    events = session.scalars(select(AuditEvent)).all()
    assert events and all("$argon2" not in str(e.new_values) + str(e.old_values) for e in events)


def test_artist_needs_a_person(session: Session) -> None:
    with pytest.raises(AccountError, match="person"):
        create_account(session, "a", "long-enough", "artist")
    with pytest.raises(AccountError, match="no person"):
        create_account(session, "a", "long-enough", "artist", person_id=99999)
    with pytest.raises(IdentityError):
        Identity(username="x", role="artist")


def test_oidc_maps_email_to_account_or_role_claim(session: Session) -> None:
    person = Person(display_name="山田花子", email="hanako@studio.example")
    session.add(person)
    session.flush()
    create_account(session, "boss", None, "manager", oidc_email="Boss@Studio.example")
    session.commit()
    assert identity_for_oidc(session, {"email": "boss@studio.example"}).role == "manager"
    advocate = identity_for_oidc(session, {"email": "union@example.org", "role": "advocate"})
    assert advocate.role == "advocate" and advocate.person_id is None
    artist = identity_for_oidc(session, {"email": "hanako@studio.example", "role": "artist"})
    assert artist.person_id == person.id
    with pytest.raises(AuthenticationError, match="no person"):
        identity_for_oidc(session, {"email": "stranger@example.org", "role": "artist"})
    with pytest.raises(AuthenticationError, match="no Endroll account"):
        identity_for_oidc(session, {"email": "stranger@example.org"})


def _cli(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "data.accounts", "--database-url", url, *args],
        cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_cli_create_list_set_password_deactivate(engine, session: Session) -> None:  # noqa: ANN001
    url = engine.url.render_as_string(hide_password=False)
    out = _cli(url, "create", "--username", "first", "--role", "manager", "--password-stdin", stdin="first-pass-1\n")
    assert out.returncode == 0, out.stderr
    assert "created manager account 'first'" in out.stdout
    listed = _cli(url, "list")
    assert "first" in listed.stdout and "$argon2" not in listed.stdout
    assert authenticate(session, "first", "first-pass-1").username == "first"
    assert _cli(url, "set-password", "--username", "first", "--password-stdin", stdin="second-pass\n").returncode == 0
    assert _cli(url, "deactivate", "--username", "first").returncode == 0
    session.expire_all()
    with pytest.raises(AuthenticationError):
        authenticate(session, "first", "second-pass")
    bad = _cli(url, "create", "--username", "art", "--role", "artist", "--password-stdin", stdin="long-enough\n")
    assert bad.returncode == 2 and "linked to a person" in bad.stderr
    short = _cli(url, "create", "--username", "s", "--role", "advocate", "--password-stdin", stdin="short\n")
    assert short.returncode == 2 and "8 characters" in short.stderr
