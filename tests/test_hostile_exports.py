"""Hostile names through every CSV and TSV Endroll writes (SQLite and PostgreSQL): read back, no cell begins with
a formula character and every TSV row keeps its columns. The writers: the page downloads (every table of every
view), the rejected rows of an import, ``python -m analytics findings --format csv``, the credit validator's CSV and
text (TSV) reports, the end-roll CSV, the credit-record CSV and the import templates."""

from __future__ import annotations

import dataclasses
import io
from contextlib import redirect_stdout
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from analytics.credits.__main__ import format_report
from analytics.credits.__main__ import main as credits_cli
from analytics.credits.endroll import build_end_roll, export_roll
from analytics.credits.model import Finding, ValidationReport
from analytics.credits.rules import Severity
from analytics.exports import to_csv_bytes, to_xlsx_bytes
from analytics.scope import Scope
from data.identity import Identity
from data.importers import import_file, rejected_rows_csv
from data.importers.registry import write_templates
from tests.hostile import FORMULA, FORMULA_START, NAMES, TAB_CR, csv_problems, hostile_studio, tsv_problems

MANAGER = Identity(username="boss", role="manager")


@pytest.fixture
def studio(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return hostile_studio(session)


def _frames(value: object) -> list[tuple[str, pd.DataFrame]]:
    if isinstance(value, pd.DataFrame):
        return [("table", value)]
    if dataclasses.is_dataclass(value):
        return [(f.name, v) for f in dataclasses.fields(value) if isinstance(v := getattr(value, f.name), pd.DataFrame)]
    return []


def test_every_page_download(studio: dict[str, int], engine: Engine) -> None:
    from analytics.admin import admin_snapshot
    from analytics.ai_view import ai_use_view
    from analytics.dashboard import credits_view, findings_view, import_history, pay_view, workload_view
    from analytics.my_record import my_record
    from analytics.overview import studio_overview

    artist = Identity(username="artist", role="artist", person_id=studio["artist"])
    problems, hostile_cells = [], 0
    with Session(engine) as s:
        views = [f(s, scope=Scope(viewer=MANAGER)) for f in (workload_view, pay_view, ai_use_view, studio_overview,
                                                             findings_view, import_history, admin_snapshot)]  # fmt: skip
        views.append(credits_view(s, scope=Scope(productions=(studio["tv"],), viewer=MANAGER)))
        views.append(my_record(s, scope=Scope(people=(studio["artist"],), viewer=artist)))
    for view in views:
        for name, frame in _frames(view):
            if frame.empty:
                continue
            hostile_cells += int(frame.isin(NAMES).sum().sum()) + int(
                frame.astype(str).apply(lambda c: c.str.contains("evil.example|HYPERLINK")).sum().sum())  # fmt: skip
            problems += csv_problems(to_csv_bytes(frame), what=f"{type(view).__name__}.{name}")
            sheet = load_workbook(io.BytesIO(to_xlsx_bytes(frame, sheet_name=name))).worksheets[0]
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_START)):
                        problems.append(f"{type(view).__name__}.{name} XLSX {cell.coordinate}: {cell.value!r}")
    assert hostile_cells > 10, "the hostile names reached the tables"
    assert problems == []


def test_rejected_rows(studio: dict[str, int], engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "work_logs.csv"
    header = "person,work_date,minutes,production,role"
    rows = [f'"{n}",not a date,{FORMULA},"{n}",key_animation' for n in NAMES if '"' not in n]
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    with Session(engine) as session:
        summary = import_file(session, path=path, format="canonical_work_logs", actor="boss")
        assert summary.rejected == len(rows)
        data = rejected_rows_csv(session, batch_id=summary.batch_id)
    assert "HYPERLINK" in data.decode("utf-8-sig")
    assert csv_problems(data, what="rejected rows") == []


def test_findings_command_line(studio: dict[str, int], engine: Engine) -> None:
    from analytics.__main__ import main

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["findings", "--format", "csv", "--database-url", engine.url.render_as_string(False)]) == 0
    text = out.getvalue()
    assert "evil.example" in text and "HYPERLINK" in text  # the names are there, defused
    assert csv_problems(text, what="findings") == []


def test_credit_reports_rolls_and_records(studio: dict[str, int], engine: Engine, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    url = engine.url.render_as_string(hide_password=False)
    assert credits_cli(["check", str(studio["tv"]), "--format", "csv", "--database-url", url]) in (0, 1)
    report = capsys.readouterr().out
    assert "evil.example" in report and csv_problems(report, what="validator CSV") == []
    assert credits_cli(["check", str(studio["tv"]), "--database-url", url]) in (0, 1)
    assert tsv_problems(capsys.readouterr().out, columns=6, what="validator text") == []
    # The text report is tab-separated: a tab or a line break in a name must not move the columns.
    findings = [Finding(rule="r", severity=Severity.ERROR, message=f"bad {n}", line=i, role=n, name=n)
                for i, n in enumerate([*NAMES, "a\nb", TAB_CR])]  # fmt: skip
    text = format_report(ValidationReport(findings=findings, credits_checked=len(findings)), "text")
    assert len(text.split("\n")) == len(findings) + 1
    assert tsv_problems(text, columns=6, what="validator text") == []
    assert csv_problems(format_report(ValidationReport(findings=findings), "csv"), what="validator CSV") == []
    with Session(engine) as session:
        roll = export_roll(build_end_roll(session, production=studio["tv"]), "csv", "ja")
        from analytics.credits.record import export_record

        record = export_record(session, person_id=studio["artist"], fmt="csv")
    assert "evil.example" in roll.decode() and csv_problems(roll, what="end roll") == []
    assert "evil.example" in record.decode("utf-8-sig") and csv_problems(record, what="credit record") == []
    for template in write_templates(tmp_path / "templates"):
        if template.suffix == ".csv":
            assert csv_problems(template.read_text(encoding="utf-8"), what=template.name) == []
