"""Cost per episode and per cut computed on frames."""

from __future__ import annotations

import pandas as pd

from analytics.cost import CUT_COLUMNS, EPISODE_COLUMNS, cut_costs, episode_costs


def test_episode_costs_keep_episodes_with_work_or_pay() -> None:
    rows = pd.DataFrame(
        [
            (1, "Sky", 10, "2", 2, 4.0, 24.0, 18_000.0),
            (1, "Sky", 11, "1", 1, 4.0, 48.0, 48_000.0),
            (1, "Sky", 12, "3", 3, None, None, None),  # nothing yet: left out
            (2, "Ark", 20, "1", 1, None, 10.0, None),  # hours without pay, and no cut list
        ],
        columns=["production_id", "production", "episode_id", "episode", "number", "cuts", "hours", "pay_amount"],
    )
    out = episode_costs(rows)
    assert list(out.columns) == EPISODE_COLUMNS
    assert out[["production", "episode", "cuts"]].values.tolist() == [["Ark", "1", 0], ["Sky", "1", 4], ["Sky", "2", 4]]
    assert out["cost_per_cut"].tolist()[1:] == [12_000.0, 4_500.0] and out["hours_per_cut"].tolist()[1:] == [12.0, 6.0]
    assert out.iloc[0][["cost_per_cut", "hours_per_cut"]].isna().all()  # no cut list: no per-cut figure
    assert out["pay_per_hour"].tolist() == [0.0, 1_000.0, 750.0]


def test_cut_costs() -> None:
    rows = pd.DataFrame(
        [(1, "1", 5, "1", 12.0, 6.0, 9_000.0), (1, "1", 6, "2", None, None, None), (1, "1", 7, "3", None, None, 500.0)],
        columns=["episode_id", "episode", "cut_id", "cut_number", "hours", "ai_hours", "pay_amount"],
    )
    out = cut_costs(rows)
    assert list(out.columns) == CUT_COLUMNS
    assert out["cut_number"].tolist() == ["1", "3"]
    assert out.iloc[0]["pay_per_hour"] == 750.0 and pd.isna(out.iloc[1]["pay_per_hour"])
