"""Work logs (``canonical_work_logs``), and the work-log writer every timesheet format shares.

A parsed work log is the neutral dict every time format maps onto: person, email, work_date, start_at, end_at,
seconds (net of breaks), break_seconds, night_seconds (every duration in whole seconds), production, episode, cut, role, task, units, unit_kind,
ai_assisted_fraction, is_statutory_holiday, note, and ``key`` — the source's natural key for the entry:
``("id", value)`` is kept readable in ``work_log.source_key``; any other key is hashed with the resolved person and
date; a row with no id is identified by everything it carries (``("row", hash)``, :func:`data.importers.tracker.row_key`). Night seconds are in the late-night window of the rule parameters (:func:`prepare`), read once per import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.i18n import N_
from data.importers import units as u
from data.importers.context import ImportContext
from data.importers.daychecks import DayChecks
from data.importers.errors import RowError
from data.importers.reading import TOTAL, csv_records, hkey, is_xlsx, map_row, mapped, source_row
from data.importers.registry import Column, Format, Header, Source, register
from data.importers.rows import Item, SourceRow
from data.importers.tracker import row_key
from data.importers.upsert import Keyed, bulk_insert, write_keyed
from data.law.params import SECONDS_PER_DAY, SECONDS_PER_MINUTE, JpHours, NightWindow
from data.law.shifts import night_minutes_of_span
from data.reference import rule_values
from data.schema import WorkLog

COLUMNS = (
    Column("person", False, "text", "山田 花子", "Name as in the people list; person or email is required."),
    Column("email", False, "text", "hanako@example.jp", "Matched before the name."),
    Column("work_date", True, "YYYY-MM-DD", "2025-04-01", "Local date the session started."),
    Column("start_time", False, "HH:MM[:SS] local (or ISO datetime)", "10:00", "Workplace wall-clock time."),
    Column("end_time", False, "HH:MM[:SS] local (or ISO datetime)", "19:00", "At or before start = next day."),
    Column(
        "break_minutes", False, "minutes", "60", "Unpaid breaks inside the session; default 0. Decimals keep seconds."
    ),
    Column(
        "minutes", False, "minutes", "480", "Worked, net of breaks. Required without start/end. Decimals keep seconds."
    ),
    Column("production", False, "text", "星の庭", "Production title as stored; or --production."),
    Column("episode", False, "text", "3", "Episode label; created under the production if new."),
    Column("cut", False, "text", "042", "Cut number; created under the episode if new."),
    Column("role", False, "text", "原画", "Any role spelling in the taxonomy (原画, Key Animation, 一原)."),
    Column("task", False, "text", "Key animation", "Task type as the tracker named it."),
    Column("units", False, "count", "3", "Cuts, sheets or backgrounds produced in the session."),
    Column("unit_kind", False, "cut / sheet / background", "cut", ""),
    Column("ai_assisted_fraction", False, "0–1", "0.25", "Share of the session's output made with AI tools."),
    Column("is_statutory_holiday", False, "yes / no", "no", "Work on the statutory weekly day off."),
    Column("note", False, "text", "", ""),
    Column("external_id", False, "text", "TS-2025-0001", "Your system's id; the dedupe key when given."),
)
REQUIRED = tuple(c.name for c in COLUMNS if c.required)
# The stored columns of a work log besides its person, keys and batch.
STORED = (
    "person_id",
    "production_id",
    "episode_id",
    "cut_id",
    "role_id",
    "task",
    "work_date",
    "start_at",
    "end_at",
    "seconds",
    "break_seconds",
    "night_seconds",
    "is_statutory_holiday",
    "units",
    "unit_kind",
    "ai_assisted_fraction",
    "note",
)
UNIT_KINDS = {"cut", "sheet", "background", "episode", "hour"}
# Tolerance between a canonical row's minutes and its start/end/break: a spreadsheet rounds minutes to the whole one.
MINUTES_TOLERANCE_SECONDS = 60

_BLANK = frozenset({"", "-", "—"})  # u.blank() of a stripped cell
# Exports repeat the same date, break and start/end cells on many rows: their parsed values (all immutable) are
# remembered, so only new combinations are parsed. Only successful parses are stored; errors always re-run.
# The zone and the night window are part of the key: an ISO time with an offset is converted into the zone.
_SESSION_MEMO: dict[tuple[Any, ...], tuple[Any, ...]] = {}
_SESSION_MEMO_MAX = 20_000  # a few MB at most; a typical export has a few thousand combinations


def prepare(session: Session) -> NightWindow:
    """The late-night window of the rule parameters in force today (JP; LSA Art. 37(4)): what every work-log
    format's night seconds are counted in."""
    return JpHours.from_values(rule_values(session, "JP")).night


