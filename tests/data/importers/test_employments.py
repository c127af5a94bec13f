"""Employment contracts and Article 36 labor agreements: imported like every canonical format (every row accounted
for, re-imports idempotent, changes audited), and the rollups and findings follow an imported contract."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.findings import findings
from analytics.findings.snapshot import studio_findings
from analytics.pay import effective_pay
from analytics.scope import Scope
from data.importers import detect, import_file, rejected_rows_csv
from data.importers.kinds import employments
from data.importers.places import Places
from data.importers.registry import markdown
from data.importers.rows import SourceRow
from data.schema import (
    AuditEvent,
    Employment,
    FindingStalePerson,
    ImportBatch,
    LaborAgreement,
    OrgAlias,
    Organization,
    Person,
    PersonMatchReview,
    RejectedRow,
    RollupPersonDay,
)
from tests.data.importers.helpers import (
    FIX,
    ROOT,
    TEMPLATES,
    balanced,
    count,
    person_id,
    write_csv,
)

EMPLOYMENT_HEADER = [c.name for c in employments.COLUMNS]
D = dt.date


def _contracts(session: Session) -> dict[str, Employment]:
    rows = session.execute(select(Person.email, Employment).join(Employment, Employment.person_id == Person.id))
    return {email: e for email, e in rows.all()}


@pytest.fixture
def studio(session: Session) -> Session:
    """Three people: 山田 花子 (hanako@example.jp), 鈴木 太郎 (taro@example.com), García, Ana (ana@example.com)."""
    s = import_file(session, path=FIX / "people.csv")
    assert s.imported == 3
    return session


CONTRACTS = [
    # 東京都 and a corporate mark on the employer: the same studio, one organization.
    {
        "person": "山田 花子",
        "email": "hanako@example.jp",
        "employer": "スタジオ星",
        "employment_type": "employee_regular",
        "prefecture": "東京都",
        "start_date": "2025-04-01",
        "scheduled_monthly_hours": "160",
        "is_exempt": "no",
        "department": "animation",
    },
    {
        "person": "Taro Suzuki",
        "employer": "株式会社スタジオ星",
        "employment_type": "freelancer",
        "jurisdiction": "jp",
        "prefecture": "saitama-ken",
        "start_date": "2025-01-01",
        "end_date": "2025-12-31",
    },
    {
        "email": "ana@example.com",
        "employer": "Hoshi Pictures LA",
        "employment_type": "employee_regular",
        "jurisdiction": "US-CA",
        "city": "los angeles",
        "start_date": "2025-07-01",
        "is_exempt": "yes",
        "department": "Production",
    },
]


def _check_contracts(session: Session) -> None:
    by = _contracts(session)
    assert set(by) == {"hanako@example.jp", "taro@example.com", "ana@example.com"}
    hanako, taro, ana = by["hanako@example.jp"], by["taro@example.com"], by["ana@example.com"]
    assert (hanako.jurisdiction, hanako.prefecture, hanako.city, hanako.start_date, hanako.end_date) == (
        "JP",
        "Tokyo",
        None,
        D(2025, 4, 1),
        None,
    )
    assert (hanako.scheduled_monthly_hours, hanako.is_exempt, hanako.department) == (160.0, False, "animation")
    assert (taro.employment_type, taro.prefecture, taro.end_date, taro.scheduled_monthly_hours) == (
        "freelancer",
        "Saitama",
        D(2025, 12, 31),
        None,
    )
    assert (ana.jurisdiction, ana.prefecture, ana.city, ana.is_exempt, ana.department) == (
        "US-CA",
        None,
        "Los Angeles",  # spelt as the minimum-wage table spells it, so the city's minimum applies
        True,
        "production",
    )
    assert hanako.employer_id == taro.employer_id != ana.employer_id
    names = dict(session.execute(select(Organization.id, Organization.name)).all())
    assert names[hanako.employer_id] == "スタジオ星" and names[ana.employer_id] == "Hoshi Pictures LA"


def test_employments_csv(studio: Session, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "contracts.csv", EMPLOYMENT_HEADER, CONTRACTS)
    assert detect(f) == "canonical_employments"
    s = import_file(studio, path=f)
    balanced(s)
    assert (s.format, s.rows_total, s.imported, s.rejected) == ("canonical_employments", 3, 3, 0)
    assert s.details["organizations_created"] == 2
    _check_contracts(studio)
    kinds = set(studio.scalars(select(Organization.kind)))
    assert kinds == {"other"}  # as the credit importer creates an organization it meets first
    assert count(studio, OrgAlias) == 2


def test_employments_xlsx_with_typed_cells(studio: Session, tmp_path: Path) -> None:
    """A spreadsheet stores dates, numbers and yes/no as typed cells; they read as their CSV text would."""
    from openpyxl import Workbook

    typed = {"start_date": D.fromisoformat, "end_date": D.fromisoformat, "scheduled_monthly_hours": int}
    wb = Workbook()
    ws = wb.active
    ws.append(EMPLOYMENT_HEADER)
    for row in CONTRACTS:
        cells = []
        for col in EMPLOYMENT_HEADER:
            value = row.get(col)
            if value and col in typed:
                value = typed[col](value)
            elif value and col == "is_exempt":
                value = value == "yes"
            cells.append(value)
        ws.append(cells)
    f = tmp_path / "contracts.xlsx"
    wb.save(f)
    assert detect(f) == "canonical_employments"
    s = import_file(studio, path=f)
    balanced(s)
    assert (s.rows_total, s.imported, s.rejected) == (3, 3, 0), s.rejected_preview
    _check_contracts(studio)
    # The same contracts as CSV change nothing.
    again = import_file(studio, path=write_csv(tmp_path / "contracts.csv", EMPLOYMENT_HEADER, CONTRACTS))
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 3)


def test_reimport_is_unchanged_and_a_changed_contract_is_updated_with_an_audit_event(
    studio: Session, tmp_path: Path
) -> None:
    f = write_csv(tmp_path / "contracts.csv", EMPLOYMENT_HEADER, CONTRACTS)
    import_file(studio, path=f)
    before = {e.id: (e.end_date, e.scheduled_monthly_hours) for e in _contracts(studio).values()}
    again = import_file(studio, path=f)
    balanced(again)
    assert (again.imported, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 0)
    assert "organizations_created" not in again.details
    assert count(studio, Employment) == 3 and count(studio, Organization) == 2
    assert not studio.scalars(select(AuditEvent).where(AuditEvent.action.like("import.update.%"))).all()

    changed = [dict(CONTRACTS[0], end_date="2026-03-31", scheduled_monthly_hours="152.5"), *CONTRACTS[1:]]
    s = import_file(studio, path=write_csv(tmp_path / "contracts2.csv", EMPLOYMENT_HEADER, changed))
    balanced(s)
    assert (s.imported, s.updated, s.unchanged) == (0, 1, 2)
    assert count(studio, Employment) == 3
    hanako = _contracts(studio)["hanako@example.jp"]
    assert before[hanako.id] == (None, 160.0)
    assert (hanako.end_date, hanako.scheduled_monthly_hours) == (D(2026, 3, 31), 152.5)
    event = studio.scalars(select(AuditEvent).where(AuditEvent.action == "import.update.employment")).one()
    assert event.entity_id == str(hanako.id)
    assert event.old_values == {"end_date": None, "scheduled_monthly_hours": 160.0}
    assert event.new_values == {"end_date": "2026-03-31", "scheduled_monthly_hours": 152.5}


GOOD = {
    "email": "hanako@example.jp",
    "employer": "スタジオ星",
    "employment_type": "employee_regular",
    "prefecture": "Tokyo",
    "start_date": "2025-04-01",
}
# (row, reason code, column, value): each a rejection of the database's constraints or of what the rules read.
BAD = [
    ({"end_date": "2025-03-31"}, "bad_period", "end_date", "2025-03-31"),
    ({"employment_type": "intern"}, "bad_value", "employment_type", "intern"),
    ({"jurisdiction": "US-NY"}, "bad_value", "jurisdiction", "US-NY"),
    ({"prefecture": "Atlantis"}, "unknown_prefecture", "prefecture", "Atlantis"),
    ({"prefecture": ""}, "missing_value", "prefecture", ""),
    ({"city": "Nerima"}, "bad_value", "city", "Nerima"),
    ({"jurisdiction": "US-CA", "city": "Burbank"}, "bad_value", "prefecture", "Tokyo"),
    ({"scheduled_monthly_hours": "0"}, "out_of_range", "scheduled_monthly_hours", "0"),
    ({"scheduled_monthly_hours": "9600"}, "out_of_range", "scheduled_monthly_hours", "9600"),
    ({"scheduled_monthly_hours": "nan"}, "out_of_range", "scheduled_monthly_hours", "nan"),
    ({"scheduled_monthly_hours": "lots"}, "bad_number", "scheduled_monthly_hours", "lots"),
    ({"is_exempt": "yes"}, "bad_value", "is_exempt", "yes"),
    ({"is_exempt": "perhaps"}, "bad_boolean", "is_exempt", "perhaps"),
    ({"discretionary_work": "sometimes"}, "bad_value", "discretionary_work", "sometimes"),
    ({"employment_type": "freelancer", "discretionary_work": "professional"}, "bad_value", "discretionary_work", None),
    ({"department": "catering"}, "bad_value", "department", "catering"),
    ({"discretionary_consent_date": "2025-04-01"}, "inconsistent_value", "discretionary_consent_date", "2025-04-01"),
    (
        {"discretionary_work": "planning", "discretionary_consent_date": "soon"},
        "bad_date",
        "discretionary_consent_date",
        "soon",
    ),
    ({"piece_rate_guarantee_per_hour": "-1"}, "out_of_range", "piece_rate_guarantee_per_hour", "-1"),
    ({"piece_rate_guarantee_per_hour": "a lot"}, "bad_amount", "piece_rate_guarantee_per_hour", "a lot"),
    (
        {"employment_type": "freelancer", "piece_rate_guarantee_per_hour": "1200"},
        "bad_value",
        "piece_rate_guarantee_per_hour",
        "1200",
    ),
    ({"start_date": "April 1st"}, "bad_date", "start_date", "April 1st"),
    ({"start_date": ""}, "missing_value", "start_date", ""),
    ({"employer": ""}, "missing_value", "employer", ""),
    ({"employer": "株式会社"}, None, None, None),  # a corporate mark alone is still a name: imported
    ({"email": "", "person": ""}, "missing_person", "person", ""),
    ({"employer": "S" * 201}, "out_of_range", "employer", "S" * 201),
]


def test_bad_rows_are_rejected_with_line_column_value_and_reason(studio: Session, tmp_path: Path) -> None:
    rows = [GOOD] + [{**GOOD, **change} for change, *_ in BAD] + [GOOD]  # the last: the first one again
    f = write_csv(tmp_path / "bad.csv", EMPLOYMENT_HEADER, rows)
    s = import_file(studio, path=f)
    balanced(s)
    rejected = {
        r.line: r
        for r in studio.scalars(
            select(RejectedRow).where(RejectedRow.batch_id == s.batch_id).order_by(RejectedRow.line)
        )
    }
    expected_bad = [b for b in BAD if b[1] is not None]
    assert s.imported == 2 and s.rejected == len(expected_bad) + 1 == len(rejected)
    for i, (_change, code, column, value) in enumerate(BAD):
        line = i + 3  # header, GOOD, then BAD in order
        if code is None:
            assert line not in rejected
            continue
        r = rejected[line]
        assert (r.reason_code, r.column) == (code, column), (line, r.reason)
        if value is not None:
            assert r.value == value
        assert r.reason and r.raw
    last = rejected[len(rows) + 1]
    assert last.reason_code == "duplicate_row" and "as line 2" in last.reason
    batch = studio.get(ImportBatch, s.batch_id)
    assert (batch.filename, batch.status, batch.rows_rejected) == ("bad.csv", "committed", s.rejected)
    download = rejected_rows_csv(studio, batch_id=s.batch_id).decode("utf-8-sig")
    assert "end_date 2025-03-31 is before start_date 2025-04-01" in download
    # Nothing else was lost: the good contract and the bare-mark employer are stored, nothing more.
    assert count(studio, Employment) == 2


def test_a_refused_row_rolls_back_alone(studio: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Should the database still refuse a row the parser let through, that row is rejected with the database's
    reason and the rest of the file goes in."""
    real = employments.parse

    def lenient(row: SourceRow, *, places: Places) -> dict:  # a parser that forgot the period check
        out = real(SourceRow(row.line, {**row.cells, "end_date": ""}, row.raw), places=places)
        if row.cells.get("end_date"):
            out["end_date"] = D.fromisoformat(row.cells["end_date"])
        return out

    monkeypatch.setattr(employments, "parse", lenient)
    rows = [{**GOOD, "end_date": "2024-01-01"}, dict(GOOD, email="taro@example.com")]
    s = import_file(studio, path=write_csv(tmp_path / "c.csv", EMPLOYMENT_HEADER, rows))
    balanced(s)
    assert (s.imported, s.rejected_by_reason) == (1, {"database_constraint": 1})
    assert list(_contracts(studio)) == ["taro@example.com"]


