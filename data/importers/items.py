"""Row sources: a file's rows as Items, each a mapped dict ready to write or the RowError that rejects it.

Every physical row becomes exactly one Item (a Kitsu grid row one per day), blank lines and totals rows included,
so the writer can account for every row.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from data.importers import canonical, timesheets
from data.importers.formats import csv_records, csv_rows, hkey, is_xlsx, source_row, xlsx_rows
from data.importers.rows import ImportFailed, ImportSummary, RowError, SourceRow


@dataclass
class Item:
    line: int
    raw: str
    value: Any  # a mapped dict, a ParsedCredit, or a RowError


def table_rows(path: Path) -> tuple[list[str], Iterator[SourceRow]]:
    return xlsx_rows(path) if is_xlsx(path) else csv_rows(path)


def map_row(row: SourceRow, mapper: Callable[[SourceRow], Any]) -> Item:
    """One row through the checks every tabular format shares (blank, extra cells, totals row), then ``mapper``."""
    if not row.cells:
        return Item(row.line, row.raw, RowError("blank_line", "blank line", value=""))
    extra = row.cells.pop("\x00extra", None)
    if extra is not None:
        return Item(
            row.line,
            row.raw,
            RowError("extra_cells", "more cells than header columns (an unquoted delimiter?)", value=extra),
        )
    for first in islice(row.cells.values(), 3):
        if first.strip():
            break
    else:
        first = None
    if first is not None and timesheets.TOTAL.match(first.strip()):
        return Item(row.line, row.raw, RowError("totals_row", "a totals row, not an entry", value=first))
    try:
        return Item(row.line, row.raw, mapper(row))
    except RowError as exc:
        return Item(row.line, row.raw, exc)


def mapped(path: Path, mapper: Callable[[SourceRow], Any]) -> Iterator[Item]:
    _, rows = table_rows(path)
    for row in rows:
        yield map_row(row, mapper)


# The cells canonical.work_log parses (everything else it only strips and copies), and the fields it derives
# from them alone.
_PARSED_CELLS = (
    "work_date",
    "start_time",
    "end_time",
    "break_minutes",
    "minutes",
    "ai_assisted_fraction",
    "unit_kind",
    "units",
    "is_statutory_holiday",
)
_PARSED_FIELDS = (
    "work_date",
    "start_at",
    "end_at",
    "minutes",
    "break_minutes",
    "night_minutes",
    "units",
    "unit_kind",
    "ai_assisted_fraction",
    "is_statutory_holiday",
)
_MEMO_MAX = 50_000


def canonical_work_items(path: Path, tz: ZoneInfo) -> Iterator[Item]:
    """Canonical work-log rows, the Items :func:`mapped` with :func:`canonical.work_log` would give, at a fraction
    of the cost per row: the hot path of million-row imports.

    Exports repeat the same date, times, break and unit cells on many rows. Each distinct combination of the
    parsed cells goes through ``canonical.work_log`` once; a later row with the same combination reuses what it
    derived from them and only strips its own text cells (person, email, task, note, ids). A row that is not
    plainly shaped (blank, wider or narrower than the header, no person, a totals row) or whose combination has
    not parsed cleanly before takes the general path, so every error, its wording and the order of the checks are
    the general path's. ``tests/test_importers_fastpath.py`` compares the two paths item by item.
    """
    if is_xlsx(path):
        yield from mapped(path, lambda r: canonical.work_log(r, tz))
        return
    header, delim, records = csv_records(path)
    keys = [hkey(h) for h in header]
    width = len(keys)
    # A repeated header name keeps its last cell in the general path's dict; such files simply take that path.
    fast = len(set(keys)) == width
    index = {k: i for i, k in enumerate(keys)}
    blank_cell = width  # index of a "" appended to each plainly shaped row, for columns the file lacks
    parsed_at = [index.get(name, blank_cell) for name in _PARSED_CELLS]
    parsed_key = operator.itemgetter(*parsed_at)
    text_at = {
        name: index.get(name, blank_cell)
        for name in ("person", "email", "production", "episode", "cut", "role", "task", "note", "external_id")
    }
    person_i, email_i, production_i, episode_i, cut_i, role_i, task_i, note_i, ext_i = text_at.values()
    total = timesheets.TOTAL.match
    memo: dict[tuple[str, ...], tuple[dict[str, Any], str]] = {}

    def general(line: int, cells: list[str]) -> Item:
        return map_row(source_row(keys, width, delim, line, cells), lambda r: canonical.work_log(r, tz))

    for line, cells in records:
        if not fast or len(cells) != width:
            yield general(line, cells)
            continue
        cells.append("")
        known = memo.get(parsed_key(cells))
        if known is not None:
            for first in cells[:3]:
                if first.strip():
                    break
            else:
                first = None
            name = cells[person_i].strip() or None
            email = cells[email_i].strip() or None
            if (name or email) and not (first is not None and total(first.strip())):
                fields, start_iso = known
                task = cells[task_i].strip() or None
                ext = cells[ext_i].strip() or None
                value = {
                    **fields,
                    "person": name,
                    "email": email.lower() if email else None,
                    "production": cells[production_i].strip() or None,
                    "episode": cells[episode_i].strip() or None,
                    "cut": cells[cut_i].strip() or None,
                    "role": cells[role_i].strip() or None,
                    "task": task,
                    "note": cells[note_i].strip() or None,
                    "key": ("id", ext) if ext else ("t", start_iso, task or ""),
                }
                del cells[-1]
                yield Item(line, delim.join(cells), value)
                continue
        pk = parsed_key(cells)
        del cells[-1]
        item = general(line, cells)
        if isinstance(item.value, dict):
            if len(memo) >= _MEMO_MAX:
                memo.clear()
            v = item.value
            memo[pk] = ({f: v[f] for f in _PARSED_FIELDS}, v["start_at"].isoformat() if v["start_at"] else "")
        yield item


def work_items(path: Path, fmt: str, tz: ZoneInfo, summary: ImportSummary) -> Iterator[Item]:
    if fmt == "canonical_work_logs":
        yield from canonical_work_items(path, tz)
    elif fmt in timesheets.MAPPERS:
        m = timesheets.MAPPERS[fmt]
        yield from mapped(path, lambda r: m(r, tz))
    elif fmt in ("clockify", "toggl"):
        order = timesheets.clockify_date_order(path) if fmt == "clockify" else "ymd"
        if fmt == "clockify":
            summary.details[f"date_order_{order}"] = 1
        yield from mapped(path, lambda r: timesheets._clockify_like(r, order, fmt))
    elif fmt == "kitsu_timesheet":
        header, rows = csv_rows(path)
        keys = [hkey(h) for h in header]
        period = timesheets.kitsu_grid_period(path, header)
        for row in rows:
            if not row.cells:
                yield Item(row.line, row.raw, RowError("blank_line", "blank line", value=""))
                continue
            for entry in timesheets.kitsu_grid_entries(row, keys, period):
                yield Item(row.line, row.raw, entry)
    else:
        raise ImportFailed(f"{path.name}: format {fmt} does not hold work logs")
