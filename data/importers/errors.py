"""The importers' errors: a file that cannot be imported (nothing written), and a row that cannot (rejected).

Both are :class:`data.errors.EndrollError` subclasses under :class:`ImporterError`. A fatal error's message names the
file and says what to do in the words of the place that ran the import (``fix`` keyed by ``cli`` and ``page``); a
row's reason is stored with the rejected row and read from either place, so it names no command-line flag alone.
"""

from __future__ import annotations

from typing import Any

from data.errors import PLACES, DataError, EndrollError

ECHO_MAX = 200  # characters of a cell, header or value an error message quotes back
REASON_MAX = 500  # as rejected_row.reason holds


def clip(text: str, limit: int = ECHO_MAX) -> str:
    """``text`` cut to ``limit`` characters, saying how long it was: a hostile file's 400 MB header or cell is
    never echoed whole."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


class ImporterError(DataError):
    """The base of the importers' errors. Text parameters are clipped (:func:`clip`): a message quotes what the
    file said, never all of it."""

    def __init__(self, what: str, *, fix: Any = None, **params: Any) -> None:
        super().__init__(what, fix=fix, **{k: _clipped(v) for k, v in params.items()})


def _clipped(value: Any) -> Any:
    if isinstance(value, str):
        return clip(value)
    if isinstance(value, (list, tuple)) and sum(len(str(v)) for v in value) > ECHO_MAX:
        return clip(repr(value))
    return value


class ImportFailed(ImporterError, RuntimeError):
    """A fatal error: nothing of the import was written. The message names the file and what to fix.

    Also a RuntimeError: callers written before :class:`EndrollError` (the credits command line) catch that."""

    @classmethod
    def of(cls, exc: BaseException, *, file: str) -> ImportFailed:
        """``exc``, raised while importing ``file``, as the fatal error the caller reads: an EndrollError keeps its own
        advice for each place; the database being busy or unreachable is said so."""
        from sqlalchemy.exc import OperationalError

        hint = " (the database is busy or unreachable)" if isinstance(exc, OperationalError) else ""
        if isinstance(exc, EndrollError):
            # No parameters: the texts are final, and formatting them again could misread a brace in them.
            return cls(f"{file}: import failed, nothing was written", fix={p: exc.message(p) for p in PLACES})
        return cls("{file}: import failed{hint}, nothing was written: {error}", file=file, hint=hint, error=str(exc))


class UnknownFormat(ImportFailed):
    """The file's header matches no known format: name the format, or fix the header."""


class RowError(ImporterError):
    """One row cannot be imported; it is stored as a RejectedRow with these fields. ``reason`` is the stored text."""

    def __init__(self, code: str, reason: str, *, column: str | None = None, value: Any = None) -> None:
        reason = clip(reason, REASON_MAX)
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.column = column
        self.value = None if value is None else clip(str(value), 10_000)

    def __reduce__(self):  # pickling keeps the row's fields, not only the message
        return (_row_error, (self.code, self.reason, self.column, self.value))


def _row_error(code: str, reason: str, column: str | None, value: str | None) -> RowError:
    return RowError(code, reason, column=column, value=value)
