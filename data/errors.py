"""The one base of every error a person may read.

A message says what went wrong and what the reader can do about it, in the words of the place they are in: a page
talks about the sidebar and buttons, a command line about its flags. Raise a subclass of :class:`EndrollError`
with ``what`` (always true, wherever it is read) and, where the remedy differs by place, ``fix`` keyed by place::

    raise AnalyticsError(
        "the period starts on {start} after it ends on {end}",
        fix={"cli": "swap --from and --to", "page": "swap From and To in the sidebar"},
        start=start, end=end,
    )

``str(error)`` is the command-line wording (logs and tracebacks read the same); pages call ``error.message("page")``.
The template and its parameters are kept apart so a page can render the message in the reader's language.

Each layer has its own subclasses next to its code (``data.engine.DatabaseError``, ``analytics.errors``,
``services.errors``, ``generation.errors``); a page catches :class:`EndrollError` and nothing broader, so a bug
(any other exception) is never dressed up as advice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from data.i18n import N_, Message  # N_ re-exported: data/law may import nothing of Endroll's but this module

__all__ = ["N_", "DataError", "EndrollError", "NotFound", "PLACES", "Place"]

Place = Literal["cli", "page"]
PLACES: tuple[Place, ...] = ("cli", "page")


class EndrollError(Exception):
    """An error with a message a person can act on (see the module docstring)."""

    def __init__(self, what: str, *, fix: str | Mapping[str, str] | None = None, **params: Any) -> None:
        self.what = what
        self.params = params
        if fix is None:
            self.fix: dict[str, str] = {}
        elif isinstance(fix, str):
            self.fix = dict.fromkeys(PLACES, fix)
        else:
            unknown = set(fix) - set(PLACES)
            if unknown:
                raise ValueError(f"fix names unknown places {sorted(unknown)}; use {PLACES}")
            self.fix = dict(fix)
        super().__init__(self.message("cli"))

    def message(self, place: Place = "cli", translate: Any = None) -> str:
        """The whole message for ``place``: what happened, then what to do there. ``translate`` maps a template to
        the reader's language (the UI passes its catalog lookup)."""
        tr = translate or (lambda text: text)
        # A marked parameter (``to=N_("lock a pay period")``) is a phrase of the message and is translated with it.
        params = (
            {k: tr(v) if isinstance(v, Message) else v for k, v in self.params.items()} if translate else self.params
        )
        text = _format(tr(self.what), params)
        fix = self.fix.get(place)
        if fix:
            text = f"{text}: {_format(tr(fix), params)}"
        return text

    def __reduce__(self):  # pickling keeps the template and parameters (Streamlit's cache pickles)
        return (_rebuild, (type(self), self.what, self.fix, self.params))


def _rebuild(cls: type[EndrollError], what: str, fix: dict[str, str], params: dict[str, Any]) -> EndrollError:
    error = cls.__new__(cls)
    EndrollError.__init__(error, what, fix=fix or None, **params)
    return error


def _format(template: str, params: Mapping[str, Any]) -> str:
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        # A translation that names a parameter the code does not pass must not hide the error being reported.
        return template


class DataError(EndrollError):
    """The records cannot be read or written as asked (a missing row, a rule of the data broken)."""


class NotFound(DataError):
    """Something asked for by name or id does not exist."""
