"""The annual paid leave ledger (canonical_annual_leave): imported like every canonical format (every row accounted
for, re-imports idempotent, changes audited), and the stored findings snapshot follows an import that changed the
ledger, for everyone whose findings it changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from analytics.findings import findings
from analytics.findings.snapshot import studio_findings
from data.importers import FORMATS, detect, import_file, rejected_rows_csv
from data.importers.kinds import annual_leave, employments
from data.importers.registry import detect_header, markdown, templated
from data.importers.rows import SourceRow
from data.schema import (
    AnnualLeave,
    AuditEvent,
    ImportBatch,
    Person,
    PersonMatchReview,
    RejectedRow,
)
from data.snapshots import versions
from tests.data.importers.helpers import (
    FIX,
    ROOT,
    TEMPLATES,
    accounts_for_every_row,
    balanced,
    count,
    person_id,
    write_csv,
)

HEADER = [c.name for c in annual_leave.COLUMNS]
EMPLOYMENT_HEADER = [c.name for c in employments.COLUMNS]
D = dt.date


def _ledger(session: Session) -> set[tuple[str, str, dt.date, Decimal, str | None]]:
    rows = session.execute(
        select(Person.email, AnnualLeave.kind, AnnualLeave.on_date, AnnualLeave.days, AnnualLeave.note).join(
            Person, Person.id == AnnualLeave.person_id
        )
    )
    return {tuple(r) for r in rows.all()}


def _grant(session: Session, person_id: int) -> AnnualLeave:
    return session.scalars(
        select(AnnualLeave).where(AnnualLeave.person_id == person_id, AnnualLeave.kind == "grant")
    ).one()


def _global_version(session: Session) -> int:
    """Moved on by a committed write that can change anyone's findings (data.engine.track_writes): the stored
    findings snapshot is then computed again for the whole studio."""
    return versions(session).global_


@pytest.fixture
def studio(session: Session) -> Session:
    """Three people: 山田 花子 (hanako@example.jp), 鈴木 太郎 (taro@example.com), García, Ana (ana@example.com)."""
    s = import_file(session, path=FIX / "people.csv")
    assert s.imported == 3
    return session


LEAVE = [
    {"person": "山田 花子", "email": "hanako@example.jp", "kind": "grant", "on_date": "2025-10-01", "days": "10"},
    {"email": "hanako@example.jp", "kind": "taken", "on_date": "2025-11-04", "days": "1", "note": "私用"},
    # The ledger's Japanese terms; a half day; a name without an email.
    {"person": "Taro Suzuki", "kind": "付与", "on_date": "2025-04-01", "days": "12"},
    {"person": "鈴木 太郎", "kind": "取得", "on_date": "2025-05-02", "days": "0.5", "note": "午前半休"},
    # Hourly leave as a fraction of the day (2 h of 8); a grant and a day taken on the same date are two entries.
    {"email": "ana@example.com", "kind": "Grant", "on_date": "2025-07-01", "days": "10"},
    {"email": "ana@example.com", "kind": "TAKEN", "on_date": "2025-07-01", "days": "0.25"},
]
EXPECTED = {
    ("hanako@example.jp", "grant", D(2025, 10, 1), Decimal(10), None),
    ("hanako@example.jp", "taken", D(2025, 11, 4), Decimal(1), "私用"),
    ("taro@example.com", "grant", D(2025, 4, 1), Decimal(12), None),
    ("taro@example.com", "taken", D(2025, 5, 2), Decimal("0.5"), "午前半休"),
    ("ana@example.com", "grant", D(2025, 7, 1), Decimal(10), None),
    ("ana@example.com", "taken", D(2025, 7, 1), Decimal("0.25"), None),
}


def test_leave_csv(studio: Session, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "leave.csv", HEADER, LEAVE)
    assert detect(f) == "canonical_annual_leave"
    version = _global_version(studio)
    s = import_file(studio, path=f)
    balanced(s)
    assert (s.format, s.rows_total, s.imported, s.rejected) == ("canonical_annual_leave", 6, 6, 0), s.rejected_preview
    assert _ledger(studio) == EXPECTED
    # Rows an import wrote say which batch wrote them and carry their natural key as source key.
    hanako = person_id(studio, "hanako@example.jp")
    grant = _grant(studio, hanako)
    assert grant.batch_id == s.batch_id
    assert grant.source_key == f"canonical_annual_leave:{hanako}:grant:2025-10-01"
    assert grant.content_hash
    # One person's entry can change anyone's leave findings: the whole snapshot is computed again.
    assert _global_version(studio) > version


def test_leave_xlsx_with_typed_cells(studio: Session, tmp_path: Path) -> None:
    """A spreadsheet stores dates and numbers as typed cells; they read as their CSV text would, and a float's binary
    noise (0.1 + 0.2) is not a precision a person wrote."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in LEAVE:
        cells = []
        for col in HEADER:
            value = row.get(col)
            if value and col == "on_date":
                value = D.fromisoformat(value)
            elif value and col == "days":
                value = float(value)
            cells.append(value)
        ws.append(cells)
    ws.append([None, "hanako@example.jp", "taken", D(2025, 12, 1), 0.1 + 0.2, None])
    f = tmp_path / "leave.xlsx"
    wb.save(f)
    assert detect(f) == "canonical_annual_leave"
    s = import_file(studio, path=f)
    balanced(s)
    assert (s.rows_total, s.imported, s.rejected) == (7, 7, 0), s.rejected_preview
    assert _ledger(studio) == EXPECTED | {("hanako@example.jp", "taken", D(2025, 12, 1), Decimal("0.3"), None)}
    # The same entries as CSV change nothing.
    again = import_file(studio, path=write_csv(tmp_path / "leave.csv", HEADER, LEAVE))
    balanced(again)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 6)


