"""MHLW's nationwide table of regional minimum wages as published (``mhlw_minimum_wages``): 地域別最低賃金の全国一覧,
or the councils' 答申状況, saved from the ministry's page or spreadsheet as CSV or XLSX.

The table has a row per prefecture — 都道府県名, the hourly amount (最低賃金時間額【円】, often with last year's in
brackets: ``1,280 (1,226)``), the effective date in the Japanese era (発効年月日: ``令和8年10月1日``; blank or 未定
before it is fixed) — under a title naming the fiscal year (``令和8年度 地域別最低賃金 改定状況``). Rows become
minimum wages of the canonical kind (:mod:`data.importers.kinds.minimum_wages`): the revision year from the title, or
from the effective date's cycle; the source names the title and the file; checked on the day of the import. The
national weighted average (全国加重平均額) is a statistic, not a rate in force anywhere, and is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from data.i18n import N_
from data.importers import units as u
from data.importers.errors import ImportFailed, RowError
from data.importers.kinds import minimum_wages as canonical
from data.importers.reading import hkey, is_xlsx, sniff_delimiter, sniff_encoding, xlsx_header_rows
from data.importers.registry import Format, Header, Source, register
from data.importers.rows import Item
from data.names import nfkc

PREFECTURE_KEYS = ("都道府県名", "都道府県")
RATE_WORDS = ("時間額", "答申", "改定額", "最低賃金額", "最低賃金")
DATE_WORDS = ("発効", "効力")
NATIONAL_AVERAGE = "全国加重平均"
_ERA_DATE = re.compile(r"^(?:令和|R)\s*(元|\d{1,2})\s*[年./]\s*(\d{1,2})\s*[月./]\s*(\d{1,2})\s*日?$", re.IGNORECASE)
_AMOUNT = re.compile(r"^\s*([\d,]+(?:\.\d+)?)")
_TITLE_YEAR = re.compile(r"(?:令和\s*(元|\d{1,2})|(\d{4}))\s*年度")
UNDECIDED = {"未定", "未発効", "-", "—", "―"}


def era_date(text: str, column: str) -> dt.date | None:
    """An effective date as MHLW writes it (``令和8年10月1日``, ``R8.10.1``) or ISO; None when not fixed yet."""
    value = nfkc(text).strip()
    if not value or value in UNDECIDED:
        return None
    m = _ERA_DATE.match(value)
    if m:
        year = canonical.REIWA + (1 if m.group(1) == "元" else int(m.group(1)))
        try:
            return dt.date(year, int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise RowError("bad_date", f"{column} is not a date: {text!r}", column=column, value=text) from None
    return u.iso_date(value, column)


def amount(text: str, column: str) -> Decimal:
    """The hourly amount of a cell (``1,280 (1,226)``, ``1,280円``): its first number."""
    m = _AMOUNT.match(nfkc(text))
    if not m:
        raise RowError("bad_amount", f"{column} must be an amount like 1,280, got {text!r}", column=column, value=text)
    return canonical.rate(m.group(1), column)


def title_year(title: str) -> int | None:
    """The fiscal year a table's title names (``令和8年度`` → 2026), or None."""
    m = _TITLE_YEAR.search(nfkc(title))
    if not m:
        return None
    if m.group(2):
        return int(m.group(2))
    return canonical.REIWA + (1 if m.group(1) == "元" else int(m.group(1)))


def _lines(path: Path) -> list[tuple[int, list[str]]]:
    if is_xlsx(path):
        return list(enumerate(xlsx_header_rows(path), start=1))
    text = path.read_text(encoding=sniff_encoding(path))
    lines = text.splitlines()
    header = next((line for line in lines if any(k in line for k in PREFECTURE_KEYS)), lines[0] if lines else "")
    delimiter = sniff_delimiter(header)
    return list(enumerate(csv.reader(lines, delimiter=delimiter), start=1))


def _column(keys: list[str], words: tuple[str, ...]) -> int | None:
    for word in words:
        for i, key in enumerate(keys):
            if word in key and not any(p in key for p in PREFECTURE_KEYS):
                return i
    return None


def read(source: Source) -> Iterator[Item]:
    """The rows of the table under its header (the line naming 都道府県名), each through :func:`canonical.values`."""
    lines = _lines(source.path)
    at = next((n for n, (_, cells) in enumerate(lines) if any(hkey(c) in PREFECTURE_KEYS for c in cells)), None)
    if at is None:
        raise ImportFailed(
            "{file}: no header row naming 都道府県名 (the prefecture column of MHLW's table)",
            fix="keep the table's header row (都道府県名, 最低賃金時間額, 発効年月日)",
            file=source.path.name,
        )
    keys = [hkey(c) for c in lines[at][1]]
    prefecture_at = next(i for i, k in enumerate(keys) if k in PREFECTURE_KEYS)
    rate_at, date_at = _column(keys, RATE_WORDS), _column(keys, DATE_WORDS)
    if rate_at is None:
        raise ImportFailed(
            "{file}: no amount column (最低賃金時間額, 答申額) beside 都道府県名",
            fix="keep the table's header row (都道府県名, 最低賃金時間額, 発効年月日)",
            file=source.path.name,
        )
    title = " ".join(c.strip() for _, cells in lines[:at] for c in cells if c.strip())
    year = title_year(title)
    label = f"MHLW {title or '地域別最低賃金の全国一覧'} ({source.path.name})"[: canonical.SOURCE_MAX]
    prep: canonical.Prepared = source.prepared
    for line, cells in lines[at + 1 :]:
        raw = ",".join(cells)
        if not any(c.strip() for c in cells):
            yield Item(line, raw, RowError("blank_line", "blank line", value=""))
            continue
        try:
            yield Item(line, raw, _row(cells, prefecture_at, rate_at, date_at, year, label, prep))
        except RowError as exc:
            yield Item(line, raw, exc)


def _row(
    cells: list[str],
    prefecture_at: int,
    rate_at: int,
    date_at: int | None,
    year: int | None,
    label: str,
    prep: canonical.Prepared,
) -> dict[str, Any]:
    def cell(i: int | None) -> str:
        return cells[i] if i is not None and i < len(cells) else ""

    place = nfkc(cell(prefecture_at)).strip()
    if NATIONAL_AVERAGE in place:
        raise RowError(
            "national_average",
            "the national weighted average is a statistic, not a minimum wage in force anywhere",
            column="都道府県名",
            value=place,
        )
    effective = era_date(cell(date_at), "発効年月日")
    if year is None and effective is None:
        raise RowError(
            "missing_value",
            "no effective date, and no fiscal year (令和N年度) in a title above the header",
            column="発効年月日",
            value=cell(date_at),
        )
    return canonical.values(
        jurisdiction="JP",
        region=canonical.prefecture(place, "都道府県名"),
        year=year,
        effective_from=effective,
        rate_per_hour=amount(cell(rate_at), "最低賃金時間額"),
        currency="JPY",
        source=label,
        checked_on=None,
        prep=prep,
    )


def _header(h: Header) -> bool:
    # The header itself, or the title MHLW puts above it.
    if h.keys & set(PREFECTURE_KEYS):
        return any(word in key for key in h.keys for word in RATE_WORDS)
    return bool(h.cells) and "地域別最低賃金" in nfkc(h.cells[0])


register(
    Format(
        name="mhlw_minimum_wages",
        label=N_("MHLW 地域別最低賃金の全国一覧, as published (CSV/XLSX)"),
        entity="minimum_wage",
        read=read,
        write=canonical.write,
        order=86,
        files=frozenset({"csv", "xlsx"}),
        header=_header,
        prepare=canonical.prepare,
    )
)
