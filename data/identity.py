"""Who is acting: the signed-in person (or a command line's operator) that pages, queries and services are scoped by.

Every layer reads it, so it lives at the bottom: :class:`analytics.scope.Scope` carries it as the viewer, services
check its role before they write, the audit trail records its username.
"""

from __future__ import annotations

from dataclasses import dataclass

from data.errors import DataError
from data.i18n import N_
from data.schema import ACCOUNT_ROLES


class IdentityError(DataError):
    """An identity that cannot exist (an unknown role, an artist linked to nobody)."""


@dataclass(frozen=True)
class Identity:
    """Who is signed in: what pages and queries are scoped by. Never holds a password or hash."""

    username: str
    role: str
    person_id: int | None = None
    account_id: int | None = None
    display_name: str | None = None
    via: str = "local"

    def __post_init__(self) -> None:
        if self.role not in ACCOUNT_ROLES:
            raise IdentityError(
                N_("role {role!r} is not one of {roles}"), role=self.role, roles=", ".join(ACCOUNT_ROLES)
            )
        if self.role == "artist" and self.person_id is None:
            raise IdentityError(N_("an artist identity must be linked to a person"))

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"
