"""The write side's errors: what a person reads when a change they asked for is refused.

Every class here is an :class:`data.errors.EndrollError`, so a page catches ``EndrollError`` and shows
``error.message("page")``; a command line prints ``str(error)`` (its own wording). Missing rows raise
:class:`data.errors.NotFound`, which a service may raise as well.
"""

from __future__ import annotations

from data.errors import EndrollError


class ServiceError(EndrollError):
    """A change a person asked for cannot be made."""


class PermissionDenied(ServiceError):
    """The actor's role (or nobody signed in) may not make this change."""


class ValidationError(ServiceError):
    """The values given cannot be stored as they are; the message says which one and what to change."""