def _time_or_datetime(value: str, column: str, day: dt.date, tz: ZoneInfo) -> dt.datetime:
    if "T" in value or len(value.strip()) > 8:
        return u.local_datetime(value, column, tz)
    return dt.datetime.combine(day, u.clock_time(value, column))


def _session(
    raw: dict[str, str], start_s: str, end_s: str, *, day: dt.date, brk: int, tz: ZoneInfo, night: NightWindow
) -> tuple[dt.datetime, dt.datetime, int, int]:
    """(start_at, end_at, worked seconds, night seconds) from the stripped, non-blank start_time and end_time."""
    hm_start, hm_end = u.clock_hm(start_s), u.clock_hm(end_s)
    if hm_start is not None and hm_end is not None:
        # Plain HH:MM on the work date (nearly every row): integer arithmetic, no datetime loops.
        s = (hm_start[0] * 60 + hm_start[1]) * SECONDS_PER_MINUTE
        e = (hm_end[0] * 60 + hm_end[1]) * SECONDS_PER_MINUTE
        if e <= s:
            e += SECONDS_PER_DAY  # at or before the start = the next day
        start_at = dt.datetime(day.year, day.month, day.day, hm_start[0], hm_start[1])
        end_at = start_at + dt.timedelta(seconds=e - s)
        worked = e - s - brk
        if worked < 0:
            raise RowError(
                "bad_break",
                f"break of {u.duration_text(brk)} is longer than the {u.duration_text(e - s)} session",
                column="break_minutes",
                value=raw.get("break_minutes") or "",
            )
        return start_at, end_at, worked, min(night_minutes_of_span(s, e, night), worked)
    start_raw, end_raw = raw.get("start_time") or "", raw.get("end_time") or ""
    start_at = _time_or_datetime(start_raw, "start_time", day, tz)
    end_at = _time_or_datetime(end_raw, "end_time", day, tz)
    if end_at <= start_at and "T" not in end_raw:
        end_at += dt.timedelta(days=1)
    if end_at <= start_at:
        raise RowError("bad_time", N_("end_time is not after start_time"), column="end_time", value=end_raw)
    seconds, night_s = u.session_seconds(
        start_at, end_at, break_seconds=brk, column="break_minutes", night=night, cell=raw.get("break_minutes") or ""
    )
    return start_at, end_at, seconds, night_s


