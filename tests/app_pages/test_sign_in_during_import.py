"""SQLite under a long import: while an import holds the database's write lock, a sign-in and a page read still
succeed, with no traceback (issue 17). On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from data.importers import import_file
from data.schema import Account, ImportBatch
from tests.app_fixtures import APP, registered


def _work_log_file(path: Path, rows: int) -> Path:
    lines = ["person,work_date,minutes,production,role,external_id"]
    day = dt.date(2025, 1, 1)
    for i in range(rows):
        lines.append(f"山田花子,{day + dt.timedelta(days=i % 300)},{5 + i % 20},星の港,原画,wl-{i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_sign_in_and_a_page_read_succeed_while_an_import_holds_the_write_lock(
    studio: dict[str, int], engine: Engine, tmp_path: Path
) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.context = {"locale": "en-US"}  # the assertions read English
    at.run()  # the app's engine is open before the import starts
    assert registered(at) == {"sign_in"}
    holding, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def progress(done: int, _expected: int | None) -> None:
        if done < 6000:  # rows are written: the import's transaction holds the write lock from here on
            holding.set()
            release.wait(timeout=300)

    def run_import() -> None:
        with Session(engine) as session:
            try:
                outcome["summary"] = import_file(session, path=_work_log_file(tmp_path / "wl.csv", 6000),
                                                 progress=progress)  # fmt: skip
            except BaseException as exc:  # reported by the assertion at the end
                outcome["error"] = exc

    importer = threading.Thread(target=run_import)
    importer.start()
    try:
        assert holding.wait(timeout=120), outcome
        at.text_input(key="username").input("manager")
        at.text_input(key="password").input("manager-test")
        at.button[0].click().run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        assert "overview" in registered(at) and at.title[0].value == "Overview"  # signed in, the page read done
        at.switch_page("app_pages/workload.py").run()
        assert not at.exception, at.exception
        assert importer.is_alive()  # the import was holding its transaction all along
    finally:
        release.set()
        importer.join(timeout=300)
    assert "error" not in outcome, outcome.get("error")
    assert outcome["summary"].imported == 6000
    with Session(engine) as session:
        assert session.scalar(select(ImportBatch.status)) == "committed"
        # The sign-in counted while the database was busy was handed back: the account is not left half-locked.
        assert session.scalar(select(Account.failed_attempts).where(Account.username == "manager")) == 0
