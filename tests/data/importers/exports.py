"""Timesheet exports shaped like the real ones (headers as docs/import-formats.md and the trackers write them), written
from one list of entries, with what real exports carry: many entries sharing a start time (manual entries at
09:00:00), sub-minute and zero-length entries, entries crossing midnight, a duration disagreeing with start and end,
trailing totals rows, a BOM, CRLF line ends, CP932 (Japanese Excel) and UTF-16."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
from dataclasses import dataclass
from pathlib import Path

from data.demo.exports import toggl_report

PEOPLE = (("山田 花子", "hanako@example.jp"), ("鈴木 太郎", "taro@example.com"), ("Ana Garcia", "ana@example.com"))
PROJECTS = ("星の庭", "Sky Runner")


@dataclass(frozen=True)
class Entry:
    """One time entry: ``seconds`` is what the tool's duration column says; ``end`` is End (its span may differ)."""

    person: str
    email: str
    start: dt.datetime
    end: dt.datetime
    seconds: int
    project: str
    description: str
    tags: str = ""

    @property
    def day(self) -> dt.date:
        return self.start.date()

    @property
    def uid(self) -> str:
        """A stable id of the entry (what a tracker's own id would be): the same in every export that carries it."""
        text = f"{self.email}|{self.start.isoformat()}|{self.seconds}|{self.description}"
        return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()[:10]


def scenario(first: dt.date, days: int, *, seed: int = 7, whole_minutes: bool = False) -> list[Entry]:
    """A few weeks of three people's entries: each working day several manual entries "started" at 09:00:00 (each
    its own duration), a session in the afternoon, now and then a 34-second entry, a zero-length one, one crossing
    midnight and one whose duration is a second longer than its span. Never more than 24 h a person-day."""
    rng = random.Random(seed)
    out: list[Entry] = []
    for n in range(days):
        day = first + dt.timedelta(days=n)
        if day.weekday() == 6:
            continue
        for p, (name, email) in enumerate(PEOPLE):
            nine = dt.datetime.combine(day, dt.time(9))
            for k in range(rng.randint(2, 5)):  # manual entries sharing 09:00:00
                secs = rng.randint(5, 55) * 60 + (0 if whole_minutes else rng.randint(0, 59))
                out.append(_entry(name, email, nine, secs, rng, f"manual {k}"))
            afternoon = dt.datetime.combine(day, dt.time(14, 0, 0 if whole_minutes else rng.randint(0, 59)))
            out.append(_entry(name, email, afternoon, rng.randint(60, 200) * 60, rng, "afternoon"))
            if (n + p) % 5 == 0:
                out.append(_entry(name, email, dt.datetime.combine(day, dt.time(12, 1, 8)), 34, rng, "quick fix"))
            if (n + p) % 7 == 1:
                out.append(_entry(name, email, dt.datetime.combine(day, dt.time(12, 30)), 0, rng, "timer blip"))
            if (n + p) % 6 == 2:
                late = dt.datetime.combine(day, dt.time(23, 10, 5))
                out.append(_entry(name, email, late, 6745, rng, "night"))  # to 01:02:30 the next day
            if (n + p) % 9 == 3 and not whole_minutes:
                start = dt.datetime.combine(day, dt.time(19, 0))
                e = _entry(name, email, start, 3600, rng, "disagree")
                out.append(Entry(e.person, e.email, e.start, e.end, 3601, e.project, e.description, e.tags))
    return out


def _entry(name: str, email: str, start: dt.datetime, secs: int, rng: random.Random, what: str) -> Entry:
    tags = rng.choice(["", "", "layout", "AI", "layout, ai:0.3"])
    project = PROJECTS[rng.randint(0, 4) == 0]
    return Entry(name, email, start, start + dt.timedelta(seconds=secs), secs, project, f"{what} {rng.randint(1, 99)}",
                 tags)  # fmt: skip


