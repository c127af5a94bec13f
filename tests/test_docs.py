"""The README and docs stay true: every setting with its default, the two commands it promises, every rule."""

from __future__ import annotations

import re
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


def test_every_compliance_rule_is_documented() -> None:
    """docs/analytics.md has a row for each rule id the findings engine can emit."""
    sources = "".join(p.read_text("utf-8") for p in (ROOT / "analytics" / "findings").glob("*.py"))
    emitted = set(re.findall(r'"((?:JP|CA)-[A-Z]+-\d\d)"', sources))
    documented = set(
        re.findall(r"^\| ((?:JP|CA)-[A-Z]+-\d\d) \|", (ROOT / "docs" / "analytics.md").read_text("utf-8"), re.M)
    )
    assert len(emitted) >= 20
    assert emitted <= documented, f"rules without a row in docs/analytics.md: {sorted(emitted - documented)}"


def test_every_compliance_rule_has_a_place_on_the_dashboard() -> None:
    """The Workload and Pay pages show findings by rule-id prefix: a rule under neither would be counted but never
    listed."""
    from analytics.dashboard import PAY_RULES, WORKLOAD_RULES

    sources = "".join(p.read_text("utf-8") for p in (ROOT / "analytics" / "findings").glob("*.py"))
    emitted = set(re.findall(r'"((?:JP|CA)-[A-Z]+-\d\d)"', sources))
    unplaced = sorted(r for r in emitted if not r.startswith(WORKLOAD_RULES + PAY_RULES))
    assert not unplaced, f"rules on no dashboard page: {unplaced}"
