"""Sessions: kept across a reload by a hashed, expiring, revocable token; re-validated on every script run, so
deactivation, a role change and a password reset end them (issue 17). On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.identity import Identity
from data.schema import Account, Person, SignInSession, utcnow
from services import accounts
from services.sessions import current_identity, end_session, redeem_handoff, resume, start_session
from tests.app_fixtures import CHEAP

SHELL = Identity(username="cli:ops", role="manager", via="cli")


@pytest.fixture
def boss_id(session: Session) -> int:
    account = accounts.create_account(session, SHELL, username="boss", password="correct-horse", role="manager",
                                      hasher=CHEAP)  # fmt: skip
    session.commit()
    return account.id


def _open(session: Session, account_id: int) -> tuple[int, str]:
    started = start_session(session, account_id=account_id)
    token = redeem_handoff(session, code=started.handoff_code)
    session.commit()
    assert token is not None
    return started.session_id, token


def test_a_reload_resumes_with_the_cookie_token_stored_only_hashed(session: Session, boss_id: int) -> None:
    started = start_session(session, account_id=boss_id)
    session.commit()
    token = redeem_handoff(session, code=started.handoff_code)
    session.commit()
    assert token and redeem_handoff(session, code=started.handoff_code) is None  # the code works once
    assert redeem_handoff(session, code="made-up") is None
    row = session.get(SignInSession, started.session_id)
    assert token not in (row.token_hash, row.handoff_hash) and len(row.token_hash) == 64
    resumed = resume(session, token=token)
    assert resumed is not None and resumed[0] == started.session_id and resumed[1].username == "boss"
    assert resume(session, token="not-a-token") is None and resume(session, token=None) is None


def test_sessions_expire_and_sign_out_revokes(session: Session, boss_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENDROLL_SESSION_HOURS", "1")
    session_id, token = _open(session, boss_id)
    assert current_identity(session, session_id=session_id).role == "manager"
    assert current_identity(session, session_id=session_id, now=utcnow() + dt.timedelta(hours=2)) is None
    assert resume(session, token=token, now=utcnow() + dt.timedelta(hours=2)) is None
    end_session(session, token=token)
    session.commit()
    assert current_identity(session, session_id=session_id) is None and resume(session, token=token) is None
    # A hand-off code not redeemed in time is worthless.
    late = start_session(session, account_id=boss_id)
    session.commit()
    assert redeem_handoff(session, code=late.handoff_code, now=utcnow() + dt.timedelta(minutes=5)) is None


@pytest.mark.parametrize("change", ["deactivate", "role", "password"])
def test_account_changes_end_open_sessions(session: Session, boss_id: int, change: str) -> None:
    accounts.create_account(session, SHELL, username="rep", password="long-enough", role="advocate", hasher=CHEAP)
    session.commit()
    rep_id = session.scalar(select(Account.id).where(Account.username == "rep"))
    session_id, token = _open(session, rep_id)
    boss_session, _ = _open(session, boss_id)
    assert current_identity(session, session_id=session_id).role == "advocate"
    if change == "deactivate":
        accounts.set_active(session, SHELL, username="rep", active=False)
    elif change == "role":
        person = Person(display_name="山田花子")
        session.add(person)
        session.flush()
        accounts.set_role(session, SHELL, username="rep", role="artist", person_id=person.id)
    else:
        accounts.set_password(session, SHELL, username="rep", password="brand-new-phrase", hasher=CHEAP)
    session.commit()
    session.expire_all()
    assert current_identity(session, session_id=session_id) is None
    assert resume(session, token=token) is None
    assert current_identity(session, session_id=boss_session).username == "boss"  # nobody else is signed out
    if change == "deactivate":  # reactivating does not bring the old session back
        accounts.set_active(session, SHELL, username="rep", active=True)
        session.commit()
        assert current_identity(session, session_id=session_id) is None
