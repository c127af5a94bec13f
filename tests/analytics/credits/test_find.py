"""Credit lines found by what a person types (the Credits page's line choosers), without a database."""

from __future__ import annotations

import pandas as pd

from analytics.credits.find import lines_matching

LINES = pd.DataFrame(
    {
        "credit_line_id": [3, 12, 30, 31],
        "role": ["原画", "動画", "Douga", None],
        "name": ["山田 花子", "髙橋　一郎", "Emily Tanaka", "未定"],
    }
)


def _ids(text: str) -> list[int]:
    return lines_matching(LINES, text, ["role", "name"])["credit_line_id"].tolist()


def test_blank_text_keeps_every_line_in_order() -> None:
    assert _ids("") == _ids("  \u3000") == [3, 12, 30, 31]


def test_a_number_finds_its_line_with_or_without_hash() -> None:
    assert _ids("12") == _ids("#12") == [12]
    assert _ids("3") == [3]


def test_names_and_roles_match_with_case_and_spaces_ignored() -> None:
    assert _ids("山田花子") == [3]  # typed without the space the credit has
    assert _ids("髙橋 一郎") == [12]  # an ideographic space in the credit, an ASCII one typed
    assert _ids("douga") == [30]
    assert _ids("emilytanaka") == [30]
    assert _ids("未定") == [31]  # a line with no role is still found by its name


def test_nothing_found_is_an_empty_frame_with_the_columns() -> None:
    found = lines_matching(LINES, "存在しない", ["role", "name"])
    assert found.empty and list(found.columns) == list(LINES.columns)
