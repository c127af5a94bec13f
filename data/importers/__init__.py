"""Importers: timesheets, pay, AI usage, people, credits, employment contracts, labor agreements and the annual paid
leave ledger from the files studios already have.

Public entry points (everything else is internal):

* :func:`import_file` — one file in one transaction; returns an :class:`ImportSummary`.
* :func:`parse_credits` — the credits in a credit file as :class:`data.credit_records.ParsedCredit`, no database.
* :func:`rejected_rows_csv` — a batch's rejected rows as a CSV download.

Formats are listed in :data:`FORMATS` and documented in ``docs/import-formats.md``.
"""

from data.importers.batch import import_file, parse_credits, rejected_rows_csv
from data.importers.formats import FORMATS, detect
from data.importers.rows import ImportFailed, ImportSummary, Rejection, UnknownFormat

__all__ = [
    "FORMATS",
    "ImportFailed",
    "ImportSummary",
    "Rejection",
    "UnknownFormat",
    "detect",
    "import_file",
    "parse_credits",
    "rejected_rows_csv",
]
