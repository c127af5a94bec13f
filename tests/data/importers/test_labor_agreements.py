"""The Article 36 labor agreements import: agreements by organization and period, bad rows rejected with their reason,
and an imported agreement changing the findings (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.findings import findings
from analytics.findings.snapshot import studio_findings
from data.importers import detect, import_file
from data.importers.kinds import labor_agreements
from data.schema import AuditEvent, LaborAgreement, Organization, RejectedRow
from tests.data.importers.helpers import FIX, balanced, count, write_csv
from tests.data.importers.test_employments import EMPLOYMENT_HEADER, GOOD

AGREEMENT_HEADER = [c.name for c in labor_agreements.COLUMNS]
D = dt.date


@pytest.fixture
def studio(session: Session) -> Session:
    """The three people of the employments' tests (hanako@example.jp among them)."""
    assert import_file(session, path=FIX / "people.csv").imported == 3
    return session


AGREEMENTS = [
    {"organization": "スタジオ星", "valid_from": "2024-04-01", "valid_to": "2025-03-31", "employee_count": "45"},
    {
        "organization": "株式会社スタジオ星",
        "special_clause": "はい",
        "valid_from": "2025-04-01",
        "valid_to": "2026-03-31",
    },
    {"organization": "Seiran Douga", "has_36_agreement": "0", "valid_from": "2024-04-01", "employee_count": "0"},
]


def test_labor_agreements(session: Session, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "agreements.csv", AGREEMENT_HEADER, AGREEMENTS)
    assert detect(f) == "canonical_labor_agreements"
    s = import_file(session, path=f)
    balanced(s)
    assert (s.format, s.imported, s.rejected, s.details["organizations_created"]) == (
        "canonical_labor_agreements",
        3,
        0,
        2,
    )
    orgs = dict(session.execute(select(Organization.name, Organization.employee_count)).all())
    assert orgs == {"スタジオ星": 45, "Seiran Douga": 0}
    rows = session.execute(
        select(
            Organization.name,
            LaborAgreement.valid_from,
            LaborAgreement.valid_to,
            LaborAgreement.has_36_agreement,
            LaborAgreement.special_clause,
            LaborAgreement.variable_hours_1y,
        )
        .join(Organization, Organization.id == LaborAgreement.organization_id)
        .order_by(Organization.name, LaborAgreement.valid_from)
    ).all()
    assert [tuple(r) for r in rows] == [
        ("Seiran Douga", D(2024, 4, 1), None, False, False, False),
        ("スタジオ星", D(2024, 4, 1), D(2025, 3, 31), True, False, False),
        ("スタジオ星", D(2025, 4, 1), D(2026, 3, 31), True, True, False),
    ]
    again = import_file(session, path=f)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 3)
    assert not session.scalars(select(AuditEvent).where(AuditEvent.action.like("import.update.%"))).all()

    # A changed clause updates the agreement; a changed count updates the organization; both audited.
    changed = [dict(AGREEMENTS[0], employee_count="52"), dict(AGREEMENTS[1], variable_hours_1y="true"), AGREEMENTS[2]]
    s = import_file(session, path=write_csv(tmp_path / "agreements2.csv", AGREEMENT_HEADER, changed))
    balanced(s)
    assert (s.imported, s.updated, s.unchanged) == (0, 2, 1)
    events = {e.action: e for e in session.scalars(select(AuditEvent).where(AuditEvent.action.like("import.update.%")))}
    assert events["import.update.organization"].old_values == {"employee_count": 45}
    assert events["import.update.organization"].new_values == {"employee_count": 52}
    assert events["import.update.labor_agreement"].old_values == {"variable_hours_1y": False}
    assert events["import.update.labor_agreement"].new_values == {"variable_hours_1y": True}
    assert session.scalar(select(Organization.employee_count).where(Organization.name == "スタジオ星")) == 52


def test_bad_labor_agreement_rows(session: Session, tmp_path: Path) -> None:
    good = {"organization": "スタジオ星", "valid_from": "2025-04-01", "employee_count": "45"}
    rows = [
        good,
        {"organization": "スタジオ星", "valid_from": "2024-04-01", "employee_count": "46"},
        {"organization": "スタジオ星", "valid_from": "2026-04-01", "valid_to": "2026-03-31"},
        {"organization": "スタジオ星", "valid_from": "2026-04-01", "has_36_agreement": "no", "special_clause": "yes"},
        {"organization": "スタジオ星", "valid_from": "2026-04-01", "employee_count": "-1"},
        {"organization": "スタジオ星", "valid_from": "2026-04-01", "employee_count": "4.5"},
        {"organization": "スタジオ星", "valid_from": "2026-04-01", "employee_count": "inf"},
        {"organization": "スタジオ星", "valid_from": "2026-04-01", "special_clause": "maybe"},
        {"organization": "", "valid_from": "2026-04-01"},
        {"organization": "スタジオ星", "valid_from": ""},
        good,
    ]
    s = import_file(session, path=write_csv(tmp_path / "a.csv", AGREEMENT_HEADER, rows))
    balanced(s)
    got = [
        (r.line, r.reason_code, r.column)
        for r in session.scalars(
            select(RejectedRow).where(RejectedRow.batch_id == s.batch_id).order_by(RejectedRow.line)
        )
    ]
    assert got == [
        (3, "conflicting_value", "employee_count"),
        (4, "bad_period", "valid_to"),
        (5, "inconsistent_value", "special_clause"),
        (6, "out_of_range", "employee_count"),
        (7, "bad_number", "employee_count"),
        (8, "bad_number", "employee_count"),
        (9, "bad_boolean", "special_clause"),
        (10, "missing_value", "organization"),
        (11, "missing_value", "valid_from"),
        (12, "duplicate_row", None),
    ]
    assert s.imported == 1 and count(session, LaborAgreement) == 1


def test_an_imported_agreement_changes_the_findings(studio: Session, tmp_path: Path) -> None:
    """Overtime without an Article 36 agreement is a finding; the agreement imported afterwards removes it, and the
    stored snapshot follows (agreements are not in the rollups: the write invalidates the whole snapshot)."""
    import_file(studio, path=write_csv(tmp_path / "c.csv", EMPLOYMENT_HEADER, [GOOD]))
    days = [D(2025, 6, 2) + dt.timedelta(days=i) for i in range(5)]
    logs = tmp_path / "logs.csv"
    logs.write_text(  # 10 h a day: 2 h overtime each day
        "email,work_date,minutes\n" + "".join(f"hanako@example.jp,{d},600\n" for d in days), encoding="utf-8"
    )
    import_file(studio, path=logs)
    before = studio_findings(session=studio)
    studio.commit()
    f = write_csv(tmp_path / "a.csv", AGREEMENT_HEADER, [{"organization": "スタジオ星", "valid_from": "2025-04-01"}])
    assert import_file(studio, path=f).imported == 1
    after = studio_findings(session=studio)
    studio.commit()
    pd.testing.assert_frame_equal(after, findings(session=studio))
    assert set(before["rule_id"]) - set(after["rule_id"]), "the agreement must clear a no-agreement finding"
