"""Importers: timesheets, pay, AI usage, people, credits, employment contracts, labor agreements and the annual paid
leave ledger from the files studios already have.

Public entry points (everything else is internal):

* :func:`import_file` — one file in one transaction; returns an :class:`ImportSummary`.
* :func:`parse_credits` — the credits in a credit file as :class:`data.credit_records.ParsedCredit`, no database.
* :func:`rejected_rows_csv` — a batch's rejected rows as a CSV download; :func:`warnings_csv` its warnings.
* :data:`FORMATS` and :func:`detect` — the format registry, and the format of a file.

Each import kind is one module of :mod:`data.importers.kinds`, registered in :mod:`data.importers.registry`; the
formats are documented in ``docs/import-formats.md``.
"""

from data.importers import kinds  # noqa: F401 - imported for its side effect: every kind registers its formats
from data.importers.errors import ImporterError, ImportFailed, RowError, UnknownFormat
from data.importers.kinds.credits import parse_credits
from data.importers.pipeline import import_file, rejected_rows_csv, warnings_csv
from data.importers.registry import FORMATS, detect
from data.importers.report import ImportSummary, Rejection

__all__ = [
    "FORMATS",
    "ImportFailed",
    "ImportSummary",
    "ImporterError",
    "Rejection",
    "RowError",
    "UnknownFormat",
    "detect",
    "import_file",
    "parse_credits",
    "rejected_rows_csv",
    "warnings_csv",
]
