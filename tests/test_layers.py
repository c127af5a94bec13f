"""Layering: only the UI layer imports streamlit; analytics/ and generation/ never reach up into the UI; inside
analytics/, only analytics/queries/ builds SQL."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NON_UI = ("analytics", "generation", "data", "services")


def _modules(path: Path) -> set[str]:
    """Every module ``path`` imports, by its full dotted name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _imports(path: Path) -> set[str]:
    return {name.split(".")[0] for name in _modules(path)}


@pytest.mark.parametrize("package", NON_UI)
def test_no_streamlit_outside_ui(package: str) -> None:
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / package).rglob("*.py") if "streamlit" in _imports(p)]
    assert offenders == [], f"streamlit imported outside the UI layer: {offenders}"


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("data", {"analytics", "generation", "services", "app", "app_pages"}),
        ("analytics", {"app", "app_pages", "generation", "services"}),
        ("generation", {"app", "app_pages", "analytics", "services"}),
        ("services", {"app", "app_pages"}),
    ],
)
def test_layers_point_one_way(package: str, forbidden: set[str]) -> None:
    # A __main__.py is an entry point (a command line): like app.py it stands on top and may import any layer.
    offenders = {
        str(p.relative_to(ROOT)): sorted(_imports(p) & forbidden)
        for p in (ROOT / package).rglob("*.py")
        if _imports(p) & forbidden and p.name != "__main__.py"
    }
    assert offenders == {}, f"{package}/ imports a layer above it: {offenders}"


def test_non_ui_packages_import_without_streamlit() -> None:
    # A fresh interpreter proves it: importing the lower layers must not pull streamlit (or torch) in.
    code = (
        "import sys, importlib, pkgutil\n"
        "for pkg in ('data', 'analytics', 'generation', 'services'):\n"
        "    m = importlib.import_module(pkg)\n"
        "    for info in pkgutil.walk_packages(m.__path__, pkg + '.'):\n"
        "        if '.migrations' in info.name or info.name.endswith('__main__'):\n"
        "            continue\n"
        "        importlib.import_module(info.name)\n"
        "assert 'streamlit' not in sys.modules, 'streamlit was imported'\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]


def test_law_is_pure() -> None:
    """data/law/ is the bottom layer: it imports no other Endroll module but data.errors, and no database library."""
    allowed_own = {"data.errors"}
    offenders = {}
    for path in (ROOT / "data" / "law").rglob("*.py"):
        bad = {
            m
            for m in _modules(path)
            if m.split(".")[0] in {"sqlalchemy", "alembic", "psycopg", "streamlit", "torch", "pandas"}
            or (
                m.split(".")[0] in {"data", "analytics", "services", "generation", "app_pages"}
                and not m.startswith("data.law")
                and m not in allowed_own
            )
        }
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}, f"data/law/ must stay pure: {offenders}"


def _sql_imports(path: Path) -> set[str]:
    """What ``path`` imports that builds SQL: any SQLAlchemy name but the ``Session`` type, and the schema's tables
    (its vocabulary constants, such as ``EMPLOYEE_TYPES``, are words, not SQL)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "sqlalchemy" or a.name == "data.schema")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] == "sqlalchemy":
                allowed = {"Session"} if node.module == "sqlalchemy.orm" else set()
                found.update(f"{node.module}.{a.name}" for a in node.names if a.name not in allowed)
            elif node.module == "data.schema":
                if any(not a.name.isupper() for a in node.names):
                    found.add("data.schema")
            elif node.module == "data" and any(a.name == "schema" for a in node.names):
                found.add("data.schema")
    return found


def test_only_analytics_queries_build_sql() -> None:
    """Inside analytics/, only analytics/queries/ imports SQLAlchemy (beyond the Session type a function takes) or
    data.schema: SQL lives in the query functions, computation on frames everywhere else."""
    offenders = {
        str(p.relative_to(ROOT)): sorted(found)
        for p in sorted((ROOT / "analytics").rglob("*.py"))
        if p.relative_to(ROOT).parts[:2] != ("analytics", "queries") and (found := _sql_imports(p))
    }
    assert offenders == {}, f"SQL built outside analytics/queries/: {offenders}"


def test_the_sql_rule_sees_what_it_must() -> None:
    # The check above can only pass honestly if it recognizes every form of import it looks for.
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "probe.py"
        probe.write_text(
            "import sqlalchemy\nfrom sqlalchemy import select\nfrom sqlalchemy.orm import Session, aliased\n"
            "from data.schema import Person\nfrom data import schema\nimport data.schema\n",
            encoding="utf-8",
        )
        assert _sql_imports(probe) == {"sqlalchemy", "sqlalchemy.select", "sqlalchemy.orm.aliased", "data.schema"}
        probe.write_text(
            "from sqlalchemy.orm import Session\nfrom data.identity import Identity\nfrom data.schema import EMPLOYEE_TYPES\n",
            encoding="utf-8",
        )
        assert _sql_imports(probe) == set()


def test_pages_build_no_sql() -> None:
    """Pages gather inputs, call one view or service and draw: they never read the schema's tables or build SQL (the
    schema's vocabulary constants, the Engine and Session types excepted)."""
    allowed = {"sqlalchemy.Engine", "sqlalchemy.orm.Session"}
    offenders = {
        str(p.relative_to(ROOT)): sorted(found - allowed)
        for p in [ROOT / "app.py", *sorted((ROOT / "app_pages").rglob("*.py"))]
        if (found := _sql_imports(p)) - allowed
    }
    assert offenders == {}, f"pages building SQL: {offenders}"
