"""The format registry, without a database: every kind registers itself, the machinery names no format, detection
and the documentation follow the registry, and a fatal error tells each place what to do in its own words."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from data.errors import EndrollError
from data.importers import FORMATS, ImporterError, ImportFailed, RowError, UnknownFormat, detect, parse_credits
from data.importers.registry import Format, formats_markdown, register
from tests.data.importers.helpers import FIX, ROOT

PACKAGE = ROOT / "data" / "importers"
# The shared machinery: reading (encodings, workbook limits), the import's context and lookups, the writes (a day's
# checks, what an import created and did not need), the pipeline, the report, the registry, and what the kinds share
# (cells, units, matching people, places, tracker exports).
MACHINERY = [
    "cells.py",
    "cleanup.py",
    "context.py",
    "daychecks.py",
    "encodings.py",
    "errors.py",
    "lookups.py",
    "matching.py",
    "natural.py",
    "pipeline.py",
    "places.py",
    "reading.py",
    "registry.py",
    "report.py",
    "rows.py",
    "tracker.py",
    "units.py",
    "upsert.py",
    "xlsx_limits.py",
]


def _string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def test_the_machinery_names_no_format_and_no_entity() -> None:
    """No string in the machinery is a format's name or what a format's rows become: it cannot branch on a kind.
    (``person`` is both the people format's entity and the column every canonical row names its person in, which the
    shared cell readers read: column names are not kinds.)"""
    columns = {c.name for f in FORMATS.values() for c in f.columns}
    names = set(FORMATS) | ({f.entity for f in FORMATS.values()} - columns)
    # What the credit kinds share (their grammar, their writer, the database's word on names), not machinery
    shared_by_credit_kinds = {"credit_text.py", "credit_store.py", "credit_calls.py", "credit_aliases.py"}
    assert {p.name for p in PACKAGE.glob("*.py")} - {"__init__.py", "__main__.py", *shared_by_credit_kinds} == set(
        MACHINERY
    )
    for module in MACHINERY:
        named = _string_constants(PACKAGE / module) & names
        assert not named, f"data/importers/{module} names {sorted(named)}"


def test_every_kind_module_registers_a_format() -> None:
    kinds = {p.stem for p in (PACKAGE / "kinds").glob("*.py")} - {"__init__"}
    registered = {f.read.__module__.rsplit(".", 1)[-1] for f in FORMATS.values()}
    assert registered == kinds
    assert len(FORMATS) == 21  # kitsu_persons (issue 14); minimum wages, MHLW's table, rule parameters (issue 16)
    for fmt in FORMATS.values():
        # Each format can be found: by its header, as JSON, or as the text no header claimed.
        assert fmt.header is not None or fmt.unclaimed is not None or "json" in fmt.files, fmt.name
        assert bool(fmt.columns) == bool(fmt.template), fmt.name
    orders = [f.order for f in FORMATS.values()]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)


def test_a_name_is_registered_once() -> None:
    fmt = FORMATS["canonical_people"]
    with pytest.raises(ValueError, match="registered twice"):
        register(Format(name=fmt.name, label="", entity="", read=fmt.read, write=fmt.write, order=-1))
    assert FORMATS["canonical_people"] is fmt


def test_the_docs_list_every_format_as_the_registry_does() -> None:
    doc = (ROOT / "docs" / "import-formats.md").read_text(encoding="utf-8")
    assert formats_markdown() in doc, "docs/import-formats.md: paste data.importers.registry.formats_markdown()"


def test_errors_share_the_one_base() -> None:
    for cls in (ImporterError, ImportFailed, UnknownFormat, RowError):
        assert issubclass(cls, EndrollError)
    error = RowError("bad_date", "on_date must be a date like 2025-04-01, got 'x'", column="on_date", value="x")
    assert (str(error), error.reason, error.column, error.value) == (error.reason, error.reason, "on_date", "x")


def test_a_fatal_error_says_what_to_do_in_the_words_of_each_place(tmp_path: Path) -> None:
    unknown = tmp_path / "x.csv"
    unknown.write_text("alpha,beta,gamma,delta\n1,2,3,4\n", encoding="utf-8")
    with pytest.raises(UnknownFormat) as caught:
        detect(unknown)
    cli, page = caught.value.message("cli"), caught.value.message("page")
    assert "matches no known format" in cli and "pass --format NAME" in cli
    assert "matches no known format" in page and "--" not in page and "Format" in page
    with pytest.raises(ImportFailed) as caught:
        list(parse_credits(FIX / "work_logs.csv"))
    assert "does not hold credits" in str(caught.value) and "--" not in caught.value.message("page")
