"""The canonical work-log fast path gives exactly the Items of the general path, on clean and on messy files."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.importers import canonical
from data.importers.items import canonical_work_items, mapped
from data.importers.rows import RowError

TZ = ZoneInfo("Asia/Tokyo")
FIX = Path(__file__).parent / "fixtures" / "imports"

CELLS = {
    "person": ["山田 花子", " 田中 一郎 ", "", "-", "Total"],
    "email": ["hanako@example.jp", "HANAKO@Example.JP", "", "nobody@example.jp"],
    "work_date": ["2025-04-01", "2025-04-02", "", "2025/04/03", "2025-02-30", "soon", "2025-04-01T09:00"],
    "start_time": ["09:00", "9:00", "", "22:30", "25:00", "2025-04-01T10:00+09:00", " 10:00 "],
    "end_time": ["18:00", "03:00", "", "09:00", "x", "2025-04-01T19:00"],
    "break_minutes": ["60", "", "0", "-5", "lunch", "600"],
    "minutes": ["", "480", "479", "2000", "abc"],
    "production": ["星の庭", " 星の庭 ", "", "Unknown"],
    "episode": ["3", " 12", "", "x"],
    "cut": ["", "042 ", "7"],
    "role": ["原画", " Key Animation ", "", "魔法"],
    "task": ["Key animation", " layout, cleanup ", ""],
    "units": ["", "3", "-1", "1,5"],
    "unit_kind": ["", "cut", "planet"],
    "ai_assisted_fraction": ["", "0.25", "1.5"],
    "is_statutory_holiday": ["", "yes", "no", "maybe"],
    "note": ["", " retake\nafter review ", "“quoted”"],
    "external_id": ["", " W1 ", "W2", "W1"],
}


def _as_tuple(item) -> tuple:  # noqa: ANN001
    v = item.value
    if isinstance(v, RowError):
        v = ("error", v.code, v.reason, v.column, v.value)
    return item.line, item.raw, v


def _both(path: Path) -> tuple[list, list]:
    general = [_as_tuple(i) for i in mapped(path, lambda r: canonical.work_log(r, TZ))]
    fast = [_as_tuple(i) for i in canonical_work_items(path, TZ)]
    return general, fast


def test_fixture_files_match() -> None:
    paths = sorted(FIX.glob("work_logs*.csv"))
    assert paths
    for path in paths:
        general, fast = _both(path)
        assert fast == general, path.name


def test_repeated_rows_take_the_memo_and_still_match(tmp_path: Path) -> None:
    rows = [
        "email,person,work_date,start_time,end_time,break_minutes,production,episode,cut,role,task,note,external_id"
    ]
    for i in range(300):
        who = "" if i % 50 == 7 else f"A{i % 3}@Example.jp"  # some rows with no person at all
        text = ["", " x ", "y"][i % 3]  # every text cell blank, padded or plain in turn
        rows.append(
            f"{who},{text},2025-04-{1 + i % 5:02d},09:00,18:00,60,{text},{text},{text},{text},{text},{text},"
            f"{'' if i % 2 else f' X{i} '}"
        )
    rows.append("Total,,2025-04-01,09:00,18:00,60,,,,,,,")  # a totals row whose parsed cells are known
    rows.append(" ,Total,2025-04-01,09:00,18:00,60,,,,,,,")  # the label in the second cell
    rows.append(",,,,,,,,,,,,")
    rows.append("a1@example.jp,,2025-04-01,09:00,18:00,60,,,,,extra,,X9,unquoted")
    rows.append("a1@example.jp,,2025-04-01,09:00")
    path = tmp_path / "w.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    general, fast = _both(path)
    assert fast == general
    assert sum(isinstance(v, dict) for _, _, v in fast) == 298  # rows 57 and 207 name nobody


def test_duplicate_header_takes_the_general_path(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("email,work_date,minutes,minutes\na@example.jp,2025-04-01,60,90\n", encoding="utf-8")
    general, fast = _both(path)
    assert fast == general
    assert general[0][2]["minutes"] == 90


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    columns=st.lists(st.sampled_from(sorted(CELLS)), min_size=1, max_size=len(CELLS), unique=True),
    # Mostly the first two (valid) values of each column, so that many rows parse and the memo is used.
    picks=st.lists(
        st.lists(st.sampled_from([0, 0, 0, 1, 1, 2, 3, 4, 5, 6]), min_size=len(CELLS), max_size=len(CELLS)),
        min_size=1,
        max_size=40,
    ),
    shapes=st.lists(st.sampled_from(["ok", "ok", "ok", "blank", "short", "long"]), min_size=40, max_size=40),
)
def test_generated_files_match(tmp_path_factory, columns, picks, shapes) -> None:  # noqa: ANN001
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    for n, pick in enumerate(picks):
        cells = [CELLS[c][pick[i] % len(CELLS[c])] for i, c in enumerate(columns)]
        shape = shapes[n]
        if shape == "blank":
            buf.write("\r\n")
            continue
        if shape == "short" and len(cells) > 1:
            cells = cells[:-1]
        if shape == "long":
            cells = [*cells, "stray"]
        w.writerow(cells)
        w.writerow(cells)  # every row twice: the second one can come from the memo
    path = tmp_path_factory.mktemp("fast") / "w.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    general, fast = _both(path)
    assert fast == general
