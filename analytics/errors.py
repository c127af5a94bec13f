"""Every error of the read side a person may read, under one base: :class:`AnalyticsError`.

A message says what happened (``what``, true wherever it is read) and what to do where it is read (``fix`` per place:
``cli`` for the command lines, ``page`` for the dashboard). Pages show ``error.message("page")``; the command lines
print ``str(error)``. Some classes also derive from the built-in exception that names their kind (a refused view is
a ``PermissionError``, a name that matches nothing a ``LookupError``), so code that asks for the kind still works.
"""

from __future__ import annotations

import datetime as dt

from data.errors import EndrollError
from data.i18n import N_


class AnalyticsError(EndrollError):
    """A question the read side cannot answer as asked; the message says what to change."""


class PeriodReversed(AnalyticsError):
    """A period whose first day comes after its last."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        super().__init__(
            N_("the period starts on {start} after it ends on {end}"),
            fix={"cli": N_("swap --from and --to"), "page": N_("swap From and To in the sidebar")},
            start=start,
            end=end,
        )


class ProductionNotFound(AnalyticsError, LookupError):
    """No production matches what was asked for; the message lists what exists or what was tried."""


class PersonNotFound(AnalyticsError, LookupError):
    """No person has the id asked for."""


class AccessDenied(AnalyticsError, PermissionError):
    """The viewer's role does not allow this view (hiding a page is not the protection: the views check)."""


class AnonymityError(AnalyticsError):
    """An advocate aggregate would reveal a person; nothing is shown instead."""


class ExportError(AnalyticsError):
    """A table cannot be exported as asked (a secret column, an unknown format)."""


class RecordError(AnalyticsError):
    """An artist's credit record cannot be produced as asked."""


class EndRollError(AnalyticsError):
    """An end roll cannot be exported as asked (an unknown format or language)."""


class FontNotFound(AnalyticsError):
    """No CJK font is installed for the PDF exports; the message names the package to install."""


class MissingGlyphs(AnalyticsError):
    """A PDF would need characters no installed font can show; the message names them (never a silent drop)."""


class FindingsNotReady(AnalyticsError):
    """The whole studio's findings were never computed yet and a page may not compute them on a request: the
    background worker is computing them."""

    def __init__(self) -> None:
        super().__init__(
            N_("the compliance findings are being computed for the first time"),
            fix={
                "cli": N_("run python -m analytics.derived --once, or wait for the app's worker"),
                "page": N_("wait a moment: this page shows them as soon as they are ready"),
            },
        )
