"""The piece-rate guarantee, discretionary work and California's premiums and exempt floor (no database)."""

from __future__ import annotations

import numpy as np
import pytest

from data.law.california import CaExemptSalary, CaPremiums
from data.law.discretionary import DiscretionaryWork
from data.law.guarantee import PieceRateGuarantee
from data.law.params import ParameterError
from data.reference import seed_timelines, seed_values

JP, CA = seed_values("JP"), seed_values("US-CA")


def test_piece_rate_guarantee() -> None:
    # Three months of 300,000 JPY for 160 h: 1,875 JPY/h on average; guidance expects 60 % of it, 1,125 JPY/h.
    rules = PieceRateGuarantee.from_values(JP)
    assert (rules.share_of_average, rules.prior_months) == (0.6, 3)
    average = rules.average_per_hour([900_000, 0], [480, 0])
    assert average[0] == 1875 and np.isnan(average[1])
    assert rules.expected(average)[0] == pytest.approx(1125)


def test_discretionary_work_needs_consent_from_april_2024_unless_planning() -> None:
    rules = DiscretionaryWork.from_values(JP)
    assert {"producer", "director", "character_design"} <= rules.covered_roles
    assert "key_animation" not in rules.covered_roles
    months = np.array(["2024-03-01", "2024-04-01", "2024-03-01"], dtype="datetime64[D]")
    assert rules.needs_consent(["professional", "professional", "planning"], months).tolist() == [False, True, True]
    assert rules.article("professional") == "Art. 38-3, from 2024-04-01"
    assert rules.article("planning") == "Art. 38-4"


def test_california_premiums_owed_on_top_of_base_pay() -> None:
    # 20 USD/h: 10 h at 1.5× owe 0.5 × 20 × 10 = 100 USD on top; 2 h at 2× owe 1.0 × 20 × 2 = 40 USD.
    rates = CaPremiums.from_values(CA)
    assert (rates.time_and_half, rates.double) == (1.5, 2.0)
    assert rates.owed(20.0, 10.0, 2.0) == pytest.approx(140.0)


def test_california_weekly_rate_must_match_the_daily_one() -> None:
    values = dict(CA) | {"overtime.weekly": [{"over_h": 40, "rate": 1.75}]}
    with pytest.raises(ParameterError, match="weekly and seventh-day"):
        CaPremiums.from_values(values)


def test_california_exempt_floor_by_year() -> None:
    floors = CaExemptSalary.from_timelines(seed_timelines("US-CA"))
    assert (floors.floor_for(2024), floors.floor_for(2025), floors.floor_for(2026), floors.floor_for(2030)) == (
        None,
        68640,
        70304,
        70304,
    )
