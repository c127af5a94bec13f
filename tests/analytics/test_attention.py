"""What the readable dashboard computes on frames: who needs attention in a month, the overtime lines reached, the
studio's own findings first, one way to name a person, the advocate's key facts, an artist's minimum wage per
month, the person page's months. No database."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics import advocate_view
from analytics.dashboard import line_reached, split_findings
from analytics.my_record import monthly_table as artist_months
from analytics.overview import PEOPLE_COLUMNS, attention_month, attention_people
from analytics.people import name_table, native_name, shown_name
from analytics.person_view import MONTH_COLUMNS
from analytics.person_view import monthly_table as person_months
from analytics.scope import Scope

D = dt.date


def finding(rule: str, person: int, measured: float, threshold: float, unit: str = "h", day: int = 1) -> dict:
    return {"rule_id": rule, "severity": "advocacy_flag", "person_id": person, "person": f"P{person}",
            "period_start": D(2025, 7, day), "period_end": D(2025, 7, 31), "measured_value": measured,
            "threshold": threshold, "unit": unit, "explanation": rule}  # fmt: skip


def test_the_attention_month_is_asked_for_or_the_latest_with_work() -> None:
    today = D(2026, 12, 6)
    assert attention_month(Scope(), today=today, last_work=D(2026, 12, 3)) == (D(2026, 12, 1), True)
    assert attention_month(Scope(), today=today, last_work=D(2025, 10, 31)) == (D(2025, 10, 1), False)
    july = Scope(start=D(2025, 7, 1), end=D(2025, 7, 31))
    assert attention_month(july, today=today, last_work=D(2025, 10, 31)) == (D(2025, 7, 1), True)
    assert attention_month(Scope(), today=today, last_work=None) == (None, False)


def test_each_person_is_named_once_per_topic_at_their_worst() -> None:
    found = pd.DataFrame([
        finding("JP-OW-01", 1, 60.0, 45.0), finding("JP-OW-03", 1, 104.5, 100.0), finding("JP-OW-01", 2, 50.0, 45.0),
        finding("JP-MW-01", 2, 1050.0, 1163.0, "JPY/h"), finding("JP-MW-01", 2, 900.0, 1163.0, "JPY/h", day=15),
        finding("JP-OW-05", 3, 16.0, 14.0, "days"), finding("JP-FL-01", 3, 0.0, 0.0, "days"),
        finding("JP-FL-01", 3, 0.0, 0.0, "days", day=9), finding("JP-HRS-06", 3, 3.0, 4.0, "days"),
    ])  # fmt: skip
    out = attention_people(found)
    assert list(out.columns) == PEOPLE_COLUMNS
    rows = [(r.topic, r.person_id, r.rule_id, r.measured_value, r.findings) for r in out.itertuples()]
    assert rows == [
        ("overtime", 1, "JP-OW-03", 104.5, 2),  # the 100 h line before the 45 h one
        ("overtime", 2, "JP-OW-01", 50.0, 1),
        ("minimum_wage", 2, "JP-MW-01", 900.0, 2),  # the lowest pay
        ("no_day_off", 3, "JP-OW-05", 16.0, 1),
        ("freelance_terms", 3, "JP-FL-01", 0.0, 2),  # counted: two commissions
    ]
    assert attention_people(found.iloc[:0]).empty


def test_overtime_lines_come_from_the_parameters_given() -> None:
    hours = pd.Series([30.0, 45.0, 45.5, 80.0, 99.9, 100.0])
    lines = {"caution": 45.0, "average": 80.0, "month": 100.0}
    assert line_reached(hours, lines).fillna(0).tolist() == [0, 0, 45.0, 80.0, 80.0, 100.0]
    moved = {"caution": 40.0, "average": 80.0, "month": 100.0}
    assert line_reached(pd.Series([42.0]), moved).tolist() == [40.0]


def test_the_studios_own_jurisdiction_comes_first() -> None:
    found = pd.DataFrame([
        {**finding("CA-OT-01", 1, 1.0, 2.0, "USD"), "severity": "violation"},
        {**finding("JP-OW-01", 2, 50.0, 45.0)},
        {**finding("JP-HRS-02", 3, 50.0, 45.0), "severity": "violation"},
    ])  # fmt: skip
    tokyo = split_findings(found, home="JP")
    assert tokyo.hours["rule_id"].tolist() == ["JP-HRS-02", "JP-OW-01", "CA-OT-01"] and tokyo.home == "JP"
    la = split_findings(found, home="US-CA")
    assert la.hours["rule_id"].tolist() == ["CA-OT-01", "JP-HRS-02", "JP-OW-01"]


def test_one_way_to_name_a_person() -> None:
    assert native_name("太田", "智子", "太田 智子") == "太田智子"  # family then given, unspaced
    assert native_name("Tanaka", "Emily", "x") == "Emily Tanaka"  # Latin script: given first, spaced
    assert native_name(None, None, " kaz14 ") == "kaz14"
    assert shown_name("太田智子", "Tomoko Ōta", None, "public", language="en") == "太田智子 (Tomoko Ōta)"
    assert shown_name("太田智子", "Tomoko Ōta", None, "public", language="ja") == "太田智子"
    assert shown_name("佐藤美咲", "Misaki Satō", "みさき", "pen_name_only", language="en") == "みさき"
    assert shown_name("佐藤美咲", "Misaki Satō", "みさき", "private", language="en") == "佐藤美咲 (Misaki Satō)"
    assert shown_name("Emily Tanaka", "Emily Tanaka", None, "public", language="en") == "Emily Tanaka"
    rows = pd.DataFrame([{"person_id": 7, "family_name": "太田", "given_name": "智子", "display_name": "太田 智子",
                          "family_romaji": "Ōta", "given_romaji": "Tomoko", "family_kana": "おおた",
                          "given_kana": "ともこ", "pen_name": None, "visibility": "public"}])  # fmt: skip
    assert name_table(rows).iloc[0].tolist() == [7, "太田智子", "Tomoko Ōta", "おおた ともこ", None, "public"]


def test_key_facts_say_what_the_tables_say() -> None:
    pay_role = pd.DataFrame({"group": ["In-Between Animation", "Key Animation", "3DCG"], "currency": ["JPY"] * 3,
                             "people": [12, 9, 6], "person_months": [120, 90, 60],
                             "share_below_mw": [0.91, 0.4, 0.0]})  # fmt: skip
    pay_kind = pd.DataFrame({"group": ["freelancer", "employee_regular"], "currency": ["JPY"] * 2, "people": [20, 9],
                             "person_months": [200, 90], "share_below_mw": [0.6, 0.0]})  # fmt: skip
    hours = pd.DataFrame({"group": ["animation", "art", "sound"], "people": [30, 8, 5], "person_months": [300, 80, 50],
                          "share_over_205_hours": [0.55, 0.6, 0.0]})  # fmt: skip
    found = pd.DataFrame({"rule_id": ["JP-OW-03", "JP-OW-03", "JP-MW-01"], "people": [7, 3, 11]})
    facts = advocate_view.key_facts(
        {"pay_by_role": pay_role, "pay_by_employment": pay_kind, "hours_by_department": hours}, found
    )
    rows = [(r.kind, r.group if isinstance(r.group, str) else None, r.share if r.share == r.share else None,
             r.people, r.rule_id if isinstance(r.rule_id, str) else None) for r in facts.itertuples()]  # fmt: skip
    assert rows == [
        ("below_mw_role", "In-Between Animation", 0.91, 12, None),  # the roles over half
        ("below_mw_employment", "freelancer", 0.6, 20, None),
        ("over_205_department", "art", 0.6, 8, None),
        ("over_205_department", "animation", 0.55, 30, None),
        ("rule_people", None, None, 7, "JP-OW-03"),
        ("rule_people", None, None, 11, "JP-MW-01"),
    ]
    assert not set(facts.columns) & advocate_view.IDENTIFYING


def test_an_artist_sees_each_month_against_the_minimum_wage() -> None:
    rows = pd.DataFrame({"person_id": [1, 1], "month": [D(2025, 1, 1), D(2025, 2, 1)], "currency": ["JPY"] * 2,
                         "hours": [260.0, 100.0], "pay_amount": [180_000.0, 200_000.0]})  # fmt: skip
    pay = pd.DataFrame({"person_id": [1, 1], "month": pd.to_datetime(["2025-01-01", "2025-02-01"]),
                        "base_pay_per_hour": [692.31, 2000.0], "mw_max_per_hour": [1163.0, 1163.0],
                        "below_mw": [True, False]})  # fmt: skip
    out = artist_months(rows, pay)
    assert out[["month", "base_pay_per_hour", "mw_per_hour", "below_mw"]].values.tolist() == [
        ["2025-01", 692.31, 1163.0, True], ["2025-02", 2000.0, 1163.0, False]]  # fmt: skip
    assert artist_months(rows)["below_mw"].tolist() == [False, False]


def test_the_person_page_puts_work_and_pay_side_by_side() -> None:
    work = pd.DataFrame({"month": pd.to_datetime(["2025-01-01", "2025-02-01"]), "hours": [200.0, 150.0],
                         "days_worked": [25, 20], "ot_plus_holiday_hours": [40.0, 10.0], "ai_hours": [0.0, 5.0]})  # fmt: skip
    pay = pd.DataFrame({"person_id": [1], "month": pd.to_datetime(["2025-02-01"]), "currency": ["JPY"],
                        "hours": [150.0], "pay_amount": [150_000.0], "pay_per_hour": [1000.0],
                        "base_pay_per_hour": [1000.0], "mw_max_per_hour": [1163.0], "below_mw": [True]})  # fmt: skip
    out = person_months(work, pay)
    assert list(out.columns) == MONTH_COLUMNS
    assert out["below_mw"].tolist() == [False, True] and out["currency"].tolist() == [None, "JPY"]
    assert out["hours"].tolist() == [200.0, 150.0]