def test_reimport_is_unchanged_and_a_changed_row_is_updated_with_an_audit_event(
    studio: Session, tmp_path: Path
) -> None:
    f = write_csv(tmp_path / "leave.csv", HEADER, LEAVE)
    first = import_file(studio, path=f)
    version = _global_version(studio)
    stored = {a.id: (a.days, a.note, a.batch_id, a.content_hash) for a in studio.scalars(select(AnnualLeave))}

    again = import_file(studio, path=f)
    balanced(again)
    assert (again.imported, again.updated, again.unchanged, again.rejected) == (0, 0, 6, 0)
    assert {a.id: (a.days, a.note, a.batch_id, a.content_hash) for a in studio.scalars(select(AnnualLeave))} == stored
    assert not studio.scalars(select(AuditEvent).where(AuditEvent.action.like("import.update.%"))).all()
    assert _global_version(studio) == version  # nothing written: the stored findings still hold

    changed = [dict(LEAVE[0], days="11", note="前年度の付与を訂正"), *LEAVE[1:]]
    s = import_file(studio, path=write_csv(tmp_path / "leave2.csv", HEADER, changed))
    balanced(s)
    assert (s.imported, s.updated, s.unchanged) == (0, 1, 5)
    assert count(studio, AnnualLeave) == 6
    hanako = person_id(studio, "hanako@example.jp")
    grant = _grant(studio, hanako)
    assert (grant.days, grant.note) == (Decimal(11), "前年度の付与を訂正")
    assert grant.batch_id == s.batch_id != first.batch_id  # the batch that last wrote it
    assert grant.content_hash != stored[grant.id][3]
    event = studio.scalars(select(AuditEvent).where(AuditEvent.action == "import.update.annual_leave")).one()
    assert event.entity_type == "annual_leave" and event.entity_id == str(grant.id)
    assert {k: Decimal(v) if k == "days" else v for k, v in event.old_values.items()} == {"days": 10, "note": None}
    assert {k: Decimal(v) if k == "days" else v for k, v in event.new_values.items()} == {
        "days": 11,
        "note": "前年度の付与を訂正",
    }
    assert _global_version(studio) > version


def test_an_entry_made_outside_the_importer_is_matched_not_duplicated(studio: Session, tmp_path: Path) -> None:
    hanako = person_id(studio, "hanako@example.jp")
    studio.add(AnnualLeave(person_id=hanako, kind="grant", on_date=D(2025, 10, 1), days=Decimal(10)))
    studio.commit()
    s = import_file(studio, path=write_csv(tmp_path / "leave.csv", HEADER, LEAVE[:1]))
    assert (s.imported, s.updated, s.unchanged) == (0, 0, 1)
    s = import_file(studio, path=write_csv(tmp_path / "leave2.csv", HEADER, [dict(LEAVE[0], days="10.5")]))
    assert (s.imported, s.updated) == (0, 1)
    assert studio.scalars(select(AnnualLeave.days)).one() == Decimal("10.5")
    # Two stored entries under one key are never chosen between.
    studio.add(AnnualLeave(person_id=hanako, kind="grant", on_date=D(2025, 10, 1), days=Decimal(1)))
    studio.commit()
    s = import_file(studio, path=write_csv(tmp_path / "leave3.csv", HEADER, LEAVE[:1]))
    assert s.rejected_by_reason == {"ambiguous_row": 1}


