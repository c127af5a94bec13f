"""Sign-in under attack: simultaneous guesses, capped lockouts, per-client throttling, the same answer for every
refusal; the password policy and look-alike usernames (issue 17). On SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

import data.accounts
from data.identity import Identity
from data.schema import Account
from services import accounts
from services.accounts import AccountError, bootstrap_manager, check_password
from services.sign_in import CLIENTS, AuthenticationError, authenticate, lockout_seconds
from tests.app_fixtures import CHEAP

T0 = dt.datetime(2025, 6, 1, 12, 0, 0)
SHELL = Identity(username="cli:ops", role="manager", via="cli")


@pytest.fixture
def boss(session: Session) -> Account:
    account = accounts.create_account(session, SHELL, username="boss", password="correct-horse", role="manager",
                                      hasher=CHEAP)  # fmt: skip
    session.commit()
    return account


def _count_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the password checks against a real hash (dummy checks for unknown or locked accounts do not count)."""
    real = data.accounts.verify_password
    checks: list[int] = []
    lock = threading.Lock()

    def counting(encoded, password, *, hasher=None):  # the real signature
        if encoded is not None:
            with lock:
                checks.append(1)
        return real(encoded, password, hasher=hasher)

    monkeypatch.setattr(data.accounts, "verify_password", counting)
    return checks


