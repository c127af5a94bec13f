"""The role check every service makes, its messages per place, the command line's actor, and a sweep: every public
service that takes an actor refuses nobody and an advocate before it touches the database. No database needed."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import services
from data.errors import EndrollError
from data.identity import Identity
from services.access import command_line_actor, require, require_self_or_manager
from services.errors import PermissionDenied

MANAGER = Identity(username="boss", role="manager")
ADVOCATE = Identity(username="rep", role="advocate")
ARTIST = Identity(username="hanako", role="artist", person_id=7)


def _modules() -> list:
    return [importlib.import_module(m.name) for m in pkgutil.iter_modules(services.__path__, "services.")]


def _writes() -> list:
    """Every public function of services/ whose parameters start with (session, actor)."""
    found = []
    for module in _modules():
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ != module.__name__ or name.startswith("_"):
                continue
            params = list(inspect.signature(func).parameters)
            if params[:2] == ["session", "actor"]:
                found.append(func)
    return found


def test_require_returns_the_actor_or_refuses() -> None:
    assert require(MANAGER, "manager", to="lock a pay period") is MANAGER
    with pytest.raises(PermissionDenied, match="only a manager can lock a pay period; rep is signed in as advocate"):
        require(ADVOCATE, "manager", to="lock a pay period")
    with pytest.raises(PermissionDenied, match="nobody is signed in; only a manager or an artist can x") as nobody:
        require(None, "manager", "artist", to="x")
    assert nobody.value.message("page").endswith("sign in first")


def test_refusals_on_a_page_name_no_command_line_flag() -> None:
    with pytest.raises(PermissionDenied) as refused:
        require(ARTIST, "manager", to="change settings")
    page, cli = refused.value.message("page"), refused.value.message("cli")
    assert "Admin page" in page and "--" not in page and page != cli


def test_an_artist_changes_only_their_own_record() -> None:
    assert require_self_or_manager(ARTIST, 7, to="change the name preference") is ARTIST
    assert require_self_or_manager(MANAGER, 8, to="change the name preference") is MANAGER
    with pytest.raises(PermissionDenied, match="only for your own record, not for person #8"):
        require_self_or_manager(ARTIST, 8, to="change the name preference")
    with pytest.raises(PermissionDenied, match="only a manager or an artist"):
        require_self_or_manager(ADVOCATE, 7, to="change the name preference")


def test_the_command_line_acts_as_the_shell_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGNAME", "ops-alice")
    actor = command_line_actor()
    assert (actor.username, actor.role, actor.via) == ("cli:ops-alice", "manager", "cli")


def test_every_error_of_the_write_side_is_an_endroll_error() -> None:
    classes = [
        obj
        for module in _modules()
        for _, obj in inspect.getmembers(module, inspect.isclass)
        if issubclass(obj, BaseException) and obj.__module__ == module.__name__
    ]
    assert len(classes) >= 5  # ServiceError, PermissionDenied, ValidationError, AccountError, AuthenticationError, …
    assert [c.__name__ for c in classes if not issubclass(c, EndrollError)] == []


def test_the_sweep_finds_every_write() -> None:
    names = {f"{f.__module__}.{f.__name__}" for f in _writes()}
    assert {
        "services.accounts.create_account",
        "services.accounts.set_password",
        "services.accounts.set_active",
        "services.accounts.set_role",
        "services.accounts.unlock",
        "services.corrections.request_correction",
        "services.corrections.answer_correction",
        "services.credit_fixes.link_alias",
        "services.credit_fixes.repoint_credit_line",
        "services.credit_fixes.replace_and_others",
        "services.credit_fixes.record_incomplete_list_reason",
        "services.credit_fixes.mark_individuals_uncredited",
        "services.pay_periods.lock_pay_period",
        "services.pay_periods.unlock_pay_period",
        "services.preferences.set_name_preference",
        "services.settings.save_setting",
    } <= names


@pytest.mark.parametrize("func", _writes(), ids=lambda f: f"{f.__module__}.{f.__name__}")
@pytest.mark.parametrize("actor", [None, ADVOCATE], ids=["nobody", "advocate"])
def test_every_write_refuses_before_it_touches_the_database(func, actor: Identity | None) -> None:
    # No session at all: a service that read or wrote before checking the role would fail with another error.
    required = {
        name: None
        for name, p in inspect.signature(func).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is inspect.Parameter.empty
    }
    with pytest.raises(PermissionDenied):
        func(None, actor, **required)
