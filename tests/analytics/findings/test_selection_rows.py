"""Which stored findings a scope keeps, on a frame of findings (no database): people, commissions of the selected
productions, and periods that overlap."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.findings import Selection
from analytics.findings.context import EVALUATED_COLUMNS

D = dt.date


def found() -> pd.DataFrame:
    rows = [
        # rule, person, period start, period end, production, commission date
        ("JP-OW-05", 1, D(2025, 9, 22), D(2025, 10, 11), None, None),
        ("JP-HRS-02", 2, D(2025, 11, 1), D(2025, 11, 30), None, None),
        ("JP-FL-02", 1, D(2025, 4, 30), D(2025, 5, 9), 10, D(2025, 3, 1)),
        ("JP-FL-02", 1, D(2025, 6, 30), D(2025, 7, 2), 20, D(2025, 5, 1)),
    ]
    df = pd.DataFrame(
        [
            {"rule_id": r, "severity": "violation", "person_id": p, "group": None, "period_start": a,
             "period_end": b, "measured_value": 1.0, "threshold": 0.0, "unit": "days", "explanation": r,
             "source": "", "reference": "seed", "message": r, "params": "{}",
             "production_id": prod, "scope_date": when}
            for r, p, a, b, prod, when in rows
        ]
    )  # fmt: skip
    df["production_id"] = df["production_id"].astype("Int64")
    return df[EVALUATED_COLUMNS]


def kept(selection: Selection) -> list[tuple[str, int]]:
    rows = selection.rows(found())
    assert "person" not in rows.columns and "production_id" not in rows.columns
    return list(zip(rows["rule_id"], rows["person_id"], strict=True))


def test_everything_when_nothing_is_selected() -> None:
    assert len(kept(Selection())) == 4


def test_people_and_the_commissions_of_any_selected_production() -> None:
    assert kept(Selection(people=[1])) == [("JP-OW-05", 1), ("JP-FL-02", 1), ("JP-FL-02", 1)]
    assert kept(Selection(people=[1], productions=(20,))) == [("JP-OW-05", 1), ("JP-FL-02", 1)]
    assert kept(Selection(people=[1, 2], productions=(10, 20))) == [
        ("JP-OW-05", 1), ("JP-HRS-02", 2), ("JP-FL-02", 1), ("JP-FL-02", 1)
    ]  # fmt: skip
    assert kept(Selection(people=[])) == []


def test_periods_overlap_and_commissions_go_by_their_date() -> None:
    october = Selection(start=D(2025, 10, 1), end=D(2025, 10, 31))
    assert kept(october) == [("JP-OW-05", 1)]  # the streak began in September and still counts
    # A commission is selected by its commission date, not by when payment fell due.
    assert kept(Selection(start=D(2025, 5, 1), end=D(2025, 5, 31))) == [("JP-FL-02", 1)]
    assert kept(Selection(start=D(2025, 11, 30))) == [("JP-HRS-02", 2)]
