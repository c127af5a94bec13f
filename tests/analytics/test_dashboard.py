"""The manager pages' tables assembled from frames: findings split by topic, the heatmap's people, pay tables."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics import dashboard
from analytics.dashboard import PAY_RULES, WORKLOAD_RULES, pay_tables, split_findings, workload_tables
from analytics.people import display_name, label

D = dt.date


def findings_frame(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"rule_id": r, "severity": s, "person_id": p, "person": f"P{p}", "period_start": D(2025, 10, 1),
             "period_end": D(2025, 10, 31), "measured_value": 1.0, "threshold": 0.0, "unit": "h", "explanation": r}
            for r, s, p in rows
        ]
    )  # fmt: skip


def test_findings_are_split_by_topic_most_severe_first(monkeypatch) -> None:
    found = findings_frame([("JP-OW-05", "advocacy_flag", 1), ("JP-HRS-01", "violation", 2), ("JP-MW-01", "violation",
                            1), ("JP-DISC-01", "warning", 3), ("JP-FL-02", "advocacy_flag", 2)])  # fmt: skip
    view = split_findings(found)
    assert view.hours["rule_id"].tolist() == ["JP-HRS-01", "JP-OW-05", "JP-DISC-01"]
    assert view.pay["rule_id"].tolist() == ["JP-MW-01", "JP-FL-02"]
    # The person's id stays with each finding, so a row leads to the person page (the page does not show it).
    assert view.hours["person_id"].tolist() == [2, 1, 3] and (view.hours_total, view.pay_total) == (3, 2)
    assert view.counts["findings"].sum() == 5
    monkeypatch.setattr(dashboard, "TABLE_ROWS", 1)
    capped = split_findings(found)
    assert capped.hours["rule_id"].tolist() == ["JP-HRS-01"] and capped.hours_total == 3
    empty = split_findings(found.iloc[:0])
    assert empty.hours.empty and list(empty.counts.columns) == ["rule_id", "severity", "findings"]
    assert set(WORKLOAD_RULES).isdisjoint(PAY_RULES)


def test_names_read_native_first_with_romaji_beside() -> None:
    assert display_name("山田", "花子", "山田花子", "Hanako", "Yamada") == "山田花子 (Hanako Yamada)"
    assert display_name("Smith", "Anna", "Anna Smith", None, None) == "Anna Smith"  # Latin: given name first
    assert display_name(None, None, "みさき", None, None) == "みさき"
    names = pd.DataFrame([(1, "山田", "花子", "山田花子", "Hanako", "Yamada"), (2, None, None, "B", None, None)],
                         columns=["person_id", "family_name", "given_name", "display_name", "given_romaji",
                                  "family_romaji"])  # fmt: skip
    employment = pd.DataFrame({"person_id": [1], "employment_type": ["employee_regular"]})
    roles = pd.DataFrame({"person_id": [1, 1], "main_role": ["Layout", "Key Animation"],
                          "department": ["animation"] * 2, "seconds": [3600, 36000]})  # fmt: skip
    out = label(names, employment, roles)
    assert out.values.tolist() == [
        [1, "山田花子 (Hanako Yamada)", "employee_regular", "Key Animation", "animation"],
        [2, "B", "freelancer", "unassigned", "unassigned"],
    ]


def test_workload_tables_keep_the_people_with_most_hours(monkeypatch) -> None:
    monkeypatch.setattr(dashboard, "HEATMAP_PEOPLE", 1)
    weekly = pd.DataFrame({"person_id": [1, 2, 2], "week_start": pd.to_datetime(["2025-10-05"] * 3),
                           "hours": [50.0, 30.0, 30.0]})  # fmt: skip
    names = pd.DataFrame({"person_id": [1, 2], "name": ["A", "B"], "employment_type": ["freelancer"] * 2})
    overtime = pd.DataFrame({"person_id": [1, 2], "month": pd.to_datetime(["2025-10-01"] * 2), "hours": [50.0, 60.0],
                             "ot_hours": [10.04, 20.0], "holiday_hours": [0.0, 1.0],
                             "ot_plus_holiday_hours": [10.04, 21.0]})  # fmt: skip
    by_department = pd.DataFrame({"month": [], "department": [], "hours": [], "people": [], "units": []})
    view = workload_tables(weekly, names, by_department, overtime)
    assert view.weekly["name"].unique().tolist() == ["B"] and view.people_total == 2  # 60 h beats 50 h
    assert view.overtime["name"].tolist() == ["B", "A"] and view.overtime.iloc[1]["ot_hours"] == 10.0
    assert list(view.by_department.columns) == ["month", "department", "hours", "people"]


def test_pay_tables_put_months_below_the_minimum_wage_first() -> None:
    pay = pd.DataFrame({"person_id": [1, 2, 3], "month": pd.to_datetime(["2025-10-01"] * 3), "currency": ["JPY"] * 2
                        + ["USD"], "hours": [100.0, 100.0, 10.0], "pay_amount": [90_000.0, 200_000.0, 500.0],
                        "pay_per_hour": [900.0, 2_000.0, 50.0], "base_pay_per_hour": [900.0, 2_000.0, 50.0],
                        "mw_max_per_hour": [1_163.0, 1_163.0, 16.5], "below_mw": [True, False, False]})  # fmt: skip
    names = pd.DataFrame({"person_id": [1, 2, 3], "name": list("ABC"), "employment_type": ["freelancer"] * 3,
                          "main_role": ["Layout"] * 3, "department": ["animation"] * 3})  # fmt: skip
    view = pay_tables(pay, names, pd.DataFrame())
    assert view.monthly["name"].tolist() == ["A", "C", "B"]
    assert view.summary == {"person_months": 2, "below_mw": 1, "median_pay_per_hour": 1_450.0,
                            "typical_mw_per_hour": 1_163.0}  # fmt: skip
    assert view.bins["pay_per_hour_bin"].tolist() == [900.0, 2_000.0]


def test_pay_tables_label_as_text_and_keep_people_the_directory_lacks() -> None:
    # The labels travel as categorical codes inside pay_tables: what comes out is text, with every (role,
    # employment) group seen and none that was not, and a person missing from the directory kept, unlabelled.
    pay = pd.DataFrame({"person_id": [1, 2, 3, 4], "month": pd.to_datetime(["2025-10-01"] * 4),
                        "currency": ["JPY"] * 4, "hours": [100.0] * 4, "pay_amount": [90_000.0, 200_000.0, 150_000.0,
                        120_000.0], "pay_per_hour": [900.0, 2_000.0, 1_500.0, 1_200.0],
                        "base_pay_per_hour": [900.0, 2_000.0, 1_500.0, 1_200.0], "mw_max_per_hour": [1_163.0] * 4,
                        "below_mw": [True, False, False, False]})  # fmt: skip
    names = pd.DataFrame({"person_id": [1, 2, 3], "name": ["山田花子", "B", "C"],
                          "employment_type": ["freelancer", "employee_regular", "freelancer"],
                          "main_role": ["Layout", "Layout", "Key Animation"], "department": ["animation"] * 3}).astype({"name": "str", "employment_type": "str", "main_role": "str",
                                                        "department": "str"})  # fmt: skip
    view = pay_tables(pay, names, pd.DataFrame())
    for frame, columns in ((view.monthly, ["name", "employment_type", "main_role", "department"]),
                           (view.bins, ["employment_type"]), (view.by_role, ["main_role", "employment_type"])):  # fmt: skip
        for column in columns:
            assert frame[column].dtype == names["name"].dtype, (column, frame[column].dtype)
    assert view.monthly["person_id"].tolist() == [1, 4, 3, 2] and view.monthly["name"].isna().tolist() == [
        False, True, False, False]  # fmt: skip
    groups = set(zip(view.by_role["main_role"], view.by_role["employment_type"], strict=True))
    assert groups == {("Layout", "freelancer"), ("Layout", "employee_regular"), ("Key Animation", "freelancer")}
    assert sorted(view.bins["employment_type"].tolist()) == ["employee_regular", "freelancer", "freelancer"]
