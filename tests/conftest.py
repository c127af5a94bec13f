"""Shared fixtures: real databases on both backends.

Every test that takes ``engine`` or ``session`` runs twice: on a fresh SQLite file and on a fresh database of a
real PostgreSQL server. The server is the one named by ``ENDROLL_TEST_PG_URL``, or else a throwaway cluster this
file starts with ``scripts/pg.sh`` and stops at the end. PostgreSQL runs are skipped, with the reason, only when no
server can be started. ``ENDROLL_TEST_BACKENDS=sqlite`` restricts a run to SQLite on purpose.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ENDROLL_DEMO_ON_EMPTY", "false")
# Pages compute findings on request as before; tests of the background worker turn it on themselves.
os.environ.setdefault("ENDROLL_DERIVED_WORKER", "false")
# .streamlit/config.toml hides error details from users; AppTest reads it too, and a failing test should say why.
os.environ.setdefault("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "full")

from data.engine import make_engine  # noqa: E402
from data.schema import Person  # noqa: E402

DEMO_SEED = 7
BACKENDS = [b.strip() for b in os.environ.get("ENDROLL_TEST_BACKENDS", "sqlite,postgresql").split(",") if b.strip()]
_counter = itertools.count()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """The PostgreSQL server for this test session, started lazily on first use."""

    def __init__(self) -> None:
        self.url: str | None = os.environ.get("ENDROLL_TEST_PG_URL") or None
        self.error: str | None = os.environ.get("ENDROLL_TEST_PG_ERROR") or None
        self._dir: str | None = None
        self._started = False

    def ensure(self) -> str:
        if self.url is None and self.error is None and not self._started:
            self._started = True
            self._dir = tempfile.mkdtemp(prefix="endroll-pg-")
            try:
                out = subprocess.run(
                    ["bash", str(ROOT / "scripts" / "pg.sh"), "start", self._dir, str(_free_port())],
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                self.error = f"could not start PostgreSQL: {exc}"
            else:
                if out.returncode == 0:
                    self.url = out.stdout.strip().splitlines()[-1]
                else:
                    self.error = (
                        f"could not start PostgreSQL (scripts/pg.sh exit {out.returncode}): {out.stderr[-500:]}"
                    )
        if self.url is None:
            pytest.skip(self.error or "no PostgreSQL server")
        return self.url

    def admin_engine(self) -> Engine:
        url = make_url(self.ensure()).set(database="postgres")
        return create_engine(url, isolation_level="AUTOCOMMIT")

    def create_database(self, name: str, template: str | None = None) -> str:
        admin = self.admin_engine()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
        admin.dispose()
        return make_url(self.ensure()).set(database=name).render_as_string(hide_password=False)

    def drop_database(self, name: str) -> None:
        admin = self.admin_engine()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    def stop(self) -> None:
        if self._dir:
            subprocess.run(["bash", str(ROOT / "scripts" / "pg.sh"), "stop", self._dir], capture_output=True)
            shutil.rmtree(self._dir, ignore_errors=True)


_PG = PgServer()


def _interrupt(signum: int, frame: object) -> None:
    # `timeout` and CI cancel with SIGTERM, which would end the process before pytest_sessionfinish: the throwaway
    # PostgreSQL cluster would outlive the run. As an interrupt, pytest unwinds and the cluster is stopped.
    raise KeyboardInterrupt


signal.signal(signal.SIGTERM, _interrupt)


@pytest.fixture(autouse=True)
def _fresh_sign_in_throttle() -> Iterator[None]:
    """Every test starts with no failed sign-ins counted in this process (per client, or while the database was
    busy): all tests share one process."""
    from services.sign_in import BUSY, CLIENTS

    CLIENTS.reset()
    BUSY.reset()
    yield


def _xdist_worker(config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config) -> None:
    # With pytest-xdist (scripts/test.sh runs two workers) the controller starts the one throwaway cluster before
    # the workers exist, and they inherit its URL: one server for all, stopped once by the controller at the end.
    if _xdist_worker(config) or not getattr(config.option, "numprocesses", None):
        return
    if "postgresql" in BACKENDS and _PG.url is None:
        try:
            os.environ["ENDROLL_TEST_PG_URL"] = _PG.ensure()
        except pytest.skip.Exception:
            os.environ["ENDROLL_TEST_PG_ERROR"] = _PG.error or "no PostgreSQL server"  # the workers skip with it


def pytest_sessionfinish(session, exitstatus) -> None:
    if not _xdist_worker(session.config):
        _PG.stop()


def pytest_report_header(config) -> list[str]:
    return [f"endroll test backends: {', '.join(BACKENDS)}"]


def _fill(engine: Engine, kind: str) -> None:
    """Fill a template: "empty" stays empty, "demo" gets the full demo studio, "fixture" the small fixture studio
    (both seed ``DEMO_SEED``, from the one generator in data.demo)."""
    if kind == "empty":
        return
    from data.demo import PRESETS, load_demo

    load_demo(engine, seed=DEMO_SEED, preset=PRESETS["studio" if kind == "demo" else kind])


class Templates:
    """Migrated (and optionally studio-filled) template databases, built once per backend and copied per test."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self._sqlite: dict[str, Path] = {}
        self._pg: dict[str, str] = {}

    def sqlite(self, kind: str) -> Path:
        if kind not in self._sqlite:
            path = self.tmp / f"template-{kind}.sqlite3"
            engine = make_engine(f"sqlite:///{path}")
            _fill(engine, kind)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            self._sqlite[kind] = path
        return self._sqlite[kind]

    def pg(self, kind: str) -> str:
        if kind not in self._pg:
            # Each xdist worker fills its own template: PostgreSQL cannot copy a database another session is writing.
            name = f"endroll_template_{kind}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
            url = _PG.create_database(name)
            engine = make_engine(url)
            _fill(engine, kind)
            engine.dispose()
            self._pg[kind] = name
        return self._pg[kind]

    def engine(self, backend: str, kind: str, tmp_path: Path) -> Iterator[Engine]:
        # A copy of a template make_engine migrated and filled with the reference data: checking that again for every
        # test (Alembic's script directory, the seed files) cost 0.06 s on SQLite and 0.15 s on PostgreSQL each.
        if backend == "sqlite":
            path = tmp_path / "endroll.sqlite3"
            shutil.copyfile(self.sqlite(kind), path)
            engine = make_engine(f"sqlite:///{path}", migrate=False)
            yield engine
            engine.dispose()
        else:
            template = self.pg(kind)
            name = f"endroll_t{os.getpid()}_{next(_counter)}"
            engine = make_engine(_PG.create_database(name, template=template), migrate=False)
            yield engine
            engine.dispose()
            _PG.drop_database(name)


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    return Templates(tmp_path_factory.mktemp("templates"))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql":
        _PG.ensure()
    return request.param


