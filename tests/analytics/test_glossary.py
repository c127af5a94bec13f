"""The rules glossary the advocate page shows: one entry per rule the findings engine can emit, each one whole."""

from __future__ import annotations

import re
from pathlib import Path

from analytics.findings.context import SEVERITIES
from analytics.glossary import RULES, glossary, rule

ROOT = Path(__file__).resolve().parents[2]


def test_every_rule_the_engine_emits_has_exactly_one_entry() -> None:
    sources = "".join(p.read_text("utf-8") for p in (ROOT / "analytics" / "findings").glob("*.py"))
    emitted = set(re.findall(r'"((?:JP|CA)-[A-Z]+-\d\d)"', sources))
    ids = [r.rule_id for r in RULES]
    assert len(ids) == len(set(ids))
    assert set(ids) == emitted, (sorted(emitted - set(ids)), sorted(set(ids) - emitted))


def test_entries_are_whole() -> None:
    for entry in RULES:
        assert entry.name and entry.measures.endswith(".") and entry.statute, entry
        assert entry.severity in SEVERITIES
    assert rule("JP-OW-03").name == "100 h in one month (karoshi line)" and rule("XX-00") is None
    assert list(glossary().columns) == ["rule_id", "rule_name", "measures", "statute", "severity"]
