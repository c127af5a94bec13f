"""The files bench/bench_import.py measures are what it says: every row imports (a file of rejected rows would
measure rejection, not import), every second of the file is stored, and the Toggl file shares start times as
stated."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.importers import import_file
from data.schema import WorkLog

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import bench_import  # noqa: E402


@pytest.fixture
def seeded(session: Session) -> Session:
    bench_import.seed(session)
    session.commit()
    return session


def test_the_canonical_file_imports_every_row(seeded: Session, tmp_path: Path) -> None:
    path = tmp_path / "work_logs.csv"
    bench_import.write_canonical(path, 3000)
    s = import_file(seeded, path=path)
    assert (s.rows_total, s.imported, s.rejected) == (3000, 3000, 0)
    df = pd.read_csv(path, dtype=str)
    span = pd.to_datetime(df["work_date"] + " " + df["end_time"]) - pd.to_datetime(
        df["work_date"] + " " + df["start_time"]
    )
    expected = int(span.dt.total_seconds().sum() - df["break_minutes"].astype(int).sum() * 60)
    assert seeded.scalar(select(func.sum(WorkLog.seconds))) == expected


def test_the_toggl_file_imports_every_second_with_30_percent_shared_starts(seeded: Session, tmp_path: Path) -> None:
    path = tmp_path / "toggl.csv"
    bench_import.write_toggl(path, 4000)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfUser,")
    s = import_file(seeded, path=path)
    assert (s.rows_total, s.imported, s.rejected) == (4000, 4000, 0)
    df = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    assert seeded.scalar(select(func.sum(WorkLog.seconds))) == int(
        pd.to_timedelta(df["Duration"]).dt.total_seconds().sum()
    )
    assert pd.to_timedelta(df["Duration"]).dt.total_seconds().mod(60).ne(0).mean() > 0.9  # to the second
    shared = df.duplicated(["Email", "Start date", "Start time"]).mean()
    assert 0.27 < shared < 0.33
