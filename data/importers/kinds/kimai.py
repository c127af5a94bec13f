"""Kimai timesheet exports (``kimai``): headers in the export's locale (English, German or Japanese), ``h:mm`` or
decimal hours (``7,5`` too), dates ISO, ``dd.mm.yyyy`` or slashed; a Duration shorter than From–To is a break."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from data.importers import units as u
from data.importers.errors import RowError
from data.importers.kinds import work_logs
from data.importers.reading import mapped
from data.importers.registry import Format, Header, Source, register
from data.importers.rows import Item, SourceRow
from data.importers.tracker import ai_fraction_from_tags, check_totals, session, work_log
from data.law.params import NightWindow

# Kimai translates its headers into the export locale; these are the labels for the three locales we accept.
HEADERS = {
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


def _col(row: SourceRow, key: str) -> tuple[str, str]:
    for label in HEADERS[key]:
        if row.cells.get(label, "").strip():
            return label, row.cells[label]
    return HEADERS[key][0], ""


def _locale_date(value: str, column: str) -> dt.date:
    v = value.strip()
    if "." in v and not re.match(r"^\d{4}", v):
        return u.dmy_or_mdy_date(v, column, "dmy")
    if "/" in v and not re.match(r"^\d{4}", v):
        first = int(v.split("/")[0]) if v.split("/")[0].isdigit() else 0
        return u.dmy_or_mdy_date(v, column, "dmy" if first > 12 else "mdy")
    return u.iso_date(v, column)


def parse(row: SourceRow, *, night: NightWindow) -> dict[str, Any]:
    """A timesheet row → a work log, from From and To when given, else from Duration."""
    user_cols = HEADERS["user"] + HEADERS["name"] + HEADERS["email"]
    check_totals(row, user_cols)
    dcol, dval = _col(row, "date")
    day = _locale_date(dval, dcol)
    fcol, fval = _col(row, "from")
    tcol, tval = _col(row, "to")
    ucol, dur = _col(row, "duration")
    duration = u.seconds_from_hours(dur, ucol) if dur.strip() else None
    start_at = end_at = None
    brk = night_s = 0
    if fval.strip() and tval.strip():
        fval = fval.strip().split(" ")[-1] if " " in fval.strip() else fval
        tval = tval.strip().split(" ")[-1] if " " in tval.strip() else tval
        start_at, end_at, seconds, brk, night_s = session(
            day, fval, tval, columns=(fcol, tcol), end_day=None, duration=duration, night=night
        )
    elif duration is not None:
        seconds = duration
    else:
        raise RowError("missing_value", "Duration, or From and To, is required", column=ucol, value="")
    tags = _col(row, "tags")[1]
    desc = _col(row, "description")[1].strip()
    return work_log(
        person=(_col(row, "name")[1] or _col(row, "user")[1]).strip() or None,
        email=u.text(_col(row, "email")[1]),
        work_date=day,
        start_at=start_at,
        end_at=end_at,
        seconds=seconds,
        break_seconds=brk,
        night_seconds=night_s,
        production=u.text(_col(row, "project")[1]),
        task=u.text(_col(row, "activity")[1]),
        note=u.text(" — ".join(filter(None, [desc, f"tags: {tags.strip()}" if tags.strip() else ""]))),
        ai_assisted_fraction=ai_fraction_from_tags(tags),
        key=("kimai", start_at.isoformat() if start_at else day.isoformat(), "" if start_at else desc),
    )


def read(source: Source) -> Iterator[Item]:
    """The file's rows through :func:`parse`."""
    night = source.prepared
    return mapped(source.path, lambda row: parse(row, night=night))


def _header(h: Header) -> bool:
    return all(any(label in h.keys for label in HEADERS[k]) for k in ("date", "from", "to", "duration"))


register(
    Format(
        name="kimai",
        label="Kimai timesheet export (en/de/ja headers; h:mm or decimal)",
        entity="work_log",
        read=read,
        write=work_logs.write,
        order=150,
        header=_header,
        prepare=work_logs.prepare,
    )
)