GOOD = {"email": "hanako@example.jp", "kind": "taken", "on_date": "2025-06-02", "days": "1"}
# (row, reason code, column, value): None as the code means the row is imported.
BAD = [
    ({"kind": "vacation"}, "bad_value", "kind", "vacation"),
    ({"kind": ""}, "missing_value", "kind", ""),
    ({"kind": "付与", "on_date": "2025-04-01", "days": "10"}, None, None, None),
    ({"on_date": "2025-02-30"}, "bad_date", "on_date", "2025-02-30"),
    ({"on_date": ""}, "missing_value", "on_date", ""),
    ({"days": ""}, "missing_value", "days", ""),
    ({"days": "half"}, "bad_number", "days", "half"),
    ({"days": "1,5"}, "bad_number", "days", "1,5"),  # a decimal comma, not 15 days
    ({"days": "nan"}, "bad_number", "days", "nan"),
    ({"days": "inf"}, "bad_number", "days", "inf"),
    ({"days": "0"}, "out_of_range", "days", "0"),
    ({"days": "-1"}, "out_of_range", "days", "-1"),
    ({"days": "1.5"}, "out_of_range", "days", "1.5"),  # more than one day taken on one row
    ({"days": "1e-10"}, "out_of_range", "days", "1e-10"),  # no leave at all once kept in hundredths
    ({"days": "0.125"}, "bad_precision", "days", "0.125"),
    ({"kind": "grant", "days": "41"}, "out_of_range", "days", "41"),
    ({"kind": "grant", "days": "1e400"}, "out_of_range", "days", "1e400"),
    ({"kind": "grant", "on_date": "2025-06-03", "days": "40"}, None, None, None),
    ({"note": "x" * 201}, "out_of_range", "note", "x" * 201),
    ({"email": "", "person": ""}, "missing_person", "person", ""),
    ({"email": "", "person": "誰か 知らない"}, "unknown_person", "person", "誰か 知らない"),
]


def test_bad_rows_are_rejected_with_line_column_value_and_reason(studio: Session, tmp_path: Path) -> None:
    rows = [GOOD] + [{**GOOD, **change} for change, *_ in BAD] + [dict(GOOD, days="0.5")]  # the last: GOOD's key
    f = write_csv(tmp_path / "bad.csv", HEADER, rows)
    s = import_file(studio, path=f)
    balanced(s)
    rejected = {
        r.line: r
        for r in studio.scalars(
            select(RejectedRow).where(RejectedRow.batch_id == s.batch_id).order_by(RejectedRow.line)
        )
    }
    expected_bad = [b for b in BAD if b[1] is not None]
    assert s.imported == 3 and s.rejected == len(expected_bad) + 1 == len(rejected)
    for i, (_change, code, column, value) in enumerate(BAD):
        line = i + 3  # header, GOOD, then BAD in order
        if code is None:
            assert line not in rejected
            continue
        r = rejected[line]
        assert (r.reason_code, r.column, r.value) == (code, column, value), (line, r.reason)
        assert r.reason and r.raw
    last = rejected[len(rows) + 1]
    assert last.reason_code == "duplicate_row" and "as line 2" in last.reason
    assert s.review_queue == 1
    batch = studio.get(ImportBatch, s.batch_id)
    assert (batch.filename, batch.status, batch.rows_rejected) == ("bad.csv", "committed", s.rejected)
    download = rejected_rows_csv(studio, batch_id=s.batch_id).decode("utf-8-sig")
    assert "days taken must be more than 0 and at most 1" in download
    assert "days is kept in hundredths of a day" in download
    # Nothing else was lost: the three good rows are stored as they were given, nothing more.
    assert _ledger(studio) == {
        ("hanako@example.jp", "taken", D(2025, 6, 2), Decimal(1), None),
        ("hanako@example.jp", "grant", D(2025, 4, 1), Decimal(10), None),
        ("hanako@example.jp", "grant", D(2025, 6, 3), Decimal(40), None),
    }