def hms(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _write(path: Path, rows: list[list[str]], *, encoding: str, newline: str = "\n", delimiter: str = ",",
           quote_all: bool = False) -> Path:  # fmt: skip
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline, delimiter=delimiter, quoting=csv.QUOTE_ALL if quote_all else 0)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def toggl(path: Path, entries: list[Entry], *, encoding: str = "utf-8-sig", newline: str = "\r\n") -> Path:
    """Toggl Track's detailed report (UTF-8 with BOM, CRLF, HH:MM:SS)."""
    rows = [["User", "Email", "Client", "Project", "Task", "Description", "Billable", "Start date", "Start time",
             "End date", "End time", "Duration", "Tags", "Amount (USD)"]]  # fmt: skip
    for e in entries:
        rows.append([e.person, e.email, "Studio", e.project, "", e.description, "Yes", e.start.date().isoformat(),
                     e.start.strftime("%H:%M:%S"), e.end.date().isoformat(), e.end.strftime("%H:%M:%S"),
                     hms(e.seconds), e.tags, "0"])  # fmt: skip
    return _write(path, rows, encoding=encoding, newline=newline)


def clockify(path: Path, entries: list[Entry], *, encoding: str = "utf-8", durations: bool = True) -> Path:
    """Clockify's detailed report: MM/DD/YYYY, 12-hour times, Duration (h) and a rounded Duration (decimal); the
    entry whose duration disagrees carries 0.00 in the decimal column, as a real export did; a totals row."""
    head = ["Project", "Client", "Description", "Task", "User", "Group", "Email", "Tags", "Billable", "Start Date",
            "Start Time", "End Date", "End Time"]  # fmt: skip
    rows = [head + (["Duration (h)", "Duration (decimal)", "Billable Rate (USD)", "Billable Amount (USD)"]
                    if durations else [])]  # fmt: skip
    for e in entries:
        decimal = "0.00" if e.description.startswith("disagree") else f"{e.seconds / 3600:.2f}"
        row = [e.project, "Studio", e.description, "", e.person, "", e.email, e.tags, "Yes",
               e.start.strftime("%m/%d/%Y"), e.start.strftime("%I:%M:%S %p"), e.end.strftime("%m/%d/%Y"),
               e.end.strftime("%I:%M:%S %p")]  # fmt: skip
        rows.append(row + ([hms(e.seconds), decimal, "0", "0"] if durations else []))
    if durations:
        total = sum(e.seconds for e in entries)
        rows.append(["Total", "", "", "", "", "", "", "", "", "", "", "", "", hms(total), f"{total / 3600:.2f}", "",
                     ""])  # fmt: skip
    return _write(path, rows, encoding=encoding)


