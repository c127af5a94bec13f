"""The README and docs stay true: every setting with its default, the two commands it promises (the rules:
tests/analytics/findings/test_docs.py)."""

from __future__ import annotations

from pathlib import Path

from data.settings import SETTINGS, markdown_table

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_setting_exactly() -> None:
    assert markdown_table() in README, "README's settings table is stale: paste `python -m data.settings --markdown`"
    for s in SETTINGS:
        assert f"`{s.env}`" in README


def test_readme_commands_exist_and_ci_runs_the_test_command() -> None:
    assert "bash scripts/start.sh" in README and "bash scripts/test.sh" in README
    assert (ROOT / "scripts" / "start.sh").exists() and (ROOT / "scripts" / "test.sh").exists()
    assert "scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


def test_requirements_pin_every_package() -> None:
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r"):
                assert "==" in line, f"{name}: {line!r} is not pinned"
    assert "torch==2.13.0" in (ROOT / "requirements.txt").read_text()
