"""The one CSV/TSV writer (data.tabular): whatever the text, no cell a spreadsheet runs as a formula, and a TSV row
keeps its columns. No database."""

from __future__ import annotations

import csv
import io

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from data import tabular
from tests.hostile import FORMULA_START, NAMES

TEXT = st.text(alphabet=st.sampled_from(list("=+-@\t\r\n ,;\"'|aあ1().")), max_size=12)


def test_hostile_names_are_defused() -> None:
    text = tabular.csv_text(["name", "hours"], [[name, 1.5] for name in NAMES])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["name", "hours"] and len(rows) == len(NAMES) + 1
    for (cell, hours), name in zip(rows[1:], NAMES, strict=True):
        assert not cell.startswith(FORMULA_START) and hours == "1.5"
        assert cell == ("'" + name if name.startswith(FORMULA_START) else name)  # nothing else changes
    assert tabular.neutralize(-5) == -5 and tabular.neutralize(None) is None  # numbers stay numbers


@given(st.lists(st.lists(TEXT, min_size=3, max_size=3), max_size=5))
def test_any_text_through_the_csv_writer(rows: list[list[str]]) -> None:
    parsed = list(csv.reader(io.StringIO(tabular.csv_text(["a", "b", "c"], rows), newline="")))
    assert len(parsed) == len(rows) + 1
    for original, back in zip(rows, parsed[1:], strict=True):
        assert len(back) == 3
        for o, b in zip(original, back, strict=True):
            assert not b.startswith(FORMULA_START)
            assert b in (o, "'" + o)


@given(st.lists(TEXT, min_size=1, max_size=6))
def test_any_text_through_the_tsv_writer_keeps_its_columns(values: list[str]) -> None:
    line = tabular.tsv_row(values)
    assert "\n" not in line and "\r" not in line
    cells = line.split("\t")
    assert len(cells) == len(values)
    assert not any(c.startswith(FORMULA_START) for c in cells)


def test_frames_records_and_empty_cells() -> None:
    frame = pd.DataFrame({"=title": ["=1+1", None, "ok"], "n": [1, 2, None]})
    text = tabular.frame_csv(frame, lineterminator="\n")
    assert text.splitlines() == ["'=title,n", "'=1+1,1.0", ",2.0", "ok,"]
    assert tabular.csv_records(["a", "b"], [{"a": "@x"}, {"a": float("nan"), "b": "+y"}]).splitlines() == [
        "a,b", "'@x,", ",'+y"]  # fmt: skip
    out = io.StringIO()
    writer = tabular.Writer(out)
    writer.writerow(["-1", -1, None])
    assert out.getvalue() == "'-1,-1,\r\n"
