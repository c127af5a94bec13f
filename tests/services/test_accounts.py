"""Changing accounts: managers only, validated, audited without a hash; the accounts command line as the shell user."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.errors import NotFound
from data.identity import Identity
from data.schema import Account, AuditEvent, Person
from services import accounts
from services.accounts import AccountError
from services.errors import PermissionDenied
from services.sign_in import AuthenticationError, authenticate
from tests.app_fixtures import CHEAP

ROOT = Path(__file__).resolve().parents[2]
BOSS = Identity(username="boss", role="manager")


def _events(session: Session) -> list[AuditEvent]:
    return session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()


def test_artist_needs_a_person(session: Session) -> None:
    with pytest.raises(AccountError, match="person") as missing:
        accounts.create_account(session, BOSS, username="a", password="long-enough", role="artist")
    assert "--person" in missing.value.message("cli") and "Person id (artists)" in missing.value.message("page")
    with pytest.raises(AccountError, match="no person") as unknown:
        accounts.create_account(session, BOSS, username="a", password="long-enough", role="artist", person_id=99999)
    # There is no People page: the message sends the reader to the people import where they are.
    assert "Import page" in unknown.value.message("page") and "People page" not in unknown.value.message("page")
    assert "python -m data.importers" in unknown.value.message("cli")
    assert _events(session) == []


def test_create_validates_and_audits_without_the_hash(session: Session) -> None:
    with pytest.raises(AccountError, match="8 characters"):
        accounts.create_account(session, BOSS, username="short", password="short", role="advocate")
    with pytest.raises(AccountError, match="a password, or an identity-provider email"):
        accounts.create_account(session, BOSS, username="nopass", password=None, role="advocate")
    with pytest.raises(AccountError, match="username is required"):
        accounts.create_account(session, BOSS, username="  ", password="long-enough", role="advocate")
    account = accounts.create_account(
        session, BOSS, username=" rep ", password="long-enough", role="advocate", hasher=CHEAP
    )
    assert account.username == "rep"
    with pytest.raises(AccountError, match="exists already"):
        accounts.create_account(session, BOSS, username="rep", password="long-enough", role="advocate")
    sso = accounts.create_account(session, BOSS, username="sso", password=None, role="manager", oidc_email="S@X.org")
    assert sso.oidc_email == "s@x.org" and sso.password_hash is None
    with pytest.raises(AccountError, match="identity-provider email s@x.org"):
        accounts.create_account(session, BOSS, username="sso2", password=None, role="manager", oidc_email="s@x.org")
    (event, _) = _events(session)
    assert (event.actor, event.action, event.entity_id) == ("boss", "account.create", str(account.id))
    assert event.old_values is None and event.new_values["username"] == "rep"
    assert "$argon2" not in str(event.new_values) and "password_hash" not in event.new_values


def test_changes_record_old_and_new_values(session: Session) -> None:
    person = Person(display_name="山田花子")
    session.add(person)
    session.flush()
    accounts.create_account(session, BOSS, username="u", password="long-enough", role="advocate", hasher=CHEAP)
    accounts.set_role(session, BOSS, username="u", role="artist", person_id=person.id)
    accounts.set_password(session, BOSS, username="u", password="another-one", hasher=CHEAP)
    accounts.set_active(session, BOSS, username="u", active=False)
    accounts.unlock(session, BOSS, username="u")
    events = _events(session)
    assert [e.action for e in events] == [
        "account.create",
        "account.set_role",
        "account.set_password",
        "account.deactivate",
        "account.unlock",
    ]
    assert (events[1].old_values["role"], events[1].new_values["role"]) == ("advocate", "artist")
    assert events[1].new_values["person_id"] == person.id
    assert events[2].new_values == {"password": "changed"}
    assert (events[3].old_values["is_active"], events[3].new_values["is_active"]) == (True, False)
    assert all("$argon2" not in str(e.old_values) + str(e.new_values) for e in events)
    with pytest.raises(NotFound, match="no account is named 'ghost'"):
        accounts.unlock(session, BOSS, username="ghost")
    accounts.create_account(session, BOSS, username="m", password="long-enough", role="manager", hasher=CHEAP)
    with pytest.raises(AccountError, match="linked to a person") as unlinked:
        accounts.set_role(session, BOSS, username="m", role="artist")
    assert "create an artist account" in unlinked.value.message("page")


@pytest.mark.parametrize("actor", [None, Identity(username="rep", role="advocate")])
def test_only_a_manager_changes_accounts(session: Session, actor: Identity | None) -> None:
    accounts.create_account(session, BOSS, username="u", password="long-enough", role="advocate", hasher=CHEAP)
    before = len(_events(session))
    refused = [
        lambda: accounts.create_account(session, actor, username="x", password="long-enough", role="manager"),
        lambda: accounts.set_password(session, actor, username="u", password="long-enough"),
        lambda: accounts.set_active(session, actor, username="u", active=False),
        lambda: accounts.set_role(session, actor, username="u", role="manager"),
        lambda: accounts.unlock(session, actor, username="u"),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied, match="only a manager"):
            call()
    assert len(_events(session)) == before
    assert session.scalar(select(Account).where(Account.username == "u")).role == "advocate"


def _cli(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    # LOGNAME is what getpass.getuser() reads first: the audit trail must name this shell user.
    env = {**os.environ, "LOGNAME": "ops-alice"}
    return subprocess.run(
        [sys.executable, "-m", "data.accounts", "--database-url", url, *args],
        cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip


def test_cli_create_list_set_password_deactivate(engine, session: Session) -> None:
    url = engine.url.render_as_string(hide_password=False)
    out = _cli(url, "create", "--username", "first", "--role", "manager", "--password-stdin", stdin="first-pass-1\n")
    assert out.returncode == 0, out.stderr
    assert "created manager account 'first'" in out.stdout
    listed = _cli(url, "list")
    assert "first" in listed.stdout and "$argon2" not in listed.stdout
    assert authenticate(session, username="first", password="first-pass-1").username == "first"
    assert _cli(url, "set-password", "--username", "first", "--password-stdin", stdin="second-pass\n").returncode == 0
    assert _cli(url, "deactivate", "--username", "first").returncode == 0
    session.expire_all()
    with pytest.raises(AuthenticationError):
        authenticate(session, username="first", password="second-pass")
    bad = _cli(url, "create", "--username", "art", "--role", "artist", "--password-stdin", stdin="long-enough\n")
    assert bad.returncode == 2 and "linked to a person" in bad.stderr and "--person" in bad.stderr
    short = _cli(url, "create", "--username", "s", "--role", "advocate", "--password-stdin", stdin="short\n")
    assert short.returncode == 2 and "8 characters" in short.stderr
    unknown = _cli(url, "unlock", "--username", "ghost")
    assert unknown.returncode == 2 and "python -m data.accounts list" in unknown.stderr
    # The command line acts as the shell user, and the audit trail says so.
    events = _events(session)
    assert [(e.actor, e.action) for e in events] == [
        ("cli:ops-alice", "account.create"),
        ("cli:ops-alice", "account.set_password"),
        ("cli:ops-alice", "account.deactivate"),
    ]


def test_cli_bootstrap_creates_the_first_manager_only(engine, session: Session) -> None:
    url = engine.url.render_as_string(hide_password=False)
    check = _cli(url, "bootstrap", "--check")
    assert check.returncode == 0 and "data.accounts bootstrap --username NAME" in check.stderr
    first = _cli(url, "bootstrap", "--username", "Alice", "--password-stdin", stdin="first-pass-1\n")
    assert first.returncode == 0, first.stderr
    assert "created the first manager 'alice'" in first.stdout
    again = _cli(url, "bootstrap", "--username", "mallory", "--password-stdin", stdin="another-one\n")
    assert again.returncode == 2 and "has a manager already" in again.stderr
    assert _cli(url, "bootstrap", "--check").stderr == ""
    assert authenticate(session, username="alice", password="first-pass-1").role == "manager"
    assert [(e.actor, e.action) for e in _events(session)] == [("cli:ops-alice", "account.create")]
