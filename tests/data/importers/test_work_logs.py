"""The canonical work-log parser, without a database: the memoised CSV fast path gives exactly the Items of the
general path, on clean and on messy files; night time is the law's, in the window it is given; every duration is
kept to the second."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.importers import units as u
from data.importers.errors import RowError
from data.importers.kinds import work_logs
from data.importers.reading import mapped
from data.importers.rows import Item, SourceRow
from data.law.params import JpHours, NightWindow
from data.law.shifts import night_minutes_of_span, night_seconds
from data.reference import seed_values
from tests.data.importers.helpers import FIX

TZ = ZoneInfo("Asia/Tokyo")
NIGHT = JpHours.from_values(seed_values("JP")).night

CELLS = {
    "person": ["山田 花子", " 田中 一郎 ", "", "-", "Total"],
    "email": ["hanako@example.jp", "HANAKO@Example.JP", "", "nobody@example.jp"],
    "work_date": ["2025-04-01", "2025-04-02", "", "2025/04/03", "2025-02-30", "soon", "2025-04-01T09:00"],
    "start_time": ["09:00", "9:00", "", "22:30", "25:00", "2025-04-01T10:00+09:00", " 10:00 ", "09:00:15"],
    "end_time": ["18:00", "03:00", "", "09:00", "x", "2025-04-01T19:00", "18:00:45"],
    "break_minutes": ["60", "", "0", "-5", "lunch", "600"],
    "minutes": ["", "480", "479", "2000", "abc", "480.5", "nan"],
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


def _as_tuple(item: Item) -> tuple:
    v = item.value
    if isinstance(v, RowError):
        v = ("error", v.code, v.reason, v.column, v.value)
    return item.line, item.raw, v


def _parse(row: SourceRow) -> dict:
    return work_logs.parse(row, tz=TZ, night=NIGHT)


def _both(path: Path) -> tuple[list, list]:
    general = [_as_tuple(i) for i in mapped(path, _parse)]
    fast = [_as_tuple(i) for i in work_logs.fast_items(path, _parse)]
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
    assert general[0][2]["seconds"] == 90 * 60


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
def test_generated_files_match(
    tmp_path_factory: pytest.TempPathFactory, columns: list[str], picks: list[list[int]], shapes: list[str]
) -> None:
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


def test_whole_minute_night_arithmetic_matches_the_datetime_walk() -> None:
    """The plain HH:MM path counts night seconds on whole minutes, the others on datetimes: both are the law's
    (data.law.shifts) and agree on every span of up to a day, in the seeded window."""
    day = dt.datetime(2025, 3, 30)
    for s in range(0, 1440, 7):
        for e in range(s + 1, s + 1441, 11):
            a, b = day + dt.timedelta(minutes=s), day + dt.timedelta(minutes=e)
            assert night_minutes_of_span(s * 60, e * 60, NIGHT) == night_seconds(a, b, NIGHT), (s, e)
    assert (u.clock_hm("09:05"), u.clock_hm("9:05"), u.clock_hm("24:00"), u.clock_hm("９:00")) == (
        (9, 5),
        (9, 5),
        None,
        None,
    )


def test_night_minutes_follow_the_window_given() -> None:
    """The parser counts night in the window it is given (the rule parameters), on both of its paths, and never
    more than the time worked; seconds are kept."""
    cells = {"email": "a@example.jp", "work_date": "2025-04-01", "break_minutes": "60"}
    hm = SourceRow(2, {**cells, "start_time": "21:00", "end_time": "02:00"}, "")
    iso = SourceRow(3, {**cells, "start_time": "2025-04-01T21:00", "end_time": "2025-04-02T02:00"}, "")
    late = NightWindow(23 * 3600, 4 * 3600)
    for row in (hm, iso):
        assert [work_logs.parse(row, tz=TZ, night=w)["night_seconds"] for w in (NIGHT, late)] == [240 * 60, 180 * 60]
    short = SourceRow(4, {**cells, "start_time": "21:00", "end_time": "23:30", "break_minutes": "120"}, "")
    assert work_logs.parse(short, tz=TZ, night=NIGHT)["night_seconds"] == 30 * 60  # 150 min span, 30 worked
    # Seconds: 21:59:50–22:00:20 with no break is 30 s worked, 20 s of them at night; 16:45–16:46 is 60 s worked.
    secs = SourceRow(6, {**cells, "start_time": "21:59:50", "end_time": "22:00:20", "break_minutes": ""}, "")
    got = work_logs.parse(secs, tz=TZ, night=NIGHT)
    assert (got["seconds"], got["break_seconds"], got["night_seconds"]) == (30, 0, 20)
    assert (got["start_at"], got["end_at"]) == (dt.datetime(2025, 4, 1, 21, 59, 50), dt.datetime(2025, 4, 1, 22, 0, 20))
    minute = SourceRow(7, {**cells, "start_time": "16:45", "end_time": "16:46", "break_minutes": ""}, "")
    got = work_logs.parse(minute, tz=TZ, night=NIGHT)
    assert (got["seconds"], got["break_seconds"]) == (60, 0)
    half = SourceRow(8, {**cells, "minutes": "7.5", "start_time": "", "end_time": "", "break_minutes": "0.25"}, "")
    assert (
        work_logs.parse(half, tz=TZ, night=NIGHT)["seconds"],
        work_logs.parse(half, tz=TZ, night=NIGHT)["break_seconds"],
    ) == (450, 15)
    with pytest.raises(RowError, match="must be a finite number"):
        work_logs.parse(SourceRow(9, {**cells, "minutes": "NaN"}, ""), tz=TZ, night=NIGHT)
    with pytest.raises(RowError, match="break of 400 min is longer than the 300 min session"):
        work_logs.parse(SourceRow(5, {**hm.cells, "break_minutes": "400"}, ""), tz=TZ, night=NIGHT)
