"""Who may change what: the one role check every service makes before it writes, and the command line's actor."""

from __future__ import annotations

import getpass

from data.i18n import N_
from data.identity import Identity
from services.errors import PermissionDenied

_WHO = {"manager": N_("a manager"), "advocate": N_("an advocate"), "artist": N_("an artist")}
# Whole phrases, so a translation can word them as its language does; other combinations are joined in English.
_WHO_EITHER = {
    ("manager", "artist"): N_("a manager or an artist"),
    ("advocate", "manager"): N_("an advocate or a manager"),
    ("manager", "advocate", "artist"): N_("someone signed in"),
}
_SIGN_IN_AGAIN = {
    "page": N_("sign in with an account that has that role, or ask a manager to change yours on the Admin page"),
    "cli": N_("run the command as a manager"),
}


def require(actor: Identity | None, *roles: str, to: str) -> Identity:
    """``actor`` when its role is one of ``roles``; otherwise :class:`PermissionDenied` naming who may ``to``
    (the end of "only a manager can …", e.g. ``"lock a pay period"``)."""
    if not roles:
        raise ValueError("require() needs at least one role")
    who = _WHO_EITHER.get(roles) or (_WHO.get(roles[0], roles[0]) if len(roles) == 1 else None)
    who = who or " or ".join(_WHO.get(role, role) for role in roles)
    if actor is None:
        raise PermissionDenied(
            N_("nobody is signed in; only {who} can {to}"),
            fix={"page": N_("sign in first"), "cli": N_("run the command as a manager")},
            who=who,
            to=to,
        )
    if actor.role not in roles:
        raise PermissionDenied(
            N_("only {who} can {to}; {username} is signed in as {role}"),
            fix=_SIGN_IN_AGAIN,
            who=who,
            to=to,
            username=actor.username,
            role=actor.role,
        )
    return actor


def require_self_or_manager(actor: Identity | None, person_id: int, *, to: str) -> Identity:
    """``actor`` when it is a manager, or the artist whose own record ``person_id`` is; else :class:`PermissionDenied`."""
    actor = require(actor, "manager", "artist", to=to)
    if actor.role == "artist" and (actor.person_id is None or int(actor.person_id) != int(person_id)):
        raise PermissionDenied(
            N_("you may {to} only for your own record, not for person #{person_id}"), to=to, person_id=person_id
        )
    return actor


def command_line_actor() -> Identity:
    """Who acts when a command line changes data: the operating-system user running it, audited as ``cli:<user>``.

    It acts as a manager: whoever can run the command can already write to the database directly, so a role check
    would protect nothing; the audit trail still says that the change came from a shell, and whose.
    """
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no LOGNAME/USER and no passwd entry (a bare container)
        user = "unknown"
    return Identity(username=f"cli:{user}", role="manager", display_name=f"command line ({user})", via="cli")
