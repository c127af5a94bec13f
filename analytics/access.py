"""Who may see what. Hiding a page is not the protection: every view checks its scope's viewer here."""

from __future__ import annotations

from analytics.errors import AccessDenied
from data.i18n import N_
from data.identity import Identity

_SIGN_IN = {"page": N_("sign in first"), "cli": N_("sign in first")}


def ensure_can_view_person(identity: Identity | None, person_id: int) -> None:
    """AccessDenied (a PermissionError) unless ``identity`` may see ``person_id``'s own data (hours, pay, findings).

    Managers may see anyone; an artist only themself; advocates see aggregates only, never one person.
    """
    if identity is None:
        raise AccessDenied(N_("nobody is signed in"), fix=_SIGN_IN)
    if identity.role == "manager":
        return
    if identity.role == "artist" and identity.person_id is not None and int(person_id) == int(identity.person_id):
        return
    if identity.role == "advocate":
        raise AccessDenied(N_("advocates see anonymized aggregates only, never one person's record"))
    raise AccessDenied(N_("{user} may see only their own record, not person {person}"), user=identity.username,
                       person=person_id)  # fmt: skip


def ensure_role(identity: Identity | None, *roles: str) -> Identity:
    """AccessDenied (a PermissionError) unless ``identity`` has one of ``roles``; returns it for chaining."""
    if identity is None:
        raise AccessDenied(N_("nobody is signed in"), fix=_SIGN_IN)
    if identity.role not in roles:
        raise AccessDenied(
            N_("this needs the {needed} role; {user} is {role}"),
            fix={
                "page": N_("sign in with an account that has that role"),
                "cli": N_("use an account that has that role"),
            },
            needed=" or ".join(roles),
            user=identity.username,
            role=identity.role,
        )
    return identity
