"""Months after a date, as the statutes count them (no database)."""

from __future__ import annotations

import numpy as np

from data.law.calendar import add_months


def test_a_month_later_is_the_same_day_or_the_last_of_a_shorter_month() -> None:
    days = np.array(["2025-03-01", "2025-01-31", "2024-01-31", "2025-08-31", "NaT"], dtype="datetime64[D]")
    later = add_months(days, [1, 1, 1, 6, 1])
    assert [str(d) for d in later] == ["2025-04-01", "2025-02-28", "2024-02-29", "2026-02-28", "NaT"]
    assert str(add_months(np.datetime64("2021-04-01"), 6 + 12)) == "2022-10-01"
