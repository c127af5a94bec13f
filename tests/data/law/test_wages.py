"""Minimum-wage timelines and Japanese premiums owed, worked by hand (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from data.law.wages import JpPremiums, jp_premiums_owed, rate_on
from data.reference import seed_values

RATES = JpPremiums.from_values(seed_values("JP"))


def test_rate_on_takes_the_latest_revision_in_force() -> None:
    tokyo = [(dt.date(2024, 10, 1), Decimal("1163")), (dt.date(2025, 10, 3), Decimal("1226"))]
    assert rate_on(tokyo, dt.date(2024, 9, 30)) is None
    assert rate_on(tokyo, dt.date(2025, 10, 2)) == Decimal("1163")
    assert rate_on(tokyo, dt.date(2025, 10, 3)) == Decimal("1226")


def test_jp_premiums_owed() -> None:
    # Base ¥1,500/h. 70 h overtime: 60 h × 25 % + 10 h × 50 % = 22,500 + 7,500 = ¥30,000.
    # 8 h statutory-holiday work × 35 % = ¥4,200; 10 h late night × 25 % = ¥3,750.
    owed = jp_premiums_owed([1500.0], [70.0], [8.0], [10.0], RATES)
    assert owed.overtime.tolist() == pytest.approx([30000.0])
    assert owed.holiday.tolist() == pytest.approx([4200.0])
    assert owed.night.tolist() == pytest.approx([3750.0])
