"""Malformed files never crash the importer and every row is accounted for; concurrent imports never duplicate."""

from __future__ import annotations

import csv
import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from data.engine import make_engine
from data.importers import ImportFailed, import_file
from data.schema import Person, PersonAlias, Production, WorkLog

HEADERS = {
    "canonical_work_logs": "person,email,work_date,start_time,end_time,break_minutes,minutes,production,role,units",
    "kitsu_time_spent": "Project;Person;Entity Type Name;Entity;Task Type;Date;Time spent",
    "toggl": "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags",
    "kimai": "Date,From,To,Duration,Name,User,E-mail,Project,Activity,Description,Tags",
}
CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "-",
            "山田 花子",
            "hanako@example.jp",
            "2025-04-01",
            "04/13/2025",
            "25:99",
            "10:00",
            "19:00:00",
            "7:30",
            "480",
            "-5",
            "1e9",
            "nan",
            "原画",
            "星の庭",
            '"',
            "a;b",
            "Total",
            "合計",
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
)


@pytest.fixture
def hyp_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    # One SQLite database for all examples: hypothesis re-runs the test body, fixtures are made once.
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('hyp') / 'h.sqlite3'}")
    with Session(engine) as s:
        s.add(Production(title="星の庭", kind="tv"))
        p = Person(display_name="山田 花子", email="hanako@example.jp")
        s.add(p)
        s.flush()
        s.add(PersonAlias(person_id=p.id, text="山田 花子", match_key="山田花子"))
        s.commit()
    yield engine
    engine.dispose()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fmt=st.sampled_from(sorted(HEADERS)),
    rows=st.lists(st.lists(CELL, max_size=14), max_size=12),
    trailer=st.sampled_from(["", "\n", "\n\n", "\r\n"]),
)
def test_malformed_files_never_crash_and_account_for_every_row(
    hyp_engine: Engine,
    tmp_path_factory: pytest.TempPathFactory,
    fmt: str,
    rows: list[list[str]],
    trailer: str,
) -> None:
    delim = ";" if fmt == "kitsu_time_spent" else ","
    body = "\n".join(delim.join(cells) for cells in rows)
    f = tmp_path_factory.mktemp("m") / "f.csv"
    f.write_text(HEADERS[fmt] + "\n" + body + trailer, encoding="utf-8")
    with Session(hyp_engine) as session:
        try:
            s = import_file(session, path=f, format=fmt)
        except ImportFailed as exc:
            assert str(exc)  # a fatal error is allowed only with a message, and then nothing was written
            return
    assert s.imported + s.updated + s.unchanged + s.rejected == s.rows_total
    assert s.rejected == sum(s.rejected_by_reason.values())
    # Every record the CSV grammar sees is a row: blank lines and junk included.
    with f.open(encoding="utf-8", newline="") as fh:
        next(fh)
        expected = sum(1 for _ in csv.reader(fh, delimiter=delim))
    assert s.rows_total == expected


def test_concurrent_overlapping_imports_do_not_duplicate(pg_url: str, tmp_path: Path, engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    with Session(engine) as s:
        s.add(Production(title="星の庭", kind="tv"))
        s.add(Person(display_name="山田 花子", email="hanako@example.jp"))
        s.commit()
    head = "email,work_date,minutes,production,external_id\n"
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    # One entry a day (a person's day holds at most 24 hours of entries).
    day = [(dt.date(2020, 1, 1) + dt.timedelta(days=i)).isoformat() for i in range(4500)]
    a.write_text(head + "".join(f"hanako@example.jp,{day[i]},60,星の庭,E{i}\n" for i in range(0, 3000)))
    b.write_text(head + "".join(f"hanako@example.jp,{day[i]},60,星の庭,E{i}\n" for i in range(1500, 4500)))
    barrier = threading.Barrier(2, timeout=60)
    results: dict[str, object] = {}
    # Engines are made (and migrated) here, one after the other; the threads only import.
    engines = {p.name: make_engine(url) for p in (a, b)}

    def run(path: Path) -> None:
        try:
            with Session(engines[path.name]) as s:
                barrier.wait()
                results[path.name] = import_file(s, path=path)
        except Exception as exc:  # surfaced by the assertion below
            results[path.name] = exc

    threads = [threading.Thread(target=run, args=(p,)) for p in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    for e in engines.values():
        e.dispose()
    sa, sb = results["a.csv"], results["b.csv"]
    assert not isinstance(sa, Exception) and not isinstance(sb, Exception), results
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(WorkLog)) == 4500
        dupes = s.scalar(
            select(func.count()).select_from(
                select(WorkLog.source_key).group_by(WorkLog.source_key).having(func.count() > 1).subquery()
            )
        )
        assert dupes == 0
    # Whichever ran second found the overlap already there.
    assert sorted([(sa.imported, sa.unchanged), (sb.imported, sb.unchanged)]) in (
        [(1500, 1500), (3000, 0)],
        [(1500, 1500), (3000, 0)][::-1],
    )
