"""The overwork lines as the rule parameters seed them (no database)."""

from __future__ import annotations

from data.law.overwork import OverworkLines
from data.reference import seed_values


def test_seeded_lines() -> None:
    lines = OverworkLines.from_values(seed_values("JP"))
    assert (lines.caution_month_h, lines.month_h, lines.average_h, lines.windows_label) == (45, 100, 80, "2–6")
    assert (lines.week_h, lines.streak_days) == (55, 14)
    assert (lines.mental_month_h, lines.mental_weeks_h, lines.strong_loads) == (160, 120, ((2, 120), (3, 100)))
    assert (lines.days_off_per_week, lines.days_off_per_window, lines.window_days, lines.window_weeks) == (1, 4, 28, 4)
