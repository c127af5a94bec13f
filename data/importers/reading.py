"""Reading files: CSV (UTF-8, UTF-16 or CP932, any common delimiter; :mod:`data.importers.encodings`), XLSX (checked
first by :mod:`data.importers.xlsx_limits`) and text, streamed; and a table's rows as Items, each through the checks
every tabular format shares (blank line, extra cells, totals row). A header naming a column twice refuses the file.

Every physical row becomes exactly one Item, blank lines and totals rows included, so the writer can account for
every row. Nothing here knows a format: a format's reader calls these with its own parser.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from data.i18n import N_
from data.importers import encodings, xlsx_limits
from data.importers.errors import ImportFailed, RowError
from data.importers.rows import Item, SourceRow
from data.names import nfkc

csv.field_size_limit(10_000_000)


def hkey(header: str) -> str:
    """Header match key: NFKC, BOM and quotes stripped, spaces folded, casefolded."""
    return re.sub(r"\s+", " ", nfkc(header).replace("\ufeff", "").strip().strip('"').strip()).casefold()


def sniff_encoding(path: Path) -> str:
    """The text encoding of ``path``: the one named for this import, else detected on the whole file
    (:func:`data.importers.encodings.encoding_of`)."""
    return encodings.encoding_of(path)


def duplicated(header: list[str]) -> list[str]:
    """The header cells whose match key (:func:`hkey`) another cell already has, as written."""
    seen: set[str] = set()
    twice = []
    for cell in header:
        key = hkey(cell)
        if key and key in seen:
            twice.append(cell.strip())
        seen.add(key)
    return twice


def refuse_duplicates(path: Path, header: list[str]) -> None:
    """:class:`ImportFailed` naming the columns a header names more than once: which of two ``person`` cells is the
    person cannot be guessed, and reading either would import the other's rows wrongly."""
    twice = duplicated(header)
    if twice:
        raise ImportFailed(
            N_("{file}: the header names {columns} more than once"),
            fix=N_("rename or delete the extra columns and import again"),
            file=path.name,
            columns=", ".join(dict.fromkeys(twice)),
        )


