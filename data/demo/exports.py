"""Tracker exports of the kind studios really send, generated deterministically: the importers' tests and the import
benchmark read the same files."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from pathlib import Path

TOGGL_HEADER = (
    "\ufeffUser,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags,"
    "Amount (USD)\r\n"
)


def _hms(seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    return f"{h:02d}:{rest // 60:02d}:{rest % 60:02d}"


def toggl_report(
    path: Path,
    rows: int,
    *,
    people: int = 100,
    shared: float = 0.3,
    seed: int = 11,
    projects: Sequence[str] = ("星の庭",),
    first: dt.date = dt.date(2021, 1, 4),
) -> Path:
    """A Toggl Track detailed report (UTF-8 with BOM, CRLF) of ``rows`` entries of ``people`` people ``Artist N``
    (``artistN@example.jp``): eight entries a working day each, from 09:00, on ``projects`` in turn; a ``shared``
    share of all entries start at the same second as the entry before (manual entries; never a day's first), and
    durations run to the second. Written line by line, so millions of rows cost no memory."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(TOGGL_HEADER)
        written = day = 0
        while written < rows:
            for p in range(people):
                clock = dt.datetime.combine(first + dt.timedelta(days=day), dt.time(9))
                start = clock
                for k in range(8):
                    if written >= rows:
                        break
                    secs = rng.randint(60, 3000) + rng.randint(0, 59)
                    # A day's first entry cannot share a start: the other seven carry all of ``shared``.
                    if not (k and rng.random() < shared * 8 / 7):
                        start = clock + dt.timedelta(seconds=rng.randint(1, 900))
                    end = start + dt.timedelta(seconds=secs)
                    clock = max(clock, end)
                    fh.write(
                        f"Artist {p},artist{p}@example.jp,Studio,{projects[k % len(projects)]},,"
                        f"task {k} {rng.randint(0, 999)},Yes,{start:%Y-%m-%d},{start:%H:%M:%S},{end:%Y-%m-%d},"
                        f"{end:%H:%M:%S},{_hms(secs)},,0\r\n"
                    )
                    written += 1
            day += 1
    return path
