"""Effective hourly pay and piece rates computed on frames (the rows as analytics.queries.pay returns them)."""

from __future__ import annotations

import pandas as pd

from analytics.pay import COLUMNS, PIECE_RATE_COLUMNS, piece_rates, rates


def months(**overrides) -> pd.DataFrame:
    row = {
        "person_id": 1,
        "month": pd.Timestamp("2025-10-01"),
        "currency": "JPY",
        "hours": 100.0,
        "employee_hours": 60.0,
        "pay_amount": 150_000.0,
        "base_pay_amount": 110_000.0,
        "piece_pay_amount": 0.0,
        "premium_pay_amount": 40_000.0,
        "mw_min_per_hour": 1_113.0,
        "mw_max_per_hour": 1_163.0,
        "mw_due_amount": 116_300.0,
        "mw_shortfall_amount": 6_300.0,
    }
    return pd.DataFrame([row | overrides])


def test_an_employee_month_below_the_wage_in_force() -> None:
    row = rates(months()).iloc[0]
    assert list(rates(months()).columns) == COLUMNS
    assert bool(row["is_employee"])  # 60 of 100 hours under an employee contract
    assert (row["pay_per_hour"], row["base_pay_per_hour"]) == (1_500.0, 1_100.0)
    # Premiums do not count for the minimum-wage test: 1,100 JPY/h base is under the 1,163 JPY/h in force.
    assert bool(row["below_mw"]) and row["mw_shortfall_amount"] == 6_300.0


def test_a_month_at_the_line_or_without_a_known_wage_is_not_below() -> None:
    at_line = rates(months(base_pay_amount=116_300.0)).iloc[0]
    assert not at_line["below_mw"] and at_line["mw_shortfall_amount"] == 0.0
    unknown = rates(months(mw_min_per_hour=None, mw_max_per_hour=None)).iloc[0]
    assert not unknown["below_mw"] and unknown["mw_shortfall_amount"] == 0.0
    assert not rates(months(employee_hours=50.0)).iloc[0]["is_employee"]  # half is not most


def test_no_months_is_an_empty_table_with_the_columns() -> None:
    empty = rates(months().iloc[:0])
    assert empty.empty and list(empty.columns) == COLUMNS


def test_piece_rates_per_unit_and_per_hour() -> None:
    pay = pd.DataFrame(
        [("Key Animation", "per_cut", 4, 40.0, 160_000.0), ("Background Art", "per_background", 1, 10.0, 30_000.0)],
        columns=["role", "basis", "items", "units", "amount"],
    )
    work = pd.DataFrame([("Key Animation", 40.0, 80.0)], columns=["role", "work_units", "hours"])
    out = piece_rates(pay, work)
    assert list(out.columns) == PIECE_RATE_COLUMNS
    assert out["role"].tolist() == ["Background Art", "Key Animation"]
    key = out.iloc[1]
    # 4,000 JPY a cut × 0.5 cuts an hour ≈ 2,000 JPY/h.
    assert (key["rate_per_unit"], key["units_per_hour"], key["implied_pay_per_hour"]) == (4_000.0, 0.5, 2_000.0)
    assert out.iloc[0]["rate_per_unit"] == 3_000.0 and pd.isna(out.iloc[0]["units_per_hour"])  # no hours logged


def test_piece_rates_without_hours_have_no_hourly_figure() -> None:
    pay = pd.DataFrame([("Layout", "per_cut", 1, 5.0, 10_000.0)], columns=["role", "basis", "items", "units", "amount"])
    work = pd.DataFrame([("Layout", 5.0, 0.0)], columns=["role", "work_units", "hours"])
    assert pd.isna(piece_rates(pay, work).iloc[0]["implied_pay_per_hour"])