@pytest.fixture
def engine(backend: str, templates: Templates, tmp_path: Path) -> Iterator[Engine]:
    """A fresh, migrated, empty database (reference data only) on each backend."""
    yield from templates.engine(backend, "empty", tmp_path)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def demo_engine(backend: str, templates: Templates, tmp_path: Path) -> Iterator[Engine]:
    """A private copy of the demo studio (seed ``DEMO_SEED``) on each backend; tests may write to it."""
    yield from templates.engine(backend, "demo", tmp_path)


@pytest.fixture
def demo_session(demo_engine: Engine) -> Iterator[Session]:
    with Session(demo_engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def fixture_engine(backend: str, templates: Templates, tmp_path: Path) -> Iterator[Engine]:
    """A private copy of the small fixture studio (data.demo.FIXTURE, seed ``DEMO_SEED``) on each backend: every
    kind of row the demo writes, a few people over six months. For tests that need a studio with some data rather
    than the full demo's numbers; tests may write to it."""
    yield from templates.engine(backend, "fixture", tmp_path)


@pytest.fixture
def fixture_session(fixture_engine: Engine) -> Iterator[Session]:
    with Session(fixture_engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def hanako_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A SQLite database with one person (山田 花子, hanako@example.jp), made once for all of a hypothesis test's
    examples (hypothesis re-runs the test body; function fixtures are made once)."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('hyp') / 'h.sqlite3'}")
    with Session(engine) as s:
        s.add(Person(display_name="山田 花子", email="hanako@example.jp"))
        s.commit()
    yield engine
    engine.dispose()


@pytest.fixture
def pg_url(backend: str) -> str:
    """The server URL, for tests that need PostgreSQL specifically (e.g. concurrent imports)."""
    if backend != "postgresql":
        pytest.skip("PostgreSQL-only test")
    return _PG.ensure()


# The browser suite (tests/test_browser*.py) shares one chromium for the whole run: Playwright's sync API cannot be
# started a second time while the first is alive, so the fixtures live here, not in any one module.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]  # fmt: skip


@pytest.fixture(scope="session")
def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("the chromium binary is not installed (apt-get install -y chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
