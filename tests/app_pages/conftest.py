"""The small studio behind the app for every page test here (tests/app_fixtures.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from analytics.derived.worker import stop_workers
from tests.app_fixtures import studio_app


@pytest.fixture
def studio(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    with studio_app(engine, monkeypatch) as ids:
        yield ids


@pytest.fixture
def worker_on(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """The studio with the background worker on (the suite turns it off elsewhere)."""
    monkeypatch.setenv("ENDROLL_DERIVED_WORKER", "true")
    monkeypatch.setenv("ENDROLL_DERIVED_WORKER_MODE", "thread")  # these tests wait on the thread's own counts
    try:
        with studio_app(engine, monkeypatch) as ids:
            yield ids
    finally:
        stop_workers()  # the app's thread, before its database goes away