def test_a_refused_row_rolls_back_alone(studio: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Should the database still refuse a row the parser let through, that row is rejected with the database's
    reason and the rest of the file goes in."""
    real = annual_leave.parse

    def lenient(row: SourceRow) -> dict:  # a parser that forgot the table's 40-day limit
        out = real(SourceRow(row.line, {**row.cells, "days": "1"}, row.raw))
        out["days"] = Decimal(row.cells["days"])
        return out

    monkeypatch.setattr(annual_leave, "parse", lenient)
    rows = [dict(LEAVE[0], days="50"), LEAVE[2]]
    s = import_file(studio, path=write_csv(tmp_path / "l.csv", HEADER, rows))
    balanced(s)
    assert (s.imported, s.rejected_by_reason) == (1, {"database_constraint": 1})
    assert _ledger(studio) == {("taro@example.com", "grant", D(2025, 4, 1), Decimal(12), None)}


def test_unknown_person_is_queued_for_review_or_created(session: Session, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "l.csv", HEADER, [dict(GOOD, person="新人 一郎", email="ichiro@example.jp")])
    s = import_file(session, path=f)
    assert (s.imported, s.rejected_by_reason, s.review_queue) == (0, {"unknown_person": 1}, 1)
    review = session.scalars(select(PersonMatchReview)).one()
    assert (review.name, review.email) == ("新人 一郎", "ichiro@example.jp")
    assert count(session, AnnualLeave) == 0
    created = import_file(session, path=f, create_people=True)
    assert (created.imported, created.details["people_created"]) == (1, 1)
    person = session.scalars(select(Person).where(Person.email == "ichiro@example.jp")).one()
    assert person.display_name == "新人 一郎"
    assert session.scalars(select(AnnualLeave.person_id)).one() == person.id


def test_dry_run_writes_nothing(studio: Session, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "leave.csv", HEADER, LEAVE)
    version = _global_version(studio)
    s = import_file(studio, path=f, dry_run=True)
    assert s.dry_run and s.imported == 6
    assert (count(studio, AnnualLeave), _global_version(studio)) == (0, version)


def test_header_detection() -> None:
    assert detect_header(["person", "email", "kind", "on_date", "days", "note"]) == "canonical_annual_leave"
    assert detect_header(["Days", "Kind", "On_Date", "email"]) == "canonical_annual_leave"
    assert detect_header(["email", "kind", "on_date"]) is None
    assert detect_header(["email", "kind", "days"]) is None
    assert detect_header(["email", "on_date", "days"]) is None
    # Every canonical format's own header is still detected as itself, and an older format's file that happens to
    # carry kind / on_date / days columns stays what it was.
    for fmt in templated():
        assert detect_header([c.name for c in fmt.columns]) == fmt.name
    leave = ["kind", "on_date", "days"]
    assert detect_header(["email", "work_date", "minutes", *leave]) == "canonical_work_logs"
    assert detect_header(["display_name", "email", *leave]) == "canonical_people"
    assert detect_header([*EMPLOYMENT_HEADER, *leave]) == "canonical_employments"
    assert detect_header(["organization", "valid_from", *leave]) == "canonical_labor_agreements"
    for name, fmt in [
        ("kitsu_time_spent_2025-04-01.csv", "kitsu_time_spent"),
        ("kitsu_timesheet_2025-04.csv", "kitsu_timesheet"),
        ("shotgrid_timelogs.csv", "shotgrid"),
        ("ftrack_timelogs.csv", "ftrack"),
        ("kimai_en.csv", "kimai"),
        ("kimai_de.csv", "kimai"),
        ("kimai_ja.csv", "kimai"),
        ("clockify_detailed_24h_dmy.csv", "clockify"),
        ("toggl_detailed_week1.csv", "toggl"),
        ("work_logs.csv", "canonical_work_logs"),
        ("pay_items.csv", "canonical_pay_items"),
        ("ai_usage.csv", "canonical_ai_usage"),
        ("credits.csv", "canonical_credits"),
        ("people.csv", "canonical_people"),
        ("credit_roll.txt", "credit_text"),
    ]:
        assert detect(FIX / name) == fmt
    assert FORMATS["canonical_annual_leave"].entity == "annual_leave"


def test_shipped_templates_import_cleanly(session: Session) -> None:
    import_file(session, path=TEMPLATES / "people.csv")
    for ext in ("csv", "xlsx"):
        s = import_file(session, path=TEMPLATES / f"annual_leave.{ext}")
        balanced(s)
        assert (s.format, s.rows_total, s.rejected) == ("canonical_annual_leave", 1, 0), s.rejected_preview
        assert (s.imported, s.unchanged) == ((1, 0) if ext == "csv" else (0, 1))
    assert _ledger(session) == {("hanako@example.jp", "grant", D(2025, 10, 1), Decimal(10), "勤続6か月")}


def test_docs_show_the_generated_column_table() -> None:
    doc = (ROOT / "docs" / "import-formats.md").read_text(encoding="utf-8")
    assert markdown("canonical_annual_leave") in doc, (
        "docs/import-formats.md: paste data.importers.registry.markdown('canonical_annual_leave')"
    )


def test_the_findings_snapshot_follows_a_leave_import_for_everyone_it_changes(studio: Session, tmp_path: Path) -> None:
    """JP-LEAVE-01 judges every ledger up to the studio's latest entry, so an entry of one person can change
    another's findings: here 鈴木's day off brings 山田's first grant year in, in which she took 1 day of 5. The
    snapshot stored before the import must not survive it (a leave write is not about given people alone); the next
    request computes it again, equal to the findings computed from scratch."""
    contracts = [
        {"email": email, "employer": "スタジオ星", "employment_type": "employee_regular", "prefecture": "Tokyo"}
        | {"start_date": start, "scheduled_monthly_hours": "160"}
        for email, start in (("hanako@example.jp", "2021-04-01"), ("taro@example.com", "2022-06-01"))
    ]
    assert import_file(studio, path=write_csv(tmp_path / "c.csv", EMPLOYMENT_HEADER, contracts)).imported == 2
    hanako = person_id(studio, "hanako@example.jp")
    logs = tmp_path / "logs.csv"
    logs.write_text(
        "email,work_date,minutes\n" + "".join(f"hanako@example.jp,2022-04-0{d},480\n" for d in (4, 5, 6)),
        encoding="utf-8",
    )
    assert import_file(studio, path=logs).imported == 3
    hers = [
        {"email": "hanako@example.jp", "kind": "grant", "on_date": "2021-10-01", "days": "10"},
        {"email": "hanako@example.jp", "kind": "taken", "on_date": "2022-09-29", "days": "1"},
    ]
    assert import_file(studio, path=write_csv(tmp_path / "hers.csv", HEADER, hers)).imported == 2

    def leave_findings(df: pd.DataFrame, person: int) -> pd.DataFrame:
        return df[(df["person_id"] == person) & (df["rule_id"] == "JP-LEAVE-01")].reset_index(drop=True)

    before = studio_findings(session=studio)  # stores the snapshot
    studio.commit()
    pd.testing.assert_frame_equal(before, findings(session=studio))
    version = _global_version(studio)

    his = [{"person": "鈴木 太郎", "kind": "取得", "on_date": "2022-09-30", "days": "1"}]
    s = import_file(studio, path=write_csv(tmp_path / "his.csv", HEADER, his))
    assert (s.imported, s.rejected) == (1, 0), s.rejected_preview
    assert _global_version(studio) > version

    after = studio_findings(session=studio)
    studio.commit()
    pd.testing.assert_frame_equal(after, findings(session=studio))
    assert not leave_findings(before, hanako).equals(leave_findings(after, hanako)), "鈴木's entry changes 山田's"

    # Re-importing the same entry writes nothing to the ledger: the stored findings are read as they are.
    version = _global_version(studio)
    again = import_file(studio, path=write_csv(tmp_path / "his2.csv", HEADER, his))
    assert (again.unchanged, _global_version(studio)) == (1, version)
    pd.testing.assert_frame_equal(studio_findings(session=studio), after)
    studio.commit()

    # A changed entry moves the version on again, and the snapshot follows it.
    s = import_file(studio, path=write_csv(tmp_path / "his3.csv", HEADER, [dict(his[0], days="0.5")]))
    assert s.updated == 1 and _global_version(studio) > version
    pd.testing.assert_frame_equal(studio_findings(session=studio), findings(session=studio))
    studio.commit()


CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "-",
            "山田 花子",
            "hanako@example.jp",
            "grant",
            "taken",
            "付与",
            "取得",
            "2025-04-01",
            "2025-02-30",
            "1",
            "0.5",
            "0.125",
            "40",
            "0",
            "nan",
            "1e400",
            "Total",
            '"',
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, max_size=8), max_size=10))
def test_malformed_files_never_crash_and_account_for_every_row(
    hanako_engine: Engine,
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[list[str]],
) -> None:
    path = tmp_path_factory.mktemp("m") / "f.csv"
    accounts_for_every_row(hanako_engine, path, "canonical_annual_leave", HEADER, rows)