def test_unknown_person_is_queued_for_review_or_created(session: Session, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "c.csv", EMPLOYMENT_HEADER, [dict(GOOD, person="新人 一郎", email="ichiro@example.jp")])
    s = import_file(session, path=f)
    assert (s.imported, s.rejected_by_reason, s.review_queue) == (0, {"unknown_person": 1}, 1)
    review = session.scalars(select(PersonMatchReview)).one()
    assert (review.name, review.email) == ("新人 一郎", "ichiro@example.jp")
    assert count(session, Organization) == 0  # the row was rejected before its employer was looked at
    created = import_file(session, path=f, create_people=True)
    assert (created.imported, created.details["people_created"]) == (1, 1)
    person = session.scalars(select(Person).where(Person.email == "ichiro@example.jp")).one()
    assert person.display_name == "新人 一郎"
    assert session.scalars(select(Employment.person_id)).one() == person.id


def test_ambiguous_employer_is_never_guessed(studio: Session, tmp_path: Path) -> None:
    studio.add_all(
        [Organization(name="Studio Hoshi", kind="animation_studio"), Organization(name="STUDIO HOSHI", kind="other")]
    )
    studio.commit()
    s = import_file(
        studio, path=write_csv(tmp_path / "c.csv", EMPLOYMENT_HEADER, [dict(GOOD, employer="studio hoshi")])
    )
    assert s.rejected_by_reason == {"ambiguous_organization": 1}
    reason = studio.scalars(select(RejectedRow.reason).where(RejectedRow.batch_id == s.batch_id)).one()
    assert "Studio Hoshi" in reason and "STUDIO HOSHI" in reason
    # An existing organization is found by its alias as well as its name, and nothing is created.
    oid = studio.scalar(select(Organization.id).where(Organization.name == "Studio Hoshi"))
    studio.add(OrgAlias(organization_id=oid, text="スタジオ星", match_key="スタジオ星"))
    studio.commit()
    s = import_file(studio, path=write_csv(tmp_path / "d.csv", EMPLOYMENT_HEADER, [GOOD]))
    assert s.imported == 1 and "organizations_created" not in s.details
    assert studio.scalar(select(Employment.employer_id)) == oid