def parse(row: SourceRow, *, tz: ZoneInfo, night: NightWindow) -> dict[str, Any]:
    """A canonical work-log row → the neutral work-log dict (see the module's docstring).

    This is the hot path of large imports: cells are stripped once, blank tests are set lookups and plain ``HH:MM``
    times take an integer fast path. Every check and error of the general helpers still applies, in the same order;
    parsers get the cell as written so error messages quote it.
    """
    raw = row.cells
    c = dict(zip(raw, map(str.strip, raw.values()), strict=True))
    get = c.get
    for name in REQUIRED:
        if get(name, "") in _BLANK:
            raise RowError("missing_value", f"{name} is required", column=name, value=raw.get(name) or "")
    name, email = get("person") or None, get("email") or None
    if not name and not email:
        raise RowError("missing_person", N_("person or email is required"), column="person", value="")
    if email:
        email = email.lower()
    start_s, end_s = get("start_time", ""), get("end_time", "")
    memo_key = (tz, night, u.years(), get("work_date"), get("break_minutes", ""), start_s, end_s)
    known = _SESSION_MEMO.get(memo_key)
    if known is not None:
        day, brk, start_at, end_at, seconds, night_s = known
    else:
        day = u.iso_date(raw.get("work_date") or "", "work_date")
        brk_s = get("break_minutes", "")
        brk = 0 if brk_s in _BLANK else u.seconds_from_minutes(raw["break_minutes"], "break_minutes")
        start_at = end_at = None
        night_s = 0
        seconds = None
        start_blank, end_blank = start_s in _BLANK, end_s in _BLANK
        if not start_blank or not end_blank:
            if start_blank or end_blank:
                missing = "start_time" if start_blank else "end_time"
                raise RowError("missing_value", N_("start_time and end_time go together"), column=missing, value="")
            start_at, end_at, seconds, night_s = _session(raw, start_s, end_s, day=day, brk=brk, tz=tz, night=night)
        if len(_SESSION_MEMO) >= _SESSION_MEMO_MAX:
            _SESSION_MEMO.clear()
        _SESSION_MEMO[memo_key] = (day, brk, start_at, end_at, seconds, night_s)
    if get("minutes", "") not in _BLANK:
        given = u.seconds_from_minutes(raw["minutes"], "minutes")
        if seconds is not None and abs(given - seconds) > MINUTES_TOLERANCE_SECONDS:
            raise RowError(
                "inconsistent_minutes",
                f"minutes {raw['minutes'].strip()} disagrees with start/end/break ({u.duration_text(seconds)} worked)",
                column="minutes",
                value=raw["minutes"],
            )
        seconds = given if seconds is None else seconds
    if seconds is None:
        raise RowError(
            "missing_value", N_("minutes, or start_time and end_time, is required"), column="minutes", value=""
        )
    frac = 0.0
    if get("ai_assisted_fraction", "") not in _BLANK:
        frac = u.finite_number(raw["ai_assisted_fraction"], "ai_assisted_fraction")
        if not 0 <= frac <= 1:
            raise RowError(
                "out_of_range",
                N_("ai_assisted_fraction must be between 0 and 1"),
                column="ai_assisted_fraction",
                value=raw["ai_assisted_fraction"],
            )
    unit_kind = get("unit_kind") or None
    if unit_kind and unit_kind not in UNIT_KINDS:
        raise RowError(
            "bad_value", f"unit_kind must be one of {sorted(UNIT_KINDS)}", column="unit_kind", value=unit_kind
        )
    units = None
    if get("units", "") not in _BLANK:
        units = u.finite_number(raw["units"], "units")
        if units < 0:
            raise RowError("out_of_range", N_("units must not be negative"), column="units", value=raw["units"])
    holiday = get("is_statutory_holiday", "")
    ext = get("external_id") or None
    task = get("task") or None
    return {
        "person": name,
        "email": email,
        "work_date": day,
        "start_at": start_at,
        "end_at": end_at,
        "seconds": seconds,
        "break_seconds": brk,
        "night_seconds": night_s,
        "production": get("production") or None,
        "episode": get("episode") or None,
        "cut": get("cut") or None,
        "role": get("role") or None,
        "task": task,
        "units": units,
        "unit_kind": unit_kind,
        "ai_assisted_fraction": frac,
        "is_statutory_holiday": False if holiday in _BLANK else u.boolean(holiday, "is_statutory_holiday"),
        "note": get("note") or None,
        "key": ("id", ext) if ext else row_key(row),
    }


# The cells parse() parses (everything else it only strips and copies), and the fields it derives from them alone.
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
    "seconds",
    "break_seconds",
    "night_seconds",
    "units",
    "unit_kind",
    "ai_assisted_fraction",
    "is_statutory_holiday",
)
_MEMO_MAX = 50_000


