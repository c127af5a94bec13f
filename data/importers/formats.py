"""Which format a file is in, read from its header; and streaming readers for CSV, XLSX and text.

Detection looks at the first non-blank line only, so it costs nothing on large files. An explicit format name
(``--format``) always wins.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from data.importers.rows import ImportFailed, SourceRow, UnknownFormat
from data.names import nfkc

csv.field_size_limit(10_000_000)


@dataclass(frozen=True)
class Format:
    name: str
    # What the rows become: person, work_log, pay_item, ai_usage, credit, employment, labor_agreement, annual_leave.
    kind: str
    label: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("canonical_people", "person", "Endroll people (CSV/XLSX)"),
        Format("canonical_work_logs", "work_log", "Endroll work logs (CSV/XLSX)"),
        Format("canonical_pay_items", "pay_item", "Endroll pay items (CSV/XLSX)"),
        Format("canonical_ai_usage", "ai_usage", "Endroll AI-usage ledger (CSV/XLSX)"),
        Format("canonical_credits", "credit", "Endroll credits (CSV/XLSX)"),
        Format("canonical_employments", "employment", "Endroll employment contracts (CSV/XLSX)"),
        Format("canonical_labor_agreements", "labor_agreement", "Endroll Article 36 labor agreements (CSV/XLSX)"),
        Format("canonical_annual_leave", "annual_leave", "Endroll annual paid leave ledger (CSV/XLSX)"),
        Format("kitsu_time_spent", "work_log", "Kitsu time-spent export (;, minutes)"),
        Format("kitsu_timesheet", "work_log", "Kitsu timesheet grid, day detail (;, hours)"),
        Format("shotgrid", "work_log", "ShotGrid / Flow Production Tracking time logs (minutes)"),
        Format("ftrack", "work_log", "ftrack time logs (seconds)"),
        Format("kimai", "work_log", "Kimai timesheet export (en/de/ja headers; h:mm or decimal)"),
        Format("clockify", "work_log", "Clockify detailed report"),
        Format("toggl", "work_log", "Toggl Track detailed report"),
        Format("madb", "credit", "Media Arts Database JSON-LD"),
        Format("credit_text", "credit", "Credit-roll text"),
    )
}


def hkey(header: str) -> str:
    """Header match key: NFKC, BOM and quotes stripped, spaces folded, casefolded."""
    return re.sub(r"\s+", " ", nfkc(header).replace("\ufeff", "").strip().strip('"').strip()).casefold()


# Kimai translates its headers into the export locale; these are the labels for the three locales we accept.
KIMAI_HEADERS = {
    "date": ("date", "datum", "日付"),
    "from": ("from", "von", "開始", "開始時刻", "開始時間"),
    "to": ("to", "bis", "終了", "終了時刻", "終了時間"),
    "duration": ("duration", "dauer", "時間", "期間", "所要時間", "作業時間"),
    "user": ("user", "benutzer", "ユーザー", "ユーザ", "ユーザー名"),
    "name": ("name", "名前", "氏名"),
    "email": ("e-mail", "email", "メールアドレス", "メール"),
    "customer": ("customer", "kunde", "顧客"),
    "project": ("project", "projekt", "プロジェクト"),
    "activity": ("activity", "tätigkeit", "aktivität", "アクティビティ", "活動"),
    "description": ("description", "beschreibung", "説明"),
    "tags": ("tags", "schlagworte", "タグ"),
    "staff number": ("staff number", "personalnummer", "社員番号", "従業員番号"),
}
_GRID_UNIT = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{1,2})$")


def _is_kimai(h: set[str]) -> bool:
    return all(any(label in h for label in KIMAI_HEADERS[k]) for k in ("date", "from", "to", "duration"))


def detect_header(headers: list[str]) -> str | None:
    h = {hkey(x) for x in headers}
    first = hkey(headers[0]) if headers else ""
    if "work_date" in h:
        return "canonical_work_logs"
    if {"basis", "amount", "period_start"} <= h:
        return "canonical_pay_items"
    if {"asset_path", "tool"} <= h:
        return "canonical_ai_usage"
    if {"role", "name"} <= h and ("line_order" in h or "production" in h):
        return "canonical_credits"
    if "display_name" in h:
        return "canonical_people"
    # After every older canonical test, so a file they claim stays theirs: contracts are told by their type and
    # start, agreements by their start and employer (neither column pair occurs in a timesheet export).
    if {"employment_type", "start_date"} <= h:
        return "canonical_employments"
    if "valid_from" in h and h & {"organization", "has_36_agreement"}:
        return "canonical_labor_agreements"
    # The leave ledger by its kind, date and days together: no older canonical header has a bare kind or on_date,
    # and no timesheet export an on_date.
    if {"kind", "on_date", "days"} <= h:
        return "canonical_annual_leave"
    if {"project", "person", "entity", "task type", "date", "time spent"} <= h:
        return "kitsu_time_spent"
    if first == "person" and len(headers) > 1 and all(_GRID_UNIT.match(hkey(x)) for x in headers[1:] if hkey(x)):
        return "kitsu_timesheet"
    if {"start date", "start time"} <= h and ("duration (h)" in h or "duration (decimal)" in h):
        return "clockify"
    if {"start date", "start time", "duration"} <= h and ("email" in h or "user" in h):
        return "toggl"
    if _is_kimai(h):
        return "kimai"
    if {"start", "duration"} <= h and h & {"user_id", "user", "user.username", "user name"}:
        return "ftrack"
    if {"date", "duration"} <= h and h & {"user", "person", "artist"} and h & {"entity", "link", "task", "project"}:
        return "shotgrid"
    return None


def sniff_encoding(path: Path) -> str:
    sample = path.open("rb").read(1 << 16)
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:
            # Japanese spreadsheets still save Shift_JIS (cp932) CSV by default.
            try:
                sample[: exc.start + 1024].decode("cp932")
                return "cp932"
            except UnicodeDecodeError:
                raise ImportFailed(
                    f"{path.name}: not UTF-8 or Shift_JIS text (byte {exc.start}); save it as UTF-8 CSV"
                ) from None
    return "utf-8-sig"


def sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def is_xlsx(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def is_json(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(256).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[")


def first_line(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, newline="") as fh:
        for line in fh:
            if line.strip():
                return line.rstrip("\r\n")
    return ""


def detect(path: Path) -> str:
    """The format name of ``path`` (see :data:`FORMATS`), or :class:`UnknownFormat` with what was expected."""
    if is_json(path):
        return "madb"
    if is_xlsx(path):
        headers = next(xlsx_header_rows(path), None)
        name = detect_header(headers or [])
        if name is None or not name.startswith("canonical_"):
            raise UnknownFormat(
                f"{path.name}: the first sheet's header {headers!r} is not an Endroll canonical sheet; "
                "use a template from data/importers/templates/"
            )
        return name
    encoding = sniff_encoding(path)
    line = first_line(path, encoding)
    if not line:
        raise UnknownFormat(f"{path.name}: the file is empty")
    headers = next(csv.reader([line], delimiter=sniff_delimiter(line)))
    name = detect_header(headers)
    if name:
        return name
    if path.suffix.lower() in {".txt", ".text", ".md"} or len(headers) < 3:
        return "credit_text"
    raise UnknownFormat(
        f"{path.name}: line 1 header {line[:200]!r} matches no known format. Known: {', '.join(FORMATS)}. "
        "Pass --format NAME if the header was renamed."
    )


def count_lines(path: Path) -> int:
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
        raise ImportFailed(f"{path.name}: no header line")
    delim = delimiter or sniff_delimiter(line)
    header = next(csv.reader([line], delimiter=delim))
    header_line = skipped

    def records() -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(fh, delimiter=delim)
        prev = 0
        try:
            for cells in reader:
                yield header_line + prev + 1, cells
                prev = reader.line_num
        except csv.Error as exc:
            raise ImportFailed(f"{path.name}: line {header_line + reader.line_num}: unreadable CSV ({exc})") from exc
        except UnicodeDecodeError as exc:
            raise ImportFailed(
                f"{path.name}: after line {header_line + reader.line_num}: bytes that are not {encoding} text ({exc})"
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
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(timespec="minutes")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()[:5] if isinstance(value, dt.time) else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_header_rows(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise ImportFailed(f"{path.name}: not a readable XLSX workbook ({exc})") from exc
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
        raise ImportFailed(f"{path.name}: the first sheet has no header row")
    while header and not header[-1].strip():
        header.pop()
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
    encoding = sniff_encoding(path)
    with path.open(encoding=encoding, newline="") as fh:
        for n, line in enumerate(fh, start=1):
            yield n, line.rstrip("\r\n")