def test_simultaneous_wrong_guesses_get_at_most_the_allowed_checks(
    engine: Engine, boss: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENDROLL_LOGIN_MAX_FAILURES", "5")
    monkeypatch.setenv("ENDROLL_LOGIN_CLIENT_MAX_FAILURES", "1000")
    checks = _count_checks(monkeypatch)
    start = threading.Barrier(30)
    refused: list[str] = []
    failed: list[BaseException] = []

    def guess(i: int) -> None:
        try:
            with Session(engine, expire_on_commit=False) as s:
                start.wait(timeout=60)
                authenticate(s, username="boss", password=f"guess-{i}", hasher=CHEAP, now=T0, client=f"c{i}")
        except AuthenticationError as exc:
            refused.append(str(exc))
        except BaseException as exc:  # reported by the assertion below
            failed.append(exc)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert failed == []
    assert refused == ["wrong username or password"] * 30
    assert len(checks) <= 5, f"{len(checks)} password checks for 30 simultaneous guesses"
    with Session(engine) as s:
        account = s.get(Account, boss.id)
        assert account.failed_attempts == len(checks) and account.locked_until == T0 + dt.timedelta(seconds=60)


def test_a_guess_falling_back_to_the_ledger_counts_from_the_database_as_it_is_then(
    engine: Engine, boss: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under load a guess's claim can wait past its limit while other guesses' claims commit and lock the account;
    its fallback to the in-process ledger must not count from what it read before it waited (9 checks for 30
    simultaneous guesses once, in a full run)."""
    if engine.dialect.name != "sqlite":
        pytest.skip("only SQLite falls back to the in-process ledger")
    from services import sign_in

    monkeypatch.setenv("ENDROLL_LOGIN_MAX_FAILURES", "5")
    monkeypatch.setattr(sign_in, "CLAIM_WAIT_MS", 200)
    sign_in.BUSY.reset()
    checks = _count_checks(monkeypatch)
    holder = engine.connect()
    real = data.accounts.brief_wait

    @contextlib.contextmanager
    def others_lock_it_meanwhile(session: Session, milliseconds: int) -> Iterator[None]:
        # Between this claim's read and its write, five other guesses lock the account and an import takes the
        # write lock: the claim's write then waits past its limit and falls back to the ledger.
        holder.exec_driver_sql("UPDATE account SET failed_attempts = 5, locked_until = ? WHERE id = ?",
                               (str(T0 + dt.timedelta(seconds=60)), boss.id))  # fmt: skip
        holder.commit()
        holder.exec_driver_sql("BEGIN IMMEDIATE")
        holder.exec_driver_sql("UPDATE setting SET value = value")
        with real(session, milliseconds):
            yield

    monkeypatch.setattr(data.accounts, "brief_wait", others_lock_it_meanwhile)
    try:
        with Session(engine, expire_on_commit=False) as s, pytest.raises(AuthenticationError):
            authenticate(s, username="boss", password="guess-6", hasher=CHEAP, now=T0, client="c6")
    finally:
        holder.rollback()
        holder.close()
    assert checks == [], "a sixth password check on a locked account"
    sign_in.BUSY.reset()


def test_lockouts_are_short_and_capped(session: Session, boss: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    assert lockout_seconds(40, max_failures=5, base_seconds=60, cap_seconds=900) == 900
    monkeypatch.setenv("ENDROLL_LOGIN_MAX_FAILURES", "2")
    monkeypatch.setenv("ENDROLL_LOGIN_LOCKOUT_SECONDS", "60")
    monkeypatch.setenv("ENDROLL_LOGIN_LOCKOUT_MAX_SECONDS", "300")
    now = T0
    for _ in range(12):  # one wrong guess after every lock has run out
        with pytest.raises(AuthenticationError):
            authenticate(session, username="boss", password="wrong-guess", hasher=CHEAP, now=now, client="x")
        now = session.get(Account, boss.id).locked_until or now
        session.expire_all()
    account = session.get(Account, boss.id)
    assert account.failed_attempts == 12
    assert account.locked_until - now <= dt.timedelta(seconds=300)  # never days: at most the cap
    # Once the lock has run out, the right password works again.
    later = account.locked_until + dt.timedelta(seconds=1)
    assert authenticate(session, username="boss", password="correct-horse", hasher=CHEAP, now=later).id == boss.id


def test_unknown_locked_inactive_and_throttled_read_the_same(
    session: Session, boss: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENDROLL_LOGIN_MAX_FAILURES", "1")
    monkeypatch.setenv("ENDROLL_LOGIN_CLIENT_MAX_FAILURES", "1000")
    checks = _count_checks(monkeypatch)
    answers = []
    for username, password in (("nobody", "x-correct-horse"), ("boss", "wrong-guess"), ("boss", "correct-horse")):
        with pytest.raises(AuthenticationError) as refused:
            authenticate(session, username=username, password=password, hasher=CHEAP, now=T0, client="a")
        answers.append((str(refused.value), refused.value.message("page"), refused.value.params))
    assert answers[0] == answers[1] == answers[2]  # unknown, wrong, locked (with the right password)
    assert len(checks) == 1  # the locked account's right password was never checked


def test_a_client_that_keeps_failing_is_throttled_whatever_the_username(
    session: Session, boss: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENDROLL_LOGIN_CLIENT_MAX_FAILURES", "3")
    checks = _count_checks(monkeypatch)
    for name in ("alice", "bob", "carol"):
        with pytest.raises(AuthenticationError):
            authenticate(session, username=name, password="whatever-it-is", hasher=CHEAP, client="10.0.0.9")
    with pytest.raises(AuthenticationError):  # the right password, from the throttled client: not even checked
        authenticate(session, username="boss", password="correct-horse", hasher=CHEAP, client="10.0.0.9")
    assert checks == []
    assert session.get(Account, boss.id).failed_attempts == 0  # the account itself is not punished
    assert authenticate(session, username="boss", password="correct-horse", hasher=CHEAP, client="10.0.0.10")
    CLIENTS.reset()


@pytest.mark.parametrize("password", [" " * 8, "12345678", "password", "Password", "ｐａｓｓｗｏｒｄ", "aaaaaaaaaa",
                                      "qwertyuiop", "   abc   "])  # fmt: skip
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(AccountError):
        check_password(password)


def test_the_policy_keeps_good_passwords_and_refuses_the_username() -> None:
    for good in ("correct-horse", "long-enough", "三つの単語で作る合言葉", "manager-test"):
        check_password(good)
    with pytest.raises(AccountError, match="is the username"):
        check_password("alice-in-studio", username="Alice-In-Studio")


def test_usernames_are_normalized_and_look_alikes_refused(session: Session, boss: Account) -> None:
    rep = accounts.create_account(session, SHELL, username="  Ｒｅｐ ", password="long-enough", role="advocate",
                                  hasher=CHEAP)  # fmt: skip
    assert rep.username == "rep"
    session.commit()
    assert authenticate(session, username="REP", password="long-enough", hasher=CHEAP).id == rep.id
    with pytest.raises(AccountError, match="mixes writing systems"):
        accounts.create_account(session, SHELL, username="mаnager", password="long-enough", role="manager")
    accounts.create_account(session, SHELL, username="manager", password="long-enough", role="manager", hasher=CHEAP)
    for twin in ("тапаgег", "mаnаgеr", "rnanager", "manager_", "MANAGER"):
        with pytest.raises(AccountError, match="looks like|exists already|mixes"):
            accounts.create_account(session, SHELL, username=twin, password="long-enough", role="manager")
    with pytest.raises(AccountError, match="looks like"):
        accounts.create_account(session, SHELL, username="b0ss", password="long-enough", role="advocate")


def test_bootstrap_creates_only_the_first_manager(session: Session) -> None:
    first = bootstrap_manager(session, SHELL, username="alice", password="long-enough", hasher=CHEAP)
    assert first.role == "manager"
    with pytest.raises(AccountError, match="has a manager already"):
        bootstrap_manager(session, SHELL, username="mallory", password="long-enough", hasher=CHEAP)
    assert session.scalars(select(Account.username)).all() == ["alice"]


def test_while_the_database_is_write_locked_guesses_are_still_counted(
    engine: Engine, boss: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("only SQLite has one write lock for the whole database")
    from services import sign_in

    monkeypatch.setenv("ENDROLL_LOGIN_MAX_FAILURES", "5")
    monkeypatch.setenv("ENDROLL_LOGIN_CLIENT_MAX_FAILURES", "1000")
    monkeypatch.setattr(sign_in, "CLAIM_WAIT_MS", 200)
    sign_in.BUSY.reset()
    checks = _count_checks(monkeypatch)
    refused: list[str] = []
    with engine.connect() as holder:  # a long import's transaction: the write lock, held
        holder.exec_driver_sql("BEGIN IMMEDIATE")
        holder.exec_driver_sql("UPDATE setting SET value = value")

        def guess(i: int) -> None:
            with Session(engine, expire_on_commit=False) as s:
                try:
                    authenticate(s, username="boss", password=f"guess-{i}", hasher=CHEAP, now=T0, client=f"c{i}")
                except AuthenticationError as exc:
                    refused.append(str(exc))

        threads = [threading.Thread(target=guess, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        # The right password works for nobody now: the account is locked here too.
        with Session(engine) as s, pytest.raises(AuthenticationError):
            authenticate(s, username="boss", password="correct-horse", hasher=CHEAP, now=T0, client="d")
        holder.rollback()
    assert refused == ["wrong username or password"] * 12 and len(checks) == 5
    # Once the lock is free, the failures counted meanwhile reach the database with the next attempt.
    later = T0 + dt.timedelta(hours=1)
    with Session(engine) as s:
        with pytest.raises(AuthenticationError):
            authenticate(s, username="boss", password="guess-again", hasher=CHEAP, now=later, client="d")
        account = s.get(Account, boss.id)
        assert account.failed_attempts == 6 and account.locked_until == later + dt.timedelta(seconds=120)
        after = later + dt.timedelta(seconds=121)
        assert authenticate(s, username="boss", password="correct-horse", hasher=CHEAP, now=after, client="d")
    sign_in.BUSY.reset()
