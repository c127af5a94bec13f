"""What a format's reader hands the writer: one source record, and one row of it as parsed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class SourceRow:
    """One physical record of the input: ``line`` is 1-based (file line, sheet row or JSON record number)."""

    line: int
    cells: dict[str, str]
    raw: str


@dataclass
class Item:
    """One row of the import: ``value`` is what the format's parser made of it (a dict of columns, a ParsedCredit)
    or the :class:`~data.importers.errors.RowError` that rejects it. ``origin`` is the record a row came from when
    one record holds many rows (a MADB work and its credits)."""

    line: int
    raw: str
    value: Any
    origin: Any = None
