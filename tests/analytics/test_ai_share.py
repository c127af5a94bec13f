"""AI-assisted shares, the adoption effect and AI use without an operator, computed on frames."""

from __future__ import annotations

import pandas as pd

from analytics.ai_share import ADOPTION_COLUMNS, adoption, cut_shares, shares, unattributed

OCT, NOV, DEC = (pd.Timestamp(f"2025-{m}-01") for m in (10, 11, 12))


def test_shares_side_by_side_with_months_that_have_only_work_or_only_pay() -> None:
    work = pd.DataFrame({"month": [OCT, NOV], "hours": [10.0, 8.0], "ai_hours": [5.0, 0.0], "units": [4.0, 0.0],
                         "ai_units": [1.0, 0.0], "people": [2, 1]})  # fmt: skip
    pay = pd.DataFrame({"month": [OCT, DEC], "pay_amount": [1_000.0, 500.0], "ai_pay_amount": [250.004, 0.0]})
    out = shares(work, pay, ["month"])
    assert out["month"].tolist() == [OCT, NOV, DEC]
    assert out["ai_hours_share"].tolist() == [0.5, 0.0, 0.0] and out["ai_units_share"].tolist() == [0.25, 0.0, 0.0]
    assert out["ai_pay_share"].tolist() == [0.250004, 0.0, 0.0] and out["ai_pay_amount"].tolist() == [250.0, 0.0, 0.0]
    assert out["hours"].tolist() == [10.0, 8.0, 0.0] and out["people"].tolist() == [2, 1, 0]


def test_shares_without_grouping_are_one_row() -> None:
    work = pd.DataFrame({"hours": [4.0], "ai_hours": [1.0], "units": [0.0], "ai_units": [0.0], "people": [1]})
    pay = pd.DataFrame({"pay_amount": [0.0], "ai_pay_amount": [0.0]})
    row = shares(work, pay, []).iloc[0]
    assert (row["ai_hours_share"], row["ai_units_share"], row["ai_pay_share"]) == (0.25, 0.0, 0.0)


def test_cut_share() -> None:
    rows = pd.DataFrame({"production_id": [1, 1], "production": ["Sky"] * 2, "episode_id": [10, 11],
                         "episode": ["1", "2"], "cuts": [4, 0], "ai_cuts": [1, 0], "ai_usage_records": [3, 0]})  # fmt: skip
    assert cut_shares(rows)["ai_cuts_share"].tolist() == [0.25, 0.0]


def test_adoption_splits_each_department_at_its_first_ai_month() -> None:
    adopted = pd.DataFrame({"department": ["art"], "adopted_month": [NOV]})
    months = pd.DataFrame(
        {
            "department": ["art", "art", "art", "sound"],
            "month": [OCT, NOV, DEC, OCT],
            "hours": [48.0, 12.0, 12.0, 5.0],
            "people": [6, 6, 3, 1],
            "pay_amount": [48_000.0, 9_000.0, None, 100.0],
            "cuts": [4, 1, 1, None],
        }
    )
    out = adoption(adopted, months)
    assert list(out.columns) == ADOPTION_COLUMNS
    art = out[out["department"] == "art"].set_index("period", drop=False)
    assert art.loc["before", ["cuts", "hours_per_cut", "pay_per_cut"]].tolist() == [4, 12.0, 12_000.0]
    assert art.loc["after", ["cuts", "hours", "pay_amount", "people"]].tolist() == [2, 24.0, 9_000.0, 6]
    sound = out[out["department"] == "sound"].iloc[0]
    assert sound["period"] == "before" and pd.isna(sound["adopted_month"]) and pd.isna(sound["hours_per_cut"])
    assert adoption(adopted, months.iloc[:0]).empty


def test_unattributed_ai_use_lists_rejections_and_placeholder_operators_only() -> None:
    rejected = pd.DataFrame({"filename": ["ai.csv"], "line": [7], "value": [""], "reason": ["no operator named"],
                             "reason_code": ["missing_operator"], "production_id": [None]})  # fmt: skip
    operators = pd.DataFrame({"usage_id": [1, 2, 3], "production_id": [5.0, 5.0, None],
                              "operator": ["山田花子", "AI (+Human)", "未定"]})  # fmt: skip
    out = unattributed(rejected, operators)
    assert out[["source", "reference", "value"]].values.tolist() == [
        ["rejected_import", "ai.csv:7", ""],
        ["placeholder_operator", "ai_usage 2", "AI (+Human)"],
        ["placeholder_operator", "ai_usage 3", "未定"],
    ]
    assert out["production_id"].tolist() == [pd.NA, 5, pd.NA]
    assert out.loc[0, "reason"] == "no operator named (missing_operator)"
