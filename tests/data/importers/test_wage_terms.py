"""The contract terms and pay kinds the wage bases and the week need, through the canonical employment and pay
formats (both databases): scheduled hours a day, the contract's week, variable days off, the daily basis and what
an allowance pays for."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.importers import import_file
from data.importers.kinds import employments, pay_items
from data.schema import Employment, PayItem
from tests.data.importers.helpers import FIX, balanced, person_id, write_csv

D = dt.date


def test_employment_terms_for_the_bases_and_the_week(session: Session, tmp_path: Path) -> None:
    import_file(session, path=FIX / "people.csv")
    base = {"employer": "スタジオ星", "jurisdiction": "JP", "prefecture": "Tokyo", "start_date": "2026-04-01"}
    path = write_csv(
        tmp_path / "e.csv",
        [c.name for c in employments.COLUMNS],
        [
            base | {"email": "hanako@example.jp", "employment_type": "employee_regular",
                    "scheduled_monthly_hours": "160", "scheduled_daily_hours": "7.5", "week_start": "Monday",
                    "days_off_4w_from": "2026-04-05"},
            base | {"email": "taro@example.com", "employment_type": "freelancer", "days_off_4w_from": "2026-04-05"},
            base | {"email": "ana@example.com", "employment_type": "employee_regular", "week_start": "Funday"},
            base | {"email": "ana@example.com", "employment_type": "employee_regular", "start_date": "2026-05-01",
                    "scheduled_daily_hours": "25"},
        ],
    )  # fmt: skip
    summary = import_file(session, path=path)
    balanced(summary)
    assert summary.imported == 1
    assert summary.rejected_by_reason == {"bad_value": 2, "out_of_range": 1}
    e = session.scalars(select(Employment).where(Employment.person_id == person_id(session, "hanako@example.jp")))
    contract = e.one()
    assert (contract.scheduled_daily_hours, contract.week_start, contract.days_off_4w_from) == (
        7.5,
        "MON",
        D(2026, 4, 5),
    )


def test_daily_pay_and_allowance_kinds(session: Session, tmp_path: Path) -> None:
    import_file(session, path=FIX / "people.csv")
    base = {"email": "hanako@example.jp", "period_start": "2026-11-01", "period_end": "2026-11-30"}
    path = write_csv(
        tmp_path / "p.csv",
        [c.name for c in pay_items.COLUMNS],
        [
            base | {"basis": "daily", "amount": "200000", "units": "20", "unit_rate": "10000"},
            base | {"basis": "allowance", "allowance_kind": "通勤手当", "amount": "15000"},
            base | {"basis": "allowance", "allowance_kind": "job", "amount": "10000"},
            base | {"basis": "allowance", "allowance_kind": "pocket money", "amount": "1"},
            base | {"basis": "hourly", "allowance_kind": "family", "amount": "1"},
        ],
    )  # fmt: skip
    summary = import_file(session, path=path)
    balanced(summary)
    assert summary.imported == 3
    assert summary.rejected_by_reason == {"bad_value": 1, "inconsistent_value": 1}
    stored = session.execute(select(PayItem.basis, PayItem.allowance_kind, PayItem.amount).order_by(PayItem.id))
    assert [tuple(r) for r in stored] == [
        ("daily", None, Decimal("200000")),
        ("allowance", "commuting", Decimal("15000")),
        ("allowance", "job", Decimal("10000")),
    ]
