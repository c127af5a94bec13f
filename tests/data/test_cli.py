"""Every command line: ``--help`` answers, a closed pipe (``… | head``) ends it quietly, ``--database-url`` is
accepted where the README shows it, and ``python -m data.settings --help`` explains the settings (issue 17)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = [
    ["data.importers"],
    ["data.demo"],
    ["data.accounts"],
    ["data.accounts", "list"],
    ["data.rollup"],
    ["data.settings"],
    ["analytics"],
    ["analytics", "findings"],
    ["analytics.credits"],
    ["analytics.credits", "check"],
    ["generation"],
    ["data.i18n"],
]


def _run(args: list[str], *, closed: bool = False, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """``python -m ARGS``; with ``closed``, its stdout is a pipe nobody reads any more (as after ``| head``)."""
    env = {**os.environ, "ENDROLL_DEMO_ON_EMPTY": "false", "HF_HUB_OFFLINE": "1"}
    if not closed:
        return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout, env=env)  # fmt: skip
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, stdout=write, stderr=subprocess.PIPE,
                              text=True, timeout=timeout, env=env)  # fmt: skip
    finally:
        os.close(write)
    return proc


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_answers_and_survives_a_closed_pipe(command: list[str]) -> None:
    out = _run([*command, "--help"])
    assert out.returncode == 0, out.stderr
    assert "usage: python -m" in out.stdout
    closed = _run([*command, "--help"], closed=True)
    assert closed.returncode == 0 and "Traceback" not in closed.stderr and "BrokenPipe" not in closed.stderr


def test_settings_help_explains_every_setting() -> None:
    from data.settings import SETTINGS

    out = _run(["data.settings", "--help"])
    for s in SETTINGS:
        assert s.env in out.stdout and s.help.split()[0] in out.stdout
    assert "=" not in out.stdout.split("settings:")[0].split("usage:")[0]  # not the table of values


def test_printing_commands_survive_a_closed_pipe(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    for command in (
        ["data.settings"],
        ["data.settings", "--markdown"],
        ["data.settings", "--database-url", url],
        ["data.accounts", "--database-url", url, "list"],
        ["data.accounts", "list", "--database-url", url],
        ["analytics", "findings", "--database-url", url, "--format", "csv"],
        ["data.rollup", "--database-url", url],
    ):
        closed = _run(command, closed=True)
        assert closed.returncode == 0, (command, closed.stderr[-2000:])
        assert "Traceback" not in closed.stderr and "BrokenPipe" not in closed.stderr, (command, closed.stderr)


def test_settings_never_print_a_database_password() -> None:
    out = subprocess.run([sys.executable, "-m", "data.settings"], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "DATABASE_URL": "postgresql+psycopg://endroll:s3cret@db/endroll"})  # fmt: skip
    assert "s3cret" not in out.stdout and "DATABASE_URL=postgresql+psycopg://endroll:***@db/endroll" in out.stdout


def test_the_import_command_records_the_shell_user_and_keeps_free_text_as_a_note(engine: Engine) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from data.schema import AuditEvent, ImportBatch

    url = engine.url.render_as_string(hide_password=False)
    people = ROOT / "tests" / "data" / "importers" / "fixtures" / "people.csv"
    out = subprocess.run(
        [sys.executable, "-m", "data.importers", str(people), "--database-url", url, "--actor", "the CEO"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, "LOGNAME": "ops-bob"},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    with Session(engine) as s:
        batch = s.scalars(select(ImportBatch)).one()
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "import")).one()
    assert batch.actor == event.actor == "cli:ops-bob"
    assert batch.summary["note"] == event.new_values["note"] == "the CEO"
