"""The dashboard's one way of writing numbers, months, periods and coded values (app_pages/_format.py, _period.py,
_labels.py). No database, no Streamlit run."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from app_pages import _format, _labels, _period
from data import i18n

D = dt.date


def test_text_forms() -> None:
    assert _format.money(34_465_015) == "¥34,465,015" and _format.money(1234.5, "USD") == "$1,234.50"
    assert _format.money(1163, per_hour=True) == "¥1,163/h" and _format.money(None) == "–"
    assert _format.hours(260993.5833) == "260,993.6 h" and _format.share(0.9089) == "90.9%"
    assert _format.month("2025-07-01", "ja") == "2025年7月" and _format.month(D(2025, 7, 1), "en") == "Jul 2025"
    assert _format.span(D(2025, 7, 1), D(2025, 7, 31), "ja") == "2025年7月"
    assert _format.span(D(2025, 5, 1), D(2025, 7, 31), "en") == "May 2025 – Jul 2025"
    assert _format.span(D(2025, 7, 3), D(2025, 7, 20), "en") == "2025-07-03 – 2025-07-20"


def test_stored_instants_are_shown_in_the_studios_zone(monkeypatch) -> None:
    _format.zone.cache_clear()
    monkeypatch.setenv("ENDROLL_TIMEZONE", "Asia/Tokyo")
    try:
        shown = _format.local(pd.Series(pd.to_datetime(["2025-10-15 15:00:00"])))
        assert shown.iloc[0] == pd.Timestamp("2025-10-16 00:00:00")  # 15:00 UTC is midnight in Tokyo
        assert _format.zone_name(dt.datetime(2025, 10, 15, tzinfo=dt.UTC)) == "JST"
    finally:
        _format.zone.cache_clear()


def test_tables_are_presented_for_people() -> None:
    _ = i18n.translator("en")
    frame = pd.DataFrame({"person_id": [1.0, None], "employment_type": ["employee_regular", "freelancer"],
                          "ai_cuts_share": [0.9089, 0.5], "month": ["2025-07-01", "2025-08-01"],
                          "rule_id": ["JP-OW-01", "CA-OT-01"], "cuts": [1093, 2]})  # fmt: skip
    shown = _format.present(frame, _)
    assert shown["employment_type"].tolist() == ["Regular employee", "Freelancer"]
    assert shown["ai_cuts_share"].round(2).tolist() == [90.89, 50.0]
    assert str(shown["person_id"].dtype) == "Int64" and shown["month"].dtype.kind == "M"
    assert shown["rule_id"].iloc[0] == "JP-OW-01 · Over 45 h of overtime in a month"
    config = _format.column_config(shown, _)
    assert config["ai_cuts_share"]["type_config"]["format"] == "%.1f%%"
    assert (config["month"]["type_config"]["type"], config["month"]["type_config"]["format"]) == ("date", "MMM YYYY")
    assert config["employment_type"]["label"] == "Employment"
    assert _format.shown_columns(frame) == ["employment_type", "ai_cuts_share", "month", "rule_id", "cuts"]
    people = _format.for_people(frame, i18n.translator("ja"))
    assert list(people.columns)[:2] == ["雇用形態", "AI支援カットの比率 (%)"]
    assert people.iloc[0, 0] == "正社員"


def test_money_follows_the_currency_of_the_rows() -> None:
    _ = i18n.translator("en")
    yen = _format.column_config(pd.DataFrame({"pay_amount": [34_465_015.0]}), _)
    assert yen["pay_amount"]["type_config"]["format"] == "¥%,.0f"  # the half-width ¥ of every other amount
    usd = _format.column_config(pd.DataFrame({"pay_per_hour": [16.5], "pay_amount": [500.0]}), _, currency="USD")
    assert (usd["pay_per_hour"]["type_config"]["format"], usd["pay_amount"]["type_config"]["format"]) == (
        "$%,.2f/h", "$%,.2f")  # fmt: skip
    both = pd.DataFrame({"currency": ["USD", "JPY"], "pay_amount": [1.0, 2.0]})
    assert _format.currencies(both) == ["JPY", "USD"] and _format.currencies(both.iloc[:1]) == ["USD"]


def test_period_presets() -> None:
    today = D(2026, 2, 10)
    assert _period.preset_range("this_month", today=today) == (D(2026, 2, 1), D(2026, 2, 28))
    assert _period.preset_range("last_month", today=today) == (D(2026, 1, 1), D(2026, 1, 31))
    assert _period.preset_range("this_quarter", today=today) == (D(2026, 1, 1), D(2026, 3, 31))
    assert _period.preset_range("fiscal_year", today=today) == (D(2025, 4, 1), D(2026, 3, 31))
    assert _period.preset_range("fiscal_year", today=D(2026, 4, 1)) == (D(2026, 4, 1), D(2027, 3, 31))
    assert _period.preset_range("last_fiscal_year", today=today) == (D(2024, 4, 1), D(2025, 3, 31))
    assert _period.preset_range("latest_month", today=today, last_work=D(2025, 10, 31)) == (D(2025, 10, 1),
                                                                                           D(2025, 10, 31))  # fmt: skip
    assert _period.preset_range("all", today=today) == (None, None)


def test_coded_values_and_roles_in_both_languages() -> None:
    ja, en = i18n.translator("ja"), i18n.translator("en")
    assert _labels.value_label("department", "production", ja) == "制作"  # the department, not the header 作品
    assert _labels.header("production", ja) == "作品"
    assert _labels.value_label("department", "finishing", ja) == "仕上げ"
    assert _labels.value_label("employment_type", "freelancer", en) == "Freelancer"
    assert _labels.role_name("inbetween", "ja") == "動画" and _labels.role_name("In-Between Animation", "ja") == "動画"
    assert _labels.role_name("animation_director", "en") == "Animation Director"
    assert _labels.value_label("credit_rule", "and_others", ja) == "「ほか」で省略"
    assert _labels.value_label("unit", "kg", en) == "kg"  # a value of no vocabulary stays as it is
    # Every coded value of every vocabulary has its Japanese.
    catalog = i18n._catalog("ja")
    for vocabulary in _labels.VOCABULARIES.values():
        for label in vocabulary.values():
            context = getattr(label, "context", None)
            key = label if context is None else (context, str(label))
            assert key in catalog or label in ("日本語", "English"), label
