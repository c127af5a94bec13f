"""The overview's figures, the attention list, the AI ledger, an artist's months and the audit log, from frames."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.admin import audit_table
from analytics.ai_view import LEDGER_COLUMNS, ledger_table
from analytics.my_record import monthly_table
from analytics.overview import as_date, attention, headline

D = dt.date


def test_headline_figures() -> None:
    sums = {"seconds": 3_888_000.0, "people": 3, "ai_seconds": 324_000.0, "pay_jpy": 1_140_000.0}
    assert headline(sums) == {"hours": 1_080.0, "people": 3, "pay_jpy": 1_140_000, "pay_jpy_per_hour": 1_056,
                              "ai_assisted_hours_share": 0.0833}  # fmt: skip
    nothing = headline({"seconds": 0.0, "people": 0, "ai_seconds": 0.0, "pay_jpy": 0.0})
    assert (nothing["pay_jpy_per_hour"], nothing["ai_assisted_hours_share"]) == (0.0, 0.0)


def test_attention_lists_only_what_has_a_count_and_names_the_page() -> None:
    counts = {"open_requests": 2, "open_matches": 0, "failed_imports": 1, "rejected_rows": 0, "unlinked_lines": 3,
              "uncredited_org_lines": 0}  # fmt: skip
    out = attention(counts)
    assert out[["severity", "count", "page"]].values.tolist() == [["high", 2, "admin"], ["high", 3, "credits"],
                                                                  ["low", 1, "import"]]  # fmt: skip
    assert "People page" not in " ".join(out["what_to_do"])


def test_dates_from_either_backend() -> None:
    assert as_date("2025-10-01") == D(2025, 10, 1) and as_date(D(2025, 1, 2)) == D(2025, 1, 2) and as_date(None) is None


def test_ledger_names_the_tool_and_the_operator() -> None:
    rows = pd.DataFrame([{"created_at": dt.datetime(2025, 10, 3), "production": "Sky", "episode": "1", "cut": "12",
                          "stage": "generation", "service": "BG-Gen", "version": "1.0", "family_name": "山田",
                          "given_name": "花子", "display_name": "山田花子", "given_romaji": "Hanako",
                          "family_romaji": "Yamada", "post_editors": None, "digital_source_type": "x",
                          "asset_path": "bg/1.png"}])  # fmt: skip
    out = ledger_table(rows)
    assert list(out.columns) == LEDGER_COLUMNS
    assert out.iloc[0][["tool", "operator", "post_editors"]].tolist() == ["BG-Gen 1.0", "山田花子 (Hanako Yamada)", 0]


def test_an_artists_months() -> None:
    rows = pd.DataFrame({"person_id": [1, 1], "month": [D(2025, 1, 1), D(2025, 2, 1)], "currency": ["JPY"] * 2,
                         "hours": [260.04, 0.0], "pay_amount": [180_000.4, 5_000.0]})  # fmt: skip
    out = monthly_table(rows)
    assert out["month"].tolist() == ["2025-01", "2025-02"] and out["hours"].tolist() == [260.0, 0.0]
    assert out["pay_per_hour"].iloc[0] == 692.0 and pd.isna(out["pay_per_hour"].iloc[1])


def test_the_audit_log_never_shows_a_password() -> None:
    rows = pd.DataFrame({"at": [dt.datetime(2025, 1, 1)], "actor": ["m"], "action": ["account.password"],
                         "entity_type": ["account"], "entity_id": ["3"],
                         "old": [{"password_hash": "$argon2id$x", "role": "artist"}], "new": [None]})  # fmt: skip
    out = audit_table(rows)
    assert out.loc[0, "old_values"] == "{'password_hash': '***', 'role': 'artist'}" and out.loc[0, "new_values"] is None
    assert "old" not in out.columns
