"""The Article 36 limits and the multi-month averages, worked by hand (no database)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from data.law.agreement import AgreementLimits, agreement_year, best_window_averages, exceeds, reaches
from data.law.params import ParameterError
from data.reference import seed_values

LIMITS = AgreementLimits.from_values(seed_values("JP"))


def test_seeded_limits() -> None:
    assert (LIMITS.month_h, LIMITS.year_h, LIMITS.variable_month_h, LIMITS.variable_year_h) == (45, 360, 42, 320)
    assert (LIMITS.special_year_h, LIMITS.special_months_max) == (720, 6)
    assert (LIMITS.absolute_month_h, LIMITS.average_h, LIMITS.average_windows) == (100, 80, (2, 3, 4, 5, 6))
    assert LIMITS.windows_label == "2–6"
    assert LIMITS.month_limit([False, True]).tolist() == [45, 42]
    assert LIMITS.year_limit([False, True]).tolist() == [360, 320]


def test_a_missing_limit_is_an_error_naming_its_key() -> None:
    values = seed_values("JP")
    del values["ot_agreement_36.normal.month_h"]
    with pytest.raises(ParameterError, match="ot_agreement_36.normal.month_h"):
        AgreementLimits.from_values(values)


def test_exceeding_and_reaching_a_line_ignore_rounding_only() -> None:
    # 45 h made of seconds / 3600 may land a hair either side of 45: neither exceeds it; 45.1 does.
    assert exceeds([45.0, 45.0 + 1e-12, 45.1], 45).tolist() == [False, False, True]
    assert reaches([99.9, 100.0 - 1e-12, 100.0], 100).tolist() == [False, True, True]
    assert not exceeds(np.nan, 80)  # no window formed is never over the line


def test_agreement_years_run_twelve_months_from_the_agreement() -> None:
    months = np.array(["2025-03", "2026-02", "2026-03", "2027-03"], dtype="datetime64[M]")
    assert agreement_year(months, np.datetime64(dt.date(2025, 3, 15))).tolist() == [0, 0, 1, 2]


def test_best_window_averages() -> None:
    # One person, four months: 99, 61, 99, 0 h. Ending in month 3: 2 months (61 + 99) / 2 = 80, 3 months 259 / 3 =
    # 86.33 (the highest). Ending in month 4: 2 months 49.5, 3 months 53.33, 4 months 64.75 (the highest). Windows
    # do not reach before the first month: month 1 forms none, month 2 only the 2-month one (80).
    best, n = best_window_averages([[99.0, 61.0, 99.0, 0.0]], [0], (2, 3, 4))
    assert np.isnan(best[0, 0]) and n[0, 0] == 0
    assert best[0, 1:].tolist() == pytest.approx([80.0, 259 / 3, 64.75])
    assert n[0, 1:].tolist() == [2, 3, 4]
    # A person whose first month is the third column gets no window before it.
    late, late_n = best_window_averages([[0.0, 0.0, 90.0, 90.0]], [2], (2, 3))
    assert np.isnan(late[0, 2]) and late[0, 3] == 90.0 and late_n[0, 3] == 2
