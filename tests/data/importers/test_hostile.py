"""Every bad value is a rejected row with a line and a reason, never a traceback; a header naming a column twice
refuses the file; a hostile workbook costs bounded time and memory; an error quotes a file's text, never all of it."""

from __future__ import annotations

import resource
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.importers import ImportFailed, UnknownFormat, import_file
from data.importers.errors import ECHO_MAX, RowError, clip
from data.importers.xlsx_limits import MAX_CELL_CHARS
from data.schema import ImportBatch, Person, Production, RejectedRow, WorkLog
from tests.data.importers.helpers import FIX, balanced

TITLE = "星の庭"


@pytest.fixture
def studio(session: Session) -> Session:
    session.add(Production(title=TITLE, kind="tv"))
    session.commit()
    assert import_file(session, path=FIX / "people.csv").imported == 3
    return session


def _rejections(session: Session, batch_id: int) -> dict[int, tuple[str, str | None]]:
    q = select(RejectedRow.line, RejectedRow.reason_code, RejectedRow.column).where(RejectedRow.batch_id == batch_id)
    return {line: (code, column) for line, code, column in session.execute(q)}


def test_bad_values_are_rejected_rows_with_their_line(studio: Session, tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(
        "email,work_date,start_time,end_time,minutes,production\n"
        f"hanako@example.jp,2025-04-01,,,NaN,{TITLE}\n"  # 2
        f"hanako@example.jp,2025-04-02,,,inf,{TITLE}\n"  # 3
        f"hanako@example.jp,9999-12-31,23:00,01:00,,{TITLE}\n"  # 4: would overflow a day later
        f"hanako@example.jp,1900-01-01,,,60,{TITLE}\n"  # 5
        f"hanako@example.jp,2025-04-03,,,1e300,{TITLE}\n"  # 6
        f"hanako@example.jp,2025-04-04,,,60,{TITLE}\n",  # 7: fine
        encoding="utf-8",
    )
    s = import_file(studio, path=f)
    balanced(s)
    assert s.imported == 1
    got = _rejections(studio, s.batch_id)
    assert got == {
        2: ("bad_number", "minutes"),
        3: ("bad_number", "minutes"),
        4: ("out_of_range", "work_date"),
        5: ("out_of_range", "work_date"),
        6: ("out_of_range", "minutes"),
    }
    q = select(RejectedRow.line, RejectedRow.reason).where(RejectedRow.batch_id == s.batch_id)
    reasons = {line: reason for line, reason in studio.execute(q)}
    assert "outside the years 2000–2100" in reasons[5]


def test_the_years_a_date_may_fall_in_are_the_import_s_to_choose(studio: Session, tmp_path: Path) -> None:
    f = tmp_path / "old.csv"
    f.write_text(f"email,work_date,minutes,production\nhanako@example.jp,1998-04-01,60,{TITLE}\n", encoding="utf-8")
    assert import_file(studio, path=f).rejected_by_reason == {"out_of_range": 1}
    assert import_file(studio, path=f, years=(1990, 2100)).imported == 1
    with pytest.raises(ImportFailed, match="wrong order"):
        import_file(studio, path=f, years=(2100, 1990))


def test_more_than_24_hours_in_a_day_is_rejected_and_overlaps_are_warned(studio: Session, tmp_path: Path) -> None:
    """Three overlapping entries of 10 h 20 min on one day (31 h): the first two go in (20 h 40 min, the second
    with an overlap warning naming the first), the third would pass 24 h and is rejected; nothing reaches a day."""
    f = tmp_path / "long.csv"
    f.write_text(
        "email,work_date,start_time,end_time,production,external_id\n"
        + "".join(f"hanako@example.jp,2025-04-01,08:00,18:20,{TITLE},L{i}\n" for i in range(3)),
        encoding="utf-8",
    )
    s = import_file(studio, path=f)
    balanced(s)
    assert (s.imported, s.rejected_by_reason, s.warnings_by_reason) == (
        2,
        {"day_over_24h": 1},
        {"overlapping_entry": 1},
    )
    reason = studio.scalar(select(RejectedRow.reason).where(RejectedRow.batch_id == s.batch_id))
    assert "adds up to 1860 min, more than 24 hours" in reason
    warning = s.warnings_preview[0]
    assert (warning.line, warning.code) == (3, "overlapping_entry") and "line 2 of this file" in warning.reason
    total = studio.scalar(select(func.sum(WorkLog.seconds)).where(WorkLog.work_date.is_not(None)))
    assert total == 2 * 620 * 60


def test_a_header_naming_a_column_twice_refuses_the_file(studio: Session, tmp_path: Path) -> None:
    f = tmp_path / "twice.csv"
    f.write_text("person,work_date,minutes,Person\n山田 花子,2025-04-01,60,鈴木 太郎\n", encoding="utf-8")
    before = studio.scalar(select(func.count()).select_from(WorkLog))
    with pytest.raises(ImportFailed) as raised:
        import_file(studio, path=f)
    assert "twice.csv: the header names Person more than once" in str(raised.value)
    assert studio.scalar(select(func.count()).select_from(WorkLog)) == before
    assert studio.scalar(select(ImportBatch.status).order_by(ImportBatch.id.desc())) == "failed"


def _bomb(path: Path, size: int) -> Path:
    """A workbook whose one shared string (the header cell) is ``size`` characters: a few hundred KB on disk."""
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        with z.open("xl/sharedStrings.xml", "w") as part:
            part.write(b'<?xml version="1.0"?><sst><si><t>')
            chunk = b"A" * (1 << 20)
            for _ in range(size // len(chunk)):
                part.write(chunk)
            part.write(b"</t></si></sst>")
    return path


def test_a_hostile_workbook_is_refused_quickly_in_bounded_memory(session: Session, tmp_path: Path) -> None:
    path = _bomb(tmp_path / "bomb.xlsx", 200 << 20)
    assert path.stat().st_size < 1 << 20
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.process_time()
    with pytest.raises(ImportFailed) as raised:
        import_file(session, path=path)
    spent = time.process_time() - t
    grew_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024
    assert f"longer than a cell can ({MAX_CELL_CHARS:,} characters)" in str(raised.value)
    # Bounded work: the scan stops at the first oversized text (a generous bound; the unchecked read took 36 s).
    assert spent < 5 and grew_mb < 100, (spent, grew_mb)
    assert len(str(raised.value)) < 400


def test_errors_quote_a_file_s_text_clipped(tmp_path: Path) -> None:
    assert clip("x" * 10) == "x" * 10 and clip("y" * 1000).startswith("y" * ECHO_MAX + "… (1,000 characters)")
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append([f"column number {i} of a sheet nobody made for Endroll" for i in range(2000)])
    f = tmp_path / "wide.xlsx"
    wb.save(f)
    with pytest.raises(UnknownFormat) as raised:
        import_file(None, path=f)  # detection fails before the session is used
    assert "wide.xlsx: the first sheet's header" in str(raised.value) and len(str(raised.value)) < 1000
    err = RowError("bad_value", "v" * 5000, value="w" * 50_000)
    assert len(err.reason) <= 520 and len(err.value) <= 10_100


def test_nothing_needed_by_no_row_is_left_behind(session: Session, tmp_path: Path) -> None:
    """A fully rejected import with --production and --create-people creates neither the production nor the
    person; a dry run writes nothing at all."""
    f = tmp_path / "rejected.csv"
    f.write_text("person,work_date,minutes,episode\n新人 一郎,2025-04-01,NaN,3\n", encoding="utf-8")
    people = session.scalar(select(func.count()).select_from(Person))
    s = import_file(session, path=f, production="新作", create_people=True)
    assert (s.imported, s.rejected) == (0, 1)
    assert session.scalar(select(Production.id).where(Production.title == "新作")) is None
    assert session.scalar(select(func.count()).select_from(Person)) == people
    assert "productions_created" not in s.details and "people_created" not in s.details
    ok = tmp_path / "ok.csv"
    ok.write_text("person,work_date,minutes,episode\n新人 一郎,2025-04-01,60,3\n", encoding="utf-8")
    batches = session.scalar(select(func.count()).select_from(ImportBatch))
    dry = import_file(session, path=ok, production="新作", create_people=True, dry_run=True)
    assert dry.imported == 1
    assert session.scalar(select(Production.id).where(Production.title == "新作")) is None
    assert session.scalar(select(func.count()).select_from(ImportBatch)) == batches
    real = import_file(session, path=ok, production="新作", create_people=True)
    assert real.imported == 1 and real.details["productions_created"] == 1 and real.details["people_created"] == 1
