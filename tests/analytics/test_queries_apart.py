"""Queries and computation stay apart: the rules and the computations on frames build no SQL (only
``analytics/queries/`` does), and the rules do not even take a session."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RULES = sorted(
    p
    for p in (ROOT / "analytics" / "findings").glob("*.py")
    if p.name not in {"__init__.py", "snapshot.py"}  # the selection API, which names people and reads the snapshot
)
COMPUTATIONS = [ROOT / "analytics" / f"{name}.py" for name in ("overtime", "overwork", "person_days", "freelance")]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _function(name: str) -> bool:
    return not name.rsplit(".", 1)[-1].isupper()  # a query's column names (CONSTANTS) describe its frame


@pytest.mark.parametrize("path", RULES, ids=lambda p: p.name)
def test_rules_read_frames_only(path: Path) -> None:
    imported = _imports(path)
    bad = {m for m in imported if m.startswith(("sqlalchemy", "analytics.scope.frame"))}
    bad |= {m for m in imported if m.startswith("analytics.queries") and _function(m)}
    assert not bad, f"{path.name} reaches the database: {sorted(bad)}"


@pytest.mark.parametrize("path", COMPUTATIONS, ids=lambda p: p.name)
def test_computations_build_no_sql(path: Path) -> None:
    # A view function may take the session to hand it to a query; it builds no statement itself.
    bad = {m for m in _imports(path) if m.startswith("sqlalchemy") and m != "sqlalchemy.orm.Session"}
    bad |= {m for m in _imports(path) if m.startswith("data.schema") or m == "analytics.scope.frame"}
    assert not bad, f"{path.name} builds SQL: {sorted(bad)}"