def test_dry_run_writes_no_contract_and_no_organization(studio: Session, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "contracts.csv", EMPLOYMENT_HEADER, CONTRACTS)
    s = import_file(studio, path=f, dry_run=True)
    assert s.dry_run and s.imported == 3 and s.details["organizations_created"] == 2
    assert (count(studio, Employment), count(studio, Organization)) == (0, 0)


def test_an_imported_contract_reaches_the_rollups_and_the_findings(studio: Session, tmp_path: Path) -> None:
    """Work logged before any contract has no minimum wage; importing the contract afterwards refreshes that
    person's rollups (all dates), so effective pay tests the hours against Tokyo's minimum wage, the person is named
    for the findings snapshot, and the snapshot then equals findings computed from scratch."""
    days = [D(2025, 6, 2) + dt.timedelta(days=i) for i in range(5)]
    logs = tmp_path / "logs.csv"
    logs.write_text(
        "email,work_date,minutes\n" + "".join(f"hanako@example.jp,{d},480\n" for d in days), encoding="utf-8"
    )
    pay = tmp_path / "pay.csv"
    pay.write_text(  # 40 h for 20,000 yen: 500 yen an hour
        "email,basis,amount,period_start,period_end\nhanako@example.jp,monthly_salary,20000,2025-06-01,2025-06-30\n",
        encoding="utf-8",
    )
    assert import_file(studio, path=logs).imported == 5
    assert import_file(studio, path=pay).imported == 1
    hanako = person_id(studio, "hanako@example.jp")

    def month() -> pd.Series:
        df = effective_pay(studio, scope=Scope(people=[hanako]))
        return df[df["month"] == pd.Timestamp(2025, 6, 1)].iloc[0]

    def mw_rates() -> set:
        return set(studio.scalars(select(RollupPersonDay.mw_rate).where(RollupPersonDay.person_id == hanako)))

    assert mw_rates() == {None}
    assert pd.isna(month()["mw_max_per_hour"]) and not month()["below_mw"]
    before = studio_findings(session=studio)  # stores the snapshot
    studio.commit()
    assert not before["rule_id"].str.startswith("JP-MW").any()
    studio.execute(FindingStalePerson.__table__.delete())  # so what the import names is all there is
    studio.commit()

    contract = dict(GOOD, start_date="2025-04-01", scheduled_monthly_hours="160")
    s = import_file(studio, path=write_csv(tmp_path / "contract.csv", EMPLOYMENT_HEADER, [contract]))
    assert s.imported == 1
    assert set(studio.scalars(select(FindingStalePerson.person_id))) == {hanako}
    tokyo = Decimal("1163")  # Tokyo's minimum wage from 2024-10-01 (data/seed)
    assert mw_rates() == {tokyo}
    employment_id = studio.scalar(select(Employment.id))
    assert set(studio.scalars(select(RollupPersonDay.employment_id).where(RollupPersonDay.person_id == hanako))) == {
        employment_id
    }
    june = month()
    assert (june["mw_max_per_hour"], bool(june["is_employee"]), bool(june["below_mw"])) == (1163.0, True, True)
    assert june["mw_due_amount"] == pytest.approx(40 * 1163)

    fresh = findings(session=studio)
    stored = studio_findings(session=studio)
    studio.commit()
    pd.testing.assert_frame_equal(stored, fresh)
    mine = fresh[fresh["person_id"] == hanako]
    assert "JP-MW-01" in set(mine["rule_id"])

    # Ending the contract before June takes the minimum wage off those days again.
    ended = dict(contract, end_date="2025-05-31")
    s = import_file(studio, path=write_csv(tmp_path / "ended.csv", EMPLOYMENT_HEADER, [ended]))
    assert s.updated == 1
    assert mw_rates() == {None}
    pd.testing.assert_frame_equal(studio_findings(session=studio), findings(session=studio))
    studio.commit()


