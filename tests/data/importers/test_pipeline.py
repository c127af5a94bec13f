"""Importers: every format's fixture imports with every row accounted for; re-imports add nothing twice."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from data.importers import ImportFailed, UnknownFormat, detect, import_file, rejected_rows_csv
from data.importers.__main__ import main as cli
from data.importers.registry import templated, write_templates
from data.importers.upsert import digest
from data.schema import (
    AiUsage,
    AuditEvent,
    ImportBatch,
    PayItem,
    PayPeriodLock,
    Person,
    PersonMatchReview,
    Production,
    RejectedRow,
    WorkLog,
)
from tests.data.importers.helpers import FIX, ROOT, balanced

TITLE = "星の庭"


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def studio(session: Session) -> Session:
    """A production and three people (imported from the people fixture, which is itself under test)."""
    session.add(Production(title=TITLE, kind="tv"))
    session.commit()
    s = import_file(session, path=FIX / "people.csv")
    assert (s.imported, s.rejected_by_reason) == (3, {"blank_line": 1, "bad_value": 1})
    return session


@pytest.mark.parametrize(
    ("name", "fmt", "rows", "imported", "rejected"),
    [
        (
            "kitsu_time_spent_2025-04-01.csv",
            "kitsu_time_spent",
            6,
            3,
            {"blank_line": 1, "unknown_person": 1, "bad_number": 1},
        ),
        ("kitsu_timesheet_2025-04.csv", "kitsu_timesheet", 6, 3, {"empty_row": 1, "blank_line": 1, "totals_row": 1}),
        ("shotgrid_timelogs.csv", "shotgrid", 4, 3, {"totals_row": 1}),
        ("ftrack_timelogs.csv", "ftrack", 3, 2, {"bad_duration": 1}),
        ("kimai_en.csv", "kimai", 3, 2, {"totals_row": 1}),
        ("kimai_de.csv", "kimai", 2, 2, {}),
        ("kimai_ja.csv", "kimai", 2, 2, {}),
        ("clockify_detailed_24h_dmy.csv", "clockify", 2, 2, {}),
        ("clockify_detailed_12h_mdy.csv", "clockify", 2, 2, {}),
        ("toggl_detailed_week1.csv", "toggl", 2, 2, {}),
        (
            "work_logs.csv",
            "canonical_work_logs",
            8,
            3,
            {"inconsistent_minutes": 1, "unknown_production": 1, "unknown_role": 1, "blank_line": 1, "totals_row": 1},
        ),
        ("pay_items.csv", "canonical_pay_items", 4, 3, {"bad_amount": 1}),
        ("ai_usage.csv", "canonical_ai_usage", 2, 1, {"missing_person": 1}),
    ],
)
def test_fixture_imports_with_every_row_accounted(
    studio: Session, name: str, fmt: str, rows: int, imported: int, rejected: dict[str, int]
) -> None:
    assert detect(FIX / name) == fmt
    s = import_file(studio, path=FIX / name)
    balanced(s)
    assert (s.format, s.rows_total, s.imported, s.rejected_by_reason) == (fmt, rows, imported, rejected)
    stored = studio.scalar(select(func.count()).select_from(RejectedRow).where(RejectedRow.batch_id == s.batch_id))
    assert stored == s.rejected
    batch = studio.get(ImportBatch, s.batch_id)
    assert (batch.status, batch.rows_total, batch.rows_imported) == ("committed", rows, imported)
    again = import_file(studio, path=FIX / name)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, imported), "re-import must add nothing"


def test_units_and_times_are_converted(studio: Session) -> None:
    import_file(studio, path=FIX / "work_logs.csv")
    import_file(studio, path=FIX / "ftrack_timelogs.csv")
    import_file(studio, path=FIX / "kimai_de.csv")
    import_file(studio, path=FIX / "clockify_detailed_12h_mdy.csv")
    import_file(studio, path=FIX / "kitsu_timesheet_2025-04.csv")
    logs = studio.scalars(select(WorkLog)).all()
    by_note = {w.note: w for w in logs if w.note}
    night = by_note["night"]  # canonical 21:00–02:00: 300 min, 22:00–02:00 at night
    assert (night.seconds, night.night_seconds, night.end_at) == (300 * 60, 240 * 60, dt.datetime(2025, 4, 2, 2, 0))
    first = next(w for w in logs if w.work_date == dt.date(2025, 4, 1) and w.break_seconds == 3600)
    assert (first.seconds, first.units, first.ai_assisted_fraction, first.task) == (480 * 60, 3, 0.25, "Key, animation")
    # ftrack: seconds, UTC → Asia/Tokyo wall clock; 13:30Z is 22:30 JST, all of it night work.
    owl = by_note["ep03/sh043/anim — night owl"]
    assert (owl.start_at, owl.seconds, owl.night_seconds) == (dt.datetime(2025, 4, 1, 22, 30), 7200, 7200)
    # Kimai German: decimal comma hours, dd.mm.yyyy dates; 8.5 h span with 7.5 h worked = 60 min break.
    bg = next(w for w in logs if w.note and w.note.startswith("Szene 3"))
    assert (bg.work_date, bg.seconds, bg.break_seconds) == (dt.date(2025, 4, 1), 450 * 60, 3600)
    # Clockify 12 h clock, MM/DD dates settled by 04/25/2025.
    pm = next(w for w in logs if w.work_date == dt.date(2025, 4, 25))
    assert (pm.start_at.hour, pm.end_at.hour, pm.seconds) == (13, 15, 135 * 60)
    # Kitsu grid: hours per day cell.
    grid = sorted(w.seconds for w in logs if w.source_key.startswith("kitsu_timesheet"))
    assert grid == [450 * 60, 480 * 60, 555 * 60]


def test_overlapping_reexport_updates_changed_rows_with_audit(studio: Session) -> None:
    first = import_file(studio, path=FIX / "kitsu_time_spent_2025-04-01.csv")
    assert first.imported == 3
    second = import_file(studio, path=FIX / "kitsu_time_spent_2025-04-05.csv")
    balanced(second)
    assert (second.imported, second.updated, second.unchanged, second.rejected) == (1, 1, 2, 0)
    assert _count(studio, WorkLog) == 4
    event = studio.scalars(select(AuditEvent).where(AuditEvent.action == "import.update.work_log")).one()
    assert event.old_values == {"seconds": 300 * 60} and event.new_values == {"seconds": 330 * 60}


def test_tags_edited_between_exports_update_the_entry(studio: Session) -> None:
    import_file(studio, path=FIX / "toggl_detailed_week1.csv")
    s = import_file(studio, path=FIX / "toggl_detailed_week1_reexport.csv")
    assert (s.imported, s.updated, s.unchanged) == (1, 1, 1)
    edited = studio.scalars(select(WorkLog).where(WorkLog.work_date == dt.date(2025, 4, 7))).one()
    assert edited.ai_assisted_fraction == 1.0 and "AI" in edited.note
    event = studio.scalars(select(AuditEvent).where(AuditEvent.action == "import.update.work_log")).one()
    assert event.old_values["ai_assisted_fraction"] == 0.0


def test_unknown_people_go_to_review_or_are_created(session: Session, tmp_path: Path) -> None:
    session.add(Production(title=TITLE, kind="tv"))
    session.commit()
    s = import_file(session, path=FIX / "kitsu_time_spent_2025-04-01.csv")
    assert s.rejected_by_reason.get("unknown_person") == 4 and s.review_queue == 3  # one review per name
    reviews = session.scalars(select(PersonMatchReview).where(PersonMatchReview.batch_id == s.batch_id)).all()
    assert sorted(r.name for r in reviews) == ["Taro Suzuki", "Unknown Artist", "山田 花子"]
    created = import_file(session, path=FIX / "kitsu_time_spent_2025-04-01.csv", create_people=True)
    assert created.details["people_created"] == 3 and created.imported == 4


def test_ambiguous_name_is_never_guessed(studio: Session, tmp_path: Path) -> None:
    studio.add(Person(display_name="山田 花子"))  # a second person with the same name
    studio.commit()
    f = tmp_path / "wl.csv"
    f.write_text("person,work_date,minutes,production\n山田花子,2025-04-01,60,星の庭\n", encoding="utf-8")
    s = import_file(studio, path=f)
    assert s.rejected_by_reason == {"ambiguous_person": 1} and s.review_queue == 1
    review = studio.scalars(select(PersonMatchReview)).one()
    assert len(review.candidate_ids["ids"]) == 2


def test_locked_pay_period_refuses_changes(studio: Session) -> None:
    studio.add(PayPeriodLock(period_start=dt.date(2025, 3, 1), period_end=dt.date(2025, 3, 31), locked_by="boss"))
    studio.commit()
    s = import_file(studio, path=FIX / "pay_items.csv")
    assert s.rejected_by_reason == {"pay_period_locked": 1, "bad_amount": 1} and s.imported == 2
    reason = studio.scalars(select(RejectedRow.reason).where(RejectedRow.reason_code == "pay_period_locked")).one()
    assert "2025-03-01" in reason and "locked" in reason
    item = studio.scalars(select(PayItem).where(PayItem.basis == "per_cut")).one()
    assert (item.amount, item.units, item.commission_date) == (11400, 3, dt.date(2025, 3, 25))


def test_dry_run_writes_nothing(studio: Session) -> None:
    before = (_count(studio, WorkLog), _count(studio, ImportBatch), _count(studio, RejectedRow))
    s = import_file(studio, path=FIX / "work_logs.csv", dry_run=True)
    assert s.dry_run and s.batch_id is None and s.imported == 3 and len(s.rejected_preview) == 5
    assert (_count(studio, WorkLog), _count(studio, ImportBatch), _count(studio, RejectedRow)) == before


def test_fatal_error_leaves_nothing_and_is_logged(studio: Session, tmp_path: Path) -> None:
    f = tmp_path / "broken.csv"
    good = "".join(f"hanako@example.jp,2025-06-{1 + i % 28:02d},{i % 500},{TITLE},G{i}\n" for i in range(5000))
    # Valid rows past the encoding sniff and past the first written chunk, then bytes that are not text.
    f.write_bytes(b"email,work_date,minutes,production,external_id\n" + good.encode() + b"\xff\xfe\x00bad\n" * 50)
    before = _count(studio, WorkLog)
    with pytest.raises(ImportFailed):
        import_file(studio, path=f)
    assert _count(studio, WorkLog) == before
    assert studio.scalars(select(ImportBatch.status).order_by(ImportBatch.id.desc())).first() == "failed"


def test_unknown_header_is_a_clear_error(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("alpha,beta,gamma,delta\n1,2,3,4\n", encoding="utf-8")
    with pytest.raises(UnknownFormat, match="matches no known format"):
        detect(f)


def test_rejected_rows_download(studio: Session) -> None:
    s = import_file(studio, path=FIX / "work_logs.csv")
    data = rejected_rows_csv(studio, batch_id=s.batch_id)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["reason_code"] for r in rows] == [
        "inconsistent_minutes",
        "unknown_production",
        "unknown_role",
        "blank_line",
        "totals_row",
    ]
    assert rows[2]["line"] == "7" and rows[2]["column"] == "role" and rows[2]["value"] == "ラスボス"
    assert "ラスボス" in rows[2]["raw"]


def test_templates_import_as_csv_and_xlsx(session: Session, tmp_path: Path) -> None:
    paths = write_templates(tmp_path)
    assert len(paths) == 2 * len(templated())
    shipped = ROOT / "data" / "importers" / "templates"
    for p in paths:  # the shipped templates are the generated ones
        assert (shipped / p.name).exists(), f"template {p.name} not shipped"
        if p.suffix == ".csv":
            assert (shipped / p.name).read_bytes() == p.read_bytes()
    session.add(Production(title=TITLE, kind="tv"))
    session.commit()
    for stem in (
        "people",
        "work_logs",
        "pay_items",
        "ai_usage",
        "credits",
        "employments",
        "labor_agreements",
        "annual_leave",
    ):
        for ext in ("xlsx", "csv"):
            s = import_file(session, path=tmp_path / f"{stem}.{ext}")
            balanced(s)
            assert s.rejected == 0, (stem, ext, s.rejected_preview)
            assert s.format == f"canonical_{stem}"
            assert s.rows_total == 1
            assert (s.imported, s.unchanged, s.updated) in ((1, 0, 0), (0, 1, 0)), (stem, ext)
    assert _count(session, AiUsage) == 1


def test_progress_callback_reaches_the_total(studio: Session, tmp_path: Path) -> None:
    f = tmp_path / "big.csv"
    lines = ["email,work_date,minutes,production,external_id"]
    lines += [f"hanako@example.jp,2025-05-{1 + i % 28:02d},{i % 600},{TITLE},X{i}" for i in range(4500)]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    calls: list[tuple[int, int | None]] = []
    s = import_file(studio, path=f, progress=lambda done, total: calls.append((done, total)))
    assert s.imported == 4500
    assert calls[0] == (2000, 4500) and calls[-1] == (4500, 4500)


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert cli([str(FIX / "people.csv"), "--database-url", db]) == 0
    out = capsys.readouterr().out
    assert "format canonical_people" in out and "rejected   2" in out and "blank_line" in out
    assert cli([str(FIX / "credit_roll.txt"), "--database-url", db]) == 1  # no --production: fatal
    assert "pass --production" in capsys.readouterr().err
    shutil.copy(FIX / "kimai_ja.csv", tmp_path / "k.csv")
    assert cli([str(tmp_path / "k.csv"), "--database-url", db, "--production", TITLE, "--dry-run"]) == 0
    assert "DRY RUN" in capsys.readouterr().out


def test_chunks_mixing_new_and_existing_rows_are_compared_row_by_row(studio: Session, tmp_path: Path) -> None:
    """New chunks go in with one insert; a chunk holding any existing row is compared row by row instead."""

    def write(name: str, ids: range, changed: int | None = None, dup: int | None = None) -> Path:
        f = tmp_path / name
        lines = ["email,work_date,start_time,end_time,break_minutes,production,external_id"]
        for i in ids:
            end = "20:00" if i == changed else "19:00"
            lines.append(f"hanako@example.jp,2025-05-{1 + i % 28:02d},10:00,{end},60,{TITLE},X{i}")
            if i == dup:
                lines.append(lines[-1])
        f.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return f

    first = import_file(studio, path=write("a.csv", range(3000), dup=2500))
    assert (first.imported, first.rejected_by_reason) == (3000, {"duplicate_row": 1})
    second = import_file(studio, path=write("b.csv", range(1000, 5000), changed=1500))
    balanced(second)
    assert (second.imported, second.updated, second.unchanged, second.rejected) == (2000, 1, 1999, 0)
    assert _count(studio, WorkLog) == 5000
    event = studio.scalars(select(AuditEvent).where(AuditEvent.action == "import.update.work_log")).one()
    assert (event.old_values["seconds"], event.new_values["seconds"]) == (480 * 60, 540 * 60)
    again = import_file(studio, path=write("c.csv", range(5000)))
    assert (again.imported, again.updated, again.unchanged) == (0, 1, 4999)


def test_reformatted_reexport_is_unchanged_not_updated(studio: Session, tmp_path: Path) -> None:
    """The content hash is of the row's text: a re-export that writes the same values differently is compared
    column by column, found unchanged, and then remembered, so the third import skips the compare."""
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(
        f"email,work_date,start_time,end_time,break_minutes,production,external_id\n"
        f"hanako@example.jp,2025-05-01,09:00,18:00,60,{TITLE},R1\n"
        f"hanako@example.jp,2025-05-02,09:00,18:00,60,{TITLE},R2\n",
        encoding="utf-8",
    )
    b.write_text(  # other column order, H:MM times, padding, upper-case email
        f"external_id,production,email,work_date,break_minutes,start_time,end_time\n"
        f"R1,{TITLE},HANAKO@example.jp,2025-05-01,60, 9:00,18:00\n"
        f"R2,{TITLE},hanako@example.jp,2025-05-02,60,9:00,18:30\n",
        encoding="utf-8",
    )
    assert import_file(studio, path=a).imported == 2
    s = import_file(studio, path=b)
    assert (s.imported, s.updated, s.unchanged) == (0, 1, 1)
    event = studio.scalars(select(AuditEvent).where(AuditEvent.action == "import.update.work_log")).one()
    assert (event.old_values["seconds"], event.new_values["seconds"]) == (480 * 60, 510 * 60)
    stored = dict(studio.execute(select(WorkLog.source_key, WorkLog.content_hash)).all())
    assert set(stored) == {"canonical_work_logs:id:R1", "canonical_work_logs:id:R2"}
    again = import_file(studio, path=b)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 2)
    assert dict(studio.execute(select(WorkLog.source_key, WorkLog.content_hash)).all()) == stored


def test_entries_imported_before_readable_keys_are_not_imported_twice(studio: Session, tmp_path: Path) -> None:
    """A database from before migration 0006 holds hashed source ids; re-importing the same file finds those
    entries (and gives them the readable key) instead of adding them again."""
    f = tmp_path / "old.csv"
    f.write_text(
        "email,work_date,minutes,production,external_id\n"
        + "".join(f"hanako@example.jp,2025-06-{1 + i:02d},{60 + i},{TITLE},OLD{i}\n" for i in range(5)),
        encoding="utf-8",
    )
    first = import_file(studio, path=f)
    assert first.imported == 5
    fmt = "canonical_work_logs"
    for i in range(5):  # what the earlier importer stored
        studio.execute(
            update(WorkLog)
            .where(WorkLog.source_key == f"{fmt}:id:OLD{i}")
            .values(source_key=f"{fmt}:{digest((fmt, 'id', f'OLD{i}'))}")
        )
    studio.execute(update(ImportBatch).where(ImportBatch.id == first.batch_id).values(key_scheme=1))
    studio.commit()
    again = import_file(studio, path=f)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 5)
    assert _count(studio, WorkLog) == 5
    keys = set(studio.scalars(select(WorkLog.source_key)))
    assert keys == {f"{fmt}:id:OLD{i}" for i in range(5)}
    assert studio.scalar(select(ImportBatch.key_scheme).where(ImportBatch.id == again.batch_id)) == 2


def test_sqlite_import_cache_is_widened_only_during_the_import(studio: Session, tmp_path: Path) -> None:
    if studio.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite-only setting")

    def cache_size() -> int:
        return studio.connection().exec_driver_sql("PRAGMA cache_size").scalar_one()

    before = cache_size()
    f = tmp_path / "big.csv"
    lines = ["email,work_date,minutes,production,external_id"]
    lines += [f"hanako@example.jp,2025-06-{1 + i % 28:02d},{i % 600},{TITLE},C{i}" for i in range(2500)]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    during: list[int] = []
    s = import_file(studio, path=f, progress=lambda done, total: during.append(cache_size()))
    assert s.imported == 2500
    assert during and set(during) == {-65536} != {before}
    assert cache_size() == before


def test_a_file_that_names_no_production_is_refused_with_what_to_do_per_place(session: Session) -> None:
    """Credit-roll text names no production: the import needs one, and says so in the words of the place it runs
    in (a flag on the command line, the Production box on the Import page), writing nothing."""
    with pytest.raises(ImportFailed) as caught:
        import_file(session, path=FIX / "credit_roll.txt")
    assert "names no production" in str(caught.value) and "pass --production TITLE" in str(caught.value)
    page = caught.value.message("page")
    assert "names no production" in page and "Production" in page and "--" not in page
    assert _count(session, ImportBatch) == 0
