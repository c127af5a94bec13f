"""bench/bench_concurrency.py drives what it says: sessions of every role that sign in, visit their pages without an
error, and all see the write made half-way (its own check, which must pass on the fixture studio). No timings are
asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from data.schema import WorkLog

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import bench_concurrency  # noqa: E402


def test_percentile_interpolates_between_ranks() -> None:
    assert bench_concurrency.percentile([3.0, 1.0, 2.0, 4.0], 50) == 2.5
    assert bench_concurrency.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 95) == 4.8
    assert bench_concurrency.percentile([7.0], 95) == 7.0


def test_every_session_makes_as_many_visits_a_round_as_the_manager() -> None:
    pages = {"manager": ["overview", "workload", "pay"], "advocate": ["advocate"], "artist": ["my_record"]}
    assert bench_concurrency.round_plan("manager", pages) == ["overview", "workload", "pay"]
    assert bench_concurrency.round_plan("artist", pages) == ["my_record"] * 3


def test_two_sessions_one_round_on_the_fixture_studio(fixture_engine: Engine) -> None:
    url = fixture_engine.url.render_as_string(hide_password=False)
    with Session(fixture_engine) as s:
        before = s.scalar(select(func.count(WorkLog.id)))
    run = subprocess.run(
        [sys.executable, "bench/bench_concurrency.py", "--database-url", url, "--sessions", "2", "--rounds", "1",
         "--pages", "overview,workload"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "errors: 0" in run.stdout
    assert "every session saw the write at every visit after it: yes (2/2 sessions checked" in run.stdout
    for group in ("manager", "advocate", "overall"):
        assert any(line.startswith(group) for line in run.stdout.splitlines()), group
    with Session(fixture_engine) as s:
        assert s.scalar(select(func.count(WorkLog.id))) == before + bench_concurrency.WRITE_PEOPLE
