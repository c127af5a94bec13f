"""The small studio behind the app for every page test here (tests/app_fixtures.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.app_fixtures import studio_app


@pytest.fixture
def studio(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    with studio_app(engine, monkeypatch) as ids:
        yield ids
