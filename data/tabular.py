"""Tables written for spreadsheets: every CSV and TSV Endroll writes goes through here, so no cell runs as a formula.

A spreadsheet runs a cell as a formula when its text begins with ``=``, ``+``, ``-`` or ``@``, and some also after
a leading tab or carriage return (OWASP, "CSV injection"): a production titled ``=HYPERLINK("https://…")`` would
become a link in the manager's Excel. Such text gets a leading ``'`` (shown by the spreadsheet, never run); numbers
stay numbers. CSV quotes a cell holding a comma, a quote or a line break (the csv module does); TSV has no quoting,
so a tab, carriage return or line feed inside a value becomes a space and every row keeps its columns.

This module is in ``data/`` because the writers live in every layer: the import pipeline's rejected rows (data),
the findings, credit checks, end rolls and records (analytics), the page downloads (through
:mod:`analytics.exports`) and the generator's training log.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from typing import IO, Any

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = "\ufeff"
_TSV_BREAKS = str.maketrans({"\t": " ", "\r": " ", "\n": " "})


def neutralize(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell: text that would run as a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column name neutralized; numbers stay numbers."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralize, na_action="ignore")
    out.columns = [neutralize(str(c)) for c in out.columns]
    return out


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    return neutralize(value)


class Writer:
    """A csv.writer whose every cell is neutralized (None and NaN written empty): ``writerow``, ``writerows``."""

    def __init__(self, stream: IO[str], *, lineterminator: str = "\r\n", **options: Any) -> None:
        self._writer = csv.writer(stream, lineterminator=lineterminator, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, lineterminator: str = "\r\n") -> str:
    """``header`` and ``rows`` as CSV text, every cell neutralized."""
    buffer = io.StringIO()
    writer = Writer(buffer, lineterminator=lineterminator)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def csv_records(fields: Sequence[str], records: Iterable[dict[str, Any]], *, lineterminator: str = "\r\n") -> str:
    """Dictionaries as CSV text with ``fields`` as the header (missing keys empty), every cell neutralized."""
    return csv_text(fields, ([r.get(f) for f in fields] for r in records), lineterminator=lineterminator)


def frame_csv(frame: pd.DataFrame, *, lineterminator: str = "\r\n") -> str:
    """A DataFrame as CSV text (no index column), every text cell and column name neutralized."""
    return neutralize_frame(frame).to_csv(index=False, lineterminator=lineterminator)


def write_frame_csv(frame: pd.DataFrame, stream: IO[str]) -> None:
    """:func:`frame_csv` written to ``stream`` (a command line's standard output), with ``\\n`` line ends."""
    stream.write(frame_csv(frame, lineterminator="\n"))


def tsv_cell(value: Any) -> str:
    """One TSV cell: neutralized, with tabs and line breaks inside it as spaces (TSV cannot quote them)."""
    return str(_cell(value)).translate(_TSV_BREAKS)


def tsv_row(values: Iterable[Any]) -> str:
    """One TSV line (without its line end) whose columns stay true whatever the values hold."""
    return "\t".join(tsv_cell(v) for v in values)
