"""The embedded database holds pay and password hashes: it, its -wal and -shm, and Endroll's var folder are private
to their owner (0600 files in a 0700 folder), whatever the umask (issue 17)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from data.engine import database_url, make_engine


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_embedded_database_and_its_folder_are_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "var"
    monkeypatch.setenv("ENDROLL_HOME", str(home))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    old = os.umask(0o022)
    try:
        engine = make_engine(database_url())
        with engine.begin() as conn:  # a write, so the -wal and -shm files exist
            conn.execute(text("UPDATE data_version SET version = version WHERE id = 1"))
        db = home / "endroll.sqlite3"
        assert _mode(home) == 0o700
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            assert path.exists() and _mode(path) == 0o600, (path, oct(_mode(path)))
        engine.dispose()
        # A database an older version left world-readable in Endroll's folder is tightened on the next start.
        db.chmod(0o644)
        home.chmod(0o755)
        make_engine(database_url()).dispose()
        assert _mode(db) == 0o600 and _mode(home) == 0o700
    finally:
        os.umask(old)