def fast_items(path: Path, mapper: Callable[[SourceRow], dict[str, Any]]) -> Iterator[Item]:
    """Canonical work-log CSV rows, the Items :func:`mapped` with ``mapper`` (:func:`parse`) would give, at a
    fraction of the cost per row: the hot path of million-row imports.

    Exports repeat the same date, times, break and unit cells on many rows. Each distinct combination of the
    parsed cells goes through ``mapper`` once; a later row with the same combination reuses what it derived from
    them and only strips its own text cells (person, email, task, note, ids). A row that is not plainly shaped
    (blank, wider or narrower than the header, no person, a totals row) or whose combination has not parsed cleanly
    before takes the general path, so every error, its wording and the order of the checks are the general path's.
    ``tests/data/importers/test_work_logs_fastpath.py`` compares the two paths item by item.
    """
    header, delim, records = csv_records(path)
    keys_ = [hkey(h) for h in header]
    width = len(keys_)
    # A repeated header name keeps its last cell in the general path's dict; such files simply take that path.
    fast = len(set(keys_)) == width
    index = {k: i for i, k in enumerate(keys_)}
    blank_cell = width  # index of a "" appended to each plainly shaped row, for columns the file lacks
    parsed_at = [index.get(name, blank_cell) for name in _PARSED_CELLS]
    parsed_key = operator.itemgetter(*parsed_at)
    text_at = {
        name: index.get(name, blank_cell)
        for name in ("person", "email", "production", "episode", "cut", "role", "task", "note", "external_id")
    }
    person_i, email_i, production_i, episode_i, cut_i, role_i, task_i, note_i, ext_i = text_at.values()
    total = TOTAL.match
    memo: dict[tuple[str, ...], dict[str, Any]] = {}
    totals: dict[str, bool] = {}  # a non-blank first cell → whether the row is a totals row

    def general(line: int, cells: list[str]) -> Item:
        return map_row(source_row(keys_, width, delim, line, cells), mapper)

    for line, cells in records:
        if not fast or len(cells) != width:
            yield general(line, cells)
            continue
        cells.append("")
        known = memo.get(parsed_key(cells))
        if known is not None:
            # Whether the row is a totals row depends on its first non-blank cell of three, nearly always the
            # first cell, which repeats (a person's email or name): its answer is remembered.
            is_total = totals.get(cells[0])
            if is_total is None:
                for first in cells[:3]:
                    if first.strip():
                        break
                else:
                    first = None
                is_total = first is not None and total(first.strip()) is not None
                if cells[0].strip() and len(totals) < _MEMO_MAX:
                    totals[cells[0]] = is_total
            name = cells[person_i].strip() or None
            email = cells[email_i].strip() or None
            if (name or email) and not is_total:
                fields = known
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
                    "key": ("id", ext) if ext else _row_key(keys_, cells),
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
            memo[pk] = {f: v[f] for f in _PARSED_FIELDS}
        yield item


def _row_key(keys_: list[str], cells: list[str]) -> tuple[str, str]:
    """:func:`data.importers.tracker.row_key` of a plainly shaped record, without building its SourceRow."""
    parts = sorted((k, c.strip()) for k, c in zip(keys_, cells, strict=False) if c.strip())
    return ("row", hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest())


def check_within_a_day(seconds: int) -> None:
    """RowError ``out_of_range`` when one entry's ``seconds`` are not within one day (0–24 h)."""
    if not 0 <= seconds <= SECONDS_PER_DAY:
        raise RowError(
            "out_of_range",
            f"{u.duration_text(seconds)} is not within one day (0–24 h)",
            column="minutes",
            value=str(seconds / SECONDS_PER_MINUTE),
        )


def read(source: Source) -> Iterator[Item]:
    """The file's rows through :func:`parse`; CSV through the memoised fast path (:func:`fast_items`), which gives
    the same Items."""
    tz, night = source.tz, source.prepared

    def mapper(row: SourceRow) -> dict[str, Any]:
        return parse(row, tz=tz, night=night)

    if is_xlsx(source.path):
        return mapped(source.path, mapper)
    return fast_items(source.path, mapper)


