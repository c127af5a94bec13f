"""Exports keep every name exactly and never let a spreadsheet run a cell as a formula."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from analytics.exports import (
    UTF8_BOM,
    ExportError,
    neutralize,
    neutralize_frame,
    to_csv_bytes,
    to_json_bytes,
    to_xlsx_bytes,
)

NAMES = pd.DataFrame(
    {
        "name": ["山田花子", "髙橋一郎", "=SUM(A1:A9)", "+81 3 1234", "-5", "@cmd", "\tTab", "\rCR", "Ōno Ryōtarō"],
        "hours": [10.5, 8, 1, 2, -3, 4, 5, 6, 7],
    }
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(1)", "'@SUM(1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
     ("山田", "山田"), ("a=b", "a=b"), ("", ""), (-5, -5), (None, None)],
)  # fmt: skip
def test_neutralize(value: object, expected: object) -> None:
    assert neutralize(value) == expected


def test_csv_has_bom_and_keeps_names_exactly() -> None:
    data = to_csv_bytes(NAMES)
    assert data.startswith(UTF8_BOM)
    back = pd.read_csv(io.BytesIO(data[len(UTF8_BOM) :]), encoding="utf-8", keep_default_na=False)
    assert back["name"].tolist()[:2] == ["山田花子", "髙橋一郎"]
    assert back["name"].tolist()[-1] == "Ōno Ryōtarō"
    assert back["name"].tolist()[2:6] == ["'=SUM(A1:A9)", "'+81 3 1234", "'-5", "'@cmd"]
    # Numbers are not text: a negative number stays a number.
    assert back["hours"].tolist()[4] == -3


def test_xlsx_stores_text_not_formulas() -> None:
    workbook = load_workbook(io.BytesIO(to_xlsx_bytes(NAMES, sheet_name="people/pay")))
    sheet = workbook.active
    assert sheet.title == "people_pay"
    cells = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert cells[0] == "山田花子"
    assert cells[2] == "'=SUM(A1:A9)"
    for row in sheet.iter_rows(min_row=2):
        assert row[0].data_type == "s", row[0].value
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)][4] == -3


def test_json_keeps_native_script_and_nested_frames() -> None:
    payload = {
        "profile": {"name": "山田花子"},
        "monthly": pd.DataFrame({"month": ["2025-01"], "hours": [float("nan")]}),
    }
    text = to_json_bytes(payload).decode("utf-8")
    assert "山田花子" in text and "\\u" not in text
    assert json.loads(text)["monthly"] == [{"month": "2025-01", "hours": None}]


@pytest.mark.parametrize("column", ["password_hash", "Password", "token"])
def test_secret_columns_are_refused(column: str) -> None:
    frame = pd.DataFrame({"username": ["a"], column: ["$argon2id$..."]})
    with pytest.raises(ExportError, match="secret"):
        to_csv_bytes(frame)
    with pytest.raises(ExportError):
        to_xlsx_bytes(frame)
    with pytest.raises(ExportError):
        to_json_bytes(frame)


@given(st.lists(st.text(max_size=30), min_size=1, max_size=20))
def test_no_cell_ever_starts_like_a_formula(values: list[str]) -> None:
    safe = neutralize_frame(pd.DataFrame({"v": values}))
    for original, cell in zip(values, safe["v"], strict=True):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert cell.removeprefix("'") == original or cell == original


def test_ids_with_gaps_are_written_as_whole_numbers() -> None:
    import pandas as pd

    from analytics.exports import to_csv_bytes

    frame = pd.DataFrame({"credit_line_id": [1093.0, None], "person_id": [7.0, 8.0], "hours": [1.0, 2.5]})
    text = to_csv_bytes(frame).decode("utf-8-sig")
    assert text.splitlines()[1:] == ["1093,7,1.0", ",8,2.5"]
