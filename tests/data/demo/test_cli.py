"""``python -m data.demo``: its flags, the start command's --if-empty, and what it prints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from data.demo import FIXTURE, content_digest, main
from data.engine import make_engine
from data.schema import Person, WorkLog

ROOT = Path(__file__).resolve().parents[3]


def test_help_lists_every_flag() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "data.demo", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    for flag in ("--seed", "--scale", "--preset", "--database-url", "--if-empty"):
        assert flag in out.stdout, flag
    assert "studio" in out.stdout and "fixture" in out.stdout


def test_cli_if_empty_leaves_a_filled_database_alone(
    fixture_engine: Engine, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENDROLL_DEMO_ON_EMPTY", "true")
    before = content_digest(fixture_engine, tables=("person", "work_log"))
    url = fixture_engine.url.render_as_string(hide_password=False)
    assert main(["--database-url", url, "--if-empty"]) == 0
    assert "not loaded" in capsys.readouterr().out
    assert content_digest(fixture_engine, tables=("person", "work_log")) == before
    assert main(["--database-url", url]) == 2
    assert "already holds studio data" in capsys.readouterr().err


def test_cli_if_empty_respects_demo_on_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENDROLL_DEMO_ON_EMPTY", "false")
    url = f"sqlite:///{tmp_path / 'off.sqlite3'}"
    assert main(["--database-url", url, "--if-empty"]) == 0
    assert "ENDROLL_DEMO_ON_EMPTY is false" in capsys.readouterr().out
    engine = make_engine(url)
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(WorkLog)) == 0
    engine.dispose()


def test_cli_loads_an_empty_database(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENDROLL_DEMO_ON_EMPTY", "true")
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert main(["--database-url", url, "--if-empty", "--seed", "3", "--scale", "0.3", "--demo-passwords"]) == 0
    out = capsys.readouterr().out
    assert "work_logs" in out and "manager / manager-demo" in out
    engine = make_engine(url)
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(WorkLog)) > 10_000
    engine.dispose()


def test_cli_loads_the_fixture_preset(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    url = f"sqlite:///{tmp_path / 'fixture.sqlite3'}"
    assert main(["--database-url", url, "--preset", "fixture", "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert f"last_day: {FIXTURE.last_day}" in out and "seed: 5" in out
    engine = make_engine(url)
    with Session(engine) as s:
        people = s.scalar(select(func.count()).select_from(Person))
        logs = s.scalar(select(func.count()).select_from(WorkLog))
    engine.dispose()
    assert people == sum(line.n for line in FIXTURE.crew) + 1  # the crew and the original creator
    assert f"people: {people}" in out and f"work_logs: {logs}" in out


def test_cli_refuses_a_scale_that_is_not_positive(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    url = f"sqlite:///{tmp_path / 'zero.sqlite3'}"
    assert main(["--database-url", url, "--scale", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "positive" in err and "--scale" in err


def test_cli_generates_passwords_and_prints_them_once(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from services.sign_in import AuthenticationError, authenticate

    url = f"sqlite:///{tmp_path / 'gen.sqlite3'}"
    assert main(["--database-url", url, "--preset", "fixture", "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert "-demo" not in out
    shown = dict(line.strip().split(" / ") for line in out.splitlines() if line.startswith("  ") and " / " in line)
    assert set(shown) == {"manager", "advocate", "artist"} and len(set(shown.values())) == 3
    engine = make_engine(url)
    with Session(engine) as s:
        assert authenticate(s, username="manager", password=shown["manager"]).role == "manager"
        with pytest.raises(AuthenticationError):
            authenticate(s, username="manager", password="manager-demo")
    engine.dispose()


def test_cli_never_loads_into_database_url_unasked(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    production = f"sqlite:///{tmp_path / 'production.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", production)
    monkeypatch.setenv("ENDROLL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ENDROLL_DEMO_ON_EMPTY", "true")
    # The start command: DATABASE_URL set, so nothing is loaded anywhere.
    assert main(["--if-empty", "--preset", "fixture"]) == 0
    assert "not loaded" in capsys.readouterr().out
    with pytest.raises(SystemExit) as refused:
        main(["--preset", "fixture"])
    assert refused.value.code == 2 and "--use-database-url" in capsys.readouterr().err
    assert not (tmp_path / "home" / "endroll.sqlite3").exists()
    engine = make_engine(production)
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 0
    engine.dispose()
    assert main(["--preset", "fixture", "--use-database-url", "--demo-passwords"]) == 0  # asked for by flag


def test_cli_reset_empties_only_the_embedded_database_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("ENDROLL_HOME", str(tmp_path / "home"))
    assert main(["--preset", "fixture", "--seed", "5", "--demo-passwords"]) == 0
    assert main(["--preset", "fixture", "--seed", "5"]) == 2  # not empty: refused without --reset
    assert main(["--reset", "--preset", "fixture", "--seed", "6", "--demo-passwords"]) == 0
    assert "seed: 6" in capsys.readouterr().out
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    assert main(["--database-url", other, "--preset", "fixture", "--demo-passwords"]) == 0
    assert main(["--database-url", other, "--reset", "--preset", "fixture"]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["--database-url", other, "--reset", "--force", "--preset", "fixture", "--demo-passwords"]) == 0