def kimai(path: Path, entries: list[Entry], *, encoding: str = "cp932", japanese: bool = True) -> Path:
    """Kimai's CSV (Japanese headers, saved by Excel as CP932): From and To to the minute, Duration h:mm; a totals row."""
    head = (["日付", "開始", "終了", "時間", "名前", "ユーザー", "メールアドレス", "プロジェクト", "アクティビティ", "説明", "タグ"]
            if japanese else ["Date", "From", "To", "Duration", "Name", "User", "E-mail", "Project", "Activity",
                              "Description", "Tags"])  # fmt: skip
    rows = [head]
    for e in entries:
        minutes = e.seconds // 60
        rows.append([e.start.date().isoformat(), e.start.strftime("%H:%M"), e.end.strftime("%H:%M"),
                     f"{minutes // 60}:{minutes % 60:02d}", e.person, e.email.split("@")[0], e.email, e.project,
                     "作画", e.description, e.tags])  # fmt: skip
    total = sum(e.seconds // 60 for e in entries)
    rows.append(["", "", "", f"{total // 60}:{total % 60:02d}", "", "", "", "", "", "", ""])
    return _write(path, rows, encoding=encoding, newline="\r\n")


def kitsu_time_spent(path: Path, entries: list[Entry], *, encoding: str = "utf-8") -> Path:
    """Kitsu's time-spent export (``;``, minutes as Kitsu stores them: decimals)."""
    rows = [["Project", "Person", "Entity Type Name", "Entity", "Task Type", "Date", "Time spent"]]
    for e in entries:
        rows.append([e.project, e.person, "Shot", f"EP03 / SQ01 / SH{e.uid}", "Key Animation", e.day.isoformat(),
                     f"{e.seconds / 60:.10g}"])  # fmt: skip
    return _write(path, rows, encoding=encoding, delimiter=";", quote_all=True)


def kitsu_grid(path: Path, entries: list[Entry], *, first: dt.date, encoding: str = "utf-8") -> Path:
    """Kitsu's timesheet grid at day detail: a person per row, hours per day of ``first``'s month; a totals row."""
    days = sorted({e.day.day for e in entries if e.day.month == first.month})
    rows = [["Person", *[str(d) for d in days]]]
    totals = dict.fromkeys(days, 0.0)
    for name, _ in PEOPLE:
        cells = []
        for d in days:
            secs = sum(e.seconds for e in entries if e.person == name and e.day.day == d and e.day.month == first.month)
            totals[d] += secs / 3600
            cells.append(f"{secs / 3600:.10g}" if secs else "-")
        rows.append([name, *cells])
    rows.append(["Total", *[f"{totals[d]:.10g}" for d in days]])
    return _write(path, rows, encoding=encoding, delimiter=";", quote_all=True)


def ftrack(path: Path, entries: list[Entry], *, encoding: str = "utf-16") -> Path:
    """ftrack's time logs (seconds, start in UTC), saved as UTF-16 (Excel's "Unicode text")."""
    rows = [["id", "start", "duration", "user.username", "context_id", "name", "comment"]]
    for e in entries:
        utc = e.start - dt.timedelta(hours=9)
        rows.append([f"t{e.uid}", utc.strftime("%Y-%m-%dT%H:%M:%SZ"), str(e.seconds), e.person, f"ep03/{e.uid}/anim",
                     "Animation", e.description])  # fmt: skip
    return _write(path, rows, encoding=encoding)


def shotgrid(path: Path, entries: list[Entry], *, encoding: str = "utf-8") -> Path:
    """ShotGrid time logs: minutes (whole, as ShotGrid stores them; h:mm now and then), no Id; a totals row."""
    rows = [["Date", "Duration", "Person", "Project", "Link", "Description"]]
    for e in entries:
        minutes = round(e.seconds / 60)
        duration = f"{minutes // 60}:{minutes % 60:02d}" if e.uid < "4" else str(minutes)
        rows.append([e.day.isoformat(), duration, e.person, e.project, f"EP03_SH{e.uid} Key", e.description])
    rows.append(["", str(sum(round(e.seconds / 60) for e in entries)), "", "", "", ""])
    return _write(path, rows, encoding=encoding)


def canonical(path: Path, entries: list[Entry], *, encoding: str = "cp932") -> Path:
    """Endroll's work-log CSV as a Japanese spreadsheet saves it (CP932): times with seconds, ids on half the rows."""
    rows = [["person", "email", "work_date", "start_time", "end_time", "break_minutes", "production", "task", "note",
             "external_id"]]  # fmt: skip
    for e in entries:
        span = int((e.end - e.start).total_seconds())
        brk = f"{(span - e.seconds) / 60:.10g}" if span != e.seconds else ""
        rows.append([e.person, e.email, e.day.isoformat(), e.start.strftime("%H:%M:%S"), e.end.strftime("%H:%M:%S"),
                     brk, e.project, "作画", e.description, f"C{e.uid}" if e.uid < "8" else ""])  # fmt: skip
    rows.append(["合計", "", "", "", "", "", "", "", "", ""])
    return _write(path, rows, encoding=encoding, newline="\r\n")


def big_toggl(path: Path, rows: int, *, people: int = 100, shared: float = 0.3, seed: int = 11) -> Path:
    """:func:`data.demo.exports.toggl_report` on both projects: ``rows`` entries, a ``shared`` share of them starting
    at the same second as another entry of that day."""
    return toggl_report(path, rows, people=people, shared=shared, seed=seed, projects=PROJECTS)
