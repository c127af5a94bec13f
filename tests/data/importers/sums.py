"""Every hour accounted for: a file's durations summed with plain pandas, independently of the importer, against the
hours an import stored plus the hours in the rows it rejected, to the second.

Each format's durations are read the way the tool defines them (the duration column, else End − Start), one value
per physical line (the Kitsu grid: per line and day column), so that a rejected row's hours can be looked up by the
line (and column) the importer gives it. Blank lines are kept as lines; values pandas cannot read are no hours.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.importers import ImportSummary
from data.schema import AiUsage, RejectedRow, WorkLog


def _hms(col: pd.Series) -> pd.Series:
    """h:mm or hh:mm:ss → seconds (NaN where it is not one)."""
    parts = col.astype("string").str.strip().str.extract(r"^(\d+):(\d{1,2})(?::(\d{1,2}))?$").astype("float")
    return parts[0] * 3600 + parts[1] * 60 + parts[2].fillna(0)


def _span(start: pd.Series, end: pd.Series) -> pd.Series:
    """End − Start in seconds, an end at or before the start being the next day (as every tool here means it)."""
    span = (end - start).dt.total_seconds()
    return span.where(span > 0, span + 86400)


def _read(path: Path, encoding: str, sep: str = ",") -> pd.DataFrame:
    return pd.read_csv(path, encoding=encoding, sep=sep, dtype=str, skip_blank_lines=False, keep_default_na=False)


def durations(path: Path, fmt: str, *, encoding: str) -> pd.DataFrame:
    """Columns ``line``, ``column`` (None but for the Kitsu grid's day columns) and ``seconds``: the file's durations
    as the tool defines them, by physical line (the header is line 1)."""
    if fmt == "kitsu_timesheet":
        df = _read(path, encoding, ";")
        days = [c for c in df.columns if c != "Person"]
        long = df.reset_index().melt(id_vars=["index"], value_vars=days, var_name="column", value_name="v")
        long["seconds"] = (pd.to_numeric(long["v"], errors="coerce") * 3600).round()
        long["line"] = long["index"] + 2
        return long[["line", "column", "seconds"]].fillna({"seconds": 0})
    df = _read(path, encoding, ";" if fmt == "kitsu_time_spent" else ",")
    if fmt == "toggl":
        seconds = _hms(df["Duration"])
    elif fmt == "clockify":
        if "Duration (h)" in df:
            seconds = _hms(df["Duration (h)"]).fillna(pd.to_numeric(df["Duration (decimal)"], errors="coerce") * 3600)
        else:
            start = pd.to_datetime(df["Start Date"] + " " + df["Start Time"], format="%m/%d/%Y %I:%M:%S %p",
                                   errors="coerce")  # fmt: skip
            end = pd.to_datetime(df["End Date"] + " " + df["End Time"], format="%m/%d/%Y %I:%M:%S %p", errors="coerce")
            seconds = (end - start).dt.total_seconds()
    elif fmt == "kimai":
        col = "時間" if "時間" in df else "Duration"
        seconds = _hms(df[col])
    elif fmt == "kitsu_time_spent":
        seconds = (pd.to_numeric(df["Time spent"], errors="coerce") * 60).round()
    elif fmt == "ftrack":
        seconds = pd.to_numeric(df["duration"], errors="coerce")
    elif fmt == "shotgrid":
        seconds = _hms(df["Duration"]).fillna(pd.to_numeric(df["Duration"], errors="coerce") * 60)
    elif fmt == "canonical_work_logs":
        start = pd.to_datetime(df["work_date"] + " " + df["start_time"], errors="coerce")
        end = pd.to_datetime(df["work_date"] + " " + df["end_time"], errors="coerce")
        brk = (pd.to_numeric(df["break_minutes"], errors="coerce") * 60).round().fillna(0)
        seconds = _span(start, end) - brk
    else:
        raise ValueError(fmt)
    return pd.DataFrame({"line": df.index + 2, "column": None, "seconds": seconds.fillna(0).round()})


def stored_seconds(session: Session, *, batch_id: int) -> int:
    """Seconds an import stored: its work logs, and the AI agents' time it recorded as AI usage."""
    work = session.scalar(select(func.coalesce(func.sum(WorkLog.seconds), 0)).where(WorkLog.batch_id == batch_id))
    agents = sum(
        (p or {}).get("seconds", 0) for p in session.scalars(select(AiUsage.params).where(AiUsage.batch_id == batch_id))
    )
    return int(work) + int(agents)


def rejected_seconds(session: Session, *, batch_id: int, file: pd.DataFrame) -> int:
    """The file's seconds on the lines (the grid: the cells) an import rejected."""
    rejected = session.execute(select(RejectedRow.line, RejectedRow.column).where(RejectedRow.batch_id == batch_id))
    cells: set[tuple[int, str | None]] = set()
    by_line = file.groupby("line")["column"].apply(list).to_dict()
    for line, column in rejected:
        columns = by_line.get(line, [])
        if column is not None and column in columns:
            cells.add((line, column))
        else:
            cells.update((line, c) for c in columns)
    keys = list(zip(file["line"], file["column"], strict=True))
    return int(sum(s for k, s in zip(keys, file["seconds"], strict=True) if k in cells))


def every_hour_accounted(session: Session, summary: ImportSummary, path: Path, *, encoding: str) -> dict[str, int]:
    """Assert hours stored + hours in rejected rows == the file's durations, to the second; return the three."""
    file = durations(path, summary.format, encoding=encoding)
    total = int(file["seconds"].sum())
    stored = stored_seconds(session, batch_id=summary.batch_id)
    rejected = rejected_seconds(session, batch_id=summary.batch_id, file=file)
    assert stored + rejected == total, (summary.format, stored, rejected, total, summary.rejected_by_reason)
    return {"file": total, "stored": stored, "rejected": rejected}
