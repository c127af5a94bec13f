"""The demo's error: the studio cannot be loaded as asked."""

from __future__ import annotations

from data.errors import DataError


class DemoError(DataError):
    """The demo studio cannot be loaded as asked; the message says what to do."""