def sniff_delimiter(line: str) -> str:
    """The most frequent of comma, semicolon and tab in a header line (comma when none occurs)."""
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def is_xlsx(path: Path) -> bool:
    """True when the file is a ZIP container (an XLSX workbook), whatever its name."""
    with path.open("rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def is_json(path: Path) -> bool:
    """True when the file starts, after a BOM and blanks, like a JSON document."""
    with path.open("rb") as fh:
        head = fh.read(256).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[")


def first_line(path: Path, encoding: str) -> str:
    """The first non-blank line, without its line break ("" for a blank file)."""
    with path.open(encoding=encoding, newline="") as fh:
        for line in fh:
            if line.strip():
                return line.rstrip("\r\n")
    return ""


def count_lines(path: Path) -> int:
    """The number of line breaks in the file (the progress estimate)."""
    n = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            n += chunk.count(b"\n")
    return n


def csv_records(path: Path, delimiter: str | None = None) -> tuple[list[str], str, Iterator[tuple[int, list[str]]]]:
    """Header, delimiter and a streaming iterator of ``(line, cells)``: ``line`` is the physical line the record
    starts on. Blank lines come through (as ``[]`` or all-blank cells), so the caller accounts for them."""
    encoding = sniff_encoding(path)
    fh = path.open(encoding=encoding, newline="")
    line = ""
    skipped = 0
    for raw_line in fh:
        skipped += 1
        if raw_line.strip():
            line = raw_line
            break
    if not line:
        fh.close()
        raise ImportFailed(N_("{file}: no header line"), fix=N_("give the file its header line"), file=path.name)
    delim = delimiter or sniff_delimiter(line)
    header = next(csv.reader([line], delimiter=delim))
    header_line = skipped
    try:
        refuse_duplicates(path, header)
    except ImportFailed:
        fh.close()
        raise

    def records() -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(fh, delimiter=delim)
        prev = 0
        try:
            for cells in reader:
                yield header_line + prev + 1, cells
                prev = reader.line_num
        except csv.Error as exc:
            raise ImportFailed(
                N_("{file}: line {line}: unreadable CSV ({error})"),
                file=path.name,
                line=header_line + reader.line_num,
                error=str(exc),
            ) from exc
        except UnicodeDecodeError as exc:
            raise ImportFailed(
                N_("{file}: after line {line}: bytes that are not {encoding} text ({error})"),
                fix=N_("save the whole file as UTF-8 CSV and import it again"),
                file=path.name,
                line=header_line + reader.line_num,
                encoding=encoding,
                error=str(exc),
            ) from exc
        finally:
            fh.close()

    return header, delim, records()


def csv_rows(path: Path, delimiter: str | None = None) -> tuple[list[str], Iterator[SourceRow]]:
    """Header and a streaming iterator of rows; ``SourceRow.line`` is the physical line the record starts on.

    Blank lines come through as rows with no cells, so the caller accounts for them.
    """
    header, delim, records = csv_records(path, delimiter)
    keys = [hkey(h) for h in header]
    width = len(keys)
    return header, (source_row(keys, width, delim, start, cells) for start, cells in records)


def source_row(keys: list[str], width: int, delim: str, line: int, cells: list[str]) -> SourceRow:
    """One CSV record as a SourceRow: cells keyed by header (a blank record has none; non-blank cells beyond the
    header go under ``"\\x00extra"``)."""
    if not cells or not "".join(cells).strip():  # every cell blank (one C-level pass)
        return SourceRow(line, {}, delim.join(cells))
    row = dict(zip(keys, cells, strict=False))
    if len(cells) > width:
        extra = [c for c in cells[width:] if c.strip()]
        if extra:
            row["\x00extra"] = delim.join(extra)
    return SourceRow(line, row, delim.join(cells))


def _cell(value: object) -> str:
    """A workbook cell as text: dates ISO, times ``HH:MM`` or ``HH:MM:SS`` when they have seconds (Excel stores times
    as fractions of a day, so they are rounded to the nearest second first)."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0) if value.microsecond else value
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if isinstance(value, dt.time):
        if value.microsecond:
            whole = dt.datetime.combine(dt.date(2000, 1, 1), value) + dt.timedelta(microseconds=500_000)
            value = whole.time().replace(microsecond=0)
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_header_rows(path: Path) -> Iterator[list[str]]:
    """Every row of the first sheet as text cells, streamed."""
    from openpyxl import load_workbook

    xlsx_limits.check(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFailed(
            N_("{file}: not a readable XLSX workbook ({error})"), file=path.name, error=str(exc)
        ) from exc
    try:
        ws = wb.worksheets[0]
        for values in ws.iter_rows(values_only=True):
            yield [_cell(v) for v in values]
    finally:
        wb.close()


def xlsx_rows(path: Path) -> tuple[list[str], Iterator[SourceRow]]:
    """Header and rows of the first sheet, streamed (openpyxl read-only); ``line`` is the sheet row number."""
    it = xlsx_header_rows(path)
    header: list[str] = []
    header_row = 0
    for values in it:
        header_row += 1
        if any(v.strip() for v in values):
            header = values
            break
    if not header:
        raise ImportFailed(
            N_("{file}: the first sheet has no header row"), fix=N_("put the header in the first sheet"), file=path.name
        )
    while header and not header[-1].strip():
        header.pop()
    refuse_duplicates(path, header)
    keys = [hkey(h) for h in header]

    def rows() -> Iterator[SourceRow]:
        for n, values in enumerate(it, start=header_row + 1):
            raw = "\t".join(values).rstrip("\t")
            if not any(v.strip() for v in values):
                yield SourceRow(n, {}, raw)
                continue
            row = dict(zip(keys, values, strict=False))
            extra = [v for v in values[len(keys) :] if v.strip()]
            if extra:
                row["\x00extra"] = "\t".join(extra)
            yield SourceRow(n, row, raw)

    return header, rows()


def text_lines(path: Path) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of every line, without its line break."""
    encoding = sniff_encoding(path)
    with path.open(encoding=encoding, newline="") as fh:
        for n, line in enumerate(fh, start=1):
            yield n, line.rstrip("\r\n")


# A totals row as trackers and spreadsheets label it: reported as ``totals_row``, never imported as an entry.
TOTAL = re.compile(r"^(total|totals|grand total|合計|総計|gesamt|summe|insgesamt|sum)\b", re.IGNORECASE)


def table_rows(path: Path) -> tuple[list[str], Iterator[SourceRow]]:
    """Header and rows of a CSV or XLSX file (by its content, not its name)."""
    return xlsx_rows(path) if is_xlsx(path) else csv_rows(path)


def map_row(row: SourceRow, mapper: Callable[[SourceRow], Any]) -> Item:
    """One row through the checks every tabular format shares (blank, extra cells, totals row), then ``mapper``: the
    Item holds what ``mapper`` returned, or the RowError that rejects the row."""
    if not row.cells:
        return Item(row.line, row.raw, RowError("blank_line", N_("blank line"), value=""))
    extra = row.cells.pop("\x00extra", None)
    if extra is not None:
        return Item(
            row.line,
            row.raw,
            RowError("extra_cells", N_("more cells than header columns (an unquoted delimiter?)"), value=extra),
        )
    for first in islice(row.cells.values(), 3):
        if first.strip():
            break
    else:
        first = None
    if first is not None and TOTAL.match(first.strip()):
        return Item(row.line, row.raw, RowError("totals_row", N_("a totals row, not an entry"), value=first))
    try:
        return Item(row.line, row.raw, mapper(row))
    except RowError as exc:
        return Item(row.line, row.raw, exc)


def mapped(path: Path, mapper: Callable[[SourceRow], Any]) -> Iterator[Item]:
    """Every row of a CSV or XLSX file as an Item (:func:`map_row`), streamed."""
    _, rows = table_rows(path)
    for row in rows:
        yield map_row(row, mapper)
