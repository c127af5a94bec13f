"""docs/analytics.md and the dashboard keep up with the rules: every rule id the findings engine can emit has a row
in the rules table and a page that lists it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


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