def write(session: Session, *, ctx: ImportContext, items: Iterable[Item]) -> None:
    """Work logs keyed by ``source_key`` (:func:`data.importers.upsert.write_keyed`): the person matched, the
    production, episode, cut and role resolved, the seconds checked to fit in a day, then each chunk checked against
    the person's other entries of the day (:class:`data.importers.daychecks.DayChecks`: no overlaps, at most 24 h).
    The warnings a parser attached to a row are recorded when the row is written."""
    keyed = Keyed(session, ctx=ctx)
    checks = DayChecks(session, ctx=ctx, stored_columns=STORED, entity="work_log")
    keyed.dropped = lambda item, rec: checks.forget([(item, rec)])
    matcher, references, keys = ctx.matcher, ctx.refs.resolve, keyed.keys  # once per row: bound once
    match = matcher.match
    # Rows repeat the same person and references: each combination is matched and resolved once (successes only,
    # so every rejected row is rejected by the matcher or the lookups themselves, with their words and review
    # queue), and forgotten when the matcher's people change.
    resolved: dict[tuple[Any, ...], tuple[int, dict[str, Any], str, int]] = {}

    def written(items: list[Item], outcome: str) -> None:
        ctx.refs.used_all({item.value["production"] for item in items})
        if outcome != "unchanged":
            for item in items:
                for code, reason, column in item.value.get("warnings", ()):
                    ctx.warn(item.line, item.raw, code, reason, column=column)

    ctx.on_written = written

    def resolve(item: Item) -> dict[str, Any]:
        v = item.value
        if not 0 <= v["seconds"] <= SECONDS_PER_DAY:
            check_within_a_day(v["seconds"])
        who = (v["person"], v["email"], v["production"], v["episode"], v["cut"], v["role"])
        known = resolved.get(who)
        if known is None or known[3] != matcher.generation:
            person_id = match(v["person"], v["email"], line=item.line, raw=item.raw)
            refs = references(v)
            known = u.remember(resolved, who, (person_id, refs, keyed.resolved_ids(person_id, refs),
                                               matcher.generation))  # fmt: skip
        person_id, refs, ids, _ = known
        rec = {
            "person_id": person_id,
            **refs,
            "task": (v["task"] or None) and v["task"][:200],
            "work_date": v["work_date"],
            "start_at": v["start_at"],
            "end_at": v["end_at"],
            "seconds": v["seconds"],
            "break_seconds": v["break_seconds"],
            "night_seconds": v["night_seconds"],
            "is_statutory_holiday": v["is_statutory_holiday"],
            "units": v["units"],
            "unit_kind": v["unit_kind"],
            "ai_assisted_fraction": v["ai_assisted_fraction"],
            "note": v["note"],
        }
        keys(rec, item, v["key"], person_id, refs, (v["work_date"],), ids)
        return rec

    write_keyed(
        session,
        ctx=ctx,
        keyed=keyed,
        items=items,
        table=WorkLog,
        columns=STORED,
        entity="work_log",
        resolve=resolve,
        period=operator.itemgetter("work_date", "work_date"),
        check=checks.chunk,
    )

    def insert_row(item: Item, rec: dict[str, Any]) -> bool:
        try:
            with session.begin_nested():
                bulk_insert(session, table=WorkLog.__table__, rows=[{**rec, "batch_id": ctx.batch.id}])
        except IntegrityError:
            ctx.reject(item.line, item.raw, RowError("duplicate_row", "the same entry as another row of this file"))
            return False
        ctx.summary.imported += 1
        ctx.touch(rec["person_id"], rec["work_date"], rec["work_date"])
        ctx.written(item, "imported")
        return True

    checks.finish(session, locked=keyed.locked, insert_row=insert_row)
    ctx.flush_side_rows()


def _header(h: Header) -> bool:
    return "work_date" in h.keys


register(
    Format(
        name="canonical_work_logs",
        label=N_("Endroll work logs (CSV/XLSX)"),
        entity="work_log",
        read=read,
        write=write,
        order=10,
        files=frozenset({"csv", "xlsx"}),
        header=_header,
        prepare=prepare,
        columns=COLUMNS,
        template="work_logs",
    )
)