def test_shipped_templates_import_cleanly(session: Session) -> None:
    import_file(session, path=TEMPLATES / "people.csv")
    for stem in ("employments", "labor_agreements"):
        for ext in ("csv", "xlsx"):
            s = import_file(session, path=TEMPLATES / f"{stem}.{ext}")
            balanced(s)
            assert (s.format, s.rows_total, s.rejected) == (f"canonical_{stem}", 1, 0), s.rejected_preview
            assert (s.imported, s.unchanged) == ((1, 0) if ext == "csv" else (0, 1))
    assert count(session, Employment) == 1 and count(session, LaborAgreement) == 1
    assert session.scalar(select(Organization.employee_count)) == 45


def test_docs_show_the_generated_column_tables() -> None:
    doc = (ROOT / "docs" / "import-formats.md").read_text(encoding="utf-8")
    for fmt in ("canonical_employments", "canonical_labor_agreements"):
        assert markdown(fmt) in doc, f"docs/import-formats.md: paste data.importers.registry.markdown({fmt!r})"


def test_consent_and_piece_rate_guarantee_are_stored_and_read_by_the_rules(studio: Session, tmp_path: Path) -> None:
    row = {
        **GOOD,
        "discretionary_work": "professional",
        "discretionary_consent_date": "2025-04-01",
        "piece_rate_guarantee_per_hour": "1,300",
    }
    s = import_file(studio, path=write_csv(tmp_path / "terms.csv", EMPLOYMENT_HEADER, [row]))
    assert (s.imported, s.rejected) == (1, 0)
    stored = studio.scalars(select(Employment)).one()
    assert (stored.discretionary_consent_date, stored.piece_rate_guarantee_per_hour) == (D(2025, 4, 1), 1300)
    again = import_file(studio, path=write_csv(tmp_path / "again.csv", EMPLOYMENT_HEADER, [row]))
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 1)
