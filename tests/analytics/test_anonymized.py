"""Advocate aggregates computed on frames: summaries per group, and groups under k people suppressed."""

from __future__ import annotations

import pandas as pd

from analytics.anonymized import (
    FINDINGS_COLUMNS,
    HOURS_COLUMNS,
    PAY_COLUMNS,
    findings_counts,
    hours_summary,
    monthly_summary,
    pay_summary,
    suppress,
)


def test_suppress_drops_small_groups_and_counts_them() -> None:
    df = pd.DataFrame({"group": ["a", "b", "c"], "people": [5, 4, 9]})
    kept = suppress(df, 5)
    assert kept["group"].tolist() == ["a", "c"] and kept.attrs == {"suppressed_groups": 1, "k": 5}


def test_hours_summary_per_group() -> None:
    # Person 1: 210 h and 150 h; person 2: 200 h — all in "art".
    rows = pd.DataFrame({"person_id": [1, 1, 2], "group": ["art"] * 3, "seconds": [210 * 3600, 150 * 3600, 200 * 3600]})
    row = hours_summary(rows).iloc[0]
    assert list(hours_summary(rows).columns) == HOURS_COLUMNS
    assert (row["people"], row["person_months"], row["median_monthly_hours"]) == (2, 3, 200.0)
    assert row["share_over_205_hours"] == 1 / 3 and row["p90_monthly_hours"] == 208.0
    assert list(hours_summary(rows.iloc[:0]).columns) == HOURS_COLUMNS


def test_pay_summary_per_group_and_currency() -> None:
    data = pd.DataFrame({"person_id": [1, 2, 3, 4], "group": ["x"] * 4, "currency": ["JPY"] * 3 + ["USD"],
                         "pay_per_hour": [1_000.0, 1_200.0, 1_400.0, 20.0], "below": [1, 0, 0, 0]})  # fmt: skip
    out = pay_summary(data)
    assert list(out.columns) == PAY_COLUMNS
    jpy = out[out["currency"] == "JPY"].iloc[0]
    assert (jpy["people"], jpy["median_pay_per_hour"], jpy["p25_pay_per_hour"], jpy["p75_pay_per_hour"]) == (
        3,
        1_200.0,
        1_100.0,
        1_300.0,
    )
    assert jpy["share_below_mw"] == 1 / 3 and out[out["currency"] == "USD"].iloc[0]["people"] == 1


def test_monthly_summary_counts_person_months() -> None:
    rows = pd.DataFrame(
        {"month": ["2025-10-01"] * 3 + ["2025-11-01"], "seconds": [3600 * 210, 3600 * 100, 3600 * 160, 3600]}
    )
    out = monthly_summary(rows)
    assert out["month"].tolist() == [pd.Timestamp("2025-10-01"), pd.Timestamp("2025-11-01")]
    assert out["people"].tolist() == [3, 1] and out["median_monthly_hours"].tolist() == [160.0, 1.0]
    assert out["share_over_205_hours"].tolist() == [1 / 3, 0.0]


def test_findings_counts_people_without_naming_them() -> None:
    found = pd.DataFrame({"rule_id": ["JP-OW-05"] * 3, "severity": ["advocacy_flag"] * 3, "unit": ["days"] * 3,
                          "person_id": [1, 1, 2], "measured_value": [14.0, 20.0, 15.0], "threshold": [14.0] * 3})  # fmt: skip
    out = findings_counts(found)
    assert list(out.columns) == FINDINGS_COLUMNS
    assert out.iloc[0][["people", "findings", "median_measured_value"]].tolist() == [2, 3, 15.0]
    assert findings_counts(found.iloc[:0]).empty
