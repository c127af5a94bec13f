"""Who may see what. Hiding a page is not the protection: every per-person query checks the identity here."""

from __future__ import annotations

from data.identity import Identity


def ensure_can_view_person(identity: Identity | None, person_id: int) -> None:
    """Raise PermissionError unless ``identity`` may see ``person_id``'s own data (hours, pay, findings).

    Managers may see anyone; an artist only themself; advocates see aggregates only, never one person.
    """
    if identity is None:
        raise PermissionError("sign in first")
    if identity.role == "manager":
        return
    if identity.role == "artist" and identity.person_id is not None and int(person_id) == int(identity.person_id):
        return
    if identity.role == "advocate":
        raise PermissionError("advocates see anonymized aggregates only, never one person's record")
    raise PermissionError(f"{identity.username} may see only their own record, not person {person_id}")


def ensure_role(identity: Identity | None, *roles: str) -> Identity:
    """Raise PermissionError unless ``identity`` has one of ``roles``; returns it for chaining."""
    if identity is None:
        raise PermissionError("sign in first")
    if identity.role not in roles:
        raise PermissionError(f"this needs the {' or '.join(roles)} role; {identity.username} is {identity.role}")
    return identity
